"""Semantic diff of two compiled policies: every changed parameter and rule, not the text.

IR equality ignores spans, so moving, reformatting or commenting a script changes nothing here. The
walk is generic over attrs classes (new primitives are compared field by field); elements of tuples are
matched by a key (a scheme's or layer's name, a cap's scope, an adjustment's conditions), and a
parameter is compared as a function of the date: its timeline is cut wherever either side's versions
start or end, and each piece compares cells keyed by their enumeration values.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable
from fractions import Fraction

import attrs

from policylang import ir
from policylang.ir.units import fmt_ratio
from policylang.ir.values import Count, Days, Money, Months, Ratio
from policylang.ir.wording import condition_words, value_text
from policylang.source import Span

ADDED, REMOVED, CHANGED = "新增", "删除", "修改"


FIELD_NAMES = {
    "region": "地区", "basis": "依据", "start": "生效日期", "end": "失效日期", "notes": "说明",
    "assumptions": "假设", "enums": "枚举", "schemes": "", "rounding": "舍入规则", "when": "适用条件",
    "period": "周期", "layers": "", "ratio": "", "deductible": "", "caps": "", "adjustments": "比例调整",
    "delta": "调整幅度", "values": "取值", "kind": "类型", "start_month": "起始月", "number": "文号",
    "title": "名称", "scope": "范围", "param": "", "table": "", "days": "", "rate": "日津贴",
    "additions": "津贴加天", "per_count": "津贴按数量加天", "lower": "最低", "upper": "最高", "amount": "金额",
    "threshold": "门槛", "share": "先行自付比例", "step": "每次递减", "floors": "递减下限", "stay_days": "计算期天数",
    "counts": "按次数", "waivers": "免起付线", "shared": "转诊共用", "highest": "按最高等级补差",
    "requirements": "要求", "first_pays": "先行自付", "catalogue": "目录", "account": "个人账户", "fee_limit": "",
    "once": "一次性支付", "fixed": "", "brackets": "", "allowance": "", "base": "基数", "name": "名称",
    "by": "周期依据", "fields": "字段", "references": "参考值", "subsidies": "资助", "questions": "判断",
    "compound": "逐次", "factor": "", "base_lower": "起付线最低", "base_upper": "起付线最高",
}
FIELD_NAMES.update({"counts_in": "计入累计", "separate": "表中各项各自累计", "above_cap": "基数为上一层封顶线以上部分",
                    "accumulators": "", "opening": "已累计"})


FIELD_NAMES.update({"deductions": "", "unit_caps": "", "per": "计量字段", "after_caps": "封顶后扣除"})

FIELD_NAMES.update({"already_paid": "扣除已付", "version_by": "版本依据", "topup": "年度补助", "over": "累计基数"})

# a field named as its record says it (扣除已付's 字段 are the paid-amount fields, not the region's 字段 declarations)
RECORD_FIELD_NAMES = {(ir.AlreadyPaid, "fields"): "扣除已付", (ir.Account, "parts"): "个人账户支付范围",
                      (ir.CountRule, "value"): ""}

@attrs.frozen
class Change:
    """One semantic change: where (path), what, how, old and new values, validity and both locations."""

    path: tuple[str, ...]
    item: str
    status: str
    old: str | None
    new: str | None
    validity: str = ""
    old_at: Span | None = None
    new_at: Span | None = None


def fmt_value(value: object) -> str:
    """A leaf value as an officer reads it."""
    match value:
        case None:
            return "—"
        case bool():
            return "是" if value else "否"
        case Fraction():
            return fmt_ratio(value)
        case Money() | Ratio() | Days() | Months() | Count():
            return str(value)
        case dt.date():
            return value.isoformat()
        case enum.Enum():
            return str(value.value)
        case ir.Condition() | ir.FieldTest():
            return value.describe()
        case ir.Basis():
            return value.title + (f"（{value.number}）" if value.number else "")
        case frozenset() | set():
            return "、".join(sorted(fmt_value(v) for v in value))
        case tuple() | list():
            return "；".join(fmt_value(v) for v in value)
        case _ if attrs.has(type(value)):
            inner = "，".join(f"{FIELD_NAMES.get(f.name, f.name)} {fmt_value(v)}" for f, v in ir.node_fields(value))
            return f"{type(value).__name__}（{inner}）"
        case _:
            return str(value)


def fmt_cell(value: object) -> str:
    """A table value: a ratio, an amount, a reference value (上年度…), bands (分段) or a formula."""
    return value_text(value)


def validity(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "全部期间"
    if end is None:
        return f"{start} 起"
    if start is None:
        return f"至 {end}"
    return f"{start} 至 {end}"


def _key(value: object) -> object:
    """How elements of a tuple are matched between the two sides."""
    if isinstance(value, ir.Adjustment):
        return ("调整", frozenset(c if isinstance(c, ir.FieldTest) else (c.field, c.values) for c in value.when),
                value.start, value.end)
    if isinstance(value, ir.Condition):
        return ("条件", value.field)
    if isinstance(value, ir.FieldTest):
        return ("条件", value.field, value.op)
    if isinstance(value, ir.Cap | ir.Deductible):  # a sub-limit and the shared limit of one scope are two
        return (type(value).__name__, value.scope, value.counts_in, value.by)
    if isinstance(value, ir.Accumulator):
        return ("累计", value.name)
    if isinstance(value, ir.Basis):
        return ("依据", value.title)
    if isinstance(value, ir.UnitCap):
        return ("UnitCap", value.field)
    if isinstance(value, ir.Deduction):
        return ("Deduction", value.per, value.after_caps)
    if isinstance(value, ir.CountRule):  # 第 3 次起 60% → 50% is one change of the 3rd admission's share
        return ("第n次", value.n, value.onward)
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return (type(value).__name__, name)
    return value if not attrs.has(type(value)) else (type(value).__name__, repr(value))


def _label(value: object) -> str:
    """The path label of a matched element."""
    if isinstance(value, ir.Scheme):
        return f"方案 {value.name}"
    if isinstance(value, ir.Adjustment):
        who = "、".join(sorted(condition_words(value.when)))
        dates = "" if value.start is None and value.end is None else f"（{validity(value.start, value.end)}）"
        return f"{who} 比例调整{dates}"
    if isinstance(value, ir.Cap | ir.Deductible):
        scope = f"每个{value.by}" if value.by else value.scope.value
        shared = f"（计入累计“{value.counts_in}”）" if value.counts_in else ""
        return f"{scope}{'封顶线' if isinstance(value, ir.Cap) else '起付线'}{shared}"
    if isinstance(value, ir.Accumulator):
        return f"累计 {value.name}"
    if isinstance(value, ir.UnitCap):
        return f"封顶线（按{value.field}计）"
    if isinstance(value, ir.Deduction):
        return f"{'封顶后' if value.after_caps else '支付后'}扣除（{'按' + value.per + '计' if value.per else '每次'}）"
    if isinstance(value, ir.Condition | ir.FieldTest):
        return f"适用条件 {value.field}"
    if isinstance(value, ir.Enumeration):
        return f"枚举 {value.name}"
    if isinstance(value, ir.Basis):
        return "依据"
    if isinstance(value, ir.CountRule):
        return f"第 {value.n} 次{'起' if value.onward else ''}"
    name = getattr(value, "name", None)
    return name if isinstance(name, str) else type(value).__name__


class _Differ:
    def __init__(self) -> None:
        self.out: list[Change] = []

    def emit(self, path: list[str], item: str, old: object, new: object, at: tuple, fmt=fmt_value,
             valid: str = "") -> None:
        status = ADDED if old is None else REMOVED if new is None else CHANGED
        self.out.append(Change(tuple(p for p in path if p), item, status,
                               None if old is None else fmt(old), None if new is None else fmt(new),
                               valid, at[0], at[1]))

    def node(self, old: object, new: object, path: list[str], item: str, at: tuple) -> None:
        if old == new:
            return
        at = (getattr(old, "origin", None) or at[0], getattr(new, "origin", None) or at[1])
        if isinstance(old, ir.Param | None) and isinstance(new, ir.Param | None) and (old or new):
            self.param(old, new, path, item, at)
        elif isinstance(old, ir.Table | None) and isinstance(new, ir.Table | None) and (old or new):
            # an undated table (递减下限, 减免后的最低): its cells compared by their keys, as a parameter's are
            self.param(*(None if t is None else ir.Param(item, (ir.Version(None, None, t),)) for t in (old, new)),
                       path, item, at)
        elif _is_record(old, new):
            self.record(old, new, path, item, at)
        elif isinstance(old, tuple | frozenset | None) and isinstance(new, tuple | frozenset | None):
            self.elements(old or (), new or (), path, item, at)
        else:
            self.emit(path, item, old, new, at)

    def record(self, old: object, new: object, path: list[str], item: str, at: tuple) -> None:
        present = old if old is not None else new
        whole = old is None or new is None
        for f, _ in ir.node_fields(present):
            o, n = getattr(old, f.name, None), getattr(new, f.name, None)
            if whole and not _holds_rules(o if o is not None else n):
                continue  # an added or removed record: its summary line says the rest
            label = RECORD_FIELD_NAMES.get((type(present), f.name), FIELD_NAMES.get(f.name, f.name))
            self.node(o, n, path, label or item, at)

    def elements(self, old, new, path: list[str], item: str, at: tuple) -> None:
        olds = {_key(v): v for v in old}
        news = {_key(v): v for v in new}
        for key in [*olds, *(k for k in news if k not in olds)]:
            o, n = olds.get(key), news.get(key)
            if o == n:
                continue
            element = o if o is not None else n
            if not attrs.has(type(element)) or isinstance(element, ir.Condition | ir.FieldTest | ir.Basis):
                self.emit(path, item, o, n, at)
                continue
            if isinstance(element, ir.CountRule):  # 按次数 第 3 次起: its share, added, removed or changed
                spans = (getattr(o, "origin", None) or at[0], getattr(n, "origin", None) or at[1])
                self.emit(path, f"{item} {_label(element)}".strip(), o and o.value, n and n.value, spans)
                continue
            if isinstance(element, ir.Cap | ir.Deductible | ir.UnitCap | ir.Deduction):  # cells: "年度封顶线 在职"
                self.node(o, n, path, _label(element), at)
                continue
            if o is None or n is None:
                spans = (getattr(o, "origin", None) or at[0], getattr(n, "origin", None) or at[1])
                valid = validity(element.start, element.end) if isinstance(element, ir.Adjustment) else ""
                self.emit(path, _label(element), o, n, spans, fmt=_summary, valid=valid)
            self.node(o, n, [*path, _label(element)], "", at)

    def param(self, old: ir.Param | None, new: ir.Param | None, path: list[str], item: str,
              at: tuple) -> None:
        name = item or (old or new).name  # type: ignore[union-attr]
        pieces: list[tuple[dt.date | None, dt.date | None, tuple]] = []
        for start, end in _segments(old, new):
            probe = start or (end if end is not None else dt.date(2000, 1, 1))
            vo = old.at(probe) if old else None
            vn = new.at(probe) if new else None
            diffs = _cell_changes(vo, vn)
            if pieces and pieces[-1][2] == diffs and pieces[-1][1] is not None and start is not None \
                    and pieces[-1][1] + dt.timedelta(days=1) == start:
                pieces[-1] = (pieces[-1][0], end, diffs)
            else:
                pieces.append((start, end, diffs))
        for start, end, diffs in pieces:
            for label, co, cn, vo_at, vn_at in diffs:
                self.out.append(Change(tuple(p for p in path if p), f"{name} {label}".strip(),
                                       ADDED if co is None else REMOVED if cn is None else CHANGED,
                                       None if co is None else fmt_cell(co), None if cn is None else fmt_cell(cn),
                                       validity(start, end), vo_at or at[0], vn_at or at[1]))


def _is_record(old: object, new: object) -> bool:
    """Two IR nodes of one type, compared field by field (a typed value is a leaf: it prints with its unit)."""
    present = [v for v in (old, new) if v is not None]
    return bool(present) and all(ir.is_node(v) for v in present) \
        and len({type(v) for v in present}) == 1


def _holds_rules(value: object) -> bool:
    """Whether a value is or holds a parameter or a spanned rule (what an added record should list)."""
    if isinstance(value, ir.Param) or getattr(value, "origin", None) is not None:
        return True
    if isinstance(value, tuple | list | frozenset):
        return any(_holds_rules(v) for v in value)
    if ir.is_node(value):
        return any(_holds_rules(v) for _, v in ir.node_fields(value))
    return False


def _summary(value: object) -> str:
    if isinstance(value, ir.Scheme):
        cond = "，".join(c.describe() for c in value.when)
        return f"方案 {value.name}" + (f"（{cond}）" if cond else "")
    if isinstance(value, ir.Adjustment):
        return f"{'加' if value.raises else '减'} {abs(value.delta)}"
    if isinstance(value, ir.Layer | ir.Cap | ir.Deductible | ir.Ratio | ir.UnitCap | ir.Deduction):
        return _label(value)
    if isinstance(value, ir.Enumeration):
        return "、".join(value.values)
    if isinstance(value, ir.CountRule):
        return f"{_label(value)} {fmt_value(value.value)}"
    if isinstance(value, ir.Accumulator):
        scope = f"按{value.by}" if value.by else value.scope.value
        return f"累计 {value.name}（{scope}，计{value.kind}）"
    return fmt_value(value)


def _segments(old: ir.Param | None, new: ir.Param | None) -> list[tuple[dt.date | None, dt.date | None]]:
    """Cut the time line at every version boundary of either side."""
    cuts: set[dt.date] = set()
    for p in (old, new):
        for v in p.versions if p else ():
            if v.start is not None:
                cuts.add(v.start)
            if v.end is not None and v.end < dt.date.max:
                cuts.add(v.end + dt.timedelta(days=1))
    points = sorted(cuts)
    if not points:
        return [(None, None)]
    out: list[tuple[dt.date | None, dt.date | None]] = [(None, points[0] - dt.timedelta(days=1))]
    for a, b in itertools.pairwise(points):
        out.append((a, b - dt.timedelta(days=1)))
    out.append((points[-1], None))
    return out


def _cell_changes(old: ir.Version | None, new: ir.Version | None) -> tuple:
    """(label, old value, new value, old span, new span) for each cell that differs."""
    def cells(v: ir.Version | None) -> dict[frozenset, ir.Cell]:
        return {frozenset((*c.keys, *c.tests)): c for c in v.table.cells} if v else {}

    co, cn = cells(old), cells(new)
    out = []
    for key in [*co, *(k for k in cn if k not in co)]:
        a, b = co.get(key), cn.get(key)
        if a is not None and b is not None and a.value == b.value:
            continue
        cell = a or b
        assert cell is not None
        out.append((cell.label() or "默认", a.value if a else None, b.value if b else None,
                    (a.origin if a else None) or (old.origin if old else None),
                    (b.origin if b else None) or (new.origin if new else None)))
    return tuple(out)


def diff_policies(old: ir.Policy | None, new: ir.Policy | None) -> tuple[Change, ...]:
    """Every semantic change from old to new (either may be None: a region added or removed)."""
    differ = _Differ()
    differ.node(old, new, [], "", (None, None))
    return tuple(differ.out)


def render_markdown(changes: tuple[Change, ...], title: str, where: Callable[[Span | None], str]) -> str:
    """Chinese Markdown for a review comment: a table of changes per scheme/layer/parameter."""
    lines = [f"### {title}", ""]
    if not changes:
        lines.append("规则没有实质变化（格式、注释与顺序的改动不算变化）。(no semantic change)")
        return "\n".join(lines) + "\n"
    lines.append(f"共 {len(changes)} 处变化 ({len(changes)} changes)。")
    groups: dict[tuple[str, ...], list[Change]] = {}
    for c in changes:
        groups.setdefault(c.path, []).append(c)
    for path, group in groups.items():
        lines += ["", f"**{' › '.join(path) or '全局'}**", "",
                  "| 项目 | 变化 | 原值 | 新值 | 生效期 | 位置（旧 → 新） |", "|---|---|---|---|---|---|"]
        for c in group:
            loc = f"{where(c.old_at) if c.old is not None else '—'} → {where(c.new_at) if c.new is not None else '—'}"
            lines.append(f"| {_cell(c.item)} | {c.status} | {_cell(c.old)} | {_cell(c.new)} | "
                         f"{_cell(c.validity)} | {loc} |")
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    return "—" if not text else text.replace("|", "\\|").replace("\n", " ")
