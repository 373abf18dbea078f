"""The surface AST: what the officer wrote, with a Span on every node (spans never affect equality)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from policylang.source import Span


def _span() -> Span:
    return attrs.field(eq=False, repr=False)


@attrs.frozen
class Name:
    text: str
    span: Span = _span()


@attrs.frozen
class Quantity:
    """A number with its unit as written (元, 万元, %, 天 …); unit None when the officer left it out."""

    number: Decimal
    unit: str | None
    span: Span = _span()


@attrs.frozen
class DateLit:
    text: str
    value: dt.date | None  # None: not a calendar date (2024-02-30)
    span: Span = _span()


@attrs.frozen
class Validity:
    start: DateLit | None
    end: DateLit | None
    span: Span = _span()


@attrs.frozen
class Region:
    name: str
    span: Span = _span()


@attrs.frozen
class Basis:
    title: str
    number: str | None
    span: Span = _span()


@attrs.frozen
class Effective:
    validity: Validity
    span: Span = _span()


@attrs.frozen
class Note:
    text: str
    span: Span = _span()


@attrs.frozen
class Assumption:
    text: str
    span: Span = _span()


@attrs.frozen
class Import:
    name: str
    span: Span = _span()


@attrs.frozen
class Inherit:
    """继承 "suizhou": take another region's (or a stdlib template's) rules, to override single values."""

    name: str
    span: Span = _span()


@attrs.frozen
class Rounding:
    mode: str
    span: Span = _span()


@attrs.frozen
class EnumDef:
    name: Name
    values: tuple[Name, ...]
    default: Name | None
    span: Span = _span()


@attrs.frozen
class EnumExtend:
    """枚举 救助身份 增加 { 低收入人口 }: values added to an enumeration defined elsewhere (the standard library)."""

    name: Name
    values: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class FieldTest:
    """A condition on a typed field: 年龄 >= 60 岁, 参加工作日期 早于 1995-01-01, 年龄 60 岁以上 (op ">=").

    Stands in a scheme's or layer's conditions and as a table key; op is one of >= <= > < = != (the word
    forms 早于/晚于/不早于/不晚于 and 以上/以下 are read as these)."""

    comparison: Comparison  # field op constant, as 要求 writes a comparison
    span: Span = _span()

    @property
    def field(self) -> Name:
        name = self.comparison.lhs.terms[0][1].value
        assert isinstance(name, Name)
        return name

    @property
    def op(self) -> str:
        return self.comparison.op

    @property
    def value(self) -> Quantity | DateLit:
        rhs = self.comparison.rhs
        assert isinstance(rhs, Expr) and isinstance(rhs.terms[0][1].value, Quantity | DateLit)
        return rhs.terms[0][1].value


@attrs.frozen
class Cond:
    """An applies-when condition: 字段 = 值 (或 值 …), or a bare enumeration value."""

    field: Name | None
    values: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class Period:
    kind: str  # 自然年度 | 社保年度
    start_month: Quantity | None
    span: Span = _span()
    by: Name | None = None  # 按 出院日期: the date field that places a claim in its period


@attrs.frozen
class Key:
    """One key of a table entry: an enumeration value, alternatives 二级/三级, or 字段=值 (基层首诊=是)."""

    values: tuple[Name, ...]
    span: Span = _span()
    field: Name | None = attrs.field(default=None, eq=False)


@attrs.frozen
class RefValue:
    """A reference value by year: 上年度 农村居民人均可支配收入."""

    year: str
    name: Name
    span: Span = _span()


@attrs.frozen
class Arith:
    """An arithmetic expression: op is + − × ÷ for a binary node, "num" / "ref" / "name" for a leaf, "per" for
    an amount per unit (200 元/天: left is (Quantity, "天")), 取小 / 取大 for a choice (left: the arguments)."""

    op: str
    left: object  # Arith | Quantity | RefValue | Name | (Quantity, str) | tuple[Arith, ...]
    right: Arith | None
    span: Span = _span()


@attrs.frozen
class Formula:
    """= 上年度 职工平均工资 × 8%，最低 600 元，最高 1800 元，取整到元."""

    expr: Arith
    lower: Quantity | Arith | None  # a constant stays a Quantity; 最低 上年度 … × 1% is an Arith
    upper: Quantity | Arith | None
    round_to: str | None  # 分 | 元
    round_mode: str | None
    span: Span = _span()


@attrs.frozen
class CountEntry:
    """第 2 次 50% / 第 3 次起 0%: a value for the n-th event of the period (and later ones with 起)."""

    n: int
    onward: bool
    value: Quantity
    span: Span = _span()


@attrs.frozen
class Entry:
    keys: tuple[Key | FieldTest, ...]
    value: Quantity | RefValue | Formula  # Formula: a cell written as (expression …)
    span: Span = _span()


@attrs.frozen
class TableStmt:
    """起付线 / 比例 / 封顶线 with an optional scope (每次, 每日, 年度 …) and validity."""

    kind: str  # 起付线 | 比例 | 封顶线 | 定额 | 津贴天数
    scope: str | None
    entries: tuple[Entry, ...]
    validity: Validity | None
    shared: bool  # 转诊只计一次
    span: Span = _span()
    formula: Formula | None = attrs.field(default=None)
    highest: bool = False  # 按最高等级补差
    bounds: DeductibleBounds | None = None  # 起付线 …, 最低 100 元: bounds of the table's amounts
    base: str | None = None  # 费用限额 按累计费用 | 按起付线以上部分
    per: Name | None = None  # 每 床日数: the amount is per unit of this count/days field (封顶线, 定额, 扣除)
    counts_in: Name | None = attrs.field(default=None)  # 计入 救助限额: the named accumulator it counts in
    sharing: str | None = attrs.field(default=None)  # 各自累计 | 合并累计: whether keyed cells share one total
    by: Name | None = attrs.field(default=None)  # 按 孕期号: the claim field a scope is keyed by


@attrs.frozen
class Adjust:
    """退休 比例 加 5%: a ratio adjustment for claims matching every key."""

    keys: tuple[Key, ...]
    op: str
    delta: Quantity
    validity: Validity | None
    span: Span = _span()
    lower: Quantity | None = None
    upper: Quantity | None = None


@attrs.frozen
class Waiver:
    """门诊慢特病 免起付线."""

    keys: tuple[Key, ...]
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class Band:
    """One bracket: (lower, upper] with the inclusivity the text states, and its ratio."""

    lower: Quantity | None
    lower_inclusive: bool | None
    upper: Quantity | None
    upper_inclusive: bool | None
    ratio: Quantity
    span: Span = _span()


@attrs.frozen
class Brackets:
    keys: tuple[Key, ...]
    bands: tuple[Band, ...]
    validity: Validity | None
    span: Span = _span()
    base: str | None = None  # 按累计费用 | 按起付线以上部分


@attrs.frozen
class Layer:
    name: str
    name_span: Span = attrs.field(eq=False, repr=False)
    when: tuple[Cond | FieldTest, ...]
    body: tuple[object, ...]
    span: Span = _span()


@attrs.frozen
class Exclude:
    """不予报销 挂号费, 美容 …: item names that are paid in full by the person."""

    names: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class FirstPay:
    """异地转诊 先行自付 10% (按 三级): the person pays a share first."""

    keys: tuple[Key, ...]
    share: Quantity | None
    overrides: tuple[Name, ...]
    validity: Validity | None
    span: Span = _span()
    counts: tuple[CountEntry, ...] = ()


@attrs.frozen
class Term:
    """An operand: a field, a quantity, a date, a month-day (4月30日), or 次月/当月 of a date field."""

    kind: str  # field | quantity | date | month_day | next_month | this_month
    value: Name | Quantity | DateLit | str
    span: Span = _span()


@attrs.frozen
class Expr:
    terms: tuple[tuple[str, Term], ...]  # (sign, term)
    span: Span = _span()


@attrs.frozen
class Comparison:
    lhs: Expr
    op: str
    rhs: Expr | tuple[Entry, ...]
    span: Span = _span()


@attrs.frozen
class Require:
    predicate: Comparison
    guards: tuple[Comparison, ...]
    reason: str
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class DaysAdd:
    keys: tuple[Key, ...]
    days: Quantity
    span: Span = _span()


@attrs.frozen
class DaysPer:
    field: Name
    base: Decimal
    days: Quantity
    span: Span = _span()


@attrs.frozen
class DailyRate:
    value: Quantity | RefValue | Name | Formula
    span: Span = _span()


@attrs.frozen
class DeductibleCount:
    """起付线 第 2 次 50%, 第 3 次起 0%: the deductible scaled by the n-th admission of the period."""

    entries: tuple[CountEntry, ...]
    validity: Validity | None
    span: Span = _span()
    bounds: DeductibleBounds | None = None  # …, 最低 200 元: bounds of the reduced deductible


@attrs.frozen
class DeductibleStep:
    """起付线 每次递减 100 元 最低 一级 100 元 …: lowered by a step per earlier admission, down to a floor."""

    step: Quantity
    floors: tuple[Entry, ...]
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class Once:
    """一次性支付 500 元 累计超过 1万元: paid once, when the period's running total first crosses the threshold."""

    amount: Quantity
    threshold: Quantity
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class AccountPay:
    """个人账户 支付 起付线, 乙类先行自付: the parts of the person's share the account pays first."""

    parts: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class AccountAlloc:
    """个人账户 年度划入 在职 1200 元, 退休 2400 元."""

    entries: tuple[Entry, ...]
    span: Span = _span()


