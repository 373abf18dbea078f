"""Unit-typed IR values and the enumerations that replace kind strings.

A bare int is sometimes 分 and sometimes days; a bare Fraction a ratio or months. Here each has its own
type, so a mistake fails where it is written: Money + Ratio, Days printed as money or a Ratio added to a
Formula raise TypeError. Each type prints itself with its unit (元, %, 天, 个月, 次). Operations exist only
where they mean something: Money ± Money, Money × Ratio (an exact amount of 分, rounded later by a named
rule), Days × Money (a daily rate), Ratio ± Ratio (percentage points), comparisons within one type.
"""

from __future__ import annotations

import enum
from fractions import Fraction

import attrs

from policylang.ir.rounding import round_fen
from policylang.ir.units import fmt_exact_yuan, fmt_ratio, fmt_yuan


# ---- enumerations -------------------------------------------------------------------------------
# StrEnum: a member equals its Chinese (or legacy) text, so code and golden files that compare with the
# text keep working while IR nodes hold the enumeration.
class FormulaKind(enum.StrEnum):
    MONEY = "money"
    RATIO = "ratio"
    DAYS = "days"  # 津贴天数 = …: whole days, the fraction of a day dropped


class PickOp(enum.StrEnum):
    """取小 / 取大: the least or the greatest of several values of one unit."""

    MIN = "取小"
    MAX = "取大"


class NumUnit(enum.StrEnum):
    MONEY = "money"
    RATIO = "ratio"
    NUM = "num"


class ArithOp(enum.StrEnum):
    ADD = "+"
    SUB = "-"
    MUL = "×"
    DIV = "÷"


class CompareOp(enum.StrEnum):
    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"
    EQ = "="
    NE = "!="


class RoundTo(enum.StrEnum):
    FEN = "分"
    YUAN = "元"


class RoundingMode(enum.StrEnum):
    HALF_UP = "四舍五入"  # half away from zero
    DOWN = "截尾"  # toward zero
    UP = "进位"  # away from zero


class FieldType(enum.StrEnum):
    MONEY = "金额"
    DAYS = "天数"
    MONTHS = "月数"
    YEARS = "年数"
    COUNT = "次数"
    TEXT = "文字"
    DATE = "日期"
    YES_NO = "是否"
    AGE = "年龄"


class OperandKind(enum.StrEnum):
    FIELD = "field"
    CONST = "const"
    MONTH_DAY = "month_day"
    THIS_MONTH = "this_month"
    NEXT_MONTH = "next_month"


class SubsidyKind(enum.StrEnum):
    FIXED = "定额"
    SHARE = "比例"
    FULL = "全额"


class OperandUnit(enum.StrEnum):
    """The unit of one side of a 要求 comparison; an enumeration operand also names its enumeration."""

    MONEY = "分"
    DAYS = "天"
    MONTHS = "月"
    COUNT = "次"
    AGE = "岁"
    DATE = "日期"
    MONTH_DAY = "月日"
    TEXT = "文字"
    ENUM = "枚举"


def _same(a: object, b: object) -> bool:
    return type(a) is type(b)


# ---- values -------------------------------------------------------------------------------------
def _exact(x: int | Fraction) -> int | Fraction:
    if isinstance(x, bool) or not isinstance(x, int | Fraction):
        raise TypeError(f"an amount of 分 must be an int or a Fraction, not {type(x).__name__}")
    return int(x) if isinstance(x, Fraction) and x.denominator == 1 else x


@attrs.frozen(order=False)
class Money:
    """An amount in 分: whole, or an exact fraction of a 分 before a named rounding (Money × Ratio)."""

    fen: int | Fraction = attrs.field(converter=_exact)

    @property
    def whole(self) -> bool:
        return isinstance(self.fen, int)

    def rounded(self, mode: str) -> Money:
        """The amount to the whole 分 by the named rule (四舍五入, 截尾, 进位)."""
        return Money(round_fen(self.fen, mode))

    def __int__(self) -> int:
        if not self.whole:
            raise TypeError(f"{self} is not a whole 分: round it by a named rule first")
        return self.fen  # type: ignore[return-value]

    def __add__(self, other: object) -> Money:
        if not _same(self, other):
            return NotImplemented
        return Money(self.fen + other.fen)  # type: ignore[attr-defined]

    def __sub__(self, other: object) -> Money:
        if not _same(self, other):
            return NotImplemented
        return Money(self.fen - other.fen)  # type: ignore[attr-defined]

    def __mul__(self, other: object) -> Money:
        if isinstance(other, Ratio):
            return Money(Fraction(self.fen) * other.value)
        if isinstance(other, int) and not isinstance(other, bool):  # a count of times: 每次递减 × (n − 1)
            return Money(self.fen * other)
        return NotImplemented

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __lt__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.fen < other.fen  # type: ignore[attr-defined]

    def __le__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.fen <= other.fen  # type: ignore[attr-defined]

    def __gt__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.fen > other.fen  # type: ignore[attr-defined]

    def __ge__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.fen >= other.fen  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return f"{fmt_yuan(self.fen)} 元" if self.whole else f"{fmt_exact_yuan(Fraction(self.fen))} 元"  # type: ignore[arg-type]


