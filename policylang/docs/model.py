"""IR → a region page of plain data: who it covers, tables by category, history, examples, charts."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import attrs

from policylang import ir
from policylang.docs.blocks import Block, Bullets, Paragraph, Table
from policylang.docs.charts import ChartData, chart_or_note
from policylang.docs.computed import (
    InfoSection,
    formula_blocks,
    formula_value,
    formula_value_cn,
    question_section,
    subsidy_section,
)
from policylang.docs.dimensions import as_of, dimensions, is_dated
from policylang.docs.examples import WorkedExample, worked_example
from policylang.docs.primitives import Column, layer_parts, scheme_rules
from policylang.eval.settle import Places
from policylang.ir.cases import TestCase
from policylang.ir.values import FormulaKind
from policylang.ir.wording import conditions_cn, date_cn, period_cn, validity_cn
from policylang.tools.history import Change, history, sentence


@attrs.frozen
class LayerPage:
    name: str
    blocks: tuple[Block, ...]
    history: tuple[str, ...]


@attrs.frozen
class SchemePage:
    name: str
    applies: str
    period: str
    validity: str
    notes: tuple[str, ...]
    conditions: tuple[str, ...]
    layers: tuple[LayerPage, ...]
    chart: ChartData | None
    examples: tuple[WorkedExample, ...]
    history: tuple[str, ...] = ()  # scheme-level rules (要求, 先行自付) that changed
    chart_note: str | None = None  # why there is no chart


@attrs.frozen
class RegionPage:
    slug: str
    region: str
    basis: tuple[str, ...]
    validity: str
    rounding: str
    notes: tuple[str, ...]
    assumptions: tuple[str, ...]
    coverage: tuple[str, ...]
    schemes: tuple[SchemePage, ...]
    other_examples: tuple[WorkedExample, ...]
    sections: tuple[InfoSection, ...] = ()  # 资助参保 and 判断


def _show(policy: ir.Policy, column: Column, value: object, facts: dict, day: dt.date) -> str:
    """A cell of the overview: formulas and reference values with the amount they give on the day."""
    if isinstance(value, ir.Formula):
        computed = formula_value(policy, value, day, facts)
        if computed is None:
            return "按公式计算，因人而异（见下）"
        return f"{computed[0]}（按公式计算{'，' + computed[1] if computed[1] else ''}）"
    if isinstance(value, ir.RefValue):
        computed = formula_value_cn(policy, ir.Formula(value, FormulaKind.MONEY), day)
        return f"{value.describe()}（{computed}）" if computed else value.describe()
    return column.show(value)


def overview(policy: ir.Policy, scheme: ir.Scheme, layer_name: str, columns: list[Column]) -> Table:
    day = as_of(scheme, columns, policy)
    dims = dimensions(policy, scheme, columns)
    base = {c.field: sorted(c.values)[0] for c in scheme.when}
    header = tuple(f for f, _ in dims) + tuple(c.title for c in columns)
    rows = []
    for combo in itertools.product(*(values for _, values in dims)):
        facts = base | dict(zip((f for f, _ in dims), combo, strict=True))
        values = [(c, c.value(facts, day)) for c in columns]
        rows.append(tuple(combo) + tuple("—" if v is None else _show(policy, c, v, facts, day) for c, v in values))
    when = f"{date_cn(day)}起执行" if is_dated(scheme, columns, policy) else "现行标准"
    return Table(f"{layer_name}待遇标准（{when}）", header, tuple(rows))


def layer_page(policy: ir.Policy, scheme: ir.Scheme, layer: ir.Layer, changes: tuple[Change, ...] = ()) -> LayerPage:
    parts = layer_parts(layer, policy)
    columns = sorted((c for p in parts for c in p.columns), key=lambda c: c.rank)
    blocks: list[Block] = [overview(policy, scheme, layer.name, columns)] if columns else []
    blocks += formula_blocks(policy, columns)
    blocks += [b for p in parts for b in p.blocks]
    mine = (sentence(c, with_place=False) + "。" for c in changes if c.scheme == scheme.name and c.layer == layer.name)
    return LayerPage(layer.name, tuple(blocks), tuple(mine))


def scheme_page(policy: ir.Policy, scheme: ir.Scheme, examples: tuple[WorkedExample, ...],
                with_chart: bool = True, changes: tuple[Change, ...] | None = None) -> SchemePage:
    changes = history(policy) if changes is None else changes
    applies = f"适用于{conditions_cn(scheme.when, policy)}的就诊。" if scheme.when else "适用于全部参保人员的就诊。"
    layers = tuple(layer_page(policy, scheme, layer, changes) for layer in scheme.layers)
    chart, note = chart_or_note(policy, scheme) if with_chart else (None, None)
    own = tuple(sentence(c, with_place=False) + "。" for c in changes if c.scheme == scheme.name and c.layer is None)
    return SchemePage(scheme.name, applies, period_cn(scheme.period) + "。", validity_cn(scheme.start, scheme.end),
                      scheme.notes, scheme_rules(scheme), layers, chart, examples, own, note)


def info_sections(policy: ir.Policy, changes: tuple[Change, ...]) -> tuple[InfoSection, ...]:
    """资助参保 and 判断 sections, each with its own history."""
    out = []
    for owner, section in [*((f"资助 {s.name}", subsidy_section(policy, s)) for s in policy.subsidies),
                           *((f"判断 {q.name}", question_section(policy, q)) for q in policy.questions)]:
        mine = tuple(sentence(c, with_place=False) + "。" for c in changes if c.scheme == owner)
        blocks = section.blocks + ((Bullets("历次调整：", mine),) if mine else ())
        out.append(attrs.evolve(section, blocks=blocks))
    return tuple(out)


def region_page(policy: ir.Policy, tests: tuple[TestCase, ...], slug: str, with_charts: bool = True,
                places: Places | None = None) -> RegionPage:
    """places: the other regions a worked example's claims may be treated in (就医地)."""
    examples = [worked_example(policy, t, places) for t in tests]
    changes = history(policy)
    schemes = tuple(scheme_page(policy, s, tuple(e for e in examples if e.scheme == s.name), with_charts, changes)
                    for s in policy.schemes)
    names = {s.name for s in policy.schemes}
    others = tuple(e for e in examples if e.scheme not in names)
    basis = tuple(f"{b.title}（{b.number}）" if b.number else b.title for b in policy.basis)
    coverage = tuple(f"“{s.name}”{s.applies}" for s in schemes)
    return RegionPage(slug, policy.region, basis, validity_cn(policy.start, policy.end), policy.rounding,
                      policy.notes, policy.assumptions, coverage, schemes, others, info_sections(policy, changes))


def slug_for(path: Path) -> str:
    """A page name for a region folder or script: its folder or file name, ASCII-safe."""
    name = path.stem if path.is_file() else path.name
    return "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in name).strip("-") or "region"


__all__ = ["LayerPage", "Paragraph", "RegionPage", "SchemePage", "Table", "region_page", "slug_for"]
