"""The policy IR: schemes → layers → primitives, with date-versioned parameters.

Backends (settle, batch, docs, diff, coverage) read only this package. Everything is data: no Python
callables, so the IR can be printed, compared, exported, vectorised and documented. Values carry their units
(ir.values: Money in 分, Ratio, Days, Months, Count) and kinds are enumerations. Spans are fields with
`eq=False`: they never take part in equality, and ir.walk skips them. Note the names: `Ratio` here is the
支付比例 primitive; the ratio *value* is `values.Ratio` (exported here as `RatioValue`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from fractions import Fraction

import attrs

from policylang.ir.values import (
    ArithOp,
    CompareOp,
    Count,
    Days,
    FieldType,
    FormulaKind,
    Money,
    Months,
    NumUnit,
    OperandKind,
    RoundingMode,
    RoundTo,
    SubsidyKind,
)
from policylang.ir.values import Ratio as RatioValue
from policylang.source import Span

Fact = str | int | Fraction | dt.date
Facts = Mapping[str, Fact]


def _origin() -> Span | None:
    return attrs.field(eq=False, repr=False, default=None)


# ---- the transitional boundary ----------------------------------------------------------------
# Lowering still passes bare values (int 分, Fraction ratios, kind strings) and reads some back while it
# builds (a band's bounds, to check for gaps). So a field names the typed value it holds in its metadata, and
# the Policy's converters retype the whole tree once, when lowering hands the policy over: everything
# downstream of the IR sees only typed values. Once lowering constructs typed values itself, the legacy
# branches (marked LEGACY) and this pass go, and the metadata become plain converters.
def _typed_by(convert, node: bool = False) -> dict:
    return {"typed": convert if node else (lambda value, _node: convert(value))}


def _typed(value):
    """value with every field retyped as its metadata says (LEGACY: bare values from lowering)."""
    if isinstance(value, tuple):
        out = tuple(_typed(v) for v in value)
        return value if all(a is b for a, b in zip(out, value, strict=True)) else out
    if not attrs.has(type(value)):
        return value
    changes = {}
    for f in attrs.fields(type(value)):
        if f.eq is False:
            continue
        old = getattr(value, f.name)
        new = f.metadata["typed"](old, value) if "typed" in f.metadata else old
        new = _typed(new)
        if new is not old:
            changes[f.name] = new
    return attrs.evolve(value, **changes) if changes else value


def _money(x: object) -> Money:
    if isinstance(x, Money):
        return x
    if isinstance(x, int | Fraction) and not isinstance(x, bool):  # LEGACY: bare 分
        return Money(x)
    raise TypeError(f"money expected, got {x!r}")


def _money_or_none(x: object) -> Money | None:
    return None if x is None else _money(x)


def _ratio(x: object) -> RatioValue:
    if isinstance(x, RatioValue):
        return x
    if isinstance(x, int | Fraction) and not isinstance(x, bool):  # LEGACY: bare fraction
        return RatioValue(x)
    raise TypeError(f"ratio expected, got {x!r}")


def _ratio_or_none(x: object) -> RatioValue | None:
    return None if x is None else _ratio(x)


def _days(x: object) -> Days:
    if isinstance(x, Days):
        return x
    if isinstance(x, int) and not isinstance(x, bool):  # LEGACY: bare days
        return Days(x)
    raise TypeError(f"days expected, got {x!r}")


def _enum(cls):
    def convert(x):
        return x if x is None or isinstance(x, cls) else cls(x)  # LEGACY: kind strings
    return convert


def _cells_as(convert):
    """Retype a table's constant cells by the unit its owner gives them (references, formulas, bands stay)."""
    def cell(c):
        v = c.value
        if isinstance(v, RefValue | Formula | BandSet):
            return c
        typed = convert(v)
        return c if typed is v else attrs.evolve(c, value=typed)

    def table(t):
        if t is None:
            return None
        cells = tuple(cell(c) for c in t.cells)
        return t if all(a is b for a, b in zip(cells, t.cells, strict=True)) else Table(cells)

    def param(p):
        if isinstance(p, Table) or p is None:
            return table(p)
        versions = tuple(v if (t := table(v.table)) is v.table else attrs.evolve(v, table=t) for v in p.versions)
        return p if versions == p.versions and all(
            a.table is b.table for a, b in zip(versions, p.versions, strict=True)) else attrs.evolve(p, versions=versions)
    return param


