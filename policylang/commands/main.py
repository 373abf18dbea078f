"""The policylang command: check, test and settle regions. Every failure is a located Chinese message."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from policylang.api import Checked, check_path
from policylang.commands.batch import batch_cmd
from policylang.commands.doc import doc as doc_cmd
from policylang.commands.fmt import fmt_cmd
from policylang.commands.history import history_cmd
from policylang.commands.lsp import lsp_cmd
from policylang.diagnostics import render, render_all, sort_key
from policylang.eval.settle import ClaimResult, settle
from policylang.inputs.claimfile import read_claims
from policylang.ir.units import fmt_plain, fmt_yuan
from policylang.resolve.loader import region_dirs
from policylang.resolve.registry import Regions

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _echo_err(text: str) -> None:
    click.echo(text, err=True)


def _regions(paths: tuple[str, ...]) -> list[Path]:
    return region_dirs([Path(p) for p in paths])


def _show_diagnostics(checked: Checked, warnings: bool = True) -> None:
    diags = [d for d in checked.diagnostics if warnings or d.is_error]
    if diags:
        _echo_err(render_all(diags, checked.unit.sources) + "\n")


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="policylang", message="policylang %(version)s")
def cli() -> None:
    """policylang：医保待遇规则的检查、测试与结算工具 (check, test and settle benefit rules).

    PATH 可以是一个脚本、一个地区目录，或包含多个地区目录的目录（如 regions/）。
    """


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("-q", "--quiet", is_flag=True, help="只显示错误，不显示警告 (errors only).")
def check(paths: tuple[str, ...], quiet: bool) -> None:
    """检查脚本：报告全部错误与警告 (report every error and warning).

    有错误时退出码为 1；只有警告时为 0。
    """
    failed = False
    for region in _regions(paths):
        checked = check_path(region)
        _show_diagnostics(checked, warnings=not quiet)
        failed |= checked.errors > 0
        mark = "✗" if checked.errors else "✓"
        click.echo(f"{mark} {checked.unit.root}: {checked.errors} 个错误，{checked.warnings} 个警告")
    sys.exit(1 if failed else 0)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH…")
@click.option("-v", "--verbose", is_flag=True, help="列出每个测试 (list every test).")
@click.option("--junit", "junit_file", metavar="FILE", help="写出 JUnit XML 报告 (write a JUnit XML report).")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果 (machine-readable output).")
@click.option("--coverage", "with_coverage", is_flag=True, help="报告规则覆盖率 (report rule coverage).")
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="N",
              help="任一地区覆盖率低于 N% 时失败 (fail below N% coverage; implies --coverage).")
def test(paths: tuple[str, ...], verbose: bool, junit_file: str | None, as_json: bool, with_coverage: bool,
         min_coverage: float | None) -> None:  # float ok: a percentage
    """运行脚本中的测试块 (run the test blocks written beside the rules).

    失败时显示期望值与实际值以及结算过程；有失败（或覆盖率不足）时退出码为 1。
    """
    from policylang.commands import ci as commands

    sys.exit(commands.run_tests(_regions(paths), verbose, junit_file, as_json,
                                with_coverage or min_coverage is not None, min_coverage))


def _result_json(r: ClaimResult) -> dict:
    out = {
        "日期": r.claim.date.isoformat(),
        "方案": r.scheme,
        "费用": fmt_plain(r.cost),
        "起付线": fmt_plain(r.deductible),
        "统筹支付": fmt_plain(r.fund),
        "个人自付": fmt_plain(r.personal),
        "全自费": fmt_plain(r.excluded),
        "先行自付": fmt_plain(r.first_paid),
        "政策范围内费用": fmt_plain(r.policy_range),
        "基金支付": fmt_plain(r.total_fund),
        "分层": {ls.name: fmt_plain(ls.paid) for ls in r.layers},
        "说明": [t.render() for t in r.trace],
    }
    if r.refused:
        out["不予支付原因"] = list(r.refused)
    if r.allowance_days:
        out["津贴天数"] = r.allowance_days
        out["津贴"] = fmt_plain(r.allowance)
    return out


def _print_table(results: tuple[ClaimResult, ...]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="结算结果 (settlement)")
    for col in ("#", "日期", "方案", "费用", "起付线", "统筹支付", "个人自付"):
        table.add_column(col, justify="right" if col not in ("日期", "方案") else "left")
    for i, r in enumerate(results, 1):
        table.add_row(str(i), r.claim.date.isoformat(), r.scheme or "—", fmt_yuan(r.cost),
                      fmt_yuan(r.deductible), fmt_yuan(r.fund), fmt_yuan(r.personal))
    console = Console(soft_wrap=True)
    console.print(table)
    for i, r in enumerate(results, 1):
        console.print(f"\n[bold]第 {i} 次就诊 {r.claim.date}[/bold]", highlight=False)
        for line in r.trace:
            console.print(f"  {line.render()}", highlight=False, markup=False)


@cli.command(context_settings=CONTEXT)
@click.argument("path", metavar="PATH")
@click.option("--claims", "claims_file", required=True, metavar="FILE", help="理赔文件 (JSON claim file).")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 (machine-readable output).")
def settle_cmd(path: str, claims_file: str, as_json: bool) -> None:
    """结算一位参保人的就诊记录，并说明每一步 (settle claims with an explanation).

    \b
    理赔文件示例 (claim file):
    {"参保人": {"险种": "职工医保", "人员类别": "在职"},
     "就诊": [{"日期": "2024-03-01", "就医类型": "普通门诊", "医院等级": "二级", "费用": "2000"}]}
    """
    checked = check_path(Path(path))
    if checked.policy is None:
        _show_diagnostics(checked, warnings=False)
        sys.exit(1)
    cf = read_claims(Path(claims_file), checked.policy)
    if cf.diagnostics or cf.person is None:
        sources = {cf.source.path: cf.source}
        _echo_err("\n\n".join(render(d, sources) for d in sorted(cf.diagnostics, key=sort_key)))
        sys.exit(1)
    results = settle(checked.policy, cf.person, cf.claims, Regions.near(Path(path)))
    if as_json:
        total = sum(r.fund for r in results)
        doc = {"就诊": [_result_json(r) for r in results], "合计": {"统筹支付": fmt_plain(total),
               "个人自付": fmt_plain(sum(r.personal for r in results))}}
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _print_table(results)


settle_cmd.name = "settle"
cli.add_command(settle_cmd, "settle")
cli.add_command(doc_cmd)
cli.add_command(history_cmd)


def _register_ci_commands() -> None:
    from policylang.commands.ci import diff_cmd, sample_cmd, verify_cmd

    cli.add_command(verify_cmd, "verify")
    cli.add_command(diff_cmd, "diff")
    cli.add_command(sample_cmd, "sample")


_register_ci_commands()
cli.add_command(batch_cmd, "batch")
cli.add_command(fmt_cmd, "fmt")
cli.add_command(lsp_cmd, "lsp")


def _usage_zh(e: click.UsageError) -> str:
    """The Chinese sentence for a usage error; click's English goes in the gloss."""
    if isinstance(e, click.exceptions.NoSuchOption):
        near = f"，是否想写 {e.possibilities[0]}？" if e.possibilities else ""
        return f"没有选项 {e.option_name}{near}"
    if isinstance(e, click.exceptions.MissingParameter):
        name = e.param.opts[0] if e.param and getattr(e.param, "opts", None) else "参数"
        return f"缺少 {name}"
    if isinstance(e, click.exceptions.BadOptionUsage):
        return f"选项 {e.option_name} 用法不对"
    if isinstance(e, click.exceptions.BadParameter):
        return "参数值无效"
    if "No such command" in e.format_message():
        return "没有这个子命令；可用的命令：check、test、settle、doc、history、verify、diff、sample、batch"
    return "参数不正确"


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors in Chinese with an English gloss, exit status 2, never a traceback."""
    try:
        cli.main(args=argv, prog_name="policylang", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as e:
        click.echo(e.ctx.get_help() if e.ctx else str(e))
        sys.exit(2)
    except click.UsageError as e:
        hint = f"\n{e.ctx.get_usage()}\n运行 “{e.ctx.command_path} --help” 查看帮助。" if e.ctx else ""
        _echo_err(f"错误：命令行参数无效：{_usage_zh(e)} (invalid command-line usage: {e.format_message()}){hint}")
        sys.exit(2)
    except click.exceptions.Abort:
        _echo_err("已中断 (aborted)")
        sys.exit(130)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        _echo_err(f"错误：{e.format_message()}")
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # a bug of ours: say so plainly, never a traceback
        _echo_err(f"错误：policylang 内部错误（{type(e).__name__}: {e}），请把这条信息和所用的脚本报告给维护者 "
                  f"(internal error; please report it)")
        sys.exit(3)
