"""Lowering of 测试 blocks into TestCase data."""

from __future__ import annotations

from policylang.diagnostics import error
from policylang.ir.cases import (
    OUTPUTS,
    PAYMENT_OUTPUTS,
    Expectation,
    TestAsk,
    TestCase,
    TestClaim,
    TestPayment,
)
from policylang.ir.claims import Claim, Item, Person, facts
from policylang.ir.units import Kind
from policylang.lower.base import LoweringBase
from policylang.lower.scheme import CLASSES
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast


class TestsLowering(LoweringBase):
    layer_names: set[str]
    question_names: set[str]

    def test(self, t: ast.Test) -> TestCase | None:
        self._once(("测试", t.name), f"测试“{t.name}”", t.span)
        people = [b for b in t.body if isinstance(b, ast.Person)]
        if not people:
            self.diags.append(error("E020", f"测试“{t.name}”没有 参保人 语句", t.span))
            return None
        for extra in people[1:]:
            self.diags.append(error("E008", "重复定义：一个测试只能有一个参保人", extra.span))
        person_facts = dict(p for a in people[0].attrs if (p := self.fact(a)))
        person = Person(t.name, facts(person_facts))
        claims = [c for i, b in enumerate(x for x in t.body if isinstance(x, ast.Claim)) if (c := self.test_claim(b, i))]
        payments = [p for b in t.body if isinstance(b, ast.Payment) if (p := self.payment(b))]
        asks = [a for b in t.body if isinstance(b, ast.Ask) if (a := self.ask(b))]
        return TestCase(t.name, person, tuple(claims), tuple(payments), tuple(asks), t.span)

    def expectations(self, expects, pool: tuple[str, ...]) -> list[Expectation]:
        out = []
        for e in expects:
            if isinstance(e, ast.Refused):
                continue
            name = e.name.text
            if name not in pool:
                self.diags.append(error("E017", f"未知的期望项“{name}”", e.name.span, did_you_mean(name, list(pool))))
                continue
            if name == "津贴天数":
                value = self.whole(e.value, Kind.DURATION, name)
            else:
                value = self.quantity(e.value, Kind.MONEY, name)
            if value is not None:
                out.append(Expectation(name, int(value), e.span))
        return out

    def test_claim(self, c: ast.Claim, index: int) -> TestClaim | None:
        day = self.date(c.date)
        claim_facts = dict(p for a in c.attrs if (p := self.fact(a)))
        items = [i for it in c.items if (i := self.item(it))]
        if c.amount is not None and c.items:
            self.diags.append(error("E008", "重复定义：就诊同时写了费用和明细，费用由明细合计得出", c.amount.span))
        if c.amount is None and not c.items:
            self.diags.append(error("E031", "就诊缺少费用：在日期和类别之后写上金额，例如 2000 元", c.span))
            return None
        amount = self.quantity(c.amount, Kind.MONEY, "费用") if c.amount is not None else sum(i.amount for i in items)
        pool = (*OUTPUTS, *sorted(self.layer_names))
        expects = self.expectations(c.expects, pool)
        refused = next((e.span for e in c.expects if isinstance(e, ast.Refused)), None)
        if day is None or amount is None or len(items) != len(c.items):
            return None
        claim = Claim(day, int(amount), facts(claim_facts), index, tuple(items), c.span)
        return TestClaim(claim, tuple(expects), refused)

    def item(self, it: ast.Item) -> Item | None:
        amount = self.quantity(it.amount, Kind.MONEY, "明细金额")
        if it.cls.text not in CLASSES:
            self.diags.append(error("E007", f"“{it.cls.text}”不是目录类别", it.cls.span,
                                    did_you_mean(it.cls.text, list(CLASSES)) or f"目录类别：{'、'.join(CLASSES)}"))
            return None
        return None if amount is None else Item(it.name.text, it.cls.text, int(amount))

    def payment(self, p: ast.Payment) -> TestPayment | None:
        year = p.year
        if year.unit != "年" or year.number != int(year.number):
            self.diags.append(error("E005", "缴费年度应写作 2022 年", year.span))
            return None
        return TestPayment(int(year.number), tuple(self.expectations(p.expects, PAYMENT_OUTPUTS)), p.span)

    def ask(self, a: ast.Ask) -> TestAsk | None:
        day = self.date(a.date)
        if a.name.text not in self.question_names:
            self.diags.append(error("E015", f"没有名为“{a.name.text}”的判断", a.name.span,
                                    did_you_mean(a.name.text, sorted(self.question_names))))
            return None
        answers = dict(p for at in a.attrs if (p := self.fact(at)))
        return None if day is None else TestAsk(day, a.name.text, facts(answers), a.answer, a.span)
