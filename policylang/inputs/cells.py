"""The one rule for a cell of a claim file or table: an amount, a number, a date, an enumeration value,
a person ID (参保人ID) and free text. Every reader (settle's JSON claim file, `diff --claims`, `batch`)
calls these functions, so a value that one accepts no other refuses.

The written forms, documented in README.md (批量结算, 单元格的写法):

- 金额 (amount, 元): ASCII or full-width digits (０-９); an optional decimal point (. or ．) with at most
  two significant decimals (trailing zeros beyond them are allowed: 12.3000 is 12.30); thousands
  separators (, or ，) only in groups of three (2,000.00). No sign, exponent, underscore ("2_000"),
  blank inside, or digits of other scripts (Arabic-Indic ٢٠٠٠). At most MAX_AMOUNT_FEN 分 per amount, so
  that no running sum of a table can overflow a 64-bit integer (see MAX_AMOUNT_FEN).
- 数 (days, months, years, counts, age): as an amount, with any number of decimals.
- 日期: YYYY-MM-DD or YYYY年M月D日, in ASCII or full-width digits (full-width －); nothing else.
- 枚举 (an enumeration value) and 文字: the text normalised by `clean` (NFKC, surrounding blanks removed).
- 参保人ID: `clean` as well; the batch partitioner, the validator and the summary all key by it.

JSON numbers and typed Parquet values (int, Decimal, float) are exact numbers and skip the text grammar
but not the bounds.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

# 10 亿元 per amount: 2^63 分 / 10^11 分 ≈ 9.2 × 10^7 amounts before a sum can overflow int64, far more
# than a person's claims, and a batch chunk that could reach it is refused (batch/engine.py).
MAX_AMOUNT_FEN = 100_000_000_000
MAX_NUMBER = Decimal(10) ** 9  # days, months, counts, ages: anything larger is a typo

# Every character Python calls whitespace, plus the zero-width space and the byte-order mark, which
# spreadsheets leave at the ends of IDs. One string, used by the scalar and the vectorised forms. Written
# out rather than computed from all 1.1M code points at every start (0.26 s); tests/inputs/test_cells.py
# checks it equals that computation on the running Python.
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
           "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
BLANKS = _SPACES + "\u200b\ufeff"
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?", re.ASCII)
_DATES = (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII),
          re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日", re.ASCII))


def _ascii(text: str) -> str:
    """Full-width digits and separators as ASCII (only those: other scripts' digits stay and fail)."""
    return text if text.isascii() else text.translate(_FULLWIDTH)


def clean(text: str) -> str:
    """A cell's text as compared and stored: NFKC (full-width letters and the ideographic space become
    ASCII), then every blank at either end removed."""
    return unicodedata.normalize("NFKC", text).strip(BLANKS)


def person_id(value: Any) -> str | None:
    """参保人ID: the cleaned text, None if blank. IDs that differ only by blanks at the ends or by width
    are one person, in every reader and in every partition of a batch run."""
    if value is None or isinstance(value, bool):
        return None
    text = clean(str(value))
    return text or None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))


def _decimal_text(text: str) -> Decimal | None:
    """The number a cell's text writes, by the grammar above; None if it writes none."""
    m = _NUMBER.fullmatch(_ascii(text).strip(BLANKS))
    if m is None:
        return None
    return Decimal(m[0].replace(",", ""))


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return _decimal_text(value)
    if isinstance(value, float):
        value = repr(value)  # the shortest text that reads back as this float: 0.1 is 10 分, not 0.1000…0555
    elif not isinstance(value, int | Decimal):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def parse_amount(value: Any) -> int | None:
    """A yuan amount to 分; None unless it is a non-negative amount in whole 分 of at most MAX_AMOUNT_FEN."""
    number = _decimal(value)
    if number is None or number > Decimal(MAX_AMOUNT_FEN) / 100:
        return None
    fen = number * 100
    return int(fen) if fen == fen.to_integral_value() else None


def parse_number(value: Any) -> Fraction | None:
    """A non-negative count, number of days, months or years, or an age; None if not one."""
    number = _decimal(value)
    return None if number is None or number > MAX_NUMBER else Fraction(number)


def parse_date(value: Any) -> dt.date | None:
    """A date object (a datetime only at midnight) or its text by the grammar above."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = _ascii(value).strip(BLANKS)
    for pattern in _DATES:
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def enum_value(value: Any, values: tuple[str, ...]) -> str | None:
    """The enumeration value a cell names (as the script spells it), None if it names none."""
    if not isinstance(value, str):
        return None
    return _enum_index(values).get(clean(value))


@functools.lru_cache(maxsize=256)
def _enum_index(values: tuple[str, ...]) -> dict[str, str]:
    return {clean(v): v for v in reversed(values)}
