"""Rule coverage: which rules, table cells, adjustments, caps … of a region its tests exercise.

The coverable items are found by walking the IR generically: every scheme, and inside a scheme every
attrs object that carries an `origin` span and holds no such object itself (a table cell, an
adjustment, and whatever primitives the IR gains: brackets, eligibility conditions …). An item is
exercised when its span is the origin of a trace line of some settlement the tests ran; spans are
compared by (file, line, column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

import attrs

from policylang import ir
from policylang.eval.trace import TraceLine
from policylang.ir.values import Ratio
from policylang.ir.wording import condition_words, value_text
from policylang.source import Span

SpanKey = tuple[str, int, int]

# Chinese names of the IR classes an item may be (tests/check pins that every IR class with a span has one);
# an officer never sees a class name: a class added without a name here is shown as 规则.
KIND_NAMES = {"Scheme": "方案", "Adjustment": "比例调整", "Version": "参数版本", "Layer": "待遇层",
              "Band": "分段", "Waiver": "免起付线", "Exclusion": "不予报销", "ClassShare": "乙类先行自付",
              "FirstSelfPay": "先行自付", "Requirement": "资格条件", "DaysAddition": "津贴加天",
              "DaysPerCount": "津贴按胎数加天", "Subsidy": "资助", "SubsidyRule": "资助规则", "Question": "判断",
              "Allow": "判断条件", "Account": "个人账户", "CountRule": "第 n 次规则", "OneOff": "一次性支付",
              "Cell": "表项", "Enumeration": "枚举", "FieldDef": "字段", "Reference": "参考值"}
KIND_NAMES["Compound"] = "起付线逐次"
KIND_NAMES["Accumulator"] = "累计"  # 累计 declarations (named running totals)
KIND_NAMES.update({"AlreadyPaid": "扣除已付", "YearTopUp": "年度补助"})
UNNAMED_KIND = "规则"


def span_key(span: Span) -> SpanKey:
    return (span.file, span.line, span.column)


@attrs.frozen
class Item:
    """A coverable piece of a policy: its kind (比例表项, 封顶线表项 …), a readable label and its span."""

    kind: str
    label: str
    origin: Span

    @property
    def key(self) -> SpanKey:
        return span_key(self.origin)


def _day(d: dt.date | None) -> str:
    return d.isoformat() if d else "…"


def _describe(obj: object, in_param: bool = True) -> str:
    """A short label for an IR node on the path to an item (a scheme's, a layer's, a parameter's name …)."""
    if isinstance(obj, ir.Cell):
        value = cell_value(obj.value) if in_param or not isinstance(obj.value, Ratio) else f"{obj.value.value}"
        return f"{obj.label() or '默认'} {value}"
    if isinstance(obj, ir.Band):
        upper = "以上" if obj.upper is None else f"至 {obj.upper}"
        return f"{obj.lower}{upper} {obj.ratio}"
    if isinstance(obj, ir.Version):
        return "" if obj.start is None and obj.end is None else f"{_day(obj.start)}至{_day(obj.end)}"
    if isinstance(obj, ir.Adjustment):
        who = "、".join(sorted(condition_words(obj.when)))
        return f"{who} {'加' if obj.raises else '减'} {abs(obj.delta)}"
    if isinstance(obj, ir.Cap | ir.Deductible):
        return obj.scope.value
    name = getattr(obj, "name", None)
    return name if isinstance(name, str) else ""


def cell_value(value: object) -> str:
    """A table value as written, for the list of what no test reaches."""
    return value_text(value)


def _children(obj: object) -> Iterable[object]:
    """The attrs objects directly inside obj's fields (through tuples, lists, sets and mappings)."""
    return ir.children(obj)


def _kind(obj: object, path: list[object]) -> str:
    if isinstance(obj, ir.Cell):
        param = next((p for p in reversed(path) if isinstance(p, ir.Param)), None)
        return f"{param.name}表项" if param else "表项"
    return KIND_NAMES.get(type(obj).__name__, UNNAMED_KIND)


def _walk(obj: object, path: list[object], out: list[Item]) -> bool:
    """Collect the leaf items under obj; True if any object under obj carries a span."""
    found = False
    for child in _children(obj):
        if isinstance(child, ir.FieldTest):  # a condition of the rule that holds it (a cell, a layer): not a rule
            continue
        below = _walk(child, [*path, child], out)
        origin = getattr(child, "origin", None)
        if isinstance(origin, Span) and not below:
            in_param = any(isinstance(p, ir.Param) for p in path)
            label = " › ".join(s for p in [*path, child] if (s := _describe(p, in_param)))
            out.append(Item(_kind(child, path), label, origin))
        found |= below or isinstance(origin, Span)
    return found


def coverable(policy: ir.Policy) -> tuple[Item, ...]:
    """Every coverable item of a policy, in script order, one per span: schemes and what they hold, and
    the rules outside schemes (资助 subsidies, 判断 questions …)."""
    items: list[Item] = []
    for rule in (*policy.schemes, *getattr(policy, "subsidies", ()), *getattr(policy, "questions", ())):
        below = _walk(rule, [rule], items)
        # a scheme is reached when a claim is settled under it; another rule only through what it holds
        if rule.origin is not None and (isinstance(rule, ir.Scheme) or not below):
            items.append(Item(_kind(rule, []), getattr(rule, "name", ""), rule.origin))
    unique = {it.key: it for it in reversed(items)}
    return tuple(sorted(unique.values(), key=lambda it: it.key))


def exercised(lines: Iterable[TraceLine]) -> set[SpanKey]:
    """The spans that some of these trace lines point at."""
    return {span_key(t.origin) for t in lines if t.origin is not None}


@attrs.frozen
class Coverage:
    """A region's coverage: every item and the spans the tests reached."""

    region: str
    items: tuple[Item, ...]
    reached: frozenset[SpanKey]

    @property
    def covered(self) -> tuple[Item, ...]:
        return tuple(it for it in self.items if it.key in self.reached)

    @property
    def missing(self) -> tuple[Item, ...]:
        return tuple(it for it in self.items if it.key not in self.reached)

    @property
    def ratio(self) -> Fraction:
        return Fraction(len(self.covered), len(self.items)) if self.items else Fraction(1)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """kind → (covered, total), in order of first appearance."""
        out: dict[str, tuple[int, int]] = {}
        for it in self.items:
            c, t = out.get(it.kind, (0, 0))
            out[it.kind] = (c + (it.key in self.reached), t + 1)
        return out


def measure(region: str, policy: ir.Policy, lines: Iterable[TraceLine]) -> Coverage:
    """Coverage of a policy by the trace lines of its tests."""
    return Coverage(region, coverable(policy), frozenset(exercised(lines)))


def percent(r: Fraction) -> str:
    """A coverage ratio as a percentage with one decimal, rounded down (never overstated)."""
    tenths = r.numerator * 1000 // r.denominator
    return f"{tenths // 10}.{tenths % 10}%"


def render(cov: Coverage) -> str:
    """Chinese text: the percentage, the count per kind, and every item no test reaches."""
    lines = [f"覆盖率 {cov.region}: {len(cov.covered)}/{len(cov.items)} 项 ({percent(cov.ratio)}) "
             f"(rule coverage)"]
    kinds = " · ".join(f"{k} {c}/{t}" for k, (c, t) in cov.by_kind().items())
    if kinds:
        lines.append(f"  {kinds}")
    if cov.missing:
        lines.append("  未被任何测试覆盖 (not reached by any test):")
        lines += [f"    {it.origin}  {it.kind}  {it.label}" for it in cov.missing]
    return "\n".join(lines)


def as_json(cov: Coverage) -> dict:
    def item(it: Item) -> dict:
        return {"kind": it.kind, "label": it.label, "file": it.origin.file, "line": it.origin.line,
                "column": it.origin.column}

    return {"region": cov.region, "covered": len(cov.covered), "total": len(cov.items),
            "percent": percent(cov.ratio).rstrip("%"),
            "by_kind": {k: {"covered": c, "total": t} for k, (c, t) in cov.by_kind().items()},
            "missing": [item(it) for it in cov.missing]}
