"""Helpers for the property tests: every region folder, compiled once, and small scripts compiled once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from conftest import compile_text

from policylang import ir
from policylang.api import compile_path

ROOT = Path(__file__).resolve().parents[2]
REGION_DIRS = sorted(d for base in (ROOT / "regions", ROOT / "tests" / "vocabulary") for d in base.iterdir()
                     if d.is_dir() and any(d.glob("*.policy")))
# the issue-9 mechanisms, each with an example region under tests/vocabulary
ISSUE9 = ("expressions", "counters", "fee_limits", "highest_level", "adjust_order", "accounts", "rounding_order",
          "periods", "residual_groups")


def label(d: Path) -> str:
    return f"{d.parent.name}/{d.name}"


@cache
def region(d: Path) -> ir.Policy:
    policy = compile_path(d)
    assert policy is not None, d
    return policy


@cache
def script(text: str) -> ir.Policy:
    policy = compile_text(text)
    assert policy is not None, text
    return policy


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


HEADER = '地区 测试市\n依据 《测试细则》\n舍入 {rounding}\n导入 "fields"\n'
