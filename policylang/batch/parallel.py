"""Both cores on one chunk: the chunk's persons split in parts, each validated and settled in a forked worker.

A part holds every claim of its persons (split by the person key's code), so each settles exactly as the whole
chunk would; the parts' results are put back in input order by row number. Workers are forked, so they read
the policy and their part from the parent's memory; only their results come back (Arrow IPC through a pipe).
Small chunks, one core or a platform without fork settle in-process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

import numpy as np
import pyarrow as pa

from policylang import ir
from policylang.batch.commit import BatchError
from policylang.batch.rejects import KEY, ROW
from policylang.inputs.tabletext import PROBLEM

MIN_ROWS = 100_000  # below this a fork costs more than it saves
_JOB: dict = {}
R = TypeVar("R")


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _settle_part(k: int) -> bytes:
    """A worker: its part settled; only the columns it computed go back (the parent has the inputs)."""
    settle, policy, parts, schema = _JOB["settle"], _JOB["policy"], _JOB["parts"], _JOB["schema"]
    result = settle(policy, parts[k], schema)
    result = result.select([f.name for f in schema if f.name not in _JOB["inputs"]])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, result.schema) as writer:
        writer.write_table(result)
    return sink.getvalue().to_pybytes()


def positions(table: pa.Table, parts: int) -> list[np.ndarray]:
    """The rows of `parts` person-complete parts, each in table order."""
    codes = table.column(KEY).combine_chunks().dictionary_encode().indices
    codes = codes.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64) % parts
    return [np.nonzero(codes == k)[0] for k in range(parts)]


def split(table: pa.Table, parts: int) -> list[pa.Table]:
    """The table's rows in `parts` person-complete parts (rows keep their order within a part)."""
    return [table.take(pa.array(at)) for at in positions(table, parts)]


def process_parallel(process_chunk: Callable[[ir.Policy, pa.Table, pa.Schema], pa.Table], policy: ir.Policy,
                     table: pa.Table, schema: pa.Schema, workers: int) -> pa.Table:
    """process_chunk (engine.py's) on `workers` cores: the same table, in the same row order."""
    if workers <= 1 or table.num_rows < MIN_ROWS or "fork" not in multiprocessing.get_all_start_methods():
        return process_chunk(policy, table, schema)
    at = positions(table, workers)
    inputs = {c for c in table.column_names if c not in (ROW, PROBLEM, KEY)}
    _JOB.update(settle=process_chunk, policy=policy, parts=[table.take(pa.array(a)) for a in at], schema=schema,
                inputs=inputs)
    try:
        with _pool(workers) as pool:
            blobs = list(_guarded(pool.map(_settle_part, range(workers))))
    finally:
        _JOB.clear()
    computed = pa.concat_tables([pa.ipc.open_stream(pa.py_buffer(b)).read_all() for b in blobs])
    inverse = np.empty(table.num_rows, dtype=np.int64)
    inverse[np.concatenate(at)] = np.arange(table.num_rows)
    computed = computed.take(pa.array(inverse))  # back in table order; the input columns are the table's own
    return pa.Table.from_arrays([table.column(f.name) if f.name in inputs else computed.column(f.name)
                                 for f in schema], schema=schema)


def each_file(work: Callable[[int], R], jobs: int, workers: int) -> Iterator[R]:
    """work(0) … work(jobs − 1) on `workers` forked processes, results as they finish (in-process when one
    worker suffices or fork is missing). The many-chunk path: each job reads, settles and writes one part,
    so reading, validation, settlement and writing of the parts all run on every core."""
    if workers <= 1 or jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(work, range(jobs))
        return
    _JOB["work"] = work
    try:
        with _pool(min(workers, jobs)) as pool:
            yield from _guarded(f.result() for f in as_completed([pool.submit(_work, k) for k in range(jobs)]))
    finally:
        _JOB.clear()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Forked workers (they read the policy and the job from this process's memory). Unlike
    multiprocessing.Pool, a worker that dies (killed, out of memory) fails the run instead of hanging it,
    and one interrupted by Ctrl-C interrupts it."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _guarded(results: Iterator[R]) -> Iterator[R]:
    try:
        yield from results
    except BrokenProcessPool as e:
        raise BatchError("结算进程意外退出（内存不足？可减小 --memory 或 --workers） (a worker process died, "
                         "perhaps out of memory: try a smaller --memory or --workers)") from e


def _work(k: int):
    return _JOB["work"](k)


__all__ = ["default_workers", "each_file", "process_parallel", "split"]
