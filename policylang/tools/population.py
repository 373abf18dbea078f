"""Settle many people's claims: each person on their own accumulators, in their own date order."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from policylang import ir
from policylang.eval.settle import ClaimResult, settle
from policylang.inputs.claimtable import PersonClaims

# Settles one person's claims; the scalar evaluator, or any backend that promises the same numbers.
Settler = Callable[[ir.Policy, object, Iterable[object]], tuple[ClaimResult, ...]]


def settle_population(policy: ir.Policy, people: Iterable[PersonClaims],
                      settler: Settler = settle) -> list[tuple[PersonClaims, tuple[ClaimResult, ...]]]:
    """Every person's results, in the order the people are given."""
    return [(pc, settler(policy, pc.person, pc.claims)) for pc in people]
