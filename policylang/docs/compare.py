"""The comparison page: the same parameters of every region side by side, with their dates."""

from __future__ import annotations

import itertools

import attrs

from policylang import ir
from policylang.docs.blocks import Table
from policylang.docs.model import as_of, dimensions
from policylang.docs.primitives import Column, layer_parts
from policylang.ir.wording import conditions_cn, date_cn, validity_cn


@attrs.frozen
class Group:
    title: str
    table: Table


@attrs.frozen
class Comparison:
    intro: str
    groups: tuple[Group, ...]


def summarise(policy: ir.Policy, scheme: ir.Scheme, column: Column) -> str:
    """A column's values in one cell: '在职 500元；退休 400元', or one value if all rows agree."""
    day = as_of(scheme, [column], policy)
    dims = dimensions(policy, scheme, [column])
    base = {c.field: sorted(c.values)[0] for c in scheme.when}
    pairs = []
    for combo in itertools.product(*(v for _, v in dims)):
        value = column.value(base | dict(zip((f for f, _ in dims), combo, strict=True)), day)
        pairs.append(("、".join(combo), "—" if value is None else column.show(value)))
    if len({v for _, v in pairs}) == 1:
        return pairs[0][1]
    return "；".join(f"{k} {v}" for k, v in pairs)


def _group_key(scheme: ir.Scheme, layer: ir.Layer) -> str:
    """Schemes are compared by whom and what they cover (their conditions), then by layer."""
    return f"{conditions_cn(scheme.when) or '全部就诊'} · {layer.name}"


def comparison(policies: list[ir.Policy]) -> Comparison:
    rows: dict[str, list[tuple[str, str, dict[str, str], str]]] = {}
    for policy in policies:
        for scheme in policy.schemes:
            for layer in scheme.layers:
                columns = sorted((c for p in layer_parts(layer) for c in p.columns), key=lambda c: c.rank)
                values = {c.title: summarise(policy, scheme, c) for c in columns}
                day = as_of(scheme, columns, policy)
                dates = f"{validity_cn(scheme.start, scheme.end)}；现行标准{date_cn(day)}起"
                rows.setdefault(_group_key(scheme, layer), []).append((policy.region, scheme.name, values, dates))
    groups = []
    for key, entries in rows.items():
        titles = list(dict.fromkeys(t for _, _, values, _ in entries for t in values))
        header = ("地区", "方案", *titles, "执行时间")
        body = tuple((region, name, *(values.get(t, "—") for t in titles), dates)
                     for region, name, values, dates in entries)
        groups.append(Group(key, Table(f"{key}：各地区对比", header, body)))
    intro = (f"下表把 {len(policies)} 个地区相同类别的待遇参数并列比较（按适用人员与就医类型分组），"
             "数值为各地现行标准，并注明执行时间。")
    return Comparison(intro, tuple(groups))
