"""One renderer per IR primitive, found by walking a layer's fields; unknown primitives degrade gracefully.

A renderer turns a primitive into a Part: columns of the layer's overview table (a Param looked up per
person category / hospital level …) and blocks (tables, sentences). History comes from the core
(policylang.history). A new primitive only needs a new entry in RENDERERS.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping

import attrs

from policylang import ir
from policylang.docs.accumulators import accumulator_blocks, per_cn
from policylang.docs.blocks import Block, Bullets, Paragraph, Table
from policylang.docs.deductible_text import fee_limit_sentence, reduction_sentences, table_bound_sentences
from policylang.ir import terms
from policylang.ir.values import Money, Ratio
from policylang.ir.wording import (
    conditions_cn,
    count_rules_cn,
    date_cn,
    money_cn,
    points_cn,
    scope_cn,
    validity_cn,
    value_cn,
)

log = logging.getLogger(__name__)

# Fields that describe a node rather than a rule (a layer's conditions are said in a sentence).
META_FIELDS = frozenset({"name", "origin", "notes", "when"})


def adjusted(ratio: Ratio, adjustments: tuple[ir.Adjustment, ...], facts: Mapping[str, str],
             day: dt.date) -> Ratio:
    """Adjustments in the order written, each bounded (最高 / 最低) as settlement applies them, then 0–100%."""
    return terms.final_ratio(ratio, adjustments, facts, day)


@attrs.frozen
class Column:
    """A column of the overview table: a parameter looked up with the facts of each row."""

    title: str
    param: ir.Param
    adjustments: tuple[ir.Adjustment, ...] = ()
    rank: int = 9  # column order for citizens: 起付线, 比例, 封顶线, then the rest
    unit: str | None = None  # the unit of values that are not money or ratios (the value prints it: "98天")

    def show(self, value: object) -> str:
        return value_cn(value)

    def value(self, facts: Mapping[str, str], day: dt.date) -> ir.Value | str | None:
        version = self.param.at(day)
        if version is not None and any(c.tests for c in version.table.cells):
            return _rows_by_condition(version.table, facts)
        cell = terms.cell(self.param, day, facts)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, Ratio) and self.adjustments:
            value = adjusted(value, _enumerated(self.adjustments), facts, day)
        return value

    def fields(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for v in self.param.versions:
            seen.update(dict.fromkeys(v.table.fields))
        for a in _enumerated(self.adjustments):
            seen.update(dict.fromkeys(c.field for c in a.when))
        return tuple(seen)

    def cell_fields(self) -> set[str]:
        return {f for v in self.param.versions for f in v.table.fields}

    def mentioned(self, field: str) -> set[str]:
        out = {val for v in self.param.versions for c in v.table.cells for f, val in c.keys if f == field}
        out |= {val for a in _enumerated(self.adjustments) for c in a.when if c.field == field for val in c.values}
        return out

    def dates(self) -> set[dt.date]:
        out = {v.start for v in self.param.versions if v.start}
        return out | {a.start for a in self.adjustments if a.start}


def _enumerated(adjustments: tuple[ir.Adjustment, ...]) -> tuple[ir.Adjustment, ...]:
    """The adjustments the overview table can apply by its rows' enumeration values; one with a typed condition
    (年龄 >= 70 岁) is said in its own sentence below the table."""
    return tuple(a for a in adjustments if not any(isinstance(c, ir.FieldTest) for c in a.when))


def _rows_by_condition(table: ir.Table, facts: Mapping[str, str]) -> str:
    """A table keyed by typed conditions, in one cell: 年龄 70 岁及以上 90%；…；其他 70% — each row meeting the
    overview row's enumeration values, in the order written (the most specific row applies)."""
    parts = []
    for cell in table.cells:
        if not all(facts.get(f) == v for f, v in cell.keys if f in facts):
            continue
        shown = value_cn(cell.value)
        label = "、".join(t.describe() for t in cell.tests) or "其他"
        parts.append(f"{label} {shown}")
    return "；".join(parts)


@attrs.frozen
class Part:
    columns: tuple[Column, ...] = ()
    blocks: tuple[Block, ...] = ()


