"""Distinct keys of rows: rows that no row-local rule can tell apart share a key, so an IR lookup runs once
per key (plan.py for the layers, requirements.py per 要求) and its result is broadcast to the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from policylang import ir
from policylang.batch.columns import Columns, day_number, from_day
from policylang.batch.features import ir_dates, uses_references
from policylang.batch.segments import group_ids

T = TypeVar("T")


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


_KEPT: dict = {"policy": None, "values": {}}


def lookups(policy: ir.Policy, cols: Columns, names: set[str], exact_dates: bool, kind: str,
            look: Callable[[dict, dt.date, int], T]) -> tuple[np.ndarray, list[T], list[str]]:
    """(id per row, look's result per id, fact names used): look(facts, date, 费用) once per distinct key of
    the rows (distinct_keys), and once per run for a key seen in an earlier batch of this policy: a worker
    settles many parts of one table, and most keys recur in every part. A key is the date class as its days
    (class_bounds), the names of the facts read and their values, and 费用 when read; results are kept for
    one policy object at a time."""
    if _KEPT["policy"] is not policy:
        _KEPT.update(policy=policy, values={})
    kept = _KEPT["values"]
    defaults = policy.defaults()
    vid, first, used = distinct_keys(policy, cols, names, exact_dates)
    names_used, by_amount = tuple(used), "费用" in names
    values = []
    for pos, days in zip(first.tolist(), class_bounds(policy, cols.date, first, exact_dates), strict=True):
        facts = row_facts(defaults, cols, used, pos)
        key = (kind, days, names_used, tuple(facts.get(k) for k in used), int(cols.amount[pos]) if by_amount else None)
        if key not in kept:
            kept[key] = look(facts, from_day(cols.date[pos]), int(cols.amount[pos]))
        values.append(kept[key])
    return vid, values, used
