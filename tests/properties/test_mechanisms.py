"""Targeted properties of the mechanisms the generic invariants do not pin: brackets over split claims, the
bracket base, fee limits, one-off payments, admission counters, personal accounts, rounding modes, formula
bounds, the highest-level deductible and cross-region catalogues."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang import ir
from policylang.eval.layers import band_value
from policylang.eval.settle import ClaimResult, settle
from policylang.ir.claims import Claim, Item, Person, facts
from policylang.ir.rounding import MODES, round_fen
from policylang.ir.terms import formula_value
from policylang.ir.values import ArithOp, FormulaKind, Money, Number, RoundingMode, RoundTo
from properties.helpers import HEADER, ROOT, region, script, yuan

EXAMPLES = settings(max_examples=80, deadline=None)
WORKER = Person("p", facts({"险种": "职工医保", "人员类别": "在职"}))
LEVELS = ("一级", "二级", "三级")
YEAR = dt.date(2024, 1, 1)

amounts = st.integers(0, 3_000_000)  # 分: up to 30,000 元
in_year = st.integers(0, 365).map(lambda d: YEAR + dt.timedelta(days=d))  # 2024 is a leap year
two_years = st.integers(0, 730).map(lambda d: YEAR + dt.timedelta(days=d))


def _claims(days, costs, kind: str = "住院", **more) -> list[Claim]:
    return [Claim(day, cost, facts({"就医类型": kind, "医院等级": "二级", **more}), i)
            for i, (day, cost) in enumerate(zip(days, costs, strict=True))]


def _in_order(claims: list[Claim]) -> list[int]:
    """Settlement order: by date, ties in input order."""
    return sorted(range(len(claims)), key=lambda i: (claims[i].date, i))


def _paid(result, layer: str) -> int:
    return next(ls.paid for ls in result.layers if ls.name == layer)


# ---- 分段: the accumulator model ----------------------------------------------------------------------
@st.composite
def bands(draw) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Two or three bands: limits in 元 and whole percentages, written as 分段 {…}."""
    limits = sorted(draw(st.sets(st.integers(1, 200_000), min_size=1, max_size=2)))
    ratios = draw(st.lists(st.integers(0, 100), min_size=len(limits) + 1, max_size=len(limits) + 1))
    parts = [f"{limits[0]}元(含)以内 {ratios[0]}%"]
    parts += [f"{lo}元 至 {hi}元(含) {r}%" for lo, hi, r in zip(limits, limits[1:], ratios[1:], strict=False)]
    parts.append(f"超过 {limits[-1]}元 {ratios[-1]}%")
    return "{ " + ", ".join(parts) + " }", tuple(limits), tuple(ratios)


def bracket_policy(text: str, deductible: int, base: str = "按起付线以上部分", rounding: str = "四舍五入") -> ir.Policy:
    return script(HEADER.format(rounding=rounding) + "方案 大病 (险种 = 职工医保) {\n    周期 自然年度\n"
                  f"    起付线 年度 {yuan(deductible)} 元\n    分段 {base} {text}\n}}\n")


def _split(total: int, cuts: list[int]) -> list[int]:
    points = sorted(c % (total + 1) for c in cuts)
    return [b - a for a, b in zip([0, *points], [*points, total], strict=True)]


@EXAMPLES
@given(bands(), st.integers(0, 500_000), amounts, st.lists(st.integers(0, 10**9), max_size=6),
       st.sampled_from(MODES), st.sampled_from(("按起付线以上部分", "按累计费用")))
def test_brackets_over_split_claims_pay_what_one_claim_pays(b, deductible, total, cuts, mode, base):
    text, _, _ = b
    policy = bracket_policy(text, deductible, base, mode)
    parts = _split(total, cuts)
    days = [YEAR + dt.timedelta(days=10 * i) for i in range(len(parts))]
    split = settle(policy, WORKER, _claims(days, parts))
    (single,) = settle(policy, WORKER, _claims([days[0]], [total]))
    assert sum(r.fund for r in split) == single.fund
    bands_ir = policy.schemes[0].layers[0].brackets.param.versions[0].table.cells[0].value.bands
    if base == "按起付线以上部分":
        expected = round_fen(band_value(bands_ir, max(0, total - deductible)), mode)
    else:  # bands on the cumulative cost, nothing below the deductible
        floor = Money(deductible)
        shifted = tuple(attrs.evolve(x, lower=max(x.lower, floor),
                                     upper=None if x.upper is None else max(x.upper, floor)) for x in bands_ir)
        expected = round_fen(band_value(shifted, total), mode)
    assert single.fund == expected


