"""Every region: generated claims settled by settle() and by the kernel agree to the 分.

The default run settles 10,000 claims per region so the suite stays fast; the large run (100,000 claims,
marked `slow`, deselected by default) is `pytest -m slow tests/batch`, and POLICYLANG_DIFF_CLAIMS=N sets
its size. Seeds derive from the region's name with zlib.crc32, so a failure reproduces on the next run.
"""

from __future__ import annotations

import os
import zlib

import pytest
from batchcheck import REGIONS, assert_same, policy_of

from policylang.batch.features import unsupported
from policylang.batch.generate import generate
from policylang.batch.settle import settle_columns

N_CLAIMS = 10_000
N_LARGE = int(os.environ.get("POLICYLANG_DIFF_CLAIMS", "100000"))


def seed_of(region: str) -> int:
    return zlib.crc32(region.encode("utf-8")) % 1000


def check_region(region: str, n_claims: int) -> None:
    policy = policy_of(region)
    cols = generate(policy, n_claims, n_claims // 8, seed=seed_of(region))
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    # where the kernel implements a scheme, it (not the scalar fallback) must do most of the work
    static = {unsupported(policy, s) for s in policy.schemes} - {None}
    data_driven = sum(n for why, n in settled.scalar_persons.items() if why not in static)
    assert data_driven < 0.1 * (n_claims // 8), settled.scalar_persons


@pytest.mark.parametrize("region", [r.name for r in REGIONS])
def test_batch_equals_scalar(region: str) -> None:
    check_region(region, N_CLAIMS)


@pytest.mark.slow
@pytest.mark.parametrize("region", [r.name for r in REGIONS])
def test_batch_equals_scalar_large(region: str) -> None:
    check_region(region, N_LARGE)


def test_seeds_do_not_depend_on_the_process() -> None:
    assert seed_of("suizhou") == 805  # hash() would differ from run to run (PYTHONHASHSEED)
