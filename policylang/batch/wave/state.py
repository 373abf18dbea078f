"""Running totals of the wave engine: one int64 array per accumulator, one slot per (person, key).

A slot id is worked out for every row before the first step (group_ids over the person and the key's
columns), so a step reads and writes its claims' totals by fancy indexing. Each person has one claim in a step,
so the slots a step touches are distinct. Writes are journalled per step: a claim refused whole undoes what it
counted (eval/settle.py Ledger), restored in reverse order so the oldest value wins.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import numpy as np
import pandas as pd

from policylang.batch.segments import group_ids

KeyColumns = Callable[[], list[np.ndarray]]  # the key's columns for every row (person is added)


class State:
    def __init__(self, person: np.ndarray) -> None:
        self.person = person
        self.slot_of: dict[Hashable, np.ndarray] = {}
        self.values: dict[Hashable, np.ndarray] = {}
        self.by_spec: dict[Hashable, np.ndarray] = {}
        self.journal: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def family(self, name: Hashable, key: KeyColumns, spec: Hashable | None = None) -> Hashable:
        """Declare an accumulator (once): key() gives its key columns for every row; families with the same
        spec (the same scope key) share their slot ids."""
        if name not in self.slot_of:
            ids = self.by_spec.get(spec) if spec is not None else None
            if ids is None:
                ids = group_ids(self.person, *key())
                if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= 4 * len(ids) + 64):  # sparse: number them
                    ids = pd.factorize(ids)[0].astype(np.int64)
                if spec is not None:
                    self.by_spec[spec] = ids
            self.slot_of[name] = ids
            self.values[name] = np.zeros(int(ids.max()) + 1 if len(ids) else 1, dtype=np.int64)
        return name

    def get(self, name: Hashable, rows: np.ndarray) -> np.ndarray:
        return self.values[name][self.slot_of[name][rows]]

    def put(self, name: Hashable, rows: np.ndarray, new: np.ndarray) -> None:
        values = self.values[name]
        slots = self.slot_of[name][rows]
        self.journal.append((values, slots, values[slots].copy(), rows))
        values[slots] = new

    def add(self, name: Hashable, rows: np.ndarray, delta: np.ndarray) -> np.ndarray:
        """Add delta to the rows' totals; returns the totals after."""
        after = self.get(name, rows) + delta
        self.put(name, rows, after)
        return after

    def begin(self) -> None:
        self.journal = []

    def undo(self, refused: np.ndarray) -> None:
        """Restore every total the refused rows (positions) wrote in this step."""
        if len(refused):
            for values, slots, old, rows in reversed(self.journal):
                m = np.isin(rows, refused)
                if m.any():
                    values[slots[m]] = old[m]
        self.journal = []


def by_unique(fn, *keys: np.ndarray) -> tuple[list, np.ndarray]:
    """fn once per distinct tuple of the int keys (Python values, from the memo of a row-local lookup):
    (the results, an index per row into them)."""
    if len(keys[0]) == 0:
        return [], np.zeros(0, dtype=np.int64)
    stacked = np.stack(keys, axis=1)
    uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return [fn(*map(int, u)) for u in uniq], inverse.reshape(-1)


__all__ = ["State", "by_unique"]
