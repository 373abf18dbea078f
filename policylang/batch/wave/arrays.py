"""One layer's row-local values (probe.LayerValues) as arrays, one entry per distinct key: rows index them by
their key id. Ratios are exact numerator/denominator pairs; a 各自累计 table's cells are codes."""

from __future__ import annotations

import attrs
import numpy as np

from policylang import ir
from policylang.batch.plan import fraction_arrays
from policylang.batch.wave.probe import LayerValues, RowValues

_NONE = LayerValues(False)


@attrs.frozen
class LayerArrays:
    applies: np.ndarray
    days: np.ndarray
    allowance: np.ndarray
    fee_limit: np.ndarray
    fee_cell: np.ndarray
    waived: np.ndarray
    deductible: np.ndarray
    ded_cell: np.ndarray
    ratio_num: np.ndarray
    ratio_den: np.ndarray
    band_id: np.ndarray  # index into bandsets
    bandsets: tuple[tuple[ir.Band, ...], ...]
    fixed: np.ndarray
    deductions: tuple[np.ndarray, ...]
    unit_caps: tuple[np.ndarray, ...]
    caps: tuple[np.ndarray, ...]
    cap_cells: tuple[np.ndarray, ...]
    formulas: dict[tuple[str, int], tuple[np.ndarray, list]]  # (slot, index) → (per key: code, −1 none; formulas)


def _codes(values: list) -> np.ndarray:
    seen: dict = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values] or [0], dtype=np.int64)


def layer_arrays(layer: ir.Layer, si: int, j: int, values: list[RowValues]) -> LayerArrays:
    lvs = [v.layers[j] if v.scheme == si and v.layers else _NONE for v in values]

    def ints(get) -> np.ndarray:
        return np.array([get(x) for x in lvs] or [0], dtype=np.int64)

    bandsets = tuple(dict.fromkeys(x.bands for x in lvs))
    ids = {b: i for i, b in enumerate(bandsets)}
    num, den = fraction_arrays([x.ratio for x in lvs])
    return LayerArrays(
        applies=np.array([x.applies for x in lvs] or [False], dtype=bool),
        days=ints(lambda x: x.days), allowance=ints(lambda x: x.allowance),
        fee_limit=ints(lambda x: x.fee_limit), fee_cell=_codes([x.fee_cell for x in lvs]),
        waived=np.array([x.waived for x in lvs] or [False], dtype=bool),
        deductible=ints(lambda x: x.deductible), ded_cell=_codes([x.ded_cell for x in lvs]),
        ratio_num=num, ratio_den=den, band_id=ints(lambda x: ids[x.bands]), bandsets=bandsets,
        fixed=ints(lambda x: x.fixed),
        deductions=tuple(ints(lambda x, k=k: x.deductions[k] if x.applies else 0) for k in range(len(layer.deductions))),
        unit_caps=tuple(ints(lambda x, k=k: x.unit_caps[k] if x.applies else 0) for k in range(len(layer.unit_caps))),
        caps=tuple(ints(lambda x, k=k: x.caps[k] if x.applies else 0) for k in range(len(layer.caps))),
        cap_cells=tuple(_codes([x.cap_cells[k] if x.applies else () for x in lvs]) for k in range(len(layer.caps))),
        formulas=_formulas(lvs),
    )


def _formulas(lvs: list[LayerValues]) -> dict[tuple[str, int], tuple[np.ndarray, list]]:
    slots = {(slot, k) for x in lvs for slot, k, _ in x.formulas}
    out = {}
    for slot in slots:
        codes = np.full(max(len(lvs), 1), -1, dtype=np.int64)
        found: list = []
        for i, x in enumerate(lvs):
            for name, k, f in x.formulas:
                if (name, k) == slot:
                    at = next((j for j, g in enumerate(found) if g is f), None)
                    if at is None:
                        found.append(f)
                        at = len(found) - 1
                    codes[i] = at
        out[slot] = (codes, found)
    return out
