"""`policylang test PATH…`: run the test blocks written beside the rules; text, JSON and JUnit reports."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import click

from policylang.commands.messages import CONTEXT, echo, echo_err, regions_or_exit, show_diagnostics
from policylang.eval.harness import explain_failure
from policylang.tools import coverage as cov
from policylang.tools.reports import RegionRun, junit_xml, report_json, run_region


def _print_region(run: RegionRun, verbose: bool, strict: bool) -> None:
    if not run.compiled:
        show_diagnostics(run.checked, warnings=False)
        echo(f"✗ {run.root}: 无法编译，没有运行任何测试 (does not compile; no test ran; {run.checked.errors} errors)")
        return
    if run.checked.warnings:
        show_diagnostics(run.checked)
        if strict:
            echo(f"✗ {run.root}: {run.checked.warnings} 个警告（--strict：警告按错误处理）")
    for c in run.cases:
        o = c.outcome
        if o.passed:
            if verbose:
                echo(f"  ✓ {o.case.name}")
        else:
            echo(f"  ✗ {o.case.name}  〔{o.case.origin}〕")
            echo(explain_failure(o))
    mark = "✗" if run.failed or (strict and run.checked.warnings) else "✓"
    echo(f"{mark} {run.root}: {run.passed} 个测试通过，{run.failed} 个失败")


def run_tests(regions: list[Path], verbose: bool, junit_file: str | None, as_json: bool,
              with_coverage: bool, min_coverage: float | None, strict: bool = False) -> int:  # float ok: a percentage
    """Run every region's tests; print text or JSON, write JUnit if asked; the exit status.

    A region that does not compile runs no test: it is reported as such, not counted as a failed test.
    strict: a region with warnings fails too (for CI)."""
    runs = [run_region(r) for r in regions]
    passed = sum(r.passed for r in runs)
    failed = sum(r.failed for r in runs)
    broken = sum(not r.compiled for r in runs)
    warned = sum(r.compiled and r.checked.warnings > 0 for r in runs) if strict else 0
    below = []
    if min_coverage is not None:
        floor = Fraction(repr(min_coverage)) / 100
        below = [r for r in runs if r.coverage is not None and r.coverage.ratio < floor]
    if junit_file:
        try:
            Path(junit_file).write_text(junit_xml(runs), encoding="utf-8")
        except OSError as e:
            echo_err(f"错误：无法写入 {junit_file}（{e.strerror}） (cannot write the JUnit report)")
            return 2
    if as_json:
        click.echo(report_json(runs, with_coverage), nl=False)  # JSON escapes control characters itself
    else:
        for run in runs:
            _print_region(run, verbose, strict)
        more = f"；{broken} 个地区无法编译，其测试未运行 (not compiled, not run)" if broken else ""
        echo(f"共 {passed + failed} 个测试：{passed} 通过，{failed} 失败{more}")
        if with_coverage:
            for run in runs:
                if run.coverage is not None:
                    echo(cov.render(run.coverage))
    for run in below:
        assert run.coverage is not None
        echo_err(f"✗ {run.root}: 覆盖率 {cov.percent(run.coverage.ratio)} 低于要求的 {min_coverage:g}% "
                 f"(coverage below the minimum)")
    return 1 if failed or broken or warned or below else 0


@click.command("test", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("-v", "--verbose", is_flag=True, help="列出每个测试 (list every test).")
@click.option("--junit", "junit_file", metavar="FILE", help="写出 JUnit XML 报告 (write a JUnit XML report).")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果 (machine-readable output).")
@click.option("--coverage", "with_coverage", is_flag=True, help="报告规则覆盖率 (report rule coverage).")
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="N",
              help="任一地区覆盖率低于 N% 时失败 (fail below N% coverage; implies --coverage).")
@click.option("--strict", is_flag=True, help="脚本有警告也算失败，供持续集成使用 (warnings fail, for CI).")
def test(paths: tuple[str, ...], verbose: bool, junit_file: str | None, as_json: bool, with_coverage: bool,
         min_coverage: float | None, strict: bool) -> None:  # float ok: a percentage
    """运行脚本中的测试块 (run the test blocks written beside the rules).

    失败时显示期望值与实际值以及结算过程；有失败（或覆盖率不足）时退出码为 1。
    """
    sys.exit(run_tests(regions_or_exit(paths), verbose, junit_file, as_json,
                       with_coverage or min_coverage is not None, min_coverage, strict))
