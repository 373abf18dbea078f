"""The public page's sentences for named accumulators, sub-limits, 各自累计 tables, per-field scopes and a
layer on the spending above the previous cap: plain Chinese, no internal names beyond what the officer wrote."""

from __future__ import annotations

from policylang import ir
from policylang.docs.blocks import Paragraph
from policylang.ir.wording import field_thing, money_cn, scope_cn

_PER = {ir.Scope.PERIOD: "每年", ir.Scope.ADMISSION: "每次住院", ir.Scope.DAY: "每日", ir.Scope.VISIT: "每次"}


def per_cn(scope: ir.Scope, by: str | None = None, stay_days: ir.Days | None = None) -> str:
    """每年 / 每次住院 / 每个孕期: how a citizen reads the span a limit counts over."""
    if scope is ir.Scope.FIELD:
        return f"每个{field_thing(by or '')}"
    return _PER.get(scope) or scope_cn(scope, stay_days)


def _limits(layer: ir.Layer) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("封顶线", c) for c in layer.caps]
    return out + [(k, v) for k, v in (("起付线", layer.deductible), ("费用限额", layer.fee_limit)) if v is not None]


def _amount(limit: object) -> str | None:
    """The limit's one amount when every cell of every version says the same, else None."""
    values = {cell.value for v in limit.param.versions for cell in v.table.cells}  # type: ignore[attr-defined]
    value = next(iter(values)) if len(values) == 1 else None
    return money_cn(value) if isinstance(value, ir.Money) else None


def _owner(scheme: ir.Scheme, layer: ir.Layer) -> str:
    return scheme.name if len(scheme.layers) == 1 or layer is scheme.layers[0] else f"{scheme.name}{layer.name}"


def _sharers(policy: ir.Policy, name: str) -> str:
    """Who shares a total, as a citizen reads it: 住院、门诊慢性病的医疗救助 (one layer in several schemes), or
    the schemes (and layers) one by one."""
    users = [(s, lay) for s in policy.schemes for lay in s.layers
             if any(getattr(lim, "counts_in", None) == name for _, lim in _limits(lay))]
    layers = {lay.name for _, lay in users}
    schemes = list(dict.fromkeys(s.name for s, _ in users))
    if len(layers) == 1 and all(lay is not s.layers[0] for s, lay in users):
        return f"{'、'.join(schemes)}的{layers.pop()}"
    return "、".join(dict.fromkeys(_owner(s, lay) for s, lay in users))


def _shared_sentence(policy: ir.Policy, kind: str, limit: object) -> str:
    name = limit.counts_in  # type: ignore[attr-defined]
    who = _sharers(policy, name)
    per = per_cn(limit.scope, limit.by)  # type: ignore[attr-defined]
    amount = _amount(limit)
    if kind == "封顶线":
        most = f"最高{amount}" if amount else "按本层的封顶线计算"
        return f"{who}合计{per}{most}：在其中任何一处已支付的金额，都计入这个合计。"
    if kind == "起付线":
        line = f"起付线{amount}" if amount else "起付线"
        return f"{who}合计{per}只负担一次{line}：在其中一处已负担的起付线，在其他处不再重复负担。"
    return f"{who}合计{per}只有前{amount or '限额以内的'}费用进入计算。"


def _per_field_sentence(kind: str, by: str) -> str:
    """封顶线按孕期分别计算: the field's name explained by what it labels (孕期号 is written on each claim)."""
    thing = field_thing(by)
    same = f"登记为同一{thing}（就诊时填写的{by}相同）" if thing != by else f"{by}相同"
    return f"{kind}按{thing}分别计算：{same}的就诊合计计算（跨年度也不重新计算），不同{thing}各自计算。"


def accumulator_blocks(layer: ir.Layer, policy: ir.Policy | None) -> list[Paragraph]:
    """Sentences the layer's limits need beyond their tables: a total shared with other schemes or layers, a cap
    table whose cells count apart or together, a total per value of a claim field, a base above the cap."""
    out = []
    if layer.above_cap:
        out.append(Paragraph("本层只支付上一层封顶线以上的费用：上一层因达到封顶线而没有支付的那部分费用，"
                             "进入本层按本层的比例支付；上一层封顶线以内、个人按比例负担的部分不进入本层。"))
    for kind, limit in _limits(layer):
        if getattr(limit, "counts_in", None) and policy is not None:
            out.append(Paragraph(_shared_sentence(policy, kind, limit)))
        if getattr(limit, "scope", None) is ir.Scope.FIELD:
            out.append(Paragraph(_per_field_sentence(kind, limit.by)))  # type: ignore[attr-defined]
        separate = getattr(limit, "separate", None)
        if separate is True:
            out.append(Paragraph(f"{kind}表中各项分别计算，互不占用：在其中一项已支付的金额，不减少其他项的限额。"))
        elif separate is False:
            out.append(Paragraph(f"{kind}表中各项共用一个合计：在其中一项已支付的金额，也计入其他项的限额。"))
    return out


__all__ = ["accumulator_blocks", "per_cn"]
