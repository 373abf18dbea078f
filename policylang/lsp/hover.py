"""Hover: a keyword's entry in the language reference, a parameter's value at each effective date (and
where it comes from when inherited or overridden), a scheme's table as the public page shows it."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from policylang import ir
from policylang.docs.blocks import Bullets, Paragraph, Table
from policylang.docs.model import scheme_page
from policylang.ir.wording import date_cn, value_text
from policylang.lsp import index
from policylang.lsp.analysis import Analysis
from policylang.lsp.workspace import overrides
from policylang.resources import grammar_file
from policylang.source import Span
from policylang.syntax import ast
from policylang.syntax.parser import keywords

WORD = re.compile(r"[A-Za-z_\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][A-Za-z_\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]*")


def word_at(line: str, character: int) -> str | None:
    """The run of letters under (or just before) the cursor: a keyword only if the whole run is one."""
    for m in WORD.finditer(line):
        if m.start() <= character <= m.end():
            return m.group()
    return None


# ---- keywords -----------------------------------------------------------------------------------
@functools.cache
def _reference_sections() -> tuple[tuple[str, str], ...]:
    """(title, first paragraph) of each section of docs/reference.rst, when the checkout has it."""
    rst = grammar_file().parent.parent / "docs" / "reference.rst"
    if not rst.is_file():
        return ()
    lines = rst.read_text(encoding="utf-8").split("\n")
    out = []
    for i in range(1, len(lines)):
        if re.fullmatch(r"([-~=])\1{3,}", lines[i]) and lines[i - 1].strip():
            body = []
            for line in lines[i + 1:]:
                if line.startswith(".. ") or re.fullmatch(r"([-~=])\1{3,}", line):
                    break
                if not line.strip() and body:
                    break
                if line.strip():
                    body.append(line.strip())
            out.append((lines[i - 1].strip(), "\n".join(body)))
    return tuple(out)


def keyword_entry(word: str) -> str:
    from policylang.docs.keywords import keyword_rules

    uses = "、".join(keyword_rules().get(word, ()))
    text = f"**{word}**（关键字 keyword）" + (f"：用于 {uses}" if uses else "")
    sections = _reference_sections()
    entry = next((s for s in sections if word in s[0]), None) or next(
        (s for s in sections if f"``{word}``" in s[1]), None)
    if entry:
        text += f"\n\n语言参考 · {entry[0]}\n\n{entry[1]}"
    return text


# ---- parameters ---------------------------------------------------------------------------------
def _params(obj: object) -> Iterator[ir.Param]:
    if isinstance(obj, ir.Param):
        yield obj
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from _params(item)
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            yield from _params(getattr(obj, f.name))


def _origins(param: ir.Param) -> Iterator[Span]:
    for v in param.versions:
        if v.origin:
            yield v.origin
        yield from (c.origin for c in v.table.cells if c.origin)


def _same_file(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def parameter_at(policy: ir.Policy, file: str, line: int) -> list[tuple[ir.Scheme, ir.Param]]:
    """The parameters with a version or cell written on this (0-based) line."""
    out = []
    for scheme in policy.schemes:
        for param in _params(scheme):
            if any(_same_file(s.file, file) and s.line <= line + 1 <= s.end_line for s in _origins(param)):
                out.append((scheme, param))
    return out


def _period(start, end) -> str:
    if start is None and end is None:
        return "长期有效"
    return " ".join(p for p in (f"自 {date_cn(start)} 起" if start else "", f"至 {date_cn(end)}" if end else "") if p)


def _cell_origin(cell: ir.Cell, version: ir.Version, file: str) -> str:
    """Where a value is written: this file, an override here of an inherited table, or the inherited region."""
    origin = cell.origin or version.origin
    if origin is None:
        return ""
    if not _same_file(origin.file, file):
        return f"继承自 {origin}"
    if version.origin is not None and not _same_file(version.origin.file, file):
        return f"覆盖（override）第 {origin.line} 行"
    return f"第 {origin.line} 行"


def parameter_text(scheme: ir.Scheme, param: ir.Param, file: str) -> str:
    lines = [f"**{scheme.name} · {param.name}**（各生效日期的取值 value at each effective date）", ""]
    for v in param.versions:
        lines.append(f"- {_period(v.start, v.end)}：")
        for c in v.table.cells:
            where = _cell_origin(c, v, file)
            lines.append(f"  - {c.label() or '全部'} {value_text(c.value)}" + (f"（{where}）" if where else ""))
    return "\n".join(lines)


def reference_text(policy: ir.Policy, name: str, defs: list[index.Occurrence]) -> str | None:
    ref = policy.reference(name)
    if ref is None:
        return None
    rows = "\n".join(f"| {year} 年 | {amount} |" for year, amount in ref.values)
    text = f"**参考值 {name}**（逐年数值 yearly values）\n\n| 年度 | 数值 |\n|---|---|\n{rows}"
    if len(defs) > 1:
        text += "\n\n定义于：" + "；".join(str(d.span) for d in defs) + "（后者覆盖前者）"
    return text


# ---- schemes ------------------------------------------------------------------------------------
def _block_md(block: object) -> str:
    if isinstance(block, Table):
        head = "| " + " | ".join(block.header) + " |\n|" + "---|" * len(block.header)
        rows = "\n".join("| " + " | ".join(r) + " |" for r in block.rows)
        return f"*{block.caption}*\n\n{head}\n{rows}"
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return f"{block.title}\n" + "\n".join(f"- {i}" for i in block.items)
    return ""


def scheme_text(policy: ir.Policy, name: str) -> str | None:
    scheme = next((s for s in policy.schemes if s.name == name), None)
    if scheme is None:
        return None
    page = scheme_page(policy, scheme, (), with_chart=False, changes=())
    parts = [f"**方案 {page.name}**", page.applies, page.period, page.validity, *page.conditions]
    for layer in page.layers:
        parts.append(f"**{layer.name}**")
        parts += [_block_md(b) for b in layer.blocks]
    return "\n\n".join(p for p in parts if p)


def overridden_in(region: Path, scheme: ir.Scheme, param: ir.Param, others: list[ast.Module]) -> str:
    """The regions in the workspace that inherit this one and override this parameter (覆盖 方案 …)."""
    found = overrides(others, region, scheme.name, param.name)
    if not found:
        return ""
    return "\n\n被以下地区覆盖（overridden in）：" + "；".join(str(s.span) for s in found)


def hover_text(analysis: Analysis, file: str, line: int, character: int, line_text: str,
               others: list[ast.Module] = ()) -> str | None:
    """What to show for the cursor position, or None. others: the workspace's scripts, for overrides."""
    policy = analysis.policy
    occs = index.occurrences(analysis.modules())
    occ = index.at(occs, file, line, character)
    if occ is not None and policy is not None:
        if occ.kind == index.SCHEME or (occ.kind is None and policy and any(s.name == occ.text for s in policy.schemes)):
            return scheme_text(policy, occ.text)
        defs = index.definitions(occs, occ)
        if (text := reference_text(policy, occ.text, defs)) is not None:
            return text
        if defs:
            kinds = "、".join(dict.fromkeys(d.kind or "" for d in defs))
            where = "；".join(str(d.span) for d in defs)
            return f"**{occ.text}**（{kinds}）\n\n定义于 {where}"
    word = word_at(line_text, character)
    if word is None or word not in keywords():
        return None
    text = keyword_entry(word)
    if policy is not None:
        for scheme, param in parameter_at(policy, file, line):
            text = (parameter_text(scheme, param, file) + overridden_in(analysis.root, scheme, param, list(others))
                    + "\n\n---\n\n" + text)
    return text
