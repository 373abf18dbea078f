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


@pytest.mark.slow  # two Spark runs: about 20 s alone, a minute on a loaded machine
def test_spark_takes_typed_parquet_columns(tmp_path) -> None:
    """Dates, decimals, signed and unsigned integers and enumerations reach each partition as Spark reads
    them, and the result is the local engine's."""
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    region = ROOT / "regions" / "suizhou"
    main(["sample", str(region), "-n", "2000", "-o", str(tmp_path / "s.parquet"), "-q"])
    table = pq.read_table(tmp_path / "s.parquet")
    n = table.num_rows
    extra = {
        "年龄": pa.array([None if i % 97 == 0 else 20 + i % 60 for i in range(n)], pa.int32()),
        "断缴月数": pa.array([i % 3 for i in range(n)], pa.uint16()),
        "胎数": pa.array([1 + i % 2 for i in range(n)], pa.int8()),
        "账户余额": pa.array([decimal.Decimal(i % 500) / 4 for i in range(n)], pa.decimal128(12, 2)),
        "入院日期": table.column("日期"),
    }
    for name, values in extra.items():
        table = table.append_column(name, values)
    pq.write_table(table, tmp_path / "typed.parquet")
    for engine in ("local", "spark"):
        main(["batch", str(region), str(tmp_path / "typed.parquet"), "-o", str(tmp_path / f"{engine}.csv"), "-q",
              "--engine", engine, "--master", "local[2]", "--chunk-rows", "700"])
    assert (tmp_path / "local.csv").read_bytes() == (tmp_path / "spark.csv").read_bytes()
    assert (tmp_path / "local.rejects.csv").read_bytes() == (tmp_path / "spark.rejects.csv").read_bytes()


def test_spark_keeps_typed_parquet_columns_as_local_does(tmp_path) -> None:
    """A date stays a date and a decimal 费用 a decimal in a Parquet OUT, on Spark as in memory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    region = ROOT / "regions" / "suizhou"
    main(["sample", str(region), "-n", "2000", "-o", str(tmp_path / "c.parquet"), "--quiet"])
    for engine, rows in (("local", "1000000"), ("spark", "1000")):
        main(["batch", str(region), str(tmp_path / "c.parquet"), "-o", str(tmp_path / f"{engine}.parquet"),
              "--engine", engine, "--master", "local[2]", "--chunk-rows", rows, "--quiet"])
    local, spark = pq.read_table(tmp_path / "local.parquet"), pq.read_table(tmp_path / "spark.parquet")
    assert local.schema.field("日期").type == pa.date32() and pa.types.is_decimal(local.schema.field("费用").type)
    assert spark.schema.types == local.schema.types and spark.to_pylist() == local.to_pylist()
    # Spark reads a local OUT too: amounts DELTA_BINARY_PACKED and required, text from dictionaries
    from pyspark.sql import SparkSession

    back = SparkSession.builder.master("local[2]").getOrCreate().read.parquet(str(tmp_path / "local.parquet"))
    rows = sorted(back.select("参保人ID", "日期", "统筹支付", "人员类别").collect())
    assert rows == sorted(tuple(r.values()) for r in local.select(["参保人ID", "日期", "统筹支付", "人员类别"]).to_pylist())
