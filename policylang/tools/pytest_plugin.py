"""pytest collects the test blocks of *.policy scripts, so the project's test command runs every region's tests.

A script under a folder named `golden` or `fixtures` is test input, not a region, and is not collected.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from policylang.api import Checked, check_path
from policylang.diagnostics import render_all
from policylang.eval.harness import explain_failure, run_case
from policylang.ir.cases import TestCase
from policylang.resolve.loader import SUFFIX, display_path
from policylang.resolve.registry import Regions

_SKIP_DIRS = {"golden", "fixtures"}


@functools.cache
def _checked(region: Path) -> Checked:
    return check_path(region)


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix != SUFFIX or _SKIP_DIRS & set(file_path.parts):
        return None
    return PolicyFile.from_parent(parent, path=file_path)


class PolicyFile(pytest.File):
    def collect(self):
        checked = _checked(self.path.parent)
        if checked.policy is None:
            if any(d.is_error and d.span and Path(d.span.file).resolve() == self.path.resolve()
                   for d in checked.diagnostics) or not checked.compiled.tests:
                yield PolicyCheckItem.from_parent(self, name="check", checked=checked)
            return
        mine = display_path(self.path)
        for case in checked.compiled.tests:
            if case.origin is not None and case.origin.file == mine:
                yield PolicyTestItem.from_parent(self, name=case.name, checked=checked, case=case)


class PolicyTestFailed(Exception):
    pass


class PolicyCheckItem(pytest.Item):
    def __init__(self, *, checked: Checked, **kw) -> None:
        super().__init__(**kw)
        self.checked = checked
        self.funcargs: dict = {}  # pytest-lsp's runtest_call wrapper does not yield for items without funcargs

    def runtest(self) -> None:
        errors = [d for d in self.checked.diagnostics if d.is_error]
        raise PolicyTestFailed(render_all(errors, self.checked.unit.sources))

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, f"{self.path.name}::check"


class PolicyTestItem(pytest.Item):
    def __init__(self, *, checked: Checked, case: TestCase, **kw) -> None:
        super().__init__(**kw)
        self.checked = checked
        self.case = case
        self.funcargs: dict = {}  # as above (pytest-lsp 1.0)

    def runtest(self) -> None:
        assert self.checked.policy is not None
        outcome = run_case(self.checked.policy, self.case, Regions.near(self.path.parent))
        if not outcome.passed:
            raise PolicyTestFailed(f"测试“{self.case.name}”失败\n{explain_failure(outcome)}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PolicyTestFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        line = self.case.origin.line - 1 if self.case.origin else 0
        return self.path, line, f"测试 {self.case.name}"
