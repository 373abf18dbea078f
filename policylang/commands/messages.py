"""What every subcommand prints the same way: diagnostics, table errors, the no-scripts error, safe names."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from policylang.api import Checked, check_path
from policylang.diagnostics import Diagnostic, render_all, sort_key
from policylang.ir import Policy
from policylang.resolve.loader import region_dirs
from policylang.source import printable

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

def safe(text: object) -> str:
    """A line with control and format characters shown as \\x1b etc. (tabs kept), so names from scripts and
    paths cannot drive the terminal. The unsafe set is source.printable's, the one used in messages."""
    return "\t".join(printable(part) for part in str(text).split("\t"))


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print with every control character neutralised: names in the text come from scripts and paths."""
    click.echo("\n".join(safe(line) for line in text.split("\n")), err=err, nl=nl)


def echo_err(text: str) -> None:
    echo(text, err=True)


def regions_or_exit(paths: tuple[str, ...]) -> list[Path]:
    """The regions under the given paths; exit 1 with a clear message when there are none, so a wrong
    path in CI fails instead of passing with nothing checked."""
    regions = region_dirs([Path(p) for p in paths])
    if not regions:
        echo_err("错误：没有找到地区脚本 (no region found)")
        sys.exit(1)
    return regions


def show_diagnostics(checked: Checked, warnings: bool = True) -> None:
    diags = [d for d in checked.diagnostics if warnings or d.is_error]
    if diags:
        echo_err(render_all(diags, checked.unit.sources) + "\n")


def compile_or_exit(path: Path) -> Policy:
    """The region's policy, or its errors printed and exit 1."""
    checked = check_path(path)
    if checked.policy is None:
        show_diagnostics(checked, warnings=False)
        echo_err(f"✗ {checked.unit.root}: 无法编译 ({checked.errors} errors)")
        sys.exit(1)
    return checked.policy


def show_table_errors(diags: Iterable[Diagnostic]) -> None:
    """Claim-table problems, one located line each (a table has no source lines to quote)."""
    for d in sorted(diags, key=sort_key):
        hint = f"\n  提示: {d.help}" if d.help else ""
        echo_err(f"{d.headline()}{hint}")
