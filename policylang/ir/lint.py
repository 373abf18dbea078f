"""Checks on a compiled policy: likely mistakes that are legal but deserve a warning."""

from __future__ import annotations

import datetime as dt
import itertools

from policylang import ir
from policylang.diagnostics import Diagnostic, warning
from policylang.ir import terms
from policylang.ir.values import ONE, Money, Ratio


def _enumerated_lookup(table: ir.Table, facts: ir.Facts) -> ir.Cell | None:
    """The cell for enumeration values alone, at check time: a row keyed by a typed condition (年龄 >= 60 岁)
    counts as present, since it applies to some claims with these values (whichever row settles them)."""
    cells = [c for c in table.cells if all(facts.get(f) == v for f, v in c.keys)]
    return max(cells, key=lambda c: c.specificity, default=None) if cells else None


def _cap_below_deductible(scheme: ir.Scheme, layer: ir.Layer) -> list[Diagnostic]:
    if layer.deductible is None:
        return []
    out = []
    for cap in layer.caps:
        if cap.scope is not layer.deductible.scope:
            continue
        for cv in cap.param.versions:
            for dv in layer.deductible.param.versions:
                if not terms.overlap(cv.start, cv.end, dv.start, dv.end):
                    continue
                for cell in cv.table.cells:
                    ded = _enumerated_lookup(dv.table, dict(cell.keys))
                    if ded is not None and isinstance(cell.value, Money) and isinstance(ded.value, Money) \
                            and cell.value < ded.value:
                        out.append(warning(
                            "W101",
                            f"封顶线 {cell.value}低于起付线 {ded.value}"
                            f"{'（' + cell.label() + '）' if cell.keys else ''}",
                            cell.origin, f"起付线定义于 {ded.origin}" if ded.origin else None))
    return out


# The standard enumerations' own relation (stdlib/enums.policy): 人员类别 居民、学生儿童 exist only under
# 城乡居民医保, 在职、退休 only under 职工医保; a scheme's condition on 险种 so also narrows 人员类别.
IMPLIED: dict[tuple[str, str], dict[str, frozenset[str]]] = {
    ("险种", "职工医保"): {"人员类别": frozenset({"在职", "退休"})},
    ("险种", "城乡居民医保"): {"人员类别": frozenset({"居民", "学生儿童"})},
}
_LISTED = 12  # missing keys named in one warning; the rest are counted


def _domains(policy: ir.Policy, conds: tuple[ir.Condition, ...], fields: tuple[str, ...]) -> list[tuple[str, ...]] | None:
    """The values each field can take for a claim the conditions admit (None: a field is not an enumeration)."""
    allowed: dict[str, set[str]] = {}
    for cond in conds:
        allowed[cond.field] = allowed.get(cond.field, set(cond.values)) & set(cond.values)
    for cond in conds:
        if len(cond.values) == 1:
            for field, values in IMPLIED.get((cond.field, next(iter(cond.values))), {}).items():
                allowed[field] = allowed.get(field, set(values)) & values
    out = []
    for field in fields:
        enum = policy.enum(field)
        if enum is None:
            return None
        out.append(tuple(v for v in enum.values if field not in allowed or v in allowed[field]))
    return out


def _layer_params(layer: ir.Layer) -> list[ir.Param]:
    """Every table a claim in the layer reaches (a missing cell refuses the claim)."""
    out = [layer.fee_limit.param] if layer.fee_limit is not None else []
    return out + list(_params_of(layer))


def _tables_complete(policy: ir.Policy, scheme: ir.Scheme, layer: ir.Layer) -> list[Diagnostic]:
    """W102: a table with no cell for some claim the scheme's and layer's conditions admit."""
    out: list[Diagnostic] = []
    conds = (*scheme.when, *layer.when)
    for param in _layer_params(layer):
        for version in param.versions:
            fields = version.table.fields
            domains = _domains(policy, conds, fields) if fields else None
            if domains is None:
                continue  # a default covers everything, or a key is not an enumeration
            missing = ["·".join(combo) for combo in itertools.product(*domains)
                       if _enumerated_lookup(version.table, dict(zip(fields, combo, strict=True))) is None]
            if not missing:
                continue
            shown = "、".join(missing[:_LISTED]) + (f" 等 {len(missing)} 项" if len(missing) > _LISTED else "")
            what = fields[0] if len(fields) == 1 else "、".join(fields) + "的组合"
            out.append(warning("W102", f"{param.name}表缺少{what}：{shown}", version.origin,
                               f"为 {shown} 补上{param.name}，或写一个不带条件的默认{param.name}；"
                               f"否则这些就诊将被拒付"))
    return out


def _adjusted_ratio(layer: ir.Layer) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if layer.ratio is None:
        return out
    for adj in layer.ratio.adjustments:
        for version in layer.ratio.param.versions:
            for cell in version.table.cells:
                highest, how = _highest_ratio(cell.value)
                if highest is None:
                    continue  # a ratio from a reference value or an unbounded formula: known only per claim
                total = highest + adj.delta
                if total > ONE:
                    out.append(warning("W103", f"{cell.label() or '默认'}比例 {how}{highest} 调整后为 {total}",
                                       adj.origin))
    return out


def _highest_ratio(value: ir.Value) -> tuple[Ratio | None, str]:
    """The highest a ratio cell can be before adjustments: a constant, or a computed ratio's 最高 bound
    (a computed ratio is a Formula, not a Ratio: it has no value until a claim gives one)."""
    if isinstance(value, ir.Formula):
        return (value.upper, "最高 ") if isinstance(value.upper, Ratio) else (None, "")
    if isinstance(value, Ratio):
        return value, ""
    return None, ""


def _params(scheme: ir.Scheme):
    for layer in scheme.layers:
        yield from _params_of(layer)


def _params_of(layer: ir.Layer):
    if layer.deductible:
        yield layer.deductible.param
    for part in (layer.ratio, layer.brackets, layer.fixed):
        if part is not None:
            yield part.param
    for cap in layer.caps:
        yield cap.param
    if layer.allowance:
        yield layer.allowance.days
    for step in (*layer.deductions, *layer.unit_caps):  # 支付后扣除, 封顶线 每 床日数
        yield step.param


def version_gaps(scheme: ir.Scheme) -> list[Diagnostic]:
    """W105: a parameter whose versions leave days with no value."""
    out = []
    for param in _params(scheme):
        versions = sorted(param.versions, key=lambda v: v.start or dt.date.min)
        for prev, nxt in itertools.pairwise(versions):
            if prev.end is not None and nxt.start is not None and nxt.start > prev.end + dt.timedelta(days=1):
                out.append(warning("W105", f"{param.name} 在 {prev.end + dt.timedelta(days=1)} 至 "
                                   f"{nxt.start - dt.timedelta(days=1)} 之间没有生效的版本", nxt.origin))
    return out


def lint(policy: ir.Policy) -> list[Diagnostic]:
    """Warnings on a compiled policy."""
    out: list[Diagnostic] = missing_basis(policy)
    for scheme in policy.schemes:
        out += version_gaps(scheme)
        for layer in scheme.layers:
            out += _cap_below_deductible(scheme, layer)
            out += _tables_complete(policy, scheme, layer)
            out += _adjusted_ratio(layer)
    return out


def missing_basis(policy: ir.Policy) -> list[Diagnostic]:
    if policy.schemes and not policy.basis:
        return [warning("W104", f"地区“{policy.region}”没有写明依据", policy.schemes[0].origin)]
    return []
