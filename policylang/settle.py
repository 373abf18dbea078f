"""The scalar evaluator: one person's claims in date order, with accumulators and a trace of every step.

Accumulator model: everything that depends on earlier claims is a running total per person, scheme,
layer and scope key (the claim itself, its day, its admission or its period). A claim's share of a
deductible or cap is what is left of it given the running total before the claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from policylang import ir
from policylang.claims import Claim, Person
from policylang.rounding import round_fen
from policylang.source import Span
from policylang.units import fmt_ratio, fmt_yuan


@attrs.frozen
class TraceLine:
    """One step of a settlement, in Chinese, pointing at the script line it came from."""

    text: str
    origin: Span | None = attrs.field(default=None, eq=False)

    def render(self) -> str:
        return f"{self.text}〔{self.origin.file}:{self.origin.line}〕" if self.origin else self.text


@attrs.frozen
class LayerShare:
    name: str
    paid: int


@attrs.frozen
class ClaimResult:
    """The settlement of one claim: amounts in 分, the layers' shares, and the explanation."""

    claim: Claim
    scheme: str | None
    cost: int  # 费用
    deductible: int  # 起付线 counted on this claim
    fund: int  # 统筹支付
    personal: int  # 个人自付
    layers: tuple[LayerShare, ...]
    trace: tuple[TraceLine, ...]

    def output(self, name: str) -> int | None:
        """An output by its Chinese name, as test blocks and JSON name them."""
        fixed = {"统筹支付": self.fund, "个人自付": self.personal, "起付线": self.deductible, "费用": self.cost}
        if name in fixed:
            return fixed[name]
        return next((ls.paid for ls in self.layers if ls.name == name), None)


_SCOPE_WORD = {ir.Scope.VISIT: "本次", ir.Scope.DAY: "当日", ir.Scope.ADMISSION: "本次住院", ir.Scope.PERIOD: "本年"}
_CAP_WORD = {ir.Scope.VISIT: "每次", ir.Scope.DAY: "每日", ir.Scope.ADMISSION: "每次住院", ir.Scope.PERIOD: "年度"}


class Accumulators:
    """Running totals in 分, keyed by (scheme, layer, what, scope key)."""

    def __init__(self) -> None:
        self.totals: defaultdict[tuple, int] = defaultdict(int)

    @staticmethod
    def scope_key(scope: ir.Scope, period: ir.Period, claim: Claim) -> tuple:
        if scope is ir.Scope.VISIT:
            return ("visit", claim.index)
        if scope is ir.Scope.DAY:
            return ("day", claim.date)
        if scope is ir.Scope.ADMISSION:
            return ("admission", claim.index)
        return ("period", period.key(claim.date))


def _label(cell: ir.Cell) -> str:
    return f"（{cell.label()}）" if cell.keys else ""