def _when(start: dt.date | None, end: dt.date | None) -> str:
    return (f"自{date_cn(start)}起，" if start else "") + (f"（至{date_cn(end)}）" if end else "")


def _deductible(d: ir.Deductible) -> Part:
    scope = scope_cn(d.scope, getattr(d, "stay_days", None))
    if d.scope is ir.Scope.FIELD:
        scope = per_cn(d.scope, d.by)
    title = f"起付线（{scope}）"
    sentences = [Paragraph(f"{_when(w.start, w.end)}{conditions_cn(w.when)}的就诊不计起付线。")
                 for w in getattr(d, "waivers", ())]
    if getattr(d, "shared", False):
        sentences.append(Paragraph("同一转诊号（县域医共体内转诊）的几次住院，只计首次起付线。"))
    if getattr(d, "highest", False):
        sentences.append(Paragraph("起付线按本年度就诊过的最高医院等级计算：先在低等级医院就诊、后到高等级医院就诊的，"
                                   "只补足两级起付线的差额；再到低等级医院就诊不再计起付线。"))
    if getattr(d, "counts", ()):
        sentences.append(Paragraph(f"同一年度内多次住院的，起付线按住院次数计算：{count_rules_cn(d.counts)}"
                                   "（按首次住院起付线的比例）。同一住院号的几次结算算一次住院。"))
    if getattr(d, "step", None) is not None:
        floors = d.floors.cells if d.floors is not None else ()
        low = "、".join(f"{c.label()} {value_cn(c.value)}".strip() for c in floors) or "0元"
        sentences.append(Paragraph(f"同一年度内每多住院一次，起付线降低{money_cn(d.step)}，但不低于最低标准：{low}。"))
    sentences += [Paragraph(t) for t in (*table_bound_sentences(d), *reduction_sentences(d))]
    if d.scope is ir.Scope.STAY:
        days = (d.stay_days.n if d.stay_days else 0) or "N"
        sentences.append(Paragraph(f"长期住院的，从入院日期起每 {days} 天为一个计算期，每个计算期计一次起付线。"))
    return Part((Column(title, d.param, rank=0),), tuple(sentences))


def _brackets(b: ir.Brackets) -> Part:
    cumulative = getattr(b, "base", "起付线以上部分") == "累计费用"
    rows = []
    for version in b.param.versions:
        for cell in version.table.cells:
            for band in cell.value.bands if isinstance(cell.value, ir.BandSet) else ():
                if band.upper is None:
                    span = f"超过{value_cn(band.lower)}的部分"
                elif band.lower.fen == 0:
                    span = f"{value_cn(band.upper)}以内"
                else:
                    span = f"{value_cn(band.lower)}至{value_cn(band.upper)}"
                rows.append((cell.label() or "全部", span, value_cn(band.ratio),
                             validity_cn(version.start, version.end)))
    if cumulative:
        caption = "分段支付比例（按本年度累计费用分段）"
        head = "本年度累计费用"
        text = ("分段按本年度累计的全部费用（含起付线以下部分）划分：起付线以下的部分不支付，"
                "起付线以上的部分按它在累计费用中所处的段落比例支付。")
    else:
        caption = "分段支付比例（按超过起付线的累计金额分段）"
        head = "超过起付线的累计金额"
        text = ("分段按本年度累计超过起付线的部分划分：先扣除起付线，剩余金额从 0 元起逐段计算，"
                "每段按该段比例支付。")
    table = Table(caption, ("适用", head, "支付比例", "执行时间"), tuple(rows))
    return Part(blocks=(Paragraph(text), table))


def _fixed(f: ir.Fixed) -> Part:
    if getattr(f, "per", None):
        return _fixed_per_unit(f)
    note = Paragraph("按定额支付：实际费用达到定额的按定额支付，低于定额的按实际费用支付。")
    return Part((Column("定额", f.param, rank=1),), (note,))


