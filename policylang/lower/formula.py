"""Lowering of expressions wherever a number stands (起付线 = 上年度 职工平均工资 × 8%，最低 600 元; a table cell
(上年度 职工平均工资 × 1%); 取小/取大; the claim's own amounts), with units checked once by lower.dims.

Entry points: `expression` (an expression with the unit wanted) and `formula` (a parameter with its bounds and
rounding); terms.expression_value / terms.formula_value evaluate what they return.
"""

from __future__ import annotations

from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.ir.outputs import OUTPUTS
from policylang.ir.units import UNIT_KIND, Kind, to_fen
from policylang.ir.values import (
    ArithOp,
    FormulaKind,
    Money,
    Number,
    PickOp,
    Ratio,
    RoundingMode,
    RoundTo,
    magnitude,
)
from policylang.ir.wording import arith_text
from policylang.lower import dims
from policylang.lower.context import Context
from policylang.lower.dims import FIELD_DIM, UNIT_DIM, Dim
from policylang.lower.values import money_value, ratio_value, reference
from policylang.resolve.names import did_you_mean
from policylang.syntax import ast

_OP_WORD = {ArithOp.ADD: "相加", ArithOp.SUB: "相减", ArithOp.MUL: "相乘", ArithOp.DIV: "相除"}


def _number(ctx: Context, q: ast.Quantity, per: str | None = None) -> tuple[ir.Arith, Dim] | None:
    """A literal in an expression and its dimension: an amount in 分 (200 元, 200 元/天), a percentage, or a
    number with the unit it was written with (12 个月, 30 天, 2)."""
    dim = UNIT_DIM[q.unit] / (UNIT_DIM[per] if per else dims.NUMBER)
    written = f"{q.unit or ''}/{per}" if per else ""
    if q.unit is not None and UNIT_KIND[q.unit] is Kind.MONEY:
        fen = to_fen(q.number, q.unit)
        if fen is None:
            ctx.report(error("E012", f"金额 {q.number}{q.unit} 不是整分", q.span))
            return None
        return ir.Num(Money(fen), written), dim
    if q.unit == "%" and not per:
        return ir.Num(Ratio(Fraction(q.number) / 100)), dim
    return ir.Num(Number(Fraction(q.number)), written or (q.unit or "")), dim


# What the layers pay is not known while a value is computed: these names are refused, not read as 0.
_NOT_YET = {o.name for o in OUTPUTS} - set(ir.CLAIM_AMOUNTS)


def _name(ctx: Context, name: ast.Name) -> tuple[ir.Arith, Dim] | None:
    """A field, one of the claim's own amounts (费用, 政策范围内费用 …) or a refusal saying what may be read."""
    fdef = ctx.fields.get(name.text)
    if fdef is not None and fdef.type in FIELD_DIM:
        return ir.FieldRef(fdef.name), FIELD_DIM[fdef.type]
    if fdef is not None:
        ctx.report(error("E049", f"“{name.text}”是{fdef.type}字段：表达式中只能用金额或数值字段、参考值", name.span))
        return None
    if name.text in ir.CLAIM_AMOUNTS:
        return ir.ClaimAmount(name.text), dims.MONEY
    if name.text in _NOT_YET:
        ctx.report(error("E065", f"表达式不能读取“{name.text}”：计算这个数值时还不知道它", name.span,
                         f"可读取本次就诊的 {'、'.join(ir.CLAIM_AMOUNTS)}"))
        return None
    if name.text in ctx.references:
        ctx.report(error("E044", f"参考值“{name.text}”要写明年度", name.span,
                         f"写作 上年度 {name.text} 或 当年 {name.text}"))
        return None
    pool = [*ctx.fields, *ctx.references, *ir.CLAIM_AMOUNTS]
    ctx.report(error("E015", f"未知字段“{name.text}”：表达式中只能用金额或数值字段、参考值、本次就诊的费用", name.span,
                     did_you_mean(name.text, pool)))
    return None


