"""Claim tables (CSV or Parquet): one row per claim, grouped by 参保人ID into (Person, claims).

Columns: 参保人ID, 日期, 费用, and any enumeration of the policy (险种, 人员类别, 就医类型, 医院等级 …).
Amounts become integer 分 through their decimal string, never through float arithmetic. Every bad row
gives a located message (row, column); the batch backend reads the same tables through this module.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Collection, Iterator
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, did_you_mean, error
from policylang.ir.claims import Claim, Person, facts
from policylang.ir.units import to_fen
from policylang.source import Span, display_path, parse_date

ID, DATE, AMOUNT = "参保人ID", "日期", "费用"
REQUIRED = (ID, DATE, AMOUNT)
# Enumerations that describe the insured person rather than one visit; the rest describe the claim.
PERSON_FIELDS = ("险种", "人员类别", "救助身份", "参保身份", "性别")
NUMBER_TYPES = ("天数", "月数", "年数", "次数", "年龄")
PARQUET_SUFFIXES = (".parquet", ".pq")


@attrs.frozen
class PersonClaims:
    """One insured person's claims in table order, with each claim's 1-based data row."""

    person: Person
    claims: tuple[Claim, ...]
    rows: tuple[int, ...]


@attrs.frozen
class ClaimTable:
    path: str
    people: tuple[PersonClaims, ...]
    rows: int
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def amount_fen(value: Any) -> int | None:
    """A yuan amount (string, int, Decimal or float) to 分 via its decimal string; None if invalid."""
    if isinstance(value, bool) or value is None:
        return None
    text = repr(value) if isinstance(value, float) else str(value)
    try:
        number = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return to_fen(number)


def typed_value(kind: str, value: Any) -> object | None:
    """A typed field's value: 日期 → date, 金额 → 分, 天数/月数/年数/次数/年龄 → Fraction, 文字/是否 → text."""
    if kind == "日期":
        return claim_date(value)
    if kind == "金额":
        return amount_fen(value)
    if kind in NUMBER_TYPES:
        if isinstance(value, bool):
            return None
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            return None
        return Fraction(number) if number.is_finite() and number >= 0 else None
    text = str(value).strip()
    if kind == "是否":
        return text if text in ("是", "否") else None
    return text


def claim_date(value: Any) -> dt.date | None:
    """A date object (a datetime only at midnight) or a YYYY-MM-DD / 2024年1月1日 string."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value.strip())
    return None


class _Rows:
    """Turns raw rows into grouped claims, collecting every problem with its row and column."""

    def __init__(self, policy: ir.Policy, shown: str, columns: list[str], extra: Collection[str]) -> None:
        self.shown = shown
        self.columns = columns
        self.enums = {e.name: e for e in policy.enums}
        self.fields = {f.name: f for f in policy.fields}
        self.diags: list[Diagnostic] = []
        self.groups: dict[str, list[tuple[int, dict[str, str], Claim]]] = {}
        self.check_header(extra)

    def span(self, line: int, column: str | None) -> Span:
        col = self.columns.index(column) + 1 if column in self.columns else 1
        return Span.point(self.shown, line, col)

    def check_header(self, extra: Collection[str]) -> None:
        for name in REQUIRED:
            if name not in self.columns:
                self.diags.append(error("E031", f"理赔表缺少列“{name}”", Span.point(self.shown, 1, 1),
                                        f"必需的列：{'、'.join(REQUIRED)}"))
        known = {*REQUIRED, *self.enums, *self.fields, *extra}
        for name in self.columns:
            if name not in known:
                pool = [*REQUIRED, *self.enums, *self.fields]
                hint = did_you_mean(name, pool) or f"可用的列：{'、'.join(pool)}"
                self.diags.append(error("E015", f"理赔表有未知的列“{name}”", self.span(1, name), hint))

    def fail(self, line: int, row: int, column: str, message: str, hint: str | None = None) -> None:
        self.diags.append(error("E030", f"第 {row} 行“{column}”：{message}", self.span(line, column), hint))

    def add(self, row: int, line: int, values: dict[str, Any]) -> None:
        """Add data row `row` (1-based), found at `line` of the file (CSV) or equal to it (Parquet)."""
        pid = values.get(ID)
        pid = "" if pid is None else str(pid).strip()
        if not pid:
            self.fail(line, row, ID, "参保人ID 为空")
        day = claim_date(values.get(DATE))
        if day is None:
            self.fail(line, row, DATE, f"日期无效：{values.get(DATE)!s}", "日期写作 2024-01-01")
        fen = amount_fen(values.get(AMOUNT))
        if fen is None:
            self.fail(line, row, AMOUNT, f"费用无效：{values.get(AMOUNT)!s}",
                      "费用为不小于 0、最多两位小数的金额（元）")
        found: dict[str, object] = {}
        for name, fdef in self.fields.items():
            raw = values.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            value = typed_value(fdef.type, raw)
            if value is None:
                self.fail(line, row, name, f"“{raw}”不是{fdef.type}", f"{name} 的类型是{fdef.type}")
            else:
                found[name] = value
        for name, enum in self.enums.items():
            raw = values.get(name)
            text = "" if raw is None else str(raw).strip()
            if not text:
                continue
            if text not in enum.values:
                self.fail(line, row, name, f"“{text}”不是{name}的取值",
                          did_you_mean(text, list(enum.values)) or f"{name} 的取值：{'、'.join(enum.values)}")
            else:
                found[name] = text
        if pid and day is not None and fen is not None:
            claim = Claim(day, fen, facts(found), index=0, origin=Span.point(self.shown, line, 1))
            self.groups.setdefault(pid, []).append((row, found, claim))

    def people(self) -> tuple[PersonClaims, ...]:
        out = []
        for pid, entries in self.groups.items():
            first = entries[0][1]
            person = Person(pid, facts({k: v for k, v in first.items() if k in PERSON_FIELDS}))
            claims = tuple(attrs.evolve(c, index=i) for i, (_, _, c) in enumerate(entries))
            out.append(PersonClaims(person, claims, tuple(r for r, _, _ in entries)))
        return tuple(out)


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(text.splitlines(keepends=True))
    header = [h.strip() for h in next(reader, [])]

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            yield reader.line_num, dict(zip(header, record, strict=False))

    return header, rows()


def _parquet_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        n = 0
        for batch in table.to_batches(max_chunksize=65536):
            for record in batch.to_pylist():
                n += 1
                yield n + 1, record

    return list(table.column_names), rows()


def read_table(path: Path, policy: ir.Policy, extra_columns: Collection[str] = ()) -> ClaimTable:
    """Read a CSV or Parquet claim table, validated against the policy's enumerations.

    Rows are numbered from 1 after the header; a message's line is the file line for CSV and row + 1
    for Parquet (as if the header were line 1). Columns listed in extra_columns are allowed and ignored.
    """
    shown = display_path(path)
    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            header, rows = _parquet_rows(path)
        else:
            header, rows = _csv_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as e:
        hint = "CSV 请保存为 UTF-8 编码" if isinstance(e, UnicodeDecodeError) else None
        diag = error("E018", f"理赔表无法读取：{shown}（{type(e).__name__}: {e}）", Span.point(shown, 1, 1), hint)
        return ClaimTable(shown, (), 0, (diag,))
    collector = _Rows(policy, shown, header, extra_columns)
    count = 0
    if not any(d.code == "E031" for d in collector.diags):
        for count, (line, values) in enumerate(rows, 1):
            collector.add(count, line, values)
    return ClaimTable(shown, collector.people(), count, tuple(collector.diags))
