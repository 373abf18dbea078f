"""`policylang batch`: claim tables in and out, rejects, chunking, re-runs, summary and --sql."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batchcheck import ROOT, policy_of, read_csv_rows, run_cli

from policylang.batch.generate import generate
from policylang.batch.tables import to_arrow, write_table

SUIZHOU = str(ROOT / "regions" / "suizhou")
BAD = [  # (column, value, reason fragment)
    ("参保人ID", "", "缺少“参保人ID”"),
    ("医院等级", "四级", "不是医院等级的取值"),
    ("费用", "-5", "费用无效"),
    ("费用", "abc", "费用无效"),
    ("费用", "1.234", "费用无效"),
    ("日期", "2024-02-30", "日期无效"),
    ("日期", "", "缺少“日期”"),
]


_run, _read = run_cli, read_csv_rows


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> tuple[Path, set[int]]:
    """A 随州 claim table of 3,000 rows with a bad row of every kind, and the bad rows' numbers (1-based)."""
    policy = policy_of("suizhou")
    rows = to_arrow(policy, generate(policy, 3_000, 300, seed=11)).to_pylist()
    bad = set()
    for k, (column, value, _) in enumerate(BAD):
        rows[100 * k + 7][column] = value
        bad.add(100 * k + 8)
    path = tmp_path_factory.mktemp("claims") / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path, bad


def test_every_row_is_settled_or_rejected(table, tmp_path, capsys) -> None:
    claims, bad = table
    out = tmp_path / "out.csv"
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(out)]) == 0
    settled, rejects = _read(out), _read(tmp_path / "out.rejects.csv")
    source = _read(claims)
    assert len(settled) + len(rejects) == len(source)
    assert {int(r["行号"]) for r in rejects} == bad
    for r in rejects:
        column, value, reason = BAD[(int(r["行号"]) - 8) // 100]
        assert reason in r["原因"] and r[column] == value
    kept = [s for i, s in enumerate(source, 1) if i not in bad]
    assert [(r["参保人ID"], r["日期"], r["费用"]) for r in settled] == [(r["参保人ID"], r["日期"], r["费用"]) for r in kept]
    for r in settled:
        paid, own = int(r["基金支付"].replace(".", "")), int(r["个人自付"].replace(".", ""))
        assert paid + own == int(r["费用"].replace(".", ""))
    shown = capsys.readouterr().out
    assert f"{len(settled):,}" in shown and "拒绝 (rejected)" in shown and "统筹支付合计" in shown


def test_results_equal_the_scalar_evaluator(table, tmp_path) -> None:
    from policylang.eval.settle import settle
    from policylang.inputs.factvalues import parse_fact
    from policylang.ir.claims import Claim, Person, facts

    claims, _ = table
    out = tmp_path / "out.csv"
    _run(["batch", SUIZHOU, str(claims), "-o", str(out)])
    policy = policy_of("suizhou")
    rows = _read(out)
    by_person: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_person.setdefault(r["参保人ID"], []).append(i)
    inputs = [c for c in _read(claims)[0] if c not in ("参保人ID", "日期", "费用")]

    def typed(row: dict) -> dict:
        return {c: parse_fact(policy, c, row[c])[0] for c in inputs if row[c]}

    for pid, idx in list(by_person.items())[:80]:
        cl = [Claim(dt.date.fromisoformat(rows[i]["日期"]), int(rows[i]["费用"].replace(".", "")),
                    facts(typed(rows[i])), k) for k, i in enumerate(idx)]
        for i, r in zip(idx, settle(policy, Person(pid), cl), strict=True):
            assert int(rows[i]["统筹支付"].replace(".", "")) == r.fund
            assert int(rows[i]["起付线"].replace(".", "")) == r.deductible


def test_chunks_and_reruns_give_the_same_output(table, tmp_path) -> None:
    claims, _ = table
    one, many = tmp_path / "one.csv", tmp_path / "many.csv"
    _run(["batch", SUIZHOU, str(claims), "-o", str(one)])
    # an interrupted run leaves its work folder and a partial file behind; the next run starts clean
    (tmp_path / ".many.csv.policylang-work" / "in").mkdir(parents=True)
    (tmp_path / ".many.csv.policylang-work" / "in" / "junk.parquet").write_text("half")
    (tmp_path / ".many.csv.999.partial").write_text("half a file")
    _run(["batch", SUIZHOU, str(claims), "-o", str(many), "--chunk-rows", "500"])
    assert one.read_bytes() == many.read_bytes()
    assert (tmp_path / "one.rejects.csv").read_bytes() == (tmp_path / "many.rejects.csv").read_bytes()
    assert not (tmp_path / ".many.csv.policylang-work").exists()


def test_parquet_in_memory_equals_partitioned(table, tmp_path) -> None:
    """One chunk (settled in memory, 分 → yuan by NumPy) and many (DuckDB's decimal cast): the same values."""
    claims, _ = table
    one, many = tmp_path / "one.parquet", tmp_path / "many.parquet"
    _run(["batch", SUIZHOU, str(claims), "-o", str(one)])
    _run(["batch", SUIZHOU, str(claims), "-o", str(many), "--chunk-rows", "700"])
    a, b = pq.read_table(one), pq.read_table(many)
    assert a.schema.names == b.schema.names
    assert [f.type for f in a.schema] == [f.type for f in b.schema]
    assert a.to_pylist() == b.to_pylist()
    assert any(v is None for v in a.column("大病保险").to_pylist())  # a layer not reached: null, not 0
    assert pq.read_table(tmp_path / "one.rejects.parquet").to_pylist() == \
        pq.read_table(tmp_path / "many.rejects.parquet").to_pylist()


def test_parquet_with_typed_columns(tmp_path) -> None:
    policy = policy_of("suizhou")
    cols = generate(policy, 500, 60, seed=2)
    write_table(policy, cols, tmp_path / "text.csv")
    typed = to_arrow(policy, cols)
    typed = typed.set_column(typed.schema.get_field_index("日期"), "日期",
                             pa.array([dt.date.fromisoformat(d) for d in typed["日期"].to_pylist()]))
    typed = typed.set_column(typed.schema.get_field_index("费用"), "费用", typed["费用"].cast(pa.decimal128(18, 2)))
    pq.write_table(typed, tmp_path / "typed.parquet")
    _run(["batch", SUIZHOU, str(tmp_path / "text.csv"), "-o", str(tmp_path / "a.csv")])
    _run(["batch", SUIZHOU, str(tmp_path / "typed.parquet"), "-o", str(tmp_path / "b.parquet")])
    a = _read(tmp_path / "a.csv")
    b = pq.read_table(tmp_path / "b.parquet").to_pylist()
    assert [r["统筹支付"] for r in a] == [f"{r['统筹支付']:.2f}" for r in b]
    assert pq.read_table(tmp_path / "b.parquet").schema.field("统筹支付").type == pa.decimal128(18, 2)


def test_unknown_column_is_a_located_error(tmp_path, capsys) -> None:
    path = tmp_path / "c.csv"
    path.write_text("参保人ID,日期,费用,医院登记\nA,2024-01-01,10,一级\n", encoding="utf-8")
    assert _run(["batch", SUIZHOU, str(path), "-o", str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err
    assert "未知的列“医院登记”" in err and "医院等级" in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_sql_prints_a_query(table, tmp_path, capsys) -> None:
    claims, _ = table
    _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv"),
          "--sql", "SELECT count(*) AS n FROM 拒绝"])
    assert "查询结果" in capsys.readouterr().out
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv"), "--sql", "SELEC x"]) == 1
    assert "查询无效" in capsys.readouterr().err
