"""policylang lsp: the language server for editors (VS Code, a bureau's WebIDE), over stdio."""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=CONTEXT)
@click.option("--stdio", is_flag=True, default=True, help="经标准输入输出通信（默认）(talk over stdio; the default).")
def lsp_cmd(stdio: bool) -> None:
    """启动语言服务器，供编辑器使用 (start the language server for editors).

    诊断、悬停说明、跳转定义、查找引用、补全、格式化、快速修复、大纲与“运行测试”。
    """
    from policylang.lsp.server import main  # late: pygls is only needed by editors

    main()
