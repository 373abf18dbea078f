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
from policylang.docs.wording import SCOPE_CN, conditions_cn, date_cn, points_cn, validity_cn, value_cn

log = logging.getLogger(__name__)

# Fields that describe a node rather than a rule (a layer's conditions are said in a sentence).
META_FIELDS = frozenset({"name", "origin", "notes", "when"})


@attrs.frozen
class Column:
    """A column of the overview table: a parameter looked up with the facts of each row."""

    title: str
    param: ir.Param
    adjustments: tuple[ir.Adjustment, ...] = ()
    rank: int = 9  # column order for citizens: 起付线, 比例, 封顶线, then the rest
    unit: str | None = None  # values that are not money or ratios: shown as "98天"

    def show(self, value: object) -> str:
        return f"{value}{self.unit}" if self.unit and isinstance(value, int) else value_cn(value)

    def value(self, facts: Mapping[str, str], day: dt.date) -> int | Fraction | None:
        version = self.param.at(day)
        cell = version.table.lookup(facts) if version else None
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, Fraction) and self.adjustments:
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


def _direction(old: object, new: object) -> str:
    numbers = (int, Fraction)
    if isinstance(old, numbers) and isinstance(new, numbers):
        return "提高至" if new > old else "降低至"
    return "调整为"


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


def _when(start: dt.date | None, end: dt.date | None) -> str:
    return (f"自{date_cn(start)}起，" if start else "") + (f"（至{date_cn(end)}）" if end else "")


def _deductible(d: ir.Deductible) -> Part:
    title = f"起付线（{SCOPE_CN[d.scope]}）"
    sentences = [Paragraph(f"{_when(w.start, w.end)}{conditions_cn(w.when)}的就诊不计起付线。")
                 for w in getattr(d, "waivers", ())]
    if getattr(d, "shared", False):
        sentences.append(Paragraph("同一转诊号（县域医共体内转诊）的几次住院，只计首次起付线。"))
    return Part((Column(title, d.param, rank=0),), tuple(sentences), param_history("起付线", d.param))


def _brackets(b: ir.Brackets) -> Part:
    rows = []
    for version in b.param.versions:
        for cell in version.table.cells:
            for band in cell.value.bands if isinstance(cell.value, ir.BandSet) else ():
                if band.upper is None:
                    span = f"超过{value_cn(band.lower)}的部分"
                elif band.lower == 0:
                    span = f"{value_cn(band.upper)}以内"
                else:
                    span = f"{value_cn(band.lower)}至{value_cn(band.upper)}"
                rows.append((cell.label() or "全部", span, value_cn(band.ratio),
                             validity_cn(version.start, version.end)))
    table = Table("分段支付比例（按本层累计金额分段）", ("适用", "累计金额", "支付比例", "执行时间"), tuple(rows))
    return Part(blocks=(table,), history=param_history("分段", b.param))


def _fixed(f: ir.Fixed) -> Part:
    note = Paragraph("按定额支付：实际费用达到定额的按定额支付，低于定额的按实际费用支付。")
    return Part((Column("定额", f.param, rank=1),), (note,), param_history("定额", f.param))


def _allowance(a: ir.Allowance) -> Part:
    lines = [f"{conditions_cn(d.when)}的，津贴天数增加 {d.days} 天。" for d in a.additions]
    lines += [f"{p.field}每多 {p.base}，津贴天数增加 {p.days} 天。" for p in a.per_count]
    rate = a.rate
    if rate is not None:
        shown = rate if isinstance(rate, str) else value_cn(rate)
        lines.append(f"每天的津贴金额：{shown}。")
    return Part((Column("津贴天数", a.days, rank=3, unit="天"),), tuple(Paragraph(t) for t in lines))


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
    ir.Brackets: _brackets,
    ir.Fixed: _fixed,
    ir.Allowance: _allowance,
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


def scheme_rules(scheme: object) -> tuple[str, ...]:
    """The scheme's conditions in sentences: eligibility (with waiting periods), first self-pay, catalogue."""
    out = []
    for r in getattr(scheme, "requirements", ()):
        out.append(f"{_when(r.start, r.end)}须符合条件，否则不予支付：{r.reason}。")
    for f in getattr(scheme, "first_pays", ()):
        then = f"，其余按{'、'.join(v for _, v in f.overrides)}的政策结算" if f.overrides else "，其余按规定结算"
        out.append(f"{_when(f.start, f.end)}{conditions_cn(f.when)}的就诊，个人先行自付 {value_cn(f.share)}{then}。")
    catalogue = getattr(scheme, "catalogue", None)
    if catalogue is not None:
        if catalogue.exclusions:
            out.append(f"以下项目不予报销，由个人负担：{'、'.join(e.name for e in catalogue.exclusions)}。")
        for share in catalogue.shares:
            out.append(f"{share.cls}项目个人先行自付 {value_cn(share.share)}，其余进入报销。")
        if catalogue.out_of_range:
            out.append(f"{'、'.join(catalogue.out_of_range)}项目不属于政策范围，由个人负担。")
    return tuple(out)


def layer_parts(layer: object) -> list[Part]:
    """Walk a layer's fields in declaration order and render each primitive it holds."""
    parts = []
    when = getattr(layer, "when", ())
    if when:
        parts.append(Part(blocks=(Paragraph(f"本层只适用于{conditions_cn(when)}的人员或就诊。"),)))
    for f in attrs.fields(type(layer)):
        if f.name in META_FIELDS:
            continue
        parts.append(render_value(getattr(layer, f.name)))
    notes = getattr(layer, "notes", ())
    if notes:
        parts.append(_notes(tuple(notes)))
    return parts


__all__ = ["Block", "Bullets", "Column", "Paragraph", "Part", "Table", "layer_parts", "param_history"]
