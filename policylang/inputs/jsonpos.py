"""A JSON reader that remembers where each value starts, so a bad claim file gets line and column.

Linear and mostly in C: values deeper than EAGER_DEPTH (the fields of one claim) are parsed by the C
scanner of the json module in one call each, and their inner positions are found only when a message
asks for one (Positions.get re-reads that one value). A file that is not valid JSON is read again
with the positional parser throughout, for its precise message.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
EAGER_DEPTH = 2  # root → 就诊 → one claim: deeper values are parsed whole, in C


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Duplicate(key)
    return out


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)
_WHOLE = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal, object_pairs_hook=_pairs)

Path = tuple[str | int, ...]
MAX_DEPTH = 100  # a claim file needs four levels; deeper input would exhaust the recursion


class JsonError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


class Positions:
    """The offset of each value by its path; inner positions of a value parsed whole are found on demand."""

    def __init__(self, text: str, offsets: dict[Path, int], whole: set[Path]) -> None:
        self.text, self.offsets, self.whole = text, offsets, whole

    def get(self, path: Path, default: int = 0) -> int:
        if path not in self.offsets:
            for k in range(len(path) - 1, -1, -1):
                top = path[:k]
                if top in self.whole:
                    self.whole.discard(top)
                    _value(self.text, self.offsets[top], top, self.offsets, None)
                    break
        return self.offsets.get(path, default)

    def __getitem__(self, path: Path) -> int:
        return self.offsets[path]

    def __contains__(self, path: object) -> bool:
        return self.get(path, -1) >= 0  # type: ignore[arg-type]


def loads(text: str) -> tuple[Any, Positions]:
    """Parse text; returns the value (numbers as Decimal) and the offset of every value by its path."""
    try:
        return _loads(text, EAGER_DEPTH)
    except JsonError:
        return _loads(text, None)  # the positional parser throughout says precisely what is wrong


def _loads(text: str, eager: int | None) -> tuple[Any, Positions]:
    offsets: dict[Path, int] = {}
    whole: set[Path] = set()
    value, end = _value(text, _skip(text, 0), (), offsets, eager, whole)
    end = _skip(text, end)
    if end != len(text):
        raise JsonError("JSON 之后还有多余内容 (extra data after JSON)", end)
    return value, Positions(text, offsets, whole)


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()


def _value(text: str, pos: int, path: Path, positions: dict[Path, int], eager: int | None = None,
           whole: set[Path] | None = None) -> tuple[Any, int]:
    positions[path] = pos
    if len(path) > MAX_DEPTH:
        raise JsonError(f"JSON 嵌套超过 {MAX_DEPTH} 层 (nested too deeply)", pos)
    if pos >= len(text):
        raise JsonError("JSON 意外结束 (unexpected end of JSON)", pos)
    ch = text[pos]
    if eager is not None and len(path) >= eager and ch in "{[":
        try:
            value, end = _WHOLE.scan_once(text, pos)
        except (StopIteration, ValueError, RecursionError):
            raise JsonError("JSON 无效 (invalid JSON)", pos) from None
        if text.count("[", pos, end) + text.count("{", pos, end) > MAX_DEPTH - len(path):
            return _value(text, pos, path, positions)  # it may nest too deeply: the positional parser decides
        if whole is not None:
            whole.add(path)
        return value, end
    if ch == "{":
        return _object(text, pos, path, positions, eager, whole)
    if ch == "[":
        return _array(text, pos, path, positions, eager, whole)
    try:
        return _DECODER.scan_once(text, pos)
    except StopIteration:
        raise JsonError(f"此处应为 JSON 值，而不是“{ch}” (expected a JSON value)", pos) from None
    except json.JSONDecodeError as e:
        raise JsonError(f"JSON 字符串无效 (invalid JSON string): {e.msg}", e.pos) from None


def _object(text: str, pos: int, path: Path, positions: dict[Path, int], eager: int | None,
            whole: set[Path] | None) -> tuple[dict, int]:
    out: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return out, pos + 1
    while True:
        if not text.startswith('"', pos):
            raise JsonError("此处应为带双引号的字段名 (expected a quoted key)", pos)
        try:
            key, pos = _DECODER.scan_once(text, pos)
        except json.JSONDecodeError as e:  # e.g. a control character or a missing closing quote
            raise JsonError(f"JSON 字段名无效 (invalid JSON key): {e.msg}", e.pos) from None
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise JsonError("字段名后应为冒号 (expected ':')", pos)
        if key in out:
            raise JsonError(f"字段“{key}”重复 (duplicate key)", pos)
        out[key], pos = _value(text, _skip(text, pos + 1), (*path, key), positions, eager, whole)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("}", pos):
            return out, pos + 1
        raise JsonError("此处应为逗号或 } (expected ',' or '}')", pos)


def _array(text: str, pos: int, path: Path, positions: dict[Path, int], eager: int | None,
           whole: set[Path] | None) -> tuple[list, int]:
    out: list[Any] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return out, pos + 1
    while True:
        item, pos = _value(text, pos, (*path, len(out)), positions, eager, whole)
        out.append(item)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("]", pos):
            return out, pos + 1
        raise JsonError("此处应为逗号或 ] (expected ',' or ']')", pos)
