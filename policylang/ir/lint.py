"""Checks on a compiled policy: likely mistakes that are legal but deserve a warning."""

from __future__ import annotations

import datetime as dt
import itertools

from policylang import ir
from policylang.diagnostics import Diagnostic, warning
from policylang.ir import terms
from policylang.ir.values import ONE, Money, Ratio


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
                    ded = dv.table.lookup(dict(cell.keys))
                    if ded is not None and isinstance(cell.value, Money) and isinstance(ded.value, Money) \
                            and cell.value < ded.value:
                        out.append(warning(
                            "W101",
                            f"封顶线 {cell.value}低于起付线 {ded.value}"
                            f"{'（' + cell.label() + '）' if cell.keys else ''}",
                            cell.origin, f"起付线定义于 {ded.origin}" if ded.origin else None))
    return out


def _ratio_table_complete(policy: ir.Policy, layer: ir.Layer) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if layer.ratio is None:
        return out
    for version in layer.ratio.param.versions:
        table = version.table
        if any(not c.keys for c in table.cells):
            continue  # a default covers every member
        for field in table.fields:
            enum = policy.enum(field)
            if enum is None:
                continue
            present = {v for c in table.cells for f, v in c.keys if f == field}
            missing = [v for v in enum.values if v not in present]
            if missing:
                out.append(warning("W102", f"比例表缺少{field}：{'、'.join(missing)}", version.origin,
                                   f"为 {'、'.join(missing)} 补上比例，或写一个不带条件的默认比例"))
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
        if layer.deductible:
            yield layer.deductible.param
        for part in (layer.ratio, layer.brackets, layer.fixed):
            if part is not None:
                yield part.param
        for cap in layer.caps:
            yield cap.param
        if layer.allowance:
            yield layer.allowance.days


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
            out += _ratio_table_complete(policy, layer)
            out += _adjusted_ratio(layer)
    return out


def missing_basis(policy: ir.Policy) -> list[Diagnostic]:
    if policy.schemes and not policy.basis:
        return [warning("W104", f"地区“{policy.region}”没有写明依据", policy.schemes[0].origin)]
    return []
