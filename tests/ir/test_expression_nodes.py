"""The expression nodes are typed where they are built: 取小/取大 of two or more expressions, one of the four
claim amounts, a bound that is a constant of the formula's unit or an expression, days formulas in 津贴天数."""

from __future__ import annotations

from fractions import Fraction

import pytest

from policylang import ir
from policylang.ir.values import ArithOp, Days, FormulaKind, Money, Number, PickOp, Ratio


def _param(value: object) -> ir.Param:
    return ir.Param("t", (ir.Version(None, None, ir.Table((ir.Cell((), value),))),))


PICK = ir.Pick(PickOp.MIN, (ir.FieldRef("缴费月数"), ir.Num(Number(12), "个月")))


@pytest.mark.parametrize(("build", "where"), [
    (lambda: ir.Pick(PickOp.MIN, (ir.Num(Number(1)),)), "Pick.args"),
    (lambda: ir.Pick("取小", (ir.Num(Number(1)), ir.Num(Number(2)))), "Pick.op"),
    (lambda: ir.Pick(PickOp.MAX, (ir.Num(Number(1)), 2)), "Pick.args"),
    (lambda: ir.ClaimAmount("统筹支付"), "name"),
    (lambda: ir.Formula(PICK, FormulaKind.MONEY, Ratio(Fraction(1, 2))), "Formula.lower"),
    (lambda: ir.Allowance(_param(ir.Formula(PICK, FormulaKind.MONEY))), "Allowance.days"),
])
def test_a_wrong_expression_is_refused_where_it_is_built(build, where) -> None:
    with pytest.raises((TypeError, ValueError), match=where):
        build()


def test_expressions_build() -> None:
    formula = ir.Formula(ir.Bin(ArithOp.MUL, PICK, ir.ClaimAmount("费用")), FormulaKind.MONEY, Money(100),
                         ir.RefValue("工资", -1))
    days = ir.Formula(ir.Num(Number(98), "天"), FormulaKind.DAYS, Days(30))
    assert ir.Allowance(_param(days), rate=formula).rate.upper == ir.RefValue("工资", -1)
    assert days.unit is Days
