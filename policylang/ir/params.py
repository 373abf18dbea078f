"""IR values and tables: fields, reference values, expressions, formulas, conditions, and parameters as
date-versioned tables of cells. The layer primitives that hold them are in ir.nodes."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from fractions import Fraction

import attrs

from policylang.ir.accepts import Check, accepts, optional, refuse
from policylang.ir.values import (
    Age,
    ArithOp,
    Count,
    Days,
    FieldType,
    FormulaKind,
    Money,
    Months,
    Number,
    NumUnit,
    PickOp,
    RoundingMode,
    RoundTo,
)
from policylang.ir.values import Ratio as RatioValue
from policylang.source import Span

Fact = str | int | Fraction | dt.date
Facts = Mapping[str, Fact]


def _origin() -> Span | None:
    return attrs.field(eq=False, repr=False, default=None)


class NoCell(Exception):
    """A table the claim reaches has no cell for it: the claim is refused (拒付), never paid as if it were 0.
    Also raised for a typed condition (ir.FieldTest) on a field the claim does not have.

    reason is the officer's sentence (比例表没有 三级 (no ratio for 三级)); origin the table's span.
    """

    def __init__(self, reason: str, origin: Span | None) -> None:
        super().__init__(reason)
        self.reason, self.origin = reason, origin


def in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


class Scope(enum.Enum):
    """What a deductible or cap is counted over (its accumulator key)."""

    VISIT = "每次"
    DAY = "每日"
    ADMISSION = "每次住院"
    STAY = "每N天"  # a long stay settles per period of N days from 入院日期
    PERIOD = "年度"
    FIELD = "按字段"  # one total per value of a claim field (孕期号): the limit's `by` names it


# ---- names and values ---------------------------------------------------------------------------
@attrs.frozen
class Enumeration:
    """A field and its allowed values, e.g. 医院等级: 一级, 二级, 三级."""

    name: str
    values: tuple[str, ...]
    default: str | None = None
    origin: Span | None = _origin()


@attrs.frozen
class FieldDef:
    """A typed field of a person or claim: 金额 (分), 天数/月数/年数/次数/年龄 (numbers), 日期, 文字."""

    name: str
    type: FieldType = attrs.field(validator=accepts(FieldType))
    default: Fact | None = None
    optional: bool = False
    origin: Span | None = _origin()


def _year_values(node: object, attribute: attrs.Attribute, value: object) -> None:
    if not isinstance(value, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], Money) for p in value):
        refuse(node, attribute, "a tuple of (year, Money)", value)


@attrs.frozen
class Reference:
    """A reference value per year (上年度农村居民人均可支配收入), in 分."""

    name: str
    values: tuple[tuple[int, Money], ...] = attrs.field(validator=_year_values)
    origin: Span | None = _origin()

    def for_year(self, year: int) -> Money | None:
        return next((v for y, v in self.values if y == year), None)


@attrs.frozen
class RefValue:
    """A table value taken from a reference: the claim's year plus offset (上年度 = −1)."""

    name: str
    offset: int

    def describe(self) -> str:
        return f"{'上年度' if self.offset == -1 else '当年'}{self.name}"


@attrs.frozen
class Band:
    """One bracket of 分段: the part of the base between lower and upper (分) is paid at ratio."""

    lower: Money = attrs.field(validator=accepts(Money))
    upper: Money | None = attrs.field(validator=optional(Money))
    ratio: RatioValue = attrs.field(validator=accepts(RatioValue))
    lower_inclusive: bool = False
    upper_inclusive: bool = True
    origin: Span | None = _origin()


@attrs.frozen
class BandSet:
    bands: tuple[Band, ...]


_NUM_UNIT = {Money: NumUnit.MONEY, RatioValue: NumUnit.RATIO, Number: NumUnit.NUM}


