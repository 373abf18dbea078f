"""Columns back to a claim table (text cells as a person would type them), for tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from policylang import ir
from policylang.batch.columns import AMOUNT, DATE, ITEMS, PERSON, Columns
from policylang.ir.units import fmt_plain


def cell_text(policy: ir.Policy, field: str, value: object) -> str:
    """The text that parse_fact reads back as value."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        raise TypeError(field)
    if isinstance(value, int):
        return fmt_plain(value)
    if isinstance(value, Fraction):
        fdef = policy.field(field)
        if fdef is not None and fdef.type == "年数":
            value = value / 12
        d = Decimal(value.numerator) / Decimal(value.denominator)
        return format(d.normalize(), "f")
    return str(value)


def to_arrow(policy: ir.Policy, cols: Columns) -> pa.Table:
    days = cols.date.astype("datetime64[D]").astype(str)
    yuan = np.char.add(np.char.add((cols.amount // 100).astype(str), "."),
                       np.char.zfill((cols.amount % 100).astype(str), 2))
    data: dict[str, object] = {PERSON: np.array(cols.person_ids, dtype=object)[cols.person], DATE: days,
                               AMOUNT: yuan}
    for name, col in cols.facts.items():
        texts = np.array([cell_text(policy, name, v) for v in col.values] + [None], dtype=object)
        data[name] = texts[col.codes]
    if cols.items:
        items = np.full(len(cols), None, dtype=object)
        for pos, its in cols.items.items():
            items[pos] = json.dumps([{"名称": i.name, "类别": i.cls, "金额": fmt_plain(i.amount)} for i in its],
                                    ensure_ascii=False)
        data[ITEMS] = items
    return pa.table({k: pa.array(v, type=pa.string()) for k, v in data.items()})


def write_table(policy: ir.Policy, cols: Columns, path: Path) -> None:
    table = to_arrow(policy, cols)
    if path.suffix.lower() == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
