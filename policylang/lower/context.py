"""What every lowering function reads and where it reports: the resolved names, fields and references of a
region, a diagnostics sink, and per-scope registries of first definitions.

The context is frozen and built in stages (names first, then fields and references, which need the names),
so no lowering function can see half-built state; the sink and the registries are the only things that
grow, and they grow only by reporting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, error
from policylang.resolve.names import EnumIndex
from policylang.source import Span

# Labels of related spans: where a message points at another place.
FIRST_DEFINED = "首次定义在此 (first defined here)"
FIRST_GIVEN = "首次给出在此 (first given here)"
OVERLAPPED = "与此版本重叠 (overlaps this version)"


@attrs.define
class Sink:
    """Every diagnostic found while lowering one region, in the order found."""

    found: list[Diagnostic] = attrs.Factory(list)

    def report(self, diag: Diagnostic) -> None:
        self.found.append(diag)


@attrs.frozen
class Context:
    """The resolved names a lowering function may look up, and the sink it reports to."""

    index: EnumIndex
    fields: Mapping[str, ir.FieldDef]
    references: Mapping[str, ir.Reference]
    sink: Sink
    accumulators: Mapping[str, object] = attrs.field(factory=dict)  # 累计 declarations (ast.Accumulator) by name

    def report(self, diag: Diagnostic) -> None:
        self.sink.report(diag)


def overlaps(a_start: dt.date | None, a_end: dt.date | None, b_start: dt.date | None, b_end: dt.date | None) -> bool:
    """Two validity periods (None: open-ended) share at least one day."""
    return (a_start is None or b_end is None or a_start <= b_end) and (b_start is None or a_end is None
                                                                        or b_start <= a_end)


@attrs.define
class Definitions:
    """First definitions within one scope (the region, or one scheme with its layers).

    A second definition is reported as E008, an overlapping version as E033, each pointing at the first.
    """

    sink: Sink
    first: dict[tuple, Span] = attrs.Factory(dict)
    dated: dict[tuple, list[tuple[dt.date | None, dt.date | None, Span]]] = attrs.Factory(dict)

    def once(self, key: tuple, what: str, span: Span) -> bool:
        """Record a definition; report E008 if the same thing was defined before."""
        first = self.first.get(key)
        if first is not None:
            self.sink.report(error("E008", f"重复定义：{what}", span, related=((FIRST_DEFINED, first),)))
            return False
        self.first[key] = span
        return True

    def version(self, key: tuple, what: str, start: dt.date | None, end: dt.date | None, span: Span) -> bool:
        """Record a dated version; report E033 if its validity overlaps an earlier version of the same thing."""
        for o_start, o_end, o_span in self.dated.get(key, []):
            if overlaps(start, end, o_start, o_end):
                self.sink.report(error("E033", f"生效期重叠：{what} 的两个版本同时生效", span,
                                       related=((OVERLAPPED, o_span),)))
                return False
        self.dated.setdefault(key, []).append((start, end, span))
        return True
