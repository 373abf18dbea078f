"""One rule per cell: amounts, numbers, dates, enumeration values and person IDs, in every reader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylang.inputs import cells
from policylang.inputs.cells import (
    MAX_AMOUNT_FEN,
    enum_value,
    parse_amount,
    parse_date,
    parse_number,
    person_id,
)
from policylang.inputs.columnar import blank_cells, person_keys, plain_amounts

AMOUNTS = {
    "2000": 200000, "2,000.00": 200000, "1,234,567.8": 123456780, "０．５": 50, "２，０００": 200000,
    "１２３４．５６": 123456, " 12.30\t": 1230, "\u300012\u3000": 1200, "12.3000": 1230, "0": 0, "007": 700,
    "1000000000": MAX_AMOUNT_FEN, "1,000,000,000.00": MAX_AMOUNT_FEN,
}
NOT_AMOUNTS = [
    "2_000", "٢٠٠٠", "۲۰۰۰", "२०००", "-5", "+5", "1e3", "1E3", ".5", "5.", "12.345", "0.001", "1,23", "12,34.5",
    "2 000", "", "  ", "abc", "nan", "NaN", "inf", "Infinity", "¥12", "12元", "1000000000.01", "9999999999999999",
    "①", "²", "𝟐", "0x10", "1/2", "12.5.1", ",100",
]


@pytest.mark.parametrize(("text", "fen"), AMOUNTS.items())
def test_amounts_written_as_documented(text: str, fen: int) -> None:
    assert parse_amount(text) == fen


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_anything_else_is_not_an_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_numbers_are_exact_and_bounded() -> None:
    assert parse_amount(Decimal("5.10")) == 510 and parse_amount(7) == 700 and parse_amount(0.1) == 10
    assert parse_amount(Decimal("1E+3")) == 100000  # a JSON number, not text
    for bad in (True, None, -1, Decimal("-0.01"), float("nan"), float("inf"), Decimal("1E+10"), 0.001, [1]):
        assert parse_amount(bad) is None, bad
    assert parse_number("1.5") == pytest.approx(1.5) and parse_number("２") == 2
    assert parse_number("1_0") is None and parse_number("١") is None and parse_number("1e9") is None


def test_eleven_huge_claims_cannot_overflow_a_running_sum() -> None:
    """The documented maximum keeps the sum of a person's claims far inside int64."""
    assert parse_amount("9,999,999,999,999,999") is None
    assert MAX_AMOUNT_FEN * 90_000_000 < 2**63


@pytest.mark.parametrize(("text", "day"), [
    ("2024-01-05", dt.date(2024, 1, 5)), ("2024-1-5", dt.date(2024, 1, 5)), ("2024年1月5日", dt.date(2024, 1, 5)),
    ("２０２４－０１－０５", dt.date(2024, 1, 5)), ("２０２４年１月５日", dt.date(2024, 1, 5)), (" 2024-01-05\u3000", dt.date(2024, 1, 5)),
    (dt.date(2024, 1, 5), dt.date(2024, 1, 5)), (dt.datetime(2024, 1, 5), dt.date(2024, 1, 5)),
])
def test_dates(text, day) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["٢٠٢٤-٠١-٠٥", "2024-02-30", "2024/01/05", "24-1-5", "2024-01-05T00:00",
                                  "20240105", "", dt.datetime(2024, 1, 5, 8), 20240105])
def test_not_dates(text) -> None:
    assert parse_date(text) is None


def test_full_width_dates_exactly_when_full_width_digits() -> None:
    """Both or neither: the digits that make an amount make a date."""
    for digits in ("0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩"):
        amount_ok = parse_amount(digits[1] + digits[2]) is not None
        date_ok = parse_date(f"{digits[2]}{digits[0]}{digits[2]}{digits[4]}-{digits[0]}{digits[1]}-{digits[0]}{digits[5]}") is not None
        assert amount_ok == date_ok, digits


def test_enumeration_values() -> None:
    values = ("职工医保", "城乡居民医保")
    assert enum_value(" 职工医保\u3000", values) == "职工医保" and enum_value("职工医保\t", values) == "职工医保"
    assert enum_value("职工 医保", values) is None and enum_value("职工", values) is None and enum_value(1, values) is None


# Tricky IDs: blanks of every kind at the ends, full-width letters, zero-width marks, controls inside.
TRICKY_IDS = [
    "A", " A", "A ", "A\t", "\tA", "\u3000A", "A\u3000", "A\u00a0", "\u2003A\u2009", "A\u200b", "\ufeffA", "Ａ",
    "A B", "A\u3000B", "a", "A\n", "\r\nA", "A\x1c", "A\x85", "", " ", "\u3000", "\t\n", "①", "ﬁ", "Å", "Å",
    "参保人１", "参保人1", "ｐ０００１", "p0001", "A\u200bB", "e\u0301", "é", "A\x00", "😀", "A\u2028",
]


