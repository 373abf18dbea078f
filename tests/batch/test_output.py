"""Writing OUT and the rejects file from Arrow (batch/output.py): DuckDB's CSV text byte for byte, the
input's types kept in Parquet, empty results, and a write that fails half way leaves the old pair."""

from __future__ import annotations

import datetime as dt
import decimal
import threading

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batchcheck import ROOT, read_csv_rows, run_cli

from policylang.batch import output
from policylang.batch.commit import BatchError
from policylang.batch.output import write_table

SUIZHOU = str(ROOT / "regions" / "suizhou")
TRICKY = ["plain", "", None, "a,b", 'say "hi"', "#1", "line\nbreak", "cr\rhere", " spaced ", "中文，全角", "'"]


def _table() -> pa.Table:
    n = len(TRICKY)
    return pa.table({
        "text": pa.array(TRICKY, pa.string()),
        "enum": pa.array(TRICKY, pa.string()).dictionary_encode(),
        "int, with comma": pa.array([*range(-3, n - 4), None], pa.int64()),
        "day": pa.array([dt.date(2024, 1, 1) + dt.timedelta(days=k) for k in range(n - 1)] + [None]),
        "money": pa.array([decimal.Decimal(k * 37 - 150).scaleb(-2) for k in range(n - 1)] + [None],
                          pa.decimal128(18, 2)),
        'q"uote': pa.array([None, *TRICKY[:-1]], pa.string()),
    })


def _write(table: pa.Table, path, kind: str, keep=lambda b: None) -> int:
    columns = {name: (lambda b, name=name: b.column(name)) for name in table.column_names}
    return write_table(iter(table.to_batches(max_chunksize=4)), columns, table.schema, keep, path, kind)


def test_csv_is_duckdbs_text_byte_for_byte(tmp_path) -> None:
    table = _table()
    assert _write(table, tmp_path / "arrow.csv", "csv") == table.num_rows
    con = duckdb.connect()
    con.register("t", table)
    con.execute(f"COPY (SELECT * FROM t) TO '{tmp_path / 'duck.csv'}' (FORMAT csv, HEADER true)")
    assert (tmp_path / "arrow.csv").read_bytes() == (tmp_path / "duck.csv").read_bytes()


def test_parquet_keeps_the_input_types(tmp_path) -> None:
    table = _table()
    _write(table, tmp_path / "o.parquet", "parquet")
    back = pq.read_table(tmp_path / "o.parquet")
    assert back.schema.field("day").type == pa.date32()
    assert back.schema.field("money").type == pa.decimal128(18, 2)
    assert back.schema.field("int, with comma").type == pa.int64()
    assert back.schema.field("enum").type == pa.string()  # as DuckDB's file reads back: no Arrow schema stored
    assert back.column("enum").to_pylist() == TRICKY
    assert back.drop_columns(["enum"]).equals(table.drop_columns(["enum"]))


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_no_row_kept_gives_a_header_only_file(tmp_path, kind) -> None:
    table = _table()
    path = tmp_path / f"o.{kind}"
    assert _write(table, path, kind, keep=lambda b: pa.array([False] * b.num_rows)) == 0
    if kind == "csv":
        assert path.read_text(encoding="utf-8") == 'text,enum,"int, with comma",day,money,"q""uote"\n'
    else:
        assert pq.read_table(path).num_rows == 0 and pq.read_schema(path).names == table.column_names


