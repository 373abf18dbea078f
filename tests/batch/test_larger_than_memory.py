"""Tables of more rows than a chunk: scattered by person (partition.py), settled chunk by chunk, merged back
into input order (merge.py). The output must be the one-chunk run's, byte for byte, and a run stopped
half way must leave no OUT behind."""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batchcheck import ROOT, policy_of, run_cli

from policylang.batch import engine
from policylang.batch.commit import BatchError
from policylang.batch.generate import generate
from policylang.batch.merge import merged, write_chunk
from policylang.batch.partition import Scatter, buckets, fitting, read_part
from policylang.batch.rejects import KEY, ROW
from policylang.batch.tables import to_arrow
from policylang.commands.main import main

SUIZHOU = str(ROOT / "regions" / "suizhou")


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> Path:
    """4,000 随州 claims of 400 persons, a bad row every 500 rows, one person with 700 claims."""
    policy = policy_of("suizhou")
    rows = to_arrow(policy, generate(policy, 4_000, 400, seed=17)).to_pylist()
    for i in range(0, 4_000, 6):
        rows[i]["参保人ID"] = "HEAVY"  # more claims than a chunk of 300: one chunk, never split
    for i in range(250, 4_000, 500):
        rows[i]["费用"] = "-1"
    path = tmp_path_factory.mktemp("big") / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.parametrize(("suffix", "workers"), [(".csv", "1"), (".csv", "2"), (".parquet", "2")])
def test_many_chunks_write_the_one_chunk_output(claims, tmp_path, suffix, workers) -> None:
    """Parts settled in this process or by two forked workers, in whatever order they finish."""
    one, many = tmp_path / f"one{suffix}", tmp_path / f"many{suffix}"
    assert run_cli(["batch", SUIZHOU, str(claims), "-o", str(one), "-q"]) == 0
    assert run_cli(["batch", SUIZHOU, str(claims), "-o", str(many), "-q", "--chunk-rows", "300",
                    "--workers", workers]) == 0
    if suffix == ".csv":
        assert one.read_bytes() == many.read_bytes()
        assert (tmp_path / "one.rejects.csv").read_bytes() == (tmp_path / "many.rejects.csv").read_bytes()
    else:
        assert pq.read_table(one).equals(pq.read_table(many))
        assert pq.read_table(tmp_path / "one.rejects.parquet").equals(pq.read_table(tmp_path / "many.rejects.parquet"))
    assert not list(tmp_path.glob(".*policylang-work"))


def test_many_chunks_keep_input_order(claims, tmp_path) -> None:
    out = tmp_path / "o.csv"
    assert run_cli(["batch", SUIZHOU, str(claims), "-o", str(out), "-q", "--chunk-rows", "300"]) == 0
    with claims.open(encoding="utf-8") as f:
        given = [(r["参保人ID"], r["日期"], r["费用"]) for r in csv.DictReader(f) if r["费用"] != "-1"]
    with out.open(encoding="utf-8") as f:
        written = [(r["参保人ID"], r["日期"], r["费用"]) for r in csv.DictReader(f)]
    assert written == given
    with (tmp_path / "o.rejects.csv").open(encoding="utf-8") as f:
        assert [int(r["行号"]) for r in csv.DictReader(f)] == list(range(251, 4_001, 500))


def _keys(table: pa.Table) -> set[str]:
    return set(table.column(KEY).to_pylist())


def test_persons_are_never_split_across_chunks(claims, tmp_path, monkeypatch) -> None:
    seen: list[pa.Table] = []
    process = engine.settle_chunk
    monkeypatch.setattr(engine, "settle_chunk", lambda p, chunk, s: seen.append(chunk) or process(p, chunk, s))
    assert run_cli(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv"), "-q", "--chunk-rows", "300",
                    "--workers", "1"]) == 0  # in this process, so the patched function sees every part
    assert len(seen) > 10 and sum(t.num_rows for t in seen) == 4_000
    for i, a in enumerate(seen):
        rows = a.column(ROW).to_numpy()
        assert (np.diff(rows) > 0).all()  # each chunk in input order
        assert a.num_rows <= 300 or _keys(a) == {"HEAVY"}
        for b in seen[i + 1:]:
            assert not _keys(a) & _keys(b)


def test_an_oversized_part_is_split_again(tmp_path) -> None:
    """Two parts for 3,000 rows of 300 persons: each is split again (another seed) until chunks fit."""
    keys = pa.array([f"P{i % 300:04d}" for i in range(3_000)])
    batch = pa.record_batch([pa.array(np.arange(3_000)), keys], names=[ROW, KEY])
    scatter = Scatter(tmp_path / "in", 2, batch.schema)
    for start in range(0, 3_000, 700):
        scatter.write_batch(batch.slice(start, 700))
    scatter.close()
    chunks = [read_part(path) for path, _ in fitting(scatter.files(), 400)]
    assert all(c.num_rows <= 400 for c in chunks) and sum(c.num_rows for c in chunks) == 3_000
    assert sorted(r for c in chunks for r in c.column(ROW).to_pylist()) == list(range(3_000))
    assert sum(len(_keys(c)) for c in chunks) == 300