@attrs.frozen
class FieldDef:
    name: Name
    type: str
    default: Name | Quantity | DateLit | None
    optional: bool
    span: Span = _span()


@attrs.frozen
class Reference:
    name: Name
    entries: tuple[tuple[Quantity, Quantity], ...]
    span: Span = _span()


@attrs.frozen
class SubsidyRule:
    keys: tuple[Key, ...]
    kind: str  # 定额 | 比例 | 全额
    amount: Quantity | None
    floor: Quantity | None
    span: Span = _span()
    validity: Validity | None = None


@attrs.frozen
class Subsidy:
    name: str
    base: Name
    rules: tuple[SubsidyRule, ...]
    notes: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class Allow:
    conds: tuple[Cond | FieldTest, ...]
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class Question:
    name: Name
    text: str | None
    allows: tuple[Allow, ...]
    otherwise: str | None
    notes: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class Scheme:
    name: str
    name_span: Span = attrs.field(eq=False, repr=False)
    when: tuple[Cond | FieldTest, ...]
    validity: Validity | None
    body: tuple[object, ...]
    override: bool  # 覆盖 方案 …: replaces single values of an inherited scheme
    span: Span = _span()


@attrs.frozen
class Attr:
    """A person or claim attribute: a bare enumeration value, or 字段=值."""

    field: Name | None
    value: Name | Quantity | DateLit | str
    span: Span = _span()


