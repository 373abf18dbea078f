"""Plain-Chinese wording for citizens: the core's value wording (policylang.wording) plus page-only phrases."""

from __future__ import annotations

from policylang import ir
from policylang.ir.wording import (
    SCOPE_CN,
    bands_cn,
    bound_cn,
    conditions_cn,
    count_rules_cn,
    date_cn,
    formula_cn,
    money_cn,
    points_cn,
    ratio_cn,
    scope_cn,
    validity_cn,
    value_cn,
)

__all__ = ["SCOPE_CN", "bands_cn", "bound_cn", "conditions_cn", "count_rules_cn", "date_cn", "formula_cn",
           "money_cn", "period_cn", "points_cn", "ratio_cn", "scope_cn", "validity_cn", "value_cn"]


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
