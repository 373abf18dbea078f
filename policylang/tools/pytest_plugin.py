"""pytest collects the test blocks of *.policy scripts, so the project's test command runs every region's tests.

Each test block runs on both backends, `[scalar]` (eval.settle) and `[batch]` (the batch kernel), against the
same expectations. A batch item whose claims the kernel hands to the scalar fallback says so in its id
(`[batch-scalar-fallback]`); one the batch backend cannot express at all (a claim treated in another region,
whose catalogue a batch does not have; a test with no claims) is skipped with the reason.

A script under a folder named `golden` or `fixtures` is test input, not a region, and is not collected.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from policylang.api import Checked, Regions, check_path
from policylang.diagnostics import render_all
from policylang.eval.harness import SettleClaims, explain_failure, run_case
from policylang.ir.cases import TestCase
from policylang.resolve.loader import SUFFIX, display_path

_SKIP_DIRS = {"golden", "fixtures"}
BACKENDS = ("scalar", "batch")


@functools.cache
def _checked(region: Path) -> Checked:
    return check_path(region)


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix != SUFFIX or _SKIP_DIRS & set(file_path.parts):
        return None
    return PolicyFile.from_parent(parent, path=file_path)


def _batch_cannot(checked: Checked, case: TestCase) -> str | None:
    """Why the batch backend cannot settle this test's claims at all, or None."""
    assert checked.policy is not None
    if not case.claims:
        return "没有就诊，缴费与询问不经批量结算 (no claims: payments and questions have no batch path)"
    region = checked.policy.region
    for tc in case.claims:
        place = dict(tc.claim.facts).get("就医地") or case.person.fact_map().get("就医地")
        if place and place != region:
            return (f"就医地“{place}”是另一地区，批量结算没有其他地区的目录 "
                    f"(a claim treated in another region: a batch has no other regions' catalogues)")
    return None


def _batch_fallback(checked: Checked, case: TestCase) -> tuple[str, ...]:
    """Why the kernel sends any of the test's claims to the scalar fallback (empty: it settles them all)."""
    from policylang.batch.persons import settle_person  # numpy and pandas: only when batch items run

    assert checked.policy is not None
    try:
        return settle_person(checked.policy, case.person, [tc.claim for tc in case.claims]).fallback
    except Exception:  # the item itself reports the error when it runs
        return ()


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
            if case.origin is None or case.origin.file != mine:
                continue
            yield PolicyTestItem.from_parent(self, name=f"{case.name}[scalar]", checked=checked, case=case,
                                             backend="scalar")
            cannot = _batch_cannot(checked, case)
            fallback = () if cannot else _batch_fallback(checked, case)
            item = PolicyTestItem.from_parent(
                self, name=f"{case.name}[batch-scalar-fallback]" if fallback else f"{case.name}[batch]",
                checked=checked, case=case, backend="batch")
            if cannot:
                item.add_marker(pytest.mark.skip(reason=cannot))
            yield item


class PolicyTestFailed(Exception):
    pass


class PolicyCheckItem(pytest.Item):
    def __init__(self, *, checked: Checked, **kw) -> None:
        super().__init__(**kw)
        self.checked = checked
        self.funcargs: dict = {}  # no fixtures; plugins such as pytest-lsp 1.0 expect the attribute

    def runtest(self) -> None:
        errors = [d for d in self.checked.diagnostics if d.is_error]
        raise PolicyTestFailed(render_all(errors, self.checked.unit.sources))

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, f"{self.path.name}::check"


class PolicyTestItem(pytest.Item):
    def __init__(self, *, checked: Checked, case: TestCase, backend: str, **kw) -> None:
        super().__init__(**kw)
        self.checked = checked
        self.case = case
        self.backend = backend
        self.funcargs: dict = {}  # no fixtures; plugins such as pytest-lsp 1.0 expect the attribute

    def _settle(self) -> SettleClaims:
        if self.backend == "batch":
            from policylang.batch.persons import settle

            return settle
        from policylang.eval.settle import settle

        return settle

    def runtest(self) -> None:
        assert self.checked.policy is not None
        outcome = run_case(self.checked.policy, self.case, Regions.near(self.path.parent), self._settle())
        if not outcome.passed:
            raise PolicyTestFailed(f"测试“{self.case.name}”失败（{self.backend}）\n{explain_failure(outcome)}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PolicyTestFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        line = self.case.origin.line - 1 if self.case.origin else 0
        return self.path, line, f"测试 {self.case.name} [{self.backend}]"
