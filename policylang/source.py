"""Source text and spans. Full-width characters are folded one-for-one, so columns never shift."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import attrs

# 全角 → 半角, one character for one character: positions in the folded text equal the original's.
_FOLD = {0x3000: " ", 0x3001: ",", 0x3002: ";", 0x2212: "-", 0xFE63: "-"}
_FOLD.update({c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_FOLD_TABLE = str.maketrans({chr(k) if isinstance(k, int) else k: v for k, v in _FOLD.items()})


def fold_width(text: str) -> str:
    """Fold full-width punctuation and digits (，；：（）％ １２３) to their ASCII forms."""
    return text.translate(_FOLD_TABLE)


@attrs.frozen
class Span:
    """Where a node came from: file, 1-based line and column, and its end."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @classmethod
    def point(cls, file: str, line: int, column: int, width: int = 1) -> Span:
        return cls(file, line, column, line, column + width)


@attrs.frozen
class Source:
    """One script: its display path, original text and folded text."""

    path: str
    text: str
    folded: str = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "folded", fold_width(self.text))

    def line(self, number: int) -> str:
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> Source:
        """Read a script as UTF-8 (a BOM is dropped). Raises UnicodeDecodeError / OSError."""
        data = path.read_bytes().decode("utf-8-sig")
        return cls(display or str(path), data.replace("\r\n", "\n").replace("\r", "\n"))


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when under it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def parse_date(text: str) -> dt.date | None:
    """A date as scripts and claim files write it (2024年3月1日 or 2024-03-01); None if it is not one."""
    m = _CN_DATE.fullmatch(text) or re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
