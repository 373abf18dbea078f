"""Text → AST. Lark LALR with the contextual lexer; several syntax errors per file, each located."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken, VisitError
from lark.lark import PostLex

from policylang.diagnostics import Diagnostic, error
from policylang.resources import grammar_file
from policylang.source import Source, Span
from policylang.syntax import ast, messages
from policylang.syntax.builder import AstBuilder, parse_date, token_span
from policylang.syntax.parser_cache import cached_lark

MAX_SYNTAX_ERRORS = 20

# Never names: a bound written where no bound can stand is a bound in the wrong place, not a table key.
_BOUNDS = frozenset({"最低", "最高"})

# Keywords that follow a table key (退休 比例 提高 5%, 一级 免起付线): after a keyword, a misused name.
_AFTER_KEYS = frozenset({"比例", "支付比例", "报销比例", "免起付线", "取消起付线", "先行自付", "津贴天数", "定额"})

# Tokens at which error recovery may resume: anything that starts a statement or closes a block.
_SYNC_EXTRA = {"_SEMI", "RBRACE"}


class _WholeWords(PostLex):
    """Keywords are whole words in every parser state (the rule in grammar/policy.lark's header).

    The contextual lexer builds one scanner per parser state from the terminals that state accepts. Where
    NAME is not among them (top level, after a number) a keyword literal would match a *prefix* of a run
    of letters, so `方案职工医保` lexed as 方案 + 职工医保 at top level but as one name inside a block.
    Accepting NAME in every state makes each run of letters one token everywhere; Lark re-types it as a
    keyword only when the whole run equals a keyword that the state accepts. Units right after a number
    keep their higher priority ("5万元以内" → 5 · 万元 · 以内).
    """

    always_accept = ("NAME",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return stream


def build_lark(*, cache: bool = True) -> Lark:
    """The grammar's parser. strict: a shift/reduce conflict or a terminal collision fails the load.

    The LALR tables take seconds to build and the lexer's expressions a third of a second to compile:
    both are cached per user (parser_cache.py), keyed on the grammar text."""
    build = cached_lark if cache else Lark
    return build(
        grammar_file().read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        postlex=_WholeWords(),
        strict=True,
        propagate_positions=True,
        maybe_placeholders=False,
    )


@functools.cache
def _lark() -> Lark:
    return build_lark()


@functools.cache
def keywords() -> dict[str, str]:
    """Every keyword of the language: its text → its terminal name."""
    out = {}
    for t in _lark().terminals:
        if t.pattern.type == "str" and re.fullmatch(r"[\u3400-\u9fff]+", t.pattern.value):
            out[t.pattern.value] = t.name
    return out


# Text that leaves the parser at the start of a statement inside each kind of block.
_BLOCK_PREFIXES = ("方案 甲 {", "方案 甲 { 层 乙 {", '测试 "t" {', "资助 按 甲 {", "判断 甲 {")


def _starters_after(prefix: str) -> frozenset[str]:
    """The keywords the parser accepts right after prefix."""
    ip = _lark().parse_interactive(prefix)
    ip.exhaust_lexer()
    return frozenset(ip.choices()) & frozenset(keywords().values())


@functools.cache
def _block_starters() -> frozenset[str]:
    return frozenset().union(*(_starters_after(p) for p in _BLOCK_PREFIXES))


@functools.cache
def _statement_starters() -> frozenset[str]:
    """Keywords that begin a statement, at top level or inside a block."""
    return _starters_after("") | _block_starters()


@functools.cache
def _top_level_only() -> frozenset[str]:
    """Keywords that start a statement at top level but never inside a block (方案, 测试, 地区 …)."""
    return _starters_after("") - _block_starters() - {"生效"}  # 生效 also closes a rule inside a block


def _describe(expected: set[str]) -> str:
    return messages.describe(expected, keywords(), _statement_level(expected) and len(expected) > 8)


def _acceptable(ip) -> set[str]:
    """The terminals the parser accepts in its current state (the lexer's error may not say)."""
    names = {t.name for t in _lark().terminals} | {"$END"}
    return {k for k in ip.choices() if k in names}


def _statement_level(choices) -> bool:
    """A state between statements: it may end a block or the file."""
    return "RBRACE" in choices or "$END" in choices


def _shown(text: str, limit: int = 20) -> str:
    """A word of the script as a message quotes it: a long one is cut (the excerpt shows the rest)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _misspelling(word: str, keyword: str) -> bool:
    """A word that may be the keyword mistyped, not a name built on it (出生日期 is no misspelt 日期)."""
    return abs(len(word) - len(keyword)) <= 1 and keyword not in word


class _Recovering:
    """Drives the interactive parser token by token, recovering at statement boundaries."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.file = source.path
        self.diags: list[Diagnostic] = []
        self.recovering = False
        self.braces: list[Token] = []
        self.prev: Token | None = None
        self.before: Token | None = None  # the token before prev
        self.statement: list[Token] = []  # tokens since the last statement boundary
        self.keyword: str | None = None  # the keyword that began the current statement
        self.last_keyword: str | None = None  # the same, before the latest token
        self.bad_close: set[int] = set()
        self.skip_statement = False  # after some mistakes, resume at the next statement, not at this token

    def run(self) -> Tree | None:
        ip = _lark().parse_interactive(self.source.folded)
        while len(self.diags) < MAX_SYNTAX_ERRORS:
            try:
                for tok in ip.lexer_thread.lex(ip.parser_state):
                    if tok.type == "NAME" and tok.value in _BOUNDS:
                        tok = Token.new_borrow_pos(keywords()[tok.value], tok.value, tok)
                    self._track(tok)
                    self.before, self.prev = self.prev, tok
                    if self.recovering:
                        self.recovering = not self._resync(ip, tok)
                        continue
                    ip.feed_token(tok)
                return self._finish(ip)
            except UnexpectedToken as e:
                tok = e.token
                if tok.type != "$END" and self.prev is not tok:
                    self._track(tok)
                    self.before, self.prev = self.prev, tok
                self._report(ip, tok, _acceptable(ip) or e.expected)
                self.recovering = self.skip_statement or not self._resync(ip, tok)
                self.skip_statement = False
            except UnexpectedCharacters as e:
                self._bad_character(e)
                ip.lexer_thread.state.line_ctr.feed(self.source.folded[e.pos_in_stream])
                self.recovering = True
        return None

    def _bad_character(self, e: UnexpectedCharacters) -> None:
        ch = self.source.text[e.pos_in_stream]
        span = Span.point(self.file, e.line, e.column)
        said = messages.CHARACTERS.get(ch)
        if said:
            self.diags.append(error("E003", said[0].replace("{char}", ch), span, said[1]))
        else:
            self.diags.append(error("E003", f"非法字符：“{ch}”", span))

    def _finish(self, ip) -> Tree | None:
        if self.braces:
            for tok in self.braces:
                self.diags.append(
                    error("E009", f"块未结束：第 {tok.line} 行的 {{ 没有对应的 }}", token_span(self.file, tok))
                )
            return None
        try:
            tree = ip.feed_eof()
        except UnexpectedToken as e:
            if not self.recovering:
                self._report(ip, e.token, _acceptable(ip) or e.expected)
            return None
        return None if self.diags else tree

    def _track(self, tok: Token) -> None:
        self.last_keyword = self.keyword
        if tok.type in ("_SEMI", "LBRACE", "RBRACE") or keywords().get(tok.value) in _statement_starters():
            self.statement = []
            self.keyword = tok.value if tok.type == tok.value else None
        else:
            self.statement.append(tok)
        if tok.type == "LBRACE":
            self.braces.append(tok)
        elif tok.type == "RBRACE":
            if self.braces:
                self.braces.pop()
            else:
                self.bad_close.add(id(tok))

    def _report(self, ip, tok: Token, expected: set[str]) -> None:
        if self.recovering:
            return
        if tok.type == "$END":
            if not self.braces:
                msg = f"文件意外结束，应为 {_describe(expected)}"
                self.diags.append(error("E001", msg, self._end_span(), self._form()))
            return
        span = token_span(self.file, tok)
        if id(tok) in self.bad_close:
            self.diags.append(error("E010", "多余的 }：前面没有对应的 {", span))
            return
        diag = self._unclosed_block(tok, span) or self._outside_block(tok, span) or self._mistake(ip, tok, span)
        if diag is None and self._unknown_keyword(tok, expected):
            return
        if diag is None:
            msg = f"此处不应出现“{_shown(tok.value)}”，应为 {_describe(expected)}"
            diag = error("E001", msg, span, self._form(tok))
        self.diags.append(diag)

    def _form(self, tok: Token | None = None) -> str | None:
        """The allowed form of the statement being written (that tok may have ended), as the help line."""
        keyword = self.last_keyword if tok is not None and tok.type in ("_SEMI", "RBRACE") else self.keyword
        form = messages.FORMS.get(keyword or "")
        return f"“{keyword}”的写法：{form}" if form else None

    def _unclosed_block(self, tok: Token, span: Span) -> Diagnostic | None:
        """A top-level statement inside a block: the block above it was not closed."""
        if not self.braces or tok.type not in _top_level_only():
            return None
        opened = self.braces[-1]
        self.braces.clear()  # recovery resumes at top level: every open block is reported here
        msg = (f"第 {opened.line} 行的 {{ 没有对应的 }}：“{tok.value}”只能写在文件顶层"
               f" — the block opened on line {opened.line} is not closed")
        return error("E009", msg, span, f"在“{tok.value}”之前补上 }}，结束第 {opened.line} 行开始的块")

    def _outside_block(self, tok: Token, span: Span) -> Diagnostic | None:
        """A rule of a scheme written at top level."""
        if self.braces or tok.type not in _block_starters() - _starters_after(""):
            return None
        msg = f"“{tok.value}”只能写在方案、层或测试的 {{ }} 中 — “{tok.value}” belongs inside a block"
        return error("E001", msg, span, f"写作 {messages.FORMS['方案']}")

    def _mistake(self, ip, tok: Token, span: Span) -> Diagnostic | None:
        """A common mistake, by the kind of token or by the parser state (the examples in messages)."""
        prev = self.before
        if tok.value in _BOUNDS:
            m, fields = messages.BOUND_FIRST, {"token": tok.value}
        elif (prev is not None and prev.type == prev.value and prev.type in _block_starters()
              and tok.value in _AFTER_KEYS):
            m, fields = messages.KEYWORD_AS_NAME, {"prev": prev.value}
            self.skip_statement = True  # the rest of the statement was not written as a rule
            span = token_span(self.file, prev)
        elif any(t.type == "NAME" and t.value in ("x", "X") for t in (*self.statement, tok)):
            m, fields = messages.TIMES_AS_LETTER, {}
        else:
            m, fields = messages.match(_lark(), ip.parser_state.position, tok), {}
        if m is None:
            return None
        if m.missing and prev is not None:
            span = Span.point(self.file, prev.end_line, prev.end_column)
        return error(m.code, m.fill(m.message, fields), span, m.fill(m.help, fields))

    def _end_span(self) -> Span:
        """Just after the last character of the file that is not white space."""
        text = self.source.text.rstrip()
        line = text.count("\n") + 1
        return Span.point(self.file, line, len(text) - (text.rfind("\n") + 1) + 1)

    def _unknown_keyword(self, tok: Token, expected: set[str]) -> bool:
        """A misspelt keyword, or one glued to the next word, lexes as a name: say so, with a hint."""
        kws = keywords()
        here = [k for k, v in kws.items() if v in expected]
        if self._glued(tok, here) or (self.statement and self._glued(self.statement[0], _statement_starters())):
            return True
        candidates = [(tok, here)] + [(t, list(kws)) for t in self.statement if t is not tok]
        for cand, pool in candidates:
            if cand.type != "NAME" or cand.value in kws:
                continue
            cutoff = 0.5 if cand is tok else 0.6  # 0.5: one wrong character of a two-character keyword
            close = [k for k in difflib.get_close_matches(cand.value, pool, n=3, cutoff=cutoff)
                     if _misspelling(cand.value, k)][:1]
            if close or (cand is tok and pool and "NAME" not in expected and _statement_level(expected)):
                hint = f"是否想写“{close[0]}”？(did you mean {close[0]}?)" if close else None
                msg = f"未知关键字“{_shown(cand.value)}”"
                self.diags.append(error("E002", msg, token_span(self.file, cand), hint))
                return True
        return False

    def _glued(self, cand: Token, pool) -> bool:
        """方案职工医保: a keyword that may stand here, with the next word written onto it."""
        if cand.type != "NAME":
            return False
        kws = keywords()
        glued = [k for k in kws if kws[k] in pool and cand.value.startswith(k) and len(cand.value) > len(k)]
        if not glued:
            return False
        kw = max(glued, key=len)
        fixed = _shown(f"{kw} {cand.value[len(kw):]}")
        msg = f"未知关键字“{_shown(cand.value)}”：关键字与后面的词连在了一起 — a keyword is glued to the next word"
        hint = f"关键字后留一个空格：是否想写“{fixed}”？(did you mean “{fixed}”?)"
        self.diags.append(error("E002", msg, token_span(self.file, cand), hint))
        return True

    def _resync(self, ip, tok: Token) -> bool:
        """Pop parser states until tok is acceptable, if tok may start a statement or end a block."""
        kind = keywords().get(tok.value, tok.type) if tok.type == "NAME" else tok.type
        if kind not in _statement_starters() and kind not in _SYNC_EXTRA:
            return False
        if kind != tok.type:
            tok = Token.new_borrow_pos(kind, tok.value, tok)
        state = ip.parser_state
        saved = (list(state.state_stack), list(state.value_stack))
        while state.state_stack:
            choices = ip.choices()
            # Resume only where the token begins a statement, not inside the broken one.
            if kind in choices and _statement_level(choices):
                try:
                    ip.feed_token(tok)
                    return True
                except UnexpectedToken:
                    break
            state.state_stack.pop()
            if state.value_stack:
                state.value_stack.pop()
        state.state_stack[:], state.value_stack[:] = saved
        return False


def parse(source: Source) -> tuple[ast.Module | None, list[Diagnostic]]:
    """Parse one script. Returns the module (None if it has syntax errors) and the diagnostics."""
    if not source.folded.strip():
        return ast.Module(source.path, ()), []
    runner = _Recovering(source)
    try:
        tree = runner.run()
    except LarkError as e:  # defensive: the parser's own failure is still a located message
        return None, [*runner.diags, error("E001", f"无法解析：{e}", Span.point(source.path, 1, 1))]
    if tree is None or runner.diags:
        return None, runner.diags
    try:
        return AstBuilder(source).transform(tree), []
    except VisitError as e:  # a grammar/transformer mismatch is our bug, but still a located message
        line = getattr(e.obj, "meta", None)
        span = Span.point(source.path, getattr(line, "line", 1), getattr(line, "column", 1))
        return None, [error("E001", f"无法理解这一语句（{e.rule}）", span)]


def parse_diagnostics(source: Source) -> list[Diagnostic]:
    return parse(source)[1]


__all__ = ["keywords", "parse", "parse_date", "parse_diagnostics"]
