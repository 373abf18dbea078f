"""The cell rules of cells.py over whole columns (Arrow, pandas), for batch.

A column is dictionary-encoded and the scalar rule applied once per distinct value, so the vectorised
form is the scalar rule by construction (tests/inputs/test_cells.py checks it on tricky strings) and a
million rows cost as many parses as they have distinct values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from policylang.inputs.cells import person_id


def person_keys(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """参保人ID of every row by cells.person_id (null where blank)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = values.dictionary_encode()
    keys = pa.array([person_id(v) for v in encoded.dictionary.to_pylist()], type=pa.string())
    return pc.take(keys, encoded.indices)


def per_distinct(values: pd.Series, parse: Callable[[Any], Any]) -> tuple[np.ndarray, list]:
    """(code per row, −1 for null; parse(v) per distinct non-null value)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), [parse(v) for v in uniques]
