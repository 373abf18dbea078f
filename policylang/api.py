"""The small public entry points: check and compile a region, settle claims, run a region's tests."""

from __future__ import annotations

from pathlib import Path

import attrs

from policylang.diagnostics import Diagnostic, sort_key
from policylang.eval.settle import ClaimResult, settle
from policylang.ir import Policy
from policylang.ir.lint import lint
from policylang.lower.compiler import Compiled, compile_unit
from policylang.resolve.loader import Unit, load


@attrs.frozen
class Checked:
    """A region after every stage up to the IR: the sources, the result, all diagnostics in order."""

    unit: Unit
    compiled: Compiled
    diagnostics: tuple[Diagnostic, ...]

    @property
    def policy(self) -> Policy | None:
        return self.compiled.policy

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def check_path(path: str | Path) -> Checked:
    """Load, parse, resolve, compile and lint the region at path (a script or a folder)."""
    unit = load(Path(path))
    compiled = compile_unit(unit)
    diags = list(compiled.diagnostics)
    if compiled.policy is not None:
        diags += lint(compiled.policy)
    return Checked(unit, compiled, tuple(sorted(diags, key=sort_key)))


def compile_path(path: str | Path) -> Policy:
    """The compiled policy of a region; raises PolicyError listing every error if it does not compile."""
    checked = check_path(path)
    if checked.policy is None:
        raise PolicyError(checked)
    return checked.policy


class PolicyError(Exception):
    """A region that does not compile; str() renders every diagnostic."""

    def __init__(self, checked: Checked) -> None:
        from policylang.diagnostics import render_all

        self.checked = checked
        super().__init__(render_all([d for d in checked.diagnostics if d.is_error], checked.unit.sources))


__all__ = ["Checked", "ClaimResult", "PolicyError", "check_path", "compile_path", "settle"]
