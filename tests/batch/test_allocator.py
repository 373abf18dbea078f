"""The C allocator tuning of a batch run (batch/allocator.py): set on glibc, a no-op elsewhere."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from policylang.batch import allocator

_ROUNDS = """
import resource, sys, numpy as np
from policylang.batch.allocator import keep_freed_memory
if sys.argv[1] == "tuned":
    assert keep_freed_memory()
def round_():  # as a part does: many arrays of a few MB live at once, then all freed
    held = [np.ones(1 << 20) for _ in range(16)]
    del held
round_()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    round_()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _ROUNDS, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_glibc_keeps_freed_memory_for_reuse() -> None:
    """In fresh processes: five rounds of 128 MB of arrays allocated and freed fault every page in again
    untuned (about 160,000 pages), and almost none once the freed heap is kept."""
    assert _faults("untuned") > 20_000
    assert _faults("tuned") < 2_000


def test_elsewhere_it_does_nothing(monkeypatch) -> None:
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.keep_freed_memory() is False
