"""What is settled: an insured person (参保人) and their claims (就诊), as plain validated data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from policylang.ir import Fact
from policylang.source import Span

Facts = tuple[tuple[str, Fact], ...]
CLASSES = ("甲类", "乙类", "丙类", "目录外")  # 目录类别: the catalogue class of a billed item
PERSON_FIELDS = ("险种", "人员类别", "救助身份", "参保身份", "性别")  # facts of the person, the same on every claim


def facts(mapping: Mapping[str, Fact]) -> Facts:
    return tuple(sorted(mapping.items()))


@attrs.frozen
class Person:
    """参保人: an id and facts (险种, 人员类别, typed fields such as 缴费日期 …)."""

    id: str
    facts: Facts = ()
    opening: tuple[tuple[str, int], ...] = ()  # 已累计: year-to-date totals in 分 by accumulator name
    opening_date: dt.date | None = None  # 截至: the date they stand at (None: the first claim's date)

    def fact_map(self) -> dict[str, Fact]:
        return dict(self.facts)


@attrs.frozen
class Item:
    """明细: one billed item with its catalogue class (甲类/乙类/丙类/目录外) and amount in 分."""

    name: str
    cls: str
    amount: int


@attrs.frozen
class Claim:
    """就诊: a date, the amount in 分 (费用; the items' total when itemised) and facts overriding the person's."""

    date: dt.date
    amount: int
    facts: Facts = ()
    index: int = 0
    items: tuple[Item, ...] = ()
    origin: Span | None = attrs.field(default=None, eq=False, repr=False)

    def facts_with(self, person: Person, defaults: Mapping[str, Fact] | None = None) -> dict[str, Fact]:
        merged: dict[str, Fact] = dict(defaults or {})
        merged.update(person.facts)
        merged.update(self.facts)
        return merged