@EXAMPLES
@given(bands(), st.lists(st.tuples(two_years, amounts), min_size=1, max_size=8))
def test_bracket_bases_agree_without_a_deductible(b, claims):
    text, _, _ = b
    cs = _claims([d for d, _ in claims], [a for _, a in claims])
    above = settle(bracket_policy(text, 0, "按起付线以上部分"), WORKER, cs)
    cumulative = settle(bracket_policy(text, 0, "按累计费用"), WORKER, cs)
    assert [r.fund for r in above] == [r.fund for r in cumulative]


# ---- 费用限额 ---------------------------------------------------------------------------------------
def fee_limit_policy(limit: int, r1: int, r2: int) -> ir.Policy:
    return script(HEADER.format(rounding="四舍五入") + "方案 限额 (险种 = 职工医保) {\n    周期 自然年度\n"
                  f"    比例 {r1}%\n    费用限额 年度 {yuan(limit)} 元\n    层 第二层 {{ 比例 {r2}% }}\n}}\n")


@EXAMPLES
@given(st.integers(0, 2_000_000), st.integers(0, 100), st.integers(0, 100),
       st.lists(st.tuples(two_years, amounts), min_size=1, max_size=8))
def test_fee_limit_admits_at_most_the_limit_and_passes_the_rest_on(limit, r1, r2, claims):
    policy = fee_limit_policy(limit, r1, r2)
    cs = _claims([d for d, _ in claims], [a for _, a in claims])
    results = settle(policy, WORKER, cs)
    entered: defaultdict[int, int] = defaultdict(int)
    left: defaultdict[int, int] = defaultdict(int)  # what the first layer left, over the year
    for i in _in_order(cs):
        c, r = cs[i], results[i]
        before = entered[c.date.year]
        entering = min(c.amount, max(0, limit - before))
        entered[c.date.year] += entering
        assert entered[c.date.year] <= limit
        # rounded cumulatively over the year's limit: round(F(after)) − round(F(before)), no 分 moves
        assert r.fund == round_fen(Fraction((before + entering) * r1, 100)) - round_fen(Fraction(before * r1, 100))
        # the part cut by the limit goes to the next layer, with what the first layer left of the rest; the next
        # layer rounds its running payment over the same year (what reaches it moves a 分 between claims too)
        before_left = left[c.date.year]
        left[c.date.year] += c.amount - r.fund
        assert _paid(r, "第二层") == (round_fen(Fraction(left[c.date.year] * r2, 100))
                                      - round_fen(Fraction(before_left * r2, 100)))


@EXAMPLES
@given(st.integers(0, 2_000_000), st.lists(st.tuples(in_year, amounts), min_size=1, max_size=8))
def test_fee_limit_at_full_ratio_pays_exactly_the_limit(limit, claims):
    results = settle(fee_limit_policy(limit, 100, 100), WORKER, _claims([d for d, _ in claims],
                                                                         [a for _, a in claims]))
    total = sum(a for _, a in claims)
    assert sum(r.fund for r in results) == min(limit, total)
    assert all(r.total_fund == r.cost for r in results)


def test_fee_limit_more_cost_never_pays_less():
    """The yearly 费用限额 moves 1 分 of the base from a later claim to an earlier one when the earlier costs 1 分
    more; per-claim rounding of the ratio used to lose it (the year paid 1 分 less). Cumulative rounding keeps
    the year's payment at round(F(year)) whichever claim the 分 falls in."""
    policy = region(ROOT / "tests" / "vocabulary" / "fee_limits")
    who = Person("p", facts({"险种": "城乡居民医保", "人员类别": "居民"}))

    def year_total(first: int) -> int:
        cs = [Claim(dt.date(2024, 3, 20), first, facts({"就医类型": "住院"}), 0),
              Claim(dt.date(2024, 5, 7), 656_447, facts({"就医类型": "住院"}), 1)]
        return sum(r.total_fund for r in settle(policy, who, cs))

    # 基本医保 pays (10,000 − 1,000) × 50% either way; 大病保险 rounds over the year: 60% × 5,500.00 / 5,500.01 元
    assert (year_total(343_553), year_total(343_554)) == (780_000, 780_001)


