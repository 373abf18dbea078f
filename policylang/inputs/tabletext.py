"""A claim table (CSV or Parquet) as rows of text cells with their line, for every reader of tables.

Both `diff --claims` (claimtable.py) and `batch` read tables through here, so they see the same cells
and number rows the same way:

- A row's number (行号) is its line in the file minus the header line: the first data line is row 1,
  and empty lines count (they are skipped, not settled and not rejected), so row N is line N + 1 of a
  CSV file. A Parquet row N is the N-th row.
- A row that cannot be read as cells is kept with a problem (a reason), never dropped and never fatal
  to the table: a line with more or fewer cells than the header, a line of blanks only, a line with a
  byte that is not UTF-8.
- Typed Parquet cells become the text a person would type: dates and midnight timestamps as
  YYYY-MM-DD, numbers in plain decimal notation; every rule then reads text (cells.py).

A regular CSV file (every line a row of the header's width, all UTF-8) is read by Arrow's streaming
reader; any other is read line by line with the csv module, which reports each irregular row. The two
give the same batches on regular files (tests/inputs/test_tabletext.py).

What makes the whole table unreadable raises TableTextError: no header, a repeated or empty column
name, a header that is not UTF-8, a malformed CSV record, a Parquet column of a nested type.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Collection, Iterator
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policylang.inputs.cells import BLANKS, clean

PARQUET_SUFFIXES = (".parquet", ".pq")
LINE, PROBLEM = "__line", "__problem"
BATCH_ROWS = 65_536
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


class TableTextError(Exception):
    """A table that cannot be read at all; the message is Chinese with an English gloss."""


@attrs.frozen
class TableText:
    """The header (cleaned column names) and a way to stream the rows as Arrow batches.

    Each batch has LINE (int64: the row's file line, header = line 1; a Parquet row N is line N + 1),
    PROBLEM (string: why the row cannot be read, null if it can) and one string column per header name.
    """

    path: Path
    header: tuple[str, ...]

    @property
    def is_parquet(self) -> bool:
        return self.path.suffix.lower() in PARQUET_SUFFIXES

    def batches(self, typed: bool = False, enums: Collection[str] = ()) -> Iterator[pa.RecordBatch]:
        """With typed, Parquet columns of the types typed_cell keeps stay as they are (batch validates them
        by Arrow compute), and the text columns named in enums (enumerations) are read as dictionaries:
        their dictionary pages decoded once, not a string per row; every reader that wants text
        (diff --claims) leaves it False."""
        if self.is_parquet:
            return _parquet_batches(self, typed, enums)
        return _csv_batches_arrow(self) if _regular_csv(self) else _csv_batches(self)

    def schema(self, typed: bool = False, enums: Collection[str] = ()) -> pa.Schema:
        kinds = dict.fromkeys(self.header, pa.string())
        if typed and self.is_parquet:
            source = self._parquet(enums).schema_arrow
            kinds = {h: f.type if keeps_type(f.type) else pa.string()
                     for h, f in zip(self.header, source, strict=True)}
        return pa.schema([pa.field(LINE, pa.int64()), pa.field(PROBLEM, pa.string()),
                          *(pa.field(h, kinds[h]) for h in self.header)])

    def _parquet(self, enums: Collection[str] = ()) -> pq.ParquetFile:
        """The Parquet file, its text columns named in enums read as dictionaries of text."""
        source = pq.ParquetFile(self.path).schema_arrow
        text = [f.name for h, f in zip(self.header, source, strict=True)
                if h in enums and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]
        return pq.ParquetFile(self.path, read_dictionary=text or None)


def open_table(path: Path) -> TableText:
    """The table's header, checked; rows are read later, batch by batch."""
    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            header = list(pq.ParquetFile(path).schema_arrow.names)
        else:
            with _open_csv(path) as f:
                header = next(csv.reader(f), None)
                if header is None:
                    raise TableTextError("理赔表是空文件，没有表头 (empty file, no header line)")
                if _NOT_UTF8.search("".join(header)):
                    raise TableTextError("表头含有非 UTF-8 编码的字节，请保存为 UTF-8 (header is not UTF-8)")
    except (OSError, csv.Error, pa.ArrowException) as e:
        raise TableTextError(f"无法读取（{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}）"
                             " (cannot read the table)") from e
    names = tuple(clean(h) for h in header)
    for name in names:
        if not name:
            raise TableTextError("表头有空的列名 (empty column name)")
        if names.count(name) > 1:
            raise TableTextError(f"列“{name}”重复 (duplicate column)")
    return TableText(path, names)


def _open_csv(path: Path) -> io.TextIOWrapper:
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _repaired(cell: str) -> str:
    """A cell with undecodable bytes shown as U+FFFD, so the rejects file can still show the row."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _csv_problem(record: list[str], width: int) -> str | None:
    if _NOT_UTF8.search("".join(record)):
        return "此行含有非 UTF-8 编码的字节，请保存为 UTF-8 (a byte that is not UTF-8)"
    if len(record) != width:
        if not "".join(record).strip(BLANKS):
            return "此行只有空白 (a line of blanks only)"
        return f"此行有 {len(record)} 个单元格，表头有 {width} 列 (wrong number of cells)"
    return None


def _csv_batches(table: TableText) -> Iterator[pa.RecordBatch]:
    width = len(table.header)
    schema = table.schema()
    with _open_csv(table.path) as f:
        reader = csv.reader(f)
        next(reader, None)
        lines: list[int] = []
        problems: list[str | None] = []
        cells: list[list[str]] = [[] for _ in range(width)]
        last = reader.line_num
        while True:
            try:
                record = next(reader, None)
            except csv.Error as e:
                raise TableTextError(f"第 {last + 1} 行起无法解析为 CSV：{e} (malformed CSV)") from e
            if record is None:
                break
            start, last = last + 1, reader.line_num
            if not record:
                continue  # an empty line: counted in the numbering, neither settled nor rejected
            problem = _csv_problem(record, width)
            if problem is not None:
                record = [_repaired(c) for c in record]
            lines.append(start)
            problems.append(problem)
            for i in range(width):
                cells[i].append(record[i] if i < len(record) else "")
            if len(lines) >= BATCH_ROWS:
                yield _batch(schema, lines, problems, cells)
                lines, problems, cells = [], [], [[] for _ in range(width)]
        if lines or not width:
            yield _batch(schema, lines, problems, cells)


def _arrow_csv(table: TableText, irregular: list) -> Iterator[pa.RecordBatch]:
    """Arrow's streaming CSV reader over the data rows; rows it cannot parse are noted in irregular."""
    import pyarrow.csv as pacsv

    def note(row) -> str:
        irregular.append(row)
        return "skip"

    names = [f"c{i}" for i in range(len(table.header))]
    return pacsv.open_csv(
        table.path, pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=1 << 22),
        pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False, invalid_row_handler=note),
        pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                             quoted_strings_can_be_null=False))


