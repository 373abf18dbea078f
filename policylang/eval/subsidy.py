"""资助参保: a person's contribution support for a year, with an explanation."""

from __future__ import annotations

import datetime as dt

import attrs

from policylang import ir
from policylang.eval.trace import TraceLine
from policylang.ir import terms
from policylang.ir.claims import Person
from policylang.ir.units import fmt_yuan
from policylang.ir.values import Money, Ratio, SubsidyKind


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
    try:  # the base is the reference value of the contribution year itself
        contribution = int(terms.reference_value(policy, ir.RefValue(subsidy.base, 0), dt.date(year, 1, 1)))
    except terms.Missing:
        trace.append(TraceLine(f"没有 {year} 年的{subsidy.base}，无法计算资助", ref.origin if ref else None))
        return SubsidyResult(year, None, 0, 0, tuple(trace))
    trace.append(TraceLine(f"{year} 年{subsidy.base} {fmt_yuan(contribution)} 元", ref.origin if ref else None))
    day = dt.date(year, 1, 1)
    rule = next((r for r in subsidy.rules if terms.applies(r, facts, day)), None)
    if rule is None:
        trace.append(TraceLine("不属于资助对象，个人全额缴费"))
        return SubsidyResult(year, contribution, 0, contribution, tuple(trace))
    who = "、".join(sorted(v for c in rule.when for v in c.values))
    if rule.kind is SubsidyKind.FULL:
        amount = contribution
        trace.append(TraceLine(f"{who}：全额资助 {fmt_yuan(amount)} 元", rule.origin))
    elif rule.kind is SubsidyKind.FIXED:
        amount = min(contribution, int(rule.amount))  # type: ignore[call-overload]
        trace.append(TraceLine(f"{who}：定额资助 {rule.amount}", rule.origin))
    else:
        share: Ratio = rule.amount  # type: ignore[assignment]
        amount = (Money(contribution) * share).rounded(policy.rounding).fen
        line = f"{who}：按 {share} 资助 {fmt_yuan(contribution)} × {share} = {fmt_yuan(amount)} 元"
        if rule.floor is not None and amount < int(rule.floor):
            amount = int(rule.floor)
            line += f"，低于 {rule.floor}按 {rule.floor}"
        trace.append(TraceLine(line, rule.origin))
        amount = min(amount, contribution)
    remaining = contribution - amount
    trace.append(TraceLine(f"资助 {fmt_yuan(amount)} 元，个人缴费 {fmt_yuan(remaining)} 元"))
    return SubsidyResult(year, contribution, amount, remaining, tuple(trace))