def test_person_id_normalisation() -> None:
    same = {person_id(t) for t in ("A", " A", "A\t", "\u3000A", "A\u00a0", "A\u200b", "\ufeffA", "Ａ", "A\n")}
    assert same == {"A"}
    assert person_id("A B") == "A B" and person_id("a") == "a"  # inside blanks and case are kept
    assert person_id(" ") is None and person_id("\u3000") is None and person_id(None) is None
    assert person_id("参保人１") == person_id("参保人1") and person_id("Å") == person_id("Å")


def test_vectorised_person_keys_agree_with_the_scalar_rule() -> None:
    arr = pa.array([*TRICKY_IDS, None, *TRICKY_IDS[::-1]], pa.string())
    assert person_keys(arr).to_pylist() == [person_id(v) for v in arr.to_pylist()]
    chunked = pa.chunked_array([arr[:5], arr[5:]])
    assert person_keys(chunked).to_pylist() == [person_id(v) for v in arr.to_pylist()]


@pytest.mark.parametrize("ids", [["A1", "b c", "~!"], ["A1", "A1 "], [" A1"], ["A1", ""], ["A1", "\x7f"],
                                 ["A1", "\x1f"], ["A1\tB"], ["Ａ1"], ["  "], []])
def test_all_plain_ids_shortcut_agrees_with_the_scalar_rule(ids) -> None:
    """A column of plain IDs is its own keys (checked by byte range and prefixes); one cell that is not
    plain sends the column to the per-value rule; slices keep only their own cells."""
    arr = pa.array(ids, pa.string())
    assert person_keys(arr).to_pylist() == [person_id(v) for v in ids]
    padded = pa.array([" x", *ids, "y "], pa.string()).slice(1, len(ids))
    assert person_keys(padded).to_pylist() == [person_id(v) for v in ids]


def test_blanks_are_every_unicode_space() -> None:
    for ch in ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x85", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028",
               "\u202f", "\u205f", "\u3000", "\u200b", "\ufeff"):
        assert ch in cells.BLANKS


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(), st.sampled_from(TRICKY_IDS)), max_size=30))
def test_vectorised_and_scalar_person_keys_agree_on_any_text(values) -> None:
    values = [v.encode("utf-8", "replace").decode() if v is not None else None for v in values]  # no lone surrogates
    assert person_keys(pa.array(values, pa.string())).to_pylist() == [person_id(v) for v in values]


PLAIN_OR_NOT = ["0", "12", "12.3", "12.34", "007.50", "0.00", "999999999.99", "1000000000", "1000000000.00",
                "1.234", "1,000", " 5", "5 ", "５", "-1", ".5", "5.", "", "1e3", "12.30", "1\u00a0", "٥"]


def test_plain_amounts_by_arrow_are_the_scalar_rule() -> None:
    """The fast form claims only texts it reads exactly as parse_amount does; it claims the usual ones."""
    arr = pa.array([*PLAIN_OR_NOT, None], pa.string())
    plain, fen = plain_amounts(arr)
    for text, is_plain, value in zip(arr.to_pylist(), plain, fen, strict=True):
        assert not is_plain or parse_amount(text) == value, text
    assert plain.tolist()[:7] == [True] * 7 and not plain[-1]
    sliced = arr.slice(2, 5)  # an Arrow slice has an offset into the buffer
    assert plain_amounts(sliced)[1].tolist() == [1230, 1234, 750, 0, 99999999999]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="0123456789.,-e ５\u3000", max_size=14)), max_size=30))
def test_plain_amounts_agree_with_the_scalar_rule_on_any_text(values) -> None:
    plain, fen = plain_amounts(pa.array(values, pa.string()))
    assert [int(f) if p else None for p, f in zip(plain, fen, strict=True)] == \
        [parse_amount(v) if p else None for p, v in zip(plain, values, strict=True)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="Aa1 -_.\t\u3000Ａ\u200b", max_size=8)), max_size=30))
def test_plain_and_other_person_ids_mixed_agree_with_the_scalar_rule(values) -> None:
    assert person_keys(pa.array(values, pa.string())).to_pylist() == [person_id(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=" \t\u3000\u200b\ufeff\u00a0x\uff41\u2028", max_size=5),
                          st.text(max_size=4)), max_size=30))
def test_vectorised_blanks_agree_with_the_scalar_rule(values) -> None:
    values = [v.encode("utf-8", "replace").decode() if v is not None else None for v in values]
    assert blank_cells(pa.array(values, pa.string())).tolist() == [cells.is_blank(v) for v in values]


def test_blanks_are_every_whitespace_character_of_this_python():
    """cells.BLANKS is written out for start-up time; it must still be what str.isspace() calls blank."""
    import sys

    from policylang.inputs import cells

    computed = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert computed + "\u200b\ufeff" == cells.BLANKS
