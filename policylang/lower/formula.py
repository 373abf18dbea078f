"""Lowering of arithmetic in parameters (起付线 = 上年度 职工平均工资 × 8%，最低 600 元), with units checked."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import UNIT_KIND, Kind, to_fen
from policylang.ir.values import (
    ArithOp,
    FormulaKind,
    Money,
    Number,
    NumUnit,
    Ratio,
    RoundingMode,
    RoundTo,
    magnitude,
)
from policylang.lower.context import Context
from policylang.lower.values import money_value, ratio_value, reference
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast

_NUM_FIELDS = {"年龄", "次数", "天数", "月数", "年数"}
_SHOWN = {NumUnit.MONEY: "金额", NumUnit.RATIO: "比例", NumUnit.NUM: "数值"}
_OP_WORD = {ArithOp.ADD: "相加", ArithOp.SUB: "相减", ArithOp.MUL: "相乘", ArithOp.DIV: "相除"}


def _num(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.0001")).normalize())


def arith_text(node: ir.Arith) -> str:
    """An expression as an officer would read it: 上年度职工平均工资 × 8%."""
    if isinstance(node, ir.Num):
        if isinstance(node.value, Money):
            return f"{_num(Fraction(node.value.fen) / 100)} 元"
        if isinstance(node.value, Ratio):
            return f"{_num(node.value.value * 100)}%"
        return _num(node.value.value)
    if isinstance(node, ir.FieldRef):
        return node.name
    if isinstance(node, ir.RefValue):
        return node.describe()
    left, right = arith_text(node.left), arith_text(node.right)
    if isinstance(node.right, ir.Bin) and node.op in (ArithOp.MUL, ArithOp.DIV, ArithOp.SUB):
        right = f"({right})"
    if isinstance(node.left, ir.Bin) and node.op in (ArithOp.MUL, ArithOp.DIV) and node.left.op in (ArithOp.ADD,
                                                                                                     ArithOp.SUB):
        left = f"({left})"
    return f"{left} {node.op} {right}"


def _number(q: ast.Quantity) -> tuple[ir.Arith, NumUnit]:
    """A literal in an expression: a bare or counted number, a percentage, or an amount in 分."""
    if q.unit is None or UNIT_KIND[q.unit] in (Kind.AGE, Kind.COUNT, Kind.DURATION):
        return ir.Num(Number(Fraction(q.number))), NumUnit.NUM
    if UNIT_KIND[q.unit] is Kind.RATIO:
        return ir.Num(Ratio(Fraction(q.number) / 100)), NumUnit.RATIO
    fen = to_fen(q.number, q.unit)
    return ir.Num(Money(fen if fen is not None else 0)), NumUnit.MONEY


def _name(ctx: Context, name: ast.Name) -> tuple[ir.Arith, NumUnit] | None:
    """A field in an expression: money or a number; a reference value needs its year."""
    fdef = ctx.fields.get(name.text)
    if fdef is not None and fdef.type == "金额":
        return ir.FieldRef(fdef.name), NumUnit.MONEY
    if fdef is not None and fdef.type in _NUM_FIELDS:
        return ir.FieldRef(fdef.name), NumUnit.NUM
    if fdef is not None:
        ctx.report(error("E049", f"“{name.text}”是{fdef.type}字段：表达式中只能用金额或数值字段、参考值", name.span))
        return None
    if name.text in ctx.references:
        ctx.report(error("E044", f"参考值“{name.text}”要写明年度", name.span,
                         f"写作 上年度 {name.text} 或 当年 {name.text}"))
        return None
    pool = [*ctx.fields, *ctx.references]
    ctx.report(error("E015", f"未知字段“{name.text}”：表达式中只能用金额或数值字段、参考值", name.span,
                     did_you_mean(name.text, pool)))
    return None


def _combine(ctx: Context, op: ArithOp, lu: NumUnit, ru: NumUnit, a: ast.Arith) -> NumUnit | None:
    """The unit of left op right, or None (reported) when the units do not combine."""
    if op in (ArithOp.ADD, ArithOp.SUB):
        if lu == ru:
            return lu
    elif op is ArithOp.MUL and not lu == ru == NumUnit.MONEY:
        pair = {lu, ru}
        return NumUnit.MONEY if NumUnit.MONEY in pair else NumUnit.RATIO if NumUnit.RATIO in pair else NumUnit.NUM
    else:  # ÷
        if ru is NumUnit.NUM:
            return lu
        if lu == ru == NumUnit.MONEY:
            return NumUnit.NUM
    ctx.report(error("E025", f"不能把{_SHOWN[lu]}与{_SHOWN[ru]}{_OP_WORD[op]}", a.span,
                     "金额 × 比例 得金额；金额 ÷ 数 得金额；比例 + 比例 得比例"))
    return None


def arith(ctx: Context, a: ast.Arith) -> tuple[ir.Arith, NumUnit] | None:
    """An expression and its unit (money, ratio or num)."""
    if a.op == "num":
        assert isinstance(a.left, ast.Quantity)
        return _number(a.left)
    if a.op == "ref":
        assert isinstance(a.left, ast.RefValue)
        ref = reference(ctx, a.left)
        return None if ref is None else (ref, NumUnit.MONEY)
    if a.op == "name":
        assert isinstance(a.left, ast.Name)
        return _name(ctx, a.left)
    assert isinstance(a.left, ast.Arith) and a.right is not None
    left, right = arith(ctx, a.left), arith(ctx, a.right)
    if left is None or right is None:
        return None
    (ln, lu), (rn, ru) = left, right
    op = ArithOp({"*": "×"}.get(a.op, a.op))
    unit = _combine(ctx, op, lu, ru, a)
    if unit is None:
        return None
    if op is ArithOp.DIV and isinstance(rn, ir.Num) and magnitude(rn.value) == 0:
        ctx.report(error("E045", "除数为 0", a.span))
        return None
    return ir.Bin(op, ln, rn), unit


def formula(ctx: Context, f: ast.Formula, want: Kind, what: str) -> ir.Formula | None:
    """A parameter given as a formula, with its bounds and rounding; its unit must be the one wanted."""
    lowered = arith(ctx, f.expr)
    if lowered is None:
        return None
    node, unit = lowered
    kind, needed = (FormulaKind.RATIO, NumUnit.RATIO) if want is Kind.RATIO else (FormulaKind.MONEY, NumUnit.MONEY)
    if unit is not needed:
        ctx.report(error("E005", f"{what} 应为{_SHOWN[needed]}，这个表达式得到的是{_SHOWN[unit]}", f.span))
        return None
    bound = ratio_value if kind is FormulaKind.RATIO else money_value
    lower = bound(ctx, f.lower, f"{what}下限") if f.lower else None
    upper = bound(ctx, f.upper, f"{what}上限") if f.upper else None
    if (f.lower and lower is None) or (f.upper and upper is None):
        return None
    if lower is not None and upper is not None and lower > upper:
        ctx.report(error("E029", f"{what} 的最低值高于最高值", f.span))
        return None
    if f.round_to is not None and kind is FormulaKind.RATIO:
        ctx.report(error("E048", "比例不取整；取整到分/元 只用于金额", f.span))
        return None
    return ir.Formula(node, kind, lower, upper, None if f.round_to is None else RoundTo(f.round_to),
                      None if f.round_mode is None else RoundingMode(f.round_mode), arith_text(node))
