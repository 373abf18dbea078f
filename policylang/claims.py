"""What is settled: an insured person (参保人) and their claims (就诊), as plain validated data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from policylang.source import Span

Facts = tuple[tuple[str, str], ...]


def facts(mapping: Mapping[str, str]) -> Facts:
    return tuple(sorted(mapping.items()))


@attrs.frozen
class Person:
    """参保人: an id and enumeration facts (险种, 人员类别 …)."""

    id: str
    facts: Facts = ()

    def fact_map(self) -> dict[str, str]:
        return dict(self.facts)


@attrs.frozen
class Claim:
    """就诊: a date, the policy-range amount (费用, in 分) and facts that override the person's."""

    date: dt.date
    amount: int
    facts: Facts = ()
    index: int = 0
    origin: Span | None = attrs.field(default=None, eq=False, repr=False)

    def facts_with(self, person: Person) -> dict[str, str]:
        merged = person.fact_map()
        merged.update(self.facts)
        return merged
