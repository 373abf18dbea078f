"""Typed Parquet input (date32, integer and decimal 费用, dictionary-encoded enumerations) is validated by
Arrow compute without building text (batch/rejects.py); the result and the rejects must be those of the
same cells read as text: the same table as CSV and as a Parquet file of text columns."""

from __future__ import annotations

import csv
import decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from policylang.inputs.tabletext import cell_text
from tests.batch.batchcheck import run_cli

REGION = str(Path(__file__).resolve().parents[2] / "regions" / "suizhou")


@pytest.fixture(scope="module")
def sampled(tmp_path_factory) -> pa.Table:
    path = tmp_path_factory.mktemp("typed") / "sample.parquet"
    assert run_cli(["sample", REGION, "-n", "400", "-o", str(path), "--quiet"]) == 0
    table = pq.read_table(path)
    assert pa.types.is_date32(table.schema.field("日期").type)
    assert pa.types.is_decimal(table.schema.field("费用").type)
    assert pa.types.is_dictionary(table.schema.field("人员类别").type)
    return table


def _set(table: pa.Table, name: str, values: list, kind: pa.DataType | None = None) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, name, pa.array(values, kind or table.schema.field(name).type))


def _awkward(table: pa.Table) -> pa.Table:
    """Blanks, invalid amounts and enumeration values, in typed columns."""
    fees = table.column("费用").to_pylist()
    fees[3] = None
    fees[7] = decimal.Decimal("-5.00")
    fees[11] = decimal.Decimal("1000000000.01")
    dates = table.column("日期").to_pylist()
    dates[5] = None
    kinds = table.column("人员类别").to_pylist()
    kinds[2], kinds[9], kinds[13] = None, "未知类别", " 退休 "
    table = _set(table, "费用", fees, pa.decimal128(14, 2))
    table = _set(table, "日期", dates)
    return _set(table, "人员类别", kinds, pa.dictionary(pa.int8(), pa.string()))


def _variants(table: pa.Table) -> dict[str, pa.Table]:
    whole = [None if v is None else int(v) for v in table.column("费用").to_pylist()]
    whole[4] = -3
    return {
        "sampled": table,
        "awkward": _awkward(table),
        "integer_fee": _set(table, "费用", whole, pa.int64()),
        "three_places": _set(table, "费用", [None if v is None else v.quantize(decimal.Decimal("0.001"))
                                           for v in table.column("费用").to_pylist()], pa.decimal128(12, 3)),
        "int32_fee": _set(table, "费用", [None if v is None else abs(v) for v in whole], pa.int32()),
    }


def _as_text(table: pa.Table) -> pa.Table:
    return pa.table({n: cell_text(table.column(n).combine_chunks()) for n in table.column_names})


