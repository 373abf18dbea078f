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
from policylang.batch.commit import BatchError
from policylang.batch.engine import Run, part_schema, process_chunk
from policylang.batch.rejects import KEY, ROW
from policylang.inputs.tabletext import PROBLEM


def _as_spark(kind: pa.DataType) -> pa.DataType:
    """The Arrow type a column of `kind` has in Spark (its Parquet reader): enumerations are text, unsigned
    integers widen."""
    if pa.types.is_dictionary(kind):
        return _as_spark(kind.value_type)
    if pa.types.is_large_string(kind):
        return pa.string()
    widened = {pa.uint8(): pa.int16(), pa.uint16(): pa.int32(), pa.uint32(): pa.int64(),
               pa.uint64(): pa.decimal128(20, 0)}
    return widened.get(kind, kind)


def arrow_schema(schema: pa.Schema) -> pa.Schema:
    """The result schema as Spark hands it back: every column's type as in Spark."""
    return pa.schema([pa.field(f.name, _as_spark(f.type), True) for f in schema])


def spark_schema(schema: pa.Schema):
    """The result schema in Spark's types: text, integers, dates and decimals (typed Parquet input keeps
    those: tabletext.keeps_type)."""
    from pyspark.sql import types as T

    def kind(t: pa.DataType):
        simple = {pa.string(): T.StringType(), pa.int8(): T.ByteType(), pa.int16(): T.ShortType(),
                  pa.int32(): T.IntegerType(), pa.int64(): T.LongType(), pa.date32(): T.DateType()}
        if t in simple:
            return simple[t]
        if pa.types.is_decimal128(t) and t.precision <= 38:
            return T.DecimalType(t.precision, t.scale)
        raise BatchError(f"Spark 不支持此列类型：{t}（请先转为文本） (a column type Spark cannot carry)")

    return T.StructType([T.StructField(f.name, kind(f.type), True) for f in arrow_schema(schema)])


def settle_partition(policy: ir.Policy, inputs: list[str], schema: pa.Schema,
                     batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One Spark partition (every claim of its persons) through the kernel, in the types Spark expects."""
    table = pa.Table.from_batches(list(batches))
    if table.num_rows == 0:
        return
    result = process_chunk(policy, table.select([ROW, PROBLEM, KEY, *inputs]), schema)
    yield from result.select(part_schema(schema, inputs).names).cast(arrow_schema(part_schema(schema, inputs))).to_batches()


def session(master: str):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(master).appName("policylang batch")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .getOrCreate())


def settle_spark(run: Run, master: str, advance: Callable[[int], None]) -> Path:
    """Settle run's claims on Spark; returns the folder of the results, in input order.

    Each partition is sorted by row before it is settled, so each result file Spark writes is in row
    order and the local engine's merge (merge.py) puts them together without sorting the table."""
    numbered = run.numbered_file()  # written by Run: ROW, PROBLEM, KEY and the input columns
    total = run.rows
    spark = session(master)
    policy, inputs, schema = run.policy, list(run.inputs), run.schema
    parts = max(2, -(-total // run.chunk_rows))
    frame = spark.read.parquet(str(numbered)).repartition(parts, KEY).sortWithinPartitions(ROW)
    result = frame.mapInArrow(lambda it: settle_partition(policy, inputs, schema, it),
                              spark_schema(part_schema(schema, inputs)))  # no input column: Run.write reads them
    folder = run.work / "spark"
    result.write.mode("overwrite").parquet(str(folder))
    advance(total)
    run.results = sorted(folder.glob("*.parquet"))  # each in row order: Run.write merges them
    run.results_schema = arrow_schema(part_schema(schema, inputs))
    return folder
