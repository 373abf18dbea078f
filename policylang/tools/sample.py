"""Synthetic claim tables: seeded, with plausible amounts, visit types, hospital levels and people.

Columns are drawn with NumPy (one seeded `numpy.random.Generator` per chunk) and written with Arrow in
chunks, so ten million rows take seconds and memory stays at a few small arrays per row. Amounts are drawn
lognormally per visit type (门诊 small, 住院 large) and turned into whole 分 at once; every later
computation on them is exact. A field the generator knows nothing about takes its first value most often.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa

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
CHUNK = 1 << 20  # rows per generated and written chunk: bounds memory, fixes the stream of random numbers
MEAN_VISITS = 3.0  # visits per person: 1 + min(11, ⌊Exp(mean 3)⌋)

__all__ = ["SampleError", "sample_rows", "sample_tables", "write_sample"]


class SampleError(ValueError):
    """The output cannot be written (unknown suffix)."""


@attrs.frozen
class _Field:
    """One enumeration column: its values and the cumulative weights to draw them by."""

    name: str
    values: tuple[str, ...]
    cum: np.ndarray  # cumulative weights, last = 1
    given: str | None = None  # the field whose value changes the weights (人员类别 by 险种, 医院等级 by 住院)
    cum_given: dict[str, np.ndarray] = attrs.field(factory=dict)

    def draw(self, rng: np.random.Generator, n: int, given: pa.Array | None = None) -> np.ndarray:
        codes = _search(self.cum, rng.random(n))
        if given is not None and self.cum_given:
            values = given.dictionary.to_pylist()
            idx = given.indices.to_numpy(zero_copy_only=False)
            for value, cum in self.cum_given.items():
                if value in values:
                    mask = idx == values.index(value)
                    codes[mask] = _search(cum, rng.random(int(mask.sum())))
        return codes

    def array(self, codes: np.ndarray) -> pa.DictionaryArray:
        index = np.int8 if len(self.values) < 128 else np.int32
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(index, copy=False)),
                                              pa.array(self.values, pa.string()))


def _search(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The value drawn by u: how many cumulative weights are ≤ u, at most the last value (searchsorted
    'right', clipped). A comparison per value, not a binary search per row: there are only a few values."""
    if len(cum) > 16:
        return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1).astype(np.int32)
    codes = np.zeros(len(u), dtype=np.int32)
    for bound in cum[:-1]:
        codes += u >= bound
    return codes


def _cum(values: tuple[str, ...], weights: dict[str, float] | None, usual: str | None) -> np.ndarray:
    """Cumulative weights; without known weights the usual value (the default, else the first) is drawn most."""
    known = weights or {}
    w = np.array([known.get(v, 0.0) for v in values], dtype=float)
    if not w.any():
        usual = usual if usual in values else values[0]
        w = np.array([0.9 if v == usual else 0.1 / max(1, len(values) - 1) for v in values])
    return np.cumsum(w / w.sum())


def _fields(policy: ir.Policy) -> tuple[list[_Field], list[_Field]]:
    """Person fields and claim fields worth a column: the basic ones and those the rules look at."""
    from policylang.tools.generate import used_fields

    used = used_fields(policy) | set(BASIC)
    enums = {e.name: e for e in policy.enums if e.name in used}
    person: list[_Field] = []
    for name in PERSON_FIELDS:
        if (enum := enums.get(name)) is None:
            continue
        if name == "人员类别":
            by = {k: _cum(enum.values, w, enum.default) for k, w in CATEGORY.items() if any(v in w for v in enum.values)}
            plain = _cum(enum.values, None, enum.default)
            person.append(_Field(name, enum.values, plain, "险种", by))
        else:
            person.append(_Field(name, enum.values, _cum(enum.values, WEIGHTS.get(name), enum.default)))
    claim: list[_Field] = []
    order = sorted((e for e in enums.values() if e.name not in PERSON_FIELDS), key=lambda e: e.name != "就医类型")
    for enum in order:
        cum = _cum(enum.values, WEIGHTS.get(enum.name), enum.default)
        if enum.name == "医院等级" and any(v in INPATIENT_LEVELS for v in enum.values):
            claim.append(_Field(enum.name, enum.values, cum, "就医类型",
                                {"住院": _cum(enum.values, INPATIENT_LEVELS, enum.default)}))
        else:
            claim.append(_Field(enum.name, enum.values, cum))
    return person, claim


