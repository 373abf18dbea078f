"""Lowering of eligibility (要求): comparisons of fields, constants and dates, with units checked."""

from __future__ import annotations

import re
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import UNIT_KIND, Kind
from policylang.lower.conditions import cell_keys
from policylang.lower.context import Context
from policylang.lower.values import date, months_or_days, quantity, validity
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast

# Operand units: 分 (money), 月 / 天 (durations), 次, 岁, 日期, 月日, 枚举:<field>, 文字.
_FIELD_UNIT = {"金额": "分", "天数": "天", "月数": "月", "年数": "月", "次数": "次", "年龄": "岁", "日期": "日期",
               "文字": "文字"}
_BUILTIN_UNIT = {"日期": "日期", "费用": "分"}
_DURATIONS = {"月", "天"}
_SHOWN = {"分": "金额", "月": "期限（月、年）", "天": "天数", "次": "次数", "岁": "年龄", "日期": "日期", "月日": "日期",
          "文字": "文字"}


def _shown(unit: str) -> str:
    return f"枚举“{unit[3:]}”" if unit.startswith("枚举:") else _SHOWN.get(unit, unit)


def _field(ctx: Context, name: ast.Name, enum_context: str | None) -> ir.Operand | None:
    """A name in a comparison: a value of the enumeration compared with, an enumeration, or a typed field."""
    if enum_context and name.text in ctx.index.enums[enum_context].values:
        return ir.Operand("const", name.text, f"枚举:{enum_context}")
    if name.text in ctx.index.enums:
        return ir.Operand("field", name.text, f"枚举:{name.text}")
    if name.text in _BUILTIN_UNIT:
        return ir.Operand("field", name.text, _BUILTIN_UNIT[name.text])
    fdef = ctx.fields.get(name.text)
    if fdef is None:
        pool = [*ctx.index.enums, *ctx.fields, *_BUILTIN_UNIT]
        ctx.report(error("E015", f"未知字段“{name.text}”", name.span, did_you_mean(name.text, pool)))
        return None
    return ir.Operand("field", fdef.name, _FIELD_UNIT.get(fdef.type, f"枚举:{fdef.name}"))


def _constant(ctx: Context, q: ast.Quantity) -> ir.Operand | None:
    """A constant in a comparison: an amount in 分, a duration in months or days, a count or an age."""
    if q.unit is None:
        ctx.report(error("E004", f"数值 {q.number} 缺少单位", q.span))
        return None
    kind = UNIT_KIND[q.unit]
    if kind is Kind.MONEY:
        fen = quantity(ctx, q, Kind.MONEY, "金额")
        return None if fen is None else ir.Operand("const", fen, "分")
    if kind is Kind.DURATION:
        n, unit = months_or_days(q.number, q.unit)
        return ir.Operand("const", n, unit)
    if kind is Kind.RATIO:
        ctx.report(error("E047", "比较中不能使用百分比", q.span))
        return None
    return ir.Operand("const", Fraction(q.number), "次" if kind is Kind.COUNT else "岁")


def _month_day(ctx: Context, term: ast.Term) -> ir.Operand | None:
    m = re.fullmatch(r"(\d+)月(\d+)日", str(term.value))
    assert m is not None
    month, day = int(m[1]), int(m[2])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        ctx.report(error("E011", f"日期无效：{term.value}", term.span))
        return None
    return ir.Operand("month_day", (month, day), "月日")


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
        return None if d is None else ir.Operand("const", d, "日期")
    if term.kind == "month_day":
        return _month_day(ctx, term)
    name = term.value  # 次月 / 当月 <date field>
    assert isinstance(name, ast.Name)
    fdef = ctx.fields.get(name.text)
    if name.text != "日期" and (fdef is None or fdef.type != "日期"):
        ctx.report(error("E049", f"次月/当月 之后应为日期字段，“{name.text}”不是", name.span))
        return None
    return ir.Operand(term.kind, name.text, "日期")


def expr(ctx: Context, e: ast.Expr, enum_context: str | None = None) -> tuple[ir.Expr, str] | None:
    """A sum of terms of one unit (a date plus durations), and that unit."""
    ops = [(sign, operand(ctx, t, enum_context)) for sign, t in e.terms]
    if any(o is None for _, o in ops):
        return None
    first = ops[0][1]
    assert first is not None
    unit = first.unit or ""
    for sign, op in ops[1:]:
        assert op is not None
        ok = (unit == op.unit and unit in ("分", "月", "天", "次", "岁")) or (unit == "日期" and op.unit in _DURATIONS)
        if not ok:
            ctx.report(error("E025", f"不能把{_shown(op.unit or '')}与{_shown(unit)}相{'加' if sign == '+' else '减'}",
                             e.span))
            return None
    return ir.Expr(tuple((1 if s == "+" else -1, o) for s, o in ops)), unit  # type: ignore[misc]


def comparison(ctx: Context, c: ast.Comparison) -> ir.Comparison | None:
    lhs = expr(ctx, c.lhs)
    if lhs is None:
        return None
    lexpr, unit = lhs
    op = {"≥": ">=", "≤": "<=", "≠": "!="}.get(c.op, c.op)
    if isinstance(c.rhs, tuple):
        return _keyed_comparison(ctx, lexpr, unit, op, c.rhs)
    context = unit.split(":", 1)[1] if unit.startswith("枚举:") else None
    rhs = expr(ctx, c.rhs, context)
    if rhs is None:
        return None
    rexpr, runit = rhs
    compatible = runit == unit or (unit == "日期" and runit == "月日")
    if not compatible:
        ctx.report(error("E025", f"不能比较{_shown(unit)}与{_shown(runit)}", c.span))
        return None
    if unit.startswith("枚举:") and op not in ("=", "!="):
        ctx.report(error("E046", f"枚举只能用 = 或 != 比较，不能用 {c.op}", c.span))
        return None
    return ir.Comparison(lexpr, op, rexpr)


def _keyed_comparison(ctx: Context, lexpr: ir.Expr, unit: str, op: str,
                      entries: tuple[ast.Entry, ...]) -> ir.Comparison | None:
    """实际缴费年限 >= { 在职 20 年, 退休 25 年 }: the bound is looked up per person."""
    cells = []
    for entry in entries:
        combos = cell_keys(ctx, entry.keys)
        q = entry.value
        if combos is None or not isinstance(q, ast.Quantity):
            return None
        bound = _constant(ctx, q)
        if bound is None:
            return None
        if bound.unit != unit:
            ctx.report(error("E025", f"不能比较{_shown(unit)}与{_shown(bound.unit or '')}", q.span))
            return None
        cells += [ir.Cell(keys, bound.value, entry.span) for keys in combos]  # type: ignore[arg-type]
    return ir.Comparison(lexpr, op, ir.Table(tuple(cells)))


def requirement(ctx: Context, r: ast.Require) -> ir.Requirement | None:
    """要求 …，否则 "原因": a predicate with its guards and validity."""
    predicate = comparison(ctx, r.predicate)
    guards = [comparison(ctx, g) for g in r.guards]
    start, end = validity(ctx, r.validity)
    if predicate is None or any(g is None for g in guards):
        return None
    return ir.Requirement(predicate, tuple(g for g in guards if g), r.reason, start, end, r.span)
