"""Lowering of 方案: its period, layers, catalogue rules, eligibility and personal account."""

from __future__ import annotations

import datetime as dt

import attrs

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.claims import CLASSES
from policylang.ir.units import Kind
from policylang.ir.values import ZERO
from policylang.lower.accumulators import check_bases
from policylang.lower.conditions import conditions, conditions_of_keys
from policylang.lower.context import Context, Definitions
from policylang.lower.fieldtests import glued_brackets
from policylang.lower.layer import LayerHead, layer
from policylang.lower.paid import account_overlap, paid_once_per_scheme, topup_last, version_by
from policylang.lower.require import requirement
from policylang.lower.tables import count_rules, keyed_table
from policylang.lower.values import ratio_value, validity
from policylang.source import Span
from policylang.syntax import ast

BASE_LAYER = "基本医保"
# Statements that belong to the scheme itself; everything else is its base layer's.
_SCHEME_STATEMENTS = (ast.Period, ast.Layer, ast.Exclude, ast.FirstPay, ast.Require, ast.AccountPay,
                      ast.AccountAlloc)
_SCHEME_STATEMENTS += (ast.VersionBy,)


def scheme(ctx: Context, defs: Definitions, s: ast.Scheme, region_start: dt.date | None,
           region_end: dt.date | None) -> ir.Scheme | None:
    """A scheme; its own statements are read in order, the rest form its base layer (基本医保)."""
    if not defs.once(("方案", s.name), f"方案“{s.name}”", s.name_span):
        return None
    local = Definitions(ctx.sink)  # periods, layers and tables are defined once within the scheme
    when = conditions(ctx, s.when)
    glued_brackets(ctx, s.name, s.name_span)
    start, end = validity(ctx, s.validity)
    period, period_stated = ir.Period(), False
    account_parts: list[str] | None = None
    account_origin: Span | None = None
    allocation: ir.Table | None = None
    exclusions, shares, first_pays, requirements = [], [], [], []
    for stmt in s.body:
        match stmt:
            case ast.Period():
                if local.once((s.name, "周期"), "周期", stmt.span):
                    period, period_stated = _period(ctx, stmt), True
            case ast.Exclude():
                exclusions += [ir.Exclusion(n.text, n.span) for n in stmt.names]
            case ast.FirstPay():
                fp = first_pay(ctx, stmt)
                if isinstance(fp, ir.ClassShare):
                    shares.append(fp)
                elif fp is not None:
                    first_pays.append(fp)
            case ast.Require():
                if req := requirement(ctx, stmt):
                    requirements.append(req)
            case ast.AccountPay():
                if local.once((s.name, "个人账户支付"), "个人账户 支付", stmt.span):
                    account_parts, account_origin = _account_parts(ctx, stmt), stmt.span
            case ast.AccountAlloc():
                if local.once((s.name, "个人账户划入"), "个人账户 年度划入", stmt.span):
                    version = keyed_table(ctx, local, s.name, "账户划入", stmt.entries, stmt.span)
                    allocation = version.table if version else None
    layers = _layers(ctx, local, s)
    base_items = [st for st in s.body if not isinstance(st, _SCHEME_STATEMENTS)]
    notes = tuple(i.text for i in base_items if isinstance(i, ast.Note))
    _counters_need_period(ctx, s, period_stated)
    account = None
    if account_parts is not None:
        account = ir.Account(tuple(account_parts), allocation, account_origin)
    elif allocation is not None:
        account = ir.Account(("个人自付",), allocation, s.span)
    paid_once_per_scheme(ctx, layers)
    topup_last(ctx, layers)
    return attrs.evolve(ir.Scheme(
        s.name, when, period, tuple(layers), ir.Catalogue(tuple(exclusions), tuple(shares)),
        tuple(first_pays), tuple(requirements), start or region_start, end or region_end, notes, s.span,
        account), version_by=version_by(ctx, s.name, s.body))


