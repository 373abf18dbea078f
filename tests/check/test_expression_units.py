"""Expressions wherever a number stands: which shapes lower, and the one dimension algebra that checks units
(money × months is an error until divided by months again; money ÷ money is a ratio; days × 元/天 is money)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from policylang import ir
from policylang.api import check_path
from policylang.ir.values import Money, PickOp, Ratio
from policylang.lower import dims
from policylang.lower.dims import Dim

HEAD = """地区 测试市
依据 《测试细则》
导入 "fields"
字段 缴费月数 月数 默认 12 个月
字段 住院天数 天数 默认 0 天
参考值 职工平均工资 2023 年 90000 元, 2024 年 120000 元
"""


def _codes(script, body: str) -> list[str]:
    path = script(HEAD + f"方案 甲 (险种 = 职工医保) {{\n{body}\n}}\n")
    return sorted({d.code for d in check_path(path).diagnostics})


def test_the_algebra_multiplies_and_divides_exponents() -> None:
    assert dims.MONEY * dims.MONTHS / dims.MONTHS == dims.MONEY
    assert (dims.MONEY / dims.MONEY).dimensionless
    assert dims.DAYS * dims.MONEY_PER_DAY == dims.MONEY
    assert Dim(money=1, months=1).cn() == "金额×月数"
    assert dims.MONEY_PER_DAY.cn() == "金额/天"


@pytest.mark.parametrize("body", [
    "比例 80%\n封顶线 年度 = 缴费月数 ÷ 12 个月 × 5000 元",
    "比例 80%\n封顶线 年度 = 取小(缴费月数 ÷ 12 个月, 1) × 5000 元，最低 上年度 职工平均工资 × 1%",
    "比例 = 上年度 职工平均工资 ÷ 上年度 职工平均工资 × 50%",
    "定额 = 住院天数 × 200 元/天",
    "定额 = 取大(费用 × 10%, 政策范围内费用 - 全自费, 先行自付)",
    "比例 80%\n费用限额 年度 一级 (上年度 职工平均工资 × 1%), 二级 (上年度 职工平均工资 × 2%，最低 1000 元), 3000 元",
    "层 津贴 {\n津贴天数 = 住院天数 × 50%，最高 30 天\n日津贴 = 月工资 ÷ 30 天\n}",
])
def test_well_formed_expressions_check_cleanly(script, body: str) -> None:
    assert _codes(script, body) == []


@pytest.mark.parametrize(("body", "code"), [
    ("比例 80%\n封顶线 年度 = 缴费月数 × 5000 元", "E063"),  # money × months
    ("比例 80%\n封顶线 年度 = 上年度 职工平均工资 + 10%", "E063"),  # money + ratio
    ("比例 = 上年度 职工平均工资 × 1%", "E063"),  # a ratio wanted, money given
    ("定额 = 200 元/天", "E063"),  # money per day is not money
    ("比例 80%\n封顶线 年度 = 上年度 职工平均工资 × 2，最高 缴费月数 × 2", "E063"),  # a bound of another unit
    ("比例 80%\n封顶线 年度 = 上年度 职工平均工资 × 2，最高 2 次", "E005"),  # a constant bound: as any constant
    ("比例 80%\n封顶线 年度 = 取大(缴费月数, 5000 元)", "E063"),
    ("比例 80%\n封顶线 每次 = 个人自付 × 50%", "E065"),
    ("比例 80%\n封顶线 每次 = 起付线 × 2", "E065"),
    ("比例 80%\n封顶线 年度 = 取大(5000 元)", "E066"),
    ("层 津贴 {\n津贴天数 = 住院天数 × 50%，最低 30 天，最高 10 天\n日津贴 100 元\n}", "E029"),
    ("层 津贴 {\n津贴天数 = 住院天数 × 50%，取整到元\n日津贴 100 元\n}", "E048"),
    ("要求 缴费月数 >= 在职 (缴费月数 × 2) 否则 \"不足\"\n比例 80%", "E064"),
])
def test_each_mistake_is_located(script, body: str, code: str) -> None:
    assert _codes(script, body) == [code]


def test_a_cell_in_parentheses_holding_one_value_is_that_value(script) -> None:
    path = script(HEAD + "方案 甲 (险种 = 职工医保) {\n比例 一级 (80%), 二级 (70%)\n}\n")
    policy = check_path(path).policy
    cells = policy.schemes[0].layers[0].ratio.param.versions[0].table.cells
    assert [c.value for c in cells] == [Ratio(Fraction(4, 5)), Ratio(Fraction(7, 10))]


def test_claim_amounts_and_choices_lower_to_their_nodes(script) -> None:
    path = script(HEAD + "方案 甲 (险种 = 职工医保) {\n比例 80%\n封顶线 每次 = 取小(费用, 2000 元)，最低 全自费\n}\n")
    cap = check_path(path).policy.schemes[0].layers[0].caps[0]
    formula = cap.param.versions[0].table.cells[0].value
    assert formula.expr == ir.Pick(PickOp.MIN, (ir.ClaimAmount("费用"), ir.Num(Money(200000))))
    assert formula.lower == ir.ClaimAmount("全自费")
    assert formula.text == "取小(费用, 2000 元)"
