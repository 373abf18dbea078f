"""The bounds after a deductible line (最低 / 最高, one amount or a table by keys), 逐次, and 费用限额 按…."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policylang.source import Source
from policylang.syntax import ast
from policylang.syntax.parser import parse


def body(*lines: str) -> tuple[object, ...]:
    m, diags = parse(Source("x.policy", "方案 甲 {\n" + "\n".join(lines) + "\n}\n"))
    assert diags == [] and m is not None
    return m.items[0].body  # type: ignore[attr-defined]


def amounts(entries: tuple[ast.Entry, ...]) -> list[tuple[tuple[str, ...], Decimal]]:
    return [(tuple(v.text for k in e.keys for v in k.values), e.value.number) for e in entries]  # type: ignore[union-attr]


def test_bounds_after_a_table_are_grouped_by_the_word_before_them():
    (stmt,) = body("起付线 一级 200 元, 三级 800 元, 最低 100 元, 最高 一级 150 元, 三级 700 元")
    assert isinstance(stmt, ast.TableStmt) and stmt.bounds is not None
    assert amounts(stmt.entries) == [(("一级",), Decimal(200)), (("三级",), Decimal(800))]
    assert amounts(stmt.bounds.lower) == [((), Decimal(100))]
    assert amounts(stmt.bounds.upper) == [(("一级",), Decimal(150)), (("三级",), Decimal(700))]


@pytest.mark.parametrize("line", ["起付线 第 2 次 80%, 第 3 次起 60%, 最低 200 元",
                                  "起付线 第 2 次 80%，第 3 次起 60%，最低 200 元",  # full-width commas
                                  "起付线 第 2 次 80%, 第 3 次起 60% 最低 200 元"])  # the comma may be left out
def test_count_rules_take_bounds(line):
    (stmt,) = body(line)
    assert isinstance(stmt, ast.DeductibleCount) and stmt.bounds is not None
    assert [(e.n, e.onward) for e in stmt.entries] == [(2, False), (3, True)]
    assert amounts(stmt.bounds.lower) == [((), Decimal(200))] and stmt.bounds.upper == ()


def test_compound_is_its_own_statement_with_bounds_and_validity():
    (stmt,) = body("起付线 逐次 80%, 最低 一级 100 元, 二级 200 元, 最高 600 元 自 2024-01-01 起")
    assert isinstance(stmt, ast.DeductibleCompound)
    assert stmt.factor.number == 80 and stmt.factor.unit == "%"
    assert stmt.bounds is not None and stmt.validity is not None
    assert amounts(stmt.bounds.lower) == [(("一级",), Decimal(100)), (("二级",), Decimal(200))]
    assert amounts(stmt.bounds.upper) == [((), Decimal(600))]


def test_lines_without_bounds_are_unchanged():
    table, count, fee = body("起付线 一级 200 元", "起付线 第 2 次 50%", "费用限额 年度 1 万元")
    assert isinstance(table, ast.TableStmt) and table.bounds is None and table.base is None
    assert isinstance(count, ast.DeductibleCount) and count.bounds is None
    assert isinstance(fee, ast.TableStmt) and fee.base is None


@pytest.mark.parametrize("base", ["按累计费用", "按起付线以上部分"])
def test_fee_limit_says_what_it_counts_from(base):
    (stmt,) = body(f"费用限额 年度 {base} 5000 元")
    assert isinstance(stmt, ast.TableStmt) and stmt.kind == "费用限额" and stmt.base == base
    assert stmt.scope == "年度" and amounts(stmt.entries) == [((), Decimal(5000))]


def test_a_bound_before_the_amounts_is_a_syntax_error():
    _, diags = parse(Source("x.policy", "方案 甲 {\n起付线 最低 100 元, 一级 200 元\n}\n"))
    assert [d.code for d in diags] == ["E001"]
