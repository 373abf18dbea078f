"""What an officer sees of a claim that reaches a missing table cell: `test` (warnings shown, a refused claim
never passes as 0), `test --strict`, `check --strict`, `settle` and `settle --json`; and a region that does not
compile runs no test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli.test_cli import run
from conftest import compare_golden

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def incomplete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(GOLDEN / "incomplete", tmp_path / "incomplete")
    return Path("incomplete")


def _shown(code: int, out: str, err: str) -> str:
    return f"exit {code}\nstdout:\n{out}\nstderr:\n{err}"


def test_test_shows_warnings_and_fails_a_refused_claim(capsys, incomplete: Path, update_golden: bool) -> None:
    code, out, err = run(capsys, "test", str(incomplete))
    assert code == 1 and "W102" in err and "不予支付：比例表没有 三级 (no ratio for 三级)" in out
    compare_golden(GOLDEN / "incomplete_test.expected", _shown(code, out, err), update_golden)


def test_strict_turns_warnings_into_errors(capsys, incomplete: Path, update_golden: bool) -> None:
    code, out, err = run(capsys, "check", str(incomplete))
    assert code == 0 and "W102" in err
    code, out, err = run(capsys, "check", "--strict", str(incomplete))
    assert code == 1
    compare_golden(GOLDEN / "incomplete_check_strict.expected", _shown(code, out, err), update_golden)
    Path("incomplete/policy.policy").write_text(
        Path("incomplete/policy.policy").read_text(encoding="utf-8").replace(
            "比例 一级 90%, 二级 80%", "比例 一级 90%, 二级 80%, 三级 70%").replace(
            "期望 统筹支付 0 元", "期望 统筹支付 2800 元").replace("期望 不予支付", "期望 统筹支付 2800 元").replace(
            "二级 3000 元  期望 统筹支付 1600 元, 起付线 1000 元", "二级 3000 元  期望 统筹支付 2400 元"),
        encoding="utf-8")
    assert run(capsys, "check", "--strict", str(incomplete))[0] == 0
    assert run(capsys, "test", "--strict", str(incomplete))[0] == 0


def test_test_strict_fails_on_warnings_alone(capsys, incomplete: Path) -> None:
    text = Path("incomplete/policy.policy").read_text(encoding="utf-8")
    Path("incomplete/policy.policy").write_text(text.split('测试 "三级')[0], encoding="utf-8")
    assert run(capsys, "test", str(incomplete))[0] == 0
    code, out, _ = run(capsys, "test", "--strict", str(incomplete))
    assert code == 1 and "--strict：警告按错误处理" in out


def test_settle_explains_the_refusal(capsys, incomplete: Path, update_golden: bool) -> None:
    code, out, _ = run(capsys, "settle", str(incomplete), "--claims", "incomplete/claims.json", "--json")
    assert code == 0
    first, second = json.loads(out)["就诊"]
    assert first["不予支付原因"] == ["比例表没有 三级 (no ratio for 三级)"]
    assert first["统筹支付"] == "0.00" and first["分层"] == {}
    assert second["起付线"] == "1000.00"  # the refused claim consumed none of the yearly deductible
    code, out, _ = run(capsys, "settle", str(incomplete), "--claims", "incomplete/claims.json")
    compare_golden(GOLDEN / "incomplete_settle.expected", out, update_golden)


def test_a_region_that_does_not_compile_runs_no_test(capsys, tmp_path: Path, monkeypatch, update_golden) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad").mkdir()
    Path("bad/policy.policy").write_text("地区 甲\n方案 甲 {\n", encoding="utf-8")
    code, out, err = run(capsys, "test", "bad")
    assert code == 1 and "0 失败" in out
    compare_golden(GOLDEN / "test_not_compiled.expected", _shown(code, out, err), update_golden)
