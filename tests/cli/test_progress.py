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


def _recorded(monkeypatch) -> list:
    """What the batch command reports to its Meter, on a terminal: stage labels and row counts."""
    from policylang.commands import progress as module

    log: list = []
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.setattr(module.Meter, "__call__", lambda self, n: log.append(n))
    monkeypatch.setattr(module.Meter, "stage", lambda self, label, total=None: log.append(label))
    return log


@pytest.mark.parametrize("chunk_rows", [None, "700"])
def test_batch_advances_stage_by_stage(tmp_path, monkeypatch, chunk_rows):
    from policylang.commands.main import main

    assert CliRunner().invoke(cli, ["sample", str(SUIZHOU), "-n", "3000", "-o", str(tmp_path / "s.parquet"),
                                    "-q"]).exit_code == 0
    log = _recorded(monkeypatch)
    main(["batch", str(SUIZHOU), str(tmp_path / "s.parquet"), "-o", str(tmp_path / "o.csv"),
          *(["--chunk-rows", chunk_rows] if chunk_rows else [])])
    stages = [x for x in log if isinstance(x, str)]
    assert stages[0].startswith("结算") and stages[-1].startswith("写出")
    settling = log[log.index(stages[0]) + 1:log.index(stages[1])]
    assert sum(settling) == 3000
    assert len([x for x in log if not isinstance(x, str)]) > 1  # reading, then settling (per chunk), …
    writing = log[log.index(stages[-1]) + 1:]
    assert sum(writing) == 3000  # OUT and the rejects, input row by input row (many chunks: as merged)
    if chunk_rows:
        assert len(settling) >= 4  # part by part
    else:
        assert settling == [3000]


def test_diff_claims_advances_person_by_person(tmp_path):
    from policylang.api import check_path
    from policylang.inputs.claimtable import read_table
    from policylang.tools.impact import measure_impact

    assert CliRunner().invoke(cli, ["sample", str(SUIZHOU), "-n", "500", "-o", str(tmp_path / "s.csv"),
                                    "-q"]).exit_code == 0
    policy = check_path(SUIZHOU).policy
    table = read_table(tmp_path / "s.csv", policy)
    done: list[float] = []
    measure_impact(policy, policy, table, done.append)
    assert len(done) == 2 * len(table.people) and sum(done) == table.rows


def test_meter_stages_restart_the_bar(monkeypatch):
    monkeypatch.setattr(sys, "stdout", _Terminal())
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    with progress("读取中", 10) as meter:
        meter(10)
        meter.stage("结算中", 4)
        task = meter._bar.tasks[0]
        assert (task.description, task.total, task.completed) == ("结算中", 4, 0)
        meter(4)
    assert "结算中" in err.getvalue()


def test_quiet_batch_draws_nothing(tmp_path, monkeypatch):
    from policylang.commands.main import main

    assert CliRunner().invoke(cli, ["sample", str(SUIZHOU), "-n", "2000", "-o", str(tmp_path / "s.parquet"),
                                    "-q"]).exit_code == 0
    out, err = _Terminal(), _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    main(["batch", str(SUIZHOU), str(tmp_path / "s.parquet"), "-o", str(tmp_path / "o.csv"), "-q",
          "--chunk-rows", "500"])
    assert err.getvalue() == "" and "批量结算汇总" in out.getvalue()
