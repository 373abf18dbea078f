"""Every region: ≥100,000 generated claims settled by settle() and by the kernel agree to the 分."""

from __future__ import annotations

import pytest
from batchcheck import REGIONS, assert_same, policy_of

from policylang.batch.features import unsupported
from policylang.batch.generate import generate
from policylang.batch.kernel import settle_columns

N_CLAIMS = 100_000


@pytest.mark.parametrize("region", [r.name for r in REGIONS])
def test_batch_equals_scalar(region: str) -> None:
    policy = policy_of(region)
    cols = generate(policy, N_CLAIMS, N_CLAIMS // 8, seed=hash(region) % 1000)
    settled = settle_columns(policy, cols)
    assert_same(policy, cols, settled)
    # where the kernel implements a scheme, it (not the scalar fallback) must do most of the work
    static = {unsupported(policy, s) for s in policy.schemes} - {None}
    data_driven = sum(n for why, n in settled.scalar_persons.items() if why not in static)
    assert data_driven < 0.1 * (N_CLAIMS // 8), settled.scalar_persons
