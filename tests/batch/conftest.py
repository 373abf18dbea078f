"""Fixtures of the batch tests: every region compiled once per session."""

from __future__ import annotations

import pytest
from batchcheck import REGIONS, compile_region

from policylang import ir


@pytest.fixture(scope="session")
def policies() -> dict[str, ir.Policy]:
    return {p.name: compile_region(p) for p in REGIONS}
