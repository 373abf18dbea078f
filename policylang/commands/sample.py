"""`policylang sample REGION -o FILE`: a synthetic claim table for regions without real data."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policylang.commands.messages import CONTEXT, compile_or_exit, echo, echo_err


@click.command("sample", context_settings=CONTEXT)
@click.argument("region", metavar="REGION")
@click.option("-n", "rows", type=click.IntRange(1), default=1000, show_default=True,
              help="就诊记录条数 (number of claim rows).")
@click.option("-o", "--output", required=True, metavar="FILE", help="输出 .csv 或 .parquet (output file).")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子 (random seed).")
@click.option("--year", type=click.IntRange(1900, 2999), help="就诊年份，默认取政策生效年份 (claim year).")
def sample_cmd(region: str, rows: int, output: str, seed: int, year: int | None) -> None:
    """生成模拟理赔表，供没有真实数据的地区比较版本 (write a synthetic claim table)."""
    from policylang.tools.sample import sample_rows, write_table

    policy = compile_or_exit(Path(region))
    table = sample_rows(policy, rows, seed=seed, year=year)
    try:
        write_table(table, Path(output))
    except (OSError, ValueError) as e:
        echo_err(f"错误：无法写入 {output}：{e} (cannot write the sample)")
        sys.exit(1)
    people = len({r["参保人ID"] for r in table})
    echo(f"已写入 {output}：{len(table)} 条就诊，{people} 位参保人 (seed {seed})")
