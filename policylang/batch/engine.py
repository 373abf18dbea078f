"""`policylang batch`: settle a claim table (CSV or Parquet) of any size, person-partitioned parts at a time.

The table is read by policylang/inputs/tabletext.py (the reader `diff --claims` uses too), numbered and
keyed by person (inputs/cells.py person_id, the one normalisation of 参保人ID). A table of at most
--chunk-rows rows (the usual case; the default follows --memory) is settled in memory, its persons split
over the workers (parallel.process_parallel; a chunk's validation and settlement: chunk.py), and written
from Arrow (output.py). A larger one is scattered in the same streaming pass into person-complete part
files by a hash of the key (partition.py), each part about a chunk over the workers; every worker takes a
part at a time and reads, validates, settles, counts (the summary) and writes its results
(parallel.each_file). OUT is then written in one pass: the input read again in order beside the parts'
results merged back into input order on the row number (merge.py), so no step holds more than a chunk and
nothing sorts the whole table. DuckDB serves --sql only. OUT and the rejects file are committed as one
unit (commit.py).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policylang import ir
from policylang.batch.chunk import (
    DAYS,
    OUT_MONEY,
    REFUSED,
    SCALAR,
    SCHEME,
    part_schema,
    process_chunk,
    result_schema,
    settle_chunk,
)
from policylang.batch.columns import PERSON
from policylang.batch.commit import BatchError, Commit, check_paths
from policylang.batch.kernel import layer_names
from policylang.batch.merge import Rows, Tally, merged, write_chunk, write_merged
from policylang.batch.parallel import each_file, process_parallel
from policylang.batch.partition import Scatter, Sink, estimated_rows, fitting, part_count, read_part
from policylang.batch.rejects import KEY, REJECT, ROW, TableError, check_header
from policylang.inputs.columnar import person_keys
from policylang.inputs.tabletext import LINE, PROBLEM, TableTextError, cell_text, open_table

if TYPE_CHECKING:
    pass


__all__ = ["BatchError", "Run", "Summary", "part_schema", "process_chunk", "result_schema", "table_format"]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise BatchError(f"无法识别的文件类型：{path}（应为 .csv 或 .parquet） (unknown table format)")


@attrs.frozen
class Summary:
    rows: int
    settled: int
    rejected: int
    persons: int
    scalar_persons: int
    totals: tuple[tuple[str, int], ...]
    out: Path
    rejects: Path


def _money_sql(col: str) -> str:
    """int64 分 as DECIMAL(18,2) yuan, exactly (× 0.01 is exact in decimal arithmetic), for the --sql views."""
    q = _quote(col)
    return f"CASE WHEN {q} IS NULL THEN NULL ELSE CAST(CAST({q} AS DECIMAL(38,0)) * 0.01 AS DECIMAL(18,2)) END"


def _stamp(path: Path) -> tuple[int, int]:
    """What tells whether a file changed since it was read: its size and modification time."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


ROW_BYTES = 2000  # memory per row of a chunk settled in memory (text cells, kernel arrays, result): measured ≈ 1.3 kB
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20,
          "gib": 2**30, "tib": 2**40}


