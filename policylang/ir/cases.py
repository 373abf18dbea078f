"""Test blocks as compiled data: a person, claims, contributions and questions, with what the officer expects."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

import attrs

from policylang.ir.claims import Claim, Facts, Person
from policylang.ir.units import Kind
from policylang.source import Span

# Outputs a claim expectation may name, besides the name of a layer. 津贴天数 is in days, 住院次数 a count,
# the rest in 分. Every figure the settlement computes has a name (docs/reference.rst, 期望项一览).
SUMMARY_OUTPUTS = ("统筹支付", "个人自付", "起付线", "费用", "全自费", "先行自付", "政策范围内费用", "基金支付", "津贴",
                   "津贴天数", "个人账户支付", "现金支付")  # every backend computes these
DETAIL_OUTPUTS = ("日津贴", "个人账户余额", "住院次数")  # the scalar evaluator's figures on the way
OUTPUTS = (*SUMMARY_OUTPUTS, *DETAIL_OUTPUTS)
PAYMENT_OUTPUTS = ("资助", "个人缴费", "缴费标准")
UNITS = {"津贴天数": Kind.DURATION, "住院次数": Kind.COUNT}  # the outputs that are not money
# Per layer L: L进入 (the amount entering it), L起付线 (the deductible it counted), L起付线以上 (its base after the
# deductible), L封顶前 (its payment before the caps), L第一段 … (each bracket's payment); L itself is its payment.
LAYER_FIGURES = ("进入", "起付线", "起付线以上", "封顶前")
BAND_NUMERALS = "一二三四五六七八九"  # a name has no digits: 大病保险第二段


def band_figure(k: int) -> str:
    """The suffix naming the k-th bracket (from 1): 第一段 … 第九段."""
    return f"第{BAND_NUMERALS[k - 1]}段" if 1 <= k <= len(BAND_NUMERALS) else f"第{k}段"


def layer_outputs(layer: str) -> tuple[str, ...]:
    """The figures a test may name for a layer: its payment, then what it computed on the way."""
    return (layer, *(layer + f for f in LAYER_FIGURES), *(layer + band_figure(k) for k in range(1, len(BAND_NUMERALS) + 1)))


def claim_outputs(layers: Iterable[str]) -> tuple[str, ...]:
    """Every name a claim expectation may use, given the region's layer names."""
    return tuple(dict.fromkeys((*OUTPUTS, *(n for layer in layers for n in layer_outputs(layer)))))


def output_hint(name: str, pool: Iterable[str]) -> str:
    """E017's hint: the valid names closest to what was typed (several, nearest first), else where to look."""
    pool = list(pool)
    close = difflib.get_close_matches(name, pool, n=4, cutoff=0.4)
    close += [p for p in pool if p not in close and (p in name or name in p)][: max(0, 4 - len(close))]
    if close:
        return f"最接近的期望项：{'、'.join(close)} (closest valid names)"
    return f"期望项可为 {'、'.join(OUTPUTS[:8])} 等，或层的名称；全表见参考手册“期望项一览” (see the reference)"


@attrs.frozen
class Expectation:
    output: str
    amount: int  # 分 (days for 津贴天数)
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestClaim:
    claim: Claim
    expects: tuple[Expectation, ...]
    refused: Span | None = attrs.field(default=None, eq=False)  # 期望 不予支付


@attrs.frozen
class TestPayment:
    """缴费 2022 年 期望 资助 280 元, 个人缴费 40 元."""

    year: int
    expects: tuple[Expectation, ...]
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestAsk:
    """询问 2024-03-01 家庭共济 亲属关系=兄弟姐妹 期望 是."""

    date: dt.date
    question: str
    facts: Facts
    answer: bool
    origin: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TestCase:
    name: str
    person: Person
    claims: tuple[TestClaim, ...]
    payments: tuple[TestPayment, ...] = ()
    asks: tuple[TestAsk, ...] = ()
    origin: Span | None = attrs.field(default=None, eq=False)
