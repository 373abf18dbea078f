"""The one wording of IR values: dates, money, ratios, days, formulas, conditions, periods.

Two registers, one module: value_text is the officer's form used in diffs, coverage and traces (70%,
1,300.00 元, 98 天, each value printed by its own type); the *_cn functions are the citizen's form used by the
history listing and the public pages (15万元, 5 个百分点). Both say a value the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.ir.units import fmt_ratio, fmt_yuan
from policylang.ir.values import Age, Count, Days, FormulaKind, Money, Months, Ratio


def date_cn(day: dt.date) -> str:
    """2024-01-01 → 2024年1月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def money_cn(money: Money | int) -> str:
    """Money as a citizen reads it: 150000000 分 → 15万元, 50000 → 500元, 50007 → 500.07元."""
    fen = money.fen if isinstance(money, Money) else money
    if not isinstance(fen, int):
        return f"{fmt_yuan(round(fen))}元"
    if fen % 100:
        return f"{fmt_yuan(fen)}元"
    yuan = fen // 100
    if yuan >= 10000 and yuan % 100 == 0:
        wan = (Decimal(yuan) / 10000).normalize()
        return f"{wan:f}万元"
    return f"{yuan:,}元"


def ratio_cn(r: Ratio | Fraction) -> str:
    return str(r) if isinstance(r, Ratio) else fmt_ratio(r)


def bands_cn(bands: ir.BandSet) -> str:
    """5万元(含)以内 60%；超过5万元 70%."""
    parts = []
    for b in bands.bands:
        if b.upper is None:
            parts.append(f"超过{money_cn(b.lower)}的部分 {ratio_cn(b.ratio)}")
        elif b.lower.fen == 0:
            parts.append(f"{money_cn(b.upper)}{'（含）' if b.upper_inclusive else '（不含）'}以内 {ratio_cn(b.ratio)}")
        else:
            parts.append(f"{money_cn(b.lower)}至{money_cn(b.upper)} {ratio_cn(b.ratio)}")
    return "；".join(parts)


def bound_cn(value: Money | Ratio, kind: FormulaKind | None = None) -> str:
    """A formula's bound, in its own unit."""
    return money_cn(value) if isinstance(value, Money) else ratio_cn(value)


def formula_cn(f: ir.Formula) -> str:
    """上年度职工平均工资 × 1%（最低600元，最高1,800元）."""
    extras = []
    if f.lower is not None:
        extras.append(f"最低{bound_cn(f.lower, f.kind)}")
    if f.upper is not None:
        extras.append(f"最高{bound_cn(f.upper, f.kind)}")
    if f.round_to is not None:
        extras.append(f"取整到{f.round_to}" + (f"，{f.round_mode}" if f.round_mode else ""))
    text = f.text or "公式"
    return f"{text}（{'，'.join(extras)}）" if extras else text


def value_cn(value: object) -> str:
    """A table value: a Fraction is a ratio, an int is money in 分; references, bands, formulas in words."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Ratio):
        return ratio_cn(value)
    if isinstance(value, Money):
        return money_cn(value)
    if isinstance(value, Days | Months | Count | Age):
        return str(value).replace(" ", "")
    if isinstance(value, ir.RefValue):
        return value.describe()
    if isinstance(value, ir.BandSet):
        return bands_cn(value)
    if isinstance(value, ir.Formula):
        return formula_cn(value)
    return str(value)


def points_cn(delta: Ratio) -> str:
    """A ratio adjustment in percentage points: 1/20 → 5 个百分点."""
    pct = abs(delta.value) * 100
    shown = str(pct.numerator) if pct.denominator == 1 else str(abs(delta)).rstrip("%")
    return f"{shown} 个百分点"


def ordered_values(field: str, values: frozenset[str] | set[str], policy: ir.Policy | None = None) -> list[str]:
    """A condition's values in their enumeration's order (一级, 二级, 三级), else sorted."""
    enum = policy.enum(field) if policy is not None else None
    order = list(enum.values) if enum else []
    return sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))


def conditions_cn(conds: tuple[ir.Condition | ir.FieldTest, ...], policy: ir.Policy | None = None) -> str:
    """险种为职工医保、就医类型为普通门诊, 年龄 60 岁及以上 (values in enumeration order when the policy is given)."""
    return "、".join(c.describe() if isinstance(c, ir.FieldTest)
                    else f"{c.field}为{'或'.join(ordered_values(c.field, c.values, policy))}" for c in conds)


def who_cn(conds: tuple[ir.Condition | ir.FieldTest, ...], policy: ir.Policy | None = None) -> str:
    """Just the values: 低保对象、特困人员 (for conditions on categories whose values speak for themselves); a
    typed condition in words (年龄 60 岁及以上)."""
    return "、".join(condition_words(conds, policy))


def condition_words(conds: tuple[ir.Condition | ir.FieldTest, ...], policy: ir.Policy | None = None) -> list[str]:
    """Each condition's values (in enumeration order), or a typed condition's words: the labels of a rule."""
    return [w for c in conds
            for w in ([c.describe()] if isinstance(c, ir.FieldTest) else ordered_values(c.field, c.values, policy))]


def validity_cn(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{date_cn(start)}至{date_cn(end)}"
    if start:
        return f"{date_cn(start)}起"
    if end:
        return f"至{date_cn(end)}"
    return "长期有效"


SCOPE_CN = {ir.Scope.VISIT: "每次", ir.Scope.DAY: "每日", ir.Scope.ADMISSION: "每次住院", ir.Scope.PERIOD: "年度",
            ir.Scope.STAY: "每N天"}


def scope_cn(scope: ir.Scope, stay_days: Days | None = None) -> str:
    """年度 / 每次住院 / 每90天 (a long stay counted per period of N days)."""
    if scope is ir.Scope.STAY:
        n = stay_days.n if stay_days is not None else 0
        return f"每{n}天" if n else "每个计算期"
    return SCOPE_CN.get(scope, scope.value)


def count_rules_cn(rules: tuple[ir.CountRule, ...], show=ratio_cn) -> str:
    """第 2 次 50%，第 3 次起 0%."""
    return "，".join(f"第 {r.n} 次{'起' if r.onward else ''} {show(r.value)}" for r in sorted(rules, key=lambda r: r.n))


def period_cn(period: ir.Period) -> str:
    if period.start_month == 1:
        text = f"按{period.kind}（1月1日至12月31日）累计计算"
    else:
        end = period.start_month - 1 or 12
        text = f"按{period.kind}（{period.start_month}月1日至次年{end}月底）累计计算"
    by = getattr(period, "by", None)
    if by:
        text += f"；跨年度的住院按{by}所在年度计算"
    return text


def value_text(value: object) -> str:
    """A table value as an officer reads it in reports, diffs and coverage lists: each typed value prints with
    its own unit (70%, 1,300.00 元, 98 天), a reference value as 上年度…, bands, a formula as = …."""
    if isinstance(value, ir.RefValue):
        return value.describe()
    if isinstance(value, ir.Formula):
        return f"= {value.text}"
    if isinstance(value, ir.BandSet):
        return "；".join(f"{fmt_yuan(b.lower.fen)}–{'∞' if b.upper is None else fmt_yuan(b.upper.fen)} 元 {b.ratio}"
                        for b in value.bands)
    return str(value)