def _allowance(a: ir.Allowance) -> Part:
    lines = [f"{conditions_cn(d.when)}的，津贴天数增加 {d.days}。" for d in a.additions]
    lines += [f"{p.field}每多 1，津贴天数增加 {p.days}（{p.base} 以内不增加）。" for p in a.per_count]
    rate = a.rate
    if isinstance(rate, str):
        lines.append(f"每天的津贴金额：按参保人的{rate}。")
    elif rate is not None:
        lines.append(f"每天的津贴金额：{value_cn(rate)}。")
    return Part((Column("津贴天数", a.days, rank=3, unit="天"),), tuple(Paragraph(t) for t in lines))


def _adjustment_text(a: ir.Adjustment) -> str:
    verb = "提高" if a.raises else "降低"
    bounds = []
    if getattr(a, "upper", None) is not None:
        bounds.append(f"调整后最高 {value_cn(a.upper)}（原比例已高于此的不变）")
    if getattr(a, "lower", None) is not None:
        bounds.append(f"调整后最低 {value_cn(a.lower)}（原比例已低于此的不变）")
    bound = f"，{'，'.join(bounds)}" if bounds else ""
    return f"{_when(a.start, a.end)}{conditions_cn(a.when)}的，报销比例{verb} {points_cn(a.delta)}{bound}。"


def _ratio(r: ir.Ratio) -> Part:
    sentences = [Paragraph(_adjustment_text(a)) for a in r.adjustments]
    if len(r.adjustments) > 1:
        sentences.insert(0, Paragraph("报销比例按以下顺序逐条调整（前一条调整的结果再按下一条调整）："))
    return Part((Column("报销比例", r.param, r.adjustments, rank=1),), tuple(sentences))


def _cap(c: ir.Cap) -> Part:
    title = f"{scope_cn(c.scope, getattr(c, 'stay_days', None))}封顶线"
    if c.scope is ir.Scope.FIELD:
        title = f"{per_cn(c.scope, c.by)}封顶线"
    if c.counts_in:
        title += "（合计）"
    return Part((Column(title, c.param, rank=2),))


def _fee_limit(f: ir.FeeLimit) -> Part:
    scope = scope_cn(f.scope) if f.scope is not ir.Scope.FIELD else per_cn(f.scope, f.by)
    title = f"费用限额（{scope}）"
    text = (f"费用限额不同于封顶线：{scope}只有限额以内的费用进入本层计算，超出限额的费用不在本层报销，"
            "转入下一层（如大病保险）继续计算。")
    values = {cell.value for v in f.param.versions for cell in v.table.cells}
    if len(values) == 1 and isinstance(next(iter(values)), Money):
        amount = money_cn(next(iter(values)))
        per = "每年" if f.scope is ir.Scope.PERIOD else scope
        text = f"{per}只有前 {amount}费用进入本层，其余转入下一层（费用限额，不同于封顶线：封顶线限制的是支付金额）。"
    text = fee_limit_sentence(f, "每年" if f.scope is ir.Scope.PERIOD else scope) or text
    return Part((Column(title, f.param, rank=3),), (Paragraph(text),))


def _one_off(o: ir.OneOff) -> Part:
    return Part(blocks=(Paragraph(f"一次性支付：本年度进入本层的累计费用首次超过{money_cn(o.threshold)}时，"
                                  f"一次性支付{money_cn(o.amount)}（每年最多一次）。"),))


def _one_amount(param: ir.Param) -> Money | None:
    """The amount when a per-unit table holds one money value for everyone at all times (for a worked example)."""
    values = {cell.value for v in param.versions for cell in v.table.cells}
    value = next(iter(values)) if len(values) == 1 else None
    return value if isinstance(value, Money) else None


def _times(field: str, param: ir.Param) -> str:
    """A worked example of a per-unit amount: 床日数为 10 时为 10 × 200元 = 2,000元."""
    amount = _one_amount(param)
    if amount is None or not amount.whole:
        return ""
    return f"例如{field}为 10 时为 10 × {money_cn(amount)} = {money_cn(Money(int(amount) * 10))}"


def _fixed_per_unit(f: ir.Fixed) -> Part:
    field = f.per
    example = _times(str(field), f.param)
    text = (f"按{field}定额支付：本层支付{field}乘以定额标准（见上表）的金额{'，' + example if example else ''}；"
            "进入本层的费用低于这个金额的，按实际费用支付。")
    return Part((Column(f"定额（按{field}计）", f.param, rank=1),), (Paragraph(text),))


