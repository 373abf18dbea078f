"""Claims as columns: one row per claim, int64 分 and day numbers, facts as codes into typed values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs
import numpy as np
import pandas as pd

from policylang.ir.claims import Claim, Item, Person, facts

PERSON, DATE, AMOUNT, ITEMS = "参保人ID", "日期", "费用", "明细"
RESERVED = (PERSON, DATE, AMOUNT, ITEMS)
_EPOCH = dt.date(1970, 1, 1).toordinal()


def day_number(day: dt.date) -> int:
    return day.toordinal() - _EPOCH


def from_day(n: int) -> dt.date:
    return dt.date.fromordinal(int(n) + _EPOCH)


class ArrowStrings(Sequence[str]):
    """Person IDs as a read-only sequence over an Arrow string array: Python strings only for the IDs asked
    for (the scalar fallback's persons), not one per person of the batch."""

    def __init__(self, values) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return tuple(self.values[i].to_pylist())
        return self.values[int(i)].as_py()

    def __iter__(self):
        return iter(self.values.to_pylist())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


@attrs.frozen
class FactColumn:
    """A fact per row as a code into `values` (typed: str, int 分, Fraction, date); −1 = absent."""

    codes: np.ndarray
    values: tuple

    @classmethod
    def of(cls, raw: Sequence[object]) -> FactColumn:
        codes, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=True)
        return cls(codes.astype(np.int64), tuple(uniques))

    def take(self, idx: np.ndarray) -> FactColumn:
        return FactColumn(self.codes[idx], self.values)

    def value(self, i: int) -> object | None:
        c = self.codes[i]
        return None if c < 0 else self.values[c]


@attrs.frozen
class Columns:
    """Validated claims: row = the input row number; person = a code into person_ids."""

    row: np.ndarray
    person: np.ndarray
    person_ids: tuple[str, ...]
    date: np.ndarray  # days since 1970-01-01
    amount: np.ndarray  # 分
    facts: Mapping[str, FactColumn]
    items: Mapping[int, tuple[Item, ...]] = attrs.field(factory=dict)  # by position, for itemised claims

    def __len__(self) -> int:
        return len(self.row)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, object]], rows: Sequence[int] | None = None) -> Columns:
        """Typed records (参保人ID, 日期 as date, 费用 in 分, facts typed, 明细 as Items) to columns."""
        records = list(records)
        n = len(records)
        person_codes, person_ids = pd.factorize(pd.Series([str(r[PERSON]) for r in records], dtype=object))
        names: dict[str, None] = {}
        for r in records:
            for k in r:
                if k not in RESERVED:
                    names.setdefault(k)
        fact_cols = {k: FactColumn.of([r.get(k) for r in records]) for k in names}
        items = {i: tuple(r[ITEMS]) for i, r in enumerate(records) if r.get(ITEMS)}  # type: ignore[arg-type]
        return cls(
            row=np.arange(n, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64),
            person=person_codes.astype(np.int64),
            person_ids=tuple(str(p) for p in person_ids),
            date=np.array([day_number(r[DATE]) for r in records], dtype=np.int64),  # type: ignore[arg-type]
            amount=np.array([r[AMOUNT] for r in records], dtype=np.int64),
            facts=fact_cols,
            items=items,
        )

    def take(self, idx: np.ndarray, only: set[str] | None = None) -> Columns:
        """The rows at positions idx (a permutation or subset), in that order; facts limited to only."""
        where = {int(p): i for i, p in enumerate(idx)} if self.items else {}
        items = {where[p]: it for p, it in self.items.items() if p in where}
        return Columns(self.row[idx], self.person[idx], self.person_ids, self.date[idx], self.amount[idx],
                       {k: c.take(idx) for k, c in self.facts.items() if only is None or k in only}, items)

    def row_facts(self, i: int) -> dict[str, object]:
        out = {}
        for name, col in self.facts.items():
            v = col.value(i)
            if v is not None:
                out[name] = v
        return out

    def person_claims(self, positions: Sequence[int]) -> tuple[Person, list[Claim]]:
        """One person's claims (positions in input order) as the scalar evaluator takes them."""
        first = positions[0]
        person = Person(self.person_ids[self.person[first]])
        claims = [Claim(from_day(self.date[p]), int(self.amount[p]), facts(self.row_facts(p)), k,
                        self.items.get(p, ())) for k, p in enumerate(positions)]
        return person, claims
