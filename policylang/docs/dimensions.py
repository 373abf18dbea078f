"""What a scheme overview varies by: the fields its columns depend on, and the date its values are shown at.

Shared by the region page (model), its chart (charts) and the comparison page (compare).
"""

from __future__ import annotations

import datetime as dt

from policylang import ir
from policylang.docs.primitives import Column


def _enum_order(policy: ir.Policy, field: str) -> tuple[int, ...]:
    names = [e.name for e in policy.enums]
    return (names.index(field),) if field in names else (len(names),)


def dimensions(policy: ir.Policy, scheme: ir.Scheme, columns: list[Column]) -> list[tuple[str, list[str]]]:
    """The fields the columns vary by, each with the values the script mentions, in enumeration order."""
    fields: dict[str, None] = {}
    for c in columns:
        fields.update(dict.fromkeys(c.fields()))
    fixed = {cond.field: cond.values for cond in scheme.when}
    out = []
    for field in sorted(fields, key=lambda f: _enum_order(policy, f)):
        mentioned = set().union(*(c.mentioned(field) for c in columns))
        if field in fixed:
            mentioned &= fixed[field]
        enum = policy.enum(field)
        order = list(enum.values) if enum else sorted(mentioned)
        values = [v for v in order if v in mentioned]
        if field not in fixed and not any(field in c.cell_fields() for c in columns):
            # only an adjustment names it (基层首诊=是): show a row without the adjustment as well
            values += [v for v in order if v not in mentioned][:1]
        if values:
            out.append((field, values))
    return out


def as_of(scheme: ir.Scheme, columns: list[Column], policy: ir.Policy | None = None) -> dt.date:
    """The date whose values the overview shows: the latest change, or the scheme's start; else the year
    after the latest reference value (so 上年度 values exist), else today."""
    dates = set().union(*(c.dates() for c in columns)) if columns else set()
    if scheme.start:
        dates.add(scheme.start)
    if dates:
        return max(dates)
    years = [y for r in getattr(policy, "references", ()) for y, _ in r.values]
    if years:
        return dt.date(max(years) + 1, 1, 1)
    return getattr(policy, "start", None) or dt.date.today()


def is_dated(scheme: ir.Scheme, columns: list[Column], policy: ir.Policy | None = None) -> bool:
    """Whether as_of comes from the script (a dated value, the scheme's start, references), not today."""
    return bool(any(c.dates() for c in columns) or scheme.start or getattr(policy, "references", ())
                or getattr(policy, "start", None))