def _write_csv(table: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(table.column_names)
        for row in table.to_pylist():
            out.writerow(["" if v is None else v for v in row.values()])


def _batch(src: Path, out: Path) -> tuple[bytes, bytes]:
    rejects = out.with_name(out.stem + ".rejects" + out.suffix)
    assert run_cli(["batch", REGION, str(src), "-o", str(out), "--rejects", str(rejects), "--quiet"]) == 0
    return out.read_bytes(), rejects.read_bytes()


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


@pytest.mark.parametrize("variant", ["sampled", "awkward", "integer_fee", "three_places", "int32_fee"])
def test_typed_parquet_equals_the_same_cells_as_text(sampled, variant, tmp_path):
    typed = _variants(sampled)[variant]
    text = _as_text(typed)
    pq.write_table(typed, tmp_path / "typed.parquet")
    pq.write_table(text, tmp_path / "text.parquet")
    _write_csv(text, tmp_path / "text.csv")
    out_typed = _batch(tmp_path / "typed.parquet", tmp_path / "typed.out.csv")
    out_text = _batch(tmp_path / "text.parquet", tmp_path / "text.out.csv")
    out_csv = _batch(tmp_path / "text.csv", tmp_path / "csv.out.csv")
    assert out_typed == out_text  # byte for byte: results and rejects (row numbers, reasons)
    assert _rows(out_typed[0]) == _rows(out_csv[0])  # CSV input: blanks are "" cells, not nulls
    assert _rows(out_typed[1]) == _rows(out_csv[1])
    if variant == "awkward":
        reasons = " ".join(r["拒绝原因"] if "拒绝原因" in r else str(r) for r in _rows(out_typed[1]))
        assert "缺少“费用”" in reasons and "费用无效：-5.00" in reasons and "缺少“日期”" in reasons
    # Parquet output keeps the same values, and the input's types: a date stays a date, 费用 a decimal
    pq_typed = tmp_path / "typed.out.parquet"
    pq_text = tmp_path / "text.out.parquet"
    _batch(tmp_path / "typed.parquet", pq_typed)
    _batch(tmp_path / "text.parquet", pq_text)
    result = pq.read_table(pq_typed)
    assert result.schema.field("日期").type == pa.date32()
    assert result.schema.field("费用").type == typed.schema.field("费用").type
    assert result.schema.field("人员类别").type == pa.string()  # an enumeration reads back as text
    assert not result.schema.field("统筹支付").nullable  # an amount of a settled row is never null
    columns = [cell_text(c.combine_chunks()) if n in typed.column_names else c
               for n, c in zip(result.column_names, result.columns, strict=True)]
    as_text = pa.Table.from_arrays(columns, schema=pa.schema([f.with_type(c.type) for f, c in
                                                              zip(result.schema, columns, strict=True)]))
    assert as_text.equals(pq.read_table(pq_text))
    # partitioned (DuckDB writes) and in memory (Arrow writes): the same file contents and types
    pq_parts = tmp_path / "parts.out.parquet"
    assert run_cli(["batch", REGION, str(tmp_path / "typed.parquet"), "-o", str(pq_parts), "--chunk-rows", "150",
                    "--quiet"]) == 0
    parts = pq.read_table(pq_parts)
    assert parts.schema.types == result.schema.types and parts.to_pylist() == result.to_pylist()
    # a many-part run reads text enumerations back as dictionaries to write OUT: the same file as in memory
    text_parts = tmp_path / "text_parts.out.parquet"
    assert run_cli(["batch", REGION, str(tmp_path / "text.parquet"), "-o", str(text_parts), "--chunk-rows", "150",
                    "--quiet"]) == 0
    assert pq.read_table(text_parts).equals(pq.read_table(pq_text))
    assert pq.read_table(tmp_path / "text_parts.out.rejects.parquet").equals(
        pq.read_table(tmp_path / "text.out.rejects.parquet"))
    csv_parts = tmp_path / "parts.out.csv"
    assert run_cli(["batch", REGION, str(tmp_path / "typed.parquet"), "-o", str(csv_parts), "--chunk-rows", "150",
                    "--quiet"]) == 0
    assert csv_parts.read_bytes() == out_typed[0]
    assert (tmp_path / "parts.out.rejects.csv").read_bytes() == out_typed[1]


def test_dictionaries_differing_between_row_groups(sampled, tmp_path):
    """Each Parquet row group may carry its own dictionary; codes are unified before validation."""
    first, second = sampled.slice(0, 200), sampled.slice(200)
    kinds = second.column("人员类别").combine_chunks()
    reversed_dict = pc.cast(kinds, pa.string()).dictionary_encode()  # a different dictionary order
    second = second.set_column(second.schema.get_field_index("人员类别"), "人员类别",
                               reversed_dict.cast(pa.dictionary(pa.int8(), pa.string())))
    with pq.ParquetWriter(tmp_path / "typed.parquet", sampled.schema) as w:
        w.write_table(first.cast(sampled.schema))
        w.write_table(second.cast(sampled.schema))
    pq.write_table(_as_text(sampled), tmp_path / "text.parquet")
    typed = _batch(tmp_path / "typed.parquet", tmp_path / "t.csv")
    assert typed == _batch(tmp_path / "text.parquet", tmp_path / "x.csv")
