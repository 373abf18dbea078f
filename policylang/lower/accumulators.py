"""Named accumulators (累计): their declarations, the limits that count in them, and the checks that make
a running total shared across schemes and layers mean one thing.

A limit (起付线, 封顶线, 费用限额) keeps its own private total unless it writes `计入 名称`; then every
limit naming the same 累计 adds to one total per person and scope key. One total counts one kind of amount
(E080) in one scope (E079), and a period total is shared only by schemes with the same period (E079).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.ir.claims import PERSON_FIELDS
from policylang.lower.context import FIRST_DEFINED, Context, Definitions
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast

LIMIT_KINDS = ("起付线", "封顶线", "费用限额")
ABOVE_CAP = "超过上一层封顶线的部分"
_DECLARED = "累计声明在此 (accumulator declared here)"


def declarations(ctx: Context, defs: Definitions, items: Iterable[object]) -> dict[str, ast.Accumulator]:
    """累计 statements of the region, each declared once, their key field known."""
    out: dict[str, ast.Accumulator] = {}
    for item in items:
        if not isinstance(item, ast.Accumulator):
            continue
        if not defs.once(("累计", item.name.text), f"累计“{item.name.text}”", item.name.span):
            continue
        if item.by is not None and not key_field_known(ctx, item.by):
            continue
        out[item.name.text] = item
    return out


def key_field_known(ctx: Context, by: ast.Name) -> bool:
    """按 孕期号: the field whose value keys a total must be declared (a 字段 or an enumeration); E082."""
    if by.text in ctx.fields or by.text in ctx.index.enums:
        return True
    known = sorted([*ctx.fields, *ctx.index.enums])
    ctx.report(error("E082", f"“{by.text}”不是已声明的字段，不能按它累计", by.span, did_you_mean(by.text, known)))
    return False


def limit_target(ctx: Context, stmt: ast.TableStmt) -> tuple[str | None, str | None] | None:
    """The scope a limit counts in and the name of its 累计 (None: private); None when it is wrong (reported).

    A named limit may leave its scope out (it is the declaration's) or repeat it; another scope is E079."""
    if stmt.by is not None and not key_field_known(ctx, stmt.by):
        return None
    if stmt.counts_in is None:
        return stmt.scope, None
    name = stmt.counts_in
    decl = ctx.accumulators.get(name.text)
    if decl is None:
        ctx.report(error("E078", f"没有名为“{name.text}”的累计", name.span,
                         did_you_mean(name.text, sorted(ctx.accumulators)) or f"先在顶层写 累计 {name.text} 年度"))
        return None
    declared = decl.scope or "年度"
    if stmt.scope is not None and stmt.scope != declared:
        ctx.report(error("E079", f"{stmt.kind}按“{stmt.scope}”计算，但累计“{name.text}”按“{declared}”计算",
                         stmt.span, related=((_DECLARED, decl.span),)))
        return None
    if stmt.shared:
        ctx.report(error("E079", f"转诊只计一次 的起付线不能计入共用的累计“{name.text}”", stmt.span,
                         related=((_DECLARED, decl.span),)))
        return None
    return declared, name.text


def sharing(stmt_sharing: str | None) -> bool | None:
    """各自累计 → separate totals per cell; 合并累计 → one total; unsaid → None (one total, as before)."""
    return {"各自累计": True, "合并累计": False}.get(stmt_sharing or "")


def warn_unsaid_sharing(ctx: Context, owner: str, cap: ir.Cap, span: object) -> None:
    """W114: a cap table counted over more than one claim, with several cells keyed by a field that can differ
    between one person's claims (就医类型, 医院等级), that says neither 各自累计 nor 合并累计."""
    if cap.separate is not None or cap.scope is ir.Scope.VISIT or cap.counts_in is not None:
        return
    for version in cap.param.versions:
        keyed = [c for c in version.table.cells if c.keys]
        fields = {f for c in keyed for f, _ in c.keys}
        if len(keyed) > 1 and fields - set(PERSON_FIELDS):
            ctx.report(warning("W114", f"{owner} 的封顶线按{'、'.join(sorted(fields))}分别列出，未说明各项共用一个累计"
                                       "还是各自累计（按共用计算）", version.origin or span))  # type: ignore[arg-type]
            return


def check_bases(ctx: Context, scheme: str, layers: list[ir.Layer], spans: Mapping[str, object]) -> None:
    """E081: a layer on the spending above the previous layer's cap needs a previous layer paying by ratio or
    brackets under a cap."""
    for i, lay in enumerate(layers):
        if not lay.above_cap:
            continue
        before = layers[i - 1] if i else None
        if before is None or not before.caps or (before.ratio is None and before.brackets is None):
            what = "它是第一层" if before is None else f"上一层“{before.name}”没有封顶线或不按比例、分段支付"
            ctx.report(error("E081", f"{scheme}/{lay.name} 写了 基数 {ABOVE_CAP}，但{what}",
                             spans.get(lay.name, lay.origin)))  # type: ignore[arg-type]


def _uses(schemes: Iterable[ir.Scheme]) -> Iterable[tuple[ir.Scheme, str, str, object, object]]:
    """(scheme, accumulator name, kind, span, limit) for every limit that counts in a named total."""
    for s in schemes:
        for lay in s.layers:
            limits: list[tuple[str, object]] = [("起付线", lay.deductible), ("费用限额", lay.fee_limit)]
            limits += [("封顶线", c) for c in lay.caps]
            for kind, limit in limits:
                name = getattr(limit, "counts_in", None)
                if name:
                    yield s, name, kind, limit.param.versions[0].origin, limit  # type: ignore[union-attr]


def _named_in(items: Iterable[object]) -> set[str]:
    """Every 累计 name a limit statement writes (counted as a use even when the statement had an error)."""
    out = set()
    for item in items:
        if isinstance(item, ast.TableStmt) and item.counts_in is not None:
            out.add(item.counts_in.text)
        elif isinstance(item, ast.Scheme | ast.Layer):
            out |= _named_in(item.body)
    return out


def finish(ctx: Context, decls: Mapping[str, ast.Accumulator], schemes: Iterable[ir.Scheme],
           items: Iterable[object] = ()) -> tuple[ir.Accumulator, ...]:
    """The region's accumulators with what they count and their period; E079/E080 across schemes, W115."""
    schemes = list(schemes)
    first: dict[str, tuple[ir.Scheme, str, object, object]] = {}
    for s, name, kind, span, limit in _uses(schemes):
        seen = first.setdefault(name, (s, kind, span, limit))
        related = ((FIRST_DEFINED, seen[2]),) if seen[2] else ()
        if seen[1] != kind:
            ctx.report(error("E080", f"累计“{name}”已用于{seen[1]}，又用于{kind}", span, related=related))  # type: ignore[arg-type]
        elif seen[0].period != s.period and (decls[name].scope or "年度") == "年度":
            ctx.report(error("E079", f"累计“{name}”按年度共用，但方案“{seen[0].name}”与“{s.name}”的周期不同",
                             span, related=related))  # type: ignore[arg-type]
    out = []
    written = _named_in(items)
    for name, decl in decls.items():
        if name not in first:
            if name in written:
                continue
            ctx.report(warning("W115", f"累计“{name}”没有被任何起付线、封顶线或费用限额使用", decl.name.span))
            continue
        s, kind, _, limit = first[name]  # every use has the declared scope (limit_target), so the first says it
        out.append(ir.Accumulator(name, limit.scope, kind, limit.by, getattr(limit, "stay_days", None),  # type: ignore[attr-defined]
                                  s.period, decl.span))
    return tuple(out)


def with_accumulators(ctx: Context, decls: Mapping[str, ast.Accumulator]) -> Context:
    return attrs.evolve(ctx, accumulators=dict(decls))


__all__ = ["ABOVE_CAP", "LIMIT_KINDS", "check_bases", "declarations", "finish", "key_field_known", "limit_target",
           "sharing", "warn_unsaid_sharing", "with_accumulators"]
