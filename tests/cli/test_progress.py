"""The progress display: drawn only on a terminal, never in pipes, files or CI, and `--quiet` on every long
command."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylang.commands.main import cli
from policylang.commands.progress import progress, shown

ROOT = Path(__file__).resolve().parents[2]
SUIZHOU = ROOT / "regions" / "suizhou"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", ["batch", "sample", "verify", "diff"])
def test_every_long_command_has_quiet(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "--quiet" in result.output


def test_silent_when_not_a_terminal(tmp_path):
    result = CliRunner().invoke(cli, ["sample", str(SUIZHOU), "-n", "3000", "-o", str(tmp_path / "s.parquet")])
    assert result.exit_code == 0
    assert result.stderr == "" and result.output.startswith("已写入")
    assert not shown(False)  # pytest's captured streams are not terminals
    batch = CliRunner().invoke(cli, ["batch", str(SUIZHOU), str(tmp_path / "s.parquet"), "-o", str(tmp_path / "o.csv")])
    assert batch.exit_code == 0 and batch.stderr == ""


def test_drawn_on_a_terminal_unless_quiet(monkeypatch):
    out, err = _Terminal(), _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert shown(False) and not shown(True)
    with progress("样例", 10, quiet=True) as advance:
        advance(10)
    assert err.getvalue() == ""
    with progress("样例", 10) as advance:
        advance(10)
    assert "10/10" in err.getvalue() and out.getvalue() == ""