def test_buckets_depend_on_the_key_only() -> None:
    keys = pa.array(["A", None, "", "参保人１", "B" * 40, "A"])
    whole = buckets(keys, 7)
    assert whole[0] == whole[5] and whole[1] == whole[2]
    assert [int(buckets(keys.slice(i, 1), 7)[0]) for i in range(6)] == whole.tolist()
    assert len(set(buckets(pa.array([f"K{i}" for i in range(1_000)]), 8).tolist())) == 8


def test_merge_restores_row_order(tmp_path) -> None:
    rng = np.random.default_rng(3)
    part = rng.integers(0, 5, 10_000)
    paths = []
    for k in range(5):
        rows = np.nonzero(part == k)[0]
        table = pa.table({ROW: rows, "x": pa.array([f"r{r}" for r in rows])})
        paths.append(tmp_path / f"{k}.arrows")
        write_chunk(table, paths[-1])
    out = pa.Table.from_batches(list(merged(paths, table.schema, window=777)))
    assert out.column(ROW).to_pylist() == list(range(10_000))
    assert out.column("x").to_pylist() == [f"r{r}" for r in range(10_000)]


def test_an_interrupted_run_leaves_no_partial_out(claims, tmp_path, monkeypatch) -> None:
    calls = []
    process = engine.settle_chunk

    def interrupted(policy, chunk, schema):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return process(policy, chunk, schema)

    monkeypatch.setattr(engine, "settle_chunk", interrupted)
    with pytest.raises(SystemExit) as stopped:  # Ctrl-C: click's Abort, exit status 130
        main(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.parquet"), "-q", "--chunk-rows", "300",
              "--workers", "1"])
    assert stopped.value.code == 130 and len(calls) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no OUT, no partial file, no work folder


def test_the_summary_counted_chunk_by_chunk_is_the_whole_tables(claims, tmp_path) -> None:
    policy = policy_of("suizhou")
    summaries = []
    for chunk_rows in (None, 300):
        run = engine.Run(policy, claims, tmp_path / f"o{chunk_rows}.csv", chunk_rows=chunk_rows)
        try:
            run.settle_local(lambda n: None)
            assert (run.tally is None) == (chunk_rows is None)
            run.results_view(run.work / "out")
            summaries.append(attrs.evolve(run.summary(), out=None, rejects=None))
        finally:
            run.close()
    assert summaries[0] == summaries[1] and summaries[0].rejected == 8 and summaries[0].persons > 300


def test_merge_refuses_a_file_out_of_row_order(tmp_path) -> None:
    write_chunk(pa.table({ROW: [0, 2, 1]}), tmp_path / "a.arrows")
    with pytest.raises(BatchError, match="not in row order"):
        list(merged([tmp_path / "a.arrows"], pa.schema([(ROW, pa.int64())])))


def test_a_table_changed_during_a_many_chunk_run_is_refused_not_mixed(claims, tmp_path) -> None:
    """OUT's input columns are read again when it is written: a table replaced meanwhile must not be paired
    with the old table's results."""
    copy = tmp_path / "claims.csv"
    copy.write_bytes(claims.read_bytes())
    run = engine.Run(policy_of("suizhou"), copy, tmp_path / "o.csv", chunk_rows=300)
    try:
        run.settle_local(lambda n: None)
        copy.write_bytes(claims.read_bytes().replace(b"HEAVY", b"HEAVY2"))
        with pytest.raises(BatchError, match="changed during the run"):
            run.write()
    finally:
        run.close()
    assert not (tmp_path / "o.csv").exists()


def test_result_files_store_small_amounts_narrow_and_the_merge_widens_them(tmp_path) -> None:
    small = pa.table({ROW: [0, 2], "分": [5, -7]})
    big = pa.table({ROW: [1, 3], "分": [1 << 40, -(1 << 31) - 1]})
    write_chunk(small, tmp_path / "a.arrows")
    write_chunk(big, tmp_path / "b.arrows")
    assert pa.ipc.open_stream(tmp_path / "a.arrows").schema.field("分").type == pa.int32()
    assert pa.ipc.open_stream(tmp_path / "b.arrows").schema.field("分").type == pa.int64()
    back = pa.Table.from_batches(merged([tmp_path / "a.arrows", tmp_path / "b.arrows"], small.schema))
    assert back.schema == small.schema
    assert back.column("分").to_pylist() == [5, 1 << 40, -7, -(1 << 31) - 1]


@pytest.mark.parametrize("region", ["weihai", "jiaozuo"])
def test_wave_regions_settle_the_same_part_by_part(region, tmp_path) -> None:
    """The wave engine keeps its row lookups across the parts one worker settles (wave/rows.py): a part
    settled after others must come out as it would alone."""
    policy = policy_of(region)
    path = tmp_path / "c.parquet"
    pq.write_table(to_arrow(policy, generate(policy, 3_000, 500, seed=23)), path)
    outs = []
    for chunk in ("100000", "400"):
        out = tmp_path / f"o{chunk}.csv"
        assert run_cli(["batch", str(ROOT / "regions" / region), str(path), "-o", str(out), "-q",
                        "--chunk-rows", chunk, "--workers", "1"]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
