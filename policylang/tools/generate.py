"""Seeded claims that probe a policy's edges: every scheme and layer, its enumerations and its typed fields.

Amounts sit around every money value of the script, dates around every version boundary and year end.
A person's sequence targets one scheme in turn (the schemes the person's enumerations allow), so every
scheme and every layer is reached, and mostly stays with it so deductibles, caps, counters and accounts
accumulate. Typed fields the rules read (年龄, 月工资, 缴费日期, 住院号, 转诊号, 入院日期, 账户余额 …) get
values near the constants they are compared with, and claims of schemes with a catalogue are itemised.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from fractions import Fraction

from policylang import ir
from policylang.inputs.claimtable import PERSON_FIELDS
from policylang.ir.claims import Claim, Item, Person, facts
from policylang.ir.eligibility import add_months
from policylang.ir.values import FormulaKind, Money, NumUnit, OperandUnit, magnitude

Combo = tuple[tuple[str, str], ...]
PERSON_TYPED = ("账户余额",)  # typed fields that belong to the person (read once, on the first claim)
CLASSES = ("甲类", "甲类", "乙类", "乙类", "丙类", "目录外")
ITEM_NAMES = ("药品", "检查", "材料")
ADMISSIONS = ("H1", "H2", "H3")
REFERRALS = ("R1", "R2")
STAY_OFFSETS = (0, 1, 29, 30, 31, 89, 90, 91, 179, 180, 181)  # days since admission, around N-day periods


def _walk(obj: object, visit) -> None:
    for node in ir.walk(obj):
        visit(node)


def used_fields(policy: ir.Policy) -> set[str]:
    """The enumerations the rules look at (conditions, table keys, overrides); only these change a result."""
    out: set[str] = set()

    def visit(obj: object) -> None:
        if isinstance(obj, ir.Condition):
            out.add(obj.field)
        elif isinstance(obj, ir.Cell):
            out.update(f for f, _ in obj.keys)
        elif isinstance(obj, ir.FirstSelfPay):
            out.update(f for f, _ in obj.overrides)
        elif isinstance(obj, ir.Operand) and obj.kind == "field" and obj.unit is OperandUnit.ENUM:
            out.add(str(obj.value))

    _walk(policy.schemes, visit)
    return out


def typed_fields(policy: ir.Policy) -> dict[str, ir.FieldDef]:
    """The typed fields settlement reads: named in rules, or read by a mechanism (住院号 by admission scopes
    and counters, 转诊号 by shared deductibles, 入院日期 by N-day stays, 账户余额 by accounts)."""
    names: set[str] = set()

    def scoped(scope: ir.Scope, by: str | None = None) -> None:
        if scope is ir.Scope.FIELD and by:  # 按 孕期号: the key field of a running total
            names.add(by)
        if scope is ir.Scope.ADMISSION:
            names.add("住院号")
        elif scope is ir.Scope.STAY:
            names.update(("住院号", "入院日期"))

    def visit(obj: object) -> None:
        if isinstance(obj, ir.AlreadyPaid):  # 扣除已付: what other funds paid
            names.update(obj.fields)
        if isinstance(obj, ir.Scheme) and obj.version_by:  # 版本 按 出院日期: stays that span a change
            names.update(("入院日期", "出院日期", obj.version_by))
        if isinstance(obj, ir.FieldRef):
            names.add(obj.name)
        elif isinstance(obj, ir.Operand) and obj.kind in ("field", "next_month", "this_month"):
            names.add(str(obj.value))
        elif isinstance(obj, ir.Allowance) and isinstance(obj.rate, str):
            names.add(obj.rate)
        elif isinstance(obj, ir.DaysPerCount | ir.UnitCap):
            names.add(obj.field)
        elif isinstance(obj, ir.Deduction | ir.Fixed) and obj.per:
            names.add(obj.per)
        elif isinstance(obj, ir.Period) and obj.by:
            names.update(("入院日期", "出院日期", obj.by))
        elif isinstance(obj, ir.Deductible):
            scoped(obj.scope, obj.by)
            if obj.shared:
                names.add("转诊号")
            if obj.counts or obj.step is not None or obj.compound is not None:
                names.add("住院号")
        elif isinstance(obj, ir.Cap | ir.FeeLimit):
            scoped(obj.scope, obj.by)
        elif isinstance(obj, ir.Scheme) and obj.account is not None:
            names.add("账户余额")

    _walk(policy.schemes, visit)
    return {n: f for n in sorted(names) if (f := policy.field(n)) is not None and policy.enum(n) is None}


def per_unit_fields(obj: object) -> list[str]:
    """The 天数/次数 fields the per-unit rules of obj (schemes, a scheme) multiply (封顶线 每 床日数, 定额 每
    护理天数): counts of one visit, in order of appearance."""
    out: dict[str, None] = {}
    for node in ir.walk(obj):
        if isinstance(node, ir.UnitCap):
            out[node.field] = None
        elif isinstance(node, ir.Deduction | ir.Fixed) and node.per:
            out[node.per] = None
    return list(out)


def _fen(money: Money) -> int:
    """A whole number of 分 to try as a claim amount (an exact bound is cut to the 分 below)."""
    return int(Fraction(money.fen))


def _money_values(obj: object) -> set[int]:
    """Every money amount (分) in the policy's tables, formula bounds and money constants."""
    out: set[int] = set()

    def visit(o: object) -> None:
        if isinstance(o, ir.Cell) and isinstance(o.value, Money):
            out.add(_fen(o.value))
        elif isinstance(o, ir.Band):
            out.update(_fen(v) for v in (o.lower, o.upper) if v is not None and v.fen)
        elif isinstance(o, ir.Formula) and o.kind is FormulaKind.MONEY:
            out.update(_fen(v) for v in (o.lower, o.upper) if isinstance(v, Money))
        elif isinstance(o, ir.Num) and o.unit is NumUnit.MONEY:
            out.add(int(o.value))
        elif isinstance(o, ir.OneOff):
            out.update((_fen(o.amount), _fen(o.threshold)))
        elif isinstance(o, ir.Deductible) and o.step is not None:
            out.add(_fen(o.step))

    _walk(obj, visit)
    return {v for v in out if v >= 0}


