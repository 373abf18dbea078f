"""The accumulator model's keys and exact amounts: which running total a claim adds to (its scope), F of the
brackets, and which layers round their running payment rather than each claim (cumulative rounding)."""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

from policylang import ir
from policylang.ir import terms
from policylang.ir.balances import targets
from policylang.ir.claims import Claim, Person
from policylang.ir.rounding import round_fen
from policylang.ir.units import fmt_yuan
from policylang.ir.values import Days, Money, Ratio
from policylang.ir.wording import field_thing

SCOPE_WORD = {ir.Scope.VISIT: "本次", ir.Scope.DAY: "当日", ir.Scope.ADMISSION: "本次住院", ir.Scope.PERIOD: "本年",
               ir.Scope.STAY: "本住院期间"}
CAP_WORD = {ir.Scope.VISIT: "每次", ir.Scope.DAY: "每日", ir.Scope.ADMISSION: "每次住院", ir.Scope.PERIOD: "年度",
             ir.Scope.STAY: "每个住院计算期"}


def period_key(period: ir.Period, claim: Claim, facts: ir.Facts) -> int:
    """The period a claim counts in: by its date, or by the date field the 周期 names (出院日期)."""
    day = facts.get(period.by) if period.by else None
    return period.key(day if isinstance(day, dt.date) else claim.date)


