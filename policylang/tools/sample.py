"""Synthetic claim tables: seeded, with plausible amounts, visit types, hospital levels and people.

Amounts are drawn lognormally per visit type (门诊 small, 住院 large) and turned into whole 分 at once;
every later computation on them is exact. A field the generator knows nothing about takes its first
value most often.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from decimal import Decimal
from pathlib import Path

from policylang import ir
from policylang.inputs.claimtable import AMOUNT, DATE, ID, PARQUET_SUFFIXES, PERSON_FIELDS
from policylang.ir.units import fmt_plain

# Weights of known values; values not listed here get the weight of an unknown field's later values.
WEIGHTS: dict[str, dict[str, float]] = {
    "险种": {"职工医保": 0.55, "城乡居民医保": 0.45},
    "就医类型": {"普通门诊": 0.70, "门诊慢特病": 0.10, "急诊": 0.08, "住院": 0.12},
    "医院等级": {"一级": 0.40, "二级": 0.35, "三级": 0.25},
}
# 住院 goes more often to larger hospitals.
INPATIENT_LEVELS = {"一级": 0.15, "二级": 0.40, "三级": 0.45}
# Median (yuan) and spread of the amount of one claim by visit type.
AMOUNTS = {"普通门诊": (150, 0.9), "门诊慢特病": (450, 0.8), "急诊": (500, 0.9), "住院": (9000, 0.9)}
DEFAULT_AMOUNT = (300, 1.0)
# 人员类别 by 险种: employees are 在职 or 退休, residents are 居民.
CATEGORY = {"职工医保": {"在职": 0.75, "退休": 0.25}, "城乡居民医保": {"居民": 0.8, "学生儿童": 0.2}}


BASIC = ("险种", "人员类别", "就医类型", "医院等级")


def _pick(rng: random.Random, values: tuple[str, ...], weights: dict[str, float] | None,
          usual: str | None = None) -> str:
    """A weighted choice; without weights the usual value (the default, else the first) is drawn most."""
    known = weights or {}
    w = [known.get(v, 0.0) for v in values]
    if not any(w):
        usual = usual if usual in values else values[0]
        w = [0.9 if v == usual else 0.1 / max(1, len(values) - 1) for v in values]
    return rng.choices(values, weights=w)[0]


def _columns(policy: ir.Policy) -> list[ir.Enumeration]:
    """The enumerations worth a column: the basic ones and those the rules look at."""
    from policylang.tools.generate import used_fields

    used = used_fields(policy) | set(BASIC)
    return [e for e in policy.enums if e.name in used]


def _amount(rng: random.Random, visit: str | None) -> str:
    median, sigma = AMOUNTS.get(visit or "", DEFAULT_AMOUNT)
    fen = max(1, round(median * 100 * math.exp(rng.gauss(0, sigma))))
    return fmt_plain(fen)


def _person(rng: random.Random, policy: ir.Policy) -> dict[str, str]:
    facts: dict[str, str] = {}
    wanted = {e.name for e in _columns(policy)}
    for name in PERSON_FIELDS:
        enum = policy.enum(name)
        if enum is None or name not in wanted:
            continue
        weights = CATEGORY.get(facts.get("险种", "")) if name == "人员类别" else WEIGHTS.get(name)
        if weights and not any(v in weights for v in enum.values):
            weights = None
        facts[name] = _pick(rng, enum.values, weights, enum.default)
    return facts


def _claim(rng: random.Random, policy: ir.Policy) -> dict[str, str]:
    facts: dict[str, str] = {}
    visit_enum = policy.enum("就医类型")
    if visit_enum is not None:
        facts["就医类型"] = _pick(rng, visit_enum.values, WEIGHTS["就医类型"])
    for enum in _columns(policy):
        if enum.name in PERSON_FIELDS or enum.name in facts:
            continue
        weights = INPATIENT_LEVELS if enum.name == "医院等级" and facts.get("就医类型") == "住院" \
            else WEIGHTS.get(enum.name)
        facts[enum.name] = _pick(rng, enum.values, weights, enum.default)
    return facts


def sample_rows(policy: ir.Policy, rows: int, seed: int = 0, year: int | None = None) -> list[dict[str, str]]:
    """`rows` claims of people with one to a dozen visits each across one year, in date order."""
    rng = random.Random(seed)
    year = year or (policy.start.year if policy.start else dt.date.today().year)
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    out: list[dict[str, str]] = []
    n = 0
    while len(out) < rows:
        n += 1
        person = _person(rng, policy)
        visits = min(rows - len(out), 1 + min(11, int(rng.expovariate(1 / 3))))
        for _ in range(visits):
            claim = _claim(rng, policy)
            day = first + dt.timedelta(days=rng.randrange(days))
            out.append({ID: f"P{n:06d}", **person, DATE: day.isoformat(), **claim,
                        AMOUNT: _amount(rng, claim.get("就医类型"))})
    out.sort(key=lambda r: (r[DATE], r[ID]))
    return out


def columns(rows: list[dict[str, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k)
    return list(seen)


def write_table(rows: list[dict[str, str]], path: Path) -> None:
    """CSV (UTF-8) or Parquet by the file's suffix; Parquet stores 费用 as decimal(14, 2), 日期 as date."""
    cols = columns(rows)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        import pyarrow as pa
        import pyarrow.parquet as pq

        data: dict[str, pa.Array] = {}
        for c in cols:
            values = [r.get(c) for r in rows]
            if c == AMOUNT:
                data[c] = pa.array([Decimal(v) for v in values], type=pa.decimal128(14, 2))
            elif c == DATE:
                data[c] = pa.array([dt.date.fromisoformat(v) for v in values], type=pa.date32())
            else:
                data[c] = pa.array(values, type=pa.string())
        pq.write_table(pa.table(data), path)
        return
    if path.suffix.lower() != ".csv":
        raise ValueError(f"不支持的文件类型 {path.suffix or '（无后缀）'}，请用 .csv 或 .parquet")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=cols)
        writer.writeheader()
        writer.writerows(rows)