def test_every_row_rejected_gives_an_empty_out_and_a_full_rejects_file(tmp_path) -> None:
    claims = tmp_path / "c.csv"
    claims.write_text("参保人ID,日期,费用\n" + "".join(f"P{k},2024-01-0{k},abc\n" for k in range(1, 6)),
                      encoding="utf-8")
    assert run_cli(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv"), "--quiet"]) == 0
    assert read_csv_rows(tmp_path / "o.csv") == []
    assert [r["行号"] for r in read_csv_rows(tmp_path / "o.rejects.csv")] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_write_failing_half_way_keeps_the_old_pair(tmp_path, monkeypatch, capsys, kind) -> None:
    claims = tmp_path / "c.csv"
    claims.write_text("参保人ID,日期,费用\n" + "".join(f"P{k},2024-01-01,{k}\n" for k in range(1, 400)),
                      encoding="utf-8")
    out, rejects = tmp_path / f"o.{kind}", tmp_path / f"o.rejects.{kind}"
    out.write_text("old result")
    rejects.write_text("old rejects")
    monkeypatch.setattr(output, "BATCH_ROWS", 50)
    sink = output._CsvSink if kind == "csv" else output._ParquetSink
    real_put, calls = sink.put, []

    def failing_put(self, data) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_put(self, data)

    monkeypatch.setattr(sink, "put", failing_put)
    assert run_cli(["batch", SUIZHOU, str(claims), "-o", str(out), "--quiet"]) == 1
    assert "无法写入结果" in capsys.readouterr().err
    assert out.read_text() == "old result" and rejects.read_text() == "old rejects"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", f"o.{kind}", f"o.rejects.{kind}"]


def test_a_source_that_fails_half_way_stops_the_write_with_its_error(tmp_path) -> None:
    """The batches are drawn on a thread: its error reaches the writer, and nothing is left waiting."""
    table = pa.table({"a": list(range(10))})

    def failing():
        yield from table.to_batches(max_chunksize=3)[:2]
        raise BatchError("boom")

    with pytest.raises(BatchError, match="boom"):
        write_table(failing(), {"a": lambda b: b.column("a")}, table.schema, lambda b: None,
                    tmp_path / "o.csv", "csv")
    assert not any(t.name == "policylang-draw" for t in threading.enumerate())


def test_fen_become_yuan_exactly_in_both_formats(tmp_path) -> None:
    fen = pa.array([12345, -5, 0, None, 10**18 - 1, -(10**18) + 1], pa.int64())
    yuan = output.fen_to_yuan(fen.slice(1))  # an offset array too
    table = pa.table({"m": yuan})
    _write(table, tmp_path / "o.parquet", "parquet")
    back = pq.read_table(tmp_path / "o.parquet").column("m")
    assert back.type == pa.decimal128(18, 2)
    assert back.to_pylist() == [decimal.Decimal("-0.05"), decimal.Decimal("0.00"), None,
                                decimal.Decimal("9999999999999999.99"), decimal.Decimal("-9999999999999999.99")]
    _write(table, tmp_path / "o.csv", "csv")
    assert (tmp_path / "o.csv").read_text().split("\n")[1:-1] == ["-0.05", "0.00", "", "9999999999999999.99",
                                                                    "-9999999999999999.99"]
    with pytest.raises(BatchError, match="DECIMAL"):
        output.fen_to_yuan(pa.array([10**18], pa.int64()))


def test_parquet_amounts_delta_encoded_read_alike_by_arrow_and_duckdb(tmp_path) -> None:
    """Amounts as DELTA_BINARY_PACKED, uncompressed and without min/max; dates keep min/max; both readers
    see the same exact yuan, and a required amount column (settled rows) has no nulls to refuse."""
    fen = pa.array([12345, -5, 0, 999_999_999, 7, 10**17], pa.int64())
    table = pa.table({"day": pa.array([dt.date(2024, 1, 1) + dt.timedelta(days=k) for k in range(6)]),
                      "m": output.fen_to_yuan(fen)})
    schema = pa.schema([table.schema.field("day"), pa.field("m", output.MONEY_TYPE, nullable=False)])
    columns = {name: (lambda b, name=name: b.column(name)) for name in table.column_names}
    write_table(iter(table.to_batches(max_chunksize=4)), columns, schema, lambda b: None,
                tmp_path / "o.parquet", "parquet")
    meta = pq.ParquetFile(tmp_path / "o.parquet").metadata.row_group(0)
    day, money = meta.column(0), meta.column(1)
    assert "DELTA_BINARY_PACKED" in money.encodings and money.compression == "UNCOMPRESSED"
    assert not money.is_stats_set and day.statistics.has_min_max
    expected = [decimal.Decimal(v).scaleb(-2) for v in fen.to_pylist()]
    assert pq.read_table(tmp_path / "o.parquet").column("m").to_pylist() == expected
    assert [r[0] for r in duckdb.sql(f"SELECT m FROM '{tmp_path / 'o.parquet'}'").fetchall()] == expected
    with pytest.raises(BatchError, match="缺少金额"):  # a null where a settled row must have an amount
        nulls = pa.table({"day": table.column("day"), "m": output.fen_to_yuan(pa.array([1, None] * 3, pa.int64()))})
        write_table(iter(nulls.to_batches()), columns, schema, lambda b: None, tmp_path / "n.parquet", "parquet")
