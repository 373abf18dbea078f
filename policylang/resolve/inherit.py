"""继承 and 覆盖: a region takes its parent's rules and overrides single values, checked to exist.

Merging happens on the AST, so every rule keeps the span of the file it was written in: a trace step
taken from the parent points at the parent's script, an overridden value at the child's.
"""

from __future__ import annotations

import attrs

from policylang.diagnostics import Diagnostic, error
from policylang.syntax import ast

# What a child takes from its parent: rules and names, not the parent's header, notes or tests.
_INHERITED = (ast.EnumDef, ast.EnumExtend, ast.FieldDef, ast.Reference, ast.Scheme, ast.Subsidy, ast.Question, ast.Rounding)


def _key_text(entry: ast.Entry) -> tuple[str, ...]:
    return tuple(sorted(_one_key_text(k) for k in entry.keys))


def _one_key_text(key: ast.Key | ast.FieldTest) -> str:
    if isinstance(key, ast.FieldTest):  # 年龄 >= 60 岁: the field, the operator and the value as written
        value = key.value.text if isinstance(key.value, ast.DateLit) else f"{key.value.number}{key.value.unit or ''}"
        return f"{key.field.text}{key.op}{value}"
    return "/".join(n.text for n in key.values)


def _validity_text(v: ast.Validity | None) -> tuple:
    if v is None:
        return (None, None)
    return (v.start.value if v.start else None, v.end.value if v.end else None)


class _Merger:
    def __init__(self) -> None:
        self.diags: list[Diagnostic] = []

    def missing(self, what: str, span, related: tuple = ()) -> None:
        self.diags.append(error("E028", f"覆盖的规则不存在：继承来的规则中没有{what}", span, related=related))

    def items(self, parent: list[object], child: list[object]) -> list[object]:
        out = [i for i in parent if isinstance(i, _INHERITED)]
        for item in child:
            if isinstance(item, ast.Scheme) and item.override:
                index = next((n for n, s in enumerate(out) if isinstance(s, ast.Scheme) and s.name == item.name), None)
                if index is None:
                    self.missing(f"方案“{item.name}”", item.name_span)
                    continue
                out[index] = self.scheme(out[index], item)  # type: ignore[arg-type]
            elif isinstance(item, ast.Rounding):
                out = [i for i in out if not isinstance(i, ast.Rounding)] + [item]
            else:
                out.append(item)
        return out

    def scheme(self, base: ast.Scheme, over: ast.Scheme) -> ast.Scheme:
        body = self.body(list(base.body), over.body, f"方案“{base.name}”",
                         (("继承来的方案在此 (inherited scheme here)", base.name_span),))
        return attrs.evolve(base, when=over.when or base.when, validity=over.validity or base.validity,
                            body=tuple(body), override=False)

    def body(self, base: list[object], over: tuple[object, ...], owner: str, where: tuple) -> list[object]:
        for stmt in over:
            match stmt:
                case ast.TableStmt():
                    self.table(base, stmt, owner, where)
                case ast.Adjust():
                    keys = [_one_key_text(k) for k in stmt.keys]
                    i = next((n for n, s in enumerate(base) if isinstance(s, ast.Adjust) and
                              [_one_key_text(k) for k in s.keys] == keys), None)
                    if i is None:
                        self.missing(f"{owner}中对“{'、'.join(keys)}”的比例调整", stmt.span,
                                     where)
                    else:
                        base[i] = stmt
                case ast.Period():
                    base = [s for s in base if not isinstance(s, ast.Period)] + [stmt]
                case ast.Layer():
                    i = next((n for n, s in enumerate(base) if isinstance(s, ast.Layer) and s.name == stmt.name), None)
                    if i is None:
                        self.missing(f"{owner}中的层“{stmt.name}”", stmt.name_span, where)
                    else:
                        layer = base[i]
                        assert isinstance(layer, ast.Layer)
                        merged = self.body(list(layer.body), stmt.body, f"层“{stmt.name}”",
                                           (("继承来的层在此 (inherited layer here)", layer.name_span),))
                        base[i] = attrs.evolve(layer, when=stmt.when or layer.when, body=tuple(merged))
                case _:
                    base.append(stmt)
        return base

    def table(self, base: list[object], stmt: ast.TableStmt, owner: str, where: tuple) -> None:
        same = [n for n, s in enumerate(base) if isinstance(s, ast.TableStmt) and (s.kind, s.scope) ==
                (stmt.kind, stmt.scope) and _per(s) == _per(stmt) and _counts_in(s) == _counts_in(stmt)]
        exact = [n for n in same if _validity_text(base[n].validity) == _validity_text(stmt.validity)]  # type: ignore[union-attr]
        what = f"{owner}中的{stmt.scope or ''}{stmt.kind}"
        if not exact:
            if stmt.validity is not None and same:
                base.append(stmt)  # a new dated version of an inherited parameter
            else:
                versions = tuple(("继承来的版本在此 (inherited version here)", base[n].span) for n in same)  # type: ignore[attr-defined]
                self.missing(what + ("（同一生效期）" if same else ""), stmt.span, versions or where)
            return
        target = base[exact[0]]
        assert isinstance(target, ast.TableStmt)
        entries = list(target.entries)
        for entry in stmt.entries:
            i = next((n for n, e in enumerate(entries) if _key_text(e) == _key_text(entry)), None)
            if i is None:
                label = "、".join(_key_text(entry)) or "不分类别的数值"
                self.missing(f"{what}的“{label}”一项", entry.span,
                             (("继承来的表在此 (inherited table here)", target.span),))
            else:
                entries[i] = entry
        base[exact[0]] = attrs.evolve(target, entries=tuple(entries))


def _per(stmt: ast.TableStmt) -> str | None:
    """The per-unit field of a table (封顶线 每 床日数 is not the same table as 封顶线)."""
    return stmt.per.text if stmt.per is not None else None


def merge(parent_items: list[object], child_items: list[object]) -> tuple[list[object], list[Diagnostic]]:
    """The child's items over its parent's: 覆盖 blocks replace single values, everything else adds."""
    merger = _Merger()
    return merger.items(parent_items, child_items), merger.diags


def overrides_without_parent(items: list[object]) -> list[Diagnostic]:
    return [error("E053", f"没有 继承 任何地区，无法覆盖方案“{i.name}”", i.name_span)
            for i in items if isinstance(i, ast.Scheme) and i.override]


def _counts_in(stmt: ast.TableStmt) -> str | None:
    """The named 累计 a limit counts in: an override of a shared limit names it, as the inherited one does."""
    return stmt.counts_in.text if stmt.counts_in is not None else None
