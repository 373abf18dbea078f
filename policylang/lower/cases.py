"""Lowering of 测试 blocks into TestCase data."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import attrs

from policylang.diagnostics import error
from policylang.ir.cases import Expectation, TestAsk, TestCase, TestClaim, TestPayment
from policylang.ir.claims import CLASSES, Claim, Item, Person, facts
from policylang.ir.outputs import BY_NAME, PAYMENT_OUTPUTS, output_hint
from policylang.ir.units import Kind
from policylang.ir.values import Days, Money
from policylang.lower.conditions import fact
from policylang.lower.context import FIRST_DEFINED, Context, Definitions
from policylang.lower.values import date, money_value, whole
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast


@attrs.frozen
class Outputs:
    """What a test may name: a claim's outputs (terms.output_names: the fixed ones and each layer's payment)
    and the region's questions."""

    claims: tuple[str, ...]
    questions: frozenset[str]
    balances: frozenset[str] = frozenset()  # names a year-to-date total may be given under (ir.balances)


def test_case(ctx: Context, defs: Definitions, outputs: Outputs, t: ast.Test) -> TestCase | None:
    defs.once(("测试", t.name), f"测试“{t.name}”", t.span)
    people = [b for b in t.body if isinstance(b, ast.Person)]
    if not people:
        ctx.report(error("E020", f"测试“{t.name}”没有 参保人 语句", t.span))
        return None
    for extra in people[1:]:
        ctx.report(error("E008", "重复定义：一个测试只能有一个参保人", extra.span,
                         related=((FIRST_DEFINED, people[0].span),)))
    person = Person(t.name, facts(dict(p for a in people[0].attrs if (p := fact(ctx, a)))))
    if people[0].opening is not None:
        person = _opening(ctx, outputs.balances, person, people[0].opening)
    visits = (x for x in t.body if isinstance(x, ast.Claim))
    claims = [c for i, b in enumerate(visits) if (c := _claim(ctx, outputs, b, i))]
    payments = [p for b in t.body if isinstance(b, ast.Payment) if (p := _payment(ctx, b))]
    asks = [a for b in t.body if isinstance(b, ast.Ask) if (a := _ask(ctx, outputs.questions, b))]
    return TestCase(t.name, person, tuple(claims), tuple(payments), tuple(asks), t.span)


def _opening(ctx: Context, names: frozenset[str], person: Person, opening: ast.Opening) -> Person:
    """已累计 起付线=800元, 救助限额=1万元 截至 2024-06-30: year-to-date totals by accumulator name (E083)."""
    found: dict[str, int] = {}
    for entry in opening.entries:
        name = entry.name.text
        if name not in names:
            hint = did_you_mean(name, sorted(names)) or (
                f"可用的名称：{'、'.join(sorted(names))}" if names else "本地区没有按年度累计的起付线、封顶线或费用限额")
            ctx.report(error("E083", f"没有名为“{name}”的年度累计", entry.name.span, hint))
            continue
        amount = money_value(ctx, entry.value, name)
        if amount is not None:
            found[name] = int(amount)
    day = date(ctx, opening.date) if opening.date is not None else None
    return attrs.evolve(person, opening=tuple(found.items()), opening_date=day)


def _expectations(ctx: Context, expects: Iterable[object], pool: tuple[str, ...]) -> list[Expectation]:
    out = []
    for e in expects:
        if isinstance(e, ast.Refused):
            continue
        name = e.name.text
        if name not in pool:
            ctx.report(error("E017", f"未知的期望项“{name}”", e.name.span, output_hint(name, pool)))
            continue
        unit = BY_NAME[name].unit if name in BY_NAME else Money
        if unit is not Money:
            v = whole(ctx, e.value, Kind.DURATION if unit is Days else Kind.COUNT, name)
        else:
            v = money_value(ctx, e.value, name)
        if v is not None:
            out.append(Expectation(name, int(v), e.span))
    return out


def _claim(ctx: Context, outputs: Outputs, c: ast.Claim, index: int) -> TestClaim | None:
    day = date(ctx, c.date)
    claim_facts = dict(p for a in c.attrs if (p := fact(ctx, a)))
    items = [i for it in c.items if (i := _item(ctx, it))]
    if c.amount is not None and c.items:
        ctx.report(error("E034", "就诊同时写了费用和明细：费用由明细合计得出", c.amount.span))
    if c.amount is None and not c.items:
        ctx.report(error("E031", "就诊缺少费用：在日期和类别之后写上金额，例如 2000 元", c.span))
        return None
    amount = money_value(ctx, c.amount, "费用") if c.amount is not None else sum(i.amount for i in items)
    expects = _expectations(ctx, c.expects, outputs.claims)
    refused = next((e.span for e in c.expects if isinstance(e, ast.Refused)), None)
    if day is None or amount is None or len(items) != len(c.items):
        return None
    claim = Claim(day, int(amount), facts(claim_facts), index, tuple(items), c.span)
    return TestClaim(claim, tuple(expects), refused)


def _item(ctx: Context, it: ast.Item) -> Item | None:
    amount = money_value(ctx, it.amount, "明细金额")
    if it.cls.text not in CLASSES:
        ctx.report(error("E038", f"“{it.cls.text}”不是目录类别", it.cls.span,
                         did_you_mean(it.cls.text, list(CLASSES)) or f"目录类别：{'、'.join(CLASSES)}"))
        return None
    return None if amount is None else Item(it.name.text, it.cls.text, int(amount))


def _payment(ctx: Context, p: ast.Payment) -> TestPayment | None:
    year = p.year
    if year.unit != "年" or year.number != int(year.number):
        ctx.report(error("E005", "缴费年度应写作 2022 年", year.span))
        return None
    return TestPayment(int(year.number), tuple(_expectations(ctx, p.expects, PAYMENT_OUTPUTS)), p.span)


def _ask(ctx: Context, questions: Collection[str], a: ast.Ask) -> TestAsk | None:
    day = date(ctx, a.date)
    if a.name.text not in questions:
        ctx.report(error("E040", f"没有名为“{a.name.text}”的判断", a.name.span,
                         did_you_mean(a.name.text, sorted(questions))))
        return None
    answers = dict(p for at in a.attrs if (p := fact(ctx, at)))
    return None if day is None else TestAsk(day, a.name.text, facts(answers), a.answer, a.span)
