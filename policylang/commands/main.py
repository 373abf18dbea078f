"""The policylang command: a click group with one module per subcommand. Every failure is a located
Chinese message with an English gloss; usage errors exit 2, internal errors 3, never a traceback."""

from __future__ import annotations

import importlib
import sys

import click

from policylang.commands.messages import CONTEXT, echo_err

# The names users type, in the order the "no such command" hint lists them (`--help` sorts them), each with the module
# and attribute of its click command. A command's module is imported only when that command runs (or when
# `--help` lists every command), so `policylang batch` does not pay for the docs, LSP or verify imports.
COMMANDS = {"check": "check:check", "test": "test:test", "settle": "settle:settle_cmd", "doc": "doc:doc",
            "history": "history:history_cmd", "verify": "verify:verify_cmd", "diff": "diff:diff_cmd",
            "sample": "sample:sample_cmd", "batch": "batch:batch_cmd", "export": "export:export_cmd",
            "fmt": "fmt:fmt_cmd", "lsp": "lsp:lsp_cmd"}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use, keeping start-up to the one command run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attr = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(f"policylang.commands.{module}"), attr)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="policylang", message="policylang %(version)s")
def cli() -> None:
    """policylang：医保待遇规则的检查、测试与结算工具 (check, test and settle benefit rules).

    PATH 可以是一个脚本、一个地区目录，或包含多个地区目录的目录（如 regions/）。
    """


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
