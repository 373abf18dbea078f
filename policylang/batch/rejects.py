"""Validation of claim-table rows: each row becomes typed columns or a reject with its reason.

The rules are those of every reader (policylang/inputs/cells.py, through inputs/columnar.py: each rule
applied once per distinct value of a column, so a million rows cost a few thousand parses). A row that
tabletext.py could not read as cells (ragged, blanks only, not UTF-8) is rejected with that reason alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from policylang import ir
from policylang.batch.columns import AMOUNT, DATE, ITEMS, PERSON, RESERVED, Columns, FactColumn, day_number
from policylang.diagnostics import did_you_mean
from policylang.inputs.cells import MAX_AMOUNT_FEN, is_blank, parse_date
from policylang.inputs.columnar import per_distinct, person_keys
from policylang.inputs.factvalues import AMOUNT_HELP, parse_amount, parse_fact
from policylang.inputs.tabletext import PROBLEM
from policylang.ir.claims import CLASSES, Item

ROW, REJECT, KEY = "__row", "__reject", "__person"  # KEY: the row's person key (cells.person_id)
INTERNAL = (ROW, PROBLEM, KEY)


class TableError(Exception):
    """A claim table that cannot be read at all (a missing or unknown column)."""


def check_header(policy: ir.Policy, columns: Sequence[str]) -> None:
    known = {*RESERVED, *(e.name for e in policy.enums), *(f.name for f in policy.fields)}
    unknown = [c for c in columns if c not in known]
    if unknown:
        hints = [h for c in unknown if (h := did_you_mean(c, sorted(known)))]
        hint = f"；{hints[0]}" if hints else ""
        raise TableError(f"未知的列“{'、'.join(unknown)}”{hint} (unknown column)")
    for need in (PERSON, DATE):
        if need not in columns:
            raise TableError(f"缺少列“{need}” (missing column {need})")
    if AMOUNT not in columns and ITEMS not in columns:
        raise TableError("缺少列“费用”（或“明细”） (missing column 费用)")


def _blank(values: pd.Series) -> np.ndarray:
    codes, blank = per_distinct(values, is_blank)
    return (codes < 0) | np.array([blank[c] if c >= 0 else True for c in codes], dtype=bool)


def _parse_unique(values: pd.Series, parse) -> tuple[np.ndarray, list, list]:
    """codes per row, parsed value per distinct raw value, error per distinct raw value (None if fine)."""
    codes, results = per_distinct(values, parse)
    return codes, [v for v, _ in results], [e for _, e in results]


def _items(raw: str) -> tuple[tuple[Item, ...] | None, str | None]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None, "明细不是有效的 JSON 数组"
    if not isinstance(data, list):
        return None, "明细应为数组"
    out = []
    for obj in data:
        if not isinstance(obj, dict) or not {"名称", "类别", "金额"} <= set(obj):
            return None, "每条明细都要有 名称、类别、金额"
        amount = parse_amount(obj["金额"])
        if amount is None:
            return None, f"明细金额无效：{obj['金额']!s}"
        if obj["类别"] not in CLASSES:
            return None, f"“{obj['类别']}”不是目录类别（{'、'.join(CLASSES)}）"
        out.append(Item(str(obj["名称"]), obj["类别"], amount))
    if sum(i.amount for i in out) > MAX_AMOUNT_FEN:
        return None, "明细合计超过 10 亿元 (itemised total too large)"
    return tuple(out), None


def validate(policy: ir.Policy, frame: pd.DataFrame) -> tuple[Columns, np.ndarray, pd.DataFrame]:
    """(typed columns of the good rows, their positions in frame, rejects with row number and reason)."""
    n = len(frame)
    reasons: list[list[str]] = [[] for _ in range(n)]

    def fail(mask: np.ndarray, text) -> None:
        for i in np.nonzero(mask)[0]:
            reasons[i].append(text(i) if callable(text) else text)

    unread = frame[PROBLEM].notna().to_numpy() if PROBLEM in frame else np.zeros(n, dtype=bool)
    person = pd.Series(person_keys(pa.Array.from_pandas(frame[PERSON].astype(object), type=pa.string()))
                       .to_pylist(), dtype=object)
    fail(person.isna().to_numpy(), "缺少“参保人ID”")

    blank_date = _blank(frame[DATE])
    fail(blank_date, "缺少“日期”")
    dcodes, dvals, derrs = _parse_unique(frame[DATE].where(~blank_date), lambda r: (
        (d := parse_date(str(r))), None if d else f"日期无效：{r}"))
    fail(np.array([c >= 0 and derrs[c] is not None for c in dcodes], dtype=bool),
         lambda i: derrs[dcodes[i]])

    amount = np.zeros(n, dtype=np.int64)
    items: dict[int, tuple[Item, ...]] = {}
    has_items = np.zeros(n, dtype=bool)
    if ITEMS in frame:
        blank_items = _blank(frame[ITEMS])
        has_items = ~blank_items
        for i in np.nonzero(has_items)[0]:
            parsed, error = _items(str(frame[ITEMS].iloc[i]))
            if error:
                reasons[i].append(error)
            else:
                items[int(i)] = parsed  # type: ignore[assignment]
                amount[i] = sum(it.amount for it in parsed)  # type: ignore[union-attr]
    if AMOUNT in frame:
        blank_amount = _blank(frame[AMOUNT])
        fail(blank_amount & ~has_items, "缺少“费用”（或“明细”）")
        acodes, avals, aerrs = _parse_unique(frame[AMOUNT].where(~blank_amount), lambda r: (
            (a := parse_amount(str(r))), None if a is not None else
            f"费用无效：{r}（{AMOUNT_HELP}）"))
        bad = np.array([c >= 0 and aerrs[c] is not None for c in acodes], dtype=bool)
        fail(bad, lambda i: aerrs[acodes[i]])
        fee = np.array([0 if c < 0 or avals[c] is None else avals[c] for c in acodes], dtype=np.int64)
        given = (acodes >= 0) & ~bad
        mismatch = given & has_items & (fee != amount)
        fail(mismatch, "费用与明细合计不符")
        amount = np.where(has_items, amount, fee)
    else:
        fail(~has_items, "缺少“费用”（或“明细”）")

    facts: dict[str, FactColumn] = {}
    for name in frame.columns:
        if name in RESERVED or name in INTERNAL:
            continue
        blank = _blank(frame[name])
        codes, vals, errs = _parse_unique(frame[name].where(~blank), lambda r, name=name: (
            (p := parse_fact(policy, name, str(r)))[0], p[2]))
        fail(np.array([c >= 0 and errs[c] is not None for c in codes], dtype=bool),
             lambda i, errs=errs, codes=codes: errs[codes[i]])
        facts[name] = FactColumn(np.asarray(codes, dtype=np.int64), tuple(vals))

    for i in np.nonzero(unread)[0]:
        reasons[i] = [frame[PROBLEM].iloc[i]]
    ok = np.array([not r for r in reasons], dtype=bool)
    good = np.nonzero(ok)[0]
    rows = frame[ROW].to_numpy(dtype=np.int64)
    pcodes, pids = pd.factorize(person.iloc[good].to_numpy(dtype=object))
    date_days = np.array([day_number(dvals[c]) if c >= 0 and dvals[c] else 0 for c in dcodes], dtype=np.int64)
    where = {int(p): i for i, p in enumerate(good)}
    cols = Columns(rows[good], pcodes.astype(np.int64), tuple(str(p) for p in pids), date_days[good], amount[good],
                   {k: c.take(good) for k, c in facts.items()},
                   {where[p]: it for p, it in items.items() if p in where})
    bad_rows = np.nonzero(~ok)[0]
    rejects = pd.DataFrame({ROW: rows[bad_rows], REJECT: ["；".join(reasons[i]) for i in bad_rows]})
    return cols, good, rejects
