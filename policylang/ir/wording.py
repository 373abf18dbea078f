"""The one wording of IR values: dates, money, ratios, days, formulas, conditions, periods.

Two registers, one module: value_text is the officer's form used in diffs, coverage and traces (70%,
1,300.00 元, 98 天, each value printed by its own type); the *_cn functions are the citizen's form used by the
history listing and the public pages (15万元, 5 个百分点). Both say a value the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.ir.units import fmt_ratio, fmt_yuan
from policylang.ir.values import Age, ArithOp, Count, Days, FormulaKind, Money, Months, Ratio


def date_cn(day: dt.date) -> str:
    """2024-01-01 → 2024年1月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def money_cn(money: Money | int) -> str:
    """Money as a citizen reads it: 150000000 分 → 15万元, 50000 → 500元, 50007 → 500.07元."""
    fen = money.fen if isinstance(money, Money) else money
    if not isinstance(fen, int):
        return f"{fmt_yuan(round(fen))}元"
    if fen % 100:
        return f"{fmt_yuan(fen)}元"
    yuan = fen // 100
    if yuan >= 10000 and yuan % 100 == 0:
        wan = (Decimal(yuan) / 10000).normalize()
        return f"{wan:f}万元"
    return f"{yuan:,}元"


def ratio_cn(r: Ratio | Fraction) -> str:
    return str(r) if isinstance(r, Ratio) else fmt_ratio(r)


def bands_cn(bands: ir.BandSet) -> str:
    """5万元(含)以内 60%；超过5万元 70%."""
    parts = []
    for b in bands.bands:
        if b.upper is None:
            parts.append(f"超过{money_cn(b.lower)}的部分 {ratio_cn(b.ratio)}")
        elif b.lower.fen == 0:
            parts.append(f"{money_cn(b.upper)}{'（含）' if b.upper_inclusive else '（不含）'}以内 {ratio_cn(b.ratio)}")
        else:
            parts.append(f"{money_cn(b.lower)}至{money_cn(b.upper)} {ratio_cn(b.ratio)}")
    return "；".join(parts)


