"""`policylang doc PATH… -o DIR`: check every region, then build the public static site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policylang.api import check_path
from policylang.commands.messages import echo
from policylang.diagnostics import render_all
from policylang.resolve.loader import region_dirs


@click.command("doc", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("-o", "--output", required=True, metavar="DIR", type=click.Path(file_okay=False),
              help="输出目录 (output folder for the HTML site).")
@click.option("--title", default="医保待遇政策公开", show_default=True, help="网站标题 (site title).")
def doc(paths: tuple[str, ...], output: str, title: str) -> None:
    """生成各地区的公开政策网页（静态 HTML）(build the public policy pages as a static site).

    每个地区一页：适用范围、起付线/比例/封顶线表格、历次调整、由测试算出的算例与支付示意图；
    另有各地区对比页。脚本有错误或生成时有任何警告时退出码为 1。
    """
    regions = region_dirs([Path(p) for p in paths])
    bad = False
    for region in regions:
        checked = check_path(region)
        if checked.errors:
            echo(render_all([d for d in checked.diagnostics if d.is_error], checked.unit.sources) + "\n",
                       err=True)
            echo(f"✗ {checked.unit.root}: {checked.errors} 个错误，无法生成页面 (region does not compile)",
                       err=True)
            bad = True
    if bad or not regions:
        if not regions:
            echo("错误：没有找到地区脚本 (no region found)", err=True)
        sys.exit(1)
    from policylang.docs.site import build_site

    try:
        result = build_site(regions, Path(output), title)
    except Exception as e:  # Sphinx reports its own failures as exceptions; show them, never a traceback
        echo(f"错误：生成网页失败：{e} (documentation build failed: {type(e).__name__})", err=True)
        sys.exit(1)
    if result.warnings.strip():
        echo(result.warnings, err=True)
        echo("✗ 生成时有警告，请修正后重试 (the build had warnings)", err=True)
        sys.exit(1)
    echo(f"✓ 已生成 {len(regions)} 个地区的页面：{result.index}")
