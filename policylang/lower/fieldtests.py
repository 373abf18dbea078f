"""Lowering of typed conditions (年龄 >= 60 岁, 参加工作日期 早于 1995-01-01): each is a 要求 comparison of a
field with a constant, lowered by lower.rules so units are checked one way (a date with a date, an age with
岁, money with 元); and the check that two range keys of one table cannot both be the most specific cell."""

from __future__ import annotations

import re

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.ir.values import CompareOp, magnitude
from policylang.lower.context import Context
from policylang.lower.rules import comparison
from policylang.source import Span
from policylang.syntax import ast

_OVERLAPPED = "与这一行重叠 (overlaps this row)"


def field_test(ctx: Context, t: ast.FieldTest) -> ir.FieldTest | None:
    """A typed condition as IR; wrong fields, units and operators are reported (E015, E004, E025, E046)."""
    lowered = comparison(ctx, t.comparison)  # an enumeration compared with a number or a date is E025 there
    if lowered is None:
        return None
    fdef = ctx.fields.get(t.field.text)
    return ir.FieldTest(lowered, t.span, bool(fdef and fdef.optional))


def glued_brackets(ctx: Context, name: str, span: Span) -> None:
    """W117: a scheme or layer named 职工（在职） where 在职 is an enumeration value — brackets glued to a name are
    part of it, so the officer probably meant the conditions 方案 职工 (在职), which need the space."""
    for inner in re.findall(r"（([^（）]+)）", name):
        if inner in ctx.index.owners:
            outer = name.split("（", 1)[0]
            ctx.report(warning("W117", f"名称“{name}”中的（{inner}）是名称的一部分，不是适用条件", span,
                               f"若要只适用于{inner}，在括号前加空格：{outer} ({inner})"))


# ---- tables keyed by ranges ----------------------------------------------------------------------
Bound = tuple[object, bool] | None  # (value, inclusive); None: open


def _interval(tests: list[ir.FieldTest]) -> tuple[Bound, Bound] | None:
    """The values of one field that every test admits, as (lower, upper); None when a test is != (not one
    interval: two such rows are taken to overlap)."""
    lower: Bound = None
    upper: Bound = None
    for t in tests:
        v = magnitude(t.constant)
        if t.op is CompareOp.NE:
            return None
        if t.op in (CompareOp.GE, CompareOp.GT, CompareOp.EQ):
            new = (v, t.op is not CompareOp.GT)
            if lower is None or new[0] > lower[0] or (new[0] == lower[0] and not new[1]):  # type: ignore[operator]
                lower = new
        if t.op in (CompareOp.LE, CompareOp.LT, CompareOp.EQ):
            new = (v, t.op is not CompareOp.LT)
            if upper is None or new[0] < upper[0] or (new[0] == upper[0] and not new[1]):  # type: ignore[operator]
                upper = new
    return lower, upper


def _meet(a: tuple[Bound, Bound] | None, b: tuple[Bound, Bound] | None) -> bool:
    """Whether two intervals share a value."""
    if a is None or b is None:
        return True
    lows = [x for x in (a[0], b[0]) if x is not None]
    highs = [x for x in (a[1], b[1]) if x is not None]
    if not lows or not highs:
        return True
    low = max(lows, key=lambda x: (x[0], not x[1]))
    high = min(highs, key=lambda x: (x[0], x[1]))
    if low[0] < high[0]:  # type: ignore[operator]
        return True
    return low[0] == high[0] and low[1] and high[1]


def _ranges(cell: ir.Cell) -> dict[str, tuple[Bound, Bound] | None]:
    fields: dict[str, list[ir.FieldTest]] = {}
    for t in cell.tests:
        fields.setdefault(t.field, []).append(t)
    return {f: _interval(ts) for f, ts in fields.items()}


def overlapping_ranges(ctx: Context, cells: list[ir.Cell], spans: list[Span]) -> None:
    """E090: two cells with the same enumeration keys and range keys on the same fields that one claim can
    meet both — neither would be the most specific, so the table would not say which applies."""
    for i, a in enumerate(cells):
        if not a.tests:
            continue
        ra = _ranges(a)
        for b, span in zip(cells[i + 1:], spans[i + 1:], strict=True):
            if sorted(b.keys) != sorted(a.keys) or not b.tests:
                continue
            rb = _ranges(b)
            if ra.keys() == rb.keys() and all(_meet(ra[f], rb[f]) for f in ra):
                ctx.report(error("E090", f"表中两行的条件重叠：{a.label()}；{b.label()}", span,
                                 related=((_OVERLAPPED, spans[i]),)))


__all__ = ["field_test", "glued_brackets", "overlapping_ranges"]
