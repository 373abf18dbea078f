"""Test blocks as compiled data: a person, claims and the outputs the officer expects."""

from __future__ import annotations

import attrs

from policylang.claims import Claim, Person
from policylang.source import Span

# Outputs a test may state, besides the name of a layer.
OUTPUTS = ("统筹支付", "个人自付", "起付线", "费用")


@attrs.frozen
class Expectation:
    output: str
    amount: int  # 分
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestClaim:
    claim: Claim
    expects: tuple[Expectation, ...]


@attrs.frozen
class TestCase:
    name: str
    person: Person
    claims: tuple[TestClaim, ...]
    origin: Span | None = attrs.field(default=None, eq=False)