def _combine(ctx: Context, op: ArithOp, ld: Dim, rd: Dim, a: ast.Arith) -> Dim | None:
    """The dimension of left op right, or None (E063) when a sum or difference mixes units."""
    if op is ArithOp.MUL:
        return ld * rd
    if op is ArithOp.DIV:
        return ld / rd
    if ld == rd:
        return ld
    ctx.report(error("E063", f"不能把{ld.cn()}与{rd.cn()}{_OP_WORD[op]}", a.span,
                     "只有同一单位的量才能相加减；金额 × 比例 得金额，金额 ÷ 金额 得比例，天数 × 元/天 得金额"))
    return None


def _pick(ctx: Context, a: ast.Arith) -> tuple[ir.Arith, Dim] | None:
    """取小(a, b, …) / 取大(a, b, …): two or more values of one unit."""
    args = a.left
    assert isinstance(args, tuple)
    if len(args) < 2:
        ctx.report(error("E066", f"{a.op} 至少要比较两个数值", a.span, f"写作 {a.op}(甲, 乙)，如 取小(缴费月数 ÷ 12 个月, 1)"))
        return None
    lowered = [arith(ctx, x) for x in args]
    if any(x is None for x in lowered):
        return None
    first = lowered[0][1]  # type: ignore[index]
    for x, (_, d) in zip(args, lowered, strict=True):  # type: ignore[misc]
        if d != first:
            ctx.report(error("E063", f"{a.op} 的各项单位不同：{first.cn()}与{d.cn()}", x.span,
                             "取小/取大 比较的各项须是同一单位的量"))
            return None
    return ir.Pick(PickOp(a.op), tuple(n for n, _ in lowered)), first  # type: ignore[misc]


def arith(ctx: Context, a: ast.Arith) -> tuple[ir.Arith, Dim] | None:
    """An expression and its dimension (dims.Dim), or None when an error was reported."""
    if a.op == "num":
        assert isinstance(a.left, ast.Quantity)
        return _number(ctx, a.left)
    if a.op == "per":
        q, per = a.left  # type: ignore[misc]
        return _number(ctx, q, per)
    if a.op in ("取小", "取大"):
        return _pick(ctx, a)
    if a.op == "ref":
        assert isinstance(a.left, ast.RefValue)
        ref = reference(ctx, a.left)
        return None if ref is None else (ref, dims.MONEY)
    if a.op == "name":
        assert isinstance(a.left, ast.Name)
        return _name(ctx, a.left)
    assert isinstance(a.left, ast.Arith) and a.right is not None
    left, right = arith(ctx, a.left), arith(ctx, a.right)
    if left is None or right is None:
        return None
    (ln, ld), (rn, rd) = left, right
    op = ArithOp({"*": "×"}.get(a.op, a.op))
    dim = _combine(ctx, op, ld, rd, a)
    if dim is None:
        return None
    if op is ArithOp.DIV and isinstance(rn, ir.Num) and magnitude(rn.value) == 0:
        ctx.report(error("E045", "除数为 0", a.span))
        return None
    if op in (ArithOp.ADD, ArithOp.SUB) and dim.dimensionless and (
            (_percent(ln) and _plain(ctx, rn)) or (_percent(rn) and _plain(ctx, ln))):
        ctx.report(warning("W111", f"比例与不带 % 的数{_OP_WORD[op]}：{arith_text(ir.Bin(op, ln, rn))}", a.span,
                           "比例是不带单位的数，1 即 100%：85% + 2 得 285%；按年龄增减比例写作 85% + (年龄 - 70) × 0.5%"))
    return ir.Bin(op, ln, rn), dim


def _parts(node: ir.Arith) -> list[ir.Arith]:
    if isinstance(node, ir.Bin):
        return [node, *_parts(node.left), *_parts(node.right)]
    if isinstance(node, ir.Pick):
        return [node, *(p for arg in node.args for p in _parts(arg))]
    return [node]


def _percent(node: ir.Arith) -> bool:
    """Whether an expression is a percentage: it holds a constant written with %."""
    return any(isinstance(n, ir.Num) and isinstance(n.value, Ratio) for n in _parts(node))


def _plain(ctx: Context, node: ir.Arith) -> bool:
    """A plain number that is surely not a share: an age (年龄, 70 岁) or a bare constant above 1, with no %."""
    def suspect(n: ir.Arith) -> bool:
        if isinstance(n, ir.FieldRef):
            fdef = ctx.fields.get(n.name)
            return fdef is not None and fdef.type == "年龄"
        return isinstance(n, ir.Num) and isinstance(n.value, Number) and (n.written == "岁" or (
            not n.written and n.value.value > 1))
    return not _percent(node) and any(suspect(n) for n in _parts(node))