_money_cells = _cells_as(_money)
_ratio_cells = _cells_as(_ratio)
_days_cells = _cells_as(_days)


def _formula_bound(value, self):
    if value is None or isinstance(value, Money | RatioValue):
        return value
    return Money(value) if self.kind == FormulaKind.MONEY else RatioValue(value)  # LEGACY: bare bound


def _rate(x):
    return x if isinstance(x, RefValue | Formula | str | Money) or x is None else _money(x)


def _subsidy_amount(value, self):
    if value is None or isinstance(value, Money | RatioValue):
        return value
    return Money(value) if self.kind == SubsidyKind.FIXED else RatioValue(value)  # LEGACY


_OPERAND_UNITS = {"分": Money, "天": Days, "月": Months, "次": Count}


def _quantity(value, unit):
    """A requirement's constant in the unit its operand states (分, 天, 月, 次); ages, dates, names stay."""
    cls = _OPERAND_UNITS.get(unit)
    if cls is None or isinstance(value, bool) or not isinstance(value, int | Fraction):
        return value  # already typed, or not a quantity
    if cls in (Days, Count):  # LEGACY: bare whole numbers
        return cls(int(value)) if Fraction(value).denominator == 1 else value
    return cls(value)  # LEGACY


def _operand_value(value, self):
    return _quantity(value, self.unit) if self.kind == OperandKind.CONST else value


def _comparison_rhs(rhs, self):
    """A table of standards (男 25 年, 女 20 年) holds values in the unit of what it is compared with."""
    if not isinstance(rhs, Table):
        return rhs
    unit = next((op.unit for _, op in self.lhs.terms if op.unit in _OPERAND_UNITS), None)
    return _cells_as(lambda v: _quantity(v, unit))(rhs)


def _references(values):
    return tuple((year, _money(v)) for year, v in values)


def in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


class Scope(enum.Enum):
    """What a deductible or cap is counted over (its accumulator key)."""

    VISIT = "每次"
    DAY = "每日"
    ADMISSION = "每次住院"
    STAY = "每N天"  # a long stay settles per period of N days from 入院日期
    PERIOD = "年度"


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
    type: FieldType = attrs.field(metadata=_typed_by(_enum(FieldType)))
    default: Fact | None = None
    optional: bool = False
    origin: Span | None = _origin()


@attrs.frozen
class Reference:
    """A reference value per year (上年度农村居民人均可支配收入), in 分."""

    name: str
    values: tuple[tuple[int, Money], ...] = attrs.field(metadata=_typed_by(_references))
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

    lower: Money = attrs.field(metadata=_typed_by(_money))
    upper: Money | None = attrs.field(metadata=_typed_by(_money_or_none))
    ratio: RatioValue = attrs.field(metadata=_typed_by(_ratio))
    lower_inclusive: bool = False
    upper_inclusive: bool = True
    origin: Span | None = _origin()


@attrs.frozen
class BandSet:
    bands: tuple[Band, ...]


@attrs.frozen
class Num:
    """A constant in an expression: money in 分, a ratio, or a plain number."""

    value: Fraction  # inside an expression: the unit says how to read it
    unit: NumUnit = attrs.field(metadata=_typed_by(_enum(NumUnit)))


@attrs.frozen
class FieldRef:
    """A person or claim field in an expression (年龄, 月工资 …)."""

    name: str


@attrs.frozen
class Bin:
    op: ArithOp = attrs.field(metadata=_typed_by(_enum(ArithOp)))
    left: Arith
    right: Arith


Arith = Num | FieldRef | RefValue | Bin


@attrs.frozen
class Formula:
    """A parameter computed per claim: an expression with bounds and an explicit rounding.

    kind money: the result is in 分 (rounded to 分 or 元 as round_to says, else by the region's rule where
    it is used); kind ratio: an exact fraction.
    """

    expr: Arith
    kind: FormulaKind = attrs.field(metadata=_typed_by(_enum(FormulaKind)))
    lower: Money | RatioValue | None = attrs.field(default=None, metadata=_typed_by(_formula_bound, node=True))
    upper: Money | RatioValue | None = attrs.field(default=None, metadata=_typed_by(_formula_bound, node=True))
    round_to: RoundTo | None = attrs.field(default=None, metadata=_typed_by(_enum(RoundTo)))
    round_mode: RoundingMode | None = attrs.field(default=None, metadata=_typed_by(_enum(RoundingMode)))
    text: str = ""


