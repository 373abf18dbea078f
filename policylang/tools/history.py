"""The compiled policy's history: every dated change of a parameter or rule, as plain data.

A dated item is one table cell of one parameter version, or one dated rule (ratio adjustment, 免起付线,
要求, 先行自付, 资助, 判断). Items with the same key (parameter + who it applies to) form a series; where one
ends the day before the next starts, that is a change from old to new; a start or end inside the owner's
validity (the scheme's, else the policy's) is a rule being added or removed. Parameters stay data: the old
and new values are IR values (分, ratios, bands, formulas) or, for rules, their wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from policylang import ir
from policylang.ir.units import fmt_plain
from policylang.ir.values import ZERO, Days, Money, Ratio, SubsidyKind
from policylang.ir.wording import (
    conditions_cn,
    count_rules_cn,
    date_cn,
    money_cn,
    points_cn,
    ratio_cn,
    scope_cn,
    value_cn,
    who_cn,
)
from policylang.source import Span

HistoryValue = ir.Value | str


@attrs.frozen
class Change:
    """One change: from `date`, `parameter` of `label` (在职、三级 …) goes from old to new (None: added/removed)."""

    scheme: str  # the 方案 (or 资助 / 判断) it belongs to
    layer: str | None  # the 层; None for scheme-level rules
    parameter: str  # 年度封顶线, 报销比例, 分段 …
    label: str  # who or which claims: the table cell's label or the rule's conditions; "" for everyone
    date: dt.date
    old: HistoryValue | None
    new: HistoryValue | None
    origins: tuple[Span, ...] = attrs.field(eq=False, default=())
    rule: bool = False  # a rule (wording) rather than a parameter value

    @property
    def kind(self) -> str:
        return "新增" if self.old is None else "取消" if self.new is None else "调整"


@attrs.frozen
class _Item:
    parameter: str
    label: str
    value: HistoryValue
    start: dt.date | None
    end: dt.date | None
    origin: Span | None
    rule: bool = False


def history(policy: ir.Policy) -> tuple[Change, ...]:
    """Every change of the policy, ordered by date, then as written."""
    out: list[Change] = []
    for scheme in policy.schemes:
        start, end = scheme.start or policy.start, scheme.end or policy.end
        out += _series(scheme.name, None, list(scheme_items(scheme, policy)), start, end)
        for layer in scheme.layers:
            out += _series(scheme.name, layer.name, list(layer_items(layer, policy)), start, end)
    for subsidy in policy.subsidies:
        out += _series(f"资助 {subsidy.name}", None, list(_subsidy_items(subsidy, policy)), policy.start, policy.end)
    for question in policy.questions:
        out += _series(f"判断 {question.name}", None, list(_question_items(question, policy)), policy.start, policy.end)
    return tuple(sorted(out, key=lambda c: c.date))


def param_changes(title: str, param: ir.Param, scheme: str = "", layer: str | None = None) -> tuple[Change, ...]:
    """The changes of one parameter (its first version's start is not a change)."""
    return tuple(_series(scheme, layer, list(_param_items(title, param)), None, None))


# ---- dated items ---------------------------------------------------------------------------------
def _param_items(title: str, param: ir.Param) -> Iterator[_Item]:
    for version in param.versions:
        for cell in version.table.cells:
            yield _Item(title, cell.label(), cell.value, version.start, version.end, cell.origin or version.origin)


def _who(when: tuple[ir.Condition, ...], what: str, policy: ir.Policy | None) -> str:
    return f"{conditions_cn(when, policy)}{what}" if when else ""


def _adjustment_text(a: ir.Adjustment) -> str:
    text = f"报销比例{'提高' if a.raises else '降低'} {points_cn(a.delta)}"
    if a.upper is not None:
        text += f"（最高 {ratio_cn(a.upper)}）"
    if a.lower is not None:
        text += f"（最低 {ratio_cn(a.lower)}）"
    return text


def _limit_title(limit: ir.Cap | ir.Deductible | ir.FeeLimit, kind: str) -> str:
    """年度封顶线 / 每个孕期号封顶线 / 年度封顶线（与其他方案合计：救助限额）: what a history row is about."""
    scope = f"每个{limit.by}" if limit.by else scope_cn(limit.scope, getattr(limit, "stay_days", None))
    shared = f"（合计：{limit.counts_in}）" if limit.counts_in else ""
    return f"{scope}{kind}{shared}"


def layer_items(layer: object, policy: ir.Policy | None = None) -> Iterator[_Item]:
    """Every dated item of a layer, found by walking its fields (unknown primitives: their Params)."""
    for f, value in ir.node_fields(layer):
        if f.name not in ("name", "notes", "when"):
            yield from _items(value, policy)


def _items(obj: object, policy: ir.Policy | None = None) -> Iterator[_Item]:
    if obj is None:
        return
    if isinstance(obj, tuple | list):
        for x in obj:
            yield from _items(x, policy)
    elif isinstance(obj, ir.Deductible):
        yield from _param_items(_limit_title(obj, "起付线"), obj.param)
        for w in obj.waivers:
            yield _Item("免起付线", _who(w.when, "的就诊", policy), "免起付线", w.start, w.end, w.origin, rule=True)
        for name, bound in (("起付线最低", obj.base_lower), ("起付线最高", obj.base_upper)):
            if bound is not None:
                yield from _param_items(f"{scope_cn(obj.scope, obj.stay_days)}{name}", bound)
    elif isinstance(obj, ir.Cap):
        yield from _param_items(_limit_title(obj, "封顶线"), obj.param)
    elif isinstance(obj, ir.FeeLimit):
        yield from _param_items(_limit_title(obj, "费用限额"), obj.param)
    elif isinstance(obj, ir.Ratio):
        yield from _param_items("报销比例", obj.param)
        for a in obj.adjustments:
            yield _Item("报销比例调整", _who(a.when, "的人员", policy), _adjustment_text(a), a.start, a.end, a.origin, rule=True)
    elif isinstance(obj, ir.Brackets):
        yield from _param_items("分段支付比例", obj.param)
    elif isinstance(obj, ir.Fixed):
        yield from _param_items(f"定额（按{obj.per}计）" if obj.per else "定额", obj.param)
    elif isinstance(obj, ir.UnitCap):
        yield from _param_items(f"封顶线（按{obj.field}计）", obj.param)
    elif isinstance(obj, ir.Deduction):
        where = "封顶后扣除" if obj.after_caps else "支付后扣除"
        yield from _param_items(f"{where}（{'按' + obj.per + '计' if obj.per else '每次'}）", obj.param)
    elif isinstance(obj, ir.Allowance):
        yield from _param_items("津贴天数", obj.days)
    elif isinstance(obj, ir.Requirement):
        yield _Item("要求", obj.reason, f"须符合条件，否则不予支付：{obj.reason}", obj.start, obj.end, obj.origin,
                    rule=True)
    elif isinstance(obj, ir.FirstSelfPay):
        share: HistoryValue = count_rules_cn(obj.counts) if obj.counts else obj.share
        yield _Item("个人先行自付比例", _who(obj.when, "的就诊", policy), share, obj.start, obj.end, obj.origin)
    elif isinstance(obj, ir.Param):
        yield from _param_items(obj.name, obj)
    elif ir.is_node(obj):
        for _, value in ir.node_fields(obj):
            yield from _items(value, policy)


def scheme_items(scheme: ir.Scheme, policy: ir.Policy | None = None) -> Iterator[_Item]:
    yield from _items(scheme.first_pays, policy)
    yield from _items(scheme.requirements, policy)


def subsidy_rule_value(rule: ir.SubsidyRule) -> HistoryValue:
    """定额 280 元 / 80%（最低 280 元）/ 全额."""
    if rule.kind is SubsidyKind.FULL:
        return "全额资助"
    if isinstance(rule.amount, Money):
        return f"定额资助{money_cn(rule.amount)}"
    share = rule.amount or ZERO
    floor = f"（最低{money_cn(rule.floor)}）" if rule.floor is not None else ""
    return f"按缴费标准的{ratio_cn(share)}资助{floor}"


def _subsidy_items(subsidy: ir.Subsidy, policy: ir.Policy) -> Iterator[_Item]:
    for r in subsidy.rules:
        who = who_cn(r.when, policy)
        yield _Item("资助标准", who, subsidy_rule_value(r), r.start, r.end, r.origin)


def _question_items(question: ir.Question, policy: ir.Policy) -> Iterator[_Item]:
    for a in question.allows:
        yield _Item("允许的情形", "", f"允许{conditions_cn(a.when, policy)}", a.start, a.end, a.origin, rule=True)


# ---- series → changes ----------------------------------------------------------------------------
def _day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def _series(scheme: str, layer: str | None, items: list[_Item], start: dt.date | None,
            end: dt.date | None) -> list[Change]:
    """Changes of items grouped by (parameter, label): replacements, additions and removals."""
    out: list[Change] = []
    groups: dict[tuple[str, str], list[_Item]] = {}
    for item in items:
        groups.setdefault((item.parameter, item.label), []).append(item)

    def change(item: _Item, day: dt.date, old, new, origins) -> Change:
        return Change(scheme, layer, item.parameter, item.label, day, old, new,
                      tuple(o for o in origins if o is not None), item.rule)

    for series in groups.values():
        series.sort(key=lambda i: i.start or dt.date.min)
        follows = [i > 0 and series[i - 1].end is not None and item.start == _day_after(series[i - 1].end)
                   for i, item in enumerate(series)]
        for i, item in enumerate(series):
            if follows[i]:
                prev = series[i - 1]
                if prev.value != item.value:
                    out.append(change(item, item.start, prev.value, item.value, (prev.origin, item.origin)))
            elif item.start is not None and (start is None or item.start > start):
                out.append(change(item, item.start, None, item.value, (item.origin,)))
            followed = i + 1 < len(series) and follows[i + 1]
            if item.end is not None and not followed and (end is None or item.end < end):
                out.append(change(item, _day_after(item.end), item.value, None, (item.origin,)))
    return out


# ---- wording -------------------------------------------------------------------------------------
def _direction(old: HistoryValue, new: HistoryValue) -> str:
    numbers = (Money, Ratio, Days)
    if isinstance(old, numbers) and isinstance(new, numbers) and type(old) is type(new):
        return "提高至" if new > old else "降低至"
    return "调整为"


def place(change: Change) -> str:
    """职工住院 / 职工住院 大病保险 (the base layer 基本医保 is not named)."""
    parts = [change.scheme] if change.scheme else []
    if change.layer and change.layer != "基本医保":
        parts.append(change.layer)
    return " ".join(parts)


def sentence(change: Change, with_place: bool = True) -> str:
    """2024年1月1日起，职工住院 年度封顶线由15万元提高至20万元."""
    where = place(change) if with_place else ""
    where = f"{where} " if where else ""
    when = f"{date_cn(change.date)}起，"
    if change.rule:
        who = change.label if change.parameter not in ("要求",) else ""
        if change.old is None:
            return f"{when}{where}{who}{value_cn(change.new)}"
        if change.new is None:
            return f"{when}{where}不再执行：{who}{value_cn(change.old)}"
        return f"{when}{where}{who}由“{value_cn(change.old)}”调整为“{value_cn(change.new)}”"
    who = f"{change.label} " if change.label else ""
    if change.old is None:
        return f"{when}{where}新增{who}{change.parameter}：{value_cn(change.new)}"
    if change.new is None:
        return f"{when}{where}取消{who}{change.parameter}（原为{value_cn(change.old)}）"
    return (f"{when}{where}{who}{change.parameter}由{value_cn(change.old)}"
            f"{_direction(change.old, change.new)}{value_cn(change.new)}")


def machine_value(value: HistoryValue | None) -> str | None:
    """The JSON form: money as yuan with two decimals, ratios as percentages, anything else in words."""
    if value is None:
        return None
    if isinstance(value, Money):
        return fmt_plain(int(value))
    return value_cn(value)


def to_json(change: Change) -> dict:
    return {
        "日期": change.date.isoformat(),
        "方案": change.scheme,
        "层": change.layer,
        "参数": change.parameter,
        "适用": change.label,
        "类别": change.kind,
        "原值": machine_value(change.old),
        "新值": machine_value(change.new),
        "说明": sentence(change),
        "位置": [str(o) for o in change.origins],
    }