def expression(ctx: Context, a: ast.Arith, want: tuple[Dim, ...], what: str) -> tuple[ir.Arith, Dim] | None:
    """An expression whose unit must be one of want (the first is the usual one): the one entry point for every
    place a number stands. E063 when its unit is another."""
    lowered = arith(ctx, a)
    if lowered is None:
        return None
    if lowered[1] not in want:
        ctx.report(error("E063", f"{what} 应为{want[0].cn()}，这个表达式得到的是{lowered[1].cn()}", a.span,
                         _UNIT_HINT))
        return None
    return lowered


_UNIT_HINT = "检查各项的单位：金额 × 月数 须再 ÷ 月数；金额 ÷ 金额 得比例；天数 × 元/天 得金额"
_WANT = {Kind.MONEY: (dims.MONEY,), Kind.RATIO: (dims.NUMBER,), Kind.DURATION: (dims.DAYS,)}
_KIND = {Kind.MONEY: FormulaKind.MONEY, Kind.RATIO: FormulaKind.RATIO, Kind.DURATION: FormulaKind.DAYS}


def _bound(ctx: Context, b: ast.Quantity | ast.Arith, kind: FormulaKind, dim: Dim, per_day: bool,
           what: str) -> tuple[object, bool] | None:
    """A bound: a constant of the formula's unit (kept as Money / Ratio), or an expression of its unit."""
    if isinstance(b, ast.Quantity) and kind is not FormulaKind.DAYS:
        v = (ratio_value if kind is FormulaKind.RATIO else money_value)(ctx, b, what)
        return None if v is None else (v, True)
    want = (dim, dims.MONEY) if per_day else (dim,)
    if isinstance(b, ast.Arith):
        lowered = expression(ctx, b, want, what)
        return None if lowered is None else (lowered[0], False)
    constant = _number(ctx, b)
    if constant is not None and constant[1] not in want:
        ctx.report(error("E063", f"{what} 应为{dim.cn()}，这里写的是{constant[1].cn()}", b.span, _UNIT_HINT))
        return None
    return None if constant is None else (constant[0], True)


def _size(constant: object) -> Fraction:
    """A constant bound's magnitude (Money in 分, a Ratio, or a number written with its unit)."""
    return Fraction(magnitude(constant.value if isinstance(constant, ir.Num) else constant))  # type: ignore[arg-type]


def formula(ctx: Context, f: ast.Formula, want: Kind, what: str, per_day: bool = False) -> ir.Formula | None:
    """A parameter given as a formula, with its bounds and rounding; its unit must be the one wanted.

    per_day: a daily rate (日津贴), which may be written as money or as money per day (月工资 ÷ 30 天)."""
    wanted = (*_WANT[want], dims.MONEY_PER_DAY) if per_day else _WANT[want]
    lowered = expression(ctx, f.expr, wanted, what)
    if lowered is None:
        return None
    node, dim = lowered
    kind = _KIND[want]
    lower = _bound(ctx, f.lower, kind, dim, per_day, f"{what}的最低值") if f.lower else None
    upper = _bound(ctx, f.upper, kind, dim, per_day, f"{what}的最高值") if f.upper else None
    if (f.lower and lower is None) or (f.upper and upper is None):
        return None
    if lower and upper and lower[1] and upper[1] and _size(lower[0]) > _size(upper[0]):
        ctx.report(error("E029", f"{what} 的最低值高于最高值", f.span))
        return None
    if f.round_to is not None and kind is not FormulaKind.MONEY:
        ctx.report(error("E048", f"{'比例' if kind is FormulaKind.RATIO else '天数'}不取整；取整到分/元 只用于金额", f.span))
        return None
    low, high = (b[0] if b else None for b in (lower, upper))
    return ir.Formula(node, kind, low, high,  # type: ignore[arg-type]
                      None if f.round_to is None else RoundTo(f.round_to),
                      None if f.round_mode is None else RoundingMode(f.round_mode), arith_text(node),
                      *(arith_text(b) if isinstance(b, ir.ARITH_NODES) else "" for b in (low, high)))
