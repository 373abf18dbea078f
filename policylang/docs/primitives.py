"""One renderer per IR primitive, found by walking a layer's fields; unknown primitives degrade gracefully.

A renderer turns a primitive into a Part: columns of the layer's overview table (a Param looked up per
person category / hospital level …), blocks (tables, sentences) and history sentences. A new primitive
only needs a new entry in RENDERERS.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction

import attrs

from policylang import ir
from policylang.docs.blocks import Block, Bullets, Paragraph, Table
from policylang.docs.wording import SCOPE_CN, conditions_cn, date_cn, points_cn, value_cn

log = logging.getLogger(__name__)

# Fields that describe a node rather than a rule.
META_FIELDS = frozenset({"name", "origin", "notes"})


@attrs.frozen
class Column:
    """A column of the overview table: a parameter looked up with the facts of each row."""

    title: str
    param: ir.Param
    adjustments: tuple[ir.Adjustment, ...] = ()
    rank: int = 9  # column order for citizens: 起付线, 比例, 封顶线, then the rest

    def value(self, facts: Mapping[str, str], day: dt.date) -> int | Fraction | None:
        version = self.param.at(day)
        cell = version.table.lookup(facts) if version else None
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, Fraction):
            value += sum((a.delta for a in self.adjustments if a.applies(facts, day)), Fraction(0))
            value = min(Fraction(1), max(Fraction(0), value))
        return value

    def fields(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for v in self.param.versions:
            seen.update(dict.fromkeys(v.table.fields))
        for a in self.adjustments:
            seen.update(dict.fromkeys(c.field for c in a.when))
        return tuple(seen)

    def mentioned(self, field: str) -> set[str]:
        out = {val for v in self.param.versions for c in v.table.cells for f, val in c.keys if f == field}
        out |= {val for a in self.adjustments for c in a.when if c.field == field for val in c.values}
        return out

    def dates(self) -> set[dt.date]:
        out = {v.start for v in self.param.versions if v.start}
        return out | {a.start for a in self.adjustments if a.start}


@attrs.frozen
class Part:
    columns: tuple[Column, ...] = ()
    blocks: tuple[Block, ...] = ()
    history: tuple[str, ...] = ()


def _direction(old: int | Fraction, new: int | Fraction) -> str:
    return "提高至" if new > old else "降低至"


def param_history(title: str, param: ir.Param) -> tuple[str, ...]:
    """Sentences for every changed value: 2024年1月1日起，封顶线由15万元提高至20万元."""
    versions = sorted(param.versions, key=lambda v: v.start or dt.date.min)
    out = []
    for old, new in itertools.pairwise(versions):
        when = f"{date_cn(new.start)}起" if new.start else "此后"
        before = {c.keys: c for c in old.table.cells}
        after = {c.keys: c for c in new.table.cells}
        for keys in [*before, *(k for k in after if k not in before)]:
            label = "、".join(v for _, v in keys)
            who = f"{label}" if label else ""
            if keys in before and keys in after:
                a, b = before[keys].value, after[keys].value
                if a != b:
                    out.append(f"{when}，{who}{title}由{value_cn(a)}{_direction(a, b)}{value_cn(b)}。")
            elif keys in after:
                out.append(f"{when}，新增{who}{title}{value_cn(after[keys].value)}。")
            else:
                out.append(f"{when}，取消{who}{title}（原为{value_cn(before[keys].value)}）。")
    last = versions[-1] if versions else None
    if last and last.end:
        out.append(f"{date_cn(last.end)}以后，{title}不再执行。")
    return tuple(out)


def _deductible(d: ir.Deductible) -> Part:
    title = f"起付线（{SCOPE_CN[d.scope]}）"
    return Part((Column(title, d.param, rank=0),), history=param_history("起付线", d.param))


def _ratio(r: ir.Ratio) -> Part:
    sentences = []
    for a in r.adjustments:
        who = conditions_cn(a.when)
        verb = "提高" if a.delta >= 0 else "降低"
        when = f"自{date_cn(a.start)}起，" if a.start else ""
        until = f"（至{date_cn(a.end)}）" if a.end else ""
        sentences.append(Paragraph(f"{when}{who}的人员，报销比例{verb} {points_cn(a.delta)}{until}。"))
    return Part((Column("报销比例", r.param, r.adjustments, rank=1),), tuple(sentences), param_history("报销比例", r.param))


def _cap(c: ir.Cap) -> Part:
    title = f"{SCOPE_CN[c.scope]}封顶线"
    return Part((Column(title, c.param, rank=2),), history=param_history(title, c.param))


def _notes(notes: tuple[str, ...]) -> Part:
    return Part(blocks=tuple(Paragraph(n) for n in notes))


RENDERERS: dict[type, Callable[[object], Part]] = {
    ir.Deductible: _deductible,
    ir.Ratio: _ratio,
    ir.Cap: _cap,
}


def _params_inside(obj: object) -> Iterable[ir.Param]:
    """Every Param reachable from obj through attrs fields and tuples."""
    if isinstance(obj, ir.Param):
        yield obj
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from _params_inside(item)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            yield from _params_inside(getattr(obj, f.name))


def _fallback(obj: object) -> Part:
    """A primitive without a renderer: its parameters still show, as columns named after them."""
    log.info("policylang docs: no renderer for %s; showing its parameters only", type(obj).__name__)
    params = list(_params_inside(obj))
    return Part(tuple(Column(p.name, p) for p in params),
                history=tuple(s for p in params for s in param_history(p.name, p)))


def render_value(value: object) -> Part:
    if value is None or value == ():
        return Part()
    if isinstance(value, tuple):
        parts = [render_value(v) for v in value]
        return Part(tuple(c for p in parts for c in p.columns), tuple(b for p in parts for b in p.blocks),
                    tuple(h for p in parts for h in p.history))
    renderer = RENDERERS.get(type(value))
    if renderer is not None:
        return renderer(value)
    if attrs.has(type(value)):
        return _fallback(value)
    return Part()


def layer_parts(layer: object) -> list[Part]:
    """Walk a layer's fields in declaration order and render each primitive it holds."""
    parts = []
    for f in attrs.fields(type(layer)):
        if f.name in META_FIELDS:
            continue
        parts.append(render_value(getattr(layer, f.name)))
    notes = getattr(layer, "notes", ())
    if notes:
        parts.append(_notes(tuple(notes)))
    return parts


__all__ = ["Block", "Bullets", "Column", "Paragraph", "Part", "Table", "layer_parts", "param_history"]
