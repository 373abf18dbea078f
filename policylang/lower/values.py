"""Quantities with units, reference values, dates and validity periods, checked against the kind a rule needs.

`measure` reads the bare number (what a person's or claim's facts hold); `quantity` the typed value an IR
node holds (Money, Ratio, Days or Months, Count, Age).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import EXAMPLE_UNIT, UNIT_KIND, Kind, to_fen, to_ratio
from policylang.ir.values import Age, Count, Days, Money, Months, Quantity, Ratio
from policylang.lower.context import Context
from policylang.resolve.names import did_you_mean
from policylang.source import Span
from policylang.syntax import ast

REF_OFFSET = {"上年度": -1, "上一年度": -1, "当年": 0, "本年度": 0}


def months_or_days(number: Decimal, unit: str | None) -> tuple[Fraction, str]:
    """A duration in months (月/个月/年) or days (天)."""
    n = Fraction(number)
    if unit == "天":
        return n, "天"
    return (n * 12 if unit == "年" else n), "月"


def measure(ctx: Context, number: Decimal, unit: str | None, span: Span, want: Kind,
            what: str) -> int | Fraction | None:
    """A number in the unit kind a statement needs: 分 for money, a fraction for ratios, months or days."""
    if unit is None:
        example = f"{number}{EXAMPLE_UNIT[want]}"
        ctx.report(error("E004", f"{what} 的数值 {number} 缺少单位", span,
                         f"是否想写 {example}？(did you mean {example}?)"))
        return None
    kind = UNIT_KIND[unit]
    if kind is not want:
        ctx.report(error("E005", f"{what} 应为{want.value}（{EXAMPLE_UNIT[want]}），这里写的是 {unit}", span,
                         f"是否想写 {number}{EXAMPLE_UNIT[want]}？"))
        return None
    if want is Kind.RATIO:
        if not Decimal(0) <= number <= Decimal(100):
            hint = f"是否想写 {number / 10}%？" if number <= 1000 else None
            ctx.report(error("E006", f"比例超出范围：{number}% 不在 0%–100% 之间", span, hint))
            return None
        return to_ratio(number)
    if want is Kind.MONEY:
        fen = to_fen(number, unit)
        if fen is None:
            ctx.report(error("E012", f"金额 {number}{unit} 不是整分", span))
        return fen
    if want is Kind.DURATION:
        return months_or_days(number, unit)[0]
    return Fraction(number)


def quantity(ctx: Context, q: ast.Quantity, want: Kind, what: str) -> Quantity | None:
    """A quantity as the typed value of its kind: Money, Ratio, Days (天) or Months, Count, Age.

    Days and counts are whole (E036 otherwise).
    """
    if want is Kind.MONEY:
        return money_value(ctx, q, what)
    if want is Kind.RATIO:
        return ratio_value(ctx, q, what)
    raw = measure(ctx, q.number, q.unit, q.span, want, what)
    if raw is None:
        return None
    if want is Kind.AGE:
        return Age(raw)
    if want is Kind.DURATION and q.unit != "天":
        return Months(raw)
    n = _whole(ctx, raw, q, what)
    if n is None:
        return None
    return Days(n) if want is Kind.DURATION else Count(n)


def money_value(ctx: Context, q: ast.Quantity, what: str) -> Money | None:
    """An amount in 元 or 万元, as Money in 分."""
    raw = measure(ctx, q.number, q.unit, q.span, Kind.MONEY, what)
    return None if raw is None else Money(raw)


def ratio_value(ctx: Context, q: ast.Quantity, what: str) -> Ratio | None:
    """A percentage between 0% and 100%, as a Ratio."""
    raw = measure(ctx, q.number, q.unit, q.span, Kind.RATIO, what)
    return None if raw is None else Ratio(raw)


def _whole(ctx: Context, raw: int | Fraction, q: ast.Quantity, what: str) -> int | None:
    if Fraction(raw).denominator != 1:
        ctx.report(error("E036", f"{what} 应为整数：{q.number}", q.span))
        return None
    return int(raw)


def whole(ctx: Context, q: ast.Quantity, want: Kind, what: str) -> int | None:
    """A quantity that must be a whole number, bare (缴费年度, an expected 津贴天数 …)."""
    raw = measure(ctx, q.number, q.unit, q.span, want, what)
    return None if raw is None else _whole(ctx, raw, q, what)


def days(ctx: Context, q: ast.Quantity, what: str) -> Days | None:
    """A whole number of days (津贴天数, 加 15 天): 3 个月 is not 3 days, so any unit but 天 is refused."""
    if q.unit not in (None, "天"):
        ctx.report(error("E005", f"{what} 应以 天 为单位，不能写 {q.unit}", q.span,
                         f"写成天数，例如 {q.number} 天"))
        return None
    n = whole(ctx, q, Kind.DURATION, what)
    return None if n is None else Days(n)


def reference(ctx: Context, v: ast.RefValue) -> ir.RefValue | None:
    """上年度 职工平均工资: a declared reference value, read in a year relative to the claim's."""
    if v.name.text not in ctx.references:
        ctx.report(error("E023", f"未知参考值“{v.name.text}”", v.name.span,
                         did_you_mean(v.name.text, list(ctx.references))))
        return None
    return ir.RefValue(v.name.text, REF_OFFSET[v.year])


def value(ctx: Context, v: ast.Quantity | ast.RefValue, want: Kind, what: str) -> Quantity | ir.RefValue | None:
    """A table value: a quantity, or (for money) a reference value."""
    if isinstance(v, ast.RefValue):
        if want is not Kind.MONEY:
            ctx.report(error("E005", f"{what} 应为{want.value}，参考值是金额", v.span))
            return None
        return reference(ctx, v)
    return quantity(ctx, v, want, what)


def date(ctx: Context, d: ast.DateLit | None) -> dt.date | None:
    if d is not None and d.value is None:
        ctx.report(error("E011", f"日期无效：{d.text} 不是日历上的日期", d.span))
    return d.value if d else None


def validity(ctx: Context, v: ast.Validity | None) -> tuple[dt.date | None, dt.date | None]:
    if v is None:
        return None, None
    start, end = date(ctx, v.start), date(ctx, v.end)
    if start and end and end < start:
        ctx.report(error("E019", f"失效日期 {end} 早于生效日期 {start}", v.span))
    return start, end