def _fraction(x: int | Fraction) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, int | Fraction):
        raise TypeError(f"a ratio must be an int or a Fraction, not {type(x).__name__}")
    return Fraction(x)


@attrs.frozen(order=False)
class Ratio:
    """A ratio (比例, 先行自付, a 第 n 次 factor) as an exact fraction: 4/5 prints as 80%."""

    value: Fraction = attrs.field(converter=_fraction)

    def __add__(self, other: object) -> Ratio:
        if not _same(self, other):
            return NotImplemented
        return Ratio(self.value + other.value)  # type: ignore[attr-defined]

    def __sub__(self, other: object) -> Ratio:
        if not _same(self, other):
            return NotImplemented
        return Ratio(self.value - other.value)  # type: ignore[attr-defined]

    def __mul__(self, other: object) -> Money | Ratio:
        if isinstance(other, Money):
            return other * self
        if isinstance(other, Ratio):
            return Ratio(self.value * other.value)
        return NotImplemented

    def __neg__(self) -> Ratio:
        return Ratio(-self.value)

    def __abs__(self) -> Ratio:
        return Ratio(abs(self.value))

    def __lt__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.value < other.value  # type: ignore[attr-defined]

    def __le__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.value <= other.value  # type: ignore[attr-defined]

    def __gt__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.value > other.value  # type: ignore[attr-defined]

    def __ge__(self, other: object) -> bool:
        if not _same(self, other):
            return NotImplemented
        return self.value >= other.value  # type: ignore[attr-defined]

    def clamped(self, lower: Ratio | None = None, upper: Ratio | None = None) -> Ratio:
        """Held between lower and upper (either may be None)."""
        value = self
        if lower is not None and value < lower:
            value = lower
        if upper is not None and value > upper:
            value = upper
        return value

    def __str__(self) -> str:
        return fmt_ratio(self.value)


ZERO = Ratio(0)
ONE = Ratio(1)


def _whole(x: int) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"a whole number is needed, not {type(x).__name__}")
    return x


@attrs.frozen(order=True)
class Days:
    """A number of days (津贴天数, 每 N 天)."""

    n: int = attrs.field(converter=_whole)

    def __add__(self, other: object) -> Days:
        if not _same(self, other):
            return NotImplemented
        return Days(self.n + other.n)  # type: ignore[attr-defined]

    def __mul__(self, other: object) -> Days | Money:
        if isinstance(other, Money):  # days × a daily rate
            return Money(other.fen * self.n)
        if isinstance(other, int) and not isinstance(other, bool):
            return Days(self.n * other)
        return NotImplemented

    __rmul__ = __mul__

    def __str__(self) -> str:
        return f"{self.n} 天"


@attrs.frozen(order=True)
class Months:
    """A number of months (连续缴费月数, 等待期 3 个月); 年数 are held as months."""

    value: Fraction = attrs.field(converter=_fraction)

    def __add__(self, other: object) -> Months:
        if not _same(self, other):
            return NotImplemented
        return Months(self.value + other.value)  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return f"{_plain(self.value)} 个月"


@attrs.frozen(order=True)
class Count:
    """A count of events (第 n 次, 胎数)."""

    n: int = attrs.field(converter=_whole)

    def __add__(self, other: object) -> Count:
        if not _same(self, other):
            return NotImplemented
        return Count(self.n + other.n)  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return f"{self.n} 次"


@attrs.frozen(order=True)
class Age:
    """An age in years (年龄 60 岁), as an exact number: a constant a requirement compares with."""

    value: Fraction = attrs.field(converter=_fraction)

    def __str__(self) -> str:
        return f"{_plain(self.value)} 岁"


@attrs.frozen(order=True)
class Number:
    """A plain number in a formula (× 12, ÷ 2, 年龄 − 60): no unit of its own."""

    value: Fraction = attrs.field(converter=_fraction)

    def __str__(self) -> str:
        return _plain(self.value)


def _plain(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


Quantity = Money | Ratio | Days | Months | Count | Age | Number
QUANTITIES = (Money, Ratio, Days, Months, Count, Age, Number)  # for isinstance and the walk: leaves, not nodes


def magnitude(value: object) -> object:
    """The bare number of a typed value in its own unit (分, days, months, times); anything else as it is.

    For comparing with a claim's facts, which are bare (a 金额 field in 分, a 月数 field in months).
    """
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, Ratio | Months | Age | Number):
        return value.value
    if isinstance(value, Days | Count):
        return value.n
    return value

__all__ = [
    "ONE",
    "QUANTITIES",
    "ZERO",
    "Age",
    "ArithOp",
    "CompareOp",
    "Count",
    "Days",
    "FieldType",
    "FormulaKind",
    "Money",
    "Months",
    "NumUnit",
    "Number",
    "OperandKind",
    "OperandUnit",
    "PickOp",
    "Quantity",
    "Ratio",
    "RoundTo",
    "RoundingMode",
    "SubsidyKind",
    "magnitude",
]
