"""policylang fmt: rewrite scripts in the canonical layout, or check (for CI) that they already are."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from policylang.diagnostics import render_all
from policylang.resolve.loader import SUFFIX, display_path
from policylang.source import Source
from policylang.tools.fmt import Formatted, format_source, format_text

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _scripts(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob(f"*{SUFFIX}")) if p.is_dir() else [p])
    return out


def _diff(result: Formatted) -> str:
    name = result.source.path
    return "".join(difflib.unified_diff(result.source.text.splitlines(keepends=True),
                                        result.text.splitlines(keepends=True), f"{name}（原文）", f"{name}（格式化后）"))


def _report(result: Formatted) -> None:
    click.echo(render_all(result.diagnostics, {result.source.path: result.source}) + "\n", err=True)
    click.echo(f"✗ {result.source.path}: 无法解析，未格式化 (does not parse; left unchanged)", err=True)


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="PATH…")
@click.option("--check", is_flag=True, help="只检查不改写；需要格式化时打印差异并以 1 退出 (check only; print a diff, exit 1).")
@click.option("--stdin", "from_stdin", is_flag=True, help="从标准输入读取，格式化结果写到标准输出 (read stdin, write stdout).")
def fmt_cmd(paths: tuple[str, ...], check: bool, from_stdin: bool) -> None:
    """按统一格式排版脚本，保留全部注释、文字与空行分段 (format scripts in the canonical layout).

    不能解析的脚本保持原样，并显示诊断信息（退出码 1）。
    """
    if from_stdin == bool(paths):
        raise click.UsageError("请给出 PATH…，或使用 --stdin (give paths or --stdin, not both)")
    if from_stdin:
        result = format_text(sys.stdin.read())
        if not result.ok:
            _report(result)
            click.echo(result.text, nl=False)
            sys.exit(1)
        if check:
            click.echo(_diff(result), nl=False)
            sys.exit(1 if result.changed else 0)
        click.echo(result.text, nl=False)
        return
    sys.exit(_format_files(_scripts(paths), check))


def _format_files(files: list[Path], check: bool) -> int:
    failed = changed = 0
    for path in files:
        try:
            source = Source.read(path, display_path(path))
        except (OSError, UnicodeDecodeError) as e:
            click.echo(f"✗ {display_path(path)}: 文件无法读取（{type(e).__name__}）(cannot be read)", err=True)
            failed += 1
            continue
        result = format_source(source)
        if not result.ok:
            _report(result)
            failed += 1
        elif result.changed:
            changed += 1
            if check:
                click.echo(_diff(result), nl=False)
            else:
                path.write_text(result.text, encoding="utf-8")
    verb = "需要格式化" if check else "已格式化"
    click.echo(f"{verb} {changed} 个文件，共 {len(files)} 个" + (f"，{failed} 个无法解析" if failed else ""), err=True)
    return 1 if failed or (check and changed) else 0
