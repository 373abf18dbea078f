"""A JSON reader that remembers where each value starts, so a bad claim file gets line and column."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)

Path = tuple[str | int, ...]
MAX_DEPTH = 100  # a claim file needs four levels; deeper input would exhaust the recursion


class JsonError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


def loads(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse text; returns the value (numbers as Decimal) and the offset of every value by its path."""
    positions: dict[Path, int] = {}
    value, end = _value(text, _skip(text, 0), (), positions)
    end = _skip(text, end)
    if end != len(text):
        raise JsonError("JSON 之后还有多余内容 (extra data after JSON)", end)
    return value, positions


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()


def _value(text: str, pos: int, path: Path, positions: dict[Path, int]) -> tuple[Any, int]:
    positions[path] = pos
    if len(path) > MAX_DEPTH:
        raise JsonError(f"JSON 嵌套超过 {MAX_DEPTH} 层 (nested too deeply)", pos)
    if pos >= len(text):
        raise JsonError("JSON 意外结束 (unexpected end of JSON)", pos)
    ch = text[pos]
    if ch == "{":
        return _object(text, pos, path, positions)
    if ch == "[":
        return _array(text, pos, path, positions)
    try:
        return _DECODER.scan_once(text, pos)
    except StopIteration:
        raise JsonError(f"此处应为 JSON 值，而不是“{ch}” (expected a JSON value)", pos) from None
    except json.JSONDecodeError as e:
        raise JsonError(f"JSON 字符串无效 (invalid JSON string): {e.msg}", e.pos) from None


def _object(text: str, pos: int, path: Path, positions: dict[Path, int]) -> tuple[dict, int]:
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
        out[key], pos = _value(text, _skip(text, pos + 1), (*path, key), positions)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("}", pos):
            return out, pos + 1
        raise JsonError("此处应为逗号或 } (expected ',' or '}')", pos)


def _array(text: str, pos: int, path: Path, positions: dict[Path, int]) -> tuple[list, int]:
    out: list[Any] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return out, pos + 1
    while True:
        item, pos = _value(text, pos, (*path, len(out)), positions)
        out.append(item)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("]", pos):
            return out, pos + 1
        raise JsonError("此处应为逗号或 ] (expected ',' or ']')", pos)
