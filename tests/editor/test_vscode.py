"""The VS Code extension: a TextMate grammar generated from the Lark grammar (no drift), a manifest that
starts the language server, and the grammar's unit and snapshot tests run with node when it is there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from policylang.lsp import textmate
from policylang.syntax.parser import keywords

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"


def _manifest() -> dict:
    return json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))


def test_committed_textmate_grammar_is_the_generated_one() -> None:
    committed = (VSCODE / "syntaxes" / "policy.tmLanguage.json").read_text(encoding="utf-8")
    assert committed == textmate.render(), "the TextMate grammar drifted from grammar/policy.lark: run make vscode-grammar"


def test_every_keyword_of_the_lark_grammar_is_coloured() -> None:
    groups = textmate.keyword_groups()
    coloured = [w for words in groups.values() for w in words]
    assert sorted(coloured) == sorted(keywords())
    rules = textmate.grammar()["repository"]
    for name in ("keyword", "type", "constant"):
        pattern = rules[name]["match"]
        assert all(re.escape(w) in pattern for w in groups[name])


def test_manifest_wires_language_grammar_and_server() -> None:
    manifest = _manifest()
    [language] = manifest["contributes"]["languages"]
    [grammar] = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".policy"] and grammar["language"] == language["id"]
    assert grammar["scopeName"] == textmate.SCOPE
    assert (VSCODE / grammar["path"]).is_file() and (VSCODE / language["configuration"]).is_file()
    extension = (VSCODE / manifest["main"]).read_text(encoding="utf-8")
    assert '["-m", "policylang.lsp"]' in extension and '"policylang", args: ["lsp"]' in extension
    assert "policylang.interpreter" in manifest["contributes"]["configuration"]["properties"]


def test_language_configuration_knows_full_width_brackets_and_quotes() -> None:
    config = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"
    assert ["（", "）"] in config["brackets"]
    opens = {p["open"]: p["close"] for p in config["autoClosingPairs"]}
    assert opens["“"] == "”" and opens["《"] == "》" and opens['"'] == '"'


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """`npm ci` from the committed lock file, once; skipped where node and npm are not installed."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node/npm not installed")
    modules = VSCODE / "node_modules"
    if not (modules / ".bin" / "vscode-tmgrammar-test").exists():
        result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=VSCODE, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    return modules


def test_grammar_unit_and_snapshot_tests(node_modules: Path) -> None:
    result = subprocess.run(["npm", "test"], cwd=VSCODE, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "highlighting.policy run successfuly" in result.stdout
    assert "weihai.policy run successfully" in result.stdout


def test_extension_script_parses(node_modules: Path) -> None:
    result = subprocess.run(["node", "--check", str(VSCODE / "extension.js")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
