"""The policylang command: a click group with one module per subcommand. Every failure is a located
Chinese message with an English gloss; usage errors exit 2, internal errors 3, never a traceback."""

from __future__ import annotations

import sys

import click

from policylang.commands.batch import batch_cmd
from policylang.commands.check import check
from policylang.commands.diff import diff_cmd
from policylang.commands.doc import doc
from policylang.commands.export import export_cmd
from policylang.commands.fmt import fmt_cmd
from policylang.commands.history import history_cmd
from policylang.commands.lsp import lsp_cmd
from policylang.commands.messages import CONTEXT, echo_err
from policylang.commands.sample import sample_cmd
from policylang.commands.settle import settle_cmd
from policylang.commands.test import test
from policylang.commands.verify import verify_cmd


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="policylang", message="policylang %(version)s")
def cli() -> None:
    """policylang：医保待遇规则的检查、测试与结算工具 (check, test and settle benefit rules).

    PATH 可以是一个脚本、一个地区目录，或包含多个地区目录的目录（如 regions/）。
    """


# The names users type, in the order the "no such command" hint lists them.
COMMANDS = {"check": check, "test": test, "settle": settle_cmd, "doc": doc, "history": history_cmd,
            "verify": verify_cmd, "diff": diff_cmd, "sample": sample_cmd, "batch": batch_cmd,
            "export": export_cmd, "fmt": fmt_cmd, "lsp": lsp_cmd}
for _name, _command in COMMANDS.items():
    cli.add_command(_command, _name)


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
        return f"没有这个子命令；可用的命令：{'、'.join(COMMANDS)}"
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
        echo_err(f"错误：命令行参数无效：{_usage_zh(e)} (invalid command-line usage: {e.format_message()}){hint}")
        sys.exit(2)
    except click.exceptions.Abort:
        echo_err("已中断 (aborted)")
        sys.exit(130)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        echo_err(f"错误：{e.format_message()}")
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # a bug of ours: say so plainly, never a traceback
        echo_err(f"错误：policylang 内部错误（{type(e).__name__}: {e}），请把这条信息和所用的脚本报告给维护者 "
                 f"(internal error; please report it)")
        sys.exit(3)
