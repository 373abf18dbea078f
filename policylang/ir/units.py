"""Units of the language and exact conversions: money to integer 分, percentages to fractions."""

from __future__ import annotations

import enum
from decimal import Decimal, localcontext
from fractions import Fraction


class Kind(enum.Enum):
    MONEY = "金额"
    RATIO = "比例"
    DURATION = "期限"
    AGE = "年龄"
    COUNT = "次数"


UNIT_KIND: dict[str, Kind] = {
    "元": Kind.MONEY,
    "万元": Kind.MONEY,
    "万": Kind.MONEY,
    "%": Kind.RATIO,
    "天": Kind.DURATION,
    "个月": Kind.DURATION,
    "月": Kind.DURATION,
    "年": Kind.DURATION,
    "岁": Kind.AGE,
    "次": Kind.COUNT,
}

# What an officer would write for each kind, for hints.
EXAMPLE_UNIT = {Kind.MONEY: "元", Kind.RATIO: "%", Kind.DURATION: "天", Kind.AGE: "岁", Kind.COUNT: "次"}

_YUAN_PER = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000)}


def to_fen(number: Decimal, unit: str = "元") -> int | None:
    """Yuan (or 万元) to integer 分; None if it has a fraction of a 分. Exact for any number of digits."""
    with localcontext() as ctx:
        ctx.prec = max(60, len(number.as_tuple().digits) + 10)
        fen = number * _YUAN_PER[unit] * 100
        return int(fen) if fen == fen.to_integral_value() else None


def to_ratio(number: Decimal) -> Fraction:
    """A percentage to an exact fraction: 80 → 4/5."""
    return Fraction(number) / 100


def fmt_yuan(fen: int) -> str:
    """分 to a yuan string with two decimals and thousands separators: 123456 → '1,234.56'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def fmt_plain(fen: int) -> str:
    """分 to '1234.56' (no separators), the machine form of JSON output."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def fmt_ratio(r: Fraction) -> str:
    """4/5 → '80%'; 17/200 → '8.5%'."""
    pct = r * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    d = Decimal(pct.numerator) / Decimal(pct.denominator)
    return f"{d.quantize(Decimal('0.0001')).normalize()}%"


def fmt_exact_yuan(fen: Fraction) -> str:
    """An exact amount of 分 that is not whole, in yuan to 4 decimals with a trailing … : 333.3333…"""
    yuan = Decimal(fen.numerator) / Decimal(fen.denominator) / 100
    return f"{yuan.quantize(Decimal('0.0001'))}…"
