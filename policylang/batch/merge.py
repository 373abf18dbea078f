"""The settled chunks back in input order: a k-way merge on the row number, streaming.

Each chunk's result file (partition.py made it from rows in input order; process_chunk keeps the order)
is sorted by rejects.ROW. The merge takes a window of row numbers at a time: from each file the rows below the window's end
(reading on as far as they go), sorted by ROW (NumPy argsort of at most `window` rows) and emitted. Memory
is the window plus one batch per file, whatever the table's size; no sort of the whole table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policylang.batch.commit import BatchError
from policylang.batch.rejects import ROW

__all__ = ["RESULT_BATCH", "Rows", "Tally", "merged", "write_chunk", "write_merged"]

RESULT_BATCH = 8_192  # rows per batch of a result file: what the merge holds per chunk
_IPC = pa.ipc.IpcWriteOptions(compression=None)  # lz4 cost the workers and the merge a tenth of the run


class Tally:
    """The run's summary counted chunk by chunk: every person is in one chunk, so persons add up too (no
    distinct count over the whole table). Rows, settled rows, persons, persons settled by the scalar
    evaluator, and each money column's total in 分 over the settled rows."""

    def __init__(self, money: list[str]) -> None:
        self.rows = self.settled = self.persons = self.scalar = 0
        self.totals = dict.fromkeys(money, 0)

    def absorb(self, other: Tally) -> None:
        """Add another chunk's tally (its persons are in no other chunk)."""
        self.rows, self.settled = self.rows + other.rows, self.settled + other.settled
        self.persons, self.scalar = self.persons + other.persons, self.scalar + other.scalar
        for m, total in other.totals.items():
            self.totals[m] += total


def write_chunk(table: pa.Table, path: Path) -> None:
    """One settled chunk (sorted by ROW) as an IPC stream of RESULT_BATCH-row batches, uncompressed (the
    merge reads it back at once) and narrow: an int64 column (分, days) whose values fit in int32 is stored
    so, half the bytes to write and read; the merge widens it back (merged's schema)."""
    narrow = [pa.field(f.name, pa.int32()) if f.type == pa.int64() and f.name != ROW and _fits32(table.column(f.name))
              else f for f in table.schema]
    table = table.cast(pa.schema(narrow)) if narrow != list(table.schema) else table
    with pa.ipc.new_stream(path, table.schema, options=_IPC) as writer:
        writer.write_table(table, max_chunksize=RESULT_BATCH)


def _fits32(column: pa.ChunkedArray) -> bool:
    low, high = pc.min_max(column).values()
    return low.as_py() is None or (low.as_py() >= -(1 << 31) and high.as_py() < 1 << 31)


class _Head:
    """A result file's unread rows: the current batch from `start` on, and its row numbers. An IPC stream
    (write_chunk) or a Parquet file (Spark's result files)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.schema = schema  # what the file's batches are cast to (write_chunk narrows int64 columns)
        if path.suffix == ".parquet":
            self.reader = pq.ParquetFile(path).iter_batches(RESULT_BATCH)
        else:
            self.reader = pa.ipc.open_stream(pa.OSFile(str(path)))  # read, not mapped: mapped pages count as RSS
        self.batch: pa.RecordBatch | None = None
        self.rows = np.zeros(0, dtype=np.int64)
        self.start = 0
        self._next()

    def _next(self) -> None:
        """The next non-empty batch, or batch None at the end of the file."""
        while self.start >= len(self.rows):
            self.batch = next(self.reader, None)
            if self.batch is None:
                return
            if self.batch.schema != self.schema:
                self.batch = self.batch.cast(self.schema)
            last = self.rows[-1] if len(self.rows) else -1
            self.rows = self.batch.column(ROW).to_numpy(zero_copy_only=False)
            self.start = 0
            if len(self.rows) and (self.rows[0] <= last or (np.diff(self.rows) <= 0).any()):
                raise BatchError("内部错误：分区结果未按行号排序 (internal: a result file is not in row order)")

    def first(self) -> int:
        return int(self.rows[self.start])

    def below(self, bound: int) -> list[pa.RecordBatch]:
        """The file's next rows with ROW < bound (reading on as far as they go)."""
        pieces = []
        while self.batch is not None:
            end = int(np.searchsorted(self.rows, bound, side="left"))
            if end > self.start:
                pieces.append(self.batch.slice(self.start, end - self.start))
                self.start = end
            if end < len(self.rows):
                break
            self._next()
        return pieces


def merged(paths: list[Path], schema: pa.Schema, window: int = 1 << 17) -> Iterator[pa.RecordBatch]:
    """The rows of every file, in ROW order (each file sorted by ROW): window row numbers at a time."""
    heads = [h for h in (_Head(p, schema) for p in paths) if h.batch is not None]
    while heads:
        bound = min(h.first() for h in heads) + window
        table = pa.Table.from_batches([p for h in heads for p in h.below(bound)], schema=schema)
        order = np.argsort(table.column(ROW).to_numpy(), kind="stable")
        yield from table.take(pa.array(order)).combine_chunks().to_batches()
        heads = [h for h in heads if h.batch is not None]


class Rows:
    """A stream of record batches taken a given number of rows at a time."""

    def __init__(self, batches: Iterator[pa.RecordBatch]) -> None:
        self.batches, self.held, self.rows = batches, [], 0

    def take(self, n: int) -> pa.Table:
        """The next n rows (fewer at the end of the stream) as one table."""
        while self.rows < n:
            batch = next(self.batches, None)
            if batch is None:
                break
            self.held.append(batch)
            self.rows += batch.num_rows
        if not self.held:
            return pa.table({})
        table = pa.Table.from_batches(self.held, schema=self.held[0].schema)
        first, rest = table.slice(0, n), table.slice(n)
        self.held, self.rows = rest.to_batches(), rest.num_rows
        return first.combine_chunks()


def write_merged(batches: Iterator[pa.RecordBatch], schema: pa.Schema, target: Path,
                 advance: Callable[[int], None] = lambda n: None, group_rows: int = 131_072) -> int:
    """Batches in input order (a merge) as one Parquet file, row groups of about group_rows; returns the rows."""
    total, pending, held = 0, [], 0
    with pq.ParquetWriter(target, schema, write_statistics=False) as writer:  # no stats: DuckDB would call
        # a column without nulls NOT NULL and OUT's schema would differ from a one-chunk run's
        for batch in batches:
            pending.append(batch)
            held += batch.num_rows
            if held >= group_rows:
                writer.write_table(pa.Table.from_batches(pending, schema=schema))
                advance(held)
                total, pending, held = total + held, [], 0
        if pending or total == 0:
            writer.write_table(pa.Table.from_batches(pending, schema=schema))
            total += held
    return total
