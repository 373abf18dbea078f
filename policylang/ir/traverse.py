"""One generic walk over IR nodes: every backend that looks at "all the fields" goes through here.

Spans are fields declared with `eq=False` (they never take part in equality); the walk skips them by that
metadata, not by a field's name, so a new span field (`rate_origin`) is skipped like `origin`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs

from policylang.ir.values import QUANTITIES


def is_node(value: object) -> bool:
    """An IR node (walked into), not a typed value (a leaf that prints with its unit)."""
    return attrs.has(type(value)) and not isinstance(value, QUANTITIES)


def is_span_field(field: attrs.Attribute) -> bool:
    """Whether a field is a span (or other bookkeeping) that equality ignores."""
    return field.eq is False


def node_fields(node: object) -> Iterator[tuple[attrs.Attribute, object]]:
    """(field, value) for each semantic field of an attrs node, in declaration order."""
    for field in attrs.fields(type(node)):
        if not is_span_field(field):
            yield field, getattr(node, field.name)


def _elements(value: object) -> list[object]:
    if isinstance(value, tuple | list):
        return list(value)
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    if isinstance(value, dict):
        return list(value.values())
    return []


def children(node: object) -> Iterator[object]:
    """The IR nodes directly inside a node's semantic fields (looking through tuples, sets and mappings)."""
    for _, value in node_fields(node):
        stack = [value]
        while stack:
            item = stack.pop(0)
            if is_node(item):
                yield item
            else:
                stack[:0] = _elements(item)


def walk(root: object, prune: Callable[[object], bool] | None = None) -> Iterator[object]:
    """Every value under root, pre-order: attrs nodes, the elements of containers and leaf values.

    prune(node) → True: the node is yielded but not entered.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple | list | frozenset | set | dict):
            stack.extend(reversed(_elements(node)))
            continue
        yield node
        if is_node(node) and not (prune is not None and prune(node)):
            stack.extend(reversed([value for _, value in node_fields(node)]))


__all__ = ["children", "is_node", "is_span_field", "node_fields", "walk"]
