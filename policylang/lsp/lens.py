"""The "运行测试" code lens: one per test block; running it settles the test and reports the first difference."""

from __future__ import annotations

from pathlib import Path

import attrs
from lsprotocol import types as lsp

from policylang.api import Regions
from policylang.eval.harness import run_case
from policylang.lsp.analysis import Analysis
from policylang.lsp.convert import span_range
from policylang.syntax import ast

RUN_TEST = "policylang.runTest"


@attrs.frozen
class TestRun:
    """What the editor shows after running one test: pass/fail and the first difference."""

    name: str
    passed: bool
    message: str

    def as_json(self) -> dict:
        return {"name": self.name, "passed": self.passed, "message": self.message}


def lenses(uri: str, module: ast.Module, last: dict[str, TestRun]) -> list[lsp.CodeLens]:
    out = []
    for item in module.items:
        if isinstance(item, ast.Test):
            run = last.get(item.name)
            title = "▶ 运行测试" if run is None else f"▶ 运行测试 · {'✓ 通过' if run.passed else '✗ ' + run.message}"
            cmd = lsp.Command(title=title, command=RUN_TEST, arguments=[uri, item.name])
            out.append(lsp.CodeLens(range=span_range(item.span), command=cmd))
    return out


def run_test(analysis: Analysis, path: Path, name: str) -> TestRun:
    if analysis.policy is None:
        errors = [d for d in analysis.checked.diagnostics if d.is_error]
        first = errors[0].headline() if errors else "地区无法编译"
        return TestRun(name, False, f"无法运行：地区有 {len(errors)} 个错误，第一个：{first}")
    case = next((c for c in analysis.checked.compiled.tests
                 if c.name == name and c.origin and Path(c.origin.file).resolve() == path), None)
    if case is None:
        return TestRun(name, False, f"找不到测试“{name}” (test not found)")
    outcome = run_case(analysis.policy, case, Regions.near(analysis.root if analysis.root.is_dir() else path.parent))
    if outcome.passed:
        return TestRun(name, True, "通过 (passed)")
    f = outcome.failures[0]
    where = f"{f.origin}: " if f.origin else ""
    return TestRun(name, False, f"{where}{f.what} {f.output}：期望 {f.expected}，实际 {f.actual}"
                                f"（共 {len(outcome.failures)} 处不同）")