class _ClaimSettler:
    def __init__(self, policy: ir.Policy, acc: Accumulators, claim: Claim, facts: Mapping[str, str]) -> None:
        self.policy = policy
        self.acc = acc
        self.claim = claim
        self.facts = facts
        self.trace: list[TraceLine] = []

    def say(self, text: str, origin: Span | None = None) -> None:
        self.trace.append(TraceLine(text, origin))

    def run(self) -> ClaimResult:
        claim, day = self.claim, self.claim.date
        scheme = self.policy.scheme_for(self.facts, day)
        if scheme is None:
            self.say(f"{day} 的就诊没有适用的方案，统筹不予支付")
            return ClaimResult(claim, None, claim.amount, 0, 0, claim.amount, (), tuple(self.trace))
        self.say(f"适用方案：{scheme.name}", scheme.origin)
        self.say(f"政策范围内费用 {fmt_yuan(claim.amount)} 元")
        base, counted, shares = claim.amount, 0, []
        for layer in scheme.layers:
            paid, ded = self.layer(scheme, layer, base)
            counted += ded
            shares.append(LayerShare(layer.name, paid))
            base -= paid
        fund = sum(s.paid for s in shares)
        personal = claim.amount - fund
        self.say(f"统筹支付 {fmt_yuan(fund)} 元，个人自付 {fmt_yuan(personal)} 元")
        return ClaimResult(claim, scheme.name, claim.amount, counted, fund, personal, tuple(shares),
                           tuple(self.trace))

    def layer(self, scheme: ir.Scheme, layer: ir.Layer, base: int) -> tuple[int, int]:
        """Settle one layer on base; returns (paid, deductible counted)."""
        counted = self.deductible(scheme, layer, base) if layer.deductible else 0
        eligible = base - counted
        ratio = self.ratio(layer)
        if ratio is None:
            return 0, counted
        exact = Fraction(eligible) * ratio
        raw = round_fen(exact, self.policy.rounding)
        rounded = "" if exact.denominator == 1 else f"（{self.policy.rounding}到分）"
        self.say(f"进入报销部分 {fmt_yuan(eligible)} 元 × {fmt_ratio(ratio)} = {fmt_yuan(raw)} 元{rounded}")
        paid = raw
        for cap in layer.caps:
            paid = self.cap(scheme, layer, cap, paid)
        for cap in layer.caps:
            key = (scheme.name, layer.name, "cap", cap.scope, Accumulators.scope_key(cap.scope, scheme.period,
                                                                                     self.claim))
            self.acc.totals[key] += paid
        return paid, counted

    def deductible(self, scheme: ir.Scheme, layer: ir.Layer, base: int) -> int:
        ded = layer.deductible
        assert ded is not None
        version = ded.param.at(self.claim.date)
        cell = version.table.lookup(self.facts) if version else None
        if cell is None:
            self.say("没有适用的起付线，按 0 元计")
            return 0
        key = (scheme.name, layer.name, "deductible", Accumulators.scope_key(ded.scope, scheme.period, self.claim))
        used = self.acc.totals[key]
        counted = min(base, max(0, cell.value - used))
        self.acc.totals[key] += counted
        word = _SCOPE_WORD[ded.scope]
        if ded.scope in (ir.Scope.VISIT, ir.Scope.ADMISSION):
            self.say(f"起付线 {fmt_yuan(cell.value)} 元{_label(cell)}，本次计入起付 {fmt_yuan(counted)} 元", cell.origin)
        else:
            self.say(f"起付线 {fmt_yuan(cell.value)} 元{_label(cell)}：{word}已累计起付 {fmt_yuan(used)} 元，"
                     f"本次计入起付 {fmt_yuan(counted)} 元", cell.origin)
        return counted

    def ratio(self, layer: ir.Layer) -> Fraction | None:
        version = layer.ratio.param.at(self.claim.date)
        cell = version.table.lookup(self.facts) if version else None
        if cell is None:
            shown = "、".join(f"{k}={v}" for k, v in sorted(self.facts.items()))
            self.say(f"比例表中没有与本次就诊（{shown}）对应的比例，{layer.name}不予支付",
                     version.origin if version else None)
            return None
        ratio = Fraction(cell.value)
        self.say(f"适用比例 {fmt_ratio(ratio)}{_label(cell)}", cell.origin)
        for adj in layer.ratio.adjustments:
            if adj.applies(self.facts, self.claim.date):
                ratio += adj.delta
                who = "、".join(sorted(v for c in adj.when for v in c.values))
                verb = "提高" if adj.delta >= 0 else "降低"
                self.say(f"{who}比例{verb} {fmt_ratio(abs(adj.delta))}，适用比例 {fmt_ratio(ratio)}", adj.origin)
        if not 0 <= ratio <= 1:
            ratio = min(Fraction(1), max(Fraction(0), ratio))
            self.say(f"比例按 0%–100% 截取为 {fmt_ratio(ratio)}")
        return ratio

    def cap(self, scheme: ir.Scheme, layer: ir.Layer, cap: ir.Cap, pay: int) -> int:
        version = cap.param.at(self.claim.date)
        cell = version.table.lookup(self.facts) if version else None
        if cell is None:
            return pay
        key = (scheme.name, layer.name, "cap", cap.scope, Accumulators.scope_key(cap.scope, scheme.period,
                                                                                self.claim))
        used = self.acc.totals[key]
        room = max(0, cell.value - used)
        name = f"{_CAP_WORD[cap.scope]}封顶线 {fmt_yuan(cell.value)} 元{_label(cell)}"
        before = "" if cap.scope is ir.Scope.VISIT else f"{_SCOPE_WORD[cap.scope]}已支付 {fmt_yuan(used)} 元，"
        if pay > room:
            self.say(f"达到{name}：{before}本次支付由 {fmt_yuan(pay)} 元减至 {fmt_yuan(room)} 元", cell.origin)
            return room
        self.say(f"{before}未超过{name}", cell.origin)
        return pay


def settle(policy: ir.Policy, person: Person, claims: Iterable[Claim]) -> tuple[ClaimResult, ...]:
    """Settle one person's claims in date order (ties keep input order); results in input order."""
    claims = list(claims)
    acc = Accumulators()
    results: list[ClaimResult | None] = [None] * len(claims)
    for i in sorted(range(len(claims)), key=lambda i: (claims[i].date, i)):
        claim = claims[i]
        if claim.index != i:
            claim = attrs.evolve(claim, index=i)
        results[i] = _ClaimSettler(policy, acc, claim, claim.facts_with(person)).run()
    return tuple(r for r in results if r is not None)
