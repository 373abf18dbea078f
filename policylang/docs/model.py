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


def _enum_order(policy: ir.Policy, field: str) -> tuple[int, ...]:
    names = [e.name for e in policy.enums]
    return (names.index(field),) if field in names else (len(names),)


def dimensions(policy: ir.Policy, scheme: ir.Scheme, columns: list[Column]) -> list[tuple[str, list[str]]]:
    """The fields the columns vary by, each with the values the script mentions, in enumeration order."""
    fields: dict[str, None] = {}
    for c in columns:
        fields.update(dict.fromkeys(c.fields()))
    fixed = {cond.field: cond.values for cond in scheme.when}
    out = []
    for field in sorted(fields, key=lambda f: _enum_order(policy, f)):
        mentioned = set().union(*(c.mentioned(field) for c in columns))
        if field in fixed:
            mentioned &= fixed[field]
        enum = policy.enum(field)
        order = list(enum.values) if enum else sorted(mentioned)
        values = [v for v in order if v in mentioned]
        if field not in fixed and not any(field in c.cell_fields() for c in columns):
            # only an adjustment names it (基层首诊=是): show a row without the adjustment as well
            values += [v for v in order if v not in mentioned][:1]
        if values:
            out.append((field, values))
    return out


def as_of(scheme: ir.Scheme, columns: list[Column], policy: ir.Policy | None = None) -> dt.date:
    """The date whose values the overview shows: the latest change, or the scheme's start; else the year
    after the latest reference value (so 上年度 values exist), else today."""
    dates = set().union(*(c.dates() for c in columns)) if columns else set()
    if scheme.start:
        dates.add(scheme.start)
    if dates:
        return max(dates)
    years = [y for r in getattr(policy, "references", ()) for y, _ in r.values]
    if years:
        return dt.date(max(years) + 1, 1, 1)
    return getattr(policy, "start", None) or dt.date.today()


def is_dated(scheme: ir.Scheme, columns: list[Column], policy: ir.Policy | None = None) -> bool:
    """Whether as_of comes from the script (a dated value, the scheme's start, references), not today."""
    return bool(any(c.dates() for c in columns) or scheme.start or getattr(policy, "references", ())
                or getattr(policy, "start", None))


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
