"""Name resolution: enumeration values to their fields, with did-you-mean hints."""

from __future__ import annotations

from policylang import ir
from policylang.diagnostics import Diagnostic, did_you_mean, error
from policylang.syntax import ast

# Fields every claim has besides enumerations.
BUILTIN_FIELDS = {"日期": "date", "费用": "money", "参保人ID": "text"}


class EnumIndex:
    """Every enumeration of a region, and which field each bare value belongs to."""

    def __init__(self, enums: list[ir.Enumeration]) -> None:
        self.enums = {e.name: e for e in enums}
        self.owners: dict[str, list[str]] = {}
        for e in enums:
            for v in e.values:
                self.owners.setdefault(v, []).append(e.name)

    def all_values(self) -> list[str]:
        return list(self.owners)

    def value(self, name: ast.Name, diags: list[Diagnostic]) -> tuple[str, str] | None:
        """A bare value such as 退休 → (人员类别, 退休)."""
        owners = self.owners.get(name.text, [])
        if len(owners) == 1:
            return owners[0], name.text
        if owners:
            pairs = "、".join(f"{o}={name.text}" for o in owners)
            diags.append(error("E021", f"枚举值“{name.text}”属于多个字段：{'、'.join(owners)}", name.span,
                               f"写成 {pairs} 之一"))
            return None
        diags.append(error("E007", f"未知的枚举值“{name.text}”", name.span,
                           did_you_mean(name.text, self.all_values())))
        return None

    def field(self, name: ast.Name, diags: list[Diagnostic]) -> ir.Enumeration | None:
        enum = self.enums.get(name.text)
        if enum is None:
            diags.append(error("E015", f"未知字段“{name.text}”", name.span,
                               did_you_mean(name.text, list(self.enums))))
        return enum

    def member(self, enum: ir.Enumeration, name: ast.Name, diags: list[Diagnostic]) -> str | None:
        if name.text in enum.values:
            return name.text
        hint = did_you_mean(name.text, list(enum.values)) or f"{enum.name} 的取值：{'、'.join(enum.values)}"
        diags.append(error("E007", f"“{name.text}”不是{enum.name}的取值", name.span, hint))
        return None

    def attribute(self, attr: ast.Attr, diags: list[Diagnostic]) -> tuple[str, str] | None:
        """A person or claim attribute: 在职, or 人员类别=退休."""
        if attr.field is None:
            assert isinstance(attr.value, ast.Name)
            return self.value(attr.value, diags)
        enum = self.field(attr.field, diags)
        if enum is None:
            return None
        if not isinstance(attr.value, ast.Name):
            diags.append(error("E005", f"{enum.name} 应为枚举值", attr.span, f"取值：{'、'.join(enum.values)}"))
            return None
        value = self.member(enum, attr.value, diags)
        return (enum.name, value) if value else None
