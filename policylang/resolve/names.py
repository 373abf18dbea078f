"""Name resolution: enumeration values to their fields, with did-you-mean hints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, did_you_mean, error
from policylang.syntax import ast

# Fields every claim has besides enumerations.
BUILTIN_FIELDS = {"日期": "date", "费用": "money", "参保人ID": "text"}

Report = Callable[[Diagnostic], None]


@attrs.frozen
class EnumIndex:
    """Every enumeration of a region, and which field each bare value belongs to."""

    enums: Mapping[str, ir.Enumeration]
    owners: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, enums: Iterable[ir.Enumeration], unowned: Iterable[str] = ()) -> EnumIndex:
        """Index enums by name and values by field; a value in unowned never names a field on its own."""
        enums = list(enums)
        owners: dict[str, list[str]] = {}
        for e in enums:
            for v in e.values:
                owners.setdefault(v, []).append(e.name)
        hidden = set(unowned)
        return cls({e.name: e for e in enums}, {v: tuple(o) for v, o in owners.items() if v not in hidden})

    def all_values(self) -> list[str]:
        return list(self.owners)

    def value(self, name: ast.Name, report: Report) -> tuple[str, str] | None:
        """A bare value such as 退休 → (人员类别, 退休)."""
        owners = self.owners.get(name.text, ())
        if len(owners) == 1:
            return owners[0], name.text
        if owners:
            pairs = "、".join(f"{o}={name.text}" for o in owners)
            report(error("E021", f"枚举值“{name.text}”属于多个字段：{'、'.join(owners)}", name.span,
                         f"写成 {pairs} 之一"))
            return None
        report(error("E007", f"未知的枚举值“{name.text}”", name.span, did_you_mean(name.text, self.all_values())))
        return None

    def field(self, name: ast.Name, report: Report) -> ir.Enumeration | None:
        enum = self.enums.get(name.text)
        if enum is None:
            report(error("E015", f"未知字段“{name.text}”", name.span, did_you_mean(name.text, list(self.enums))))
        return enum

    def member(self, enum: ir.Enumeration, name: ast.Name, report: Report) -> str | None:
        if name.text in enum.values:
            return name.text
        hint = did_you_mean(name.text, list(enum.values)) or f"{enum.name} 的取值：{'、'.join(enum.values)}"
        report(error("E007", f"“{name.text}”不是{enum.name}的取值", name.span, hint))
        return None

    def attribute(self, attr: ast.Attr, report: Report) -> tuple[str, str] | None:
        """A person or claim attribute: 在职, or 人员类别=退休."""
        if attr.field is None:
            assert isinstance(attr.value, ast.Name)
            return self.value(attr.value, report)
        enum = self.field(attr.field, report)
        if enum is None:
            return None
        if not isinstance(attr.value, ast.Name):
            report(error("E050", f"{enum.name} 应为枚举值", attr.span, f"取值：{'、'.join(enum.values)}"))
            return None
        value = self.member(enum, attr.value, report)
        return (enum.name, value) if value else None
