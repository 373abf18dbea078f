"""The newcomer's composed example (issue 13's rule shapes together in one region: expressions in cells and
bounds, n-th-admission and 逐次 deductibles with floors, steps after the ratio, shared and per-field
accumulators, a layer above the previous cap, 已累计, fee limits above the deductible, 年度补助, 扣除已付,
版本 按 出院日期, the account's policy-range share, typed conditions and added enum values): its worked test
blocks settle in the JS calculator exactly as in Python, line for line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.api import check_path
from policylang.docs import calculator
from policylang.eval.settle import settle

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "vocabulary" / "composed" / "rules.policy"

pytestmark = pytest.mark.skipif(calculator.node() is None and not calculator.node_required(),
                                reason="node is not installed")


def test_the_composed_worked_cases_settle_alike_in_js(tmp_path):
    checked = check_path(SCRIPT)
    policy, cases = checked.policy, checked.compiled.tests
    assert policy is not None and len(cases) >= 15
    people, expected = [], []
    for case in cases:
        claims = [tc.claim for tc in case.claims]
        people.append(calculator.person_input(case.person, claims))
        expected.append([calculator.result_output(r) for r in settle(policy, case.person, claims)])
    got = calculator.run_node(policy, people, tmp_path)
    for case, want, have in zip(cases, expected, got, strict=True):
        assert have == want, case.name
