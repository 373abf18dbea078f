"""The scripts every formatter property runs over: regions/, stdlib/ and tests/vocabulary/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TREES = ("regions", "stdlib", "tests/vocabulary")
SCRIPTS = sorted(p for tree in TREES for p in (ROOT / tree).rglob("*.policy"))


def label(path: Path) -> str:
    return str(path.relative_to(ROOT))
