"""The Spark engine (local[2]) writes the same output as the local engine."""

from __future__ import annotations

import shutil

import pytest
from batchcheck import ROOT, policy_of

from policylang.batch.generate import generate
from policylang.batch.tables import write_table
from policylang.commands.main import main

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # .ci/run installs Java 17; a bare machine without it cannot run Spark
    pytest.skip("Java is not installed", allow_module_level=True)


def test_spark_equals_local(tmp_path) -> None:
    region = ROOT / "tests" / "vocabulary" / "layers"
    policy = policy_of("layers")
    write_table(policy, generate(policy, 3_000, 300, seed=4), tmp_path / "c.csv")
    for engine in ("local", "spark"):
        main(["batch", str(region), str(tmp_path / "c.csv"), "-o", str(tmp_path / f"{engine}.csv"),
              "--engine", engine, "--master", "local[2]", "--chunk-rows", "1000"])
    assert (tmp_path / "local.csv").read_bytes() == (tmp_path / "spark.csv").read_bytes()