def _unit_cap(c: ir.UnitCap) -> Part:
    example = _times(c.field, c.param)
    text = (f"按{c.field}计的封顶线：本层每次就诊的支付额不超过{c.field}乘以表中的标准"
            f"{'（' + example + '）' if example else ''}。")
    return Part((Column(f"封顶线（按{c.field}计）", c.param, rank=2),), (Paragraph(text),))


def _deduction(d: ir.Deduction) -> Part:
    amount = _one_amount(d.param)
    what = money_cn(amount) if amount is not None else "表中的金额"
    if d.per:
        what = f"{d.per}乘以{what}" if amount is not None else f"{d.per}乘以表中的金额"
    if d.after_caps:
        text = f"本层支付额按封顶线计算后，每次就诊再扣除{what}（支付额不足扣除的，本次不支付）。"
    else:
        text = (f"本层按规定算出支付额后，每次就诊先扣除{what}（支付额不足扣除的，本次不支付）；"
                "本层如有封顶线，按扣除后的金额计算。")
    title = f"{'封顶后' if d.after_caps else '支付后'}扣除（{'按' + d.per + '计' if d.per else '每次'}）"
    return Part((Column(title, d.param, rank=4),), (Paragraph(text),))


def _requirement(r: ir.Requirement) -> Part:
    return Part(blocks=(Paragraph(f"{_when(r.start, r.end)}本层须符合条件，否则本层不予支付：{r.reason}。"),))


def _notes(notes: tuple[str, ...]) -> Part:
    return Part(blocks=tuple(Paragraph(n) for n in notes))


RENDERERS: dict[type, Callable[[object], Part]] = {
    ir.Deductible: _deductible,
    ir.Ratio: _ratio,
    ir.Cap: _cap,
    ir.Brackets: _brackets,
    ir.Fixed: _fixed,
    ir.Allowance: _allowance,
    ir.FeeLimit: _fee_limit,
    ir.OneOff: _one_off,
    ir.Requirement: _requirement,
    ir.Deduction: _deduction,
    ir.UnitCap: _unit_cap,
}


def _already_paid(p: ir.AlreadyPaid) -> Part:
    """扣除已付 in words: what other funds paid is taken off first, and is not the person's to pay."""
    names = "、".join(p.fields)
    return Part(blocks=(Paragraph(f"本层先扣除其他基金已经支付的金额（{names}），只对扣除后剩下的费用计算；"
                                  "已支付的金额超过剩下的费用时，本层按 0 元计算。其他基金已支付的部分不由个人负担，"
                                  "本层之后的各层也只对扣除后剩下的费用计算。"),))


RENDERERS[ir.AlreadyPaid] = _already_paid


def _topup(t: ir.YearTopUp) -> Part:
    """年度补助 in words: the year's totals, and why one visit may show a negative amount."""
    return Part(blocks=(Paragraph(
        f"年度补助：一个年度内，个人负担的费用（前面各项报销之后剩下的部分）累计超过本年度{t.over}累计的 "
        f"{value_cn(t.threshold)} 的部分，再补助 {value_cn(t.ratio)}。每次就诊时按截至当次的全年累计数先行补助；"
        "如果后来的就诊报销比例较高，使全年应补助的金额变少，就在那次就诊中扣回多补的部分（显示为负数）。"
        "全年补助合计与按全年数额一次计算的结果相同。"),))


RENDERERS[ir.YearTopUp] = _topup


def _params_inside(obj: object) -> Iterable[ir.Param]:
    """Every Param reachable from obj through attrs fields and tuples."""
    yield from (n for n in ir.walk(obj, prune=lambda n: isinstance(n, ir.Param)) if isinstance(n, ir.Param))


def _fallback(obj: object) -> Part:
    """A primitive without a renderer: its parameters still show, as columns named after them."""
    log.info("policylang docs: no renderer for %s; showing its parameters only", type(obj).__name__)
    return Part(tuple(Column(p.name, p) for p in _params_inside(obj)))


