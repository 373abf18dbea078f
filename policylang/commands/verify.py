"""`policylang verify PATH…`: check the payment invariants on generated claims."""

from __future__ import annotations

import sys

import click

from policylang.commands.messages import CONTEXT, compile_or_exit, echo, regions_or_exit
from policylang.commands.progress import progress, quiet_option


@click.command("verify", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子 (random seed).")
@click.option("-n", "--examples", type=click.IntRange(1), default=40, show_default=True,
              help="每种人员组合生成的就诊序列数 (claim sequences per person combination).")
@quiet_option
def verify_cmd(paths: tuple[str, ...], seed: int, examples: int, quiet: bool) -> None:
    """在生成的就诊上检查不变量 (check invariants on generated claims).

    \b
    对脚本中枚举的每种组合、一系列金额与日期生成就诊，检查：
      统筹支付不超过费用、不为负；每条封顶线在期间内成立；
      同一年内费用增加，支付不减少；每一层最多支付上一层剩下的部分；
      结果与不同参保人就诊的交错顺序无关。
    违反时给出最小的反例就诊序列及其结算过程；退出码为 1。
    """
    from policylang.tools.verify import render_violation, verify

    bad = 0
    regions = regions_or_exit(paths)
    reports = []
    with progress("检查中 (verifying regions)", len(regions), quiet) as advance:
        for region in regions:  # printed after the bar is gone, so the two never interleave
            reports.append((region, verify(compile_or_exit(region), seed=seed, examples=examples)))
            advance(1)
    for region, report in reports:
        if report.violation is None:
            echo(f"✓ {region}: {report.sequences} 个就诊序列、{report.claims} 次就诊，不变量全部成立 "
                 f"(all invariants hold)")
        else:
            bad += 1
            echo(f"✗ {region}: 不变量不成立 (invariant violated)")
            echo(render_violation(report.violation))
    sys.exit(1 if bad else 0)
