"""The wave engine's per-row key columns: which running total a claim adds to (eval/accumulators.py scope_key),
as int64 columns for every row, and the facts the engine reads row by row (units, amounts already paid)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np

from policylang import ir
from policylang.batch.columns import Columns, FactColumn, day_number

VISIT, DAY, ADMISSION, REFERRAL, PERIOD, STAY, FIELD, CLAIM = range(8)


def fact_codes(cols: Columns, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(present and non-empty, code) of a fact per row (accumulators.scope_key treats "" as absent)."""
    col = cols.facts.get(name)
    n = len(cols)
    if col is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    truthy = np.array([v is not None and v != "" and v is not False for v in col.values] + [False], dtype=bool)
    return truthy[col.codes], col.codes


def fact_days(cols: Columns, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(is a date, day number) of a date fact per row."""
    col = cols.facts.get(name)
    n = len(cols)
    if col is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    ok = np.array([isinstance(v, dt.date) for v in col.values] + [False], dtype=bool)
    days = np.array([day_number(v) if isinstance(v, dt.date) else 0 for v in col.values] + [0], dtype=np.int64)
    return ok[col.codes], days[col.codes]


def money_fact(cols: Columns, name: str) -> np.ndarray:
    """eval/paid.field_amount per row: the money field's 分, 0 when absent."""
    col = cols.facts.get(name)
    if col is None:
        return np.zeros(len(cols), dtype=np.int64)
    table = [v if isinstance(v, int) and not isinstance(v, bool) else 0 for v in col.values]
    return np.array([*table, 0], dtype=np.int64)[col.codes]


def unit_fact(col: FactColumn | None, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """eval/steps.units per row: (ok, units, why code: 0 ok, 1 missing, 2 not a whole number)."""
    if col is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    units, why = [], []
    for v in col.values:
        if v is None or isinstance(v, bool) or not isinstance(v, int | Fraction):
            units.append(0), why.append(1)
        elif Fraction(v).denominator != 1 or v < 0:
            units.append(0), why.append(2)
        else:
            units.append(int(v)), why.append(0)
    why_a = np.array([*why, 1], dtype=np.int64)[col.codes]
    return why_a == 0, np.array([*units, 0], dtype=np.int64)[col.codes], why_a


class Keys:
    """Scope keys per row, for the wave engine's accumulators (eval/accumulators.py scope_key)."""

    def __init__(self, cols: Columns, period: np.ndarray) -> None:
        self.c = cols
        self.period = period  # per row: its period key, by its own scheme's 周期 (accumulators.period_key)
        self.positions = np.arange(len(cols), dtype=np.int64)
        self._facts: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def fact(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._facts:
            self._facts[name] = fact_codes(self.c, name)
        return self._facts[name]

    def admission(self) -> tuple[np.ndarray, np.ndarray]:
        """(kind, value) of a claim's admission: its 住院号, else the claim itself."""
        has, code = self.fact("住院号")
        return np.where(has, ADMISSION, CLAIM), np.where(has, code, self.positions)

    def scope(self, scope: ir.Scope, shared: bool = False, stay: ir.Days | None = None,
              by: str | None = None) -> list[np.ndarray]:
        """scope_key as columns: [kind, value, extra]."""
        n = len(self.c)
        zeros = np.zeros(n, dtype=np.int64)
        if scope is ir.Scope.FIELD:
            _, code = self.fact(by or "")
            return [np.full(n, FIELD), code, zeros]
        kind, value, extra = np.full(n, VISIT), self.positions, zeros
        if scope is ir.Scope.DAY:
            kind, value = np.full(n, DAY), self.c.date
        elif scope is ir.Scope.ADMISSION:
            kind, value = self.admission()
        elif scope is ir.Scope.STAY:
            kind, value = self.admission()
            ok, start = fact_days(self.c, "入院日期")
            start = np.where(ok, start, self.c.date)
            extra = (self.c.date - start) // (stay.n if stay else 1)
            kind = kind + 10 * STAY
        elif scope is ir.Scope.PERIOD:
            kind, value = np.full(n, PERIOD), self.period
        if shared and scope is not ir.Scope.PERIOD:
            has, code = self.fact("转诊号")
            kind, value, extra = np.where(has, REFERRAL, kind), np.where(has, code, value), np.where(has, 0, extra)
        return [kind, value, extra]


__all__ = ["Keys", "fact_codes", "fact_days", "money_fact", "unit_fact"]