@attrs.frozen
class Num:
    """A constant in an expression: money in 分, a ratio, or a plain number; its type is its unit."""

    value: Money | RatioValue | Number = attrs.field(validator=accepts(Money, RatioValue, Number))
    written: str = ""  # the unit as written when the value's type does not say it: 个月, 天, 次, 元/天

    @property
    def unit(self) -> NumUnit:
        return _NUM_UNIT[type(self.value)]


@attrs.frozen
class FieldRef:
    """A person or claim field in an expression (年龄, 月工资 …)."""

    name: str


@attrs.frozen
class Bin:
    op: ArithOp = attrs.field(validator=accepts(ArithOp))
    left: Arith = attrs.field(validator=lambda n, a, v: _arith(n, a, v))  # Bin is not defined yet here
    right: Arith = attrs.field(validator=lambda n, a, v: _arith(n, a, v))


# The claim's own amounts an expression may read: each is known before any layer pays (settle computes them
# from the claim and the catalogue first). What the layers pay (统筹支付, 起付线 …) is not: it is refused (E065).
CLAIM_AMOUNTS = ("费用", "政策范围内费用", "全自费", "先行自付")


@attrs.frozen
class ClaimAmount:
    """An amount of the claim being settled (费用, 政策范围内费用, 全自费, 先行自付), in 分."""

    name: str = attrs.field(validator=attrs.validators.in_(CLAIM_AMOUNTS))


@attrs.frozen
class Pick:
    """取小(a, b, …) / 取大(a, b, …): the least or greatest of values of one unit."""

    op: PickOp = attrs.field(validator=accepts(PickOp))
    args: tuple[Arith, ...] = attrs.field(validator=lambda n, a, v: _args(n, a, v))


def _args(node: object, attribute: attrs.Attribute, value: object) -> None:
    if not isinstance(value, tuple) or len(value) < 2:
        refuse(node, attribute, "a tuple of two or more expressions", value)
    for v in value:
        _arith(node, attribute, v)


Arith = Num | FieldRef | RefValue | Bin | ClaimAmount | Pick
_arith = accepts(Num, FieldRef, RefValue, Bin, ClaimAmount, Pick)
ARITH_NODES = (Num, FieldRef, RefValue, Bin, ClaimAmount, Pick)


def _bound(node: Formula, attribute: attrs.Attribute, value: object) -> None:
    """A constant of the formula's unit (最低 600 元), or an expression (最低 上年度 职工平均工资 × 1%)."""
    if isinstance(value, ARITH_NODES):
        return
    optional(node.unit)(node, attribute, value)


@attrs.frozen
class Formula:
    """A parameter computed per claim: an expression with bounds and an explicit rounding.

    kind money: the result is in 分 (rounded to 分 or 元 as round_to says, else by the region's rule where
    it is used); kind ratio: an exact fraction.
    """

    expr: Arith = attrs.field(validator=lambda n, a, v: _arith(n, a, v))
    kind: FormulaKind = attrs.field(validator=accepts(FormulaKind))
    lower: Money | RatioValue | Arith | None = attrs.field(default=None, validator=_bound)
    upper: Money | RatioValue | Arith | None = attrs.field(default=None, validator=_bound)
    round_to: RoundTo | None = attrs.field(default=None, validator=optional(RoundTo))
    round_mode: RoundingMode | None = attrs.field(default=None, validator=optional(RoundingMode))
    text: str = ""
    lower_text: str = ""  # a bound computed per claim as written (上年度职工平均工资 × 10%), for the trace
    upper_text: str = ""

    @property
    def unit(self) -> type[Money] | type[RatioValue] | type[Days]:
        """The type of the formula's result (and of its constant bounds)."""
        return {FormulaKind.MONEY: Money, FormulaKind.RATIO: RatioValue, FormulaKind.DAYS: Days}[self.kind]


@attrs.frozen
class CountRule:
    """第 n 次 (起): a factor or share for the n-th event of the period (and after, when onward)."""

    n: int
    onward: bool
    value: RatioValue = attrs.field(validator=accepts(RatioValue))
    origin: Span | None = _origin()


