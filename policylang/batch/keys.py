"""Distinct keys of rows: rows that no row-local rule can tell apart share a key, so an IR lookup runs once
per key (plan.py for the layers, requirements.py per 要求) and its result is broadcast to the rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from policylang import ir
from policylang.batch.columns import Columns, day_number, from_day
from policylang.batch.features import ir_dates, uses_references
from policylang.batch.segments import group_ids


def _breaks(policy: ir.Policy, date: np.ndarray) -> np.ndarray:
    """The first days of the date classes (after the first): where a row-local rule may change."""
    breaks = set()
    for d in ir_dates(policy):
        breaks.add(day_number(d))
        breaks.add(day_number(d) + 1)
    if uses_references(policy) and len(date):
        first, last = from_day(int(date.min())).year, from_day(int(date.max())).year
        breaks.update(day_number(dt.date(y, 1, 1)) for y in range(first, last + 2))
    return np.array(sorted(breaks), dtype=np.int64)


def date_classes(policy: ir.Policy, date: np.ndarray, exact: bool = False) -> np.ndarray:
    """Days that no row-local rule can tell apart share a class (exact days when asked)."""
    if exact or len(date) == 0:
        return date
    return np.searchsorted(_breaks(policy, date), date, side="right")


def class_bounds(policy: ir.Policy, date: np.ndarray, at: np.ndarray, exact: bool = False) -> list[tuple[int, int]]:
    """The date class of the rows at `at` as its days [first, end): the same class whatever other dates the
    batch holds (date_classes numbers classes per batch), so a lookup may be kept across batches."""
    days = date[at]
    if exact:
        return [(int(d), int(d) + 1) for d in days]
    breaks = np.concatenate([[np.iinfo(np.int64).min], _breaks(policy, date), [np.iinfo(np.int64).max]])
    k = np.searchsorted(breaks, days, side="right")
    return list(zip(breaks[k - 1].tolist(), breaks[k].tolist(), strict=True))


def distinct_keys(policy: ir.Policy, cols: Columns, names: set[str], exact_dates: bool, extra=(),
                  rows: np.ndarray | None = None):
    """(id per row, first row of each id, fact names used) for the rows' distinct keys (rows: a subset)."""
    used = sorted(names & set(cols.facts))
    take = (lambda a: a) if rows is None else (lambda a: a[rows])
    keys = [date_classes(policy, take(cols.date), exact_dates), *(take(cols.facts[k].codes) for k in used),
            *extra]
    if "费用" in names:
        keys.append(take(cols.amount))
    codes = pd.factorize(group_ids(*keys))[0].astype(np.int64)  # numbered in order of first appearance
    rising = np.maximum.accumulate(codes)
    first = np.nonzero(np.r_[True, rising[1:] > rising[:-1]])[0]
    return codes, first, used


def row_facts(defaults: dict, cols: Columns, used: list[str], pos: int) -> dict:
    facts = dict(defaults)
    for k in used:
        v = cols.facts[k].value(pos)
        if v is not None:
            facts[k] = v
    return facts
