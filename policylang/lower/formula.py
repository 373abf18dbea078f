"""Lowering of arithmetic in parameters (起付线 = 上年度 职工平均工资 × 8%，最低 600 元), with units checked."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import UNIT_KIND, Kind, to_fen
from policylang.lower.context import Context
from policylang.lower.values import quantity, reference
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast

_NUM_FIELDS = {"年龄", "次数", "天数", "月数", "年数"}
_SHOWN = {"money": "金额", "ratio": "比例", "num": "数值"}
_OP_WORD = {"+": "相加", "-": "相减", "×": "相乘", "÷": "相除"}


def _num(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.0001")).normalize())


def arith_text(node: ir.Arith) -> str:
    """An expression as an officer would read it: 上年度职工平均工资 × 8%."""
    if isinstance(node, ir.Num):
        if node.unit == "money":
            return f"{_num(node.value / 100)} 元"
        if node.unit == "ratio":
            return f"{_num(node.value * 100)}%"
        return _num(node.value)
    if isinstance(node, ir.FieldRef):
        return node.name
    if isinstance(node, ir.RefValue):
        return node.describe()
    left, right = arith_text(node.left), arith_text(node.right)
    if isinstance(node.right, ir.Bin) and node.op in "×÷-":
        right = f"({right})"
    if isinstance(node.left, ir.Bin) and node.op in "×÷" and node.left.op in "+-":
        left = f"({left})"
    return f"{left} {node.op} {right}"


def _number(q: ast.Quantity) -> tuple[ir.Arith, str]:
    """A literal in an expression: a bare or counted number, a percentage, or an amount in 分."""
    if q.unit is None or UNIT_KIND[q.unit] in (Kind.AGE, Kind.COUNT, Kind.DURATION):
        return ir.Num(Fraction(q.number), "num"), "num"
    if UNIT_KIND[q.unit] is Kind.RATIO:
        return ir.Num(Fraction(q.number) / 100, "ratio"), "ratio"
    fen = to_fen(q.number, q.unit)
    return ir.Num(Fraction(fen if fen is not None else 0), "money"), "money"


def _name(ctx: Context, name: ast.Name) -> tuple[ir.Arith, str] | None:
    """A field in an expression: money or a number; a reference value needs its year."""
    fdef = ctx.fields.get(name.text)
    if fdef is not None and fdef.type == "金额":
        return ir.FieldRef(fdef.name), "money"
    if fdef is not None and fdef.type in _NUM_FIELDS:
        return ir.FieldRef(fdef.name), "num"
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


def _combine(ctx: Context, op: str, lu: str, ru: str, a: ast.Arith) -> str | None:
    """The unit of left op right, or None (reported) when the units do not combine."""
    if op in "+-":
        if lu == ru:
            return lu
    elif op == "×" and not lu == ru == "money":
        pair = {lu, ru}
        return "money" if "money" in pair else "ratio" if "ratio" in pair else "num"
    else:  # ÷
        if ru == "num":
            return lu
        if lu == ru == "money":
            return "num"
    ctx.report(error("E025", f"不能把{_SHOWN[lu]}与{_SHOWN[ru]}{_OP_WORD[op]}", a.span,
                     "金额 × 比例 得金额；金额 ÷ 数 得金额；比例 + 比例 得比例"))
    return None


def arith(ctx: Context, a: ast.Arith) -> tuple[ir.Arith, str] | None:
    """An expression and its unit (money, ratio or num)."""
    if a.op == "num":
        assert isinstance(a.left, ast.Quantity)
        return _number(a.left)
    if a.op == "ref":
        assert isinstance(a.left, ast.RefValue)
        ref = reference(ctx, a.left)
        return None if ref is None else (ref, "money")
    if a.op == "name":
        assert isinstance(a.left, ast.Name)
        return _name(ctx, a.left)
    assert isinstance(a.left, ast.Arith) and a.right is not None
    left, right = arith(ctx, a.left), arith(ctx, a.right)
    if left is None or right is None:
        return None
    (ln, lu), (rn, ru) = left, right
    op = {"*": "×"}.get(a.op, a.op)
    unit = _combine(ctx, op, lu, ru, a)
    if unit is None:
        return None
    if op == "÷" and isinstance(rn, ir.Num) and rn.value == 0:
        ctx.report(error("E045", "除数为 0", a.span))
        return None
    return ir.Bin(op, ln, rn), unit


def formula(ctx: Context, f: ast.Formula, want: Kind, what: str) -> ir.Formula | None:
    """A parameter given as a formula, with its bounds and rounding; its unit must be the one wanted."""
    lowered = arith(ctx, f.expr)
    if lowered is None:
        return None
    node, unit = lowered
    kind = "ratio" if want is Kind.RATIO else "money"
    if unit != kind:
        ctx.report(error("E005", f"{what} 应为{_SHOWN[kind]}，这个表达式得到的是{_SHOWN[unit]}", f.span))
        return None
    lower = quantity(ctx, f.lower, want, f"{what}下限") if f.lower else None
    upper = quantity(ctx, f.upper, want, f"{what}上限") if f.upper else None
    if (f.lower and lower is None) or (f.upper and upper is None):
        return None
    if lower is not None and upper is not None and lower > upper:
        ctx.report(error("E029", f"{what} 的最低值高于最高值", f.span))
        return None
    if f.round_to is not None and kind == "ratio":
        ctx.report(error("E048", "比例不取整；取整到分/元 只用于金额", f.span))
        return None
    return ir.Formula(node, kind, None if lower is None else Fraction(lower),
                      None if upper is None else Fraction(upper), f.round_to, f.round_mode, arith_text(node))
