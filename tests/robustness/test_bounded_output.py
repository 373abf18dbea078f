"""Bounded diagnostics: a pathological line cannot make `check` print (or hold) megabytes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policylang.commands.main import cli
from policylang.diagnostics import MAX_PER_FILE


def _check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(path)], catch_exceptions=False)
    return result.exit_code, result.output


def test_a_line_of_twenty_thousand_braces(tmp_path: Path) -> None:
    # used to write 603 MB: 20k "块未结束" errors, each echoing the whole 20k-character line
    script = tmp_path / "braces.policy"
    script.write_text("{" * 20_000 + "\n", encoding="utf-8")
    code, out = _check(script)
    assert code == 1
    assert len(out.encode()) < 20_000
    assert out.count("错误 E") == MAX_PER_FILE
    assert "个错误未显示 (" in out and " more errors)" in out
    assert max(len(line) for line in out.splitlines()) < 400


def test_a_long_line_with_one_error_shows_the_part_around_it(tmp_path: Path) -> None:
    script = tmp_path / "long.policy"
    script.write_text("说明 \"" + "长" * 5_000 + "\" 说明 $ \"" + "文" * 5_000 + "\"\n", encoding="utf-8")
    code, out = _check(script)
    assert code == 1 and "E003" in out
    assert len(out.encode()) < 2_000
    excerpt = next(line for line in out.splitlines() if line.startswith("1 | "))
    assert excerpt.startswith("1 | …") and excerpt.endswith("…") and "$" in excerpt


def test_a_very_long_word_is_quoted_cut(tmp_path: Path) -> None:
    script = tmp_path / "word.policy"
    script.write_text("方案 甲 {\n比例" + "甲" * 20_000 + " 50%\n}\n", encoding="utf-8")
    code, out = _check(script)
    assert code == 1 and "E002" in out
    assert len(out.encode()) < 3_000
