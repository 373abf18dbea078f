"""Plain-Chinese wording for citizens: dates, money, ratios, conditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.units import fmt_ratio, fmt_yuan


def date_cn(day: dt.date) -> str:
    """2024-01-01 → 2024年1月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def money_cn(fen: int) -> str:
    """Money as a citizen reads it: 150000000 分 → 15万元, 50000 → 500元, 50007 → 500.07元."""
    if fen % 100:
        return f"{fmt_yuan(fen)}元"
    yuan = fen // 100
    if yuan >= 10000 and yuan % 100 == 0:
        wan = (Decimal(yuan) / 10000).normalize()
        return f"{wan:f}万元"
    return f"{yuan:,}元"


def ratio_cn(r: Fraction) -> str:
    return fmt_ratio(r)


def bands_cn(bands: ir.BandSet) -> str:
    """5万元(含)以内 60%；超过5万元 70%."""
    parts = []
    for b in bands.bands:
        if b.upper is None:
            parts.append(f"超过{money_cn(b.lower)}的部分 {ratio_cn(b.ratio)}")
        elif b.lower == 0:
            parts.append(f"{money_cn(b.upper)}{'（含）' if b.upper_inclusive else '（不含）'}以内 {ratio_cn(b.ratio)}")
        else:
            parts.append(f"{money_cn(b.lower)}至{money_cn(b.upper)} {ratio_cn(b.ratio)}")
    return "；".join(parts)


def value_cn(value: object) -> str:
    """A table value: a Fraction is a ratio, an int is money in 分; reference values and bands in words."""
    if isinstance(value, Fraction):
        return ratio_cn(value)
    if isinstance(value, int):
        return money_cn(value)
    if isinstance(value, ir.RefValue):
        return value.describe()
    if isinstance(value, ir.BandSet):
        return bands_cn(value)
    return str(value)


def points_cn(delta: Fraction) -> str:
    """A ratio adjustment in percentage points: 1/20 → 5 个百分点."""
    pct = abs(delta) * 100
    shown = str(pct.numerator) if pct.denominator == 1 else fmt_ratio(abs(delta)).rstrip("%")
    return f"{shown} 个百分点"


def conditions_cn(conds: tuple[ir.Condition, ...]) -> str:
    """险种为职工医保、就医类型为普通门诊."""
    return "、".join(c.describe() for c in conds)


def validity_cn(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{date_cn(start)}至{date_cn(end)}"
    if start:
        return f"{date_cn(start)}起"
    if end:
        return f"至{date_cn(end)}"
    return "长期有效"


SCOPE_CN = {ir.Scope.VISIT: "每次", ir.Scope.DAY: "每日", ir.Scope.ADMISSION: "每次住院", ir.Scope.PERIOD: "年度"}


def period_cn(period: ir.Period) -> str:
    if period.start_month == 1:
        return f"按{period.kind}（1月1日至12月31日）累计计算"
    end = period.start_month - 1 or 12
    return f"按{period.kind}（{period.start_month}月1日至次年{end}月底）累计计算"
