"""Test blocks as compiled data: a person, claims, contributions and questions, with what the officer expects."""

from __future__ import annotations

import datetime as dt

import attrs

from policylang.ir.claims import Claim, Facts, Person
from policylang.source import Span


@attrs.frozen
class Expectation:
    output: str
    amount: int  # 分 (days for 津贴天数)
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestClaim:
    claim: Claim
    expects: tuple[Expectation, ...]
    refused: Span | None = attrs.field(default=None, eq=False)  # 期望 不予支付


@attrs.frozen
class TestPayment:
    """缴费 2022 年 期望 资助 280 元, 个人缴费 40 元."""

    year: int
    expects: tuple[Expectation, ...]
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestAsk:
    """询问 2024-03-01 家庭共济 亲属关系=兄弟姐妹 期望 是."""

    date: dt.date
    question: str
    facts: Facts
    answer: bool
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestCase:
    name: str
    person: Person
    claims: tuple[TestClaim, ...]
    payments: tuple[TestPayment, ...] = ()
    asks: tuple[TestAsk, ...] = ()
    origin: Span | None = attrs.field(default=None, eq=False)
