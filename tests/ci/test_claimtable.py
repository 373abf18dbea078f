"""Claim tables: exact amounts, grouping by person with row numbers, located errors, CSV and Parquet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from policylang.inputs.claimtable import amount_fen, read_table

HEADER = "参保人ID,险种,人员类别,日期,就医类型,医院等级,费用\n"


def write(tmp_path, body: str, name: str = "c.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_amounts_are_exact_fen():
    assert amount_fen("1234.56") == 123456
    assert amount_fen(0.1) == 10 and amount_fen(1234.56) == 123456 and amount_fen(0.29) == 29
    assert amount_fen(Decimal("5.10")) == 510 and amount_fen(7) == 700 and amount_fen("1,200.5") == 120050
    for bad in ("0.001", "-1", "abc", "nan", "inf", None, True, float("nan")):
        assert amount_fen(bad) is None, bad


def test_rows_grouped_by_person_in_table_order(tmp_path, suizhou_policy):
    table = read_table(write(tmp_path, "A,职工医保,在职,2024-03-01,普通门诊,二级,2000\n"
                                       "B,职工医保,退休,2024-01-05,普通门诊,一级,10.10\n"
                                       "\n"
                                       "A,职工医保,在职,2024年2月1日,普通门诊,三级,0.5\n"), suizhou_policy)
    assert table.ok and table.rows == 3
    a, b = table.people
    assert a.person.id == "A" and a.person.facts == (("人员类别", "在职"), ("险种", "职工医保"))
    assert [c.amount for c in a.claims] == [200000, 50] and a.rows == (1, 4)  # the empty line counts
    assert [c.index for c in a.claims] == [0, 1]
    assert a.claims[1].date == dt.date(2024, 2, 1) and a.claims[1].origin.line == 5
    assert dict(a.claims[0].facts)["医院等级"] == "二级"
    assert b.rows == (2,) and b.claims[0].amount == 1010


def test_bad_rows_are_located_by_row_and_column(tmp_path, suizhou_policy):
    table = read_table(write(tmp_path, "A,职工医保,在职,2024-02-30,普通门诊,二级,2000\n"
                                       ",职工医保,在职,2024-03-01,门诊,二级,12.345\n"), suizhou_policy)
    assert not table.ok
    got = {(str(d.span), d.message) for d in table.diagnostics}
    assert ("c.csv:2:4", "第 1 行“日期”：日期无效：2024-02-30") in {(s.split("/")[-1], m) for s, m in got}
    messages = " ".join(m for _, m in got)
    assert "第 2 行“参保人ID”" in messages and "第 2 行“费用”：费用无效：12.345" in messages
    assert "第 2 行“就医类型”：“门诊”不是就医类型的取值" in messages
    assert table.people == ()  # no row with an error is settled


def test_unknown_and_missing_columns(tmp_path, suizhou_policy):
    path = tmp_path / "c.csv"
    path.write_text("参保人ID,日期,医院级别\nA,2024-01-01,二级\n", encoding="utf-8")
    table = read_table(path, suizhou_policy)
    msgs = {d.code: d for d in table.diagnostics}
    assert "费用" in msgs["E031"].message
    assert "医院级别" in msgs["E015"].message and "医院等级" in (msgs["E015"].help or "")
    assert msgs["E015"].span.column == 3
    allowed = read_table(write(tmp_path, "A,职工医保,在职,2024-01-01,普通门诊,二级,1\n").with_name("c.csv"),
                         suizhou_policy, extra_columns={"姓名"})
    assert allowed.ok


def test_undecodable_csv_says_to_use_utf8(tmp_path, suizhou_policy):
    path = tmp_path / "gbk.csv"
    path.write_bytes(HEADER.encode("gbk"))
    table = read_table(path, suizhou_policy)
    assert table.diagnostics[0].code == "E018" and "UTF-8" in (table.diagnostics[0].help or "")


def test_parquet_with_float_decimal_and_date_columns(tmp_path, suizhou_policy):
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({
        "参保人ID": ["A", "A", "B"], "险种": ["职工医保"] * 3, "人员类别": ["在职", "在职", None],
        "日期": pa.array([dt.date(2024, 1, 2), dt.date(2024, 1, 3), dt.date(2024, 1, 4)]),
        "就医类型": ["普通门诊"] * 3, "医院等级": ["一级", "二级", "三级"],
        "费用": pa.array([1234.56, 0.29, 100.0], type=pa.float64()),
    }), path)
    table = read_table(path, suizhou_policy)
    assert table.ok
    assert [c.amount for pc in table.people for c in pc.claims] == [123456, 29, 10000]
    assert dict(table.people[1].person.facts) == {"险种": "职工医保"}
    dec = tmp_path / "d.parquet"
    pq.write_table(pa.table({"参保人ID": ["A"], "日期": ["2024-05-06"],
                             "费用": pa.array([Decimal("19.99")], type=pa.decimal128(10, 2))}), dec)
    assert read_table(dec, suizhou_policy).people[0].claims[0].amount == 1999
    bad = tmp_path / "e.parquet"
    pq.write_table(pa.table({"参保人ID": ["A", "B"], "日期": ["2024-05-06", "x"], "费用": [1.0, -2.0]}), bad)
    diags = read_table(bad, suizhou_policy).diagnostics
    assert {d.message.split("：")[0] for d in diags} == {"第 2 行“日期”", "第 2 行“费用”"}
