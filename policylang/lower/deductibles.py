"""Lowering of a deductible's bounds and compounding reduction, and of what a fee limit counts from.

Where a bound is written says what it bounds: on the table line (起付线 一级 …, 最低 …) it bounds the table's
amount, dated like the table; on the 第 n 次 or 逐次 line it bounds the reduced deductible of the admissions
that line reduces. The order of the steps is fixed and documented (docs/reference.rst, 起付线的界限与逐次减免).
"""

from __future__ import annotations

import attrs

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.ir.values import Money
from policylang.lower.context import Context, Definitions
from policylang.lower.tables import keyed_table, param
from policylang.lower.values import ratio_value, validity
from policylang.source import Span
from policylang.syntax import ast

FEE_LIMIT_BASES = {"按累计费用": "累计费用", "按起付线以上部分": "起付线以上部分"}


@attrs.define
class DeductibleExtras:
    """What a layer's 起付线 lines add to the deductible beyond its table, counts and step."""

    compound: ir.Compound | None = None
    lower: ir.Table | None = None  # bounds of the reduced deductible (第 n 次 / 逐次 line)
    upper: ir.Table | None = None
    reduction_span: Span | None = None  # the line the reduction bounds were written on
    base_lower: list[ir.Version] = attrs.Factory(list)  # bounds of the table's amount, by the table's dates
    base_upper: list[ir.Version] = attrs.Factory(list)
    base_spans: list[Span] = attrs.Factory(list)
    fee_bases: list[tuple[str, Span]] = attrs.Factory(list)


def _bound_tables(ctx: Context, defs: Definitions, owner: str, line: str, bounds: ast.DeductibleBounds,
                  when: ast.Validity | None) -> tuple[ir.Version | None, ir.Version | None]:
    """The 最低 and 最高 tables of one line (keys like any table; one amount without keys)."""
    lower = keyed_table(ctx, defs, owner, f"{line}最低", bounds.lower, bounds.span, when=when) if bounds.lower else None
    upper = keyed_table(ctx, defs, owner, f"{line}最高", bounds.upper, bounds.span, when=when) if bounds.upper else None
    if lower is not None and upper is not None:
        _check_order(ctx, lower.table, upper.table, bounds.span)
    return lower, upper


def _may_meet(a: ir.Cell, b: ir.Cell) -> bool:
    """Whether some facts match both cells (no field keyed to two different values)."""
    keys = dict(a.keys)
    return all(keys.get(f, v) == v for f, v in b.keys)


def _check_order(ctx: Context, lower: ir.Table, upper: ir.Table, span: Span) -> None:
    """E070: a floor above the ceiling it meets."""
    for lo in lower.cells:
        for hi in upper.cells:
            if isinstance(lo.value, Money) and isinstance(hi.value, Money) and _may_meet(lo, hi) \
                    and lo.value > hi.value:
                where = f"（{lo.label() or hi.label()}）" if lo.keys or hi.keys else ""
                ctx.report(error("E070", f"起付线的最低 {lo.value} 高于最高 {hi.value}{where}", lo.origin or span))
                return


def table_bounds(ctx: Context, defs: Definitions, owner: str, stmt: ast.TableStmt, version: ir.Version,
                 extras: DeductibleExtras) -> None:
    """最低 / 最高 on a table line: versions dated like the table version they were written with."""
    if stmt.bounds is None:
        return
    lower, upper = _bound_tables(ctx, defs, owner, f"{stmt.scope or ''}起付线", stmt.bounds, stmt.validity)
    if lower is not None:
        extras.base_lower.append(lower)
    if upper is not None:
        extras.base_upper.append(upper)
    extras.base_spans.append(stmt.bounds.span)
    if version.table.cells and all(isinstance(c.value, Money) for c in version.table.cells):
        ctx.report(warning("W112", "起付线表中都是固定金额，这一行的 最低/最高 只会改写表中金额或不起作用",
                           stmt.bounds.span, "要限定第 n 次住院减免后的金额，把 最低/最高 写在 第 n 次 或 逐次 那一行 "
                           "(bounds on a table of constants; bound the reduced deductible on its own line)"))


