"""OUT and the rejects file written straight from the settled Arrow table, one record batch at a time.

A table settled in memory (engine.Run.in_memory, already in input order) needs no query engine to be
written: the settled rows go to OUT, the rejected ones to the rejects file, batch by batch, each batch
filtered and converted on its own (bounded memory, no second copy of the table).

- Parquet keeps the input's types: a typed date stays a date, a decimal 费用 a decimal, an enumeration
  dictionary-encoded on disk; money is DECIMAL(18,2) yuan stored as INT64 and no Arrow schema is stored,
  so readers see the same logical types as in a file DuckDB writes (the partitioned path).
- CSV is the text DuckDB's COPY … (FORMAT csv, HEADER true) writes, byte for byte: UTF-8, "\\n" line
  ends, a null as an empty field, an empty text as "", a field quoted when it holds a line break, a
  double quote (doubled), a comma or "#"; typed cells as the text a person would type (tabletext.cell_text),
  money as '1234.56'. The cells are built by Arrow compute column by column and joined into lines by
  Arrow; only the bytes of a column are scanned in NumPy to skip the quoting work when nothing needs it.

OUT and the rejects file are written in one pass over the settled batches (a many-chunk run merges its
parts once); the batches are drawn on a thread, two are converted at a time on worker threads (Arrow and
NumPy release the GIL) while the one before is written, in order.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policylang.batch.columns import PERSON
from policylang.batch.commit import BatchError
from policylang.batch.rejects import REJECT, ROW
from policylang.inputs.tabletext import cell_text

MONEY_TYPE = pa.decimal64(18, 2)  # yuan; its unscaled integer is the 分 (fen_to_yuan)
BATCH_ROWS = 1 << 17  # rows converted and written at a time (a Parquet row group at most)
_SPECIAL = np.zeros(256, dtype=bool)
_SPECIAL[[ord(c) for c in '\n\r",#']] = True  # bytes that make DuckDB quote a field

__all__ = ["BATCH_ROWS", "Target", "csv_cells", "csv_field", "fen_to_yuan", "write_result", "write_table", "write_tables"]

Column = Callable[[pa.RecordBatch], pa.Array]  # one output column from one batch of the settled table


def csv_field(text: str) -> str:
    """One CSV field as DuckDB writes it (for the header; csv_cells does the same to whole columns)."""
    if text == "" or any(_SPECIAL[b] for b in text.encode("utf-8") if b < 128):
        return '"' + text.replace('"', '""') + '"'
    return text


def _needs_scan(text: pa.StringArray) -> bool:
    """Whether any byte of the column's values is one that can require quoting."""
    if len(text) == 0:
        return False
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32, count=len(text) + 1, offset=4 * text.offset)
    start, end = int(offsets[0]), int(offsets[-1])
    if end == start:
        return False
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8, count=end - start, offset=start)
    return bool(_SPECIAL[data].any())


def _quoted(text: pa.StringArray) -> pa.StringArray:
    """Text cells quoted where DuckDB would quote them (nulls stay null)."""
    if _needs_scan(text):
        special = pc.match_substring_regex(text, '[\n\r",#]')
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
        text = pc.if_else(special, quoted, text)
    empty = pc.equal(pc.binary_length(text), 0)
    if pc.any(empty).as_py():
        text = pc.if_else(empty, '""', text)
    return text


def csv_cells(column: pa.Array, end: str = "") -> pa.StringArray:
    """A column as CSV fields (never null), each followed by `end`: cell text (tabletext.cell_text), quoted
    where DuckDB would quote it; an enumeration's values are formatted once each."""
    if pa.types.is_dictionary(column.type):
        fields = _quoted(cell_text(column.dictionary).cast(pa.string()))
        if end:
            fields = pc.binary_join_element_wise(fields, end, "")
        return pc.fill_null(fields.take(column.indices), end)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        text = _quoted(column.cast(pa.string()))
    else:  # numbers and dates: no quote, comma or line break in their text
        text = cell_text(column).cast(pa.string())
    if end:
        text = pc.binary_join_element_wise(text, end, "")
    return pc.fill_null(text, end)


class _CsvSink:
    """A CSV file: the header line, then each batch's lines as one buffer."""

    def __init__(self, path: Path, names: Sequence[str]) -> None:
        self.file = open(path, "wb")  # noqa: SIM115 (closed in close())
        self.file.write((",".join(csv_field(n) for n in names) + "\n").encode("utf-8"))

    @staticmethod
    def encode(batch: pa.RecordBatch) -> memoryview:
        *cells, last = batch.columns
        cells = [*(csv_cells(c) for c in cells), csv_cells(last, "\n")]  # the line end joins the last column
        lines = pc.binary_join_element_wise(*cells, ",") if len(cells) > 1 else cells[0]
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=4 * lines.offset)
        return memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])]

    def put(self, lines: memoryview) -> None:
        self.file.write(lines)

    def close(self) -> None:
        self.file.close()


