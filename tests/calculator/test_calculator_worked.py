"""Every vocabulary script's worked test blocks (the officer's own hand-computed cases: shared accumulators and
已累计 balances, the composed example of issue 13's rule shapes …) settle in the JS calculator exactly as in
Python, line for line. The seeded differential test covers random claims; this one covers the cases written to
reach each rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.api import check_path
from policylang.docs import calculator
from policylang.eval.settle import settle

ROOT = Path(__file__).resolve().parents[2]
FRAGMENTS = {"weihai_aid.policy"}  # imported by other scripts, not a policy on its own
SCRIPTS = sorted(p for d in (ROOT / "tests" / "vocabulary").iterdir() for p in d.glob("*.policy")
                 if p.name not in FRAGMENTS)

pytestmark = pytest.mark.skipif(calculator.node() is None and not calculator.node_required(),
                                reason="node is not installed")


@pytest.mark.parametrize("script", SCRIPTS, ids=[f"{p.parent.name}/{p.name}" for p in SCRIPTS])
def test_worked_cases_settle_alike_in_js(script, tmp_path):
    checked = check_path(script)
    policy, cases = checked.policy, checked.compiled.tests
    assert policy is not None
    if not cases:
        pytest.skip("no worked cases")
    people, expected = [], []
    for case in cases:
        claims = [tc.claim for tc in case.claims]
        people.append(calculator.person_input(case.person, claims))
        expected.append([calculator.result_output(r) for r in settle(policy, case.person, claims)])
    got = calculator.run_node(policy, people, tmp_path)
    for case, want, have in zip(cases, expected, got, strict=True):
        assert have == want, case.name


def test_the_worked_cases_reach_the_new_constructs():
    """The two scripts this test was written for keep their reach: 已累计 balances, all of issue 13's shapes."""
    accumulators = check_path(ROOT / "tests" / "vocabulary" / "accumulators" / "rules.policy").compiled.tests
    composed = check_path(ROOT / "tests" / "vocabulary" / "composed" / "rules.policy").compiled.tests
    assert any(c.person.opening for c in accumulators)
    assert len(composed) >= 15
