"""policylang fmt on the command line: in place, --check with a diff, --stdin, broken scripts."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policylang.commands.main import cli

UGLY = "地区   甲\n方案 a {比例 90 %}\n"
PRETTY = "地区 甲\n方案 a {\n    比例 90%\n}\n"


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["fmt", *args], input=stdin)


def test_rewrites_files_in_place(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    script = tmp_path / "r" / "a.policy"
    script.write_text(UGLY, encoding="utf-8")
    result = _run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert script.read_text(encoding="utf-8") == PRETTY
    assert "已格式化 1 个文件" in result.output


def test_check_prints_a_diff_and_fails_without_writing(tmp_path: Path) -> None:
    script = tmp_path / "a.policy"
    script.write_text(UGLY, encoding="utf-8")
    result = _run("--check", str(script))
    assert result.exit_code == 1
    assert "-方案 a {比例 90 %}" in result.output and "+    比例 90%" in result.output
    assert script.read_text(encoding="utf-8") == UGLY
    script.write_text(PRETTY, encoding="utf-8")
    assert _run("--check", str(script)).exit_code == 0


def test_stdin_to_stdout() -> None:
    result = _run("--stdin", stdin=UGLY)
    assert result.exit_code == 0
    assert result.stdout == PRETTY


def test_a_broken_script_is_left_untouched_with_its_diagnostics(tmp_path: Path) -> None:
    script = tmp_path / "a.policy"
    script.write_text("方案 a {\n", encoding="utf-8")
    result = _run(str(script))
    assert result.exit_code == 1
    assert "E009" in result.stderr and "无法解析，未格式化" in result.stderr
    assert script.read_text(encoding="utf-8") == "方案 a {\n"


def test_paths_or_stdin_are_required() -> None:
    result = _run()
    assert result.exit_code == 2
    assert "--stdin" in result.output
