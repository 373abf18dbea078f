"""A seeded generator of claims for any policy: typed columns that exercise every rule of its schemes.

Person-level facts stay mostly constant per person (with a little noise, so that a deductible or cap
can change within a year and the scalar fallback is exercised); claim-level facts vary per claim.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np

from policylang import ir
from policylang.batch.columns import Columns, FactColumn, day_number
from policylang.ir.claims import CLASSES, Item

CLAIM_LEVEL = {"就医类型", "医院等级", "异地类型", "分娩方式", "定点", "备案", "第三方责任", "违法行为", "故意自伤"}


def _enum_column(rng: np.random.Generator, enum: ir.Enumeration, person: np.ndarray, n_persons: int,
                 claim_level: bool, weights: np.ndarray | None = None, noise: float = 0.03) -> FactColumn:  # float ok
    k = len(enum.values)
    per_person = rng.integers(0, k, n_persons)
    codes = rng.choice(k, len(person), p=weights) if claim_level else per_person[person]
    noise = rng.random(len(person)) < (0.0 if claim_level else noise)
    codes = np.where(noise, rng.integers(0, k, len(person)), codes)
    if enum.default is not None:
        codes = np.where(rng.random(len(person)) < 0.2, -1, codes)
    return FactColumn(codes.astype(np.int64), tuple(enum.values))


def _field_column(rng: np.random.Generator, f: ir.FieldDef, person: np.ndarray, n_persons: int,
                  dates: np.ndarray) -> FactColumn | None:
    n = len(person)
    absent = rng.random(n) < (0.3 if f.optional or f.default is not None else 0.02)
    if f.type == "文字":  # 住院号 / 转诊号: a few per person
        k = rng.integers(0, 3, n)
        codes = person * 3 + k
        values = tuple(f"{f.name[0]}{p}-{j}" for p in range(n_persons) for j in range(3))
    elif f.type == "金额":
        values = tuple(int(v) for v in rng.integers(5_000, 60_000, 200))
        codes = rng.integers(0, len(values), n_persons)[person]
    elif f.type == "日期":
        offsets = rng.integers(-900, 60, n_persons)[person]
        days = np.unique(dates + offsets)
        values = tuple(dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in days)
        codes = np.searchsorted(days, dates + offsets)
        codes = np.where(rng.random(n) < 0.1, rng.integers(0, len(values), n), codes)
    else:
        scale = 12 if f.type == "年数" else 1
        top = {"月数": 12, "年数": 40, "次数": 4, "年龄": 90, "天数": 200}.get(f.type, 10)
        values = tuple(Fraction(i * scale) for i in range(top))
        codes = rng.integers(0, top, n_persons)[person]
        if f.type == "次数":
            codes = np.where(rng.random(n) < 0.8, 1, codes)
    return FactColumn(np.where(absent, -1, codes).astype(np.int64), values)


def _amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    kind = rng.random(n)
    small = rng.integers(0, 80_000, n)
    large = rng.integers(0, 3_000_000, n)
    huge = rng.integers(0, 60_000_000, n)
    round_yuan = rng.integers(0, 50, n) * 10_000
    return np.select([kind < 0.45, kind < 0.8, kind < 0.9], [small, large, round_yuan], huge).astype(np.int64)


def generate(policy: ir.Policy, n_claims: int, n_persons: int, seed: int = 0,
             start: dt.date = dt.date(2023, 7, 1), days: int = 720, items: float = 0.02,  # float ok: shares
             noise: float = 0.03) -> Columns:  # float ok: a share of rows
    """n_claims claims of n_persons persons, in random input order (persons interleaved)."""
    rng = np.random.default_rng(seed)
    person = rng.integers(0, n_persons, n_claims).astype(np.int64)
    date = day_number(start) + rng.integers(0, days, n_claims).astype(np.int64)
    date = np.where(rng.random(n_claims) < 0.15, date - (date % 7), date)  # ties on the same day
    facts: dict[str, FactColumn] = {}
    for enum in policy.enums:
        claim_level = enum.name in CLAIM_LEVEL
        weights = None
        if enum.values == ("是", "否"):
            weights = np.array([0.1, 0.9]) if enum.default == "否" else np.array([0.9, 0.1])
        facts[enum.name] = _enum_column(rng, enum, person, n_persons, claim_level, weights, noise)
    for f in policy.fields:
        col = _field_column(rng, f, person, n_persons, date)
        if col is not None:
            facts[f.name] = col
    amount = _amounts(rng, n_claims)
    itemised: dict[int, tuple[Item, ...]] = {}
    cat_names = [e.name for s in policy.schemes for e in s.catalogue.exclusions]
    if items and any(s.catalogue.exclusions or s.catalogue.shares for s in policy.schemes):
        for pos in np.nonzero(rng.random(n_claims) < items)[0]:
            k = int(rng.integers(1, 5))
            its = tuple(Item(str(rng.choice([*cat_names, "药品", "检查"])), str(rng.choice(CLASSES)),
                             int(rng.integers(0, 100_000))) for _ in range(k))
            itemised[int(pos)] = its
            amount[pos] = sum(i.amount for i in its)
    ids = tuple(f"P{p:07d}" for p in range(n_persons))
    return Columns(np.arange(n_claims, dtype=np.int64), person, ids, date, amount, facts, itemised)
