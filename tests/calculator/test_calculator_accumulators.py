"""Named accumulators in the browser evaluator: the worked test blocks of the accumulator vocabulary (a total
shared across schemes, sub-limits, 各自累计, 按 孕期号, a layer above the previous cap, 已累计 balances) settle
in JS exactly as in Python, line for line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.api import check_path
from policylang.docs import calculator
from policylang.eval.settle import settle

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "vocabulary" / "accumulators" / "rules.policy"

pytestmark = pytest.mark.skipif(calculator.node() is None and not calculator.node_required(),
                                reason="node is not installed")


def test_the_worked_cases_settle_alike_in_js(tmp_path):
    checked = check_path(SCRIPT)
    policy, cases = checked.policy, checked.compiled.tests
    assert policy is not None and any(c.person.opening for c in cases)
    people, expected = [], []
    for case in cases:
        claims = [tc.claim for tc in case.claims]
        people.append(calculator.person_input(case.person, claims))
        expected.append([calculator.result_output(r) for r in settle(policy, case.person, claims)])
    got = calculator.run_node(policy, people, tmp_path)
    for case, want, have in zip(cases, expected, got, strict=True):
        assert have == want, case.name
