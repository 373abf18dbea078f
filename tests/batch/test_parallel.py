"""Both cores on one chunk (batch/parallel.py): the same result table, in input order, as one process."""

from __future__ import annotations

import os

import numpy as np
import pyarrow as pa
import pytest
from batchcheck import policy_of

from policylang.batch import parallel
from policylang.batch.commit import BatchError
from policylang.batch.engine import process_chunk, result_schema
from policylang.batch.generate import generate
from policylang.batch.rejects import KEY, ROW
from policylang.batch.tables import to_arrow
from policylang.inputs.tabletext import PROBLEM


def _numbered(policy, n: int, seed: int) -> pa.Table:
    table = to_arrow(policy, generate(policy, n, n // 6, seed=seed))
    text = pa.table({c: table.column(c).cast(pa.string()) for c in table.column_names})
    rows = pa.array(np.arange(text.num_rows, dtype=np.int64))
    return pa.table({ROW: rows, PROBLEM: pa.nulls(text.num_rows, pa.string()), KEY: text.column("参保人ID"),
                     **{c: text.column(c) for c in text.column_names}})


@pytest.mark.parametrize("region", ["suizhou", "weihai"])
def test_parts_settle_as_the_whole_chunk(region: str, monkeypatch) -> None:
    policy = policy_of(region)
    table = _numbered(policy, 3_000, 17)
    inputs = [c for c in table.column_names if c not in (ROW, PROBLEM, KEY)]
    schema = result_schema(policy, inputs)
    monkeypatch.setattr(parallel, "MIN_ROWS", 100)
    whole = process_chunk(policy, table, schema)
    both = parallel.process_parallel(process_chunk, policy, table, schema, 2)
    assert both.equals(whole)
    assert both.column(ROW).to_pylist() == sorted(both.column(ROW).to_pylist())


def test_parts_are_person_complete() -> None:
    policy = policy_of("suizhou")
    table = _numbered(policy, 2_000, 3)
    parts = parallel.split(table, 3)
    assert sum(p.num_rows for p in parts) == table.num_rows
    owners = [set(p.column(KEY).to_pylist()) for p in parts]
    assert not (owners[0] & owners[1]) and not (owners[1] & owners[2]) and not (owners[0] & owners[2])


def test_one_worker_or_a_small_chunk_stays_in_process(monkeypatch) -> None:
    policy = policy_of("suizhou")
    table = _numbered(policy, 600, 4)
    schema = result_schema(policy, [c for c in table.column_names if c not in (ROW, PROBLEM, KEY)])
    monkeypatch.setattr(parallel, "_settle_part", lambda k: pytest.fail("forked a worker"))
    assert parallel.process_parallel(process_chunk, policy, table, schema, 1).equals(process_chunk(policy, table, schema))
    assert parallel.process_parallel(process_chunk, policy, table, schema, 2).equals(process_chunk(policy, table, schema))


def test_each_file_runs_every_job_once_on_forked_workers() -> None:
    pid = os.getpid()
    done = list(parallel.each_file(lambda k: (k * k, os.getpid() != pid), 5, 2))
    assert sorted(k for k, _ in done) == [0, 1, 4, 9, 16] and all(forked for _, forked in done)
    assert sorted(parallel.each_file(lambda k: k, 5, 1)) == list(range(5))  # one worker: in this process


def test_a_worker_that_dies_fails_the_run_instead_of_hanging() -> None:
    def work(k: int) -> int:
        if k == 1:
            os._exit(9)  # what the kernel's out-of-memory killer leaves behind
        return k

    with pytest.raises(BatchError, match="worker process died"):
        list(parallel.each_file(work, 3, 2))
