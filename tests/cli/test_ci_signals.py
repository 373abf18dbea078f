"""CI signals are honest (issue 18 §6): no scripts is a failure, reports stay well-formed XML, and names
from scripts or paths cannot send escape sequences to the terminal."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SUIZHOU, compare_golden
from test_cli import run

from policylang.tools.reports import xml_safe

GOLDEN = Path(__file__).parent / "golden"
ESC_NAME = "坏\x1b[31m名\x07字\x9b2J"  # ESC, BEL and the one-character CSI (U+009B)
BAD_TEST = f"""
测试 "{ESC_NAME}" {{
    参保人 职工医保 在职
    就诊 2024-03-01 普通门诊 二级 2000 元  期望 统筹支付 1051 元
}}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def escape_region(workdir: Path) -> Path:
    """The 随州 region with one failing test whose name holds control characters."""
    shutil.copytree(SUIZHOU, "r")
    with open("r/tests.policy", "a", encoding="utf-8") as f:
        f.write(BAD_TEST)
    return Path("r")


def test_no_scripts_is_a_failure_for_every_command(capsys, workdir: Path, update_golden: bool) -> None:
    Path("empty/sub").mkdir(parents=True)
    Path("empty/README.txt").write_text("no scripts here", encoding="utf-8")
    shown = []
    for args in (["check", "empty"], ["test", "empty"], ["verify", "empty"], ["history", "empty"],
                 ["doc", "empty", "-o", "site"]):
        code, out, err = run(capsys, *args)
        assert code == 1, args
        shown.append(f"$ policylang {' '.join(args)}\nexit {code}\nstdout: {out!r}\nstderr: {err}")
    compare_golden(GOLDEN / "no_scripts.expected", "\n".join(shown), update_golden)


def test_test_names_cannot_drive_the_terminal(capsys, escape_region: Path, update_golden: bool) -> None:
    code, out, err = run(capsys, "test", "-v", str(escape_region))
    assert code == 1
    assert not {"\x1b", "\x07", "\x9b"} & set(out + err)
    assert "坏\\x1b[31m名\\x07字\\x9b2J" in out
    compare_golden(GOLDEN / "control_test_name.expected", out, update_golden)


def test_file_names_cannot_drive_the_terminal(capsys, workdir: Path, update_golden: bool) -> None:
    Path("a\x1b]0;title\x07b.policy").write_text("方案 甲 {\n 比例 120%\n}\n", encoding="utf-8")
    code, out, err = run(capsys, "check", ".")
    assert code == 1
    assert not {"\x1b", "\x07"} & set(out + err)
    compare_golden(GOLDEN / "control_file_name.expected", f"stdout:\n{out}\nstderr:\n{err}", update_golden)


def test_junit_is_well_formed_with_control_characters(capsys, escape_region: Path) -> None:
    code, _, _ = run(capsys, "test", "--junit", "report.xml", str(escape_region))
    assert code == 1
    root = ET.parse("report.xml").getroot()  # raises on any character XML 1.0 forbids
    names = [c.get("name") for c in root.iter("testcase")]
    assert "坏\\x1b[31m名\\x07字\x9b2J" in names  # U+009B is legal XML: kept, it is not a terminal
    failed = next(c for c in root.iter("testcase") if c.get("name", "").startswith("坏"))
    assert failed.find("failure") is not None


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x00b", "a\\x00b"), ("\x1b[0m", "\\x1b[0m"), ("tab\tnl\ncr\r", "tab\tnl\ncr\r"),
    ("\ud800", "\\ud800"), ("\ufffe\uffff", "\\ufffe\\uffff"), ("正常 名字", "正常 名字"),
])
def test_xml_safe(text: str, shown: str) -> None:
    assert xml_safe(text) == shown
    ET.fromstring(f"<a b='{xml_safe(text).replace(chr(39), '')}'>{xml_safe(text)}</a>")
