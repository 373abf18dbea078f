"""Shared helpers for the batch tests: the scalar evaluator's results as the kernel's columns."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np

from policylang import ir
from policylang.api import check_path
from policylang.batch.columns import Columns
from policylang.batch.kernel import MONEY, Settled, layer_names
from policylang.eval.settle import settle

ROOT = Path(__file__).resolve().parents[2]
REGIONS = sorted([*(ROOT / "regions").iterdir(), *(ROOT / "tests" / "vocabulary").iterdir()])
REGIONS = [r for r in REGIONS if r.is_dir() and any(r.glob("*.policy"))]


def compile_region(path: Path) -> ir.Policy:
    checked = check_path(path)
    assert checked.policy is not None, f"{path} does not compile"
    return checked.policy


def scalar_columns(policy: ir.Policy, cols: Columns) -> dict[str, list]:
    """Every output column, from settle() person by person (claims in input order)."""
    n = len(cols)
    results = [None] * n
    order = np.argsort(cols.person, kind="stable")
    cuts = np.nonzero(np.diff(cols.person[order]))[0] + 1
    for group in np.split(order, cuts):
        group = group[np.argsort(cols.row[group], kind="stable")]
        person, claims = cols.person_claims(group)
        for pos, r in zip(group, settle(policy, person, claims), strict=True):
            results[pos] = r
    out: dict[str, list] = {k: [] for k in ("方案", *MONEY, "津贴天数", "拒付原因", *layer_names(policy))}
    for r in results:
        assert r is not None
        out["方案"].append(r.scheme)
        for m in MONEY:
            out[m].append(r.output(m))
        out["津贴天数"].append(r.allowance_days)
        out["拒付原因"].append("；".join(r.refused))
        for name in layer_names(policy):
            out[name].append(r.output(name))
    return out


def batch_columns(policy: ir.Policy, s: Settled) -> dict[str, list]:
    names = [x.name for x in policy.schemes]
    out: dict[str, list] = {"方案": [names[i] if i >= 0 else None for i in s.scheme]}
    for m in MONEY:
        out[m] = s.money[m].tolist()
    out["津贴天数"] = s.days.tolist()
    out["拒付原因"] = list(s.reasons)
    for name in layer_names(policy):
        out[name] = [int(v) if ok else None for v, ok in zip(s.layers[name], s.layer_mask[name], strict=True)]
    return out


def assert_same(policy: ir.Policy, cols: Columns, s: Settled, expected: dict[str, list] | None = None) -> None:
    expected = expected or scalar_columns(policy, cols)
    got = batch_columns(policy, s)
    assert list(s.row) == list(cols.row)
    for name, want in expected.items():
        have = got[name]
        diff = [i for i, (a, b) in enumerate(zip(want, have, strict=True)) if a != b]
        assert not diff, (f"{name}: {len(diff)} rows differ; first at row {diff[0]}: scalar {want[diff[0]]!r}, "
                          f"batch {have[diff[0]]!r}")


@functools.cache
def policy_of(name: str) -> ir.Policy:
    """A region (regions/ or tests/vocabulary/) by folder name, compiled once per session."""
    return compile_region(next(p for p in REGIONS if p.name == name))


def run_cli(args: list[str]) -> int:
    """Run `policylang ARGS` in-process; its exit code."""
    from policylang.commands.main import main

    try:
        main(args)
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def read_csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))
