"""The same kernel on Apache Spark: rows hash-partitioned by person, each partition settled with mapInArrow.

Rows are partitioned by the person key (inputs/cells.py person_id), as in the local engine, so IDs that
differ only by blanks or width are one person whatever the partitioning. Local mode (`local[*]`) by
default; a master URL runs it on a cluster. The numbered input and the results live in the run's work
folder beside OUT, so on a cluster OUT must be on storage every executor can reach.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa

from policylang import ir
from policylang.batch.engine import Run, process_chunk
from policylang.batch.rejects import KEY, ROW
from policylang.inputs.tabletext import PROBLEM


def spark_schema(schema: pa.Schema, inputs: dict | None = None):
    """The result's Spark schema; the input columns (inputs: name → Spark field) keep the types Spark read
    them with (a date stays a date, a decimal a decimal), as they go through the kernel unchanged."""
    from pyspark.sql import types as T

    kinds = {pa.string(): T.StringType(), pa.int64(): T.LongType()}
    given = inputs or {}
    return T.StructType([given.get(f.name) or T.StructField(f.name, kinds[f.type], True) for f in schema])


def settle_partition(policy: ir.Policy, inputs: list[str], schema: pa.Schema,
                     batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One Spark partition (every claim of its persons) through the kernel."""
    table = pa.Table.from_batches(list(batches))
    if table.num_rows == 0:
        return
    yield from process_chunk(policy, table.select([ROW, PROBLEM, KEY, *inputs]), schema).to_batches()


def session(master: str):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(master).appName("policylang batch")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .getOrCreate())


def settle_spark(run: Run, master: str, advance: Callable[[int], None]) -> Path:
    """Settle run's claims on Spark; returns the folder of result Parquet files."""
    numbered = run.numbered_file()  # written by Run: ROW, PROBLEM, KEY and the input columns
    total = run.rows
    spark = session(master)
    policy, inputs, schema = run.policy, list(run.inputs), run.schema
    parts = max(2, -(-total // run.chunk_rows))
    frame = spark.read.parquet(str(numbered)).repartition(parts, KEY)
    read = {f.name: f for f in frame.schema.fields if f.name in inputs}
    result = frame.mapInArrow(lambda it: settle_partition(policy, inputs, schema, it), spark_schema(schema, read))
    folder = run.work / "spark"
    result.write.mode("overwrite").parquet(str(folder))
    advance(total)
    return folder
