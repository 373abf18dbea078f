"""Regions a settlement may need besides its own: the place of treatment (就医地) of a cross-region claim."""

from __future__ import annotations

from pathlib import Path

from policylang import ir
from policylang.resolve.confine import is_region, name_problem


def _regions_under(root: Path) -> list[Path]:
    """The region folders of a root: well named, holding a script, and not a link out of the root."""
    if not root.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for d in root.iterdir():
        real = d.resolve()
        if name_problem(d.name) is None and real.is_relative_to(real_root) and real.is_dir() and is_region(real):
            found.append(real)
    return found


class Regions:
    """Sibling regions, found by folder name or by 地区 name, compiled on first use."""

    def __init__(self, roots: list[Path]) -> None:
        self.dirs = sorted({d for r in roots for d in _regions_under(r)})
        self._compiled: dict[Path, ir.Policy | None] = {}

    @classmethod
    def near(cls, region: Path) -> Regions:
        """The regions beside a region folder (or beside a single script's folder)."""
        base = region if region.is_dir() else region.parent
        return cls([base.parent])

    def _policy(self, path: Path) -> ir.Policy | None:
        if path not in self._compiled:
            from policylang.api import check_path  # late: api imports settle, which takes a Regions

            self._compiled[path] = check_path(path).policy
        return self._compiled[path]

    def get(self, name: str) -> ir.Policy | None:
        for d in self.dirs:
            if d.name == name:
                return self._policy(d)
        for d in self.dirs:
            policy = self._policy(d)
            if policy is not None and policy.region == name:
                return policy
        return None