def _regular_csv(table: TableText) -> bool:
    """Whether Arrow reads the file as the line reader would: every line a row of the header's width
    (no empty or blank line, no line break inside a cell) and all UTF-8 — so row N is line N + 1."""
    if len(table.header) < 2:
        return False  # an empty line would be a row of one empty cell, not an irregular row
    irregular: list = []
    try:
        for batch in _arrow_csv(table, irregular):
            if irregular or any(pc.any(pc.match_substring_regex(c, "[\r\n]")).as_py() for c in batch.columns):
                return False
            empty = functools.reduce(pc.and_, [pc.equal(c, "") for c in batch.columns])
            if pc.any(empty).as_py():  # Arrow reads an empty line as a row of empty cells
                return False
    except (pa.ArrowException, OSError):
        return False
    return not irregular


def _csv_batches_arrow(table: TableText) -> Iterator[pa.RecordBatch]:
    schema, done = table.schema(), 0
    for batch in _arrow_csv(table, []):
        n = batch.num_rows
        lines = pa.array(np.arange(done + 2, done + n + 2, dtype=np.int64))
        yield pa.RecordBatch.from_arrays([lines, pa.nulls(n, pa.string()), *batch.columns], schema=schema)
        done += n


def _batch(schema: pa.Schema, lines: list[int], problems: list, cells: list[list[str]]) -> pa.RecordBatch:
    arrays = [pa.array(lines, pa.int64()), pa.array(problems, pa.string()),
              *(pa.array(c, pa.string()) for c in cells)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def cell_text(column: pa.Array) -> pa.Array:
    """A typed Parquet column as the text cells a person would type (see the module docstring)."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column.cast(pa.string())
    if pa.types.is_timestamp(kind):
        day = column.cast(pa.date32())
        midnight = pc.equal(day.cast(kind), column)
        return pc.if_else(midnight, day.cast(pa.string()), column.cast(pa.string()))
    if pa.types.is_dictionary(kind):
        return cell_text(column.dictionary_decode())
    if pa.types.is_floating(kind):
        return pa.array([None if v is None else repr(v) for v in column.to_pylist()], pa.string())
    if pa.types.is_nested(kind):
        raise TableTextError(f"列的类型 {kind} 不受支持，应为文字、数值或日期 (unsupported column type)")
    return column.cast(pa.string())


def keeps_type(kind: pa.DataType) -> bool:
    """Types whose text (cell_text) the batch validator can reproduce by Arrow compute without building it:
    dates, integers, decimals, and dictionaries of text (enumerations)."""
    if pa.types.is_dictionary(kind):
        return pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    return pa.types.is_date32(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind)


def typed_cell(column: pa.Array) -> pa.Array:
    """The column as it is if keeps_type, else its text cells."""
    return column if keeps_type(column.type) else cell_text(column)


def _parquet_batches(table: TableText, typed: bool = False, enums: Collection[str] = ()) -> Iterator[pa.RecordBatch]:
    schema = table.schema(typed, enums if typed else ())
    convert = typed_cell if typed else cell_text
    done = 0
    try:
        for raw in table._parquet(enums if typed else ()).iter_batches(batch_size=BATCH_ROWS):
            n = raw.num_rows
            lines = pa.array(np.arange(done + 2, done + n + 2, dtype=np.int64))
            cols = [convert(raw.column(i)).cast(f.type) for i, f in enumerate(list(schema)[2:])]
            yield pa.RecordBatch.from_arrays([lines, pa.nulls(n, pa.string()), *cols], schema=schema)
            done += n
    except pa.ArrowException as e:
        raise TableTextError(f"无法读取 Parquet（{str(e).splitlines()[0]}） (cannot read the Parquet file)") from e
    if done == 0:
        yield pa.RecordBatch.from_arrays([pa.array([], t.type) for t in schema], schema=schema)
