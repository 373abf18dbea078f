"""Lowering of what other funds already paid (扣除已付), the date that picks a version (版本 按) and the checks
on personal-account parts: statements that refine a layer or a scheme without changing how it is built."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.lower.context import Context, Definitions
from policylang.lower.values import ratio_value
from policylang.source import Span
from policylang.syntax import ast

# Parts of the person's share that 政策范围内个人自付 already holds: naming both counts nothing twice (the account
# never pays more than the share) but says the same thing twice. (个人自付 beside its parts is an older habit of
# scripts — 个人自付 wins — and stays silent.)
_INSIDE = {"政策范围内个人自付": ("起付线", "乙类先行自付", "先行自付")}


def with_already_paid(ctx: Context, body: Iterable[object], lowered: ir.Layer | None) -> ir.Layer | None:
    """The layer with its 扣除已付 fields (each a declared 金额 field, E084; one statement per layer, E008)."""
    stmts = [st for st in body if isinstance(st, ast.DeductPaid)]
    if not stmts:
        return lowered
    local = Definitions(ctx.sink)
    fields: list[str] = []
    for stmt in stmts:
        if not local.once(("扣除已付",), "扣除已付", stmt.span):
            continue
        for name in stmt.fields:
            fdef = ctx.fields.get(name.text)
            if fdef is None or fdef.type != "金额":
                ctx.report(error("E084", f"扣除已付 之后应为金额字段，“{name.text}”不是", name.span,
                                 f"先声明：字段 {name.text} 金额 默认 0 元"))
            elif fdef.name in fields:
                ctx.report(error("E085", f"“{name.text}”在同一层扣除了两次", name.span))
            else:
                fields.append(fdef.name)
    if lowered is None or not fields:
        return lowered
    return attrs.evolve(lowered, already_paid=ir.AlreadyPaid(tuple(fields), stmts[0].span))


def paid_once_per_scheme(ctx: Context, layers: Iterable[ir.Layer]) -> None:
    """E085: an amount another fund paid is deducted once; a later layer already works on what is left."""
    seen: dict[str, tuple[str, Span | None]] = {}
    for layer in layers:
        if layer.already_paid is None:
            continue
        for name in layer.already_paid.fields:
            if name in seen:
                first, where = seen[name]
                related = (("首次扣除在此 (first deducted here)", where),) if where else ()
                ctx.report(error("E085", f"“{name}”已在【{first}】扣除，【{layer.name}】不能再扣除一次",
                                 layer.already_paid.origin, "后面的层本来就在扣除之后剩下的金额上计算，删去这一处",
                                 related))
            else:
                seen[name] = (layer.name, layer.already_paid.origin)


def version_by(ctx: Context, scheme: str, body: Iterable[object]) -> str | None:
    """版本 按 出院日期: a declared 日期 field (E086), written once per scheme (E008)."""
    local = Definitions(ctx.sink)
    found = None
    for stmt in body:
        if not isinstance(stmt, ast.VersionBy) or not local.once((scheme, "版本"), "版本 按", stmt.span):
            continue
        fdef = ctx.fields.get(stmt.field.text)
        if fdef is None or fdef.type != "日期":
            ctx.report(error("E086", f"版本 按 之后应为日期字段（如 出院日期），“{stmt.field.text}”不是",
                             stmt.field.span, "写 版本 按 入院日期 或 版本 按 出院日期，字段须为 日期 类型"))
        else:
            found = fdef.name
    return found


def account_overlap(ctx: Context, parts: Iterable[ast.Name]) -> None:
    """W116: a part named beside a wider part that already holds it (个人自付 holds everything)."""
    named = {p.text: p for p in parts}
    for wide, inside in _INSIDE.items():
        if wide not in named:
            continue
        for part in inside:
            if part in named:
                ctx.report(warning("W116", f"个人账户支付的“{part}”已包含在“{wide}”中", named[part].span,
                                   f"只写 {wide}，或只列出要账户支付的那几部分"))


def topup(ctx: Context, stmt: ast.TopUp) -> ir.YearTopUp | None:
    """年度补助 超过 政策范围内费用 20% 的部分 50%: the total is 政策范围内费用 or 费用 (E087)."""
    threshold = ratio_value(ctx, stmt.threshold, "年度补助的门槛比例")
    ratio = ratio_value(ctx, stmt.ratio, "年度补助比例")
    if stmt.over.text not in ir.TOPUP_TOTALS:
        ctx.report(error("E087", f"年度补助 超过 之后应为 {' 或 '.join(ir.TOPUP_TOTALS)}，“{stmt.over.text}”不是",
                         stmt.over.span, "写 年度补助 超过 政策范围内费用 20% 的部分 50%"))
        return None
    if threshold is None or ratio is None:
        return None
    return ir.YearTopUp(stmt.over.text, threshold, ratio, stmt.span)


def with_topup(ctx: Context, found: ir.YearTopUp | None, lowered: ir.Layer | None) -> ir.Layer | None:
    """The layer with its 年度补助; such a layer pays on the period's totals alone (no deductible, cap or fee limit
    of its own: E087)."""
    if found is None or lowered is None:
        return lowered
    limits = [w for w, x in (("起付线", lowered.deductible), ("封顶线", lowered.caps), ("费用限额", lowered.fee_limit)) if x]
    if limits:
        ctx.report(error("E087", f"年度补助的层不能有{'、'.join(limits)}", found.origin,
                         "年度补助按全年累计数计算；把起付线、封顶线写在前面的层里"))
        return None
    return attrs.evolve(lowered, topup=found)


def topup_last(ctx: Context, layers: Iterable[ir.Layer]) -> None:
    """E087: a 年度补助 may take back what it advanced, so no later layer may work on what it leaves."""
    layers = list(layers)
    for layer in layers[:-1]:
        if layer.topup is not None:
            ctx.report(error("E087", f"年度补助【{layer.name}】应是方案的最后一层", layer.topup.origin,
                             "把年度补助的层移到方案的最后"))


__all__ = ["account_overlap", "paid_once_per_scheme", "topup", "topup_last", "version_by", "with_already_paid",
           "with_topup"]