def _visits(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Visits per person (1 to 12), cut so they sum to exactly `rows`."""
    parts: list[np.ndarray] = []
    total = 0
    while total < rows:
        n = int((rows - total) / MEAN_VISITS * 1.1) + 16
        v = 1 + np.minimum(11, np.floor(rng.exponential(MEAN_VISITS, n))).astype(np.int64)
        parts.append(v)
        total += int(v.sum())
    visits = np.concatenate(parts)
    ends = np.cumsum(visits)
    last = int(np.searchsorted(ends, rows))  # first person whose visits reach `rows`
    visits = visits[: last + 1]
    visits[last] -= int(ends[last]) - rows
    return visits


def _amounts(rng: np.random.Generator, visit: pa.DictionaryArray | None, n: int) -> pa.Array:
    """Lognormal amounts in whole 分 (at least 1), as decimal(14, 2) built from the 分 without floats after."""
    if visit is None:
        median, sigma = np.full(n, DEFAULT_AMOUNT[0], float), np.full(n, DEFAULT_AMOUNT[1], float)
    else:
        table = [AMOUNTS.get(v, DEFAULT_AMOUNT) for v in visit.dictionary.to_pylist()]
        idx = visit.indices.to_numpy(zero_copy_only=False)
        median, sigma = np.array([m for m, _ in table], float)[idx], np.array([s for _, s in table], float)[idx]
    fen = np.maximum(1, np.rint(median * 100 * np.exp(rng.standard_normal(n) * sigma))).astype(np.int64)
    words = np.zeros((n, 2), dtype=np.int64)  # decimal128 is a 16-byte little-endian unscaled integer
    words[:, 0] = fen
    return pa.Array.from_buffers(pa.decimal128(14, 2), n, [None, pa.py_buffer(words)])


def _person_ids(n: int) -> pa.Array:
    import pyarrow.compute as pc

    digits = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), width=6, padding="0")
    return pc.binary_join_element_wise(pa.scalar("P"), digits, "")


def sample_tables(policy: ir.Policy, rows: int, seed: int = 0, year: int | None = None,
                  chunk: int = CHUNK) -> tuple[int, Iterator[pa.Table]]:
    """The number of people and `rows` claims of theirs, one to a dozen visits each across one year, in date
    order, in chunks.

    The whole table is ordered by (date, person) using only one int64 key per row; every other column is
    drawn chunk by chunk, so the same seed and chunk size always give the same rows.
    """
    rng = np.random.default_rng([seed, 0])
    year = year or (policy.start.year if policy.start else dt.date.today().year)
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    epoch = (first - dt.date(1970, 1, 1)).days
    visits = _visits(rng, rows)
    people = len(visits)
    person = np.repeat(np.arange(people, dtype=np.int64), visits)
    key = rng.integers(0, days, rows, dtype=np.int64) * people + person
    del person
    key = _sorted(key, days * people)
    person_fields, claim_fields = _fields(policy)
    person_codes: dict[str, pa.DictionaryArray] = {}
    for f in person_fields:
        person_codes[f.name] = f.array(f.draw(rng, people, person_codes.get(f.given or "")))
    return people, _chunks(key, people, epoch, person_fields, claim_fields, person_codes, seed, chunk)


def _sorted(key: np.ndarray, bound: int) -> np.ndarray:
    """The keys in ascending order; as 32-bit integers when all are below 2³² (half the memory to move)."""
    if bound <= 1 << 32:
        narrow = key.astype(np.uint32)
        narrow.sort()
        return narrow.astype(np.int64)
    key.sort()
    return key


def _chunks(key: np.ndarray, people: int, epoch: int, person_fields: list[_Field], claim_fields: list[_Field],
            person_codes: dict[str, pa.DictionaryArray], seed: int, chunk: int) -> Iterator[pa.Table]:
    rows = len(key)
    ids = _person_ids(people)
    for k, start in enumerate(range(0, rows, chunk)):
        crng = np.random.default_rng([seed, k + 1])
        part = key[start:start + chunk]
        who = pa.array(part % people)
        cols: dict[str, pa.Array] = {ID: ids.take(who)}
        for f in person_fields:
            cols[f.name] = person_codes[f.name].take(who)
        day = (part // people + epoch).astype(np.int32)
        cols[DATE] = pa.Array.from_buffers(pa.date32(), len(day), [None, pa.py_buffer(day)])
        for f in claim_fields:
            cols[f.name] = f.array(f.draw(crng, len(part), cols.get(f.given or "")))
        cols[AMOUNT] = _amounts(crng, cols.get("就医类型"), len(part))
        yield pa.table(cols)


def sample_rows(policy: ir.Policy, rows: int, seed: int = 0, year: int | None = None) -> list[dict[str, str]]:
    """The sample as text rows (for tests and small tables): 费用 as '123.45', 日期 as ISO."""
    out: list[dict[str, str]] = []
    for table in sample_tables(policy, rows, seed, year)[1]:
        for r in table.to_pylist():
            r[AMOUNT] = fmt_plain(int(r[AMOUNT].scaleb(2)))
            r[DATE] = r[DATE].isoformat()
            out.append(r)
    return out


@attrs.frozen
class Written:
    rows: int
    people: int


def write_sample(policy: ir.Policy, path: Path, rows: int, seed: int = 0, year: int | None = None,
                 advance: Callable[[int], None] | None = None) -> Written:
    """CSV (UTF-8) or Parquet by the file's suffix, chunk by chunk; Parquet stores 费用 as decimal(14, 2),
    日期 as date and the enumerations dictionary-encoded."""
    suffix = path.suffix.lower()
    if suffix not in PARQUET_SUFFIXES and suffix != ".csv":
        raise SampleError(f"不支持的文件类型 {path.suffix or '（无后缀）'}，请用 .csv 或 .parquet")
    writer = None
    done = 0
    people, tables = sample_tables(policy, rows, seed, year)
    try:
        for table in _ahead(tables):
            if suffix == ".csv":
                table = pa.table({c: (col.cast(pa.string()) if pa.types.is_dictionary(col.type) else col)
                                  for c, col in zip(table.column_names, table.columns, strict=True)})
            if writer is None:
                writer = _writer(path, table.schema, suffix)
            writer.write_table(table)
            done += table.num_rows
            if advance:
                advance(table.num_rows)
    finally:
        if writer is not None:
            writer.close()
    return Written(done, people)


def _writer(path: Path, schema: pa.Schema, suffix: str):
    if suffix == ".csv":
        import csv
        import io

        import pyarrow.csv as pcsv

        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(schema.names)  # Arrow would quote every name
        sink = pa.OSFile(str(path), "wb")
        sink.write(header.getvalue().encode("utf-8"))
        options = pcsv.WriteOptions(include_header=False, quoting_style="needed")
        return _Closing(pcsv.CSVWriter(sink, schema, write_options=options), sink)
    import pyarrow.parquet as pq

    # 费用 as INT64-backed decimal: the same logical type, written three times faster than fixed-length bytes;
    # Parquet dictionary pages only for the columns with few values (an ID or an amount rarely repeats)
    few = [f.name for f in schema if pa.types.is_dictionary(f.type) or pa.types.is_date32(f.type)]
    return pq.ParquetWriter(str(path), schema, store_decimal_as_integer=True, use_dictionary=few)


def _ahead(tables: Iterator[pa.Table]) -> Iterator[pa.Table]:
    """The same chunks, the next drawn on a second thread while this one is written (both release the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(next, tables, None)
        while (table := pending.result()) is not None:
            pending = pool.submit(next, tables, None)
            yield table


@attrs.frozen
class _Closing:
    """A CSV writer that also closes the file it was given."""

    writer: object
    sink: pa.NativeFile

    def write_table(self, table: pa.Table) -> None:
        self.writer.write_table(table)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.writer.close()  # type: ignore[attr-defined]
        self.sink.close()