def test_next_layer_after_a_fee_limit_more_cost_never_pays_less():
    """The cumulatively rounded 基本医保 moves a 分 between claims when claim 1 costs 1 分 more (0.01 → 0.02 on
    claim 2, 1,111.37 → 1,111.36 on claim 3), so what reaches 大病保险 moves too; rounding 大病保险 per claim lost
    the 分 (2,378.21 → 2,378.20 元). It rounds its running payment over the year as well (running_scope)."""
    policy = region(ROOT / "tests" / "vocabulary" / "fee_limits")
    who = Person("p", facts({"险种": "城乡居民医保", "人员类别": "居民"}))

    def year(first: int) -> list[ClaimResult]:
        cs = [Claim(dt.date(2024, 3, 1 + i), a, facts({"就医类型": "住院"}), i)
              for i, a in enumerate((first, 35_781, 222_273))]
        return settle(policy, who, cs)

    before, after = year(64_221), year(64_222)
    assert [sum(r.total_fund for r in rs) for rs in (before, after)] == [237_820, 237_821]
    # 大病保险 pays round(60% × what reached it this year) − what it paid before
    reached = sum(r.cost - r.fund for r in before)
    assert sum(_paid(r, "大病保险") for r in before) == round_fen(Fraction(reached * 60, 100))


def test_capped_brackets_more_cost_never_pays_less():
    """A capped claim advances the 分段 accumulator by its full base; the cap now cuts the exact payment and the
    layer rounds its running payment, so the half 分 the cap cut is not lost to the next claim."""
    policy = script(HEADER.format(rounding="四舍五入") + "方案 住院 (险种 = 职工医保) {\n    周期 自然年度\n"
                    "    起付线 年度 100 元\n    分段 { 5000元(含)以内 50%, 超过 5000元 70% }\n    封顶线 每日 300 元\n}\n")

    def year_total(first: int) -> int:
        cs = _claims([dt.date(2024, 3, 1), dt.date(2024, 5, 1)], [first, 1])
        return sum(r.fund for r in settle(policy, WORKER, cs))

    assert year_total(70_000) == year_total(70_001) == 30_001


# ---- 一次性支付 --------------------------------------------------------------------------------------
@EXAMPLES
@given(st.integers(1, 100_000), st.integers(0, 2_000_000), st.integers(0, 100),
       st.lists(st.tuples(two_years, amounts), min_size=1, max_size=8))
def test_one_off_is_paid_once_per_period_when_the_threshold_is_crossed(amount, threshold, ratio, claims):
    policy = script(HEADER.format(rounding="四舍五入") + "方案 慢病 (险种 = 职工医保) {\n    周期 自然年度\n"
                    f"    比例 {ratio}%\n    层 补助 {{ 一次性支付 {yuan(amount)} 元 累计超过 {yuan(threshold)} 元 }}\n}}\n")
    cs = _claims([d for d, _ in claims], [a for _, a in claims])
    results = settle(policy, WORKER, cs)
    order = sorted(range(len(cs)), key=lambda i: (cs[i].date, i))
    for year in {c.date.year for c in cs}:
        mine = [results[i] for i in order if cs[i].date.year == year]
        bases = [r.cost - r.fund for r in mine]  # what the first layer left enters the one-off layer
        running, crossing = 0, None
        for k, b in enumerate(bases):
            if running <= threshold < running + b and crossing is None:
                crossing = k
            running += b
        # owed once the running base first exceeds the threshold, then paid from that claim's and later bases
        expected = 0 if crossing is None else min(amount, sum(bases[crossing:]))
        assert sum(_paid(r, "补助") for r in mine) == expected
        assert all(_paid(r, "补助") == 0 for r in mine[: crossing if crossing is not None else len(mine)])


# ---- 第 n 次住院 -------------------------------------------------------------------------------------
def counted_policy(deductible: int) -> ir.Policy:
    return script(HEADER.format(rounding="四舍五入") + "方案 住院 (险种 = 职工医保) {\n    周期 自然年度\n"
                  f"    起付线 每次住院 {yuan(deductible)} 元\n    起付线 第 2 次 50%, 第 3 次起 0%\n    比例 80%\n}}\n")


def _admission_claims(admissions) -> list[Claim]:
    """Each admission's settlements on consecutive days (an admission's claims are not interleaved with
    another's); an admission without 住院号 is one claim."""
    out: list[Claim] = []
    for k, (numbered, costs) in enumerate(admissions):
        number = f"H{k}" if numbered else None
        for cost in costs if number else costs[:1]:
            more = {"住院号": number} if number else {}
            out.append(Claim(YEAR + dt.timedelta(days=len(out)), cost, facts({"就医类型": "住院", **more}), len(out)))
    return out


