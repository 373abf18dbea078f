"""`settle --claims` on many claims streams its output (nothing held per claim) in input order, and the
streamed JSON is the same document as the whole one."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from test_cli import run

from policylang.api import compile_path
from policylang.commands import settle as settle_command
from policylang.eval.settle import settle
from policylang.inputs.claimfile import read_claims
from policylang.ir.units import fmt_plain

SUIZHOU = Path(__file__).resolve().parents[2] / "regions" / "suizhou"


def _claim_file(tmp_path: Path, n: int) -> Path:
    rnd = random.Random(20261127)
    visits = [{"日期": (dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(366))).isoformat(),
               "就医类型": "普通门诊", "医院等级": rnd.choice(["一级", "二级", "三级"]),
               "费用": f"{rnd.randrange(1, 300000) / 100:.2f}"} for _ in range(n)]
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"参保人": {"险种": "职工医保", "人员类别": "在职"}, "就诊": visits},
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_streamed_json_is_the_whole_document(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    path = _claim_file(tmp_path, 40)  # dates out of order: settled by date, written by input position
    code, out, _ = run(capsys, "settle", str(SUIZHOU), "--claims", str(path), "--json")
    policy = compile_path(SUIZHOU)
    cf = read_claims(path, policy)
    results = settle(policy, cf.person, cf.claims)
    whole = {"就诊": [settle_command._result_json(r) for r in results],
             "合计": {"统筹支付": fmt_plain(sum(r.fund for r in results)),
                    "个人自付": fmt_plain(sum(r.personal for r in results))}}
    assert code == 0
    assert out == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_many_claims_print_one_block_each_in_input_order(capsys: pytest.CaptureFixture, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settle_command, "TABLE_CLAIMS", 10)
    path = _claim_file(tmp_path, 25)
    code, out, _ = run(capsys, "settle", str(SUIZHOU), "--claims", str(path))
    dates = [v["日期"] for v in json.loads(path.read_text(encoding="utf-8"))["就诊"]]
    heads = [line for line in out.splitlines() if line.startswith("第 ")]
    assert code == 0 and len(heads) == 25
    assert [h.split()[3] for h in heads] == dates  # 第 i 次就诊 DATE …: the file's order, not the date order
    assert all("统筹支付" in h for h in heads)
