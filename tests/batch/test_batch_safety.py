"""`policylang batch` never loses a row or a 分: colliding paths, the OUT + rejects commit, stale work
files, rows that cannot be read, person identity across chunks, amounts beyond the maximum, --sql."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batchcheck import ROOT, policy_of, read_csv_rows, run_cli

from policylang.batch import commit as commit_module
from policylang.batch.engine import Run

SUIZHOU = str(ROOT / "regions" / "suizhou")
HEADER = "参保人ID,险种,人员类别,日期,就医类型,医院等级,费用\n"
ROW = "A,职工医保,在职,2024-03-01,普通门诊,二级,2000\n"


_run, _read = run_cli, read_csv_rows


def _claims(tmp_path: Path, body: str | bytes, name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(HEADER.encode() + (body if isinstance(body, bytes) else body.encode()))
    return path


# ---- colliding paths ---------------------------------------------------------------------------
def test_colliding_paths_are_refused(tmp_path, capsys) -> None:
    claims = _claims(tmp_path, ROW)
    before = claims.read_bytes()
    out = tmp_path / "o.csv"
    (tmp_path / "link.csv").symlink_to(claims)
    os.link(claims, tmp_path / "hard.csv")
    cases = [(["-o", str(out), "--rejects", str(out)], "--rejects 与结果文件 -o 是同一个文件"),
             (["-o", str(claims)], "-o 与输入的理赔表是同一个文件"),
             (["-o", str(tmp_path / "link.csv")], "-o 与输入的理赔表是同一个文件"),
             (["-o", str(out), "--rejects", str(claims)], "--rejects 与输入的理赔表是同一个文件"),
             (["-o", str(out), "--rejects", str(tmp_path / "hard.csv")], "--rejects 与输入的理赔表是同一个文件"),
             (["-o", str(tmp_path / "sub" / ".." / "c.csv")], "-o 与输入的理赔表是同一个文件")]
    (tmp_path / "sub").mkdir()
    for args, message in cases:
        assert _run(["batch", SUIZHOU, str(claims), *args]) == 1, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)
    assert claims.read_bytes() == before and not out.exists()


# ---- OUT and rejects as one unit ---------------------------------------------------------------
def _pair(tmp_path: Path) -> tuple[str, str]:
    return (tmp_path / "o.csv").read_text(encoding="utf-8"), (tmp_path / "o.rejects.csv").read_text(encoding="utf-8")


def test_a_kill_between_the_renames_is_completed_by_the_next_run(tmp_path, monkeypatch) -> None:
    old = _claims(tmp_path, ROW + "B,职工医保,在职,2024-03-01,普通门诊,二级,x\n", "old.csv")
    new = _claims(tmp_path, ROW.replace("2000", "3000") + "C,职工医保,在职,2024-13-01,普通门诊,二级,1\n", "new.csv")
    assert _run(["batch", SUIZHOU, str(old), "-o", str(tmp_path / "o.csv")]) == 0
    old_pair = _pair(tmp_path)
    real = os.replace
    calls = []

    def killed(src, dst):
        calls.append(dst)
        if str(dst).endswith("o.rejects.csv"):
            raise KeyboardInterrupt  # the process dies after OUT was renamed, before the rejects were
        return real(src, dst)

    monkeypatch.setattr(commit_module.os, "replace", killed)
    assert _run(["batch", SUIZHOU, str(new), "-o", str(tmp_path / "o.csv")]) == 130  # 已中断
    monkeypatch.setattr(commit_module.os, "replace", real)
    assert (tmp_path / ".o.csv.policylang-commit").exists()  # the pair is in transition, and says so
    Run(policy_of("suizhou"), old, tmp_path / "o.csv").close()  # any next run with this OUT finishes it
    out, rejects = _pair(tmp_path)
    assert "3000" in out and "2024-13-01" in rejects and (out, rejects) != old_pair
    assert not (tmp_path / ".o.csv.policylang-commit").exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_a_failure_before_the_commit_point_keeps_the_old_pair(tmp_path, monkeypatch, capsys) -> None:
    old = _claims(tmp_path, ROW, "old.csv")
    assert _run(["batch", SUIZHOU, str(old), "-o", str(tmp_path / "o.csv")]) == 0
    old_pair = _pair(tmp_path)

    def disk_full(self) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commit_module.Commit, "apply", disk_full)
    assert _run(["batch", SUIZHOU, str(_claims(tmp_path, ROW.replace("2000", "3000"), "new.csv")),
                 "-o", str(tmp_path / "o.csv")]) == 1
    assert "无法写入结果" in capsys.readouterr().err
    assert _pair(tmp_path) == old_pair
    assert not list(tmp_path.glob(".*.partial")) and not (tmp_path / ".o.csv.policylang-work").exists()


def test_stale_partials_and_work_folders_are_removed_at_start(tmp_path) -> None:
    claims = _claims(tmp_path, ROW)
    for junk in (".o.csv.4242.partial", ".o.rejects.csv.4242.partial"):
        (tmp_path / junk).write_text("half a file")
    (tmp_path / ".o.csv.policylang-work" / "in").mkdir(parents=True)
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "o.csv", "o.rejects.csv"]


# ---- every row settled or rejected, numbered by its line ---------------------------------------
def test_header_only_table_gives_an_empty_result(tmp_path, capsys) -> None:
    for out in ("o.csv", "o.parquet"):
        assert _run(["batch", SUIZHOU, str(_claims(tmp_path, "")), "-o", str(tmp_path / out)]) == 0
    assert _read(tmp_path / "o.csv") == [] and (tmp_path / "o.csv").read_text(encoding="utf-8").startswith("参保人ID,")
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 0
    assert "输入行数 (rows)" in capsys.readouterr().out


def test_unreadable_rows_are_rejected_one_by_one_with_their_line(tmp_path) -> None:
    body = (ROW                                                   # line 2
            + "\n"                                                # line 3: empty, counted, skipped
            + "B,职工医保,在职,2024-03-01,普通门诊\n"               # line 4: too few cells
            + "   \n"                                             # line 5: blanks only
            + "C,职工医保,在职,2024-03-01,普通门诊,二级,10,多余\n"   # line 6: too many cells
            ).encode() + "D,职工医保,在职,2024-03-01,普通门诊,二级,1".encode() + b"\xff0\n" \
        + b"\n\n" + ROW.replace("A,", "E,").encode()              # line 7: not UTF-8; 8, 9 empty; 10
    claims = _claims(tmp_path, body)
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv")]) == 0
    settled = _read(tmp_path / "o.csv")
    rejects = {int(r["行号"]): r for r in _read(tmp_path / "o.rejects.csv")}
    assert [r["参保人ID"] for r in settled] == ["A", "E"]
    assert sorted(rejects) == [3, 4, 5, 6]  # 行号 N is line N + 1 of the file
    assert "此行有 5 个单元格，表头有 7 列" in rejects[3]["原因"] and rejects[3]["参保人ID"] == "B"
    assert "只有空白" in rejects[4]["原因"]
    assert "此行有 8 个单元格" in rejects[5]["原因"]
    assert "非 UTF-8" in rejects[6]["原因"] and rejects[6]["费用"] == "1\ufffd0"


def test_diff_claims_reads_rows_the_same_way(tmp_path) -> None:
    from policylang.inputs.claimtable import read_table

    claims = _claims(tmp_path, ROW + "\n" + "B,职工医保,在职,2024-03-01,普通门诊\n" + "   \n")
    table = read_table(claims, policy_of("suizhou"))
    assert {d.message for d in table.diagnostics} == {"第 3 行：此行有 5 个单元格，表头有 7 列 (wrong number of cells)",
                                                      "第 4 行：此行只有空白 (a line of blanks only)"}


# ---- one person, whatever the chunking ---------------------------------------------------------
def test_person_ids_differing_by_blanks_are_one_person_in_every_chunking(tmp_path, capsys) -> None:
    ids = ["P1", "P1\t", " P1", "P1\u3000", "Ｐ1", "\u00a0P1", "P1 "]
    body = "".join(f"{pid},职工医保,在职,2024-03-{d + 1:02d},普通门诊,二级,2000\n" for d, pid in enumerate(ids))
    claims = _claims(tmp_path, body)
    results = []
    for rows in (1, 2, 3, 1000):
        out = tmp_path / f"o{rows}.csv"
        assert _run(["batch", SUIZHOU, str(claims), "-o", str(out), "--chunk-rows", str(rows)]) == 0
        shown = capsys.readouterr().out
        assert re.search(r"参保人数 \(persons\)\s*│\s*1 │", shown), shown
        results.append([(r["起付线"], r["统筹支付"]) for r in _read(out)])
    assert all(r == results[0] for r in results)
    assert sum(float(d) > 0 for d, _ in results[0]) == 1  # one deductible for the one person  # float ok


# ---- amounts: one rule, a documented maximum, no overflow --------------------------------------
@pytest.mark.parametrize("out", ["o.csv", "o.parquet"])
def test_amounts_beyond_the_maximum_are_rejected_not_wrapped(tmp_path, out) -> None:
    body = "".join(f"A,职工医保,在职,2024-03-{d + 1:02d},普通门诊,二级,9999999999999999\n" for d in range(11))
    body += "B,职工医保,在职,2024-03-01,普通门诊,二级,\"1,000,000,000.00\"\n"
    claims = _claims(tmp_path, body)
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / out)]) == 0
    rejects = tmp_path / f"o.rejects.{out.split('.')[1]}"
    rows = _read(rejects) if out.endswith("csv") else pq.read_table(rejects).to_pylist()
    assert len(rows) == 11 and all("不超过 10 亿元" in r["原因"] for r in rows)
    settled = _read(tmp_path / out) if out.endswith("csv") else pq.read_table(tmp_path / out).to_pylist()
    assert len(settled) == 1 and all(str(v)[:1] != "-" for v in settled[0].values() if v is not None)


@pytest.mark.parametrize(("cell", "ok"), [("\"2,000.00\"", True), ("２０００", True), ("2_000", False),
                                          ("٢٠٠٠", False), ("1e3", False)])
def test_batch_and_diff_agree_on_amounts(tmp_path, cell, ok) -> None:
    from policylang.inputs.claimtable import read_table

    claims = _claims(tmp_path, f"A,职工医保,在职,２０２４－０３－０１,普通门诊,二级,{cell}\n")
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv")]) == 0
    assert len(_read(tmp_path / "o.csv")) == int(ok)
    assert read_table(claims, policy_of("suizhou")).ok == ok


# ---- --sql sees the result views and nothing else ----------------------------------------------
@pytest.mark.parametrize("query", ["COPY (SELECT 1) TO '{tmp}/x.csv'", "SELECT * FROM read_csv('/etc/passwd')",
                                   "SELECT * FROM read_text('{tmp}/c.csv')", "ATTACH '{tmp}/x.db'",
                                   "SET enable_external_access=true"])
def test_sql_cannot_touch_files(tmp_path, capsys, query) -> None:
    claims = _claims(tmp_path, ROW)
    code = _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv"), "--sql", query.format(tmp=tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and ("只能查询视图" in err or "locked" in err) and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.db").exists()
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv"),
                 "--sql", "SELECT count(*) AS n FROM 结果"]) == 0


def test_a_chunk_whose_total_could_overflow_is_refused(tmp_path, monkeypatch, capsys) -> None:
    """The kernel's running sums are int64: a chunk whose 费用 add up past the limit stops the run."""
    from policylang.batch import chunk

    monkeypatch.setattr(chunk, "SUM_LIMIT", 500_000)  # 5,000.00 元 stands in for 2^62 分
    claims = _claims(tmp_path, ROW * 3)
    assert _run(["batch", SUIZHOU, str(claims), "-o", str(tmp_path / "o.csv")]) == 1
    assert "超出 64 位整数的范围" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists() and not list(tmp_path.glob(".o.*"))


def test_a_refused_table_leaves_no_work_files(tmp_path, capsys) -> None:
    path = tmp_path / "c.csv"
    path.write_text("参保人ID,日期,医院登记\n", encoding="utf-8")
    assert _run(["batch", SUIZHOU, str(path), "-o", str(tmp_path / "o.csv")]) == 1
    assert "未知的列“医院登记”" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv"]
