"""Source text and spans. Full-width characters are folded one-for-one, so columns never shift."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
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
        return cls.from_bytes(path.read_bytes(), display or str(path))

    @classmethod
    def from_bytes(cls, data: bytes, display: str) -> Source:
        """Decode a script as UTF-8 (a BOM is dropped, line ends unified). Raises UnicodeDecodeError."""
        text = data.decode("utf-8-sig")
        return cls(display, text.replace("\r\n", "\n").replace("\r", "\n"))


# Control, format (bidi overrides, zero-width), surrogate, private-use and line/paragraph separators:
# characters that change how a name prints, or turn into markup or new lines downstream.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """The text with every unsafe character written as an escape (\\n, \\x1b, \\u202e), for messages."""
    out = []
    for ch in text:
        if unicodedata.category(ch) not in UNSAFE_CATEGORIES:
            out.append(ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it, unsafe characters escaped."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    return printable(rel if not rel.startswith("..") else str(path))


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
