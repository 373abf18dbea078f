"""Where the grammar and the standard library live: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    bundled = _PKG / "_data" / name
    return bundled if bundled.is_dir() else _PKG.parent / name


def grammar_file() -> Path:
    return _find("grammar") / "policy.lark"


def stdlib_dir() -> Path:
    return _find("stdlib")
