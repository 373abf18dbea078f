"""Names in scripts: where each enumeration, value, field, reference value, scheme and layer is defined
and used, across the region's own files, its imports (stdlib/) and the regions it inherits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from policylang.source import Span
from policylang.syntax import ast

# What a definition defines, in the words of the language reference.
ENUM, VALUE, FIELD, REFERENCE, SCHEME, LAYER, QUESTION = "枚举", "枚举值", "字段", "参考值", "方案", "层", "判断"


@attrs.frozen
class Occurrence:
    """A name where it is written: kind is what it defines, or None for a use."""

    text: str
    span: Span
    kind: str | None = None
    override: bool = False  # 覆盖 方案 / a layer inside one: names the inherited definition

    @property
    def is_definition(self) -> bool:
        return self.kind is not None and not self.override


def _children(node: object) -> Iterator[object]:
    if isinstance(node, tuple | list):
        yield from node
    elif attrs.has(type(node)):
        for f in attrs.fields(type(node)):
            value = getattr(node, f.name)
            if not isinstance(value, Span):
                yield value


def _walk(node: object, override: bool = False) -> Iterator[Occurrence]:
    match node:
        case ast.Name():
            yield Occurrence(node.text, node.span)
            return
        case ast.EnumDef():
            yield Occurrence(node.name.text, node.name.span, ENUM)
            yield from (Occurrence(v.text, v.span, VALUE) for v in node.values)
            if node.default is not None:
                yield Occurrence(node.default.text, node.default.span)
            return
        case ast.EnumExtend():  # the enumeration is used here; the values it adds are defined here
            yield Occurrence(node.name.text, node.name.span)
            yield from (Occurrence(v.text, v.span, VALUE) for v in node.values)
            return
        case ast.FieldDef():
            yield Occurrence(node.name.text, node.name.span, FIELD)
            yield from _walk(node.default)
            return
        case ast.Reference():
            yield Occurrence(node.name.text, node.name.span, REFERENCE)
            return
        case ast.Question():
            yield Occurrence(node.name.text, node.name.span, QUESTION)
            yield from _walk(node.allows)
            return
        case ast.Scheme():
            override = node.override
            yield Occurrence(node.name, node.name_span, SCHEME, override)
        case ast.Layer():
            yield Occurrence(node.name, node.name_span, LAYER, override)
    for child in _children(node):
        yield from _walk(child, override)


def occurrences(modules: Iterable[ast.Module]) -> list[Occurrence]:
    return [o for m in modules for o in _walk(m.items)]


def at(occs: Iterable[Occurrence], file: str, line: int, character: int) -> Occurrence | None:
    """The occurrence under a 0-based cursor in file (a display path or an absolute one)."""
    from policylang.lsp.convert import contains, path_of_display

    target = path_of_display(file)
    for o in occs:
        if path_of_display(o.span.file) == target and contains(o.span, line, character):
            return o
    return None


def definitions(occs: Iterable[Occurrence], name: Occurrence) -> list[Occurrence]:
    """Where a name is defined; a scheme or layer name only among schemes or layers."""
    wanted = {SCHEME, LAYER} if name.kind in (SCHEME, LAYER) else None
    return [o for o in occs if o.is_definition and o.text == name.text and (wanted is None or o.kind in wanted)]


def references(occs: Iterable[Occurrence], name: Occurrence) -> list[Occurrence]:
    """Every place the name is written, definitions included."""
    return [o for o in occs if o.text == name.text]