def _num(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return str((Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.0001")).normalize())


def _num_text(node: ir.Num) -> str:
    if isinstance(node.value, Money):
        return f"{_num(Fraction(node.value.fen) / 100)} {node.written or '元'}"
    if isinstance(node.value, Ratio):
        return f"{_num(node.value.value * 100)}%"
    return f"{_num(node.value.value)} {node.written}" if node.written else _num(node.value.value)


def arith_text(node: ir.Arith) -> str:
    """An expression as an officer would read it: 上年度职工平均工资 × 8%, 取小(缴费月数 ÷ 12 个月, 1)."""
    if isinstance(node, ir.Num):
        return _num_text(node)
    if isinstance(node, ir.FieldRef | ir.ClaimAmount):
        return node.name
    if isinstance(node, ir.RefValue):
        return node.describe()
    if isinstance(node, ir.Pick):
        return f"{node.op}({', '.join(arith_text(a) for a in node.args)})"
    left, right = arith_text(node.left), arith_text(node.right)
    if isinstance(node.right, ir.Bin) and node.op in (ArithOp.MUL, ArithOp.DIV, ArithOp.SUB):
        right = f"({right})"
    if isinstance(node.left, ir.Bin) and node.op in (ArithOp.MUL, ArithOp.DIV) and node.left.op in (ArithOp.ADD,
                                                                                                     ArithOp.SUB):
        left = f"({left})"
    return f"{left} {node.op} {right}"


def _num_cn(node: ir.Num) -> str:
    """A constant in a citizen's words: 600元, 1%, 12个月, 每天200元."""
    if isinstance(node.value, Money):
        per = node.written.partition("/")[2]
        return f"每{per}{money_cn(node.value)}" if per else money_cn(node.value)
    if isinstance(node.value, Ratio):
        return ratio_cn(node.value)
    unit, _, per = node.written.partition("/")
    return f"每{per}{_num(node.value.value)}{unit}" if per else f"{_num(node.value.value)}{unit}"


def _operand_cn(node: ir.Arith, within: ArithOp) -> str:
    """A part of a calculation, in （） when it is a sum inside a product or a difference on the right."""
    text = arith_cn(node)
    if isinstance(node, ir.Bin) and node.op in (ArithOp.ADD, ArithOp.SUB) and within in (ArithOp.MUL, ArithOp.DIV):
        return f"（{text}）"
    if isinstance(node, ir.Pick) and within in (ArithOp.MUL, ArithOp.DIV):
        return f"（{text}）"
    return text


_OP_CN = {ArithOp.ADD: "加", ArithOp.SUB: "减", ArithOp.MUL: "乘以", ArithOp.DIV: "除以"}


def arith_cn(node: ir.Arith) -> str:
    """A calculation as a citizen reads it: 上年度职工平均工资的1%；缴费月数除以12个月与1中较小者."""
    if isinstance(node, ir.Num):
        return _num_cn(node)
    if isinstance(node, ir.FieldRef):
        return node.name
    if isinstance(node, ir.ClaimAmount):
        return f"本次就诊的{node.name}"
    if isinstance(node, ir.RefValue):
        return node.describe()
    if isinstance(node, ir.Pick):
        which = "较小" if node.op == "取小" else "较大"
        if len(node.args) > 2:
            which = "最小" if node.op == "取小" else "最大"
        return f"{'与'.join(arith_cn(a) for a in node.args)}中{which}者" if len(node.args) == 2 else \
            f"{'、'.join(arith_cn(a) for a in node.args)}中{which}者"
    left, right = _operand_cn(node.left, node.op), _operand_cn(node.right, node.op)
    plain_left = not (isinstance(node.left, ir.Bin) and node.left.op in (ArithOp.ADD, ArithOp.SUB))
    if node.op is ArithOp.MUL and isinstance(node.right, ir.Num) and plain_left and not node.right.written:
        if isinstance(node.right.value, Ratio):
            return f"{left}的{right}"
        if not isinstance(node.right.value, Money):
            return f"{left}的{right}倍"
    if isinstance(node.right, ir.Bin | ir.Pick) and node.op in (ArithOp.SUB, ArithOp.DIV) and \
            not right.startswith("（"):
        right = f"（{right}）"
    return f"{left}{_OP_CN[node.op]}{right}"


def bound_cn(value: Money | Ratio | Days | ir.Arith, kind: FormulaKind | None = None) -> str:
    """A formula's bound, in its own unit (a bound computed per claim in words)."""
    if isinstance(value, ir.ARITH_NODES):
        return arith_cn(value)  # type: ignore[arg-type]
    if isinstance(value, Days):
        return f"{value.n}天"
    return money_cn(value) if isinstance(value, Money) else ratio_cn(value)  # type: ignore[arg-type]


def formula_cn(f: ir.Formula) -> str:
    """上年度职工平均工资的1%，最低600元，最高1,800元 (the calculation in words, then its bounds and rounding)."""
    extras = []
    if f.lower is not None:
        extras.append(f"最低{bound_cn(f.lower, f.kind)}")
    if f.upper is not None:
        extras.append(f"最高{bound_cn(f.upper, f.kind)}")
    if f.round_to is not None:
        extras.append(f"取整到{f.round_to}" + (f"（{f.round_mode}）" if f.round_mode else ""))
    return "，".join([arith_cn(f.expr), *extras])


def value_cn(value: object) -> str:
    """A table value: a Fraction is a ratio, an int is money in 分; references, bands, formulas in words."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Ratio):
        return ratio_cn(value)
    if isinstance(value, Money):
        return money_cn(value)
    if isinstance(value, Days | Months | Count | Age):
        return str(value).replace(" ", "")
    if isinstance(value, ir.RefValue):
        return value.describe()
    if isinstance(value, ir.BandSet):
        return bands_cn(value)
    if isinstance(value, ir.Formula):
        return formula_cn(value)
    return str(value)


def points_cn(delta: Ratio) -> str:
    """A ratio adjustment in percentage points: 1/20 → 5 个百分点."""
    pct = abs(delta.value) * 100
    shown = str(pct.numerator) if pct.denominator == 1 else str(abs(delta)).rstrip("%")
    return f"{shown} 个百分点"


def ordered_values(field: str, values: frozenset[str] | set[str], policy: ir.Policy | None = None) -> list[str]:
    """A condition's values in their enumeration's order (一级, 二级, 三级), else sorted."""
    enum = policy.enum(field) if policy is not None else None
    order = list(enum.values) if enum else []
    return sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))


def conditions_cn(conds: tuple[ir.Condition | ir.FieldTest, ...], policy: ir.Policy | None = None) -> str:
    """险种为职工医保、就医类型为普通门诊, 年龄 60 岁及以上 (values in enumeration order when the policy is given)."""
    return "、".join(c.describe() if isinstance(c, ir.FieldTest)
                    else f"{c.field}为{'或'.join(ordered_values(c.field, c.values, policy))}" for c in conds)


def who_cn(conds: tuple[ir.Condition | ir.FieldTest, ...], policy: ir.Policy | None = None) -> str:
    """Just the values: 低保对象、特困人员 (for conditions on categories whose values speak for themselves); a
    typed condition in words (年龄 60 岁及以上)."""
    return "、".join(condition_words(conds, policy))


def condition_words(conds: tuple[ir.Condition | ir.FieldTest, ...], policy: ir.Policy | None = None) -> list[str]:
    """Each condition's values (in enumeration order), or a typed condition's words: the labels of a rule."""
    return [w for c in conds
            for w in ([c.describe()] if isinstance(c, ir.FieldTest) else ordered_values(c.field, c.values, policy))]


def validity_cn(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{date_cn(start)}至{date_cn(end)}"
    if start:
        return f"{date_cn(start)}起"
    if end:
        return f"至{date_cn(end)}"
    return "长期有效"


SCOPE_CN = {ir.Scope.VISIT: "每次", ir.Scope.DAY: "每日", ir.Scope.ADMISSION: "每次住院", ir.Scope.PERIOD: "年度",
            ir.Scope.STAY: "每N天"}


def scope_cn(scope: ir.Scope, stay_days: Days | None = None) -> str:
    """年度 / 每次住院 / 每90天 (a long stay counted per period of N days)."""
    if scope is ir.Scope.STAY:
        n = stay_days.n if stay_days is not None else 0
        return f"每{n}天" if n else "每个计算期"
    return SCOPE_CN.get(scope, scope.value)


def count_rules_cn(rules: tuple[ir.CountRule, ...], show=ratio_cn) -> str:
    """第 2 次 50%，第 3 次起 0%."""
    return "，".join(f"第 {r.n} 次{'起' if r.onward else ''} {show(r.value)}" for r in sorted(rules, key=lambda r: r.n))


def period_cn(period: ir.Period) -> str:
    if period.start_month == 1:
        text = f"按{period.kind}（1月1日至12月31日）累计计算"
    else:
        end = period.start_month - 1 or 12
        text = f"按{period.kind}（{period.start_month}月1日至次年{end}月底）累计计算"
    by = getattr(period, "by", None)
    if by:
        text += f"；跨年度的住院按{by}所在年度计算"
    return text


def value_text(value: object) -> str:
    """A table value as an officer reads it in reports, diffs and coverage lists: each typed value prints with
    its own unit (70%, 1,300.00 元, 98 天), a reference value as 上年度…, bands, a formula as = …."""
    if isinstance(value, ir.RefValue):
        return value.describe()
    if isinstance(value, ir.Formula):
        return "，".join([f"= {value.text}", *_formula_extras(value)])
    if isinstance(value, ir.BandSet):
        return "；".join(f"{fmt_yuan(b.lower.fen)}–{'∞' if b.upper is None else fmt_yuan(b.upper.fen)} 元 {b.ratio}"
                        for b in value.bands)
    return str(value)


def _formula_extras(f: ir.Formula) -> list[str]:
    """A formula's bounds and rounding as written (最低 600.00 元, 最高 上年度职工平均工资 × 2%, 取整到元 截尾)."""
    def shown(bound: object) -> str:
        return arith_text(bound) if isinstance(bound, ir.ARITH_NODES) else str(bound)  # type: ignore[arg-type]
    out = [f"最低 {shown(f.lower)}"] if f.lower is not None else []
    out += [f"最高 {shown(f.upper)}"] if f.upper is not None else []
    if f.round_to is not None:
        out.append(f"取整到{f.round_to}" + (f" {f.round_mode}" if f.round_mode else ""))
    return out


def field_thing(by: str) -> str:
    """What a per-field total is counted per, as a citizen says it: 孕期号 → 孕期, 住院号 → 住院 (the 号 is the
    label written on the claim, not the thing); other names, and two-character ones like 编号, stay as written.
    The calculator's accumulators.js fieldThing says the same."""
    return by[:-1] if by.endswith("号") and len(by) >= 3 else by
