"""Parse tree → AST: a Lark transformer that gives every node the span it was written at."""

from __future__ import annotations

from decimal import Decimal

import attrs
from lark import Token, Transformer, v_args

from policylang.source import Source, Span, parse_date
from policylang.syntax import ast


def token_span(file: str, tok: Token) -> Span:
    line = tok.line or 1
    col = tok.column or 1
    end_line = tok.end_line or line
    end_col = tok.end_column or col + max(1, len(tok.value))
    return Span(file, line, col, end_line, end_col)


def _constant_or_expr(a: ast.Arith) -> ast.Quantity | ast.Arith:
    """A bound as written: a constant stays a quantity (最低 600 元), anything else an expression."""
    return a.left if a.op == "num" else a  # type: ignore[return-value]


def _first(items, kind, default=None):
    return next((i for i in items if isinstance(i, kind)), default)


def _all(items, kind) -> tuple:
    return tuple(i for i in items if isinstance(i, kind))


# A typed condition's operator as 要求 writes it: the word forms and the mathematical signs.
_TEST_OPS = {"早于": "<", "晚于": ">", "不早于": ">=", "不晚于": "<=", "≥": ">=", "≤": "<=", "≠": "!="}


@v_args(meta=True)
class AstBuilder(Transformer):
    """Builds AST nodes bottom-up; every node gets the span of its parse-tree node."""

    def __init__(self, source: Source) -> None:
        super().__init__(visit_tokens=True)
        self.file = source.path
        self.text = source.text  # strings keep what the officer typed, unfolded

    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return Span.point(self.file, 1, 1)
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok_span(self, tok: Token) -> Span:
        return token_span(self.file, tok)

    # tokens -------------------------------------------------------------------------------------
    def NAME(self, tok: Token) -> ast.Name:
        # A bracketed part of a name is kept in full-width brackets whichever way it was typed: 某市（试点）.
        return ast.Name(str(tok).replace("(", "（").replace(")", "）"), self._tok_span(tok))

    def DATE(self, tok: Token) -> ast.DateLit:
        return ast.DateLit(str(tok), parse_date(str(tok)), self._tok_span(tok))

    def STRING(self, tok: Token) -> str:
        return _Text(self.text[tok.start_pos + 1 : tok.end_pos - 1], self._tok_span(tok))

    # top level ----------------------------------------------------------------------------------
    def start(self, meta, items):
        return ast.Module(self.file, tuple(items))

    def region(self, meta, names):
        return ast.Region("".join(n.text for n in names), self._span(meta))

    def basis(self, meta, items):
        return ast.Basis(str(items[0]), str(items[1]) if len(items) > 1 else None, self._span(meta))

    def effective(self, meta, items):
        span = self._span(meta)
        end = items[1] if len(items) > 1 else None
        return ast.Effective(ast.Validity(items[0], end, span), span)

    def note(self, meta, items):
        return ast.Note(str(items[0]), self._span(meta))

    def assume(self, meta, items):
        return ast.Assumption(str(items[0]), self._span(meta))

    def import_(self, meta, items):
        v = items[0]
        return ast.Import(v.text if isinstance(v, ast.Name) else str(v), self._span(meta))

    def inherit(self, meta, items):
        v = items[0]
        return ast.Inherit(v.text if isinstance(v, ast.Name) else str(v), self._span(meta))

    def rounding(self, meta, items):
        return ast.Rounding(items[0], self._span(meta))

    def rounding_mode(self, meta, items):
        return str(items[0])

    def enum_def(self, meta, items):
        default = next((i.name for i in items if isinstance(i, _Default)), None)
        values = tuple(i for i in items[1:] if isinstance(i, ast.Name))
        return ast.EnumDef(items[0], values, default, self._span(meta))

    def enum_extend(self, meta, items):
        return ast.EnumExtend(items[0], tuple(items[1:]), self._span(meta))

    def enum_default(self, meta, items):
        return _Default(items[0])

    def field_def(self, meta, items):
        default = next((i[1] for i in items if isinstance(i, tuple) and i[0] == "default"), None)
        optional = any(isinstance(i, tuple) and i[0] == "optional" for i in items)
        return ast.FieldDef(items[0], str(items[1]), default, optional, self._span(meta))

    def field_type(self, meta, items):
        return str(items[0])

    def field_default(self, meta, items):
        return ("default", items[0])

    def field_optional(self, meta, items):
        return ("optional", None)

    def reference(self, meta, items):
        return ast.Reference(items[0], tuple(items[1:]), self._span(meta))

    def ref_entry(self, meta, items):
        return (items[0], items[1])

    # schemes ------------------------------------------------------------------------------------
    def scheme(self, meta, items):
        names = [i for i in items if isinstance(i, ast.Name)]
        when = next((i for i in items if isinstance(i, _When)), _When())
        validity = _first(items, ast.Validity)
        override = any(isinstance(i, _Override) for i in items)
        body = tuple(i for i in items if not isinstance(i, ast.Name | _When | ast.Validity | _Override))
        return ast.Scheme(" ".join(n.text for n in names), _join(names), tuple(when), validity, body, override,
                          self._span(meta))

    def override(self, meta, items):
        return _Override()

    def layer(self, meta, items):
        names = [i for i in items if isinstance(i, ast.Name)]
        when = next((i for i in items if isinstance(i, _When)), _When())
        body = tuple(i for i in items if not isinstance(i, ast.Name | _When))
        return ast.Layer(" ".join(n.text for n in names), _join(names), tuple(when), body, self._span(meta))

    def when(self, meta, conds):
        return _When(conds)

    def cond_field(self, meta, items):
        return ast.Cond(items[0], tuple(items[1:]), self._span(meta))

    def cond_value(self, meta, items):
        return ast.Cond(None, (items[0],), self._span(meta))

    def field_test(self, meta, items):
        field, op, value = items
        return self._field_test(field, _TEST_OPS.get(str(op), str(op)), value, self._span(meta))

    def _field_test(self, field: ast.Name, op: str, value: ast.Quantity | ast.DateLit, span: Span) -> ast.FieldTest:
        """年龄 >= 60 岁 as the comparison a 要求 would write: the field, the operator, the constant."""
        kind = "date" if isinstance(value, ast.DateLit) else "quantity"
        lhs = ast.Expr((("+", ast.Term("field", field, field.span)),), field.span)
        rhs = ast.Expr((("+", ast.Term(kind, value, value.span)),), value.span)
        return ast.FieldTest(ast.Comparison(lhs, op, rhs, span), span)

    def cond_test(self, meta, items):
        return items[0]

    def key_test(self, meta, items):
        return items[0]

    def field_test_range(self, meta, items):
        field, value, *rest = items
        strict = any(isinstance(i, _Incl) and not i.value for i in rest)
        above = str(rest[-1]) == "以上"
        op = (">" if strict else ">=") if above else ("<" if strict else "<=")
        return self._field_test(field, op, value, self._span(meta))

    def date_order(self, meta, items):
        return str(items[0])

    def range_word(self, meta, items):
        return str(items[0])

    def natural_year(self, meta, items):
        by = _first(items, _By)
        return ast.Period("自然年度", None, self._span(meta), by.name if by else None)

    def insurance_year(self, meta, items):
        num = next(i for i in items if isinstance(i, Token) and i.type == "NUMBER")
        unit = next((i for i in items if isinstance(i, str) and not isinstance(i, Token)), None)
        by = _first(items, _By)
        return ast.Period("社保年度", ast.Quantity(Decimal(str(num)), unit, self._tok_span(num)), self._span(meta),
                          by.name if by else None)

    def _table(self, kind, meta, items):
        scope = next((i for i in items if isinstance(i, _Scope)), None)
        entries = next((i for i in items if isinstance(i, _Table)), _Table())
        shared = any(isinstance(i, _Shared) for i in items)
        highest = any(isinstance(i, _Highest) for i in items)
        per = _first(items, _PerUnit)
        counts_in = _first(items, _CountsIn)
        sharing = _first(items, _Sharing)
        return ast.TableStmt(kind, str(scope) if scope else None, tuple(entries), _first(items, ast.Validity),
                             shared, self._span(meta), _first(items, ast.Formula), highest,
                             per=per.name if per else None, counts_in=counts_in.name if counts_in else None,
                             sharing=str(sharing) if sharing else None, by=getattr(scope, "by", None))

    def per_each(self, meta, items):
        return _PerUnit(items[0])

    def deduct(self, meta, items):
        return self._table(str(items[0]), meta, items[1:])

    def deduct_kind(self, meta, items):
        return str(items[0])

    def per_field(self, meta, items):
        return _FieldScope(items[0])

    def counts_in(self, meta, items):
        return _CountsIn(items[0])

    def sharing(self, meta, items):
        return _Sharing(str(items[0]))

    def accumulator(self, meta, items):
        scope = _first(items, _Scope)
        return ast.Accumulator(items[0], str(scope) if scope else None, getattr(scope, "by", None), self._span(meta))

    def layer_base(self, meta, items):
        return ast.LayerBase(str(items[0]), self._span(meta))

    def base_kind(self, meta, items):
        return str(items[0])

    def opening(self, meta, items):
        return ast.Opening(_all(items, ast.OpeningEntry), _first(items, ast.DateLit), self._span(meta))

    def opening_entry(self, meta, items):
        return ast.OpeningEntry(items[0], items[1], self._span(meta))

    def highest(self, meta, items):
        return _Highest()

    def fee_limit(self, meta, items):
        base = next((str(i) for i in items if isinstance(i, _BracketBase)), None)
        return attrs.evolve(self._table("费用限额", meta, items), base=base)

    def ded_table(self, meta, items):
        return _BoundedTable(_all(items, ast.Entry), _first(items, ast.DeductibleBounds))

    def ded_bounds(self, meta, items):
        lower: list[ast.Entry] = []
        upper: list[ast.Entry] = []
        into = lower
        for item in items:
            if isinstance(item, _BoundWord):
                into = lower if item == "最低" else upper
            else:
                into.append(item)
        return ast.DeductibleBounds(tuple(lower), tuple(upper), self._span(meta))

    def bound_word(self, meta, items):
        return _BoundWord(str(items[0]))

    def deductible_compound(self, meta, items):
        return ast.DeductibleCompound(items[0], _first(items, ast.DeductibleBounds), _first(items, ast.Validity),
                                      self._span(meta))

    def formula_rhs(self, meta, items):
        lower = next((i.q for i in items if isinstance(i, _Bound) and i.kind == "min"), None)
        upper = next((i.q for i in items if isinstance(i, _Bound) and i.kind == "max"), None)
        rt = _first(items, _RoundTo)
        return ast.Formula(items[0], lower, upper, rt.to if rt else None, rt.mode if rt else None, self._span(meta))

    def a_binary(self, meta, items):
        return ast.Arith(str(items[1]), items[0], items[2], self._span(meta))

    def a_quantity(self, meta, items):
        return ast.Arith("num", items[0], None, self._span(meta))

    def a_ref(self, meta, items):
        return ast.Arith("ref", items[0], None, self._span(meta))

    def a_name(self, meta, items):
        return ast.Arith("name", items[0], None, self._span(meta))

    def a_per(self, meta, items):
        return ast.Arith("per", (items[0], str(items[1])), None, self._span(meta))

    def a_pick(self, meta, items):
        return ast.Arith(str(items[0]), tuple(items[1:]), None, self._span(meta))

    def pick_fn(self, meta, items):
        return str(items[0])

    def per_unit(self, meta, items):
        return str(items[0])

    def cell_expr(self, meta, items):
        return self.formula_rhs(meta, items)

    def bound_min(self, meta, items):
        return _Bound("min", _constant_or_expr(items[0]))

    def bound_max(self, meta, items):
        return _Bound("max", _constant_or_expr(items[0]))

    def round_to(self, meta, items):
        return _RoundTo(items[0], items[1] if len(items) > 1 else None)

    def round_unit(self, meta, items):
        return "元" if str(items[0]).endswith("元") else "分"

    def count_entry(self, meta, items):
        num = next(i for i in items if isinstance(i, Token) and i.type == "NUMBER")
        return ast.CountEntry(int(num), any(isinstance(i, _Onward) for i in items), _first(items, ast.Quantity),
                              self._span(meta))

    def onward(self, meta, items):
        return _Onward()

    def deductible_count(self, meta, items):
        return ast.DeductibleCount(_all(items, ast.CountEntry), _first(items, ast.Validity), self._span(meta),
                                   _first(items, ast.DeductibleBounds))

    def deductible_step(self, meta, items):
        return ast.DeductibleStep(items[0], tuple(items[1]), _first(items, ast.Validity), self._span(meta))

    def once(self, meta, items):
        return ast.Once(items[0], items[1], _first(items, ast.Validity), self._span(meta))

    def account_pay(self, meta, items):
        return ast.AccountPay(tuple(items), self._span(meta))

    def deductible_part(self, meta, items):
        return ast.Name("起付线", self._span(meta))

    def account_alloc(self, meta, items):
        return ast.AccountAlloc(tuple(items[0]), self._span(meta))

    def period_by(self, meta, items):
        return _By(items[0])

    def per_stay(self, meta, items):
        return _Scope(f"每{items[0]}天")

    def deductible(self, meta, items):
        stmt = self._table("起付线", meta, items)
        bounded = next((i for i in items if isinstance(i, _BoundedTable)), None)
        return attrs.evolve(stmt, bounds=bounded.bounds) if bounded is not None and bounded.bounds else stmt

    def ratio(self, meta, items):
        return self._table("比例", meta, items)

    def cap(self, meta, items):
        return self._table("封顶线", meta, items)

    def fixed(self, meta, items):
        return self._table("定额", meta, items)

    def allowance(self, meta, items):
        return self._table("津贴天数", meta, items)

    def shared(self, meta, items):
        return _Shared()

    def adjust(self, meta, items):
        lower = next((i.q for i in items if isinstance(i, _Bound) and i.kind == "min"), None)
        upper = next((i.q for i in items if isinstance(i, _Bound) and i.kind == "max"), None)
        return ast.Adjust(items[0], items[1], items[2], _first(items, ast.Validity), self._span(meta), lower, upper)

    def adj_op(self, meta, items):
        return str(items[0])

    def waiver(self, meta, items):
        return ast.Waiver(items[0], _first(items, ast.Validity), self._span(meta))

    def per_visit(self, meta, items):
        return _Scope("每次")

    def per_day(self, meta, items):
        return _Scope("每日")

    def per_admission(self, meta, items):
        return _Scope("每次住院")

    def per_year(self, meta, items):
        return _Scope("年度")

    def table(self, meta, entries):
        return _Table(entries)

    def entry(self, meta, items):
        return ast.Entry(tuple(items[:-1]), items[-1], self._span(meta))

    def keys(self, meta, items):
        return tuple(items)

    def key(self, meta, items):
        return ast.Key(tuple(items), self._span(meta))

    def field_key(self, meta, items):
        return ast.Key(tuple(items[1:]), self._span(meta), items[0])

    def ref_value(self, meta, items):
        return ast.RefValue(str(items[0]), items[1], self._span(meta))

    def ref_year(self, meta, items):
        return str(items[0])

    def brackets(self, meta, items):
        keys = tuple(i for i in items if isinstance(i, ast.Key | ast.FieldTest))
        base = next((str(i) for i in items if isinstance(i, _BracketBase)), None)
        return ast.Brackets(keys, _all(items, ast.Band), _first(items, ast.Validity), self._span(meta), base)

    def bracket_base(self, meta, items):
        return _BracketBase(str(items[0]))

    def band_upto(self, meta, items):
        q, incl, ratio = _band_parts(items)
        return ast.Band(None, None, q[0], incl[0] if incl[0] is not None else True, ratio, self._span(meta))

    def band_above(self, meta, items):
        q, incl, ratio = _band_parts(items)
        return ast.Band(q[0], incl[0] if incl[0] is not None else False, None, None, ratio, self._span(meta))

    def band_between(self, meta, items):
        q, incl, ratio = _band_parts(items)
        lower_incl = incl[0] if incl[0] is not None else False
        upper_incl = incl[1] if len(incl) > 1 and incl[1] is not None else True
        return ast.Band(q[0], lower_incl, q[1], upper_incl, ratio, self._span(meta))

    def inclusive(self, meta, items):
        return _Incl(True)

    def exclusive(self, meta, items):
        return _Incl(False)

    def exclude(self, meta, items):
        names = tuple(i if isinstance(i, ast.Name) else ast.Name(str(i), i.span) for i in items)
        return ast.Exclude(names, self._span(meta))

    def first_pay(self, meta, items):
        overrides = tuple(i for i in items[1:] if isinstance(i, ast.Name))
        share = items[1] if isinstance(items[1], ast.Quantity) else None
        return ast.FirstPay(items[0], share, overrides, _first(items, ast.Validity), self._span(meta),
                            _all(items, ast.CountEntry))

    def require(self, meta, items):
        comps = _all(items, ast.Comparison)
        reason = next(i for i in items if isinstance(i, _Text))
        return ast.Require(comps[0], comps[1:], str(reason), _first(items, ast.Validity), self._span(meta))

    def requirement(self, meta, items):
        rhs = items[2]
        return ast.Comparison(items[0], str(items[1]), rhs, self._span(meta))

    def comparison(self, meta, items):
        return ast.Comparison(items[0], str(items[1]), items[2], self._span(meta))

    def keyed_table(self, meta, items):
        entries = []
        for i in range(0, len(items), 2):
            keys, value = items[i], items[i + 1]
            span = Span(self.file, keys[0].span.line, keys[0].span.column, value.span.end_line,
                        value.span.end_column)
            entries.append(ast.Entry(keys, value, span))
        return tuple(entries)

    def expr(self, meta, items):
        terms, sign = [], "+"
        for i in items:
            if isinstance(i, Token) and i.type == "ADD_OP":
                sign = str(i)
            else:
                terms.append((sign, i))
                sign = "+"
        return ast.Expr(tuple(terms), self._span(meta))

    def t_field(self, meta, items):
        return ast.Term("field", items[0], self._span(meta))

    def t_quantity(self, meta, items):
        return ast.Term("quantity", items[0], self._span(meta))

    def t_date(self, meta, items):
        return ast.Term("date", items[0], self._span(meta))

    def t_month_day(self, meta, items):
        return ast.Term("month_day", str(items[0]), self._span(meta))

    def t_next_month(self, meta, items):
        return ast.Term("next_month", items[0], self._span(meta))

    def t_this_month(self, meta, items):
        return ast.Term("this_month", items[0], self._span(meta))

    def days_add(self, meta, items):
        return ast.DaysAdd(items[0], items[1], self._span(meta))

    def days_per(self, meta, items):
        return ast.DaysPer(items[0], Decimal(str(items[1])), items[2], self._span(meta))

    def daily_rate(self, meta, items):
        return ast.DailyRate(items[0], self._span(meta))

    # subsidies, questions -----------------------------------------------------------------------
    def subsidy(self, meta, items):
        names = [i for i in items if isinstance(i, ast.Name)]
        rules = _all(items, ast.SubsidyRule)
        notes = tuple(n.text for n in _all(items, ast.Note))
        return ast.Subsidy(" ".join(n.text for n in names[:-1]), names[-1], rules, notes, self._span(meta))

    def subsidy_fixed(self, meta, items):
        return ast.SubsidyRule(items[0], "定额", items[1], None, self._span(meta), _first(items, ast.Validity))

    def subsidy_share(self, meta, items):
        quantities = _all(items, ast.Quantity)
        floor = quantities[1] if len(quantities) > 1 else None
        return ast.SubsidyRule(items[0], "比例", quantities[0], floor, self._span(meta), _first(items, ast.Validity))

    def subsidy_full(self, meta, items):
        return ast.SubsidyRule(items[0], "全额", None, None, self._span(meta), _first(items, ast.Validity))

    def question(self, meta, items):
        text = next((str(i) for i in items if isinstance(i, _Text)), None)
        otherwise = next((i.text for i in items if isinstance(i, _Otherwise)), None)
        notes = tuple(n.text for n in _all(items, ast.Note))
        return ast.Question(items[0], text, _all(items, ast.Allow), otherwise, notes, self._span(meta))

    def allow(self, meta, items):
        return ast.Allow(_all(items, ast.Cond | ast.FieldTest), _first(items, ast.Validity), self._span(meta))

    def otherwise(self, meta, items):
        return _Otherwise(str(items[0]))

    def valid_from(self, meta, items):
        return ast.Validity(items[0], items[1] if len(items) > 1 else None, self._span(meta))

    valid_between = valid_from

    def valid_until(self, meta, items):
        return ast.Validity(None, items[0], self._span(meta))

    def quantity(self, meta, items):
        num = items[0]
        unit = items[1] if len(items) > 1 else None
        return ast.Quantity(Decimal(str(num)), unit, self._span(meta))

    def unit(self, meta, items):
        return str(items[0])

    # tests --------------------------------------------------------------------------------------
    def test(self, meta, items):
        return ast.Test(str(items[0]), tuple(items[1:]), self._span(meta))

    def person(self, meta, items):
        attrs_ = tuple(i for i in items if not isinstance(i, ast.Opening))
        return ast.Person(attrs_, self._span(meta), _first(items, ast.Opening))

    def claim(self, meta, items):
        date = items[0]
        amount = _first(items[1:], ast.Quantity)
        items_ = next((i for i in items if isinstance(i, _Items)), _Items())
        expects = next((i for i in items if isinstance(i, _Expects)), _Expects())
        return ast.Claim(date, _all(items[1:], ast.Attr), amount, tuple(items_), tuple(expects), self._span(meta))

    def items(self, meta, items):
        return _Items(items)

    def item(self, meta, items):
        name = items[0] if isinstance(items[0], ast.Name) else ast.Name(str(items[0]), items[0].span)
        return ast.Item(name, items[1], items[2], self._span(meta))

    def payment(self, meta, items):
        return ast.Payment(items[0], tuple(items[1]), self._span(meta))

    def yes_no(self, meta, items):
        return str(items[0]) == "是"

    def ask(self, meta, items):
        return ast.Ask(items[0], items[1], _all(items, ast.Attr), items[-1], self._span(meta))

    def attr_value(self, meta, items):
        return ast.Attr(None, items[0], self._span(meta))

    def _attr_pair(self, meta, items):
        value = items[1]
        if isinstance(value, _Text):
            value = str(value)
        return ast.Attr(items[0], value, self._span(meta))

    attr_name = attr_quantity = attr_date = attr_text = _attr_pair

    def expect(self, meta, items):
        return _Expects(items)

    def expected_amount(self, meta, items):
        return ast.Expected(items[0], items[1], self._span(meta))

    def expected_refused(self, meta, items):
        return ast.Refused(self._span(meta))

    def deduct_paid(self, meta, items):
        return ast.DeductPaid(tuple(items), self._span(meta))

    def version_by(self, meta, items):
        return ast.VersionBy(items[0], self._span(meta))

    def topup(self, meta, items):
        return ast.TopUp(items[0], items[1], items[2], self._span(meta))


