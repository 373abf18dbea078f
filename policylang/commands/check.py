"""`policylang check PATH…`: report every error and warning of each region."""

from __future__ import annotations

import sys

import click

from policylang.api import check_path
from policylang.commands.messages import CONTEXT, echo, regions_or_exit, show_diagnostics


@click.command("check", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("-q", "--quiet", is_flag=True, help="只显示错误，不显示警告 (errors only).")
@click.option("--strict", is_flag=True, help="警告也算失败，供持续集成使用 (warnings are errors, for CI).")
def check(paths: tuple[str, ...], quiet: bool, strict: bool) -> None:
    """检查脚本：报告全部错误与警告 (report every error and warning).

    有错误时退出码为 1；只有警告时为 0（--strict 时为 1）。
    """
    failed = False
    for region in regions_or_exit(paths):
        checked = check_path(region)
        show_diagnostics(checked, warnings=not quiet or strict)
        bad = checked.errors > 0 or (strict and checked.warnings > 0)
        failed |= bad
        mark = "✗" if bad else "✓"
        tail = "（--strict：警告按错误处理）" if strict and checked.warnings and not checked.errors else ""
        echo(f"{mark} {checked.unit.root}: {checked.errors} 个错误，{checked.warnings} 个警告{tail}")
    sys.exit(1 if failed else 0)
