"""`policylang check PATH…`: report every error and warning of each region."""

from __future__ import annotations

import sys

import click

from policylang.api import check_path
from policylang.commands.messages import CONTEXT, echo, regions_or_exit, show_diagnostics


@click.command("check", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("-q", "--quiet", is_flag=True, help="只显示错误，不显示警告 (errors only).")
def check(paths: tuple[str, ...], quiet: bool) -> None:
    """检查脚本：报告全部错误与警告 (report every error and warning).

    有错误时退出码为 1；只有警告时为 0。
    """
    failed = False
    for region in regions_or_exit(paths):
        checked = check_path(region)
        show_diagnostics(checked, warnings=not quiet)
        failed |= checked.errors > 0
        mark = "✗" if checked.errors else "✓"
        echo(f"{mark} {checked.unit.root}: {checked.errors} 个错误，{checked.warnings} 个警告")
    sys.exit(1 if failed else 0)
