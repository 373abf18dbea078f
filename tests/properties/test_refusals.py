"""A claim that reaches a missing table cell is refused with a located reason, in both backends, and consumes
nothing: the other claims settle exactly as if it had never been made, and no later layer stands in for it."""

from __future__ import annotations

import datetime as dt

from batch.batchcheck import assert_same, scalar_columns
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang.batch.columns import Columns
from policylang.batch.settle import settle_columns
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts
from properties.helpers import HEADER, script

LEVELS = ("一级", "二级", "三级")
WORKER = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))
YEAR = dt.date(2024, 1, 1)

# each table a layer reaches, written for the levels given (a keyed table with some level left out)
TABLES = {
    "起付线": lambda levels: "起付线 年度 " + ", ".join(f"{lv} {300 + 100 * i} 元" for i, lv in levels),
    "比例": lambda levels: "比例 " + ", ".join(f"{lv} {90 - 5 * i}%" for i, lv in levels),
    "封顶线": lambda levels: "封顶线 年度 " + ", ".join(f"{lv} {2000 + 500 * i} 元" for i, lv in levels),
    "定额": lambda levels: "定额 " + ", ".join(f"{lv} {100 + 50 * i} 元" for i, lv in levels),
    "分段": lambda levels: "\n    ".join(f"分段 {lv} {{ 1万元(含)以内 {50 + 5 * i}%, 超过 1万元 {60 + 5 * i}% }}"
                                       for i, lv in levels),
}


@st.composite
def incomplete(draw) -> tuple[str, str, frozenset[str]]:
    """(table kind, script, the levels the table has): at least one level missing."""
    kind = draw(st.sampled_from(sorted(TABLES)))
    present = draw(st.sets(st.sampled_from(LEVELS), min_size=1, max_size=2))
    levels = [(i, lv) for i, lv in enumerate(LEVELS) if lv in present]
    rest = {"起付线": ["比例 80%"], "比例": ["起付线 年度 500 元"], "封顶线": ["比例 80%"], "定额": [],
            "分段": ["起付线 年度 500 元", "封顶线 年度 3000 元"]}[kind]
    body = "\n    ".join([TABLES[kind](levels), *rest])
    text = (HEADER.format(rounding="四舍五入") + "方案 住院 (险种 = 职工医保) {\n    周期 自然年度\n    "
            f"{body}\n    层 医疗救助 {{ 比例 50% }}\n}}\n")
    return kind, text, frozenset(present)


def _claims(rows) -> list[Claim]:
    return [Claim(YEAR + dt.timedelta(days=day), cost, facts({"就医类型": "住院", "医院等级": level}), i)
            for i, (day, cost, level) in enumerate(rows)]


claim_rows = st.lists(st.tuples(st.integers(0, 365), st.integers(0, 1_000_000), st.sampled_from(LEVELS)),
                      min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(incomplete(), claim_rows)
def test_a_missing_cell_refuses_the_claim_with_a_reason_and_consumes_nothing(table, rows):
    kind, text, present = table
    policy = script(text)
    claims = _claims(rows)
    results = settle(policy, WORKER, claims)
    levels = [level for _, _, level in rows]
    kept = [i for i, level in enumerate(levels) if level in present]
    alone = settle(policy, WORKER, [claims[i] for i in kept])
    for i, (c, r, level) in enumerate(zip(claims, results, levels, strict=True)):
        if level in present:
            assert not r.refused
            assert r.output("统筹支付") == alone[kept.index(i)].output("统筹支付")
            assert r.output("医疗救助") == alone[kept.index(i)].output("医疗救助")
            continue
        (reason,) = r.refused
        assert reason.startswith(f"{kind}表没有 {level} (no ")
        assert r.total_fund == 0 and r.personal == c.amount and r.output("医疗救助") is None
        assert any(reason in line.text and line.origin is not None for line in r.trace)


@settings(max_examples=25, deadline=None)
@given(incomplete(), claim_rows)
def test_both_backends_refuse_the_same_claims_for_the_same_reason(table, rows):
    _, text, _ = table
    policy = script(text)
    cols = Columns.from_records([{"参保人ID": "p", "日期": YEAR + dt.timedelta(days=day), "费用": cost, "险种": "职工医保",
                                  "人员类别": "在职", "就医类型": "住院", "医院等级": level} for day, cost, level in rows])
    expected = scalar_columns(policy, cols)
    assert any(expected["拒付原因"]) or all(lv in table[2] for _, _, lv in rows)
    assert_same(policy, cols, settle_columns(policy, cols), expected)
