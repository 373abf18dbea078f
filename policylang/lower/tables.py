"""Lowering of tables into date-versioned parameters: keyed cells, brackets (分段) and counted rules (第 n 次)."""

from __future__ import annotations

import datetime as dt

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import Kind, fmt_yuan
from policylang.ir.values import Money
from policylang.lower.conditions import keyed_cells
from policylang.lower.context import FIRST_GIVEN, OVERLAPPED, Context, Definitions, overlaps
from policylang.lower.fieldtests import overlapping_ranges
from policylang.lower.formula import formula
from policylang.lower.values import days, money_value, quantity, ratio_value, validity, value
from policylang.source import Span
from policylang.syntax import ast

_BASE_GLOSS = {"按累计费用": "on the running total", "按起付线以上部分": "on the part above the deductible"}
KIND_OF_TABLE = {"起付线": Kind.MONEY, "封顶线": Kind.MONEY, "定额": Kind.MONEY, "比例": Kind.RATIO,
                 "津贴天数": Kind.DURATION, "费用限额": Kind.MONEY, "起付线下限": Kind.MONEY}


def param(kind: str, versions: list[ir.Version]) -> ir.Param:
    """A parameter from its versions, in order of their start dates."""
    return ir.Param(kind, tuple(sorted(versions, key=lambda v: v.start or dt.date.min)))


def keyed_table(ctx: Context, defs: Definitions, owner: str, kind: str, entries: tuple[ast.Entry, ...],
                span: Span, scope: str | None = None, when: ast.Validity | None = None) -> ir.Version | None:
    """One version of a keyed table (起付线 二级 800 元, 三级 1000 元); None if it overlaps an earlier one."""
    start, end = validity(ctx, when)
    if not defs.version((owner, kind, scope), f"{scope or ''}{kind}", start, end, span):
        return None
    want = KIND_OF_TABLE.get(kind, Kind.MONEY)
    cells = []
    spans: list[Span] = []
    seen: dict[tuple, Span] = {}
    for entry in entries:
        combos = keyed_cells(ctx, entry.keys)
        written = entry.value
        if isinstance(written, ast.Formula) and written.expr.op in ("num", "ref") and not (
                written.lower or written.upper or written.round_to):
            written = written.expr.left  # (80%) is 80%: parentheses around one value change nothing
        if isinstance(written, ast.Formula):
            v = cell_formula(ctx, kind, written)
        elif kind == "津贴天数":
            v = days(ctx, written, kind) if isinstance(written, ast.Quantity) else None
        else:
            v = value(ctx, written, want, kind)  # type: ignore[arg-type]
        if v is None or combos is None:
            continue
        for keys, tests in combos:
            sig = (tuple(sorted(keys)), frozenset(tests))
            if sig in seen:
                label = ir.Cell(keys, v, tests=tests).label() or "默认值"
                ctx.report(error("E013", f"重复的表项：{label}", entry.span, related=((FIRST_GIVEN, seen[sig]),)))
                continue
            seen[sig] = entry.span
            cells.append(ir.Cell(keys, v, entry.span, tests))
            spans.append(entry.span)
    overlapping_ranges(ctx, cells, spans)
    return ir.Version(start, end, ir.Table(tuple(cells)), span)


# Tables whose cells may be computed per claim (一级 (上年度 职工平均工资 × 1%)); others hold constants.
EXPRESSION_TABLES = ("起付线", "封顶线", "定额", "比例", "津贴天数", "费用限额")


def cell_formula(ctx: Context, kind: str, f: ast.Formula) -> ir.Formula | None:
    """A cell written as an expression: a formula of the table's unit; E064 in a table of constants."""
    if kind not in EXPRESSION_TABLES:
        ctx.report(error("E064", f"{kind}的表项只能是数值，不能是算式", f.span,
                         f"算式可写在 {'、'.join(EXPRESSION_TABLES)} 的表项中；这里写出算得的数值"))
        return None
    return formula(ctx, f, KIND_OF_TABLE.get(kind, Kind.MONEY), kind)


def table_statement(ctx: Context, defs: Definitions, owner: str, stmt: ast.TableStmt,
                    scope: str | None = None) -> ir.Version | None:
    """A table statement: keyed entries, or one formula for everyone. scope: what tells its versions apart from
    another statement of the same kind when the written scope does not (封顶线 每 床日数 vs 年度 封顶线)."""
    scope = scope or stmt.scope
    # a limit counting in a named 累计 is another limit than the layer's own one of the same scope (sub-limits)
    if stmt.counts_in is not None:
        scope = f"{scope or ''}（计入{stmt.counts_in.text}）"
    if stmt.formula is None:
        return keyed_table(ctx, defs, owner, stmt.kind, stmt.entries, stmt.span, scope, stmt.validity)
    start, end = validity(ctx, stmt.validity)
    if not defs.version((owner, stmt.kind, scope), f"{scope or ''}{stmt.kind}", start, end, stmt.span):
        return None
    lowered = formula(ctx, stmt.formula, KIND_OF_TABLE.get(stmt.kind, Kind.MONEY), stmt.kind)
    cells = [ir.Cell((), lowered, stmt.formula.span)] if lowered else []
    return ir.Version(start, end, ir.Table(tuple(cells)), stmt.span)


