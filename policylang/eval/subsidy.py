"""资助参保: a person's contribution support for a year, with an explanation."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs

from policylang import ir
from policylang.eval.trace import TraceLine
from policylang.ir.claims import Person
from policylang.ir.rounding import round_fen
from policylang.ir.units import fmt_ratio, fmt_yuan


@attrs.frozen
class SubsidyResult:
    year: int
    contribution: int | None  # 缴费标准 in 分 (None: no standard for the year)
    subsidy: int  # 资助
    remaining: int  # 个人缴费
    trace: tuple[TraceLine, ...]

    def output(self, name: str) -> int | None:
        return {"资助": self.subsidy, "个人缴费": self.remaining, "缴费标准": self.contribution}.get(name)


def subsidize(policy: ir.Policy, person: Person, year: int) -> tuple[SubsidyResult, ...]:
    """The subsidy of every 资助 rule set for the person's contribution of a year."""
    facts = {**policy.defaults(), **person.fact_map()}
    return tuple(_one(policy, s, facts, year) for s in policy.subsidies)


def _one(policy: ir.Policy, subsidy: ir.Subsidy, facts: dict, year: int) -> SubsidyResult:
    trace: list[TraceLine] = []
    ref = policy.reference(subsidy.base)
    contribution = ref.for_year(year) if ref else None
    if contribution is None:
        trace.append(TraceLine(f"没有 {year} 年的{subsidy.base}，无法计算资助", ref.origin if ref else None))
        return SubsidyResult(year, None, 0, 0, tuple(trace))
    trace.append(TraceLine(f"{year} 年{subsidy.base} {fmt_yuan(contribution)} 元", ref.origin if ref else None))
    day = dt.date(year, 1, 1)
    rule = next((r for r in subsidy.rules if ir.in_force(r.start, r.end, day) and ir.all_hold(r.when, facts)), None)
    if rule is None:
        trace.append(TraceLine("不属于资助对象，个人全额缴费"))
        return SubsidyResult(year, contribution, 0, contribution, tuple(trace))
    who = "、".join(sorted(v for c in rule.when for v in c.values))
    if rule.kind == "全额":
        amount = contribution
        trace.append(TraceLine(f"{who}：全额资助 {fmt_yuan(amount)} 元", rule.origin))
    elif rule.kind == "定额":
        amount = min(contribution, int(rule.amount))  # type: ignore[arg-type]
        trace.append(TraceLine(f"{who}：定额资助 {fmt_yuan(int(rule.amount))} 元", rule.origin))  # type: ignore[arg-type]
    else:
        share = Fraction(rule.amount)  # type: ignore[arg-type]
        amount = round_fen(contribution * share, policy.rounding)
        line = f"{who}：按 {fmt_ratio(share)} 资助 {fmt_yuan(contribution)} × {fmt_ratio(share)} = {fmt_yuan(amount)} 元"
        if rule.floor is not None and amount < rule.floor:
            amount = rule.floor
            line += f"，低于 {fmt_yuan(rule.floor)} 元按 {fmt_yuan(rule.floor)} 元"
        trace.append(TraceLine(line, rule.origin))
        amount = min(amount, contribution)
    remaining = contribution - amount
    trace.append(TraceLine(f"资助 {fmt_yuan(amount)} 元，个人缴费 {fmt_yuan(remaining)} 元"))
    return SubsidyResult(year, contribution, amount, remaining, tuple(trace))