@EXAMPLES
@given(st.integers(0, 200_000), st.lists(st.tuples(st.booleans(), st.lists(amounts, min_size=1, max_size=3)),
                                         min_size=1, max_size=6))
def test_nth_admission_counts_distinct_admission_numbers(deductible, admissions):
    cs = _admission_claims(admissions)
    results = settle(counted_policy(deductible), WORKER, cs)
    groups: dict[object, list[int]] = {}
    for i, c in enumerate(cs):
        groups.setdefault(dict(c.facts).get("住院号") or ("claim", i), []).append(i)
    factors = {1: Fraction(1), 2: Fraction(1, 2)}
    for n, idx in enumerate(groups.values(), 1):
        amount = round_fen(deductible * factors.get(n, Fraction(0)))
        assert sum(results[i].deductible for i in idx) == min(amount, sum(cs[i].amount for i in idx))


def test_a_later_settlement_of_the_first_admission_keeps_its_deductible():
    cs = [Claim(dt.date(2024, 1, 10), 10_000, facts({"就医类型": "住院", "住院号": "B"}), 0),
          Claim(dt.date(2024, 2, 1), 200_000, facts({"就医类型": "住院", "住院号": "A"}), 1),
          Claim(dt.date(2024, 3, 1), 200_000, facts({"就医类型": "住院", "住院号": "B"}), 2)]
    results = settle(counted_policy(80_000), WORKER, cs)
    assert [r.deductible for r in results] == [10_000, 40_000, 70_000]  # B: 800 元 in all; A: 400 元


# ---- 个人账户 ----------------------------------------------------------------------------------------
@EXAMPLES
@given(st.integers(0, 1_000_000), st.lists(st.tuples(two_years, amounts), min_size=1, max_size=8))
def test_account_pays_the_personal_share_until_the_balance_is_spent(balance, claims):
    policy = region(ROOT / "tests" / "vocabulary" / "accounts")
    who = attrs.evolve(WORKER, facts=facts({**WORKER.fact_map(), "账户余额": balance}))
    cs = _claims([d for d, _ in claims], [a for _, a in claims])
    results = settle(policy, who, cs)
    assert {r.scheme for r in results} == {"职工住院"}
    left = balance
    for i in _in_order(cs):
        r = results[i]
        assert r.account == min(left, r.personal)  # 个人账户 支付 个人自付, no yearly allocation
        left -= r.account
        assert left >= 0 and r.cash == r.personal - r.account >= 0
    assert sum(r.account for r in results) == min(balance, sum(r.personal for r in results))


@EXAMPLES
@given(st.integers(0, 300_000), st.sampled_from(("在职", "退休")),
       st.lists(st.tuples(two_years, amounts, st.booleans()), min_size=1, max_size=8))
