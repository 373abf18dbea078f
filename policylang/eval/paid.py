"""What other funds already paid on a claim (扣除已付) and the date that picks a scheme's versions (版本 按).

Other funds' payments are facts of the claim (money fields such as 基本医保已支付): a layer that names them works on
what reaches it less their sum, never below 0, and every later layer on what is left after that. They are not
paid by this policy, nor by the person: 个人自付 = 费用 − this policy's layers − 其他基金已支付, the amounts of
every field the scheme deducts (reported as the figure 其他基金已支付).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from policylang import ir
from policylang.ir.units import fmt_yuan

OTHER_PAID = "其他基金已支付"  # the figure (ir.outputs.DETAIL_OUTPUTS) and the trace's word for it


def field_amount(facts: ir.Facts, name: str) -> int:
    """A money field's amount in 分 on this claim (0 when the claim does not give it)."""
    value = facts.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def other_paid(scheme: ir.Scheme, facts: ir.Facts) -> int:
    """What other funds paid on the claim: every field the scheme's layers deduct, each counted once."""
    return sum(field_amount(facts, name) for name in scheme.paid_fields())


def deduct(layer: ir.Layer, facts: ir.Facts, base: int, say: Callable) -> tuple[int, int]:
    """The layer's base less what other funds paid (never below 0), explained; returns (base, deducted)."""
    paid = layer.already_paid
    assert paid is not None
    amounts = [(name, field_amount(facts, name)) for name in paid.fields]
    total = sum(a for _, a in amounts)
    after = max(0, base - total)
    each = "、".join(f"{name} {fmt_yuan(a)} 元" for name, a in amounts)
    floor = "（不低于 0）" if total > base else ""
    say(f"扣除其他基金已支付：{each}，共 {fmt_yuan(total)} 元；本层计算基数 {fmt_yuan(base)} 元 − "
        f"{fmt_yuan(total)} 元 = {fmt_yuan(after)} 元{floor}", paid.origin)
    return after, base - after


def too_much(scheme: ir.Scheme, facts: ir.Facts, cost: int) -> str | None:
    """Why a claim cannot be settled when other funds are said to have paid more than it cost, else None."""
    total = other_paid(scheme, facts)
    if total <= cost:
        return None
    return f"{OTHER_PAID} {fmt_yuan(total)} 元超过本次费用 {fmt_yuan(cost)} 元"


def explain_personal(scheme: ir.Scheme, facts: ir.Facts, cost: int, fund: int, say: Callable) -> None:
    """个人自付 once other funds' payments are taken out: a line only for schemes that deduct them."""
    fields = scheme.paid_fields()
    if not fields:
        return
    total = other_paid(scheme, facts)
    each = "、".join(f"{name} {fmt_yuan(field_amount(facts, name))} 元" for name in fields)
    say(f"{OTHER_PAID} {fmt_yuan(total)} 元（{each}）不由本政策支付，也不由个人负担：个人自付 = 费用 "
        f"{fmt_yuan(cost)} 元 − 本政策支付 {fmt_yuan(fund)} 元 − {OTHER_PAID} {fmt_yuan(total)} 元 = "
        f"{fmt_yuan(cost - fund - total)} 元")


def explain_version(scheme: ir.Scheme, facts: ir.Facts, day: dt.date, say: Callable) -> None:
    """版本 按 出院日期: which date the scheme's standards are read on for this claim."""
    if not scheme.version_by:
        return
    chosen = facts.get(scheme.version_by)
    if isinstance(chosen, dt.date):
        say(f"按{scheme.version_by} {chosen} 适用当时的标准（就诊日期 {day}）")
    else:
        say(f"未填{scheme.version_by}，按就诊日期 {day} 适用当时的标准")


__all__ = ["OTHER_PAID", "deduct", "explain_personal", "explain_version", "field_amount", "other_paid", "too_much"]
