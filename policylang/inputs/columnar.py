"""The cell rules of cells.py over whole columns (Arrow, pandas), for batch.

Cells in the plain form almost every table uses (an ASCII ID without blanks at the ends; an amount like
123, 123.4 or 123.45) are read by Arrow compute alone: for exactly those texts the rule of cells.py gives
the text itself, or that decimal in 分 (tests/inputs/test_cells.py checks both forms agree, on tricky
strings and on generated ones). Every other cell is dictionary-encoded and the scalar rule applied once
per distinct value, so the vectorised form is the scalar rule by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from policylang.inputs.cells import is_blank, person_id

# Printable ASCII, no blank at either end: NFKC and the strip of cells.clean leave it as it is.
_PLAIN_ID = r"^[!-~](?:[ -~]*[!-~])?$"
# Up to 9 integer digits (below the 10 亿元 maximum) and at most 2 decimals (whole 分).
_PLAIN_AMOUNT = r"^[0-9]{1,9}(?:\.[0-9]{1,2})?$"


def _plain(values: pa.Array, pattern: str) -> pa.Array:
    return pc.fill_null(pc.match_substring_regex(values, pattern), False)


def person_keys(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """参保人ID of every row by cells.person_id (null where blank)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    if _all_plain_ids(values):  # the usual table: the IDs are the keys, checked at NumPy speed
        return values
    plain = _plain(values, _PLAIN_ID)
    encoded = pc.if_else(plain, pa.nulls(len(values), pa.string()), values).dictionary_encode()
    keys = pa.array([person_id(v) for v in encoded.dictionary.to_pylist()], type=pa.string())
    return pc.if_else(plain, values, pc.take(keys, encoded.indices))


def _all_plain_ids(values: pa.StringArray) -> bool:
    """Whether every cell matches _PLAIN_ID (no null, printable ASCII, no space at either end): the bytes'
    range and two prefix tests instead of a regular expression per cell (half a second at 10M rows)."""
    n = len(values)
    if n == 0 or values.null_count or pc.any(pc.equal(pc.binary_length(values), 0)).as_py():
        return n == 0
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32, count=n + 1, offset=4 * values.offset)
    start = int(offsets[0])
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8, count=int(offsets[-1]) - start, offset=start)
    if int(data.min()) < 0x20 or int(data.max()) > 0x7E:  # a byte outside " " … "~"
        return False
    return not (pc.any(pc.starts_with(values, " ")).as_py() or pc.any(pc.ends_with(values, " ")).as_py())


def blank_cells(values: pa.Array) -> np.ndarray:
    """cells.is_blank of every cell: a cell with a printable ASCII character is not blank (NFKC keeps it);
    the others go through the rule once per distinct value."""
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    filled = _plain(values, "[!-~]")
    encoded = pc.if_else(filled, pa.nulls(len(values), pa.string()), values).dictionary_encode()
    blank = np.array([is_blank(v) for v in encoded.dictionary.to_pylist()] + [True], dtype=bool)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return ~filled.to_numpy(zero_copy_only=False) & blank[codes]


def plain_amounts(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(which cells are plain amounts, their 分 — 0 elsewhere), by Arrow's decimal cast: exact, no floats.

    The other cells are for cells.parse_amount, one distinct value at a time (rejects.py)."""
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    plain = _plain(values, _PLAIN_AMOUNT)
    decimals = pc.cast(pc.if_else(plain, values, "0"), pa.decimal128(11, 2))
    n, offset = len(decimals), decimals.offset
    # decimal128 is a 16-byte little-endian unscaled integer; these are below 10^11, so the low word is it
    words = np.frombuffer(decimals.buffers()[1], dtype=np.int64, count=2 * (offset + n))
    return plain.to_numpy(zero_copy_only=False), words[2 * offset::2].copy()


def per_distinct(values: pd.Series, parse: Callable[[Any], Any]) -> tuple[np.ndarray, list]:
    """(code per row, −1 for null; parse(v) per distinct non-null value)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), [parse(v) for v in uniques]
