"""要求 (eligibility requirements) over whole columns: one refusal mask and reason per row.

Each requirement reads a few fields (and perhaps the claim's date or 费用), so it is checked once per
distinct key of exactly those — by the scalar evaluator's own `ClaimSettler.requirements`, one requirement
at a time — and the verdicts become per-row codes. A row's reasons are its scheme's failing requirements in
their written order, joined as the scalar evaluator joins them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from policylang import ir
from policylang.batch.columns import Columns, from_day
from policylang.batch.features import fields_of, per_node
from policylang.batch.keys import distinct_keys, row_facts
from policylang.batch.segments import group_ids
from policylang.eval.settle import ClaimSettler
from policylang.ir.claims import Claim
from policylang.ir.eligibility import Missing, compare


@per_node
def _reads_date(node: object) -> bool:
    return any(isinstance(n, ir.Operand) and (n.kind == "month_day" or str(n.value) == "日期") for n in ir.walk(node))


def _applies(policy: ir.Policy, req: ir.Requirement, cols: Columns, rows: np.ndarray, defaults: dict) -> np.ndarray:
    """Per row of rows: the requirement is in force and its guards (当 …) hold — where it does not, the scalar
    check passes the claim (check_requirement), so only these rows need the predicate. Keyed by the guards'
    fields alone: a date-reading predicate behind a guard no row meets costs nothing."""
    pid, first, used = distinct_keys(policy, cols, fields_of(req.guards), _reads_date(req.guards), rows=rows)
    verdict = []
    for k in first:
        pos = int(rows[k])
        day = from_day(cols.date[pos])
        facts = {**row_facts(defaults, cols, used, pos), "日期": day, "费用": int(cols.amount[pos])}
        try:
            holds = ir.in_force(req.start, req.end, day) and all(compare(g, facts)[0] for g in req.guards)
        except Missing:
            holds = False
        verdict.append(holds)
    return np.array(verdict, dtype=bool)[pid]


def _verdicts(policy: ir.Policy, req: ir.Requirement, cols: Columns, rows: np.ndarray, defaults: dict,
              texts: dict[str, int]) -> np.ndarray:
    """Per row of rows: −1 if the requirement holds (or does not apply), else the code of its reason in texts."""
    out = np.full(len(rows), -1, dtype=np.int64)
    applies = _applies(policy, req, cols, rows, defaults)
    if not applies.any():
        return out
    at, rows = np.nonzero(applies)[0], rows[applies]
    pid, first, used = distinct_keys(policy, cols, fields_of(req), _reads_date(req), rows=rows)
    codes = []
    for k in first:
        pos = int(rows[k])
        settler = ClaimSettler(policy, defaultdict(int), Claim(from_day(cols.date[pos]), int(cols.amount[pos])),
                               row_facts(defaults, cols, used, pos))
        found = settler.requirements((req,), "")
        codes.append(texts.setdefault("；".join(found), len(texts)) if found else -1)
    out[at] = np.array(codes, dtype=np.int64)[pid]
    return out


def requirement_reasons(policy: ir.Policy, cols: Columns, scheme: np.ndarray, checked: np.ndarray,
                        defaults: dict) -> tuple[np.ndarray, np.ndarray]:
    """(failed per row, reason text per row — "" where none) for the rows to check (checked & their scheme)."""
    n = len(cols)
    failed = np.zeros(n, dtype=bool)
    reasons = np.full(n, "", dtype=object)
    for si, s in enumerate(policy.schemes):
        if not s.requirements:
            continue
        rows = np.nonzero(checked & (scheme == si))[0]
        if not len(rows):
            continue
        texts: dict[str, int] = {}
        codes = [_verdicts(policy, req, cols, rows, defaults, texts) for req in s.requirements]
        bad = np.zeros(len(rows), dtype=bool)
        for c in codes:
            bad |= c >= 0
        if not bad.any():
            continue
        sub = [c[bad] for c in codes]
        combo = pd.factorize(group_ids(*sub))[0]
        first = np.unique(combo, return_index=True)[1]
        by_code = list(texts)
        text = np.array(["；".join(by_code[int(c[k])] for c in sub if c[k] >= 0) for k in first], dtype=object)
        failed[rows[bad]] = True
        reasons[rows[bad]] = text[combo]
    return failed, reasons