def render_value(value: object) -> Part:
    if value is None or value == ():
        return Part()
    if isinstance(value, tuple):
        parts = [render_value(v) for v in value]
        return Part(tuple(c for p in parts for c in p.columns), tuple(b for p in parts for b in p.blocks))
    renderer = RENDERERS.get(type(value))
    if renderer is not None:
        return renderer(value)
    if attrs.has(type(value)):
        return _fallback(value)
    return Part()


def _first_pay(f: ir.FirstSelfPay) -> str:
    then = f"，其余按{'、'.join(v for _, v in f.overrides)}的政策结算" if f.overrides else "，其余按规定结算"
    counts = getattr(f, "counts", ())
    share = (f"按本年度第几次计：{count_rules_cn(counts)}" if counts else value_cn(f.share))
    return f"{_when(f.start, f.end)}{conditions_cn(f.when)}的就诊，个人先行自付 {share}{then}。"


def account_lines(account: ir.Account) -> tuple[str, ...]:
    """个人账户: which parts of the person's share it pays, and the yearly allocation."""
    parts = "、".join(account.parts)
    out = [f"个人账户支付：本人负担中的{parts}部分先由个人账户支付，账户余额不足的部分由现金支付；"
           "账户余额跨次、跨年结转。"]
    if "政策范围内个人自付" in account.parts:
        out.append("政策范围内个人自付：本人负担中除全自费（目录外和不予报销的项目）以外的部分，"
                   "包括乙类先行自付、起付线和按比例由个人负担的部分。")
    if account.allocation is not None and account.allocation.cells:
        per = "、".join(f"{c.label() or '每人'} {value_cn(c.value)}" for c in account.allocation.cells)
        out.append(f"个人账户每年划入：{per}。")
    return tuple(out)


def scheme_rules(scheme: object) -> tuple[str, ...]:
    """The scheme's conditions in sentences: eligibility (with waiting periods), first self-pay, catalogue."""
    out = []
    for r in getattr(scheme, "requirements", ()):
        out.append(f"{_when(r.start, r.end)}须符合条件，否则不予支付：{r.reason}。")
    out += [_first_pay(f) for f in getattr(scheme, "first_pays", ())]
    catalogue = getattr(scheme, "catalogue", None)
    if catalogue is not None:
        if catalogue.exclusions:
            out.append(f"以下项目不予报销，由个人负担：{'、'.join(e.name for e in catalogue.exclusions)}。")
        for share in catalogue.shares:
            out.append(f"{share.cls}项目个人先行自付 {value_cn(share.share)}，其余进入报销。")
        if catalogue.out_of_range:
            out.append(f"{'、'.join(catalogue.out_of_range)}项目不属于政策范围，由个人负担。")
    account = getattr(scheme, "account", None)
    if account is not None:
        out += account_lines(account)
    out += version_lines(scheme)
    return tuple(out)


def version_lines(scheme: object) -> tuple[str, ...]:
    """版本 按 出院日期: which date's standards a stay spanning a change is settled by."""
    by = getattr(scheme, "version_by", None)
    if not by:
        return ()
    return (f"政策调整前后跨期的就诊（如年底入院、次年出院的住院），按{by}适用当时的标准：起付线、报销比例、"
            f"封顶线等都按{by}那天执行的规定计算，方案的执行期限也按{by}判断；没有{by}的就诊按就诊日期。",)


def layer_parts(layer: object, policy: ir.Policy | None = None) -> list[Part]:
    """Walk a layer's fields in declaration order and render each primitive it holds."""
    parts = []
    when = getattr(layer, "when", ())
    if when:
        parts.append(Part(blocks=(Paragraph(f"本层只适用于{conditions_cn(when, policy)}的人员或就诊。"),)))
    for f, value in ir.node_fields(layer):
        if f.name not in META_FIELDS:
            parts.append(render_value(value))
    if isinstance(layer, ir.Layer):
        parts.append(Part(blocks=tuple(accumulator_blocks(layer, policy))))
    notes = getattr(layer, "notes", ())
    if notes:
        parts.append(_notes(tuple(notes)))
    return parts


__all__ = ["Block", "Bullets", "Column", "Paragraph", "Part", "Table", "layer_parts"]
