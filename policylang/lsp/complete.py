"""Completion in context: expectation names after 期望, an enumeration's values after 字段=, keywords at
the start of a statement, and every known value, field and reference value elsewhere."""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from policylang.ir.outputs import DETAIL_NAMES, OUTPUT_NAMES, PAYMENT_OUTPUTS
from policylang.lsp import index
from policylang.syntax import ast
from policylang.syntax.parser import keywords

_KIND = lsp.CompletionItemKind


def _items(words, kind: lsp.CompletionItemKind, detail: str) -> list[lsp.CompletionItem]:
    return [lsp.CompletionItem(label=w, kind=kind, detail=detail) for w in dict.fromkeys(words)]


def _layer_names(modules: list[ast.Module]) -> list[str]:
    """Layer names are expectation names too; read from the scripts, so they complete while the file has errors."""
    return sorted({o.text for o in index.occurrences(modules) if o.kind == index.LAYER})


def _enums(modules: list[ast.Module]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in modules:
        for item in m.items:
            if isinstance(item, ast.EnumDef):
                out.setdefault(item.name.text, []).extend(v.text for v in item.values)
    return out


def completions(prefix: str, modules: list[ast.Module]) -> list[lsp.CompletionItem]:
    """prefix: the line up to the cursor."""
    current = re.search(r"[^\s,，、=(（/|]*$", prefix).group()
    before = prefix[: len(prefix) - len(current)]
    if "期望" in before and re.search(r"(期望|[,，、])\s*$", before):
        pool = PAYMENT_OUTPUTS if before.lstrip().startswith("缴费") else (*OUTPUT_NAMES, *DETAIL_NAMES, *_layer_names(modules))
        return _items(pool, _KIND.Value, "期望项 expected output")
    enums = _enums(modules)
    field = re.search(r"([^\s,，、=(（]+)\s*=\s*$", before)
    if field and field.group(1) in enums:
        return _items(enums[field.group(1)], _KIND.EnumMember, f"{field.group(1)} 的取值")
    occs = index.occurrences(modules)
    defined = {k: [o.text for o in occs if o.kind == k] for k in (index.VALUE, index.FIELD, index.REFERENCE, index.ENUM)}
    words = _items(keywords(), _KIND.Keyword, "关键字")
    if not before.strip():  # start of a statement: keywords first, then values that may start one
        return words + _items(defined[index.VALUE], _KIND.EnumMember, "枚举值")
    return (words + _items(defined[index.VALUE], _KIND.EnumMember, "枚举值")
            + _items(defined[index.ENUM] + defined[index.FIELD], _KIND.Field, "字段")
            + _items(defined[index.REFERENCE], _KIND.Constant, "参考值"))