def test_account_balance_carries_across_claims_and_years(balance, category, claims):
    policy = region(ROOT / "tests" / "vocabulary" / "accounts")
    who = Person("p", facts({"险种": "职工医保", "人员类别": category, "账户余额": balance}))
    cs = [Claim(d, a, facts({"就医类型": "普通门诊", "医院等级": "二级"}), i,
                (Item("乙类药", "乙类", a // 2), Item("甲类药", "甲类", a - a // 2)) if itemised else ())
          for i, (d, a, itemised) in enumerate(claims)]
    results = settle(policy, who, cs)
    assert {r.scheme for r in results} == {"职工门诊"}
    allocation = 100_000 if category == "在职" else 200_000
    left, year = balance, None
    for i in _in_order(cs):
        r, day = results[i], cs[i].date
        if year is not None and day.year > year:
            left += allocation * (day.year - year)
        year = day.year
        class_share = r.cost - r.excluded - r.policy_range
        due = min(r.personal, r.deductible + class_share)  # 个人账户 支付 起付线, 乙类先行自付
        assert r.account == min(left, due)
        left -= r.account
        assert left >= 0


def test_a_claim_of_another_scheme_does_not_swallow_the_yearly_allocation():
    policy = region(ROOT / "tests" / "vocabulary" / "accounts")
    who = Person("p", facts({"险种": "职工医保", "人员类别": "在职", "账户余额": 0}))
    outpatient = facts({"就医类型": "普通门诊", "医院等级": "二级"})
    cs = [Claim(dt.date(2024, 3, 1), 100_000, outpatient, 0),
          Claim(dt.date(2025, 1, 5), 1_000, facts({"就医类型": "住院", "医院等级": "二级"}), 1),
          Claim(dt.date(2025, 2, 1), 100_000, outpatient, 2)]
    without = settle(policy, who, [cs[0], attrs.evolve(cs[2], index=1)])
    assert [r.account for r in without] == [0, 50_000]  # 2025 划入 1000 元 pays the 500 元 起付线
    assert [r.account for r in settle(policy, who, cs)] == [0, 0, 50_000]


# ---- 舍入 --------------------------------------------------------------------------------------------
@EXAMPLES
@given(st.integers(0, 1000), amounts, st.integers(0, 100_000))
def test_rounding_modes_bracket_the_exact_value(tenths, cost, deductible):
    ratio = Fraction(tenths, 1000)
    funds = {}
    for mode in MODES:
        policy = script(HEADER.format(rounding=mode) + "方案 门诊 (险种 = 职工医保) {\n"
                        f"    起付线 {yuan(deductible)} 元\n    比例 {tenths // 10}.{tenths % 10}%\n}}\n")
        (r,) = settle(policy, WORKER, _claims([YEAR], [cost]))
        funds[mode] = r.fund
        assert type(r.fund) is int and type(r.personal) is int
    exact = max(0, cost - deductible) * ratio
    assert funds["截尾"] <= exact <= funds["进位"] and funds["进位"] - funds["截尾"] <= 1
    assert abs(funds["四舍五入"] - exact) <= Fraction(1, 2)


@EXAMPLES
@given(st.integers(0, 5_000_000))
def test_allowance_rounds_where_the_script_says(wage):
    policy = region(ROOT / "tests" / "vocabulary" / "rounding_order")
    exact = Fraction(98 * wage, 30)

    def allowance(identity: str) -> int:
        who = Person("p", facts({"险种": "职工医保", "参保身份": identity}))
        (r,) = settle(policy, who, [Claim(YEAR, 0, facts({"就医类型": "生育", "月工资": wage}))])
        assert type(r.allowance) is int
        return r.allowance

    assert allowance("单位职工") == 98 * round_fen(Fraction(wage, 30))  # 日津贴 取整到分 first
    assert allowance("灵活就业") == round_fen(exact)  # exact, rounded once
    assert abs(allowance("单位职工") - exact) <= 49


@EXAMPLES
@given(st.integers(0, 10**7), st.sampled_from(MODES))
def test_round_fen_agrees_with_its_name(n, mode):
    for d in (1, 2, 3, 7, 100, 1000):
        x = Fraction(n, d)
        r = round_fen(x, mode)
        assert r - 1 < x <= r if mode == "进位" else r <= x < r + 1 if mode == "截尾" else abs(r - x) <= Fraction(1, 2)


# ---- 表达式 ------------------------------------------------------------------------------------------
@EXAMPLES
@given(st.integers(-1000, 1000), st.integers(-1000, 1000), st.integers(0, 1000), st.integers(0, 1000),
       st.integers(0, 120), st.sampled_from(MODES))
def test_formula_bounds_hold(a, b, lo, hi, age, mode):
    lower, upper = sorted((lo, hi))
    expr = ir.Bin(ArithOp.ADD, ir.Num(Money(a)), ir.Bin(ArithOp.MUL, ir.FieldRef("年龄"), ir.Num(Number(b))))
    policy = region(ROOT / "tests" / "vocabulary" / "expressions")
    low, high = Money(lower * 100), Money(upper * 100)
    value, _ = formula_value(ir.Formula(expr, FormulaKind.MONEY, low, high), policy, {"年龄": Fraction(age)}, YEAR)
    assert low <= value <= high
    rounded, _ = formula_value(ir.Formula(expr, FormulaKind.MONEY, low, high, RoundTo.YUAN, RoundingMode(mode)),
                               policy, {"年龄": Fraction(age)}, YEAR)
    assert rounded.fen % 100 == 0 and low <= rounded <= high  # whole-元 bounds survive rounding


@EXAMPLES
@given(st.integers(0, 120), amounts)
def test_expression_region_keeps_its_bounds(age, cost):
    policy = region(ROOT / "tests" / "vocabulary" / "expressions")
    (r,) = settle(policy, Person("p", facts({"险种": "职工医保", "年龄": age})), _claims([YEAR], [cost]))
    # 起付线 = 上年度职工平均工资 × 1%，最低 600 元，最高 1800 元 (2023: 90000 元 → 900 元)
    assert r.deductible == min(cost, 90_000)
    eligible = cost - r.deductible
    # 比例 = 85% + (年龄 − 70) × 0.5%，最低 85%，最高 95%; 封顶线 = 上年度居民人均可支配收入 × 5 = 20 万元
    ratio = min(Fraction(95, 100), max(Fraction(85, 100), Fraction(85, 100) + (age - 70) * Fraction(1, 200)))
    assert r.fund == min(20_000_000, round_fen(eligible * ratio))
    assert eligible * Fraction(85, 100) - 1 <= r.fund <= eligible * Fraction(95, 100) + 1


# ---- 按最高等级补差 ----------------------------------------------------------------------------------
@EXAMPLES
@given(st.lists(st.tuples(in_year, st.integers(0, 80_000), st.sampled_from(LEVELS)), min_size=1, max_size=8))
def test_highest_level_deductible_counts_once_at_the_highest_level(claims):
    policy = region(ROOT / "tests" / "vocabulary" / "highest_level")
    who = Person("p", facts({"险种": "城乡居民医保", "人员类别": "居民"}))
    cs = [Claim(d, a, facts({"就医类型": "普通门诊", "医院等级": lv}), i) for i, (d, a, lv) in enumerate(claims)]
    results = settle(policy, who, cs)
    amount = {"一级": 10_000, "二级": 30_000, "三级": 50_000}
    order = _in_order(cs)
    counted = 0
    highest = 0
    for i in order:
        highest = max(highest, amount[dict(cs[i].facts)["医院等级"]])
        counted += results[i].deductible
        assert counted <= highest  # never more than the highest level's deductible so far
    first_top = next(k for k, i in enumerate(order) if amount[dict(cs[i].facts)["医院等级"]] == highest)
    if sum(cs[i].amount for i in order[first_top:]) >= highest:
        assert counted == highest


# ---- 就医地目录 --------------------------------------------------------------------------------------
HOME = HEADER.format(rounding="四舍五入") + """方案 住院 (险种 = 职工医保, 就医类型 = 住院) {{
    周期 自然年度
    不予报销 挂号费
    乙类 先行自付 10%
    起付线 年度 500 元
    比例 80%
    封顶线 年度 {cap} 元
    层 大病保险 {{ 分段 {{ 1万元(含)以内 50%, 超过 1万元 60% }} }}
}}
"""
PLACE = """地区 就医市
依据 《就医市细则》
导入 "fields"
方案 住院 (险种 = 职工医保, 就医类型 = 住院) {
    不予报销 挂号费, 美容, 体检
    乙类 先行自付 20%
    比例 50%
}
"""


@attrs.frozen
class _Places:
    there: ir.Policy

    def get(self, name: str) -> ir.Policy | None:
        return self.there if name == "就医市" else None


item = st.tuples(st.sampled_from(("挂号费", "美容", "体检", "手术费", "药品")),
                 st.sampled_from(("甲类", "乙类", "丙类", "目录外")), st.integers(0, 500_000))


@EXAMPLES
@given(st.integers(0, 2_000_000), st.lists(st.tuples(two_years, st.lists(item, min_size=1, max_size=4)),
                                           min_size=1, max_size=6))
def test_treatment_elsewhere_never_pays_more_when_the_place_excludes_more(cap, claims):
    home, places = script(HOME.format(cap=yuan(cap))), _Places(script(PLACE))

    def claim(i: int, day: dt.date, items, away: bool) -> Claim:
        its = tuple(Item(n, c, a) for n, c, a in items)
        more = {"就医地": "就医市"} if away else {}
        return Claim(day, sum(a for _, _, a in items), facts({"就医类型": "住院", **more}), i, its)

    at_home = [claim(i, d, its, False) for i, (d, its) in enumerate(claims)]
    away = [claim(i, d, its, True) for i, (d, its) in enumerate(claims)]
    r_home, r_away = settle(home, WORKER, at_home, places), settle(home, WORKER, away, places)
    assert not any(r.refused for r in (*r_home, *r_away))
    for year in {d.year for d, _ in claims}:
        def total(results, year=year):
            return sum(r.total_fund for r in results if r.claim.date.year == year)
        assert total(r_away) <= total(r_home)
    (one_home,) = settle(home, WORKER, at_home[:1], places)
    (one_away,) = settle(home, WORKER, away[:1], places)
    assert one_away.total_fund <= one_home.total_fund and one_away.excluded >= one_home.excluded