@attrs.frozen
class CountRule:
    """第 n 次 (起): a factor or share for the n-th event of the period (and after, when onward)."""

    n: int
    onward: bool
    value: RatioValue = attrs.field(metadata=_typed_by(_ratio))
    origin: Span | None = _origin()


def count_value(rules: tuple[CountRule, ...], n: int) -> CountRule | None:
    exact = next((r for r in rules if r.n == n), None)
    if exact is not None:
        return exact
    onward = [r for r in rules if r.onward and r.n <= n]
    return max(onward, key=lambda r: r.n) if onward else None


Value = Money | RatioValue | Days | RefValue | BandSet | Formula


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
    value: Value
    origin: Span | None = _origin()

    def matches(self, facts: Facts) -> bool:
        return all(facts.get(f) == v for f, v in self.keys)

    def label(self) -> str:
        return "、".join(v for _, v in self.keys)


@attrs.frozen
class Table:
    """Values keyed by enumeration values; a lookup takes the most specific matching cell."""

    cells: tuple[Cell, ...]

    def lookup(self, facts: Facts) -> Cell | None:
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


# ---- layer primitives ---------------------------------------------------------------------------
@attrs.frozen
class Waiver:
    """起付线 waived for claims meeting every condition (门诊慢特病 免起付线)."""

    when: tuple[Condition, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()


@attrs.frozen
class Deductible:
    """起付线: the person pays this much of the layer's base first, counted per scope.

    shared: claims with the same 转诊号 (a referral inside a 医共体) count one deductible.
    """

    scope: Scope
    param: Param = attrs.field(metadata=_typed_by(_money_cells))
    waivers: tuple[Waiver, ...] = ()
    shared: bool = False
    highest: bool = False  # 按最高等级补差: one per period at the highest level used so far
    counts: tuple[CountRule, ...] = ()  # 第 2 次 50%: scaled by the n-th admission of the period
    step: Money | None = attrs.field(default=None, metadata=_typed_by(_money_or_none))  # 每次递减: lowered per earlier admission …
    floors: Table | None = attrs.field(default=None, metadata=_typed_by(_money_cells))  # … down to these floors
    stay_days: int | None = None


@attrs.frozen
class Adjustment:
    """A ratio adjustment in percentage points for claims meeting every condition (退休 +5%).

    Adjustments apply in the order written; lower / upper bound the result of this step (最低 / 最高).
    """

    when: tuple[Condition, ...]
    delta: RatioValue = attrs.field(metadata=_typed_by(_ratio))
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()
    lower: RatioValue | None = attrs.field(default=None, metadata=_typed_by(_ratio_or_none))
    upper: RatioValue | None = attrs.field(default=None, metadata=_typed_by(_ratio_or_none))

    def applies(self, facts: Facts, day: dt.date) -> bool:
        return in_force(self.start, self.end, day) and all_hold(self.when, facts)

    @property
    def raises(self) -> bool:
        return self.delta.value >= 0


@attrs.frozen
class Ratio:
    """支付比例: a table by enumerations plus adjustments; the result is clamped to 0–100%."""

    param: Param = attrs.field(metadata=_typed_by(_ratio_cells))
    adjustments: tuple[Adjustment, ...] = ()


@attrs.frozen
class Brackets:
    """分段: ratios by band of the period's cumulative base above the layer's deductible."""

    param: Param  # cells hold BandSet values
    base: str = "起付线以上部分"  # or 累计费用: bands on the cumulative cost, paid above the deductible


@attrs.frozen
class Cap:
    """封顶线: a ceiling on the layer's payments, counted per scope."""

    scope: Scope
    param: Param = attrs.field(metadata=_typed_by(_money_cells))
    stay_days: int | None = None


@attrs.frozen
class FeeLimit:
    """费用限额: only the first N 元 of the base per scope enters the layer; the rest passes to the next."""

    scope: Scope
    param: Param = attrs.field(metadata=_typed_by(_money_cells))


@attrs.frozen
class OneOff:
    """一次性支付: paid once per period when the layer's running base first exceeds the threshold."""

    amount: Money = attrs.field(metadata=_typed_by(_money))
    threshold: Money = attrs.field(metadata=_typed_by(_money))
    origin: Span | None = _origin()


@attrs.frozen
class Fixed:
    """定额: the layer pays min(actual, standard)."""

    param: Param = attrs.field(metadata=_typed_by(_money_cells))


@attrs.frozen
class DaysAddition:
    """津贴天数 加 N 天 for claims meeting every condition (难产 +15)."""

    when: tuple[Condition, ...]
    days: Days = attrs.field(metadata=_typed_by(_days))
    origin: Span | None = _origin()


@attrs.frozen
class DaysPerCount:
    """津贴天数 胎数 每多 1 加 15 天: days × (field − base) when positive."""

    field: str
    base: int
    days: Days = attrs.field(metadata=_typed_by(_days))
    origin: Span | None = _origin()


@attrs.frozen
class Allowance:
    """津贴: (base days + additions) × daily rate (a constant, a reference or a money field)."""

    days: Param = attrs.field(metadata=_typed_by(_days_cells))
    additions: tuple[DaysAddition, ...] = ()
    per_count: tuple[DaysPerCount, ...] = ()
    rate: Money | RefValue | str | Formula | None = attrs.field(default=None, metadata=_typed_by(_rate))  # str: a money field
    rate_origin: Span | None = _origin()


@attrs.frozen
class Layer:
    """One layer of a scheme, working on what the previous layer left."""

    name: str
    when: tuple[Condition, ...] = ()
    deductible: Deductible | None = None
    ratio: Ratio | None = None
    brackets: Brackets | None = None
    fixed: Fixed | None = None
    caps: tuple[Cap, ...] = ()
    allowance: Allowance | None = None
    notes: tuple[str, ...] = ()
    origin: Span | None = _origin()
    fee_limit: FeeLimit | None = None
    once: OneOff | None = None
    requirements: tuple[Requirement, ...] = ()  # 要求 inside a 层: the layer pays nothing when one fails


# ---- catalogue, first self-pay, eligibility -----------------------------------------------------
@attrs.frozen
class Exclusion:
    """不予报销: an item name paid in full by the person (全自费)."""

    name: str
    origin: Span | None = _origin()


@attrs.frozen
class ClassShare:
    """乙类 先行自付 10%: the share of a catalogue class the person pays first."""

    cls: str
    share: RatioValue = attrs.field(metadata=_typed_by(_ratio))
    origin: Span | None = _origin()


@attrs.frozen
class Catalogue:
    """Which items (明细) enter the policy range. 目录外 and 丙类 items are 全自费."""

    exclusions: tuple[Exclusion, ...] = ()
    shares: tuple[ClassShare, ...] = ()
    out_of_range: tuple[str, ...] = ("丙类", "目录外")


@attrs.frozen
class FirstSelfPay:
    """异地转诊 先行自付 10% (按 三级): the person pays share first; the rest is settled with overrides."""

    when: tuple[Condition, ...]
    share: RatioValue = attrs.field(metadata=_typed_by(_ratio))
    overrides: tuple[tuple[str, str], ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()
    counts: tuple[CountRule, ...] = ()  # share by the n-th such claim of the period, when given


@attrs.frozen
class Operand:
    """field | const | month_day | this_month | next_month. Durations are in days or months."""

    kind: OperandKind = attrs.field(metadata=_typed_by(_enum(OperandKind)))
    value: object = attrs.field(metadata=_typed_by(_operand_value, node=True))
    unit: str | None = None  # 天 | 月 for durations, 分 for money, 次 / 岁 for counts and ages


@attrs.frozen
class Expr:
    terms: tuple[tuple[int, Operand], ...]  # (+1 / −1, operand)


@attrs.frozen
class Comparison:
    lhs: Expr
    op: CompareOp = attrs.field(metadata=_typed_by(_enum(CompareOp)))
    rhs: Expr | Table = attrs.field(metadata=_typed_by(_comparison_rhs, node=True))


@attrs.frozen
class Requirement:
    """要求 …否则 "理由": a claim failing the predicate (where the guards hold) is not paid."""

    predicate: Comparison
    guards: tuple[Comparison, ...]
    reason: str
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()


@attrs.frozen
class Period:
    """The accumulation period: 自然年度 (start month 1) or 社保年度 starting in another month."""

    kind: str = "自然年度"
    start_month: int = 1
    by: str | None = None  # a date field (出院日期) that places a claim in its period instead of its date

    def key(self, day: dt.date) -> int:
        """The period a day belongs to, named by the calendar year it starts in."""
        return day.year if day.month >= self.start_month else day.year - 1

    def bounds(self, key: int) -> tuple[dt.date, dt.date]:
        start = dt.date(key, self.start_month, 1)
        end = dt.date(key + 1, self.start_month, 1) - dt.timedelta(days=1)
        return start, end


@attrs.frozen
class Account:
    """个人账户: which parts of the person's share the account pays before cash, and the yearly allocation."""

    parts: tuple[str, ...]
    allocation: Table | None = attrs.field(default=None, metadata=_typed_by(_money_cells))
    origin: Span | None = _origin()


ACCOUNT_PARTS = ("起付线", "乙类先行自付", "先行自付", "全自费", "个人自付")


@attrs.frozen
class Scheme:
    """方案: who and which claims it applies to, its period, eligibility, catalogue and layers."""

    name: str
    when: tuple[Condition, ...]
    period: Period
    layers: tuple[Layer, ...]
    catalogue: Catalogue = Catalogue()
    first_pays: tuple[FirstSelfPay, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    notes: tuple[str, ...] = ()
    origin: Span | None = _origin()
    account: Account | None = None
    counted: bool = False  # uses counters (第 n 次): needs a stated 周期

    def applies(self, facts: Facts, day: dt.date) -> bool:
        return in_force(self.start, self.end, day) and all_hold(self.when, facts)


# ---- subsidies and questions --------------------------------------------------------------------
@attrs.frozen
class SubsidyRule:
    """资助: 定额 (amount in 分), 比例 (share, optional floor in 分) or 全额, for people meeting when."""

    when: tuple[Condition, ...]
    kind: SubsidyKind = attrs.field(metadata=_typed_by(_enum(SubsidyKind)))
    amount: Money | RatioValue | None = attrs.field(default=None, metadata=_typed_by(_subsidy_amount, node=True))
    floor: Money | None = attrs.field(default=None, metadata=_typed_by(_money_or_none))
    origin: Span | None = _origin()
    start: dt.date | None = None
    end: dt.date | None = None


@attrs.frozen
class Subsidy:
    name: str
    base: str  # the reference holding the yearly personal contribution
    rules: tuple[SubsidyRule, ...]
    notes: tuple[str, ...] = ()
    origin: Span | None = _origin()


@attrs.frozen
class Allow:
    when: tuple[Condition, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()


@attrs.frozen
class Question:
    """判断: a yes/no rule (家庭共济: may the account pay for this relative?), with the reason."""

    name: str
    text: str | None
    allows: tuple[Allow, ...]
    otherwise: str | None = None
    notes: tuple[str, ...] = ()
    origin: Span | None = _origin()


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
    # the IR boundary: the tree is retyped here (see _typed), so every backend sees typed values
    schemes: tuple[Scheme, ...] = attrs.field(converter=_typed)
    rounding: RoundingMode = attrs.field(default=RoundingMode.HALF_UP, converter=_enum(RoundingMode))
    fields: tuple[FieldDef, ...] = attrs.field(default=(), converter=_typed)
    references: tuple[Reference, ...] = attrs.field(default=(), converter=_typed)
    subsidies: tuple[Subsidy, ...] = attrs.field(default=(), converter=_typed)
    questions: tuple[Question, ...] = attrs.field(default=(), converter=_typed)

    def enum(self, name: str) -> Enumeration | None:
        return next((e for e in self.enums if e.name == name), None)

    def describe(self, cond: Condition) -> str:
        """A condition in words, its values in the enumeration's order: 救助身份为特困人员或低保对象."""
        enum = self.enum(cond.field)
        return cond.describe(enum.values if enum else ())

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    def reference(self, name: str) -> Reference | None:
        return next((r for r in self.references if r.name == name), None)

    def defaults(self) -> dict[str, Fact]:
        out: dict[str, Fact] = {e.name: e.default for e in self.enums if e.default is not None}
        out.update({f.name: f.default for f in self.fields if f.default is not None})
        return out

    def scheme_for(self, facts: Facts, day: dt.date) -> Scheme | None:
        return next((s for s in self.schemes if s.applies(facts, day)), None)
