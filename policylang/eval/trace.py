"""Trace lines: the Chinese explanation of a settlement, each pointing at the script line it came from."""

from __future__ import annotations

import attrs

from policylang.source import Span


@attrs.frozen
class TraceLine:
    text: str
    origin: Span | None = attrs.field(default=None, eq=False)

    def render(self) -> str:
        return f"{self.text}〔{self.origin.file}:{self.origin.line}〕" if self.origin else self.text
