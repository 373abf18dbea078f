"""`policylang sample REGION -o FILE`: a synthetic claim table for regions without real data."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policylang.commands.messages import CONTEXT, compile_or_exit, echo, echo_err
from policylang.commands.progress import progress, quiet_option


@click.command("sample", context_settings=CONTEXT)
@click.argument("region", metavar="REGION")
@click.option("-n", "rows", type=click.IntRange(1), default=1000, show_default=True,
              help="就诊记录条数 (number of claim rows).")
@click.option("-o", "--output", required=True, metavar="FILE", help="输出 .csv 或 .parquet (output file).")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子 (random seed).")
@click.option("--year", type=click.IntRange(1900, 2999), help="就诊年份，默认取政策生效年份 (claim year).")
@quiet_option
def sample_cmd(region: str, rows: int, output: str, seed: int, year: int | None, quiet: bool) -> None:
    """生成模拟理赔表，供没有真实数据的地区比较版本 (write a synthetic claim table)."""
    from policylang.batch.allocator import keep_freed_memory
    from policylang.tools.sample import SampleError, write_sample

    keep_freed_memory()  # freed arrays reused, not faulted in again (batch/allocator.py)

    policy = compile_or_exit(Path(region))
    try:
        with progress("生成中 (sampling)", rows, quiet) as advance:
            written = write_sample(policy, Path(output), rows, seed=seed, year=year, advance=advance)
    except (OSError, SampleError) as e:
        echo_err(f"错误：无法写入 {output}：{e} (cannot write the sample)")
        sys.exit(1)
    echo(f"已写入 {output}：{written.rows} 条就诊，{written.people} 位参保人 (seed {seed})")
