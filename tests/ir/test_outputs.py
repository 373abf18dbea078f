"""ir.outputs: the one list of a claim's outputs, with its units and order, read by every backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policylang.api import compile_path
from policylang.batch import kernel
from policylang.eval.settle import settle
from policylang.ir import outputs, terms
from policylang.ir.claims import Claim, Person
from policylang.ir.values import Days, Money

ROOT = Path(__file__).resolve().parents[2]


def test_every_reader_takes_the_names_from_the_one_list() -> None:
    assert kernel.MONEY == terms.MONEY_OUTPUTS == outputs.MONEY_OUTPUTS
    assert terms.DAYS_OUTPUT == "津贴天数" and terms.DAYS_OUTPUT not in kernel.MONEY
    # the batch's money columns: the cost first, then how it divides, then who pays
    assert kernel.MONEY[:5] == ("费用", "全自费", "先行自付", "政策范围内费用", "起付线")
    assert kernel.MONEY[-2:] == ("个人账户支付", "现金支付")


def test_each_output_is_a_figure_the_settlement_gives() -> None:
    policy = compile_path(ROOT / "regions" / "suizhou")
    person = Person("p", (("人员类别", "在职"), ("医院等级", "一级"), ("险种", "职工医保"), ("就医类型", "普通门诊")))
    (result,) = settle(policy, person, [Claim(dt.date(2024, 3, 1), 200000)])
    assert [o.name for o in outputs.OUTPUTS if result.output(o.name) is None] == []


def test_an_output_value_carries_its_unit() -> None:
    assert terms.output_value("津贴天数", 98) == Days(98)
    assert terms.output_value("统筹支付", 130000) == Money(130000)
    assert terms.output_value("大病保险", 500) == Money(500)  # a layer's payment


def test_a_test_may_name_the_outputs_and_each_layer_once() -> None:
    policy = compile_path(ROOT / "regions" / "suizhou")
    names = terms.output_names(policy)
    assert names[:len(outputs.OUTPUTS)] == outputs.OUTPUT_NAMES
    assert len(names) == len(set(names))
    layers = [n for n in terms.layer_names(policy) if n not in outputs.BY_NAME]
    figures = {n for layer in layers for n in outputs.layer_outputs(layer)}
    assert set(names[len(outputs.OUTPUTS):]) == set(outputs.DETAIL_NAMES) | figures
    assert {"大病保险", "大病保险进入", "大病保险第二段", "个人账户余额"} <= set(names)
