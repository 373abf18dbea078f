"""Source text and spans. Full-width characters are folded one-for-one, so columns never shift."""

from __future__ import annotations

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
