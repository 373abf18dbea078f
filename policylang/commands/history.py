"""`policylang history PATH…`: every dated change of every region's parameters and rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from policylang.api import check_path
from policylang.commands.messages import echo
from policylang.diagnostics import render_all
from policylang.resolve.loader import region_dirs
from policylang.tools.history import history, sentence, to_json


@click.command("history", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 (machine-readable output).")
def history_cmd(paths: tuple[str, ...], as_json: bool) -> None:
    """列出各地区参数与规则的历次调整 (list every dated change of parameters and rules).

    \b
    例：2024年1月1日起，职工住院 年度封顶线由15万元提高至20万元〔regions/suizhou/policy.policy:47:12〕
    脚本有错误时退出码为 1。
    """
    regions = region_dirs([Path(p) for p in paths])
    if not regions:
        echo("错误：没有找到地区脚本 (no region found)", err=True)
        sys.exit(1)
    failed = False
    out = []
    for region in regions:
        checked = check_path(region)
        if checked.policy is None:
            errors = [d for d in checked.diagnostics if d.is_error]
            echo(render_all(errors, checked.unit.sources) + "\n", err=True)
            echo(f"✗ {checked.unit.root}: {len(errors)} 个错误，无法列出历史 (region does not compile)", err=True)
            failed = True
            continue
        changes = history(checked.policy)
        if as_json:
            out.append({"地区": checked.policy.region, "路径": str(region), "调整": [to_json(c) for c in changes]})
            continue
        echo(f"{checked.policy.region}（{region}）：")
        for c in changes:
            where = f"〔{c.origins[-1]}〕" if c.origins else ""
            echo(f"  {sentence(c)}{where}")
        if not changes:
            echo("  没有按日期调整的参数或规则。")
    if as_json:
        echo(json.dumps(out, ensure_ascii=False, indent=2))
    sys.exit(1 if failed else 0)