class _Text(str):
    """A string literal that remembers where it was written."""

    span: Span

    def __new__(cls, text: str, span: Span):
        obj = super().__new__(cls, text)
        obj.span = span
        return obj

    @property
    def text(self) -> str:
        return str(self)


class _Override:
    pass


class _PerUnit:
    """每 床日数: the count/days field a per-unit amount multiplies."""

    def __init__(self, name: ast.Name) -> None:
        self.name = name


class _Highest:
    pass


class _Onward:
    pass


class _BracketBase(str):
    pass


class _By:
    def __init__(self, name: ast.Name) -> None:
        self.name = name


class _Bound:
    def __init__(self, kind: str, q: ast.Quantity) -> None:
        self.kind, self.q = kind, q


class _RoundTo:
    def __init__(self, to: str, mode: str | None) -> None:
        self.to, self.mode = to, mode


class _Default:
    def __init__(self, name: ast.Name) -> None:
        self.name = name


class _When(list):
    pass


class _Table(list):
    pass


class _BoundedTable(_Table):
    """A deductible's entries with the 最低 / 最高 written after them."""

    def __init__(self, entries, bounds: ast.DeductibleBounds | None) -> None:
        super().__init__(entries)
        self.bounds = bounds


class _BoundWord(str):
    pass


class _Items(list):
    pass


class _Expects(list):
    pass


class _Scope(str):
    pass


class _FieldScope(_Scope):
    """按 孕期号: a scope keyed by a claim field; its text is 按孕期号."""

    def __new__(cls, by):
        made = super().__new__(cls, "按" + by.text)
        made.by = by
        return made


@attrs.frozen
class _CountsIn:
    name: ast.Name


class _Sharing(str):
    pass


class _Shared:
    pass


class _Incl:
    def __init__(self, value: bool) -> None:
        self.value = value


class _Otherwise:
    def __init__(self, text: str) -> None:
        self.text = text


def _band_parts(items):
    quantities = [i for i in items if isinstance(i, ast.Quantity)]
    incl: list[bool | None] = []
    for i in items:
        if isinstance(i, ast.Quantity):
            incl.append(None)
        elif isinstance(i, _Incl):
            incl[-1] = i.value
    return quantities[:-1], incl[:-1] or [None], quantities[-1]


def _join(names: list[ast.Name]) -> Span:
    a, b = names[0].span, names[-1].span
    return Span(a.file, a.line, a.column, b.end_line, b.end_column)