def count_rules(ctx: Context, entries: tuple[ast.CountEntry, ...], want: Kind, what: str) -> list[ir.CountRule]:
    """第 2 次 50%, 第 3 次起 0%: values by the number of the visit within the period."""
    out = []
    for e in entries:
        v = quantity(ctx, e.value, want, what)
        if v is None:
            continue
        if e.n < 1:
            ctx.report(error("E037", f"第 {e.n} 次：次数应从 1 开始", e.span))
            continue
        out.append(ir.CountRule(e.n, e.onward, v, e.span))
    return out


def brackets(ctx: Context, owner: str, stmts: list[ast.Brackets]) -> ir.Brackets | None:
    """Every 分段 statement of a layer: one band set per key combination, versioned by validity."""
    by_validity: dict[tuple, list[ir.Cell]] = {}
    origins: dict[tuple, Span] = {}
    seen: dict[tuple, Span] = {}
    for stmt in stmts:
        start, end = validity(ctx, stmt.validity)
        combos = keyed_cells(ctx, stmt.keys)
        lowered = bands(ctx, stmt)
        if combos is None or lowered is None:
            continue
        for keys, tests in combos:
            sig = (start, end, tuple(sorted(keys)), frozenset(tests))
            cell = ir.Cell(keys, ir.BandSet(lowered), stmt.span, tests)
            if sig in seen:
                ctx.report(error("E013", f"重复的分段：{cell.label() or '默认'}", stmt.span,
                                 related=((FIRST_GIVEN, seen[sig]),)))
                continue
            seen[sig] = stmt.span
            by_validity.setdefault((start, end), []).append(cell)
            origins.setdefault((start, end), stmt.span)
    for cells in by_validity.values():
        overlapping_ranges(ctx, cells, [c.origin or stmts[0].span for c in cells])
    keys_sorted = sorted(by_validity, key=lambda k: k[0] or dt.date.min)
    for i, a in enumerate(keys_sorted):
        for b in keys_sorted[i + 1:]:
            if overlaps(*a, *b):
                ctx.report(error("E033", f"生效期重叠：{owner} 的分段有两个版本同时生效", origins[b],
                                 related=((OVERLAPPED, origins[a]),)))
    versions = [ir.Version(s, e, ir.Table(tuple(by_validity[(s, e)])), origins[(s, e)]) for s, e in keys_sorted]
    bases = {st.base for st in stmts if st.base}
    if len(bases) > 1:
        first = next(st for st in stmts if st.base)
        other = next(st for st in stmts if st.base and st.base != first.base)
        ctx.report(error("E052", f"{owner} 的分段基数不一致：{'、'.join(sorted(bases))}", other.span,
                         related=((f"这里{first.base} ({_BASE_GLOSS[first.base]})", first.span),)))
    base = "累计费用" if bases == {"按累计费用"} else "起付线以上部分"
    return ir.Brackets(ir.Param("分段", tuple(versions)), base) if versions else None


def _band(ctx: Context, b: ast.Band, previous: ir.Band | None) -> ir.Band | None:
    ratio = ratio_value(ctx, b.ratio, "分段比例")
    lower = money_value(ctx, b.lower, "分段下限") if b.lower else Money(0)
    upper = money_value(ctx, b.upper, "分段上限") if b.upper else None
    if ratio is None or lower is None or (b.upper and upper is None):
        return None
    if b.lower is None and previous is not None:
        lower = previous.upper or Money(0)  # "X 以内" after another band: from the previous bound
    return ir.Band(lower, upper, ratio, bool(b.lower_inclusive),
                   b.upper_inclusive if b.upper_inclusive is not None else True, b.span)


def bands(ctx: Context, stmt: ast.Brackets) -> tuple[ir.Band, ...] | None:
    """The bands of one 分段 statement; they must start at 0 and follow each other without gap or overlap."""
    out: list[ir.Band] = []
    ok = True
    for b in stmt.bands:
        band = _band(ctx, b, out[-1] if out else None)
        if band is None:
            ok = False
        else:
            out.append(band)
    if not ok:
        return None
    expected = Money(0)
    for band in out:
        if band.lower != expected:
            what = "重叠" if band.lower < expected else "留有空档"
            ctx.report(error("E024", f"分段{what}：这一段从 {fmt_yuan(int(band.lower))} 元开始，"
                             f"上一段到 {fmt_yuan(int(expected))} 元为止", band.origin))
            return None
        if band.upper is not None and band.upper <= band.lower:
            ctx.report(error("E024", "分段上限不大于下限", band.origin))
            return None
        if band.upper is None and band is not out[-1]:
            ctx.report(error("E024", "无上限的分段之后还有分段", band.origin))
            return None
        expected = band.upper if band.upper is not None else expected
    return tuple(out)