class _ParquetSink:
    """A Parquet file, written for the writer's speed (one thread writes it all) and a small file:
    - amounts (MONEY_TYPE) as DELTA_BINARY_PACKED integers, uncompressed: a third of their plain size, and
      a third of the writer's time less than plain + snappy; no min/max for them, which on claims in any
      order span every row group and prune nothing;
    - dictionary pages only where values repeat (enumerations, dates, text), not for person IDs, whose
      dictionaries overflow and are thrown away; no min/max for text;
    - the rest plain or dictionary, snappy, with min/max (dates, counts: what readers filter on)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        money = [f.name for f in schema if f.type == MONEY_TYPE]
        plain = [f.name for f in schema if pa.types.is_decimal(f.type) or f.name == PERSON]
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
                or pa.types.is_dictionary(f.type)]
        self.writer = pq.ParquetWriter(path, schema, store_schema=False, store_decimal_as_integer=True,
                                       use_dictionary=[f.name for f in schema if f.name not in plain],
                                       write_statistics=[f.name for f in schema if f.name not in (*text, *money)],
                                       column_encoding=dict.fromkeys(money, "DELTA_BINARY_PACKED"),
                                       compression={f.name: "none" if f.name in money else "snappy" for f in schema})

    @staticmethod
    def encode(batch: pa.RecordBatch) -> pa.RecordBatch:
        return batch

    def put(self, batch: pa.RecordBatch) -> None:
        try:
            self.writer.write_batch(batch)
        except pa.ArrowInvalid as e:  # a null in a required column: a settlement that left an amount out
            raise BatchError(f"内部错误：结算结果缺少金额 (internal: {str(e).splitlines()[0]})") from e

    def close(self) -> None:
        self.writer.close()


@attrs.frozen
class Target:
    """One output file of a pass: its columns (made from a batch of the settled table), their Parquet types,
    which rows it takes (`keep`: a mask or None for all), and where it goes ("csv" or "parquet")."""

    columns: dict[str, Column]
    schema: pa.Schema
    keep: Callable[[pa.RecordBatch], pa.Array | None]
    path: Path
    kind: str


def write_table(batches: Iterator[pa.RecordBatch], columns: dict[str, Column], schema: pa.Schema,
                keep: Callable[[pa.RecordBatch], pa.Array | None], path: Path, kind: str) -> int:
    """Write the rows of each batch that `keep` selects (None: all) as `columns`, to path ("csv" or
    "parquet"); schema is the output's (its Parquet types). Returns the number of rows written."""
    return write_tables(batches, [Target(columns, schema, keep, path, kind)])[0]


def write_tables(batches: Iterator[pa.RecordBatch], targets: Sequence[Target],
                 advance: Callable[[int], None] = lambda n: None) -> list[int]:
    """Every target from one pass over batches; the rows each target got.

    The batches are drawn on a thread of their own (a merge of many result files is work too), two are
    converted at a time on worker threads (Arrow and NumPy release the GIL) and written here, in order."""
    sinks: list[_CsvSink | _ParquetSink] = []
    try:
        for t in targets:
            sinks.append(_CsvSink(t.path, list(t.columns)) if t.kind == "csv" else _ParquetSink(t.path, t.schema))

        def convert(batch: pa.RecordBatch) -> tuple[int, list]:
            return batch.num_rows, [_convert(batch, t, sink) for t, sink in zip(targets, sinks, strict=True)]

        def put(converted: tuple[int, list], written: list[int]) -> list[int]:
            rows, parts = converted
            written = _put(sinks, parts, written)
            advance(rows)  # input rows done, whichever file they went to
            return written

        written = [0] * len(targets)
        with ThreadPoolExecutor(2) as pool:
            pending: deque = deque()
            source = _ahead(batches)
            try:
                for batch in source:
                    pending.append(pool.submit(convert, batch))
                    while len(pending) > 2 or (pending and pending[0].done()):
                        written = put(pending.popleft().result(), written)
                while pending:
                    written = put(pending.popleft().result(), written)
            finally:
                source.close()
    finally:
        for sink in sinks:
            sink.close()
    return written


