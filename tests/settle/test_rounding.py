"""round_fen: exact amounts of 分 rounded once, by a named rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylang.ir.rounding import DEFAULT, MODES, round_fen


@pytest.mark.parametrize(("x", "half_up", "down", "up"), [
    (Fraction(49, 10), 5, 4, 5),
    (Fraction(5, 2), 3, 2, 3),
    (Fraction(1, 2), 1, 0, 1),
    (Fraction(1, 3), 0, 0, 1),
    (Fraction(2, 3), 1, 0, 1),
    (Fraction(0), 0, 0, 0),
    (Fraction(10), 10, 10, 10),
    (Fraction(-5, 2), -3, -2, -3),
])
def test_modes(x: Fraction, half_up: int, down: int, up: int) -> None:
    assert [round_fen(x, m) for m in ("四舍五入", "截尾", "进位")] == [half_up, down, up]


def test_integers_pass_through() -> None:
    assert all(round_fen(7, m) == 7 for m in MODES)


def test_default_is_half_up() -> None:
    assert DEFAULT == "四舍五入" and round_fen(Fraction(5, 2)) == 3


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        round_fen(Fraction(1, 2), "银行家")


@given(st.fractions(min_value=0, max_value=10**9), st.sampled_from(MODES))
def test_within_one_fen_and_ordered(x: Fraction, mode: str) -> None:
    r = round_fen(x, mode)
    assert abs(r - x) < 1
    assert round_fen(x, "截尾") <= round_fen(x, "四舍五入") <= round_fen(x, "进位")
    if x.denominator == 1:
        assert r == x


@given(st.fractions(min_value=0, max_value=10**6), st.fractions(min_value=0, max_value=10**6),
       st.sampled_from(MODES))
def test_monotone(a: Fraction, b: Fraction, mode: str) -> None:
    lo, hi = sorted((a, b))
    assert round_fen(lo, mode) <= round_fen(hi, mode)
