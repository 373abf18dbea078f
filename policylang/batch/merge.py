"""The settled chunks back in input order: a k-way merge on the row number, streaming.

Each chunk's result file (partition.py made it from rows in input order; process_chunk keeps the order)
is sorted by rejects.ROW. The merge holds one batch per file: every row up to the smallest of the files'
last buffered row numbers is in memory, so that prefix of each file is taken, sorted by ROW (NumPy, a
few thousand rows) and emitted; a file whose buffer is used up reads its next batch. Memory is
files × batch rows, whatever the table's size; no sort of the whole table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from policylang.batch.rejects import ROW

__all__ = ["RESULT_BATCH", "merged", "write_chunk", "write_merged"]

RESULT_BATCH = 16_384  # rows per batch of a result file: what the merge holds per chunk
_IPC = pa.ipc.IpcWriteOptions(compression="lz4")


def write_chunk(table: pa.Table, path: Path) -> None:
    """One settled chunk (sorted by ROW) as an IPC stream of RESULT_BATCH-row batches."""
    with pa.ipc.new_stream(path, table.schema, options=_IPC) as writer:
        writer.write_table(table, max_chunksize=RESULT_BATCH)


class _Head:
    """A result file's unread rows: the current batch from `start` on, and its row numbers."""

    def __init__(self, path: Path) -> None:
        self.reader = pa.ipc.open_stream(path)
        self.batch: pa.RecordBatch | None = None
        self.rows = np.zeros(0, dtype=np.int64)
        self.start = 0
        self.refill()

    def refill(self) -> None:
        while self.start >= len(self.rows):
            try:
                self.batch = self.reader.read_next_batch()
            except StopIteration:
                self.batch = None
                self.reader.close()
                return
            self.rows = self.batch.column(ROW).to_numpy(zero_copy_only=False)
            self.start = 0

    def take_upto(self, last: int) -> pa.RecordBatch:
        end = int(np.searchsorted(self.rows, last, side="right"))
        part = self.batch.slice(self.start, end - self.start)
        self.start = end
        return part


def merged(paths: list[Path], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """The rows of every file, in ROW order (each file sorted by ROW)."""
    heads = [h for h in (_Head(p) for p in paths) if h.batch is not None]
    while heads:
        last = min(int(h.rows[-1]) for h in heads)
        pieces = [h.take_upto(last) for h in heads]
        table = pa.Table.from_batches([p for p in pieces if p.num_rows], schema=schema)
        order = np.argsort(table.column(ROW).to_numpy(), kind="stable")
        yield from table.take(pa.array(order)).combine_chunks().to_batches()
        for h in heads:
            h.refill()
        heads = [h for h in heads if h.batch is not None]


def write_merged(paths: list[Path], schema: pa.Schema, target: Path, group_rows: int = 131_072) -> int:
    """The merge as one Parquet file in input order (row groups of about group_rows); returns the rows."""
    total, pending, held = 0, [], 0
    with pq.ParquetWriter(target, schema, write_statistics=False) as writer:  # no stats: DuckDB would call
        # a column without nulls NOT NULL and OUT's schema would differ from a one-chunk run's
        for batch in merged(paths, schema):
            pending.append(batch)
            held += batch.num_rows
            if held >= group_rows:
                writer.write_table(pa.Table.from_batches(pending, schema=schema))
                total, pending, held = total + held, [], 0
        if pending or total == 0:
            writer.write_table(pa.Table.from_batches(pending, schema=schema))
            total += held
    return total