def _layers(ctx: Context, local: Definitions, s: ast.Scheme) -> list[ir.Layer]:
    """The base layer (statements outside any 层, if there are any or no 层 at all), then each 层."""
    base_items = tuple(st for st in s.body if not isinstance(st, _SCHEME_STATEMENTS))
    layers = [st for st in s.body if isinstance(st, ast.Layer)]
    out = []
    if any(not isinstance(i, ast.Note) for i in base_items) or not layers:
        base = layer(ctx, local, LayerHead(s.name, BASE_LAYER, (), s.name_span, s.span), base_items)
        if base:
            out.append(base)
    for stmt in layers:
        local.once((s.name, "层", stmt.name), f"层“{stmt.name}”", stmt.name_span)
        head = LayerHead(s.name, stmt.name, conditions(ctx, stmt.when), stmt.name_span, stmt.span)
        glued_brackets(ctx, stmt.name, stmt.name_span)
        if lowered := layer(ctx, local, head, stmt.body):
            out.append(lowered)
    bases = {st.name: b.span for st in layers for b in st.body if isinstance(b, ast.LayerBase)}
    check_bases(ctx, s.name, out, bases)
    return out


def _counters_need_period(ctx: Context, s: ast.Scheme, stated: bool) -> None:
    """E032: 第 n 次 counts within a period, so the scheme must say which."""
    if stated:
        return

    def counting(stmts: tuple[object, ...]) -> list[Span]:
        found = []
        for st in stmts:
            if isinstance(st, ast.DeductibleCount | ast.DeductibleStep | ast.Once | ast.DeductibleCompound | ast.TopUp) or (
                    isinstance(st, ast.FirstPay) and st.counts):
                found.append(st.span)
            elif isinstance(st, ast.Layer):
                found += counting(st.body)
        return found

    for span in counting(s.body):
        ctx.report(error("E032", "按次数或累计计算的规则需要周期：方案没有写 周期", span,
                         "在方案开头写 周期 自然年度（或 周期 社保年度 自 7 月起）"))


def _account_parts(ctx: Context, stmt: ast.AccountPay) -> list[str]:
    account_overlap(ctx, stmt.parts)
    out = []
    for part in stmt.parts:
        if part.text not in ir.ACCOUNT_PARTS:
            ctx.report(error("E039", f"个人账户不能支付“{part.text}”", part.span,
                             f"可支付：{'、'.join(ir.ACCOUNT_PARTS)}"))
        else:
            out.append(part.text)
    return out


def _period(ctx: Context, p: ast.Period) -> ir.Period:
    """周期 自然年度 / 社保年度 自 7 月起, optionally 按 a date field (出院日期)."""
    by = None
    if p.by is not None:
        fdef = ctx.fields.get(p.by.text)
        if fdef is None or fdef.type != "日期":
            ctx.report(error("E049", f"周期 按 之后应为日期字段（如 出院日期），“{p.by.text}”不是", p.by.span))
        else:
            by = fdef.name
    if p.start_month is None:
        return ir.Period(by=by)
    month = p.start_month.number
    if month != month.to_integral_value() or not 1 <= month <= 12:
        ctx.report(error("E022", f"社保年度的起始月 {month} 不在 1–12 之间", p.start_month.span))
        return ir.Period("社保年度", 1)
    return ir.Period("社保年度", int(month), by)


def first_pay(ctx: Context, stmt: ast.FirstPay) -> ir.FirstSelfPay | ir.ClassShare | None:
    """先行自付: a share of a catalogue class, or of everything for some people (异地 10%)."""
    counts = count_rules(ctx, stmt.counts, Kind.RATIO, "先行自付") if stmt.counts else []
    if stmt.share is None:
        conds = conditions_of_keys(ctx, stmt.keys)
        overrides = [p for n in stmt.overrides if (p := ctx.index.value(n, ctx.report))]
        start, end = validity(ctx, stmt.validity)
        if conds is None or not counts or len(overrides) != len(stmt.overrides):
            return None
        return ir.FirstSelfPay(conds, ZERO, tuple(overrides), start, end, stmt.span, tuple(counts))
    share = ratio_value(ctx, stmt.share, "先行自付")
    start, end = validity(ctx, stmt.validity)
    names = [n.text for k in stmt.keys for n in k.values]
    if len(names) == 1 and names[0] in CLASSES:
        return None if share is None else ir.ClassShare(names[0], share, stmt.span)
    conds = conditions_of_keys(ctx, stmt.keys)
    overrides = [p for n in stmt.overrides if (p := ctx.index.value(n, ctx.report))]
    if conds is None or share is None or len(overrides) != len(stmt.overrides):
        return None
    return ir.FirstSelfPay(conds, share, tuple(overrides), start, end, stmt.span)