def _numbers(policy: ir.Policy) -> set[int]:
    """The numeric constants requirements compare with (months, ages, counts), for edge values of fields."""
    out: set[int] = set()

    def visit(o: object) -> None:
        if isinstance(o, ir.Operand) and o.kind == "const" and isinstance(n := magnitude(o.value), int | Fraction):
            out.add(int(n))
        elif isinstance(o, ir.Comparison) and isinstance(o.rhs, ir.Table):
            out.update(int(n) for c in o.rhs.cells if isinstance(n := magnitude(c.value), int | Fraction))

    _walk(tuple(r for s in policy.schemes for r in (*s.requirements, *(q for la in s.layers
                                                                         for q in getattr(la, "requirements", ())))),
          visit)
    return out


def _required_enums(policy: ir.Policy) -> set[str]:
    """The enumerations a requirement compares with a value (定点 = 是)."""
    out: set[str] = set()

    def visit(o: object) -> None:
        if isinstance(o, ir.Operand) and o.kind == "field" and o.unit is OperandUnit.ENUM:
            out.add(str(o.value))

    _walk(policy.schemes, visit)
    return out


def _test_edges(policy: ir.Policy) -> dict[str, list[ir.Fact]]:
    """Per field a typed condition tests (年龄 >= 60 岁, 参加工作日期 < 1995-01-01): its constants and their
    neighbours, so generated claims fall on both sides of every condition."""
    out: dict[str, set] = {}
    for node in ir.walk(policy.schemes):
        if isinstance(node, ir.FieldTest):
            value = magnitude(node.constant)
            step: object = dt.timedelta(days=1) if isinstance(value, dt.date) else 1
            edges = {value, value - step, value + step}  # type: ignore[operator]
            out.setdefault(node.field, set()).update(
                e if isinstance(e, dt.date | int) else Fraction(e) for e in edges)  # type: ignore[arg-type]
    return {f: sorted(v) for f, v in out.items()}


def _boundary_dates(policy: ir.Policy) -> set[dt.date]:
    out: set[dt.date] = set()

    for node in ir.walk(policy.schemes):
        if ir.is_node(node):
            for f, value in ir.node_fields(node):
                if f.name in ("start", "end") and isinstance(value, dt.date):
                    out.update({value - dt.timedelta(days=1), value, value + dt.timedelta(days=1)})
    return out


def _product(enums: list[ir.Enumeration]) -> list[Combo]:
    names = [e.name for e in enums]
    return [facts(dict(zip(names, values, strict=True))) for values in itertools.product(*(e.values for e in enums))]


def _consistent(combo: Combo, conds: tuple[ir.Condition, ...]) -> bool:
    values = dict(combo)
    return all(values[c.field] in c.values for c in conds if c.field in values)