def count_value(rules: tuple[CountRule, ...], n: int) -> CountRule | None:
    exact = next((r for r in rules if r.n == n), None)
    if exact is not None:
        return exact
    onward = [r for r in rules if r.onward and r.n <= n]
    return max(onward, key=lambda r: r.n) if onward else None


Value = Money | RatioValue | Days | Months | Count | Age | RefValue | BandSet | Formula
_VALUES = (Money, RatioValue, Days, Months, Count, Age, RefValue, BandSet, Formula)


@attrs.frozen
class Condition:
    """field ∈ values. A person's or claim's facts satisfy it if the field's value is listed."""

    field: str
    values: frozenset[str]

    def holds(self, facts: Facts) -> bool:
        return facts.get(self.field) in self.values

    def describe(self, order: tuple[str, ...] = ()) -> str:
        """字段为值或值, in the enumeration's order when given."""
        values = sorted(self.values, key=lambda v: (order.index(v) if v in order else len(order), v))
        return f"{self.field}为{'或'.join(values)}"


def all_hold(conds: tuple[Condition, ...], facts: Facts) -> bool:
    return all(c.holds(facts) for c in conds)


@attrs.frozen
class Cell:
    """One table entry: the value for facts matching every key (no keys: the default)."""

    keys: tuple[tuple[str, str], ...]
    value: Value = attrs.field(validator=accepts(*_VALUES))
    origin: Span | None = _origin()
    tests: tuple = ()  # typed keys (ir.FieldTest: 年龄 >= 60 岁), after the enumeration keys

    def matches(self, facts: Facts) -> bool:
        """Enumeration keys first: a typed key is tested (and its field needed) only where they match."""
        return all(facts.get(f) == v for f, v in self.keys) and all(t.holds(facts) for t in self.tests)

    def label(self) -> str:
        return "、".join([*(v for _, v in self.keys), *(t.describe() for t in self.tests)])

    @property
    def specificity(self) -> int:
        """The number of fields the cell is keyed on (two typed keys on one field, a range, count once)."""
        return len(self.keys) + len({t.field for t in self.tests})


@attrs.frozen
class Table:
    """Values keyed by enumeration values; a lookup takes the most specific matching cell."""

    cells: tuple[Cell, ...]

    def lookup(self, facts: Facts) -> Cell | None:
        best = None
        for cell in self.cells:
            if cell.matches(facts) and (best is None or cell.specificity > best.specificity):
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
    """A table in force from start to end (both inclusive; None = open)."""

    start: dt.date | None
    end: dt.date | None
    table: Table
    origin: Span | None = _origin()

    def covers(self, day: dt.date) -> bool:
        return in_force(self.start, self.end, day)


@attrs.frozen
class Param:
    """A parameter as a time series of tables: the claim's date picks the version."""

    name: str
    versions: tuple[Version, ...]

    def at(self, day: dt.date) -> Version | None:
        return next((v for v in self.versions if v.covers(day)), None)

    def lookup(self, day: dt.date, facts: Facts) -> Cell | None:
        version = self.at(day)
        return version.table.lookup(facts) if version else None


def cells_of(*types: type, formula: FormulaKind | None = None) -> Check:
    """A Param's (or a Table's) every cell holds one of types, or a formula of the given kind: a deductible
    table holds money, a ratio table ratios. None passes (an optional table)."""
    def check(node: object, attribute: attrs.Attribute, value: object) -> None:
        if value is None:
            return
        tables = [v.table for v in value.versions] if isinstance(value, Param) else [value]
        if not all(isinstance(t, Table) for t in tables):
            refuse(node, attribute, "a Param or a Table", value)
        for table in tables:
            for c in table.cells:
                if not (isinstance(c.value, types) or (isinstance(c.value, Formula) and c.value.kind is formula)):
                    refuse(node, attribute, f"cells of {' or '.join(t.__name__ for t in types)}", c.value)
    return check
