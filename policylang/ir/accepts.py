"""What an IR field accepts: construction checks, so a wrong node cannot be built.

A field that holds money accepts Money, not an int of 分; a ratio field a Ratio, not a Fraction; a kind its
enumeration, not its text. A bare value raises TypeError where it is written (in lowering, in a test, in
the JSON loader), instead of surfacing later as a wrong sum or a page that prints days as money.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

Check = Callable[[object, attrs.Attribute, object], None]


def _names(types: tuple[type, ...]) -> str:
    return " or ".join("None" if t is type(None) else t.__name__ for t in types)


def refuse(node: object, attribute: attrs.Attribute, expected: str, value: object) -> None:
    raise TypeError(f"{type(node).__name__}.{attribute.name}: {expected} expected, got {value!r}")


def accepts(*types: type) -> Check:
    """The value is an instance of one of types (an enumeration member, a typed value, a node)."""
    def check(node: object, attribute: attrs.Attribute, value: object) -> None:
        if not isinstance(value, types):
            refuse(node, attribute, _names(types), value)
    return check


def optional(*types: type) -> Check:
    """None, or an instance of one of types."""
    return accepts(*types, type(None))


def each(*types: type) -> Check:
    """A tuple whose every element is an instance of one of types."""
    def check(node: object, attribute: attrs.Attribute, value: object) -> None:
        if not isinstance(value, tuple):
            refuse(node, attribute, "a tuple", value)
        for item in value:  # type: ignore[attr-defined]
            if not isinstance(item, types):
                refuse(node, attribute, f"a tuple of {_names(types)}", item)
    return check


__all__ = ["Check", "accepts", "each", "optional", "refuse"]
