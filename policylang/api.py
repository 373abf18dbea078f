"""The small public entry points: load and compile a region, settle claims."""

from __future__ import annotations

from pathlib import Path

from policylang.compiler import Compiled, compile_unit
from policylang.loader import Unit, load
from policylang.settle import ClaimResult, settle


def load_region(path: str | Path) -> tuple[Unit, Compiled]:
    """Load, parse, resolve and compile the region at path (a script or a folder)."""
    unit = load(Path(path))
    return unit, compile_unit(unit)


__all__ = ["ClaimResult", "Compiled", "load_region", "settle"]
