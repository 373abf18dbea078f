"""The dimension algebra of expressions: the one place units are checked.

A dimension is a product of powers of the base units money (元), days (天), months (个月), years (年) and
times (次); a ratio (%), a bare number and an age (岁) are dimensionless. Addition, subtraction, 取小/取大
and bounds need equal dimensions; × adds exponents and ÷ subtracts them. So 金额 × 月数 is money·months —
an error wherever a value is wanted — until it is divided by months again (缴费月数 ÷ 12 个月 × 5000 元),
and 住院天数 × 200 元/天 is money.
"""

from __future__ import annotations

import attrs

_BASES = ("money", "days", "months", "years", "times")
_BASE_CN = {"money": "元", "days": "天", "months": "个月", "years": "年", "times": "次"}
_NAMED = {"money": "金额", "days": "天数", "months": "月数", "years": "年数", "times": "次数"}


@attrs.frozen
class Dim:
    """Exponents of the base units; all zero is a ratio or a plain number."""

    money: int = 0
    days: int = 0
    months: int = 0
    years: int = 0
    times: int = 0

    def _exps(self) -> tuple[int, ...]:
        return tuple(getattr(self, b) for b in _BASES)

    def __mul__(self, other: Dim) -> Dim:
        return Dim(*(a + b for a, b in zip(self._exps(), other._exps(), strict=True)))

    def __truediv__(self, other: Dim) -> Dim:
        return Dim(*(a - b for a, b in zip(self._exps(), other._exps(), strict=True)))

    @property
    def dimensionless(self) -> bool:
        return not any(self._exps())

    def cn(self) -> str:
        """How an officer reads it: 金额, 比例或无单位的数, 天数, 金额/天, 金额×月数."""
        if self.dimensionless:
            return "比例或无单位的数"
        single = [b for b in _BASES if getattr(self, b) == 1]
        if sum(1 for e in self._exps() if e) == 1 and single:
            return _NAMED[single[0]]
        up = "×".join(_power(_NAMED[b], e) for b, e in zip(_BASES, self._exps(), strict=True) if e > 0) or "1"
        down = "×".join(_power(_BASE_CN[b], -e) for b, e in zip(_BASES, self._exps(), strict=True) if e < 0)
        return f"{up}/{down}" if down else up


def _power(word: str, exp: int) -> str:
    return word if exp == 1 else f"{word}^{exp}"


NUMBER = Dim()
MONEY = Dim(money=1)
DAYS = Dim(days=1)
MONTHS = Dim(months=1)
YEARS = Dim(years=1)
TIMES = Dim(times=1)
MONEY_PER_DAY = MONEY / DAYS

# A literal's unit → its dimension (万元 is money; 岁 an age, a plain number of years of life).
UNIT_DIM = {None: NUMBER, "%": NUMBER, "元": MONEY, "万元": MONEY, "万": MONEY, "天": DAYS, "个月": MONTHS,
            "月": MONTHS, "年": YEARS, "岁": NUMBER, "次": TIMES}
# A field's type → its dimension (年龄 is a plain number, as in 比例 = 80% − 年龄 × 0.1%).
FIELD_DIM = {"金额": MONEY, "天数": DAYS, "月数": MONTHS, "年数": YEARS, "次数": TIMES, "年龄": NUMBER}

__all__ = ["DAYS", "FIELD_DIM", "MONEY", "MONEY_PER_DAY", "MONTHS", "NUMBER", "TIMES", "UNIT_DIM", "YEARS", "Dim"]