def scope_key(scope: ir.Scope, period: ir.Period, claim: Claim, facts: ir.Facts, shared: bool = False,
              stay_days: Days | None = None, by: str | None = None) -> tuple:
    """The accumulator a claim adds to for a scope: itself, its day, its admission or referral, its period, or
    the value of a claim field (按 孕期号); a claim without that value cannot be placed and is refused."""
    if scope is ir.Scope.FIELD:
        value = facts.get(by) if by else None
        if value is None or value == "":
            raise terms.NoCell(f"缺少{by}，无法确定按{by}累计的范围 (no {by} to key the running total)", None)
        return ("field", by, value)
    if shared and scope is not ir.Scope.PERIOD and facts.get("转诊号"):
        return ("referral", facts["转诊号"])
    if scope is ir.Scope.VISIT:
        return ("visit", claim.index)
    if scope is ir.Scope.DAY:
        return ("day", claim.date)
    if scope is ir.Scope.ADMISSION:
        return ("admission", facts.get("住院号") or claim.index)
    if scope is ir.Scope.STAY:
        admitted = facts.get("入院日期")
        start = admitted if isinstance(admitted, dt.date) else claim.date
        return ("stay", facts.get("住院号") or claim.index, (claim.date - start).days // (stay_days.n if stay_days else 1))
    return ("period", period_key(period, claim, facts))


def scope_word(scope: ir.Scope, by: str | None = None) -> str:
    """本年 / 本次住院 / 同一孕期: the running total a trace line speaks of."""
    return f"同一{field_thing(by or '')}" if scope is ir.Scope.FIELD else SCOPE_WORD[scope]


def cap_word(scope: ir.Scope, by: str | None = None) -> str:
    """年度 / 每次住院 / 每个孕期: a limit's scope as its name begins."""
    return f"每个{field_thing(by or '')}" if scope is ir.Scope.FIELD else CAP_WORD[scope]


def named_key(acc_name: str, scope: ir.Scope, key: tuple) -> tuple:
    """The ledger key of a named 累计: shared by every scheme and layer whose limits count in it."""
    return ("累计", acc_name, scope, key)


def opening_balances(policy: ir.Policy, person: Person, first_day: dt.date | None) -> list[tuple[tuple, int]]:
    """已累计: the ledger keys a person's year-to-date totals open, each in the period of its date (截至, or the
    first claim's date). Names are checked when the person is read (E083); an unknown one opens nothing."""
    day = person.opening_date or first_day
    if day is None:
        return []
    found = targets(policy)
    out = []
    for name, amount in person.opening:
        for t in found.get(name, []):
            period = ("period", t.period.key(day))
            if t.accumulator is not None:
                out.append((named_key(t.accumulator.name, t.accumulator.scope, period), amount))
            else:
                assert t.scheme is not None and t.layer is not None
                out.append(((t.scheme.name, t.layer.name, t.what, ir.Scope.PERIOD, period), amount))
    return out


def band_value(bands: tuple[ir.Band, ...], x: int) -> Fraction:
    """F(x): what the bands pay on a cumulative base of x 分 (exact)."""
    total = Fraction(0)
    for band in bands:
        lower = band.lower.fen
        top = x if band.upper is None else min(x, band.upper.fen)
        if top > lower:
            total += (top - lower) * band.ratio.value
    return total


def band_inverse(bands: tuple[ir.Band, ...], target: Fraction, lo: int, hi: int) -> Fraction:
    """The least x in [lo, hi] with F(x) ≥ target: F is piecewise linear and rises with x."""
    points = sorted({lo, hi, *(int(b.lower) for b in bands if lo < int(b.lower) < hi),
                     *(int(b.upper) for b in bands if b.upper is not None and lo < int(b.upper) < hi)})
    for a, b in itertools.pairwise(points):
        fa, fb = band_value(bands, a), band_value(bands, b)
        if fb >= target:
            return Fraction(a) if fb == fa else a + (target - fa) * (b - a) / (fb - fa)
    return Fraction(hi)


def above_cap(eligible: int, raw: int | Fraction, paid: int | Fraction, ratio: Ratio | None,
              bands: tuple[ir.Band, ...] | None, span: tuple[int, int], mode: ir.RoundingMode) -> tuple[int, str]:
    """The spending above a layer's cap, in cost terms (基数 超过上一层封顶线的部分), and how it was found: the
    part of the eligible base whose payment a cap cut off. A ratio layer: eligible − paid ÷ ratio; a bracket
    layer: the running base beyond the point x where the bands' running payment F(x) reached what was paid
    (the period's base after this claim − x). Nothing when no cap cut the payment."""
    if paid >= raw or eligible <= 0:
        return 0, ""
    if ratio is not None:
        if not ratio.value:
            return 0, ""
        covered = round_fen(Fraction(paid) / ratio.value, mode)
        above = max(0, eligible - covered)
        return above, f"{fmt_yuan(eligible)} 元 − {show_amount(paid)} ÷ {ratio} = {fmt_yuan(above)} 元"
    if bands is None:
        return 0, ""
    lo, hi = span
    x = round_fen(band_inverse(bands, band_value(bands, lo) + Fraction(paid), lo, hi), mode)
    above = max(0, hi - x)
    return above, f"本年累计 {fmt_yuan(hi)} 元 − 分段支付达到封顶时的累计 {fmt_yuan(x)} 元 = {fmt_yuan(above)} 元"


def show_amount(x: int | Fraction) -> str:
    """An amount of 分 in 元: exact (with its fraction of a 分) while it is not yet rounded."""
    return f"{fmt_yuan(int(x))} 元" if isinstance(x, int) or x.denominator == 1 else str(Money(x))


def cumulative_scope(layer: ir.Layer) -> ir.Scope | None:
    """The accumulator a layer rounds its payments over, if any: a layer that pays by brackets (the period) or
    under a 费用限额 wider than one claim pays round(X after) − round(X before) of its exact running payment X,
    so no 分 moves between claims; other layers round each claim's payment."""
    if layer.brackets is not None:
        return ir.Scope.PERIOD
    if layer.ratio is not None and layer.fee_limit is not None and layer.fee_limit.scope is not ir.Scope.VISIT:
        return layer.fee_limit.scope
    return None


def running_scope(scheme: ir.Scheme, layer: ir.Layer) -> tuple[ir.Scope, str | None] | None:
    """The accumulator (scope, 按 field) a layer rounds its payments over, if any: its own (cumulative_scope), or,
    for a ratio layer, that of the nearest earlier layer of the scheme that rounds cumulatively. Why: a
    cumulatively rounded layer moves a 分 of its payment between the claims of its scope (round(X after) −
    round(X before)), so what it leaves to the next layer moves too; rounding each claim of that next layer
    would then gain or lose a 分 over the period when one claim costs more (more cost paying less). Rounding
    its running payment over the same scope makes the next layer pay round(r × what reached it in the scope),
    which never falls when cost rises."""
    own = cumulative_scope(layer)
    if own is not None:
        return own, layer.fee_limit.by if layer.fee_limit is not None else None
    if layer.ratio is None:
        return None
    index = next((i for i, la in enumerate(scheme.layers) if la is layer), 0)  # not the scheme's: nothing earlier
    for earlier in reversed(scheme.layers[:index]):
        found = running_scope(scheme, earlier)
        if found is not None:
            return found
    return None


__all__ = ["CAP_WORD", "SCOPE_WORD", "above_cap", "band_inverse", "band_value", "cap_word", "cumulative_scope", "named_key", "opening_balances",
           "period_key", "running_scope", "scope_key", "scope_word", "show_amount"]
