"""Runs the test blocks written beside a region's rules and explains every failure."""

from __future__ import annotations

import attrs

from policylang import ir
from policylang.cases import TestCase
from policylang.settle import ClaimResult, settle
from policylang.source import Span
from policylang.units import fmt_yuan


@attrs.frozen
class Failure:
    claim: int  # index of the claim in the test
    output: str
    expected: int
    actual: int | None
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Outcome:
    case: TestCase
    results: tuple[ClaimResult, ...]
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def run_case(policy: ir.Policy, case: TestCase) -> Outcome:
    """Settle the test's claims and compare every stated expectation, to the 分."""
    results = settle(policy, case.person, [tc.claim for tc in case.claims])
    failures = []
    for i, (tc, result) in enumerate(zip(case.claims, results, strict=True)):
        for exp in tc.expects:
            actual = result.output(exp.output)
            if actual != exp.amount:
                failures.append(Failure(i, exp.output, exp.amount, actual, exp.origin))
    return Outcome(case, results, tuple(failures))


def explain_failure(outcome: Outcome) -> str:
    """Expected vs actual for each failed expectation, then the trace of the failing claim."""
    lines = []
    shown: set[int] = set()
    for f in outcome.failures:
        where = f"{f.origin}: " if f.origin else ""
        actual = "无此输出" if f.actual is None else f"{fmt_yuan(f.actual)} 元"
        lines.append(f"  {where}第 {f.claim + 1} 次就诊 {f.output}：期望 {fmt_yuan(f.expected)} 元，实际 {actual}"
                     f" (expected {fmt_yuan(f.expected)}, got {actual})")
        if f.claim not in shown:
            shown.add(f.claim)
            lines.append("    结算过程 (trace):")
            lines += [f"      {t.render()}" for t in outcome.results[f.claim].trace]
    return "\n".join(lines)
