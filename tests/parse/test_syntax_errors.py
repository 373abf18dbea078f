"""Syntax errors: every error of a file, each located, none a traceback."""

from __future__ import annotations

from policylang.diagnostics import render_all
from policylang.source import Source
from policylang.syntax.parser import parse


def errors(text: str) -> list[tuple[str, int, int]]:
    m, diags = parse(Source("x.policy", text))
    assert (m is None) == bool(diags)
    return [(d.code, d.span.line, d.span.column) for d in diags]


def test_several_errors_from_one_file() -> None:
    text = """\
方案 甲 {
    起付钱 500 元
    比例 60%
    封顶线 在职 = 1300 元
}
测试 "t" {
    参保人 在职
    就诊 2024-03-01 一级 100 元 期望 统筹支付
}
"""
    assert errors(text) == [("E002", 2, 5), ("E001", 4, 14), ("E001", 8, 35)]  # the amount missing after 统筹支付


def test_misspelt_keyword_gets_did_you_mean() -> None:
    _, diags = parse(Source("x", "方按 甲 { 比例 50% }"))
    assert diags[0].code == "E002"
    assert "方案" in diags[0].help


def test_valid_statement_after_an_error_is_not_reported() -> None:
    # recovery resumes at the next statement keyword, so 比例 … is parsed as a ratio, not blamed
    assert errors("方案 甲 {\n 起付钱 500 元\n 比例 一级 80%\n}") == [("E002", 2, 2)]


def test_unterminated_and_unmatched_braces() -> None:
    assert errors("方案 甲 {\n 比例 50%\n") == [("E009", 1, 6)]
    assert errors("方案 甲 {\n 比例 50%\n}\n}\n") == [("E010", 4, 1)]


def test_invalid_character_is_located() -> None:
    assert errors("地区 甲\n依据 《x》 $\n") == [("E003", 2, 8)]


def test_unexpected_end_points_after_the_last_character() -> None:
    assert errors("生效 2024-01-01 至\n\n") == [("E001", 1, 16)]


def test_expected_list_is_never_empty() -> None:
    for text in ("方案 甲 { 比例 四级 }", "方案 甲 { 甲 比例 四级 }", "生效", "方案 甲 (险种 = ) { 比例 5% }"):
        _, diags = parse(Source("x", text))
        assert diags
        for d in diags:
            assert "应为  " not in d.message and not d.message.endswith("应为 ")


def test_error_count_is_bounded() -> None:
    _, diags = parse(Source("x", "= " * 500))
    assert 1 <= len(diags) <= 20


def test_rendered_errors_have_caret_lines() -> None:
    src = Source("x.policy", "方案 甲 {\n    封顶线 在职 = 1300 元\n    比例 50%\n}\n")
    _, diags = parse(src)
    out = render_all(diags, {"x.policy": src})
    assert out.splitlines()[:4] == [
        "x.policy:2:14: 错误 E001 表项的键与数值之间不写“=”；“=”只用在 字段=取值 中"
        " — no “=” between a key and its value (syntax error)",
        "  |",
        "2 |     封顶线 在职 = 1300 元",
        "  |                   ^^^^",
    ]
