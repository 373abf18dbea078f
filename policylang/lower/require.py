"""Lowering of 要求 (eligibility requirements): a comparison (lower.rules), or a bound looked up per person in a
keyed standard (实际缴费年限 >= { 在职 20 年, 退休 25 年 }), with guards and validity."""

from __future__ import annotations

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.values import CompareOp
from policylang.lower.conditions import keyed_cells
from policylang.lower.context import Context
from policylang.lower.rules import Unit, _constant, _shown, _unit, compare_op, comparison, expr
from policylang.lower.values import validity
from policylang.syntax import ast


def _predicate(ctx: Context, c: ast.Comparison) -> ir.Comparison | None:
    if not isinstance(c.rhs, tuple):
        return comparison(ctx, c)
    lhs = expr(ctx, c.lhs)
    if lhs is None:
        return None
    lexpr, unit = lhs
    return _keyed_comparison(ctx, lexpr, unit, compare_op(c.op), c.rhs)


def _keyed_comparison(ctx: Context, lexpr: ir.Expr, unit: Unit, op: CompareOp,
                      entries: tuple[ast.Entry, ...]) -> ir.Comparison | None:
    """实际缴费年限 >= { 在职 20 年, 退休 25 年 }: the bound is looked up per person."""
    cells = []
    for entry in entries:
        combos = keyed_cells(ctx, entry.keys)
        q = entry.value
        if isinstance(q, ast.Formula):
            ctx.report(error("E064", "要求中的标准只能是数值，不能是算式", q.span, "写出标准的数值，如 在职 20 年"))
            return None
        if combos is None or not isinstance(q, ast.Quantity):
            return None
        bound = _constant(ctx, q)
        if bound is None:
            return None
        if _unit(bound) != unit:
            ctx.report(error("E025", f"不能比较{_shown(unit)}与{_shown(_unit(bound))}", q.span))
            return None
        cells += [ir.Cell(keys, bound.value, entry.span, tests) for keys, tests in combos]  # type: ignore[arg-type]
    return ir.Comparison(lexpr, op, ir.Table(tuple(cells)))


def requirement(ctx: Context, r: ast.Require) -> ir.Requirement | None:
    """要求 …，否则 "原因": a predicate with its guards and validity."""
    predicate = _predicate(ctx, r.predicate)
    guards = [comparison(ctx, g) for g in r.guards]
    start, end = validity(ctx, r.validity)
    if predicate is None or any(g is None for g in guards):
        return None
    return ir.Requirement(predicate, tuple(g for g in guards if g), r.reason, start, end, r.span)
