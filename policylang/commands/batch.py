"""The `policylang batch` command: settle a claim table, write results and rejects, print a summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from policylang.api import check_path
from policylang.commands.progress import progress, quiet_option
from policylang.diagnostics import render_all
from policylang.ir.units import fmt_yuan


def _print_summary(summary, console: Console) -> None:
    table = Table(title="批量结算汇总 (batch summary)")
    table.add_column("项目")
    table.add_column("数值", justify="right")
    table.add_row("输入行数 (rows)", f"{summary.rows:,}")
    table.add_row("已结算 (settled)", f"{summary.settled:,}")
    table.add_row("拒绝 (rejected)", f"{summary.rejected:,}")
    table.add_row("参保人数 (persons)", f"{summary.persons:,}")
    for name, total in summary.totals:
        table.add_row(f"{name}合计 (元)", fmt_yuan(total))
    console.print(table)
    if summary.scalar_persons:
        console.print(f"{summary.scalar_persons} 人使用逐笔结算 (persons settled by the scalar evaluator)")
    console.print(f"结果：{summary.out}；拒绝记录：{summary.rejects}（{summary.rejected} 行）", highlight=False)


def _print_query(columns: list[str], rows: list[tuple], console: Console) -> None:
    console.print("查询结果 (query result)")
    table = Table()
    for c in columns:
        table.add_column(str(c))
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r))
    console.print(table)


@click.command("batch", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("path", metavar="PATH")
@click.argument("claims", metavar="CLAIMS")
@click.option("-o", "--out", "out", required=True, metavar="OUT", help="结果文件 .csv 或 .parquet (output table).")
@click.option("--rejects", metavar="FILE", help="拒绝记录文件，默认 OUT 旁的 *.rejects.* (rejected rows).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="本机 (DuckDB + numpy) 或 Apache Spark (the execution engine).")
@click.option("--master", metavar="URL", help="Spark master，默认 local[*] (Spark master URL).")
@click.option("--chunk-rows", type=click.IntRange(min=1), default=None,
              help="每个分区的行数，默认按 --memory 计算，至多 1,000,000；不超过它的表在内存中一次结算 "
                   "(rows per person-partitioned chunk; default from --memory, at most 1,000,000).")
@click.option("--memory", default="2GB", show_default=True, help="DuckDB 内存上限 (DuckDB memory limit).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="本机结算用的进程数，默认为可用的 CPU 核数 (worker processes; default: the usable cores).")
@click.option("--sql", "sql", metavar="QUERY",
              help="对视图 结果/settled、拒绝/rejects 执行查询并打印；查询不能读写其他文件 "
                   "(run a summary query on the result views; no file access).")
@quiet_option
def batch_cmd(path: str, claims: str, out: str, rejects: str | None, engine: str, master: str | None,
              chunk_rows: int, memory: str, workers: int | None, sql: str | None, quiet: bool) -> None:
    """批量结算理赔表（CSV 或 Parquet），按原顺序输出结算列 (settle a claim table).

    \b
    列与 JSON 理赔文件的字段相同：参保人ID、日期、费用、险种、人员类别、就医类型、医院等级 …
    无效的行写入拒绝记录文件（行号与原因），其余行全部结算。
    """
    from policylang.batch.allocator import keep_freed_memory
    from policylang.batch.engine import BatchError, Run  # numpy, pandas, DuckDB: only when batching

    keep_freed_memory()  # freed arrays reused, not faulted in again (batch/allocator.py)

    checked = check_path(Path(path))
    if checked.policy is None:
        click.echo(render_all([d for d in checked.diagnostics if d.is_error], checked.unit.sources), err=True)
        sys.exit(1)
    run = None
    try:
        from policylang.batch.parallel import default_workers

        with progress("读取中 (reading)", _rows_hint(Path(claims)), quiet) as advance:
            run = Run(checked.policy, Path(claims), Path(out), Path(rejects) if rejects else None, chunk_rows,
                      memory, workers or default_workers(), advance=advance)
            advance.stage("结算中 (settling)", run.rows)
            if engine == "spark":
                from policylang.batch.spark import settle_spark
                folder = settle_spark(run, master or "local[*]", advance)
            else:
                run.settle_local(advance)
                folder = run.work / "out"
            advance.stage("写出中 (writing)", run.rows)
            run.results_view(folder)
            run.write(advance)
            summary = run.summary()
        out_console = Console()
        _print_summary(summary, out_console)
        if sql:
            try:
                columns, rows = run.query(sql)
            except BatchError:
                raise
            except Exception as e:  # duckdb raises many kinds; the user's SQL is input, not our bug
                click.echo(f"错误：查询无效：{str(e).splitlines()[0]} (invalid --sql query)", err=True)
                sys.exit(1)
            _print_query(columns, rows, out_console)
    except BatchError as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(1)
    except OSError as e:  # a full disk or a read-only folder: the old OUT and rejects are kept
        click.echo(f"错误：无法写入结果：{e}（原有的结果与拒绝记录保持不变） (cannot write the results)", err=True)
        sys.exit(1)
    finally:
        if run is not None:
            run.close()


def _rows_hint(claims: Path) -> int | None:
    """The row count of a Parquet table from its footer, for the reading stage's bar (CSV: unknown)."""
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(claims).metadata.num_rows if claims.suffix.lower() in (".parquet", ".pq") else None
    except Exception:  # an unreadable file: Run reports it properly
        return None
