"""policylang: 医保待遇规则语言 — parse, check, compile and settle benefit rules written in Chinese.

The layout is the pipeline; each stage is a package with one public entry (docs/architecture.rst):

    source, diagnostics   text, spans, full-width folding; located Chinese messages (Diagnostic)
        │  Source
    syntax/               syntax.parser.parse: Source → ast.Module (Lark LALR, spans on every node)
        │  ast.Module
    resolve/              resolve.loader.load: path → Unit (files, 导入 imports, 继承 inheritance, names)
        │  Unit
    lower/                lower.compiler.compile_unit: Unit → Compiled (ir.Policy + test cases + diagnostics)
        │  ir.Policy
    ir/                   the contract every backend reads: nodes, units, rounding, lint, test cases
        │
    eval/    inputs/      eval.settle.settle: Policy + Person + claims → ClaimResult (with the trace);
        │                 inputs.claimfile / inputs.claimtable: files → Person, Claim (one reader each)
    api                   check_path: path → Checked (the front end composed), Regions for 异地就医
        │
    batch/ docs/ tools/   batch.engine.Run (claim tables at scale), docs.site.build_site (public pages),
        │                 tools: coverage, verify, diff, impact, history, fmt, reports, the pytest plugin
    lsp/                  lsp.server.main: the language server for editors (diagnostics, hover, tests)
        │
    commands/             commands.main.main: the `policylang` CLI, one module per subcommand

Nothing imports from a stage below it in this drawing (tests/architecture pins it), and `import
policylang.ir` loads no front end: the names below are imported from `api` on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylang.api import Checked, PolicyError, Regions, check_path, compile_path, settle

__all__ = ["Checked", "PolicyError", "Regions", "check_path", "compile_path", "settle"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """The public names, loaded from `api` (the whole front end) only when first asked for."""
    if name in __all__:
        value = getattr(importlib.import_module("policylang.api"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'policylang' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
