"""The progress display of every long command (batch, sample, verify, diff --claims): one look, one rule.

Rows done, rate and time left on stderr, only when both stdout and stderr are terminals and `--quiet` is
not given: a pipe, a file or CI gets the command's output and nothing else. A command of several stages
(batch: read, settle, write) names each with `advance.stage(label, total)`: the bar restarts with that
label, so rows, rate and time left are the current stage's.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

__all__ = ["Advance", "Meter", "progress", "quiet_option", "shown"]

Advance = Callable[[int], None]

quiet_option = click.option("-q", "--quiet", is_flag=True, default=False,
                            help="不显示进度 (no progress display).")


class _Rate(ProgressColumn):
    """Rows per second, the figure a user compares runs by."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} 行/s", style="progress.data.speed")


def shown(quiet: bool) -> bool:
    """Whether to draw: not quiet, and both streams are terminals (never in pipes, files, CI or tests)."""
    return not quiet and sys.stdout.isatty() and sys.stderr.isatty()


class Meter:
    """`meter(rows)` counts rows done; `meter.stage(label, total)` starts the next stage (total None: unknown).
    Without a bar (quiet, not a terminal) both do nothing."""

    def __init__(self, bar: Progress | None = None, task: TaskID | None = None) -> None:
        self._bar, self._task = bar, task

    def __call__(self, n: float) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=n)

    def stage(self, label: str, total: int | None = None) -> None:
        if self._bar is not None:
            self._bar.reset(self._task, total=total, description=label)


@contextmanager
def progress(label: str, total: int | None, quiet: bool = False) -> Iterator[Meter]:
    """Yield a Meter; the bar is drawn on stderr and removed when the work is done."""
    if not shown(quiet):
        yield Meter()
        return
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True) as bar:
        yield Meter(bar, bar.add_task(label, total=total))
