"""The policy IR: schemes → layers → primitives, with date-versioned parameters.

Backends (settle, batch, docs, diff, coverage) read only this module's classes. Everything is data:
no Python callables, so the IR can be printed, compared, vectorised and documented.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from fractions import Fraction

import attrs

from policylang.source import Span


def _origin() -> Span | None:
    return attrs.field(eq=False, repr=False, default=None)


class Scope(enum.Enum):
    """What a deductible or cap is counted over (its accumulator key)."""

    VISIT = "每次"
    DAY = "每日"
    ADMISSION = "每次住院"
    PERIOD = "年度"


@attrs.frozen
class Enumeration:
    """A field and its allowed values, e.g. 医院等级: 一级, 二级, 三级."""

    name: str
    values: tuple[str, ...]
    origin: Span | None = _origin()


@attrs.frozen
class Condition:
    """field ∈ values. A person's or claim's facts satisfy it if the field's value is listed."""

    field: str
    values: frozenset[str]

    def holds(self, facts: Mapping[str, str]) -> bool:
        return facts.get(self.field) in self.values

    def describe(self) -> str:
        return f"{self.field}为{'或'.join(sorted(self.values))}"


def all_hold(conds: tuple[Condition, ...], facts: Mapping[str, str]) -> bool:
    return all(c.holds(facts) for c in conds)


@attrs.frozen
class Cell:
    """One table entry: the value for facts matching every key (no keys: the default)."""

    keys: tuple[tuple[str, str], ...]
    value: int | Fraction  # 分 for money tables, a fraction for ratios
    origin: Span | None = _origin()

    def matches(self, facts: Mapping[str, str]) -> bool:
        return all(facts.get(f) == v for f, v in self.keys)

    def label(self) -> str:
        return "、".join(v for _, v in self.keys)


@attrs.frozen
class Table:
    """Values keyed by enumeration values; a lookup takes the most specific matching cell."""

    cells: tuple[Cell, ...]

    def lookup(self, facts: Mapping[str, str]) -> Cell | None:
        best = None
        for cell in self.cells:
            if cell.matches(facts) and (best is None or len(cell.keys) > len(best.keys)):
                best = cell
        return best

    @property
    def fields(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for cell in self.cells:
            for f, _ in cell.keys:
                seen.setdefault(f)
        return tuple(seen)


@attrs.frozen
class Version:
    """A value in force from start to end (both inclusive; None = open)."""

    start: dt.date | None
    end: dt.date | None
    table: Table
    origin: Span | None = _origin()

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@attrs.frozen
class Param:
    """A parameter as a time series of tables: the claim's date picks the version."""

    name: str
    versions: tuple[Version, ...]

    def at(self, day: dt.date) -> Version | None:
        for v in self.versions:
            if v.covers(day):
                return v
        return None


@attrs.frozen
class Deductible:
    """起付线: the person pays this much of the layer's base first, counted per scope."""

    scope: Scope
    param: Param


@attrs.frozen
class Adjustment:
    """A ratio adjustment in percentage points for claims meeting every condition (退休 +5%)."""

    when: tuple[Condition, ...]
    delta: Fraction
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()

    def applies(self, facts: Mapping[str, str], day: dt.date) -> bool:
        in_force = (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
        return in_force and all_hold(self.when, facts)


@attrs.frozen
class Ratio:
    """支付比例: a table by enumerations plus adjustments; the result is clamped to 0–100%."""

    param: Param
    adjustments: tuple[Adjustment, ...] = ()


@attrs.frozen
class Cap:
    """封顶线: a ceiling on the layer's payments, counted per scope."""

    scope: Scope
    param: Param


@attrs.frozen
class Layer:
    """One layer of a scheme: deductible, ratio and caps over the base the previous layer left."""

    name: str
    ratio: Ratio
    deductible: Deductible | None = None
    caps: tuple[Cap, ...] = ()
    notes: tuple[str, ...] = ()
    origin: Span | None = _origin()


@attrs.frozen
class Period:
    """The accumulation period: 自然年度 (start month 1) or 社保年度 starting in another month."""

    kind: str = "自然年度"
    start_month: int = 1

    def key(self, day: dt.date) -> int:
        """The period a day belongs to, named by the calendar year it starts in."""
        return day.year if day.month >= self.start_month else day.year - 1

    def bounds(self, key: int) -> tuple[dt.date, dt.date]:
        start = dt.date(key, self.start_month, 1)
        end = dt.date(key + 1, self.start_month, 1) - dt.timedelta(days=1)
        return start, end


@attrs.frozen
class Scheme:
    """方案: who and which claims it applies to, its period, and its layers in order."""

    name: str
    when: tuple[Condition, ...]
    period: Period
    layers: tuple[Layer, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    notes: tuple[str, ...] = ()
    origin: Span | None = _origin()

    def applies(self, facts: Mapping[str, str], day: dt.date) -> bool:
        in_force = (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
        return in_force and all_hold(self.when, facts)


@attrs.frozen
class Basis:
    """依据: the document a rule comes from and its 文件号."""

    title: str
    number: str | None = None


@attrs.frozen
class Policy:
    """A compiled region."""

    region: str
    basis: tuple[Basis, ...]
    start: dt.date | None
    end: dt.date | None
    notes: tuple[str, ...]
    assumptions: tuple[str, ...]
    enums: tuple[Enumeration, ...]
    schemes: tuple[Scheme, ...]
    rounding: str = "四舍五入"

    def enum(self, name: str) -> Enumeration | None:
        return next((e for e in self.enums if e.name == name), None)

    def scheme_for(self, facts: Mapping[str, str], day: dt.date) -> Scheme | None:
        return next((s for s in self.schemes if s.applies(facts, day)), None)
