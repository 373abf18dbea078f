"""已累计 in a claim table: year-to-date totals as columns, one per running total, read onto each person.

A column headed 已累计：NAME (or 已累计:NAME) holds what the person had counted in the total NAME — a named 累计,
or a layer's own 起付线 / 封顶线 / 费用限额 as ir.balances names them — by the date in the optional column 截至
(else by the person's first claim), as a JSON claim file's "已累计" and "截至" do. The amount is the person's, so
every row of the person carries it (or leaves it blank); two different amounts for one person reject those
rows, as does an amount or date that cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from policylang import ir
from policylang.diagnostics import did_you_mean
from policylang.inputs.cells import parse_date
from policylang.inputs.factvalues import AMOUNT_HELP, parse_amount
from policylang.ir.balances import targets
from policylang.ir.claims import Person

AS_OF = "截至"
_HEADER = re.compile(r"已累计\s*[:：]\s*(.+)")


def opening_name(column: str) -> str | None:
    """The total a column opens (已累计：共用起付 → 共用起付), or None for any other column."""
    m = _HEADER.fullmatch(column.strip())
    return m.group(1).strip() if m else None


def header_problem(policy: ir.Policy, columns: Sequence[str]) -> str | None:
    """Why the table's 已累计 columns cannot be read (an unknown total), or None."""
    names = targets(policy)
    for column in columns:
        name = opening_name(column)
        if name is not None and name not in names:
            hint = did_you_mean(name, sorted(names))
            return f"没有名为“{name}”的年度累计（列“{column}”）{'；' + hint if hint else ''} (no running total {name})"
    return None


def is_opening(column: str) -> bool:
    return column == AS_OF or opening_name(column) is not None


def _blank(text: pd.Series) -> np.ndarray:
    return text.isna().to_numpy() | (text.astype(str).str.strip() == "").to_numpy()


def check_openings(columns: dict[str, pa.Array], person: pa.Array, fail: Callable) -> dict:
    """Per row: each total's amount in 分 (pandas Int64, NA where blank) and the 截至 date (None where blank); bad cells and
    a second, different amount for one person go to fail(mask, why)."""
    out: dict[str, np.ndarray] = {}
    who = person.dictionary_encode().indices.fill_null(-1).to_numpy(zero_copy_only=False)
    for column, values in columns.items():
        text = values.to_pandas().astype(object)
        blank = _blank(text)
        if column == AS_OF:
            parsed = {v: parse_date(str(v)) for v in pd.unique(text[~blank])}
            day = np.array([None if b else parsed[v] for v, b in zip(text, blank, strict=True)], dtype=object)
            fail(~blank & np.array([d is None for d in day], dtype=bool),
                 lambda i, t=text: f"截至日期无效：{t.iloc[i]} (invalid date)")
            out[AS_OF] = day
            continue
        parsed = {v: parse_amount(str(v)) for v in pd.unique(text[~blank])}
        # whole 分 as nullable integers (pandas Int64: exact, NA where blank or unreadable), never floats
        fen = pd.array([None if b else parsed[v] for v, b in zip(text, blank, strict=True)], dtype="Int64")
        given = ~np.asarray(fen.isna())
        fail(~blank & ~given, lambda i, t=text: f"已累计金额无效：{t.iloc[i]}（{AMOUNT_HELP}）")
        first = pd.Series(fen).groupby(who).transform("first")
        differs = given & np.asarray((pd.Series(fen) != first).fillna(False), dtype=bool)
        fail(differs, "同一参保人的已累计金额不一致 (one person, two year-to-date amounts)")
        out[opening_name(column) or column] = fen
    return out


def openings_of(per_row: dict[str, np.ndarray], person: np.ndarray, ids: Sequence[str],
                good: np.ndarray) -> dict[int, Person]:
    """Each person's 已累计 (by person code of the good rows), from check_openings' columns."""
    names = [k for k in per_row if k != AS_OF]
    if not names or not len(good):
        return {}
    frame = pd.DataFrame({f"a{k}": pd.Series(per_row[name]).take(good).reset_index(drop=True)
                          for k, name in enumerate(names)})
    frame["p"] = person
    frame["d"] = per_row[AS_OF][good] if AS_OF in per_row else None
    first = frame.groupby("p", sort=False).first()
    out: dict[int, Person] = {}
    for code, row in first.iterrows():
        opening = tuple((name, int(row[f"a{k}"])) for k, name in enumerate(names) if pd.notna(row[f"a{k}"]))
        if opening:
            as_of = row["d"] if row["d"] is not None and not pd.isna(row["d"]) else None
            out[int(code)] = Person(ids[int(code)], opening=opening, opening_date=as_of)
    return out


__all__ = ["AS_OF", "check_openings", "header_problem", "is_opening", "opening_name", "openings_of"]
