"""One person-complete chunk (or part) of a claim table, validated and settled: its input columns plus the
settlement's, and its summary counted from the settlement's own arrays (engine.Run puts chunks together)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from policylang import ir
from policylang.batch.commit import BatchError
from policylang.batch.kernel import MONEY, layer_names
from policylang.batch.merge import Tally
from policylang.batch.rejects import KEY, REJECT, ROW, as_table, validate
from policylang.batch.segments import distinct
from policylang.batch.settle import settle_columns
from policylang.inputs.tabletext import PROBLEM

if TYPE_CHECKING:
    import pandas as pd

SCHEME, DAYS, REFUSED, SCALAR = "方案", "津贴天数", "拒付原因", "__scalar"
OUT_MONEY = tuple(m for m in MONEY if m != "费用")  # 费用 is an input column
SCHEME_TYPE = pa.dictionary(pa.int32(), pa.string())  # the scheme's name per row: a code, as in the files
SUM_LIMIT = 1 << 62  # the kernel's running sums are int64; a chunk whose 费用 could exceed this is refused

__all__ = ["DAYS", "OUT_MONEY", "REFUSED", "SCALAR", "SCHEME", "part_schema", "process_chunk", "result_schema",
           "settle_chunk"]


def result_schema(policy: ir.Policy, inputs: pa.Schema | list[str]) -> pa.Schema:
    """The columns a settled chunk carries: the input (as read: typed Parquet columns keep their type; a
    list of names means text), row number, reject reason, the settlement."""
    fields = [pa.field(c, pa.string()) for c in inputs] if isinstance(inputs, list) else list(inputs)
    fields += [pa.field(ROW, pa.int64()), pa.field(KEY, pa.string()), pa.field(REJECT, pa.string()),
               pa.field(SCHEME, SCHEME_TYPE)]
    fields += [pa.field(m, pa.int64()) for m in OUT_MONEY]
    fields += [pa.field(name, pa.int64()) for name in layer_names(policy) if name not in OUT_MONEY]
    fields += [pa.field(DAYS, pa.int64()), pa.field(REFUSED, pa.string()), pa.field(SCALAR, pa.string())]
    return pa.schema(fields)


def process_chunk(policy: ir.Policy, frame: pd.DataFrame | pa.Table, schema: pa.Schema) -> pa.Table:
    """Validate and settle one chunk (every claim of its persons): input columns plus results."""
    return settle_chunk(policy, frame, schema)[0]


def _total(values: np.ndarray) -> int:
    """The exact sum of int64 分 (in int64 when it cannot wrap, else in Python integers)."""
    if len(values) == 0:
        return 0
    if int(np.abs(values).max()) * len(values) < 1 << 63:
        return int(values.sum())
    return sum(map(int, values))


def settle_chunk(policy: ir.Policy, frame: pd.DataFrame | pa.Table, schema: pa.Schema) -> tuple[pa.Table, Tally]:
    """process_chunk's table and its summary (Tally), counted from the settlement's own arrays.

    The chunk's input columns go to the result as they are, with their types (Arrow arrays, no copy through
    Python objects); schema gives the other columns' types (the inputs' may differ by chunk source: a
    dictionary-encoded enumeration read back by DuckDB is text)."""
    table = as_table(frame)
    cols, good, rejects = validate(policy, table)
    if len(cols) and int(cols.amount.max()) * len(cols) >= SUM_LIMIT and sum(map(int, cols.amount)) >= SUM_LIMIT:
        raise BatchError("一个分区内的费用合计超出 64 位整数的范围，无法精确结算 (a chunk's total 费用 "
                         "would overflow int64)")
    settled = settle_columns(policy, cols)
    n = table.num_rows
    out: dict[str, object] = {c: table.column(c) for c in table.column_names if c not in (ROW, PROBLEM, KEY)}
    out[ROW] = table.column(ROW)
    out[KEY] = table.column(KEY)
    ok = np.zeros(n, dtype=bool)
    ok[good] = True
    out[REJECT] = _placed(n, np.nonzero(~ok)[0], rejects[REJECT].to_numpy(dtype=object))
    names = [s.name for s in policy.schemes]
    scheme_code = np.full(n, -1, dtype=np.int64)
    scheme_code[good] = settled.scheme
    out[SCHEME] = pa.DictionaryArray.from_arrays(pa.array(scheme_code.astype(np.int32), mask=scheme_code < 0),
                                                 pa.array(names or [""], pa.string()))

    def column(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
        if len(good) == n:  # every row settled (the usual part): the array as it is, no copy, no mask
            return pa.array(values) if valid is None or valid.all() else pa.array(values, mask=~valid)
        full = np.zeros(n, dtype=np.int64)
        full[good] = values
        mask = ~ok
        if valid is not None:
            mask = mask.copy()
            mask[good] |= ~valid
        return pa.array(full, mask=mask)

    for m in OUT_MONEY:
        out[m] = column(settled.money[m])
    for name in layer_names(policy):
        if name not in OUT_MONEY:
            out[name] = column(settled.layers[name], settled.layer_mask[name])
    out[DAYS] = column(settled.days)
    out[REFUSED] = _texts(n, good, settled.reasons)
    out[SCALAR] = _texts(n, good, settled.scalar)
    fields = [table.schema.field(f.name) if f.name in table.column_names and f.name not in (ROW, KEY) else f
              for f in schema]
    tally = Tally([])
    tally.rows, tally.settled = n, len(good)
    tally.persons = int(np.count_nonzero(np.bincount(cols.person))) if len(cols) else 0  # codes 0 … P − 1
    tally.scalar = len(distinct(cols.person[settled.scalar != ""])) if len(cols) else 0
    tally.totals = {m: _total(settled.money[m]) for m in OUT_MONEY}
    tally.totals |= {name: _total(settled.layers[name][settled.layer_mask[name]])
                     for name in layer_names(policy) if name not in OUT_MONEY}
    return pa.Table.from_arrays([out[f.name] for f in fields], schema=pa.schema(fields)), tally


def _placed(n: int, where: np.ndarray, texts: np.ndarray) -> pa.Array:
    """A string column of n rows, null but at positions where (texts[i] at where[i]): one Arrow take."""
    if len(where) == 0:
        return pa.nulls(n, pa.string())
    index = np.full(n, -1, dtype=np.int64)
    index[where] = np.arange(len(where))
    return pa.array(texts, pa.string()).take(pa.array(index, mask=index < 0))


def _texts(n: int, good: np.ndarray, values: np.ndarray) -> pa.Array:
    """Per-row text of the good rows ("" = none) as a nullable string column: Python only for non-empty ones."""
    some = np.nonzero(values != "")[0]
    return _placed(n, good[some], values[some])


def part_schema(schema: pa.Schema, inputs: list[str], drop: tuple[str, ...] = ()) -> pa.Schema:
    """The columns a settled part's result file keeps: no input column (the input is read again in order
    when OUT is written), nor `drop`."""
    return pa.schema([f for f in schema if f.name not in inputs and f.name not in drop])
