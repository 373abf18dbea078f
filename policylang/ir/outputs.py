"""The outputs of a settled claim: the one list of the figures a test may expect by name (besides each layer's
payment), each with its unit.

The list is in the order the settlement arrives at them — the cost, what falls outside the policy range, the
deductible, who pays, the allowance, the account — which is also the order of the batch's columns. Every
reader (the test lowering, terms, the batch kernel) takes names, units and order from here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

from policylang.ir.values import Count, Days, Money


@attrs.frozen
class Output:
    """A figure of a settled claim: 统筹支付 in 分, 津贴天数 in days."""

    name: str
    unit: type[Money] | type[Days] | type[Count]

    def value(self, amount: int) -> Money | Days | Count:
        """An amount of this output as its typed value, so it prints with its unit."""
        return self.unit(amount)


OUTPUTS: tuple[Output, ...] = (
    Output("费用", Money),
    Output("全自费", Money),
    Output("先行自付", Money),
    Output("政策范围内费用", Money),
    Output("起付线", Money),
    Output("统筹支付", Money),
    Output("个人自付", Money),
    Output("基金支付", Money),
    Output("津贴", Money),
    Output("津贴天数", Days),
    Output("个人账户支付", Money),
    Output("现金支付", Money),
)
# Figures the scalar evaluator computes on the way (a test may expect them; the batch has no column for them).
DETAIL_OUTPUTS: tuple[Output, ...] = (
    Output("日津贴", Money),
    Output("个人账户余额", Money),
    Output("住院次数", Count),
)
DETAIL_OUTPUTS += (Output("其他基金已支付", Money),)  # 扣除已付: what other funds paid on the claim (eval/paid.py)
OUTPUT_NAMES = tuple(o.name for o in OUTPUTS)  # every backend computes these
DETAIL_NAMES = tuple(o.name for o in DETAIL_OUTPUTS)
MONEY_OUTPUTS = tuple(o.name for o in OUTPUTS if o.unit is Money)  # the batch's money columns, in order
DAYS_OUTPUT = next(o.name for o in OUTPUTS if o.unit is Days)  # the one output counted in days
BY_NAME = {o.name: o for o in (*OUTPUTS, *DETAIL_OUTPUTS)}

# Per layer L: L进入 (the amount entering it), L起付线 (the deductible it counted), L起付线以上 (its base after the
# deductible), L封顶前 (its payment before the caps), L第一段 … (each bracket's payment); L itself is its payment.
LAYER_FIGURES = ("进入", "起付线", "起付线以上", "封顶前", "扣除")  # L扣除: 支付后扣除 and 封顶后扣除 together
BAND_NUMERALS = "一二三四五六七八九"  # a name has no digits: 大病保险第二段

# What a contribution (缴费 2022 年) may expect, in 分.
PAYMENT_OUTPUTS = ("资助", "个人缴费", "缴费标准")


def band_figure(k: int) -> str:
    """The suffix naming the k-th bracket (from 1): 第一段 … 第九段."""
    return f"第{BAND_NUMERALS[k - 1]}段" if 1 <= k <= len(BAND_NUMERALS) else f"第{k}段"


def layer_outputs(layer: str) -> tuple[str, ...]:
    """The figures a test may name for a layer: its payment, then what it computed on the way."""
    return (layer, *(layer + f for f in LAYER_FIGURES), *(layer + band_figure(k) for k in range(1, len(BAND_NUMERALS) + 1)))


def expectable(layers: Iterable[str]) -> tuple[str, ...]:
    """Every name a claim's test may expect: the fixed outputs and figures, then each layer's payment and
    figures (layers in first-written order)."""
    own = [n for n in dict.fromkeys(layers) if n not in BY_NAME]
    return tuple(dict.fromkeys((*OUTPUT_NAMES, *DETAIL_NAMES, *(n for layer in own for n in layer_outputs(layer)))))


def output_value(name: str, amount: int) -> Money | Days | Count:
    """An output's amount as a typed value (a layer's payment and figures are money), printed with its unit."""
    output = BY_NAME.get(name)
    return output.value(amount) if output is not None else Money(amount)


def output_hint(name: str, pool: Iterable[str]) -> str:
    """E017's hint: the valid names closest to what was typed (several, nearest first), else where to look."""
    pool = list(pool)
    close = difflib.get_close_matches(name, pool, n=4, cutoff=0.4)
    close += [p for p in pool if p not in close and (p in name or name in p)][: max(0, 4 - len(close))]
    if close:
        return f"最接近的期望项：{'、'.join(close)} (closest valid names)"
    return f"期望项可为 {'、'.join(OUTPUT_NAMES[:8])} 等，或层的名称；全表见参考手册“期望项一览” (see the reference)"


__all__ = [
    "BAND_NUMERALS",
    "BY_NAME",
    "DAYS_OUTPUT",
    "DETAIL_NAMES",
    "DETAIL_OUTPUTS",
    "LAYER_FIGURES",
    "MONEY_OUTPUTS",
    "OUTPUTS",
    "OUTPUT_NAMES",
    "PAYMENT_OUTPUTS",
    "Output",
    "band_figure",
    "expectable",
    "layer_outputs",
    "output_hint",
    "output_value",
]
