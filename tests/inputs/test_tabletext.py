"""Tables as text cells with their line: CSV quirks and typed Parquet columns, read one way for all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from policylang.inputs.tabletext import LINE, PROBLEM, TableTextError, open_table


def _rows(path: Path) -> list[dict]:
    return [r for b in open_table(path).batches() for r in b.to_pylist()]


def test_csv_lines_bom_crlf_quoted_newlines_and_empty_lines(tmp_path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeff参保人ID , 费用\r\nA,1\r\n\r\n\"B\nB\",2\r\nC,3\r\n".encode())
    table = open_table(path)
    assert table.header == ("参保人ID", "费用")
    rows = _rows(path)
    assert [(r[LINE], r["参保人ID"]) for r in rows] == [(2, "A"), (4, "B\nB"), (6, "C")]
    assert all(r[PROBLEM] is None for r in rows)


def test_header_only_and_empty_files(tmp_path) -> None:
    (tmp_path / "h.csv").write_text("参保人ID,费用\n", encoding="utf-8")
    assert _rows(tmp_path / "h.csv") == []
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    with pytest.raises(TableTextError, match="没有表头"):
        open_table(tmp_path / "e.csv")
    (tmp_path / "d.csv").write_text("a,,b\n", encoding="utf-8")
    with pytest.raises(TableTextError, match="空的列名"):
        open_table(tmp_path / "d.csv")


def test_parquet_typed_columns_become_the_text_a_person_types(tmp_path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({
        "日期": pa.array([dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 2, 8, 30)], pa.timestamp("us")),
        "入院日期": pa.array([dt.date(2024, 1, 1), None]),
        "费用": pa.array([Decimal("12.30"), Decimal("0.05")], pa.decimal128(10, 2)),
        "f": pa.array([0.1, 7.0]), "n": pa.array([3, None], pa.int64()),
        "险种": pa.array(["职工医保", "职工医保"]).dictionary_encode(),
    }), path)
    rows = _rows(path)
    assert [r[LINE] for r in rows] == [2, 3]
    assert rows[0] | {} == {LINE: 2, PROBLEM: None, "日期": "2024-01-02", "入院日期": "2024-01-01", "费用": "12.30",
                            "f": "0.1", "n": "3", "险种": "职工医保"}
    assert rows[1]["日期"].startswith("2024-01-02 08:30") and rows[1]["入院日期"] is None and rows[1]["f"] == "7.0"


def test_parquet_text_enumerations_read_as_dictionaries(tmp_path) -> None:
    """typed with enums: the named text columns come as dictionaries of the same values (batch validates and
    writes their codes); other text stays text, and an untyped read is text throughout."""
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"险种": ["职工医保", None, "居民医保"], "住院号": ["a", "b", "c"],
                             "日期": pa.array([dt.date(2024, 1, 1)] * 3)}), path)
    table = open_table(path)
    typed = pa.Table.from_batches(list(table.batches(typed=True, enums={"险种", "日期"})))
    assert typed.schema == table.schema(typed=True, enums={"险种", "日期"})
    assert pa.types.is_dictionary(typed.schema.field("险种").type)
    assert typed.schema.field("住院号").type == pa.string() and typed.schema.field("日期").type == pa.date32()
    assert typed.column("险种").to_pylist() == ["职工医保", None, "居民医保"]
    assert [r["险种"] for r in _rows(path)] == ["职工医保", None, "居民医保"]
    assert not any(pa.types.is_dictionary(t) for t in open_table(path).schema(enums={"险种"}).types)


def test_parquet_nested_column_is_refused(tmp_path) -> None:
    path = tmp_path / "n.parquet"
    pq.write_table(pa.table({"参保人ID": ["A"], "明细": pa.array([[1, 2]])}), path)
    with pytest.raises(TableTextError, match="不受支持"):
        _rows(path)


@pytest.mark.parametrize("body", [
    "\ufeff参保人ID,费用,险种\r\nA,1,职工医保\r\n\"B,b\",\"2\",\"x\"\"y\"\r\n C ,3, \r\n",
    "参保人ID,费用,险种\nA,1,职工医保\nB,2,\"\"",
    "参保人ID,费用,险种\n",
])
def test_arrow_reads_regular_files_exactly_as_the_line_reader(tmp_path, body) -> None:
    from policylang.inputs.tabletext import _csv_batches, _regular_csv

    path = tmp_path / "r.csv"
    path.write_bytes(body.encode())
    table = open_table(path)
    assert _regular_csv(table)
    fast = pa.Table.from_batches(list(table.batches()), schema=table.schema())
    assert fast.equals(pa.Table.from_batches(list(_csv_batches(table)), schema=table.schema()))


@pytest.mark.parametrize("body", ["A,1,x\n\nB,2,y\n", "A,1,x\r\n\r\nB,2,y\r\n", "A,1\n", "   \n", "\"A\nB\",1,x\n", "A,1,x,y\n"])
def test_irregular_files_go_to_the_line_reader(tmp_path, body) -> None:
    from policylang.inputs.tabletext import _regular_csv

    path = tmp_path / "r.csv"
    path.write_bytes(("参保人ID,费用,险种\n" + body).encode())
    assert not _regular_csv(open_table(path))
    (tmp_path / "u.csv").write_bytes("参保人ID,费用,险种\nA,1,".encode() + b"\xff\n")
    assert not _regular_csv(open_table(tmp_path / "u.csv"))
