"""`policylang export PATH -o policy.json`: the compiled IR as versioned JSON (docs/ir-json.rst)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from policylang.api import check_path
from policylang.diagnostics import render_all
from policylang.ir.serial import to_json
from policylang.resolve.loader import SUFFIX


def _inputs(region: Path, sources: dict) -> set[Path]:
    """Every file the region was read from (its scripts, its imports), resolved."""
    out = {Path(name).resolve() for name in sources}
    base = region if region.is_dir() else region.parent
    out.update(p.resolve() for p in base.rglob(f"*{SUFFIX}"))
    if region.is_file():
        out.add(region.resolve())
    return out


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file beside the target and os.replace: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("export", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("path", type=click.Path(exists=True, path_type=Path), metavar="PATH")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="输出文件（默认输出到标准输出）(output file; default stdout).")
def export_cmd(path: Path, output: Path | None) -> None:
    """导出编译后的规则（IR）为带版本号的 JSON (export the compiled IR as versioned JSON).

    \b
    金额以“分”的整数字符串表示，比例为精确分数 "n/d"，从不使用浮点数；格式见文档 ir-json。
    脚本有错误时退出码为 1。
    """
    checked = check_path(path)
    if checked.policy is None:
        errors = [d for d in checked.diagnostics if d.is_error]
        click.echo(render_all(errors, checked.unit.sources) + "\n", err=True)
        click.echo(f"✗ {checked.unit.root}: {len(errors)} 个错误，无法导出 (region does not compile)", err=True)
        sys.exit(1)
    text = json.dumps(to_json(checked.policy), ensure_ascii=False, indent=1) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    if output.resolve() in _inputs(path, checked.unit.sources):
        click.echo(f"错误：输出文件 {output} 是输入脚本，不能覆盖 (refusing to overwrite an input)", err=True)
        sys.exit(2)
    if not output.parent.exists():
        click.echo(f"错误：目录 {output.parent} 不存在 (output directory does not exist)", err=True)
        sys.exit(2)
    write_atomic(output, text)
    click.echo(f"✓ {checked.policy.region}：已导出到 {output} (exported)", err=True)
