"""How editors start the server: `policylang lsp` (VS Code adds --stdio) or `python -m policylang.lsp`."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from policylang.commands.main import cli


def test_help_is_in_chinese_with_a_gloss() -> None:
    result = CliRunner().invoke(cli, ["lsp", "--help"])
    assert result.exit_code == 0
    assert "启动语言服务器" in result.output and "--stdio" in result.output


def test_both_commands_serve_until_the_input_ends() -> None:
    for cmd in ([sys.executable, "-m", "policylang.lsp", "--stdio"],
                [sys.executable, "-c", "from policylang.commands.main import main; main(['lsp', '--stdio'])"]):
        result = subprocess.run(cmd, input=b"", capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr.decode()
        assert b"Traceback" not in result.stderr
