"""已累计 in a claim table: year-to-date totals as columns 已累计：NAME (and 截至), read onto each person and
settled by the wave engine exactly as the same person with 已累计 in a test block or a JSON claim file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from batchcheck import ROOT, read_csv_rows, run_cli

from policylang.api import check_path
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Person, facts

RULES = ROOT / "tests" / "vocabulary" / "accumulators"
HEADER = "参保人ID,日期,费用,险种,人员类别,就医类型,医院等级,已累计：共用起付,已累计：门诊住院限额,截至\n"
ROWS = ["A,2024-07-01,5000,职工医保,在职,住院,二级,1000,79000,2024-06-30",
        "B,2024-07-01,5000,职工医保,在职,住院,二级,,,",
        "C,2024-07-01,5000,职工医保,在职,住院,二级,1000,,",
        "C,2024-07-02,5000,职工医保,在职,住院,二级,900,,",
        "D,2024-07-01,5000,职工医保,在职,住院,二级,abc,,",
        "E,2024-07-01,5000,职工医保,在职,住院,二级,,,2024-13-01"]


@pytest.fixture(scope="module")
def settled(tmp_path_factory) -> tuple[list[dict], list[dict]]:
    folder = tmp_path_factory.mktemp("openings")
    (folder / "t.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    assert run_cli(["batch", str(RULES), str(folder / "t.csv"), "-o", str(folder / "out.csv"), "--quiet"]) == 0
    return read_csv_rows(folder / "out.csv"), read_csv_rows(folder / "out.rejects.csv")


def test_a_person_with_year_to_date_totals_settles_as_a_test_block_does(settled) -> None:
    out, _ = settled
    a = next(r for r in out if r["参保人ID"] == "A")
    policy = check_path(RULES).policy
    assert policy is not None
    person = Person("A", opening=(("共用起付", 100_000), ("门诊住院限额", 7_900_000)),
                    opening_date=dt.date(2024, 6, 30))
    claim = Claim(dt.date(2024, 7, 1), 500_000, facts({"险种": "职工医保", "人员类别": "在职", "就医类型": "住院",
                                                      "医院等级": "二级"}))
    (want,) = settle(policy, person, [claim])
    assert (a["起付线"], a["统筹支付"], a["大额补助"], a["个人自付"]) == ("0.00", "1000.00", "3375.00", "625.00")
    assert a["统筹支付"] == f"{want.fund / 100:.2f}"


def test_a_blank_total_opens_nothing(settled) -> None:
    out, _ = settled
    b = next(r for r in out if r["参保人ID"] == "B")
    assert b["起付线"] == "1000.00"  # the whole deductible: nothing counted before


def test_bad_or_disagreeing_totals_are_rejected_with_their_row(settled) -> None:
    _, rejects = settled
    why = {r["行号"]: r["原因"] for r in rejects}
    assert "同一参保人的已累计金额不一致" in why["4"]  # C's second row says 900 where the first said 1000
    assert "已累计金额无效：abc" in why["5"]
    assert "截至日期无效：2024-13-01" in why["6"]
    assert set(why) == {"4", "5", "6"}  # 行号 counts data rows


def test_an_unknown_total_refuses_the_table_with_a_hint(tmp_path: Path, capsys) -> None:
    (tmp_path / "t.csv").write_text("参保人ID,日期,费用,险种,已累计：共用起付X\n", encoding="utf-8")
    assert run_cli(["batch", str(RULES), str(tmp_path / "t.csv"), "-o", str(tmp_path / "o.csv")]) != 0
    err = capsys.readouterr().err
    assert "没有名为“共用起付X”的年度累计" in err and "共用起付" in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()
