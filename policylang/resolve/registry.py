"""Regions a settlement may need besides its own: the place of treatment (就医地) of a cross-region claim."""

from __future__ import annotations

from pathlib import Path

from policylang import ir
from policylang.resolve.loader import SUFFIX


class Regions:
    """Sibling regions, found by folder name or by 地区 name, compiled on first use."""

    def __init__(self, roots: list[Path]) -> None:
        self.dirs = sorted({d.resolve() for r in roots if r.is_dir() for d in r.iterdir()
                            if d.is_dir() and any(d.glob(f"*{SUFFIX}"))})
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
