"""The canonical layout: one statement per line, blocks indented by four spaces, one rule for spacing.

Spaces are only ever added between tokens or removed next to punctuation, never between two words, so
the lexer sees the same tokens (a keyword stays a keyword: ``方案 职工医保`` never becomes ``方案职工医保``).
"""

from __future__ import annotations

from lark import Token, Tree

from policylang.diagnostics import display_width
from policylang.tools.fmt.tree import Comment, Concrete

INDENT = "    "
# Statements that open a block of statements; other braces (enumerations, brackets) stay on one line.
BLOCKS = frozenset({"scheme", "layer", "subsidy", "question", "test"})
_TIGHT_EQUALS = frozenset({"attr_name", "attr_quantity", "attr_date", "attr_text", "field_key", "opening_entry"})
_NO_SPACE_BEFORE = frozenset({",", ")", "%"})
_INCLUSION = frozenset({"含", "不含"})
_EXPECT = "  期望 "
MAX_ALIGN_PAD = 24  # display columns; wider gaps read worse than no alignment


def _spaced(prev: tuple[Token, str], cur: tuple[Token, str], nxt: Token | None) -> str:
    """The white space between two tokens of one line ('' or ' ' or, before a claim's 期望, two)."""
    (ptok, pparent), (tok, parent) = prev, cur
    if tok.type == "_ALT" or ptok.type == "_ALT":
        return ""
    if ptok == "(":
        return ""
    if ptok == ")" and pparent in ("inclusive", "exclusive") and tok in ("以内", "以上"):
        return ""  # (含)以内
    if tok in _NO_SPACE_BEFORE or tok.type == "_COMMA":
        return ""
    if tok == "(" and nxt is not None and nxt in _INCLUSION:
        return ""  # 2 万元(含)以内
    if tok == "(" and pparent == "pick_fn":
        return ""  # 取小(a, b)
    if "=" in (tok, ptok) and (parent in _TIGHT_EQUALS or pparent in _TIGHT_EQUALS):
        return ""
    if parent == "claim.expect" and tok == "期望":
        return " " if ptok == "}" else "  "
    return " "


