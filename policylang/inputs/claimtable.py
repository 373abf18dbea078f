"""Claim tables (CSV or Parquet): one row per claim, grouped by 参保人ID into (Person, claims).

Columns: 参保人ID, 日期, 费用, and any enumeration of the policy (险种, 人员类别, 就医类型, 医院等级 …).
Rows and cells come from tabletext.py and every cell is read by the rules of cells.py, the same as
`batch`; amounts become integer 分 through their decimal text, never through float arithmetic. Every
bad row gives a located message (row, column).
"""

from __future__ import annotations

from collections.abc import Collection
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, did_you_mean, error
from policylang.inputs.cells import (
    clean,
    enum_value,
    is_blank,
    parse_amount,
    parse_date,
    parse_number,
    person_id,
)
from policylang.inputs.factvalues import AMOUNT_HELP
from policylang.inputs.tabletext import LINE, PARQUET_SUFFIXES, PROBLEM, TableTextError, open_table
from policylang.ir.claims import PERSON_FIELDS, Claim, Person, facts
from policylang.source import Span, display_path

__all__ = ["AMOUNT", "DATE", "ID", "NUMBER_TYPES", "PARQUET_SUFFIXES", "PERSON_FIELDS", "REQUIRED", "ClaimTable",
           "PersonClaims", "amount_fen", "claim_date", "read_table", "typed_value"]

ID, DATE, AMOUNT = "参保人ID", "日期", "费用"
REQUIRED = (ID, DATE, AMOUNT)
# Enumerations that describe the insured person rather than one visit; the rest describe the claim.
NUMBER_TYPES = ("天数", "月数", "年数", "次数", "年龄")
amount_fen, claim_date = parse_amount, parse_date


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


def typed_value(kind: str, value: Any) -> object | None:
    """A typed field's value: 日期 → date, 金额 → 分, 天数/月数/年数/次数/年龄 → Fraction, 文字/是否 → text."""
    if kind == "日期":
        return parse_date(value)
    if kind == "金额":
        return parse_amount(value)
    if kind in NUMBER_TYPES:
        number = parse_number(value)
        return None if number is None else Fraction(number)
    text = clean(str(value))
    if kind == "是否":
        return text if text in ("是", "否") else None
    return text


class _Rows:
    """Turns raw rows into grouped claims, collecting every problem with its row and column."""

    def __init__(self, policy: ir.Policy, shown: str, columns: list[str], extra: Collection[str]) -> None:
        self.shown = shown
        self.columns = columns
        self.enums = {e.name: e for e in policy.enums}
        self.fields = {f.name: f for f in policy.fields}
        self.diags: list[Diagnostic] = []
        self.groups: dict[str, list[tuple[int, dict[str, object], Claim]]] = {}
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

    def add(self, line: int, problem: str | None, values: dict[str, Any]) -> None:
        """Add the row at `line` of the file; its row number (行号) is line − 1, as in batch."""
        row = line - 1
        if problem is not None:
            self.diags.append(error("E030", f"第 {row} 行：{problem}", Span.point(self.shown, line, 1)))
            return
        pid = person_id(values.get(ID))
        if pid is None:
            self.fail(line, row, ID, "参保人ID 为空")
        day = parse_date(values.get(DATE))
        if day is None:
            self.fail(line, row, DATE, f"日期无效：{values.get(DATE)!s}", "日期写作 2024-01-01")
        fen = parse_amount(values.get(AMOUNT))
        if fen is None:
            self.fail(line, row, AMOUNT, f"费用无效：{values.get(AMOUNT)!s}", f"费用{AMOUNT_HELP}（元）")
        found: dict[str, object] = {}
        for name, fdef in self.fields.items():
            raw = values.get(name)
            if is_blank(raw):
                continue
            value = typed_value(fdef.type, raw)
            if value is None:
                self.fail(line, row, name, f"“{raw}”不是{fdef.type}", f"{name} 的类型是{fdef.type}")
            else:
                found[name] = value
        for name, enum in self.enums.items():
            raw = values.get(name)
            if is_blank(raw):
                continue
            named = enum_value(raw, enum.values)
            if named is None:
                text = clean(str(raw))
                self.fail(line, row, name, f"“{text}”不是{name}的取值",
                          did_you_mean(text, list(enum.values)) or f"{name} 的取值：{'、'.join(enum.values)}")
            else:
                found[name] = named
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


def read_table(path: Path, policy: ir.Policy, extra_columns: Collection[str] = ()) -> ClaimTable:
    """Read a CSV or Parquet claim table, validated against the policy's enumerations.

    Rows are numbered as in tabletext.py (row N is line N + 1; empty lines count and are skipped); a
    message's line is the file line (for Parquet, row + 1). Columns in extra_columns are allowed, ignored.
    """
    shown = display_path(path)
    count = 0
    try:
        table = open_table(path)
        collector = _Rows(policy, shown, list(table.header), extra_columns)
        if not any(d.code == "E031" for d in collector.diags):
            for batch in table.batches():
                for record in batch.to_pylist():
                    count += 1
                    collector.add(record[LINE], record[PROBLEM], record)
    except (TableTextError, UnicodeDecodeError) as e:
        hint = "CSV 请保存为 UTF-8 编码" if "UTF-8" in str(e) else None
        diag = error("E018", f"理赔表无法读取：{shown}（{e}）", Span.point(shown, 1, 1), hint)
        return ClaimTable(shown, (), 0, (diag,))
    return ClaimTable(shown, collector.people(), count, tuple(collector.diags))