KEY_VALUES = ("甲", "乙")


class Generator:
    """Seeded claims for one policy: amounts and dates that probe its edges, combos of its enumerations."""

    def __init__(self, policy: ir.Policy, seed: int) -> None:
        self.policy = policy
        self.rng = random.Random(seed)
        self.year = policy.start.year if policy.start else 2024
        money = _money_values(policy.schemes)
        self.amounts = sorted({0, 1, 99, 100_000_000} | {m + d for m in money for d in (-1, 0, 1) if m + d >= 0}
                              | {2 * m for m in money})
        boundaries = _boundary_dates(policy)
        # two years from the policy's start, widened to every version boundary (a cap in force until 2023 …)
        years = {self.year, self.year + 1} | {d.year for d in boundaries if abs(d.year - self.year) <= 5}
        self.first, self.last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
        self.dates = sorted(d for d in boundaries | {
            dt.date(self.year, 1, 1), dt.date(self.year, 12, 31), dt.date(self.year + 1, 1, 1)}
            if self.first <= d <= self.last)
        used = used_fields(policy)
        person_enums = [e for e in policy.enums if e.name in used and e.name in PERSON_FIELDS]
        claim_enums = [e for e in policy.enums if e.name in used and e.name not in PERSON_FIELDS]
        self.person_combos = _product(person_enums)
        self.claim_combos = _product(claim_enums)
        self.scales = sorted(m for m in money if m > 0) or [30_000]
        self.next_combo = 0
        self.typed = typed_fields(policy)
        self.keys = {lim.by for s in policy.schemes for lay in s.layers  # fields that key a running total
                     for lim in (*lay.caps, lay.deductible, lay.fee_limit) if lim is not None and lim.by}
        self.numbers = sorted({0, 1} | {n + d for n in _numbers(policy) for d in (-1, 0, 1) if n + d >= 0})
        # per scheme: the claim combinations its conditions allow
        self.targets = [(s, [c for c in self.claim_combos if _consistent(c, s.when)]) for s in policy.schemes]
        self.turn: dict[Combo, int] = {}
        self.required = _required_enums(policy)
        self.test_edges = _test_edges(policy)

    def amount(self) -> int:
        """An edge amount, or one spread lognormally around one of the script's money values."""
        if self.rng.random() < 0.4:
            return self.rng.choice(self.amounts)
        return max(0, round(self.rng.choice(self.scales) * math.exp(self.rng.gauss(0, 1.0))))

    def date(self, scheme: ir.Scheme | None = None) -> dt.date:
        """A boundary date or any date of the two years; inside the scheme's validity when it has one."""
        first = max(self.first, scheme.start) if scheme and scheme.start else self.first
        last = min(self.last, scheme.end) if scheme and scheme.end else self.last
        if first > last:
            first, last = self.first, self.last
        edges = [d for d in self.dates if first <= d <= last]
        if edges and self.rng.random() < 0.3:
            return self.rng.choice(edges)
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def combo(self) -> Combo:
        """The next combination in turn, so every combination appears."""
        combo = self.claim_combos[self.next_combo % len(self.claim_combos)]
        self.next_combo += 1
        return combo

    def person(self, pid: str, combo: Combo) -> Person:
        """A person with these enumeration values and the person-level typed fields the rules read."""
        extra = {name: v for name in PERSON_TYPED if name in self.typed
                 if (v := self.value(self.typed[name], self.first)) is not None}
        return Person(pid, facts({**dict(combo), **extra}))

    def claims(self, count: int, person: Combo | None = None) -> list[Claim]:
        """A person's claims: mostly of one kind (accumulating toward caps), some of others.

        With the person's enumerations given, the main kind is the next scheme (in turn) they may claim under.
        """
        scheme, main = self.target(person)
        out = []
        for i in range(count):
            same = i == 0 or self.rng.random() < 0.7
            combo = main if same else self.combo()
            day = self.date(scheme if same else None)
            amount = self.amount()
            fact_map = dict(combo)
            fact_map.update(self.claim_fields(day))
            self.paid_by_others(fact_map, amount)
            items = self.items(amount, scheme if same else None)
            out.append(Claim(day, amount, facts(fact_map), i, items))
        return out

    def target(self, person: Combo | None) -> tuple[ir.Scheme | None, Combo]:
        if person is None:
            return None, self.combo()
        fits = [(s, cs) for s, cs in self.targets if cs and _consistent(person, s.when)]
        if not fits:
            return None, self.combo()
        n = self.turn[person] = self.turn.get(person, -1) + 1
        scheme, combos = fits[n % len(fits)]
        return scheme, self.usual(self.rng.choice(combos))

    def usual(self, combo: Combo) -> Combo:
        """Mostly the default of an enumeration a requirement compares (定点 是, 第三方责任 否 …): claims meeting
        every requirement are the ones that reach the layers; each value still appears now and then."""
        out = []
        for name, value in combo:
            enum = self.policy.enum(name) if name in self.required else None
            default = enum.default if enum else None
            out.append((name, default if default is not None and self.rng.random() < 0.85 else value))
        return tuple(out)

    def claim_fields(self, day: dt.date) -> dict[str, ir.Fact]:
        out: dict[str, ir.Fact] = {}
        for name, fdef in self.typed.items():
            if name not in PERSON_TYPED and (value := self.value(fdef, day)) is not None:
                out[name] = value
        admitted = out.get("入院日期")
        if isinstance(admitted, dt.date) and isinstance(out.get("出院日期"), dt.date):
            out["出院日期"] = max(admitted, out["出院日期"])  # type: ignore[type-var]
        return out

    def paid_by_others(self, fact_map: dict[str, ir.Fact], amount: int) -> None:
        """扣除已付 fields mostly as shares of the claim's cost (sometimes all of it, sometimes more: refused)."""
        for name in dict.fromkeys(f for s in self.policy.schemes for f in s.paid_fields()):
            if name in fact_map and self.rng.random() < 0.8:
                fact_map[name] = amount * self.rng.choice((0, 1, 2, 3, 5, 8, 10)) // 10

    def value(self, fdef: ir.FieldDef, day: dt.date) -> ir.Fact | None:
        """A value of a typed field for a claim on day; None (absent) now and then when the field is optional."""
        rng = self.rng
        absent = 0.4 if fdef.optional else 0.1 if fdef.default is not None else 0.0
        if rng.random() < absent:
            return None
        name, kind = fdef.name, fdef.type
        edges = self.test_edges.get(name)
        if edges and rng.random() < 0.6:  # a typed condition on the field (年龄 >= 60 岁): around its constant
            return rng.choice(edges)
        if name == "住院号":
            return rng.choice(ADMISSIONS)
        if name == "转诊号":
            return rng.choice(REFERRALS) if rng.random() < 0.6 else None
        if name == "入院日期":
            return day - dt.timedelta(days=rng.choice((*STAY_OFFSETS, rng.randrange(400))))
        if name == "出院日期":
            return day + dt.timedelta(days=rng.choice((0, 0, 1, 10, 40)))
        if kind == "金额":
            if rng.random() < 0.3:
                return rng.choice(self.amounts)
            return max(0, round(rng.choice((*self.scales, 500_000)) * math.exp(rng.gauss(0, 1.0))))
        if kind == "日期":
            months = rng.choice((0, 1, 2, 3, 4, 6, 12, 24, -1, -3))
            return add_months(day, -months) + dt.timedelta(days=rng.choice((-1, 0, 0, 1, rng.randrange(-40, 40))))
        if kind == "年龄":
            return Fraction(rng.randrange(101))
        if kind in ("天数", "月数", "年数", "次数"):
            if rng.random() < 0.6 and self.numbers:
                return Fraction(rng.choice(self.numbers))
            return Fraction(rng.randrange(12 * 40 if kind in ("月数", "年数") else 40))
        if name in self.keys:  # a few values, so claims share a total (孕期号 甲, 乙)
            return rng.choice(KEY_VALUES)
        return None  # 文字 fields (就医地 …) are left out: they need other regions

    def items(self, amount: int, scheme: ir.Scheme | None) -> tuple[Item, ...]:
        """明细 for a scheme with a catalogue (exclusions or 乙类 shares), some of the time; they sum to amount."""
        cat = scheme.catalogue if scheme else None
        if cat is None or not (cat.exclusions or cat.shares) or amount == 0 or self.rng.random() < 0.4:
            return ()
        excluded = [e.name for e in cat.exclusions]

        def name() -> str:
            return self.rng.choice(excluded) if excluded and self.rng.random() < 0.7 else self.rng.choice(ITEM_NAMES)

        cuts = sorted(self.rng.randrange(amount + 1) for _ in range(self.rng.randrange(1, 5)))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, amount], strict=True)]
        return tuple(Item(name(), self.rng.choice(CLASSES), p) for p in parts)


__all__ = ["Generator", "per_unit_fields", "typed_fields", "used_fields"]