@attrs.frozen
class OpeningEntry:
    """起付线=800元 in 已累计: one year-to-date total, by its accumulator's name."""

    name: Name
    value: Quantity
    span: Span = _span()


@attrs.frozen
class Opening:
    """已累计 起付线=800元, 统筹基金=3万元 截至 2024-06-30: opening balances of accumulators."""

    entries: tuple[OpeningEntry, ...]
    date: DateLit | None
    span: Span = _span()


@attrs.frozen
class Person:
    attrs: tuple[Attr, ...]
    span: Span = _span()
    opening: Opening | None = attrs.field(default=None)


@attrs.frozen
class Expected:
    name: Name
    value: Quantity
    span: Span = _span()


@attrs.frozen
class Refused:
    """期望 不予支付."""

    span: Span = _span()


@attrs.frozen
class Item:
    """明细 挂号费 甲类 10 元."""

    name: Name
    cls: Name
    amount: Quantity
    span: Span = _span()


@attrs.frozen
class Claim:
    date: DateLit
    attrs: tuple[Attr, ...]
    amount: Quantity | None
    items: tuple[Item, ...]
    expects: tuple[Expected | Refused, ...]
    span: Span = _span()


@attrs.frozen
class Payment:
    """缴费 2022 年 期望 资助 280 元: a contribution-subsidy test."""

    year: Quantity
    expects: tuple[Expected | Refused, ...]
    span: Span = _span()


@attrs.frozen
class Ask:
    """询问 2024-03-01 家庭共济 亲属关系=兄弟姐妹 期望 是."""

    date: DateLit
    name: Name
    attrs: tuple[Attr, ...]
    answer: bool
    span: Span = _span()


@attrs.frozen
class Test:
    name: str
    body: tuple[object, ...]
    span: Span = _span()


@attrs.frozen
class Module:
    """One parsed file."""

    file: str
    items: tuple[object, ...]


@attrs.frozen
class DeductibleBounds:
    """最低 … / 最高 … after a deductible line: each a table by keys (one amount without keys)."""

    lower: tuple[Entry, ...]
    upper: tuple[Entry, ...]
    span: Span = _span()


@attrs.frozen
class Accumulator:
    """累计 救助限额 年度: a named running total that limits in several schemes and layers count in."""

    name: Name
    scope: str | None
    by: Name | None
    span: Span = _span()


@attrs.frozen
class DeductibleCompound:
    """起付线 逐次 80%, 最低 200 元: each admission's deductible a share of the previous admission's."""

    factor: Quantity
    bounds: DeductibleBounds | None
    validity: Validity | None
    span: Span = _span()


@attrs.frozen
class LayerBase:
    """基数 超过上一层封顶线的部分: what a layer works on (default: what the previous layer left)."""

    kind: str
    span: Span = _span()


@attrs.frozen
class DeductPaid:
    """扣除已付 基本医保已支付, 大病保险已支付: money fields holding what other funds already paid on the claim."""

    fields: tuple[Name, ...]
    span: Span = _span()


@attrs.frozen
class VersionBy:
    """版本 按 出院日期: the date field that picks a scheme's parameter versions and validity for a claim."""

    field: Name
    span: Span = _span()


@attrs.frozen
class TopUp:
    """年度补助 超过 政策范围内费用 20% 的部分 50%: a top-up of the period's personal share above a share of a total."""

    over: Name
    threshold: Quantity
    ratio: Quantity
    span: Span = _span()
