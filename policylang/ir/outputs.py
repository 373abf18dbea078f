"""The outputs of a settled claim: the one list of the figures a test may expect by name (besides each layer's
payment), each with its unit.

The list is in the order the settlement arrives at them — the cost, what falls outside the policy range, the
deductible, who pays, the allowance, the account — which is also the order of the batch's columns. Every
reader (the test lowering, terms, the batch kernel) takes names, units and order from here.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from policylang.ir.values import Days, Money


@attrs.frozen
class Output:
    """A figure of a settled claim: 统筹支付 in 分, 津贴天数 in days."""

    name: str
    unit: type[Money] | type[Days]

    def value(self, amount: int) -> Money | Days:
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
OUTPUT_NAMES = tuple(o.name for o in OUTPUTS)
MONEY_OUTPUTS = tuple(o.name for o in OUTPUTS if o.unit is Money)  # the batch's money columns, in order
DAYS_OUTPUT = next(o.name for o in OUTPUTS if o.unit is Days)  # the one output counted in days
BY_NAME = {o.name: o for o in OUTPUTS}

# What a contribution (缴费 2022 年) may expect, in 分.
PAYMENT_OUTPUTS = ("资助", "个人缴费", "缴费标准")


def expectable(layers: Iterable[str]) -> tuple[str, ...]:
    """The names a claim's test may expect: the fixed outputs, then each layer's payment (first-written order)."""
    return (*OUTPUT_NAMES, *(n for n in dict.fromkeys(layers) if n not in BY_NAME))


def output_value(name: str, amount: int) -> Money | Days:
    """An output's amount as a typed value (a layer's payment is money)."""
    output = BY_NAME.get(name)
    return output.value(amount) if output is not None else Money(amount)


__all__ = [
    "BY_NAME",
    "DAYS_OUTPUT",
    "MONEY_OUTPUTS",
    "OUTPUTS",
    "OUTPUT_NAMES",
    "PAYMENT_OUTPUTS",
    "Output",
    "expectable",
    "output_value",
]
