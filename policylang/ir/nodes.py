"""The policy IR: schemes → layers → primitives, with date-versioned parameters.

Backends (settle, batch, docs, diff, coverage) read only this package. Everything is data: no Python
callables, so the IR can be printed, compared, exported, vectorised and documented. Values carry their units
(ir.values: Money in 分, Ratio, Days, Months, Count, Age, Number) and kinds are enumerations; each field
accepts only its typed value (ir.accepts), so a node holding a bare int of 分 cannot be built. Values and
tables are in ir.params, 要求 in ir.requirements. Spans are fields with `eq=False`: they never take part in
equality, and ir.walk skips them. Note the names: `Ratio` here is the 支付比例 primitive; the ratio *value* is
`values.Ratio` (exported here as `RatioValue`).
"""

from __future__ import annotations

import datetime as dt

import attrs

from policylang.ir.accepts import accepts, each, optional, refuse
from policylang.ir.params import *  # noqa: F403  (the values and tables are part of the node vocabulary)
from policylang.ir.params import (
    BandSet,
    Condition,
    CountRule,
    Enumeration,
    Fact,
    Facts,
    FieldDef,
    Formula,
    Param,
    Reference,
    RefValue,
    Table,
    _origin,
    all_hold,
    cells_of,
    in_force,
)
from policylang.ir.params import Scope as Scope
from policylang.ir.requirements import *  # noqa: F403  (要求 nodes are part of the node vocabulary)
from policylang.ir.requirements import Requirement
from policylang.ir.values import Days, FormulaKind, Money, RoundingMode, SubsidyKind
from policylang.ir.values import Ratio as RatioValue
from policylang.source import Span

_MONEY_CELLS = cells_of(Money, RefValue, formula=FormulaKind.MONEY)  # a deductible, cap, standard: money


def _rate(node: object, attribute: attrs.Attribute, value: object) -> None:
    """日津贴: an amount, a reference value, a money field's name or a money formula."""
    if isinstance(value, Formula) and value.kind is not FormulaKind.MONEY:
        refuse(node, attribute, "a money formula", value)
    optional(Money, RefValue, str, Formula)(node, attribute, value)


def _subsidy_amount(node: SubsidyRule, attribute: attrs.Attribute, value: object) -> None:
    """定额: Money; 比例: a Ratio; 全额: nothing."""
    expected = {SubsidyKind.FIXED: Money, SubsidyKind.SHARE: RatioValue, SubsidyKind.FULL: type(None)}
    accepts(expected[node.kind])(node, attribute, value)


