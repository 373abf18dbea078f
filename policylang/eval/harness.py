"""Runs the test blocks written beside a region's rules and explains every failure."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from policylang import ir
from policylang.eval.questions import ask
from policylang.eval.settle import ClaimResult, Places, settle
from policylang.eval.subsidy import subsidize
from policylang.eval.trace import TraceLine
from policylang.ir import terms
from policylang.ir.cases import TestCase
from policylang.ir.claims import Claim, Person
from policylang.ir.outputs import OUTPUT_NAMES
from policylang.source import Span

SettleClaims = Callable[[ir.Policy, Person, list[Claim], Places | None], Sequence[ClaimResult]]


@attrs.frozen
class Failure:
    what: str  # 第 2 次就诊 / 2022 年缴费 / 询问 家庭共济
    output: str
    expected: str
    actual: str
    trace: tuple[TraceLine, ...]
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Outcome:
    case: TestCase
    results: tuple[ClaimResult, ...]
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def _show(output: str, amount: int | None) -> str:
    if amount is None:
        return "无此输出"
    return str(terms.output_value(output, amount))


def run_case(policy: ir.Policy, case: TestCase, places: Places | None = None,
             settle_claims: SettleClaims = settle) -> Outcome:
    """Settle the test's claims, subsidies and questions and compare every stated expectation, to the 分.
    `settle_claims` is the backend (the scalar evaluator, or the batch kernel: the same test, both engines)."""
    claims = [tc.claim for tc in case.claims]
    results = tuple(settle_claims(policy, case.person, claims, places))
    scalar: list[tuple[ClaimResult, ...]] = []  # a backend without the figures on the way: the scalar's, once

    def figure(i: int, name: str) -> int | None:
        if not scalar:
            scalar.append(tuple(settle(policy, case.person, claims, places)))
        return scalar[0][i].output(name)

    failures = []
    for i, (tc, result) in enumerate(zip(case.claims, results, strict=True)):
        what = f"第 {i + 1} 次就诊"
        if tc.refused is not None and not result.refused:
            failures.append(Failure(what, "不予支付", "不予支付", "已支付", result.trace, tc.refused))
        if tc.refused is None and any(map(terms.is_no_cell, result.refused)):  # never passes as a payment of 0
            refused = f"不予支付：{'；'.join(result.refused)}"
            failures += [Failure(what, exp.output, _show(exp.output, exp.amount), refused, result.trace, exp.origin)
                         for exp in tc.expects] or [Failure(what, "结算", "结算", refused, result.trace, case.origin)]
            continue
        for exp in tc.expects:
            actual = result.output(exp.output)
            if actual is None and settle_claims is not settle and exp.output not in OUTPUT_NAMES:
                actual = figure(i, exp.output)
            if actual != exp.amount:
                failures.append(Failure(what, exp.output, _show(exp.output, exp.amount), _show(exp.output, actual),
                                        result.trace, exp.origin))
    for payment in case.payments:
        outcomes = subsidize(policy, case.person, payment.year)
        what = f"{payment.year} 年缴费"
        for exp in payment.expects:
            actual = next((v for r in outcomes if (v := r.output(exp.output)) is not None), None)
            if actual != exp.amount:
                trace = tuple(t for r in outcomes for t in r.trace)
                failures.append(Failure(what, exp.output, _show("", exp.amount), _show("", actual), trace, exp.origin))
    for q in case.asks:
        facts = {**case.person.fact_map(), **dict(q.facts)}
        answer = ask(policy, q.question, facts, q.date)
        if answer.allowed != q.answer:
            failures.append(Failure(f"询问 {q.question}", q.question, "是" if q.answer else "否",
                                    f"{'是' if answer.allowed else '否'}（{answer.reason}）", answer.trace, q.origin))
    return Outcome(case, results, tuple(failures))


def explain_failure(outcome: Outcome) -> str:
    """Expected vs actual for each failed expectation, then the trace of what failed."""
    lines = []
    shown: set[str] = set()
    for f in outcome.failures:
        where = f"{f.origin}: " if f.origin else ""
        lines.append(f"  {where}{f.what} {f.output}：期望 {f.expected}，实际 {f.actual}"
                     f" (expected {f.expected}, got {f.actual})")
        if f.what not in shown:
            shown.add(f.what)
            lines.append("    结算过程 (trace):")
            lines += [f"      {t.render()}" for t in f.trace]
    return "\n".join(lines)
