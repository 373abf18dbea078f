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


def date_classes(policy: ir.Policy, date: np.ndarray, exact: bool = False) -> np.ndarray:
    """Days that no row-local rule can tell apart share a class (exact days when asked)."""
    if exact or len(date) == 0:
        return date
    breaks = set()
    for d in ir_dates(policy):
        breaks.add(day_number(d))
        breaks.add(day_number(d) + 1)
    if uses_references(policy):
        first, last = from_day(int(date.min())).year, from_day(int(date.max())).year
        breaks.update(day_number(dt.date(y, 1, 1)) for y in range(first, last + 2))
    return np.searchsorted(np.array(sorted(breaks), dtype=np.int64), date, side="right")


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
