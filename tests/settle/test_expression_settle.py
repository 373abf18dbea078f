"""Expressions settle exactly and explain themselves: a cell computed per claim, a bound computed per claim,
取小/取大, the claim's own amounts, days × 元/天, and 津贴天数 by formula (whole days only)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from policylang import ir
from policylang.api import compile_path
from policylang.eval.settle import settle
from policylang.ir import terms
from policylang.ir.claims import Claim, Item, Person, facts
from policylang.ir.values import ArithOp, Days, FormulaKind, PickOp, Ratio

REGION = Path(__file__).resolve().parents[1] / "vocabulary" / "expressions2"


@pytest.fixture(scope="module")
def policy() -> ir.Policy:
    return compile_path(REGION)


def _one(policy, person: dict, amount: int, claim: dict, day=dt.date(2025, 3, 1), items=()):
    (result,) = settle(policy, Person("p", facts(person)), [Claim(day, amount, facts(claim), items=tuple(items))])
    return result, [line.text for line in result.trace]


def test_a_cell_and_a_bound_computed_per_claim_are_shown_with_their_values(policy) -> None:
    result, trace = _one(policy, {"险种": "职工医保", "人员类别": "在职", "缴费月数": 2}, 10_120_000,
                         {"就医类型": "住院", "医院等级": "三级"}, dt.date(2024, 3, 1))
    assert "上年度职工平均工资 × 1% = 1,500.00 元（按最低值）" in trace
    assert "取小(缴费月数 ÷ 12 个月, 1) × 50000 元 = 9,000.00 元（按最低值 上年度职工平均工资 × 10%）" in trace
    assert (result.deductible, result.fund) == (150_000, 900_000)


def test_pro_rated_by_months_at_most_in_full(policy) -> None:
    base = {"险种": "职工医保", "人员类别": "在职"}
    claim = {"就医类型": "住院", "医院等级": "二级"}
    assert _one(policy, base | {"缴费月数": 6}, 10_120_000, claim)[0].fund == 2_500_000
    assert _one(policy, base | {"缴费月数": 30}, 10_120_000, claim)[0].fund == 5_000_000


def test_an_expression_reads_the_claims_own_amounts(policy) -> None:
    items = (Item("检查", "甲类", 200_000), Item("美容", "甲类", 30_000))
    result, trace = _one(policy, {"险种": "职工医保", "人员类别": "在职"}, 230_000,
                         {"就医类型": "普通门诊", "医院等级": "一级"}, items=items)
    assert "取大(200 元, 全自费 × 2) = 600.00 元" in trace
    assert result.fund == 60_000


def test_days_times_an_amount_per_day_and_allowance_days_by_formula(policy) -> None:
    result, _ = _one(policy, {"险种": "职工医保", "人员类别": "在职"}, 100_000, {"就医类型": "生育", "住院天数": 3})
    assert result.fund == 60_000
    result, trace = _one(policy, {"险种": "职工医保", "人员类别": "在职", "月工资": 240_000}, 0,
                         {"就医类型": "生育津贴", "胎数": 4})
    assert "98 天 + 取小(胎数 - 1 次, 2 次) × 15 天/次 = 128 天" in trace
    assert (result.allowance_days, result.allowance) == (128, 1_280_000)


def test_the_evaluation_api_reads_facts_date_and_amounts(policy) -> None:
    expr = ir.Pick(PickOp.MAX, (ir.ClaimAmount("全自费"), ir.RefValue("职工平均工资", -1)))
    day = dt.date(2025, 1, 1)
    assert terms.expression_value(expr, policy, {}, day, {"全自费": 5}) == Fraction(12_000_000)
    with pytest.raises(terms.FormulaError, match="全自费"):
        terms.expression_value(ir.ClaimAmount("全自费"), policy, {}, day)


def test_days_by_formula_count_whole_days_only(policy) -> None:
    formula = ir.Formula(ir.Bin(ArithOp.MUL, ir.FieldRef("住院天数"), ir.Num(Ratio(Fraction(1, 2)))),
                         FormulaKind.DAYS)
    value, note = terms.formula_value(formula, policy, {"住院天数": 5}, dt.date(2025, 1, 1))
    assert value == Days(2) and note == "不足 1 天的部分不计"
