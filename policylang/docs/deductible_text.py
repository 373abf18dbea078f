"""The public page's plain Chinese for a deductible's bounds and 逐次 reduction, and for what a fee limit counts
from: what a citizen needs to work out the number, with no formula and no internal name."""

from __future__ import annotations

from fractions import Fraction

from policylang import ir
from policylang.ir.values import Money
from policylang.ir.wording import date_cn, money_cn, ratio_cn, value_cn

EXAMPLE_STEPS = 3  # admissions shown in the 逐次 example (while the amounts are whole 分)


def _amounts(table: ir.Table) -> str:
    """最低 200元 / 一级 100元、三级 300元."""
    return "、".join(f"{c.label()} {value_cn(c.value)}".strip() for c in table.cells)


def _dated(start, end) -> str:
    return (f"自{date_cn(start)}起，" if start else "") + (f"（至{date_cn(end)}）" if end else "")


def table_bound_sentences(d: ir.Deductible) -> list[str]:
    """最低 / 最高 of the table's amount, by the table's dates."""
    out = []
    for word, param in (("不低于", d.base_lower), ("不高于", d.base_upper)):
        for v in param.versions if param is not None else ():
            out.append(f"{_dated(v.start, v.end)}起付线{word}{_amounts(v.table)}。")
    return out


def _steps(amount: Fraction, factor: Fraction) -> list[str]:
    """第 2 次 750元，第 3 次 562.50元 … while every amount is a whole 分."""
    steps = []
    for n in range(2, 2 + EXAMPLE_STEPS):
        amount *= factor
        if amount.denominator != 1:
            break
        steps.append(f"第 {n} 次 {money_cn(int(amount))}")
    return steps


def _example(d: ir.Deductible, factor: Fraction) -> str:
    """例如三级医院起付线 1000元的，第 2 次 750元，第 3 次 562.50元: the fixed amount with the longest exact chain."""
    versions = d.param.versions
    cells = [c for c in versions[-1].table.cells if isinstance(c.value, Money)] if versions else []
    best = max(cells, key=lambda c: len(_steps(Fraction(c.value.fen), factor)), default=None)  # type: ignore[union-attr]
    steps = _steps(Fraction(best.value.fen), factor) if best is not None else []  # type: ignore[union-attr]
    if best is None or len(steps) < 2:
        return ""
    who = f"{best.label()}医院" if best.keys and all(f == "医院等级" for f, _ in best.keys) else best.label()
    return f"例如{who}起付线 {money_cn(best.value)}的，{'，'.join(steps)}，依此类推。"  # type: ignore[arg-type]


def reduction_sentences(d: ir.Deductible) -> list[str]:
    """逐次, and the bounds of the reduced deductible."""
    out = []
    if d.compound is not None:
        share = ratio_cn(d.compound.factor)
        out.append(f"{_dated(d.compound.start, d.compound.end)}同一年度内多次住院的，从第 2 次住院起，每次住院的起付线是上一次住院起付线的 {share}（逐次减少，"
                   f"不是每次都按第一次的 {share}）：从本次住院医院的起付线标准算起，按住院次数逐次乘以 {share}，每乘一次计算到分。"
                   f"同一住院号的几次结算算一次住院。{_example(d, d.compound.factor.value)}")
    reduced = "逐次减少后" if d.compound is not None else "按住院次数减少后"
    if d.lower is not None:
        rest = "其余不设最低；" if all(c.keys for c in d.lower.cells) else ""
        out.append(f"{reduced}的起付线最低 {_amounts(d.lower)}（{rest}原来的起付线低于这个数的，仍按原来的起付线）。")
    if d.upper is not None:
        rest = "（其余不设最高）" if all(c.keys for c in d.upper.cells) else ""
        out.append(f"{reduced}的起付线最高 {_amounts(d.upper)}{rest}。")
    return out


def fee_limit_sentence(f: ir.FeeLimit, per: str) -> str | None:
    """费用限额 按起付线以上部分, in words (per: 每年 / 每次 …); None for the default, which the page already says."""
    if f.base == "累计费用":
        return None
    values = {cell.value for v in f.param.versions for cell in v.table.cells}
    single = next(iter(values)) if len(values) == 1 else None
    limit = f"前 {money_cn(single)}" if isinstance(single, Money) else "限额以内的部分"
    return (f"费用限额只计起付线以上的部分：先扣除起付线，{per}起付线以上的费用只有{limit}进入本层报销，超出的部分"
            "转入下一层；起付线以下的费用不占用限额（费用限额不同于封顶线：封顶线限制的是支付金额）。")


__all__ = ["fee_limit_sentence", "reduction_sentences", "table_bound_sentences"]