def reduction_bounds(ctx: Context, defs: Definitions, owner: str, line: str, bounds: ast.DeductibleBounds | None,
                     span: Span, extras: DeductibleExtras) -> None:
    """最低 / 最高 on a 第 n 次 or 逐次 line: bounds of the reduced deductible."""
    if bounds is None:
        return
    lower, upper = _bound_tables(ctx, defs, owner, line, bounds, None)
    extras.lower = lower.table if lower is not None else None
    extras.upper = upper.table if upper is not None else None
    extras.reduction_span = span


def compound(ctx: Context, stmt: ast.DeductibleCompound) -> ir.Compound | None:
    """逐次 80% (自 … 起): the factor from one admission to the next, and when it applies."""
    factor = ratio_value(ctx, stmt.factor, "逐次比例")
    start, end = validity(ctx, stmt.validity)
    return None if factor is None else ir.Compound(factor, stmt.span, start, end)


def finish(ctx: Context, owner: str, span: Span, deductible: ir.Deductible | None, extras: DeductibleExtras,
           counts: bool, step: bool) -> ir.Deductible | None:
    """The deductible with its bounds and compounding; E071, E042 and W112 on the whole layer."""
    if deductible is None:
        written = extras.compound or extras.reduction_span or extras.base_spans
        if written:
            what = "起付线逐次" if extras.compound else "起付线的最低/最高"
            ctx.report(error("E042", f"{owner} 写了 {what}，但没有 起付线", extras.reduction_span or span))
        return None
    if extras.compound is not None and (counts or step):
        other = "第 n 次" if counts else "每次递减"
        ctx.report(error("E071", f"{owner} 的起付线同时写了 逐次 与 {other}", extras.compound.origin))
        return deductible
    _warn_unreachable_floor(ctx, deductible, extras.lower)
    return attrs.evolve(
        deductible, compound=extras.compound, lower=extras.lower, upper=extras.upper,
        base_lower=param("起付线最低", extras.base_lower) if extras.base_lower else None,
        base_upper=param("起付线最高", extras.base_upper) if extras.base_upper else None)


def _warn_unreachable_floor(ctx: Context, deductible: ir.Deductible, lower: ir.Table | None) -> None:
    """W112: a floor of the reduced deductible at or above a fixed amount it meets: that amount is never reduced."""
    if lower is None:
        return
    for version in deductible.param.versions:
        for base in version.table.cells:
            for floor in lower.cells:
                if isinstance(base.value, Money) and isinstance(floor.value, Money) and _may_meet(base, floor) \
                        and floor.value >= base.value:
                    label = f"（{base.label()}）" if base.keys else ""
                    ctx.report(warning(
                        "W112", f"减免后的最低 {floor.value} 不低于起付线 {base.value}{label}：这一档的起付线不会减免",
                        floor.origin, "核对最低金额；最低只限制减免，不会把起付线提高到原标准以上 "
                                      "(the floor is at or above the deductible it bounds)"))
                    return


def fee_limit_base(ctx: Context, owner: str, fee_limit: ir.FeeLimit | None, deductible: ir.Deductible | None,
                   bases: list[tuple[str, Span]]) -> ir.FeeLimit | None:
    """费用限额 按累计费用 (the default) or 按起付线以上部分: E073 when its versions disagree, E072 without a 起付线."""
    if fee_limit is None or not any(base for base, _ in bases):
        return fee_limit
    stated = [(base or "按累计费用", span) for base, span in bases]  # unstated: today's default
    first_base, first_span = stated[0]
    other = next(((b, s) for b, s in stated if b != first_base), None)
    if other is not None:
        ctx.report(error("E073", f"{owner} 的费用限额基数不一致：{first_base}、{other[0]}", other[1],
                         related=((f"这里{first_base} (the other base here)", first_span),)))
        return None
    base = FEE_LIMIT_BASES[first_base]
    if base == "起付线以上部分" and deductible is None:
        ctx.report(error("E072", f"{owner} 的费用限额按起付线以上部分计，但本层没有 起付线", bases[0][1]))
        return None
    return attrs.evolve(fee_limit, base=base)


__all__ = ["FEE_LIMIT_BASES", "DeductibleExtras", "compound", "fee_limit_base", "finish", "reduction_bounds",
           "table_bounds"]
