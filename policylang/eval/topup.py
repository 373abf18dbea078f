"""年度补助: a payment on the period's totals, settled claim by claim so that the period's payments are exact.

F(B, P) = ratio × max(0, B − threshold × P), where B is the period's running personal share (what reached the layer)
and P the period's running 政策范围内费用 (or 费用). Each claim pays round(F after) − round(F before), as brackets
do (eval/accumulators.py), so the year's payments sum to round(F(year's B, year's P)) whatever the claims' order
and size. A claim that lowers F (its cost mostly paid by earlier layers raises P more than B) takes back part of
what was advanced: its payment is negative, and the trace says so.
"""

from __future__ import annotations

from fractions import Fraction

from policylang import ir
from policylang.eval.accumulators import show_amount
from policylang.ir.rounding import round_fen
from policylang.ir.units import fmt_yuan


def owed(topup: ir.YearTopUp, share: int, total: int) -> tuple[Fraction, Fraction]:
    """(threshold amount, F) for running totals: F = ratio × max(0, share − threshold × total), exact."""
    line = total * topup.threshold.value
    return line, max(Fraction(0), share - line) * topup.ratio.value


def pay(settler, topup: ir.YearTopUp, base: int) -> int:
    """This claim's increment of the period's top-up, explained; base is what reaches the layer."""
    total_now = settler.policy_range if topup.over == "政策范围内费用" else settler.claim.amount
    share_key = settler.key("topup_share", ir.Scope.PERIOD)
    total_key = settler.key("topup_total", ir.Scope.PERIOD)
    share_before, total_before = settler.acc[share_key], settler.acc[total_key]
    share, total = share_before + base, total_before + total_now
    settler.acc[share_key], settler.acc[total_key] = share, total
    mode = settler.policy.rounding
    _, before = owed(topup, share_before, total_before)
    line, after = owed(topup, share, total)
    advanced = round_fen(before, mode)
    paid = round_fen(after, mode) - advanced
    say = settler.say
    say(f"年度补助按本年累计计算：{topup.over}累计 {fmt_yuan(total)} 元，进入本层的个人负担累计 {fmt_yuan(share)} 元；"
        f"超过{topup.over}累计的 {topup.threshold}（{show_amount(line)}）的部分 "
        f"{show_amount(max(Fraction(0), share - line))} × {topup.ratio} = {show_amount(after)}，为本年累计应补助",
        topup.origin)
    if paid >= 0:
        say(f"本年此前已补助 {fmt_yuan(advanced)} 元，本次补助 {fmt_yuan(paid)} 元", topup.origin)
    else:
        say(f"本年此前已补助 {fmt_yuan(advanced)} 元，多于按本年累计应补助的金额，本次冲减 {fmt_yuan(-paid)} 元",
            topup.origin)
    return paid


__all__ = ["owed", "pay"]
