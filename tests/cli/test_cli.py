"""The policylang command: exit codes, help, claim-file errors and the JSON output of settle."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SUIZHOU, compare_golden

from policylang.commands.main import main

GOLDEN = Path(__file__).parent / "golden"
CLAIMS_OK = {"参保人": {"险种": "职工医保", "人员类别": "在职"},
             "就诊": [{"日期": "2024-03-01", "就医类型": "普通门诊", "医院等级": "二级", "费用": "2000"},
                      {"日期": "2024-03-05", "就医类型": "普通门诊", "医院等级": "一级", "费用": 1000.5}]}


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run the command in-process as `policylang ARGS`; returns (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code: object = 0
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return (code if isinstance(code, int) else (0 if code is None else 1)), out.out, out.err


@pytest.fixture
def region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the 随州 region in the cwd, so every printed path is short and stable."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SUIZHOU, tmp_path / "suizhou")
    return Path("suizhou")


def claims_file(data: object | str, name: str = "claims.json") -> str:
    Path(name).write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                          encoding="utf-8")
    return name


# ---- exit codes --------------------------------------------------------------------------------
def test_check_ok(capsys, region: Path) -> None:
    code, out, _ = run(capsys, "check", str(region))
    assert code == 0 and "✓ suizhou: 0 个错误，0 个警告" in out


def test_check_errors_exit_1(capsys, region: Path) -> None:
    Path("bad.policy").write_text("方案 甲 {\n 比例 120%\n}\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "bad.policy")
    assert code == 1
    assert err.startswith("bad.policy:2:5: 错误 E006 ")
    assert "1 个错误" in out


def test_check_warnings_only_exit_0_and_quiet_hides_them(capsys, region: Path) -> None:
    Path("w.policy").write_text("方案 甲 {\n 比例 50%\n}\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "w.policy")
    assert code == 0 and "W104" in err
    code, _, err = run(capsys, "check", "-q", "w.policy")
    assert code == 0 and err == ""


def test_check_missing_path_exit_1(capsys, region: Path) -> None:
    code, _, err = run(capsys, "check", "nowhere")
    assert code == 1 and "E018" in err and "nowhere" in err


def test_test_command(capsys, region: Path) -> None:
    code, out, _ = run(capsys, "test", "-v", str(region))
    assert code == 0 and "12 个测试通过，0 个失败" in out and "  ✓ 费用恰好等于起付线" in out


def test_failing_test_block_exit_1_with_explanation(capsys, region: Path) -> None:
    tests = region / "tests.policy"
    tests.write_text(tests.read_text(encoding="utf-8").replace("统筹支付 1050 元", "统筹支付 1051 元"),
                     encoding="utf-8")
    code, out, _ = run(capsys, "test", str(region))
    assert code == 1
    assert "期望 1,051.00 元，实际 1,050.00 元" in out
    assert "结算过程 (trace):" in out


def test_test_on_broken_region_exit_1(capsys, region: Path) -> None:
    Path("bad.policy").write_text("方案 甲 {\n", encoding="utf-8")
    code, out, err = run(capsys, "test", "bad.policy")
    assert code == 1 and "E009" in err and "无法编译" in out


@pytest.mark.parametrize("args", [
    ["bogus"], ["check"], ["settle", "suizhou"], ["check", "--nope", "x"], ["settle"],
])
def test_usage_errors_exit_2_in_chinese(capsys, region: Path, args: list[str]) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("错误：命令行参数无效：") and "(invalid command-line usage:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["check"], ["test"], ["settle"]])
def test_help_on_every_command(capsys, command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "Usage: policylang" in out
    assert re.search(r"[\u4e00-\u9fff]", out)


def test_version(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("policylang ")


def test_installed_entry_point(region: Path) -> None:
    exe = Path(sys.executable).parent / "policylang"
    if not exe.exists():
        pytest.skip("policylang script not installed next to this interpreter")
    proc = subprocess.run([str(exe), "check", "--bogus"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# ---- settle ------------------------------------------------------------------------------------
def test_settle_json_shape(capsys, region: Path) -> None:
    code, out, _ = run(capsys, "settle", str(region), "--claims", claims_file(CLAIMS_OK), "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"就诊", "合计"}
    first = doc["就诊"][0]
    assert set(first) == {"日期", "方案", "费用", "起付线", "统筹支付", "个人自付", "全自费", "先行自付", "政策范围内费用",
                          "基金支付", "分层", "各项数值", "说明"}
    figures = first["各项数值"]  # every figure by the name a test expects it under
    assert figures["基本医保起付线以上"] == "1500.00" and figures["基本医保封顶前"] == "1050.00"
    assert figures["现金支付"] == "950.00" and figures["津贴天数"] == "0"
    money = [first[k] for k in ("费用", "起付线", "统筹支付", "个人自付")]
    money += [v for r in doc["就诊"] for v in r["分层"].values()] + list(doc["合计"].values())
    assert all(isinstance(m, str) and re.fullmatch(r"\d+\.\d\d", m) for m in money)
    assert (first["统筹支付"], first["个人自付"], first["起付线"]) == ("1050.00", "950.00", "500.00")
    assert doc["就诊"][1]["费用"] == "1000.50" and doc["就诊"][1]["统筹支付"] == "250.00"
    assert doc["合计"] == {"统筹支付": "1300.00", "个人自付": "1700.50"}
    assert isinstance(first["说明"], list) and all(isinstance(s, str) for s in first["说明"])
    assert any("suizhou/policy.policy:" in s for s in first["说明"])


def test_settle_table(capsys, region: Path) -> None:
    code, out, _ = run(capsys, "settle", str(region), "--claims", claims_file(CLAIMS_OK))
    assert code == 0 and "1,050.00" in out and "第 2 次就诊 2024-03-05" in out


def test_settle_on_broken_region_exit_1(capsys, region: Path) -> None:
    Path("bad.policy").write_text("方案 甲 {\n", encoding="utf-8")
    code, _, err = run(capsys, "settle", "bad.policy", "--claims", claims_file(CLAIMS_OK))
    assert code == 1 and "E009" in err


def test_bad_claim_file_golden(capsys, region: Path, update_golden: bool) -> None:
    shutil.copy(GOLDEN / "bad_claims.json", "bad_claims.json")
    code, out, err = run(capsys, "settle", str(region), "--claims", "bad_claims.json")
    assert code == 1 and out == ""
    compare_golden(GOLDEN / "bad_claims.expected", err, update_golden)


BAD_CLAIMS = {
    "bad JSON": ('{"参保人": {"险种": "职工医保",}', "E030", 1),
    "not an object": ("[1, 2]", "E030", 1),
    "empty file": ("", "E030", 1),
    "unknown top field": ('{"参保人": {}, "就诊": [], "备注": 1}', "E015", 1),
    "unknown claim field": ('{"就诊": [\n{"日期": "2024-03-01", "费用": "1", "科室": "内科"}]}', "E015", 2),
    "unknown enum value": ('{"参保人": {"人员类别": "在岗"}, "就诊": []}', "E007", 1),
    "negative amount": ('{"就诊": [\n{"日期": "2024-03-01", "费用": "-1"}]}', "E012", 2),
    "negative number": ('{"就诊": [\n{"日期": "2024-03-01", "费用": -1}]}', "E012", 2),
    "non-numeric amount": ('{"就诊": [\n{"日期": "2024-03-01", "费用": "十元"}]}', "E012", 2),
    "three decimals": ('{"就诊": [\n{"日期": "2024-03-01", "费用": 1.005}]}', "E012", 2),
    "boolean amount": ('{"就诊": [\n{"日期": "2024-03-01", "费用": true}]}', "E012", 2),
    "huge amount": ('{"就诊": [\n{"日期": "2024-03-01", "费用": 1E+999999999}]}', "E012", 2),
    "bad date": ('{"就诊": [\n{"日期": "2024-13-01", "费用": "1"}]}', "E011", 2),
    "date as number": ('{"就诊": [\n{"日期": 20240301, "费用": "1"}]}', "E011", 2),
    "missing amount": ('{"就诊": [\n{"日期": "2024-03-01"}]}', "E031", 2),
    "claims not a list": ('{"就诊": {}}', "E030", 1),
    "duplicate key": ('{"就诊": [], "就诊": []}', "E030", 1),
    "deep nesting": ('{"就诊": ' + "[" * 5000 + "]" * 5000 + "}", "E030", 1),
}


@pytest.mark.parametrize(("text", "code", "line"), BAD_CLAIMS.values(), ids=BAD_CLAIMS.keys())
def test_bad_claim_files_are_located(capsys, region: Path, text: str, code: str, line: int) -> None:
    status, out, err = run(capsys, "settle", str(region), "--claims", claims_file(text))
    assert status == 1 and out == ""
    assert re.match(rf"claims\.json:{line}:\d+: 错误 {code} ", err), err
    assert "Traceback" not in err


def test_unreadable_claim_files(capsys, region: Path) -> None:
    Path("latin.json").write_bytes(b'{"\xff": 1}')
    for name in ("latin.json", "missing.json", "."):
        status, _, err = run(capsys, "settle", str(region), "--claims", name)
        assert status == 1 and "E018" in err
