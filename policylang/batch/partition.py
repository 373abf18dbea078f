"""Person-complete chunks of a table larger than memory: one streaming pass, Arrow and NumPy only.

Each numbered batch is scattered by a hash of its person key (rejects.KEY) into one of `parts` Arrow IPC
stream files, so every claim of a person lands in the same file and, since batches arrive in input order,
each file is in input order too (the merge of the results relies on it: merge.py). A file that came out
larger than a chunk (an uneven hash, a low estimate of the row count) is split again with another seed
when it is read; a single person with more claims than a chunk stays one chunk, as it must.

The hash is FNV-1a over the key's UTF-8 bytes, computed by NumPy one byte position at a time: stable
across runs and processes (unlike Python's hash), no Python per row.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policylang.batch.rejects import INTERNAL, KEY
from policylang.inputs.tabletext import PARQUET_SUFFIXES

__all__ = ["Scatter", "Sink", "buckets", "estimated_rows", "fitting", "part_count", "read_part"]

_OFFSET, _PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)
_MIX = np.uint64(0xFF51AFD7ED558CCD)
FILL = 0.8  # aim each part at this share of a chunk, so the usual hash unevenness stays under chunk_rows
_IPC = pa.ipc.IpcWriteOptions(compression=None)  # written once, read once, mostly from the page cache
GATHER_ROWS = 1 << 18  # rows gathered before they are scattered


def buckets(keys: pa.Array | pa.ChunkedArray, parts: int, seed: int = 0) -> np.ndarray:
    """The part (0 … parts − 1) of each row's person key; a null key is the empty key."""
    arr = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    arr = arr.fill_null("").cast(pa.large_string())
    n = len(arr)
    if n == 0 or parts <= 1:
        return np.zeros(n, dtype=np.int64)
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    h = np.full(n, _OFFSET ^ np.uint64(seed * 0x9E3779B97F4A7C15 % 2**64), dtype=np.uint64)
    shortest, longest = int(lengths.min()), int(lengths.max())
    for i in range(longest):
        if i < shortest:
            h = (h ^ data[starts + i]) * _PRIME
        else:
            live = np.nonzero(lengths > i)[0]
            h[live] = (h[live] ^ data[starts[live] + i]) * _PRIME
    h ^= h >> np.uint64(33)
    h *= _MIX
    h ^= h >> np.uint64(33)
    return (h % np.uint64(parts)).astype(np.int64)


class Sink(Protocol):
    def write_batch(self, batch: pa.RecordBatch) -> None: ...
    def close(self) -> None: ...


def estimated_rows(path: Path, batches: list[pa.RecordBatch], rows: int) -> int:
    """The table's row count: exact for Parquet (its footer), else the file size over the bytes per row of
    the rows read so far (their cells, a separator each and the line end). A low estimate costs a re-split."""
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return max(rows, pq.ParquetFile(path).metadata.num_rows)
    cells = sum(int(pc.sum(pc.binary_length(b.column(i))).as_py() or 0) + b.num_rows
                for b in batches for i, f in enumerate(b.schema) if f.name not in INTERNAL)
    seen = sum(b.num_rows for b in batches)
    return max(rows, math.ceil(path.stat().st_size * seen / max(cells, 1)))


def part_count(rows: int, chunk_rows: int) -> int:
    return max(2, math.ceil(rows / (chunk_rows * FILL)))


class Scatter:
    """`parts` IPC stream files under folder, each the rows of its persons in input order."""

    def __init__(self, folder: Path, parts: int, schema: pa.Schema, seed: int = 0) -> None:
        self.folder, self.parts, self.schema, self.seed = folder, parts, schema, seed
        folder.mkdir(parents=True, exist_ok=True)
        self.counts = np.zeros(parts, dtype=np.int64)
        self._writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        self._held: list[pa.RecordBatch] = []  # batches not yet scattered, _rows rows
        self._rows = 0
        self._thread = ThreadPoolExecutor(1)
        self._pending: Future | None = None

    def path(self, k: int) -> Path:
        return self.folder / f"part-{k:05d}.arrows"

    def write_batch(self, batch: pa.RecordBatch) -> None:
        """Scattered a few hundred thousand rows at a time: each part gets one slice of them, not a sliver
        of every small batch (an IPC batch costs per column, whatever its rows)."""
        if batch.num_rows == 0:
            return
        self._held.append(batch)
        self._rows += batch.num_rows
        if self._rows >= GATHER_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Scatter the gathered rows on the writer thread (NumPy, Arrow and the file writes release the GIL),
        while the reader goes on; one gathering at a time is in flight."""
        if not self._held:
            return
        batch = pa.Table.from_batches(self._held, schema=self.schema)
        self._held, self._rows = [], 0
        self._wait()
        self._pending = self._thread.submit(self._scatter, batch)

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def _scatter(self, batch: pa.Table) -> None:
        batch = batch.combine_chunks()
        part = buckets(batch.column(KEY), self.parts, self.seed)
        narrow = part.astype(np.uint16) if self.parts <= 1 << 16 else part  # a radix sort for small keys
        order = np.argsort(narrow, kind="stable")  # stable: each part keeps input order
        counts = np.bincount(part, minlength=self.parts)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        taken = batch.take(pa.array(order))
        for k in np.nonzero(counts)[0]:
            k = int(k)
            if k not in self._writers:
                self._writers[k] = pa.ipc.new_stream(self.path(k), self.schema, options=_IPC)
            self._writers[k].write_table(taken.slice(bounds[k], bounds[k + 1] - bounds[k]))
        self.counts += counts

    def close(self) -> None:
        try:
            self._flush()
            self._wait()
        finally:
            self._thread.shutdown()
            for w in self._writers.values():
                w.close()

    def files(self) -> list[tuple[Path, int]]:
        """(file, rows) of every non-empty part, in part order."""
        return [(self.path(k), int(self.counts[k])) for k in sorted(self._writers)]


def read_part(path: Path) -> pa.Table:
    """A part as one table of contiguous columns (it was written in many small slices)."""
    with pa.OSFile(str(path)) as source, pa.ipc.open_stream(source) as reader:  # not mapped (RSS)
        return reader.read_all().combine_chunks()


def fitting(files: list[tuple[Path, int]], chunk_rows: int, seed: int = 1) -> Iterator[tuple[Path, int]]:
    """(file, rows) of parts of at most chunk_rows rows: a larger part is split again (another seed),
    streaming, into parts that fit, unless one person fills it (then it stays whole, as it must)."""
    for path, rows in files:
        if rows <= chunk_rows:
            yield path, rows
            continue
        parts = part_count(rows, chunk_rows)
        split = Scatter(path.with_name(f"{path.stem}-s{seed}"), parts, _schema(path), seed)
        with pa.OSFile(str(path)) as source, pa.ipc.open_stream(source) as reader:
            for batch in reader:
                split.write_batch(batch)
        split.close()
        path.unlink()
        if (split.counts == rows).any():  # one key fills the part: it cannot be split, settle it whole
            yield from split.files()
            continue
        yield from fitting(split.files(), chunk_rows, seed + 1)


def _schema(path: Path) -> pa.Schema:
    with pa.ipc.open_stream(path) as reader:
        return reader.schema
