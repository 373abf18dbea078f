"""The CI commands: `test` reports and coverage, `verify`, `diff` and `sample`. cli.py registers them."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import click

from policylang.api import Checked, check_path
from policylang.diagnostics import render_all, sort_key
from policylang.eval.harness import explain_failure
from policylang.ir import Policy
from policylang.tools import coverage as cov
from policylang.tools.reports import RegionRun, junit_xml, report_json, run_region

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _err(text: str) -> None:
    click.echo(text, err=True)


def _show(checked: Checked) -> None:
    errs = [d for d in checked.diagnostics if d.is_error]
    if errs:
        _err(render_all(errs, checked.unit.sources) + "\n")


def _print_region(run: RegionRun, verbose: bool) -> None:
    if not run.compiled:
        _show(run.checked)
        click.echo(f"✗ {run.root}: 无法编译，测试未运行 ({run.checked.errors} errors)")
        return
    for c in run.cases:
        o = c.outcome
        if o.passed:
            if verbose:
                click.echo(f"  ✓ {o.case.name}")
        else:
            click.echo(f"  ✗ {o.case.name}  〔{o.case.origin}〕")
            click.echo(explain_failure(o))
    mark = "✗" if run.failed else "✓"
    click.echo(f"{mark} {run.root}: {run.passed} 个测试通过，{run.failed} 个失败")


def run_tests(regions: list[Path], verbose: bool, junit_file: str | None, as_json: bool,
              with_coverage: bool, min_coverage: float | None) -> int:  # float ok: a percentage
    """Run every region's tests; print text or JSON, write JUnit if asked; the exit status."""
    runs = [run_region(r) for r in regions]
    passed = sum(r.passed for r in runs)
    failed = sum(r.failed for r in runs) + sum(not r.compiled for r in runs)
    below = []
    if min_coverage is not None:
        floor = Fraction(repr(min_coverage)) / 100
        below = [r for r in runs if r.coverage is not None and r.coverage.ratio < floor]
    if junit_file:
        try:
            Path(junit_file).write_text(junit_xml(runs), encoding="utf-8")
        except OSError as e:
            _err(f"错误：无法写入 {junit_file}（{e.strerror}） (cannot write the JUnit report)")
            return 2
    if as_json:
        click.echo(report_json(runs, with_coverage), nl=False)
    else:
        for run in runs:
            _print_region(run, verbose)
        click.echo(f"共 {passed + failed} 个测试：{passed} 通过，{failed} 失败")
        if with_coverage:
            for run in runs:
                if run.coverage is not None:
                    click.echo(cov.render(run.coverage))
    for run in below:
        assert run.coverage is not None
        _err(f"✗ {run.root}: 覆盖率 {cov.percent(run.coverage.ratio)} 低于要求的 {min_coverage:g}% "
             f"(coverage below the minimum)")
    return 1 if failed or below else 0


def compile_or_exit(path: Path) -> Policy:
    checked = check_path(path)
    if checked.policy is None:
        _show(checked)
        _err(f"✗ {checked.unit.root}: 无法编译 ({checked.errors} errors)")
        sys.exit(1)
    return checked.policy


def show_table_errors(diags) -> None:
    """Claim-table problems, one located line each (a table has no source lines to quote)."""
    for d in sorted(diags, key=sort_key):
        hint = f"\n  提示: {d.help}" if d.help else ""
        _err(f"{d.headline()}{hint}")


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子 (random seed).")
@click.option("-n", "--examples", type=click.IntRange(1), default=40, show_default=True,
              help="每种人员组合生成的就诊序列数 (claim sequences per person combination).")
def verify_cmd(paths: tuple[str, ...], seed: int, examples: int) -> None:
    """在生成的就诊上检查不变量 (check invariants on generated claims).

    \b
    对脚本中枚举的每种组合、一系列金额与日期生成就诊，检查：
      统筹支付不超过费用、不为负；每条封顶线在期间内成立；
      同一年内费用增加，支付不减少；每一层最多支付上一层剩下的部分；
      结果与不同参保人就诊的交错顺序无关。
    违反时给出最小的反例就诊序列及其结算过程；退出码为 1。
    """
    from policylang.resolve.loader import region_dirs
    from policylang.tools.verify import render_violation, verify

    bad = 0
    for region in region_dirs([Path(p) for p in paths]):
        policy = compile_or_exit(region)
        report = verify(policy, seed=seed, examples=examples)
        if report.violation is None:
            click.echo(f"✓ {region}: {report.sequences} 个就诊序列、{report.claims} 次就诊，不变量全部成立 "
                       f"(all invariants hold)")
        else:
            bad += 1
            click.echo(f"✗ {region}: 不变量不成立 (invariant violated)")
            click.echo(render_violation(report.violation))
    sys.exit(1 if bad else 0)


@click.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="[OLD] NEW")
@click.option("--base", metavar="GITREF", help="与 git 版本比较 (compare NEW with this git revision).")
@click.option("--claims", "claims_file", metavar="FILE",
              help="理赔表 CSV/Parquet：在新旧两版下结算并比较 (settle a claim table under both versions).")
@click.option("-o", "--output", metavar="FILE", help="把 Markdown 写入文件 (write the Markdown to FILE).")
def diff_cmd(paths: tuple[str, ...], base: str | None, claims_file: str | None, output: str | None) -> None:
    """比较两个版本的规则，输出中文 Markdown (semantic diff of two versions, as Markdown).

    \b
    policylang diff OLD NEW                 两个文件或目录
    policylang diff --base main regions/    工作区与 git 版本比较
    只报告参数与规则的变化；仅改格式、注释或顺序不算变化。
    """
    from policylang.commands.diff import run_diff

    sys.exit(run_diff(paths, base, claims_file, output))


@click.command(context_settings=CONTEXT)
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
        _err(f"错误：无法写入 {output}：{e} (cannot write the sample)")
        sys.exit(1)
    people = len({r["参保人ID"] for r in table})
    click.echo(f"已写入 {output}：{len(table)} 条就诊，{people} 位参保人 (seed {seed})")
