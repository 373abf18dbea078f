"""The front end composed: check and compile a region (source → IR), settle claims, and the sibling regions
(`Regions`) a cross-region settlement compiles on demand. Every later stage enters the pipeline here."""

from __future__ import annotations

from pathlib import Path

import attrs

from policylang.diagnostics import Diagnostic, sort_key
from policylang.eval.settle import ClaimResult, settle
from policylang.ir import Policy
from policylang.ir.lint import lint
from policylang.lower.compiler import Compiled, compile_unit
from policylang.resolve.confine import regions_under
from policylang.resolve.loader import DISK, Reader, Unit, load


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


def check_path(path: str | Path, reader: Reader = DISK) -> Checked:
    """Load, parse, resolve, compile and lint the region at path (a script or a folder); `reader` gives the
    scripts' text (an editor's unsaved buffers; the files on disk by default)."""
    unit = load(Path(path), reader=reader)
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


class Regions:
    """Sibling regions, found by folder name or by 地区 name, compiled on first use: the places of treatment
    (就医地) of cross-region claims. It compiles, so it lives with check_path rather than in resolve/."""

    def __init__(self, roots: list[Path]) -> None:
        self.dirs = sorted({d for r in roots for d in regions_under(r)})
        self._compiled: dict[Path, Policy | None] = {}

    @classmethod
    def near(cls, region: Path) -> Regions:
        """The regions beside a region folder (or beside a single script's folder)."""
        base = region if region.is_dir() else region.parent
        return cls([base.parent])

    def _policy(self, path: Path) -> Policy | None:
        if path not in self._compiled:
            self._compiled[path] = check_path(path).policy
        return self._compiled[path]

    def get(self, name: str) -> Policy | None:
        for d in self.dirs:
            if d.name == name:
                return self._policy(d)
        for d in self.dirs:
            policy = self._policy(d)
            if policy is not None and policy.region == name:
                return policy
        return None


__all__ = ["Checked", "ClaimResult", "PolicyError", "Regions", "check_path", "compile_path", "settle"]
