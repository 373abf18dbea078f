"""Lowering of eligibility (要求): comparisons of fields, constants and dates, with units checked."""

from __future__ import annotations

import re

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import UNIT_KIND, Kind
from policylang.ir.values import CompareOp, Days, OperandKind, OperandUnit
from policylang.lower.context import Context
from policylang.lower.values import date, quantity
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast

U = OperandUnit
K = OperandKind
# What a comparison side is while lowering checks it: its unit, and for 枚举 the enumeration it belongs to.
Unit = tuple[OperandUnit, str | None]

_FIELD_UNIT = {"金额": U.MONEY, "天数": U.DAYS, "月数": U.MONTHS, "年数": U.MONTHS, "次数": U.COUNT, "年龄": U.AGE,
               "日期": U.DATE, "文字": U.TEXT}
_BUILTIN_UNIT = {"日期": U.DATE, "费用": U.MONEY}
_DURATIONS = {U.MONTHS, U.DAYS}
_ADDABLE = {U.MONEY, U.MONTHS, U.DAYS, U.COUNT, U.AGE}
_SHOWN = {U.MONEY: "金额", U.MONTHS: "期限（月、年）", U.DAYS: "天数", U.COUNT: "次数", U.AGE: "年龄", U.DATE: "日期",
          U.MONTH_DAY: "日期", U.TEXT: "文字"}
_CONSTANT_UNIT = {Kind.MONEY: U.MONEY, Kind.COUNT: U.COUNT, Kind.AGE: U.AGE}


def _unit(op: ir.Operand) -> Unit:
    return op.unit, op.enumeration


def _shown(unit: Unit) -> str:
    return f"枚举“{unit[1]}”" if unit[0] is U.ENUM else _SHOWN[unit[0]]


def _field(ctx: Context, name: ast.Name, enum_context: str | None) -> ir.Operand | None:
    """A name in a comparison: a value of the enumeration compared with, an enumeration, or a typed field."""
    if enum_context and name.text in ctx.index.enums[enum_context].values:
        return ir.Operand(K.CONST, name.text, U.ENUM, enum_context)
    if name.text in ctx.index.enums:
        return ir.Operand(K.FIELD, name.text, U.ENUM, name.text)
    if name.text in _BUILTIN_UNIT:
        return ir.Operand(K.FIELD, name.text, _BUILTIN_UNIT[name.text])
    fdef = ctx.fields.get(name.text)
    if fdef is None:
        pool = [*ctx.index.enums, *ctx.fields, *_BUILTIN_UNIT]
        ctx.report(error("E015", f"未知字段“{name.text}”", name.span, did_you_mean(name.text, pool)))
        return None
    if fdef.type not in _FIELD_UNIT:
        return ir.Operand(K.FIELD, fdef.name, U.ENUM, fdef.name)
    return ir.Operand(K.FIELD, fdef.name, _FIELD_UNIT[fdef.type])


def _constant(ctx: Context, q: ast.Quantity) -> ir.Operand | None:
    """A constant in a comparison: Money, a duration in Months or Days, a Count or an Age."""
    if q.unit is None:
        ctx.report(error("E004", f"数值 {q.number} 缺少单位", q.span))
        return None
    kind = UNIT_KIND[q.unit]
    if kind is Kind.RATIO:
        ctx.report(error("E047", "比较中不能使用百分比", q.span))
        return None
    what = {Kind.MONEY: "金额", Kind.DURATION: "期限", Kind.COUNT: "次数", Kind.AGE: "年龄"}[kind]
    value = quantity(ctx, q, kind, what)
    if value is None:
        return None
    unit = (U.DAYS if isinstance(value, Days) else U.MONTHS) if kind is Kind.DURATION else _CONSTANT_UNIT[kind]
    return ir.Operand(K.CONST, value, unit)


def _month_day(ctx: Context, term: ast.Term) -> ir.Operand | None:
    m = re.fullmatch(r"(\d+)月(\d+)日", str(term.value))
    assert m is not None
    month, day = int(m[1]), int(m[2])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        ctx.report(error("E011", f"日期无效：{term.value}", term.span))
        return None
    return ir.Operand(K.MONTH_DAY, (month, day), U.MONTH_DAY)


def operand(ctx: Context, term: ast.Term, enum_context: str | None = None) -> ir.Operand | None:
    """One term of a comparison, with its unit."""
    if term.kind == "field":
        assert isinstance(term.value, ast.Name)
        return _field(ctx, term.value, enum_context)
    if term.kind == "quantity":
        assert isinstance(term.value, ast.Quantity)
        return _constant(ctx, term.value)
    if term.kind == "date":
        assert isinstance(term.value, ast.DateLit)
        d = date(ctx, term.value)
        return None if d is None else ir.Operand(K.CONST, d, U.DATE)
    if term.kind == "month_day":
        return _month_day(ctx, term)
    name = term.value  # 次月 / 当月 <date field>
    assert isinstance(name, ast.Name)
    fdef = ctx.fields.get(name.text)
    if name.text != "日期" and (fdef is None or fdef.type != "日期"):
        ctx.report(error("E049", f"次月/当月 之后应为日期字段，“{name.text}”不是", name.span))
        return None
    return ir.Operand(OperandKind(term.kind), name.text, U.DATE)


def expr(ctx: Context, e: ast.Expr, enum_context: str | None = None) -> tuple[ir.Expr, Unit] | None:
    """A sum of terms of one unit (a date plus durations), and that unit."""
    ops = [(sign, operand(ctx, t, enum_context)) for sign, t in e.terms]
    if any(o is None for _, o in ops):
        return None
    first = ops[0][1]
    assert first is not None
    unit = _unit(first)
    for sign, op in ops[1:]:
        assert op is not None
        ok = (unit == _unit(op) and unit[0] in _ADDABLE) or (unit[0] is U.DATE and op.unit in _DURATIONS)
        if not ok:
            ctx.report(error("E025", f"不能把{_shown(_unit(op))}与{_shown(unit)}相{'加' if sign == '+' else '减'}",
                             e.span))
            return None
    return ir.Expr(tuple((1 if s == "+" else -1, o) for s, o in ops)), unit  # type: ignore[misc]


def compare_op(written: str) -> CompareOp:
    return CompareOp({"≥": ">=", "≤": "<=", "≠": "!="}.get(written, written))


def comparison(ctx: Context, c: ast.Comparison) -> ir.Comparison | None:
    """A comparison of two sums of one unit (a keyed standard on the right: lower.require)."""
    lhs = expr(ctx, c.lhs)
    if lhs is None:
        return None
    lexpr, unit = lhs
    op = compare_op(c.op)
    assert not isinstance(c.rhs, tuple), "a keyed standard is lowered by lower.require"
    rhs = expr(ctx, c.rhs, unit[1])
    if rhs is None:
        return None
    rexpr, runit = rhs
    compatible = runit == unit or (unit[0] is U.DATE and runit[0] is U.MONTH_DAY)
    if not compatible:
        ctx.report(error("E025", f"不能比较{_shown(unit)}与{_shown(runit)}", c.span))
        return None
    if unit[0] is U.ENUM and op not in (CompareOp.EQ, CompareOp.NE):
        ctx.report(error("E046", f"枚举只能用 = 或 != 比较，不能用 {c.op}", c.span))
        return None
    return ir.Comparison(lexpr, op, rexpr)