class Printer:
    """Writes statements and comments line by line, keeping paragraphs (blank lines) and comments."""

    def __init__(self, cst: Concrete, keep_semicolons: bool) -> None:
        self.cst = cst
        self.keep_semicolons = keep_semicolons
        self.lines: list[str] = []
        self.comments: list[Comment] = list(cst.comments)
        self.last_line = 0  # source line where the last thing written ends
        self.src_lines = cst.source.text.split("\n")
        self.expects: list[int] = []  # lines holding a one-line claim with an expectation

    def render(self) -> str:
        self._statements(self.cst.tree.children, 0)
        self._comments_before(None, 0, opened=False)
        _align_expectations(self.lines, self.expects)
        return "\n".join(self.lines) + "\n" if self.lines else ""

    # ---- output ------------------------------------------------------------------------------------
    def _emit(self, depth: int, text: str, start: int, end: int, opened: bool) -> None:
        """A line; a blank line before it if the source had one (not right after an opening brace)."""
        if self.lines and not opened and self._blank_between(self.last_line, start):
            self.lines.append("")
        self.lines.append(INDENT * depth + text)
        self.last_line = end

    def _blank_between(self, a: int, b: int) -> bool:
        return any(not self.src_lines[i - 1].strip() for i in range(a + 1, b) if 0 < i <= len(self.src_lines))

    def _comments_before(self, pos: int | None, depth: int, opened: bool) -> bool:
        """Write the comments before pos (all that remain if None) on lines of their own."""
        wrote = False
        while self.comments and (pos is None or self.comments[0].pos < pos):
            c = self.comments.pop(0)
            self._emit(depth, c.text, c.line, c.line, opened and not wrote)
            wrote = True
        return wrote

    def _trailing_comment(self, end_line: int) -> None:
        """A comment after code on a statement's last line stays at the end of that line."""
        if self.comments and not self.comments[0].own_line and self.comments[0].line == end_line:
            self.lines[-1] += "  " + self.comments.pop(0).text

    # ---- statements --------------------------------------------------------------------------------
    def _statements(self, children: list, depth: int) -> None:
        """Statements of a file or block; the first one follows the opening brace with no blank line."""
        opened = True
        for i, child in enumerate(children):
            if isinstance(child, Token):
                continue
            semi = i + 1 < len(children) and isinstance(children[i + 1], Token) and children[i + 1].type == "_SEMI"
            wrote = self._comments_before(child.meta.start_pos, depth, opened)
            self._statement(child, depth, opened and not wrote, semi and self.keep_semicolons)
            opened = False

    def _statement(self, tree: Tree, depth: int, opened: bool, semi: bool) -> None:
        if tree.data in BLOCKS:
            self._block(tree, depth, opened, semi)
        elif (items := _items_block(tree)) is not None:
            self._claim_with_items(tree, items, depth, opened, semi)
        else:
            toks = _with_parents(tree)
            self._comments_inside(toks, depth, opened)
            self._emit(depth, self._join(toks) + ";" * semi, toks[0][0].line, toks[-1][0].end_line, opened)
            if tree.data == "claim" and any(p == "claim.expect" for _, p in toks):
                self.expects.append(len(self.lines) - 1)
            self._trailing_comment(toks[-1][0].end_line)

    def _block(self, tree: Tree, depth: int, opened: bool, semi: bool) -> None:
        brace = next(i for i, c in enumerate(tree.children) if isinstance(c, Token) and c == "{")
        head = _with_parents(Tree(tree.data, tree.children[:brace + 1]))
        self._comments_inside(head, depth, opened)
        self._emit(depth, self._join(head), head[0][0].line, head[-1][0].line, opened)
        self._trailing_comment(head[-1][0].line)
        self._close(tree.children[brace + 1:-1], tree.children[-1], depth, semi)

    def _close(self, body: list, close: Token, depth: int, semi: bool, tail: str = "}") -> None:
        """The statements of a block, the comments left before its closing brace, then the brace line."""
        self._statements(body, depth + 1)
        empty = not any(isinstance(c, Tree) for c in body)
        self._comments_before(close.start_pos, depth + 1, opened=empty)
        self._emit(depth, tail + ";" * semi, close.line, close.line, opened=True)
        self._trailing_comment(close.line)

    def _claim_with_items(self, tree: Tree, items: Tree, depth: int, opened: bool, semi: bool) -> None:
        """A claim with a 明细 block: one 明细 per line, the expectation after the closing brace."""
        toks = _with_parents(tree)
        open_, close = items.children[0], items.children[-1]
        head = [t for t in toks if t[0].start_pos <= open_.start_pos]
        tail = [t for t in toks if t[0].start_pos >= close.start_pos]
        self._comments_inside(head, depth, opened)
        self._emit(depth, self._join(head), head[0][0].line, open_.line, opened)
        self._trailing_comment(open_.line)
        self._close(items.children[1:-1], close, depth, semi, self._join(tail))

    def _comments_inside(self, toks: list[tuple[Token, str]], depth: int, opened: bool) -> None:
        """Comments between the tokens of a one-line statement move above it (a line is never split)."""
        last = toks[-1][0]
        if self.comments and self.comments[0].pos < last.start_pos:
            self._comments_before(last.start_pos, depth, opened)

    def _join(self, toks: list[tuple[Token, str]]) -> str:
        out: list[str] = []
        prev = None
        for i, cur in enumerate(toks):
            tok = cur[0]
            if tok.type == "_SEMI":
                continue
            if prev is not None:
                nxt = toks[i + 1][0] if i + 1 < len(toks) else None
                out.append(_spaced(prev, cur, nxt))
            out.append(self.cst.text(tok))
            prev = cur
        return "".join(out)


def _align_expectations(lines: list[str], claims: list[int]) -> None:
    """Consecutive claims line up their 期望 when that needs little padding (a readable test table)."""
    runs: list[list[int]] = []
    for i in claims:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in (r for r in runs if len(r) > 1):
        heads = [lines[i].split(_EXPECT, 1)[0] for i in run]
        widths = [display_width(h) for h in heads]
        if max(widths) - min(widths) > MAX_ALIGN_PAD:
            continue
        for i, head, width in zip(run, heads, widths, strict=True):
            lines[i] = head + " " * (max(widths) - width) + _EXPECT + lines[i].split(_EXPECT, 1)[1]


def _with_parents(tree: Tree) -> list[tuple[Token, str]]:
    out: list[tuple[Token, str]] = []

    def walk(t: Tree, data: str) -> None:
        for c in t.children:
            if isinstance(c, Tree):
                walk(c, "claim.expect" if data == "claim" and c.data == "expect" else str(c.data))
            else:
                out.append((c, data))

    walk(tree, str(tree.data))
    return out


def _items_block(tree: Tree) -> Tree | None:
    if tree.data != "claim":
        return None
    items = next((c for c in tree.children if isinstance(c, Tree) and c.data == "items"), None)
    if items is None or not any(isinstance(c, Tree) for c in items.children):
        return None
    return items


__all__ = ["Comment", "Printer"]
