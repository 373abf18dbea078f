"""Issue 14 in the browser evaluator: a claim that reaches a missing table cell is refused with Python's reason
and consumes nothing (eval/settle.py Ledger), so the next claim meets the deductible afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.api import check_path
from policylang.docs import calculator
from policylang.eval.settle import settle

ROOT = Path(__file__).resolve().parents[2]
INCOMPLETE = ROOT / "tests" / "cli" / "golden" / "incomplete"  # 比例表 without 三级, a deductible before it

pytestmark = pytest.mark.skipif(calculator.node() is None and not calculator.node_required(),
                                reason="node is not installed")


def test_a_missing_cell_refuses_and_undoes_the_deductible(tmp_path):
    checked = check_path(INCOMPLETE)
    assert checked.policy is not None
    cases = [c for c in checked.compiled.tests if c.claims]
    assert cases
    people = [calculator.person_input(c.person, [tc.claim for tc in c.claims]) for c in cases]
    want = [[calculator.result_output(r) for r in settle(checked.policy, c.person, [tc.claim for tc in c.claims])]
            for c in cases]
    got = calculator.run_node(checked.policy, people, tmp_path)
    assert got == want
    refused = [(p, i) for p in got for i, r in enumerate(p) if r["refused"] == ["比例表没有 三级 (no ratio for 三级)"]]
    assert refused, "the fixture has a claim with no ratio"
    for person, i in refused:
        assert person[i]["fund"] == "0" and person[i]["layers"] == []
        assert any(line.startswith("本次就诊不予支付，不计入起付线与封顶线") for line in person[i]["trace"])
    # the refused claim counted its deductible before the missing cell; the next claim counts it again
    later = [person[i + 1] for person, i in refused if i + 1 < len(person)]
    assert later and all(r["deductible"] == "100000" for r in later)


def test_a_typed_condition_on_a_missing_field_refuses_alike(tmp_path):
    """tests/vocabulary/conditions: every worked example, including a claim without 参加工作日期 (refused, the
    reason naming the field) and one without 年龄 (可选: the condition does not hold), equals Python line by line."""
    checked = check_path(ROOT / "tests" / "vocabulary" / "conditions")
    assert checked.policy is not None
    cases = [c for c in checked.compiled.tests if c.claims]
    people = [calculator.person_input(c.person, [tc.claim for tc in c.claims]) for c in cases]
    want = [[calculator.result_output(r) for r in settle(checked.policy, c.person, [tc.claim for tc in c.claims])]
            for c in cases]
    got = calculator.run_node(checked.policy, people, tmp_path)
    assert got == want
    reasons = [r["refused"] for p in got for r in p if r["refused"]]
    assert any("缺少“参加工作日期”" in reason[0] for reason in reasons)
    assert any(line.startswith("条件成立：年龄 18 岁及以上（年龄 72 岁）") for p in got for r in p for line in r["trace"])
