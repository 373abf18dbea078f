"""Validation of claim-table rows: each row becomes typed columns or a reject with its reason.

The rules are those of every reader (policylang/inputs/cells.py, through inputs/columnar.py: plain IDs and
amounts by Arrow compute, every other cell by its rule once per distinct value). Per-row work is NumPy:
a rule's result per distinct value becomes an array indexed by the row's code. Only rejected rows get
Python, for their reason text. A row that tabletext.py could not read as cells (ragged, blanks only, not
UTF-8) is rejected with that reason alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from policylang import ir
from policylang.batch.columns import (
    AMOUNT,
    DATE,
    ITEMS,
    PERSON,
    RESERVED,
    ArrowStrings,
    Columns,
    FactColumn,
    day_number,
)
from policylang.batch.openings import check_openings, header_problem, is_opening, openings_of
from policylang.diagnostics import did_you_mean
from policylang.inputs.cells import MAX_AMOUNT_FEN, parse_date
from policylang.inputs.columnar import blank_cells, person_keys, plain_amounts
from policylang.inputs.factvalues import AMOUNT_HELP, parse_amount, parse_fact
from policylang.inputs.tabletext import PROBLEM, cell_text, keeps_type
from policylang.ir.claims import CLASSES, Item
from policylang.ir.values import FieldType

_FIRST_DAY, _LAST_DAY = day_number(dt.date(1, 1, 1)), day_number(dt.date(9999, 12, 31))
ROW, REJECT, KEY = "__row", "__reject", "__person"  # KEY: the row's person key (cells.person_id)
INTERNAL = (ROW, PROBLEM, KEY)


class TableError(Exception):
    """A claim table that cannot be read at all (a missing or unknown column)."""


def check_header(policy: ir.Policy, columns: Sequence[str]) -> None:
    known = {*RESERVED, *(e.name for e in policy.enums), *(f.name for f in policy.fields)}
    problem = header_problem(policy, columns)  # 已累计：NAME columns (openings.py)
    if problem:
        raise TableError(problem)
    unknown = [c for c in columns if c not in known and not is_opening(c)]
    if unknown:
        hints = [h for c in unknown if (h := did_you_mean(c, sorted(known)))]
        hint = f"；{hints[0]}" if hints else ""
        raise TableError(f"未知的列“{'、'.join(unknown)}”{hint} (unknown column)")
    for need in (PERSON, DATE):
        if need not in columns:
            raise TableError(f"缺少列“{need}” (missing column {need})")
    if AMOUNT not in columns and ITEMS not in columns:
        raise TableError("缺少列“费用”（或“明细”） (missing column 费用)")


def _by_code(codes: np.ndarray, per_value: list, absent, dtype=bool) -> np.ndarray:
    """per_value[code] for every row, `absent` where code is −1: one NumPy take, no Python per row."""
    return np.array([*per_value, absent], dtype=dtype)[codes]


def as_table(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """A chunk as Arrow: ROW int64, every other column text (a DataFrame's missing cells become nulls)."""
    if isinstance(frame, pa.Table):
        return frame
    arrays = [pa.array(frame[c].to_numpy(dtype=np.int64)) if c == ROW else
              pa.Array.from_pandas(frame[c].astype(object).where(frame[c].notna(), None), type=pa.string())
              for c in frame.columns]
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


def _text(table: pa.Table, name: str) -> pa.Array:
    values = table.column(name).combine_chunks()
    return values if pa.types.is_string(values.type) else cell_text(values)


def _column(table: pa.Table, name: str) -> pa.Array:
    """The column as read: text, or a type tabletext.keeps_type keeps (typed Parquet input)."""
    values = table.column(name).combine_chunks()
    return values if pa.types.is_string(values.type) or keeps_type(values.type) else cell_text(values)


def _typed_days(values: pa.Array) -> np.ndarray | None:
    """date32 cells as day numbers (columns.day_number: days since 1970-01-01, as date32 stores them), if every
    date is one parse_date reads from its text (years 1–9999); else None and the text rule decides."""
    if not pa.types.is_date32(values.type):
        return None
    days = values.cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    if len(days) and (days.min() < _FIRST_DAY or days.max() > _LAST_DAY):
        return None
    return days


def _typed_fen(values: pa.Array) -> np.ndarray | None:
    """Integer or decimal (at most 2 places) 费用 as 分, exactly, if every amount is one parse_amount accepts
    (0 to 10 亿元); else None and the text rule decides, with its messages."""
    kind = values.type
    if (pa.types.is_integer(kind) and kind.bit_width <= 32) or pa.types.is_int64(kind):
        whole = values.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        if len(whole) and (whole.min() < 0 or whole.max() > MAX_AMOUNT_FEN // 100):
            return None
        return whole * 100
    if not pa.types.is_decimal128(kind) or kind.scale > 2 or kind.scale < 0 or kind.precision - kind.scale > 24:
        return None
    exact = values.cast(pa.decimal128(kind.precision - kind.scale + 2, 2)).fill_null(0)
    if len(exact) and (pc.min(exact).as_py() < 0 or pc.max(exact).as_py() > MAX_AMOUNT_FEN / 100):
        return None
    exact = exact.cast(pa.decimal128(38, 2))
    # decimal128 is a 16-byte little-endian unscaled integer; 0 ≤ it ≤ 10^11, so the low word is it
    n, offset = len(exact), exact.offset
    words = np.frombuffer(exact.buffers()[1], dtype=np.int64, count=2 * (offset + n))
    return words[2 * offset::2].copy()


def _encoded(values: pa.Array) -> pa.DictionaryArray:
    """values dictionary-encoded in order of first appearance, as dictionary_encode() of its text gives;
    a typed dictionary column is re-encoded by its integer codes, its text never built per row."""
    if pa.types.is_dictionary(values.type):
        words = cell_text(values.dictionary)
        if words.null_count == 0 and pc.count_distinct(words).as_py() == len(words):
            inner = values.indices.dictionary_encode()  # first appearance of each used entry
            return pa.DictionaryArray.from_arrays(inner.indices, words.take(inner.dictionary))
        values = cell_text(values)
    return values.dictionary_encode()


def _errors(codes: np.ndarray, errs: list) -> np.ndarray:
    return _by_code(codes, [e is not None for e in errs], False)


def _parse_unique(values: pa.Array, keep: np.ndarray, parse) -> tuple[np.ndarray, list, list]:
    """codes per row (−1 where not kept or null), parsed value and error (None if fine) per distinct value."""
    kept = pc.if_else(pa.array(keep, pa.bool_()), values, pa.nulls(len(values), pa.string()))
    encoded = kept.dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    results = [parse(v) for v in encoded.dictionary.to_pylist()]
    return codes, [v for v, _ in results], [e for _, e in results]


def _by_value(values: pa.Array, parse, money: bool = False) -> tuple[np.ndarray, np.ndarray, list, list]:
    """(blank per row, code per row — −1 where blank —, parsed value and error per distinct non-blank value).

    The column is dictionary-encoded first, so blanks (cells.is_blank) and parse run once per distinct value;
    money: plain amounts (1234.56) are read by Arrow's decimal cast (plain_amounts), parse only for the rest."""
    encoded = _encoded(values)
    blank = np.r_[blank_cells(encoded.dictionary), True]  # the last entry: a null cell
    idx = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    keep = np.nonzero(~blank[:-1])[0]
    remap = np.full(len(blank), -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    kept = encoded.dictionary.take(pa.array(keep, pa.int64()))
    if money and len(kept):
        plain, fen = plain_amounts(kept)
        parsed = fen.tolist()
        errs: list = [None] * len(parsed)
        for i in np.nonzero(~plain)[0]:
            parsed[i], errs[i] = parse(kept[int(i)].as_py())
        return blank[idx], remap[idx], parsed, errs
    results = [parse(v) for v in kept.to_pylist()]
    return blank[idx], remap[idx], [v for v, _ in results], [e for _, e in results]


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


def validate(policy: ir.Policy, frame: pd.DataFrame | pa.Table) -> tuple[Columns, np.ndarray, pd.DataFrame]:
    """(typed columns of the good rows, their positions in frame, rejects with row number and reason).

    Columns are read as Arrow arrays: plain cells by Arrow compute, the rest once per distinct value."""
    table = as_table(frame)
    if any(pa.types.is_dictionary(t) for t in table.schema.types):
        table = table.unify_dictionaries()  # one dictionary per column across chunks
    n = table.num_rows
    reasons: dict[int, list[str]] = {}  # rejected rows only

    def fail(mask: np.ndarray, text) -> None:
        for i in np.nonzero(mask)[0]:
            reasons.setdefault(int(i), []).append(text(i) if callable(text) else text)

    names = table.column_names
    problem = table.column(PROBLEM).combine_chunks() if PROBLEM in names else None
    unread = problem.is_valid().to_numpy(zero_copy_only=False) if problem is not None else np.zeros(n, dtype=bool)
    person = table.column(KEY).combine_chunks() if KEY in names else person_keys(_text(table, PERSON))
    fail(person.is_null().to_numpy(zero_copy_only=False), "缺少“参保人ID”")

    typed_days = _typed_days(_column(table, DATE))
    if typed_days is not None:  # date32: null is blank, every other cell a valid date
        fail(_column(table, DATE).is_null().to_numpy(zero_copy_only=False), "缺少“日期”")
    else:
        blank_date, dcodes, dvals, derrs = _by_value(_text(table, DATE), lambda r: (
            (d := parse_date(str(r))), None if d else f"日期无效：{r}"))
        fail(blank_date, "缺少“日期”")
        fail(_errors(dcodes, derrs), lambda i: derrs[dcodes[i]])

    amount = np.zeros(n, dtype=np.int64)
    items: dict[int, tuple[Item, ...]] = {}
    has_items = np.zeros(n, dtype=bool)
    if ITEMS in names:
        item_text = _text(table, ITEMS)
        has_items = ~blank_cells(item_text)
        for i in np.nonzero(has_items)[0]:
            parsed, error = _items(str(item_text[int(i)].as_py()))
            if error:
                reasons.setdefault(int(i), []).append(error)
            else:
                items[int(i)] = parsed  # type: ignore[assignment]
                amount[i] = sum(it.amount for it in parsed)  # type: ignore[union-attr]
    typed_fee = _typed_fen(_column(table, AMOUNT)) if AMOUNT in names else None
    if typed_fee is not None:  # integer or decimal 费用, every amount valid: null is blank
        blank_amount = _column(table, AMOUNT).is_null().to_numpy(zero_copy_only=False)
        fail(blank_amount & ~has_items, "缺少“费用”（或“明细”）")
        mismatch = ~blank_amount & has_items & (typed_fee != amount)
        fail(mismatch, "费用与明细合计不符")
        amount = np.where(has_items, amount, typed_fee)
    elif AMOUNT in names:
        amount_text = _text(table, AMOUNT)
        blank_amount = blank_cells(amount_text)
        fail(blank_amount & ~has_items, "缺少“费用”（或“明细”）")
        plain, plain_fen = plain_amounts(amount_text)
        acodes, avals, aerrs = _parse_unique(amount_text, ~blank_amount & ~plain, lambda r: (
            (a := parse_amount(str(r))), None if a is not None else
            f"费用无效：{r}（{AMOUNT_HELP}）"))
        bad = _errors(acodes, aerrs)
        fail(bad, lambda i: aerrs[acodes[i]])
        fee = np.where(plain, plain_fen, _by_code(acodes, [0 if v is None else v for v in avals], 0, np.int64))
        given = (plain | (acodes >= 0)) & ~bad
        mismatch = given & has_items & (fee != amount)
        fail(mismatch, "费用与明细合计不符")
        amount = np.where(has_items, amount, fee)
    else:
        fail(~has_items, "缺少“费用”（或“明细”）")

    opening_columns = {c: _text(table, c) for c in names if is_opening(c)}
    per_person = check_openings(opening_columns, person, fail) if opening_columns else {}
    facts: dict[str, FactColumn] = {}
    for name in names:
        if name in RESERVED or name in INTERNAL or name in opening_columns:
            continue
        column = _column(table, name)  # a dictionary stays one (codes re-encoded); any other type as text
        column = column if pa.types.is_dictionary(column.type) or pa.types.is_string(column.type) else cell_text(column)
        fdef = policy.field(name)
        _, codes, vals, errs = _by_value(column, lambda r, name=name: (
            (p := parse_fact(policy, name, str(r)))[0], p[2]),
            money=fdef is not None and fdef.type == FieldType.MONEY and policy.enum(name) is None)
        fail(_errors(codes, errs), lambda i, errs=errs, codes=codes: errs[codes[i]])
        facts[name] = FactColumn(codes, tuple(vals))

    for i in np.nonzero(unread)[0]:
        reasons[int(i)] = [problem[int(i)].as_py()]  # type: ignore[index]
    ok = np.ones(n, dtype=bool)
    ok[list(reasons)] = False
    good = np.nonzero(ok)[0]
    rows = table.column(ROW).to_numpy().astype(np.int64)
    people = (person if len(good) == n else person.take(pa.array(good))).dictionary_encode()  # first-appearance codes
    pcodes, pids = people.indices.to_numpy(zero_copy_only=False), ArrowStrings(people.dictionary)
    date_days = typed_days if typed_days is not None else \
        _by_code(dcodes, [day_number(d) if d else 0 for d in dvals], 0, np.int64)
    where = {int(p): i for i, p in enumerate(good)} if items else {}  # only itemised tables need it
    if len(good) == n:  # every row good (the usual case): the arrays as they are, no copies
        cols = Columns(rows, pcodes.astype(np.int64), pids, date_days, amount, facts, items)
    else:
        cols = Columns(rows[good], pcodes.astype(np.int64), pids, date_days[good], amount[good],
                       {k: c.take(good) for k, c in facts.items()},
                       {where[p]: it for p, it in items.items() if p in where})
    if per_person:
        cols = attrs.evolve(cols, openings=openings_of(per_person, cols.person, pids, good))
    bad_rows = np.nonzero(~ok)[0]
    rejects = pd.DataFrame({ROW: rows[bad_rows], REJECT: ["；".join(reasons[int(i)]) for i in bad_rows]})
    return cols, good, rejects
