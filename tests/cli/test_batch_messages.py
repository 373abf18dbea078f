"""The messages `policylang batch` prints when it refuses a run or a query (golden file)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import compare_golden
from test_cli import run

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
HEADER = "参保人ID,险种,人员类别,日期,就医类型,医院等级,费用\n"
ROW = "A,职工医保,在职,2024-03-01,普通门诊,二级,2000\n"


def test_batch_refusals_golden(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "regions" / "suizhou", "suizhou")
    Path("c.csv").write_text(HEADER + ROW, encoding="utf-8")
    Path("empty.csv").write_text("", encoding="utf-8")
    Path("dup.csv").write_text("参保人ID,日期,费用,日期\n", encoding="utf-8")
    os.symlink("c.csv", "link.csv")
    cases = [
        ("c.csv", "-o", "o.csv", "--rejects", "o.csv"),
        ("c.csv", "-o", "link.csv"),
        ("c.csv", "-o", "o.csv", "--rejects", "c.csv"),
        ("empty.csv", "-o", "o.csv"),
        ("dup.csv", "-o", "o.csv"),
        ("c.csv", "-o", "o.csv", "--sql", "SELECT * FROM read_csv('/etc/passwd')"),
        ("c.csv", "-o", "o.csv", "--sql", "COPY (SELECT 1) TO '/tmp/policylang-x.csv'"),
    ]
    shown = []
    for args in cases:
        code, _, err = run(capsys, "batch", "suizhou", *args)
        shown.append(f"$ policylang batch suizhou {' '.join(args)}\n[{code}] {err}")
    compare_golden(GOLDEN / "batch_errors.expected", "\n".join(shown), update_golden)