def default_chunk_rows(memory_limit: str) -> int:
    """Rows per chunk when --chunk-rows is not given: as many as fit the --memory budget, at most 1,000,000
    (one chunk settles in memory, without partitioning); 200,000 if the budget cannot be read."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", memory_limit)
    if m is None or m.group(2).lower() not in _UNITS:
        return 200_000
    budget = int(float(m.group(1)) * _UNITS[m.group(2).lower()])  # float ok: a size, not money
    return max(10_000, min(1_000_000, budget // ROW_BYTES))


def _ignore(n: int) -> None:
    return None


class Run:
    """One batch run: a work folder beside OUT, DuckDB for the table work."""

    def __init__(self, policy: ir.Policy, claims: Path, out: Path, rejects: Path | None = None,
                 chunk_rows: int | None = None, memory_limit: str = "2GB", workers: int = 1,
                 advance: Callable[[int], None] | None = None) -> None:
        self.policy, self.claims, self.out = policy, claims, out
        self.in_kind, self.out_kind = table_format(claims), table_format(out)
        self.rejects = rejects or out.with_name(f"{out.stem}.rejects{out.suffix}")
        table_format(self.rejects)
        if not claims.is_file():
            raise BatchError(f"文件不存在：{claims} (no such file)")
        check_paths(claims, out, self.rejects)
        self.commit = Commit(out, self.rejects)
        self.stamp = _stamp(claims)  # a many-chunk run reads the table again to write OUT: it must not change
        self.commit.recover()  # what an interrupted run left: finish its commit or drop its partial files
        self.chunk_rows = chunk_rows or default_chunk_rows(memory_limit)
        self.workers = workers  # cores for settling (batch/parallel.py)
        self.part_rows = max(1, self.chunk_rows // max(1, workers))  # many chunks: one part per worker at
        # a time, so the parts together hold at most a chunk
        self.kept: pa.Table | None = None  # the numbered input, when it is at most chunk_rows rows
        self.scattered: Scatter | None = None  # else the numbered input in person-complete parts (partition.py)
        self.tally: Tally | None = None  # the summary, counted chunk by chunk when there are many
        self.in_memory: pa.Table | None = None  # the settled table, when the input was one chunk
        self.results: list[Path] | None = None  # else the settled parts' files, each in row order (merge.py)
        self.results_schema: pa.Schema | None = None  # their schema, when not self.schema (Spark's types)
        self.work = out.with_name(f".{out.name}.policylang-work")
        if self.work.exists():
            shutil.rmtree(self.work)
        (self.work / "tmp").mkdir(parents=True)
        self.memory_limit = memory_limit
        self._con = None  # DuckDB, connected on first use (a table settled in memory may never need it)
        self._folder: Path | None = None  # the folder of the results (results_view), for write()
        try:
            self.inputs, self.numbered, self.rows = self._numbered_input(advance or _ignore)
        except BaseException:
            self.close()  # no work folder or partial file outlives a refused run
            raise
        self.schema = result_schema(policy, self._input_fields())

    def _input_fields(self) -> pa.Schema:
        """The input columns as numbered: typed Parquet columns keep their type (tabletext.keeps_type)."""
        if self.kept is not None:
            numbered = self.kept.schema
        elif self.scattered is not None:  # a multi-chunk table: the parts' schema (partition.py)
            numbered = self.scattered.schema
        else:
            numbered = pq.read_schema(self.numbered)
        return pa.schema([numbered.field(c) for c in self.inputs])

    def _numbered_input(self, advance: Callable[[int], None]) -> tuple[list[str], Path, int]:
        """Read the claim table (tabletext.py) into the work folder, numbered and keyed by person."""
        try:
            table = open_table(self.claims)
            check_header(self.policy, list(table.header))
            numbered = self.work / "numbered.parquet"
            self.kept, rows = _number(table, self._scatter, self.chunk_rows, advance)
            return list(table.header), numbered, rows
        except TableTextError as e:
            raise BatchError(f"无法读取理赔表：{self.claims}：{e}") from e
        except TableError as e:
            raise BatchError(f"{self.claims}: {e}") from e

    def _scatter(self, schema: pa.Schema, batches: list[pa.RecordBatch], rows: int) -> Sink:
        """Where the numbered rows go once there are more than a chunk: parts of about FILL × chunk_rows."""
        total = estimated_rows(self.claims, batches, rows)
        self.scattered = Scatter(self.work / "in", part_count(total, self.part_rows), schema)
        return self.scattered

    def numbered_file(self) -> Path:
        """The numbered input as one Parquet file, for Spark (the local engine reads the memory or the parts)."""
        if self.kept is not None and not self.numbered.exists():
            pq.write_table(self.kept, self.numbered)
        if self.scattered is not None and not self.numbered.exists():
            with pq.ParquetWriter(self.numbered, self.scattered.schema) as writer:
                for path, _ in self.scattered.files():
                    with pa.ipc.open_stream(path) as reader:
                        for batch in reader:
                            writer.write_batch(batch)
        return self.numbered

    def settle_local(self, advance: Callable[[int], None]) -> None:
        if self.rows <= self.chunk_rows:  # one chunk: no partitioning, the result stays in memory, in input order
            chunk = self.kept if self.kept is not None else pq.read_table(self.numbered)
            self.in_memory = process_parallel(process_chunk, self.policy, chunk, self.schema, self.workers)
            advance(chunk.num_rows)
            return
        assert self.scattered is not None
        files = list(fitting(self.scattered.files(), self.part_rows))
        (self.work / "out").mkdir()
        money = self._money()
        policy, schema, columns = self.policy, self.schema, [ROW, PROBLEM, KEY, *self.inputs]
        parts = self.results_schema = part_schema(schema, self.inputs, (KEY, SCALAR))  # counted in the worker

        def settle_part(k: int) -> tuple[Path, Tally, int]:
            """One part, read, validated, settled, counted and written by whichever worker takes it."""
            path, rows = files[k]
            settled, tally = settle_chunk(policy, read_part(path).select(columns), schema)
            target = self.work / "out" / f"part-{k:05d}.arrows"
            write_chunk(settled.select(parts.names), target)  # the inputs are read again in order (write)
            path.unlink()
            return target, tally, rows

        done, tally = [], Tally(money)
        for target, part, rows in each_file(settle_part, len(files), self.workers):
            done.append(target)
            tally.absorb(part)
            advance(rows)
        self.results, self.tally = sorted(done), tally

    @property
    def con(self):
        """The run's DuckDB connection (imported and opened on first use: a small run may not need it)."""
        if self._con is None:
            import duckdb

            self._con = duckdb.connect(config={"memory_limit": self.memory_limit,
                                               "temp_directory": str(self.work / "tmp")})
            self._con.execute("SET enable_progress_bar = false")  # DuckDB's own bar would print into stdout
        return self._con

    def results_view(self, folder: Path) -> None:
        """Where the results are (the Spark folder, or the local run's work folder); the views 结果/settled
        and 拒绝/rejects over them are made for a --sql query only, as nothing else reads them."""
        self._folder = folder

    def _make_views(self) -> None:
        if self.in_memory is not None:
            self.con.register("results_in_memory", self.in_memory)
        else:  # the parts carry no input columns: the views read the input rejoined (DuckDB reads no IPC)
            joined = self.work / "joined.parquet"
            write_merged(self._rejoined(), self._joined_schema(), joined)
            self.con.execute(f"CREATE OR REPLACE VIEW results_in_memory AS SELECT * FROM "
                             f"read_parquet({_literal(str(joined))})")
        self.con.execute("CREATE OR REPLACE VIEW results AS SELECT * FROM results_in_memory")
        money = self._money()
        settled_cols = ", ".join([*(_quote(c) for c in self.inputs), _quote(SCHEME),
                                  *(f"{_money_sql(m)} AS {_quote(m)}" for m in money),
                                  _quote(DAYS), _quote(REFUSED)])
        self.con.execute(f"CREATE OR REPLACE VIEW settled AS SELECT {settled_cols} FROM results "
                         f"WHERE {REJECT} IS NULL ORDER BY {ROW}")
        self.con.execute(f"CREATE OR REPLACE VIEW rejects AS SELECT {ROW} + 1 AS 行号, {REJECT} AS 原因, "
                         f"{', '.join(_quote(c) for c in self.inputs)} FROM results WHERE {REJECT} IS NOT NULL "
                         f"ORDER BY {ROW}")
        self.con.sql("CREATE OR REPLACE VIEW 结果 AS SELECT * FROM settled")
        self.con.sql("CREATE OR REPLACE VIEW 拒绝 AS SELECT * FROM rejects")

    def write(self, advance: Callable[[int], None] = _ignore) -> None:
        """Write OUT and the rejects file as one unit: both complete and new, or both old (commit.py), from
        Arrow (output.py): the table settled in memory, or the parts' results merged into input order
        beside the input read again (a many-chunk or Spark run)."""
        from policylang.batch.output import write_result

        source = self.in_memory if self.in_memory is not None else (self._joined_schema(), self._rejoined)
        money = self._money()
        write_result(source, self.inputs, [*self.inputs, SCHEME, *money, DAYS, REFUSED], set(money),
                     (self.commit.partial(self.out), self.out_kind),
                     (self.commit.partial(self.rejects), table_format(self.rejects)), advance,
                     required={*OUT_MONEY, DAYS})  # null only on a rejected row (chunk.settle_chunk)
        self.commit.apply()

    def _joined_schema(self) -> pa.Schema:
        assert self.results_schema is not None
        return pa.schema([*(self.schema.field(c) for c in self.inputs), *self.results_schema])

    def _rejoined(self) -> Iterator[pa.RecordBatch]:
        """The input, read again in order, beside the parts' results merged into input order (merge.py):
        the result table of a many-chunk run, without the parts carrying every input column to the merge."""
        if _stamp(self.claims) != self.stamp:
            raise BatchError(f"理赔表在结算过程中被修改：{self.claims}（请重新运行） (the claim table changed "
                             "during the run)")
        assert self.results is not None and self.results_schema is not None
        schema = self._joined_schema()
        results = Rows(merged(self.results, self.results_schema))
        try:
            for batch in open_table(self.claims).batches(typed=True, enums=self._enums()):
                got = results.take(batch.num_rows)
                lines = batch.column(LINE).to_numpy()
                if got.num_rows != batch.num_rows or not np.array_equal(got.column(ROW).to_numpy(), lines - 2):
                    raise BatchError("内部错误：结算结果与输入行不对应 (internal: results and input rows differ)")
                yield pa.RecordBatch.from_arrays([*(batch.column(c) for c in self.inputs), *(c.combine_chunks() for c in got.columns)],
                                                 schema=schema)
        except TableTextError as e:
            raise BatchError(f"无法读取理赔表：{self.claims}：{e}") from e
        if results.take(1).num_rows:
            raise BatchError("内部错误：结算结果多于输入行 (internal: more results than input rows)")

    def _enums(self) -> set[str]:
        """The columns of enumerations: read again to write OUT, a Parquet text column of one comes as a
        dictionary (tabletext) and is written as one (output.py), its text never built per row. (Not when
        the table is first read: the parts' dictionaries would have to be unified, which cost the settling
        more than it saved.)"""
        return {e.name for e in self.policy.enums}

    def _money(self) -> list[str]:
        """The money columns of the result, in output order (分 in the settled table, yuan in the files)."""
        return [m for m in self.schema.names if m in OUT_MONEY or m in layer_names(self.policy)]

    def summary(self) -> Summary:
        if self.in_memory is not None:
            return self._summary_in_memory()
        money = self._money()
        if self.tally is not None:  # many chunks: counted as they were settled (no distinct over the table)
            t = self.tally
            return Summary(t.rows, t.settled, t.rows - t.settled, t.persons, t.scalar, tuple(t.totals.items()),
                           self.out, self.rejects)
        sums = ", ".join(f"coalesce(sum({_quote(m)}) FILTER (WHERE {REJECT} IS NULL), 0)" for m in money)
        row = self.con.sql(
            f"SELECT count(*), count(*) FILTER (WHERE {REJECT} IS NULL), "
            f"count(DISTINCT {KEY}) FILTER (WHERE {REJECT} IS NULL), "
            f"count(DISTINCT {KEY}) FILTER (WHERE {SCALAR} IS NOT NULL), {sums} FROM "
            f"read_parquet({_literal(str(self._folder / '*.parquet'))})").fetchall()[0]  # Spark's result files
        rows, settled, persons, scalar = (int(x) for x in row[:4])
        return Summary(rows, settled, rows - settled, persons, scalar,
                       tuple(zip(money, (int(x) for x in row[4:]), strict=True)), self.out, self.rejects)

    def _summary_in_memory(self) -> Summary:
        """The summary's counts and sums by Arrow compute on the table in memory (what summary()'s SQL says)."""
        table, money = self.in_memory, self._money()
        assert table is not None
        ok = table.column(REJECT).is_null()
        settled = int(pc.sum(ok, min_count=0).as_py())
        persons = pc.count_distinct(table.column(KEY).filter(ok)).as_py()
        scalar = pc.count_distinct(table.column(KEY).filter(table.column(SCALAR).is_valid())).as_py()

        def total(name: str) -> int:  # exact: a decimal sum, not an int64 one that could wrap
            return int(pc.sum(table.column(name).filter(ok).cast(pa.decimal128(38, 0)), min_count=0).as_py())

        return Summary(table.num_rows, settled, table.num_rows - settled, persons, scalar,
                       tuple((m, total(m)) for m in money), self.out, self.rejects)

    def query(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Run the user's --sql on the result views only: from here on DuckDB may touch no file outside
        the work folder (no read_csv('/etc/passwd'), no COPY … TO elsewhere), and the lock keeps it so."""
        import duckdb

        self._make_views()
        self.con.execute(f"SET allowed_directories=[{_literal(str(self.work.resolve()) + '/')}]")
        self.con.execute("SET enable_external_access=false")
        self.con.execute("SET lock_configuration=true")
        try:
            rel = self.con.sql(sql)
        except duckdb.PermissionException as e:
            raise BatchError(f"--sql 只能查询视图 结果/settled、拒绝/rejects，不能读写文件：{str(e).splitlines()[0]} "
                             "(--sql may read the result views only, no files)") from e
        if rel is None:
            return [], []
        return list(rel.columns), rel.fetchall()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
        shutil.rmtree(self.work, ignore_errors=True)
        self.commit.discard()  # partial files of a run that failed before its commit point




def _number(table, open_sink: Callable[[pa.Schema, list[pa.RecordBatch], int], Sink],
            keep_rows: int, advance: Callable[[int], None]) -> tuple[pa.Table | None, int]:
    """The table's rows with ROW (行号 − 1), PROBLEM and KEY (the person key): kept in memory while they are
    at most keep_rows, else streamed to the sink open_sink(schema, batches so far, rows so far) returns
    (partition.Scatter). (the table in memory or None, the row count)"""
    typed = table.schema(typed=True)  # typed Parquet columns stay typed (tabletext.keeps_type; rejects.py)
    schema = pa.schema([pa.field(ROW, pa.int64()), pa.field(PROBLEM, pa.string()), pa.field(KEY, pa.string()),
                        *(typed.field(h) for h in table.header)])
    count = 0
    kept: list[pa.RecordBatch] = []
    writer = None
    try:
        for batch in table.batches(typed=True):
            rows = pc.subtract(batch.column(LINE), 2)
            key = person_keys(cell_text(batch.column(PERSON))) if PERSON in table.header else pa.nulls(batch.num_rows, pa.string())
            cells = [batch.column(h) for h in table.header]
            kept.append(pa.RecordBatch.from_arrays([rows, batch.column(PROBLEM), key, *cells], schema=schema))
            count += batch.num_rows
            advance(batch.num_rows)
            if count > keep_rows:
                writer = writer or open_sink(schema, kept, count)
                for b in kept:
                    writer.write_batch(b)
                kept = []
    finally:
        if writer is not None:
            writer.close()
    return (None if writer is not None else pa.Table.from_batches(kept, schema=schema)), count