def _ahead(batches: Iterator[pa.RecordBatch], depth: int = 4) -> Iterator[pa.RecordBatch]:
    """The batches, drawn on a thread of their own up to `depth` ahead of their use; closing this generator
    (or an error on either side) stops the drawing."""
    ready: queue.Queue = queue.Queue(depth)
    stop = threading.Event()

    def offer(item: tuple) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def draw() -> None:
        try:
            for batch in batches:
                if not offer((batch, None)):
                    return
            offer((None, None))
        except BaseException as e:  # handed to the consumer, raised there
            offer((None, e))

    drawer = threading.Thread(target=draw, name="policylang-draw", daemon=True)
    drawer.start()
    try:
        while True:
            batch, error = ready.get()
            if error is not None:
                raise error
            if batch is None:
                return
            yield batch
    finally:
        stop.set()
        drawer.join()


def _convert(batch: pa.RecordBatch, target: Target, sink: _CsvSink | _ParquetSink):
    mask = target.keep(batch)
    if mask is not None:
        if not pc.any(mask).as_py():
            return None
        batch = batch.filter(mask)
    if batch.num_rows == 0:
        return None
    out = pa.RecordBatch.from_arrays([make(batch) for make in target.columns.values()], schema=target.schema)
    return out.num_rows, sink.encode(out)


def _put(sinks: Sequence[_CsvSink | _ParquetSink], converted: list, written: list[int]) -> list[int]:
    for k, (sink, one) in enumerate(zip(sinks, converted, strict=True)):
        if one is not None:
            rows, data = one
            sink.put(data)
            written[k] += rows
    return written


def write_result(table: pa.Table | tuple[pa.Schema, Callable[[], Iterator[pa.RecordBatch]]], inputs: list[str],
                 columns: list[str], money: set[str], out: tuple[Path, str], rejects: tuple[Path, str],
                 advance: Callable[[int], None] = lambda n: None, required: Collection[str] = ()) -> None:
    """A settled table (engine.process_chunk's, in input order) to OUT, (path, "csv" or "parquet"): its
    settled rows as `columns`, money (int64 分) as yuan; and to the rejects file: 行号, 原因, the inputs.
    The `required` columns are never null on a settled row: Parquet stores them without definition levels
    (a tenth of the writer's time), and a null there is refused as an internal error.

    table may also be (its schema, a function giving its batches in input order): the merged results of a
    many-chunk run, streamed once for both files rather than held in memory."""
    if isinstance(table, pa.Table):
        kinds, batches = table.schema, (lambda t=table: iter(t.to_batches(BATCH_ROWS)))
    else:
        kinds, batches = table

    def take(name: str) -> Column:
        return lambda b: b.column(name)

    def yuan(name: str) -> Column:
        return lambda b: fen_to_yuan(b.column(name))

    def settled(b: pa.RecordBatch) -> pa.Array | None:
        return None if b.column(REJECT).null_count == b.num_rows else b.column(REJECT).is_null()

    def rejected(b: pa.RecordBatch) -> pa.Array | None:
        return None if b.column(REJECT).null_count == 0 else b.column(REJECT).is_valid()

    result = {c: yuan(c) if c in money else take(c) for c in columns}
    schema = pa.schema([(pa.field(c, MONEY_TYPE) if c in money else kinds.field(c)).with_nullable(c not in required)
                        for c in columns])
    reject = {"行号": lambda b: pc.add(b.column(ROW), 1), "原因": take(REJECT)} | {c: take(c) for c in inputs}
    reject_schema = pa.schema([pa.field("行号", pa.int64()), pa.field("原因", pa.string()),
                               *(kinds.field(c) for c in inputs)])
    write_tables(batches(), [Target(result, schema, settled, *out), Target(reject, reject_schema, rejected, *rejects)],
                 advance)


def fen_to_yuan(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """int64 分 as decimal64(18, 2) yuan, exactly and without a copy: a decimal64's unscaled integer is the 分,
    in the same 8 bytes. A Parquet OUT stores it as INT64 DECIMAL(18,2), as a decimal128 was (readers see
    DECIMAL(18,2)); a CSV shows its text, '1234.56'.

    The same values as _money_sql's CAST(x AS DECIMAL(18,2)) (a claim is at most 10 亿元, so 18 digits hold)."""
    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if arr.type != pa.int64():
        arr = arr.cast(pa.int64())
    low, high = pc.min_max(arr).values()
    if low.as_py() is not None and (low.as_py() <= -(10**18) or high.as_py() >= 10**18):
        raise BatchError("金额超出 DECIMAL(18,2) 的范围 (an amount beyond DECIMAL(18,2))")
    validity, values = arr.buffers()
    return pa.Array.from_buffers(MONEY_TYPE, len(arr), [validity, values], null_count=arr.null_count,
                                 offset=arr.offset)