# ---- layer primitives ---------------------------------------------------------------------------
@attrs.frozen
class Waiver:
    """起付线 waived for claims meeting every condition (门诊慢特病 免起付线)."""

    when: tuple[Condition, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()


@attrs.frozen
class Compound:
    """起付线 逐次 80%: the n-th admission's deductible is the factor times the (n−1)-th's, rounded at each step."""

    factor: RatioValue = attrs.field(validator=accepts(RatioValue))
    origin: Span | None = _origin()
    start: dt.date | None = None  # 自…起 / 至…: the admissions it reduces, by the claim's date
    end: dt.date | None = None


@attrs.frozen
class Deductible:
    """起付线: the person pays this much of the layer's base first, counted per scope.

    shared: claims with the same 转诊号 (a referral inside a 医共体) count one deductible.
    """

    scope: Scope = attrs.field(validator=accepts(Scope))
    param: Param = attrs.field(validator=_MONEY_CELLS)
    waivers: tuple[Waiver, ...] = ()
    shared: bool = False
    highest: bool = False  # 按最高等级补差: one per period at the highest level used so far
    counts: tuple[CountRule, ...] = ()  # 第 2 次 50%: scaled by the n-th admission of the period
    step: Money | None = attrs.field(default=None, validator=optional(Money))  # 每次递减: lowered per earlier admission …
    floors: Table | None = attrs.field(default=None, validator=_MONEY_CELLS)  # … down to these floors
    stay_days: Days | None = attrs.field(default=None, validator=optional(Days))  # the N of a 每 N 天 scope
    compound: Compound | None = attrs.field(default=None, validator=optional(Compound))  # 逐次 80%
    # 最低 / 最高 written on the 第 n 次 or 逐次 line: bound the reduced deductible (a floor never raises it above the
    # unreduced amount); keys without an entry are unbounded
    lower: Table | None = attrs.field(default=None, validator=_MONEY_CELLS)
    upper: Table | None = attrs.field(default=None, validator=_MONEY_CELLS)
    # 最低 / 最高 written on the table line: bound the table's amount, dated like the table
    base_lower: Param | None = attrs.field(default=None, validator=_MONEY_CELLS)
    base_upper: Param | None = attrs.field(default=None, validator=_MONEY_CELLS)
    counts_in: str | None = None  # 计入 共用起付: the named accumulator (Policy.accumulators) it counts in
    by: str | None = None  # Scope.FIELD: the claim field whose value keys the total (孕期号)
    separate: bool | None = None  # keyed cells: 各自累计 True (one total per cell), 合并累计 False, unsaid None


@attrs.frozen
class Adjustment:
    """A ratio adjustment in percentage points for claims meeting every condition (退休 +5%).

    Adjustments apply in the order written; lower / upper bound the result of this step (最低 / 最高).
    """

    when: tuple[Condition, ...]
    delta: RatioValue = attrs.field(validator=accepts(RatioValue))
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()
    lower: RatioValue | None = attrs.field(default=None, validator=optional(RatioValue))
    upper: RatioValue | None = attrs.field(default=None, validator=optional(RatioValue))

    def applies(self, facts: Facts, day: dt.date) -> bool:
        return in_force(self.start, self.end, day) and all_hold(self.when, facts)

    @property
    def raises(self) -> bool:
        return self.delta.value >= 0


@attrs.frozen
class Ratio:
    """支付比例: a table by enumerations plus adjustments; the result is clamped to 0–100%."""

    param: Param = attrs.field(validator=cells_of(RatioValue, formula=FormulaKind.RATIO))
    adjustments: tuple[Adjustment, ...] = ()


@attrs.frozen
class Brackets:
    """分段: ratios by band of the period's cumulative base above the layer's deductible."""

    param: Param = attrs.field(validator=cells_of(BandSet))
    base: str = "起付线以上部分"  # or 累计费用: bands on the cumulative cost, paid above the deductible


@attrs.frozen
class Cap:
    """封顶线: a ceiling on the layer's payments, counted per scope."""

    scope: Scope = attrs.field(validator=accepts(Scope))
    param: Param = attrs.field(validator=_MONEY_CELLS)
    stay_days: Days | None = attrs.field(default=None, validator=optional(Days))
    counts_in: str | None = None  # 计入 救助限额: shares a named accumulator with other schemes and layers
    separate: bool | None = None  # keyed cells: 各自累计 True, 合并累计 False, unsaid None (one shared total)
    by: str | None = None  # Scope.FIELD: the claim field whose value keys the total


@attrs.frozen
class FeeLimit:
    """费用限额: only the first N 元 of the base per scope enters the layer; the rest passes to the next.

    base 累计费用 (the default) counts the layer's base from 0, before the deductible; 起付线以上部分 counts only
    what lies above the deductible, which is taken from the whole base first.
    """

    scope: Scope = attrs.field(validator=accepts(Scope))
    param: Param = attrs.field(validator=_MONEY_CELLS)
    base: str = attrs.field(default="累计费用", validator=attrs.validators.in_(("累计费用", "起付线以上部分")))
    counts_in: str | None = None  # 计入: a named accumulator of cost entering
    by: str | None = None  # Scope.FIELD: the claim field whose value keys the total
    separate: bool | None = None  # keyed cells: 各自累计 True (one total per cell), 合并累计 False, unsaid None


@attrs.frozen
class OneOff:
    """一次性支付: paid once per period when the layer's running base first exceeds the threshold."""

    amount: Money = attrs.field(validator=accepts(Money))
    threshold: Money = attrs.field(validator=accepts(Money))
    origin: Span | None = _origin()


@attrs.frozen
class Fixed:
    """定额: the layer pays min(actual, standard); with per, the standard is per unit of a count/days field
    (定额 每 护理天数 50 元: min(actual, 50 元 × the claim's 护理天数))."""

    param: Param = attrs.field(validator=_MONEY_CELLS)
    per: str | None = None  # a 天数/次数 field the standard is multiplied by


@attrs.frozen
class Deduction:
    """支付后扣除 / 封顶后扣除: a fixed amount taken off the layer's computed payment, per claim (per None) or per
    unit of a count/days field, never below 0; after the ratio and before the caps, or after the caps."""

    param: Param = attrs.field(validator=_MONEY_CELLS)
    per: str | None = None
    after_caps: bool = False


@attrs.frozen
class UnitCap:
    """封顶线 每 床日数 200 元: this claim's payment is at most the amount × the claim's units of a count/days field."""

    field: str
    param: Param = attrs.field(validator=_MONEY_CELLS)


@attrs.frozen
class DaysAddition:
    """津贴天数 加 N 天 for claims meeting every condition (难产 +15)."""

    when: tuple[Condition, ...]
    days: Days = attrs.field(validator=accepts(Days))
    origin: Span | None = _origin()


@attrs.frozen
class DaysPerCount:
    """津贴天数 胎数 每多 1 加 15 天: days × (field − base) when positive."""

    field: str
    base: int
    days: Days = attrs.field(validator=accepts(Days))
    origin: Span | None = _origin()


@attrs.frozen
class Allowance:
    """津贴: (base days + additions) × daily rate (a constant, a reference or a money field)."""

    days: Param = attrs.field(validator=cells_of(Days, formula=FormulaKind.DAYS))
    additions: tuple[DaysAddition, ...] = ()
    per_count: tuple[DaysPerCount, ...] = ()
    rate: Money | RefValue | str | Formula | None = attrs.field(default=None, validator=_rate)  # str: a money field
    rate_origin: Span | None = _origin()


@attrs.frozen
class AlreadyPaid:
    """扣除已付: money fields of the claim holding what other funds (another scheme or system) already paid; a
    layer that names them works on what reaches it less their sum, never below 0, and so does every later layer."""

    fields: tuple[str, ...]
    origin: Span | None = _origin()


@attrs.frozen
class YearTopUp:
    """年度补助: the period's personal share (what reaches the layer) above threshold × the period's total (政策范围内费用
    or 费用) is topped up by ratio. Each claim pays round(F after) − round(F before) of F = ratio × max(0, share −
    threshold × total) over the period's running totals, so the period's payments sum to F of the year exactly; a
    claim that lowers F (a large cost mostly paid by earlier layers) takes back what was advanced (a negative payment).
    """

    over: str  # 政策范围内费用 | 费用
    threshold: RatioValue = attrs.field(validator=accepts(RatioValue))
    ratio: RatioValue = attrs.field(validator=accepts(RatioValue))
    origin: Span | None = _origin()


TOPUP_TOTALS = ("政策范围内费用", "费用")  # the period totals a 年度补助 threshold may be a share of


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
    deductions: tuple[Deduction, ...] = ()  # 支付后扣除 / 封顶后扣除, in the order written
    unit_caps: tuple[UnitCap, ...] = ()  # 封顶线 每 床日数: caps per unit of a count/days field
    above_cap: bool = False  # 基数 超过上一层封顶线的部分: works only on what the previous layer's cap cut off
    already_paid: AlreadyPaid | None = None  # 扣除已付: what other funds paid is deducted before this layer
    topup: YearTopUp | None = None  # 年度补助: a payment on the period's totals (the scheme's last layer)


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
    share: RatioValue = attrs.field(validator=accepts(RatioValue))
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
    share: RatioValue = attrs.field(validator=accepts(RatioValue))
    overrides: tuple[tuple[str, str], ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Span | None = _origin()
    counts: tuple[CountRule, ...] = ()  # share by the n-th such claim of the period, when given


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
class Accumulator:
    """累计: a named running total (what limits count: deductible borne, fund paid or cost entering) with a
    scope (per period, per admission, per value of a claim field …), shared by every limit that names it —
    across layers and schemes. kind is what its limits count (起付线, 封顶线 or 费用限额); period the
    schemes' common period, which places a year-to-date opening balance."""

    name: str
    scope: Scope = attrs.field(validator=accepts(Scope))
    kind: str = "封顶线"
    by: str | None = None
    stay_days: Days | None = attrs.field(default=None, validator=optional(Days))
    period: Period | None = None
    origin: Span | None = _origin()


@attrs.frozen
class Account:
    """个人账户: which parts of the person's share the account pays before cash, and the yearly allocation."""

    parts: tuple[str, ...]
    allocation: Table | None = attrs.field(default=None, validator=_MONEY_CELLS)
    origin: Span | None = _origin()


ACCOUNT_PARTS = ("起付线", "乙类先行自付", "先行自付", "全自费", "个人自付")
ACCOUNT_PARTS += ("政策范围内个人自付",)  # 个人自付 without 全自费 (乙类先行自付, 起付线, the share above the ratio …)


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
    version_by: str | None = None  # 版本 按 出院日期: the date field that picks versions and validity

    def applies(self, facts: Facts, day: dt.date) -> bool:
        day = self.version_day(facts, day)
        return in_force(self.start, self.end, day) and all_hold(self.when, facts)

    def version_day(self, facts: Facts, day: dt.date) -> dt.date:
        """The date a claim's parameter versions and the scheme's validity are read on: the claim's date, or
        the date field named by 版本 按 (入院日期 / 出院日期) when the claim has it."""
        chosen = facts.get(self.version_by) if self.version_by else None
        return chosen if isinstance(chosen, dt.date) else day

    def paid_fields(self) -> tuple[str, ...]:
        """Every money field the scheme's layers deduct as already paid by other funds (扣除已付), in order."""
        return tuple(dict.fromkeys(f for la in self.layers if la.already_paid for f in la.already_paid.fields))


# ---- subsidies and questions --------------------------------------------------------------------
@attrs.frozen
class SubsidyRule:
    """资助: 定额 (amount in 分), 比例 (share, optional floor in 分) or 全额, for people meeting when."""

    when: tuple[Condition, ...]
    kind: SubsidyKind = attrs.field(validator=accepts(SubsidyKind))
    amount: Money | RatioValue | None = attrs.field(default=None, validator=_subsidy_amount)
    floor: Money | None = attrs.field(default=None, validator=optional(Money))
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
    schemes: tuple[Scheme, ...] = attrs.field(validator=each(Scheme))
    rounding: RoundingMode = attrs.field(default=RoundingMode.HALF_UP, validator=accepts(RoundingMode))
    fields: tuple[FieldDef, ...] = attrs.field(default=(), validator=each(FieldDef))
    references: tuple[Reference, ...] = attrs.field(default=(), validator=each(Reference))
    subsidies: tuple[Subsidy, ...] = attrs.field(default=(), validator=each(Subsidy))
    questions: tuple[Question, ...] = attrs.field(default=(), validator=each(Question))
    accumulators: tuple[Accumulator, ...] = attrs.field(default=(), validator=each(Accumulator))

    def enum(self, name: str) -> Enumeration | None:
        return next((e for e in self.enums if e.name == name), None)

    def describe(self, cond: Condition) -> str:
        """A condition in words, its values in the enumeration's order: 救助身份为特困人员或低保对象."""
        enum = self.enum(cond.field)
        return cond.describe(enum.values if enum else ())

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    def accumulator(self, name: str) -> Accumulator | None:
        return next((a for a in self.accumulators if a.name == name), None)

    def reference(self, name: str) -> Reference | None:
        return next((r for r in self.references if r.name == name), None)

    def defaults(self) -> dict[str, Fact]:
        out: dict[str, Fact] = {e.name: e.default for e in self.enums if e.default is not None}
        out.update({f.name: f.default for f in self.fields if f.default is not None})
        return out

    def scheme_for(self, facts: Facts, day: dt.date) -> Scheme | None:
        return next((s for s in self.schemes if s.applies(facts, day)), None)
