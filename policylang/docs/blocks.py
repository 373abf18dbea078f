"""The page model's building blocks: plain data that render.py turns into docutils nodes."""

from __future__ import annotations

import attrs


@attrs.frozen
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@attrs.frozen
class Paragraph:
    text: str


@attrs.frozen
class Bullets:
    title: str
    items: tuple[str, ...]


Block = Table | Paragraph | Bullets
