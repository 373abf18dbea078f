"""Syntax errors an officer can act on: common mistakes by example, expected tokens in Chinese words.

A mistake is recognised the way Lark's `UnexpectedInput.match_examples` recognises it: by the parser
state (and token kind) at which a malformed example fails. The examples are data, kept below; a test
checks that each still maps to its own label, so a grammar change that moves a state cannot silently
turn a specific message back into a generic one. No message names a grammar terminal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import attrs
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from policylang.source import fold_width


@attrs.frozen
class Mistake:
    """A common mistake: how to say it (Chinese — English gloss), the allowed form, and examples of it."""

    label: str
    code: str
    message: str
    help: str
    examples: tuple[str, ...]
    missing: bool = False  # something is left out: point just after the token before the error

    @staticmethod
    def fill(template: str, fields: dict[str, str]) -> str:
        """Put the offending words into a template (str.format would trip on the braces of a form)."""
        for key, value in fields.items():
            template = template.replace("{" + key + "}", value)
        return template


_BOUND_FORM = "写作 起付线 = 上年度 职工平均工资 × 8%，最低 600 元，最高 1800 元（最低/最高 写在数值或算式之后）"

# Mistakes recognised by the parser state at the first error of each example (match_examples).
MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "expression_in_cell", "E001",
        "表项的值只能是一个数值或参考值，算式要加括号 — a table cell holds one value or a calculation in parentheses",
        "表项中的算式加括号：起付线 一级 (上年度 职工平均工资 × 1%)，或写作整条规则：起付线 = 上年度 职工平均工资 × 8%，"
        "最低 600 元；比例的增减写作 退休 比例 提高 5%",
        (
            "方案 甲 { 比例 一级 80%, 二级 一级 + 5% }",
            "方案 甲 { 比例 一级 50% × 2 }",
            "方案 甲 { 封顶线 在职 上年度 平均工资 × 6 }",
            "方案 甲 { 起付线 在职 500 元 - 100 元 }",
            "方案 甲 { 比例 50% - 5% }",
        ),
    ),
    Mistake(
        "equals_in_entry", "E001",
        "表项的键与数值之间不写“=”；“=”只用在 字段=取值 中 — no “=” between a key and its value",
        "写作 封顶线 在职 1300 元，退休 1000 元；按字段区分时写作 人员类别=在职 1300 元",
        ("方案 甲 { 封顶线 在职 = 1300 元 }", "方案 甲 { 比例 一级 = 80% }"),
    ),
    Mistake(
        "count_without_unit", "E004",
        "“第”后的次数缺少单位“次” — the count after 第 needs its unit 次",
        "写作 起付线 第 1 次 800 元，第 2 次起 400 元",
        ("方案 甲 { 起付线 第 1 800 元 }", "方案 甲 { 起付线 第 1 次 800 元, 第 2 起 400 元 }"),
        missing=True,
    ),
    Mistake(
        "days_without_unit", "E004",
        "“每”后的天数缺少单位“天” — the number of days after 每 needs its unit 天",
        "写作 封顶线 每 30 天 1000 元",
        ("方案 甲 { 封顶线 每 30 1000 元 }",),
        missing=True,
    ),
    Mistake(
        "expected_without_amount", "E001",
        "期望项缺少金额 — an expected output needs its amount",
        "写作 期望 统筹支付 60 元，个人自付 40 元",
        (
            '测试 "t" { 参保人 在职 就诊 2024-03-01 100 元 期望 统筹支付 }',
            '测试 "t" { 参保人 在职 就诊 2024-03-01 100 元 期望 统筹支付, 个人自付 40 元 }',
            '测试 "t" { 参保人 在职 就诊 2024-03-01 100 元 期望 统筹支付\n 就诊 2024-03-02 100 元 }',
        ),
        missing=True,
    ),
    Mistake(
        "rule_without_value", "E001",
        "规则缺少数值 — the rule has no value",
        "在关键字后写上数值，如 起付线 500 元、比例 60%、封顶线 年度 30 万元",
        ("方案 甲 { 比例 50% 起付线 }", "方案 甲 { 比例 }", "方案 甲 { 封顶线 }", "方案 甲 { 层 乙 { 比例 } }"),
        missing=True,
    ),
    Mistake(
        "unit_without_number", "E001",
        "单位前缺少数字 — a unit needs a number before it",
        "数字与单位一起写：500 元、60%、30 天",
        ("方案 甲 { 起付线 元 }", "方案 甲 { 比例 % }"),
    ),
    Mistake(
        "scheme_without_name", "E001",
        "“方案”后缺少方案名称 — the scheme needs a name",
        "写作 方案 职工医保 门诊 (险种 = 职工医保) { … }",
        ("方案 { 比例 50% }",),
        missing=True,
    ),
)

BOUND_FIRST = Mistake(
    "bound_first", "E001",
    "“{token}”只能写在它限定的数值或算式之后 — a bound is written after the value it bounds",
    _BOUND_FORM,
    ("方案 甲 { 起付线 最低 600 元 = 上年度 平均工资 × 8% }", "方案 甲 { 封顶线 最低 100 元 }"),
)

KEYWORD_AS_NAME = Mistake(
    "keyword_as_name", "E001",
    "“{prev}”是关键字，这里被读作“{prev}”规则的开头，不能直接用作名称 — “{prev}” is a keyword, not a name here",
    "与关键字同名的取值写作 字段=取值，如 支付方式={prev} 比例 提高 5%",
    ("方案 甲 { 个人账户 比例 提高 5% }", "方案 甲 { 说明 免起付线 }"),
)

TIMES_AS_LETTER = Mistake(
    "times_as_letter", "E001",
    "乘号写作 ×、* ，除号写作 ÷，不用字母 x — multiply with × or *",
    "写作 起付线 = 上年度 职工平均工资 × 8%",
    ("方案 甲 { 起付线 = 上年度 平均工资 x 8% }",),
)

# Characters that look like the language's punctuation but are not, and what to write instead.
CHARACTERS: dict[str, tuple[str, str]] = {
    **dict.fromkeys("【〔「『[", ("块用 { } 括起，不用“{char}” — blocks are enclosed in { }", "写作 方案 职工医保 { 比例 60% }")),
    **dict.fromkeys("】〕」』]", ("块用 { } 括起，不用“{char}” — blocks are enclosed in { }", "写作 方案 职工医保 { 比例 60% }")),
    **dict.fromkeys(":：", ("此处不用冒号“{char}” — no colon in the language",
                            "关键字后直接写内容，如 比例 60%；语句之间用空格、换行或“；”分隔")),
    **dict.fromkeys("'‘’", ("文字用 \"…\"、“…” 或 《…》 括起，不用“{char}” — quote text with \"…\", “…” or 《…》",
                            "写作 依据 《随州市基本医疗保险实施细则》")),
    **dict.fromkeys('"“”《》', ("引号没有配对：“{char}”要与同一行里对应的引号成对 — unmatched quote",
                                 "写作 依据 《文件名》、依据 “文件名” 或 依据 \"文件名\"，开、闭引号成对且在同一行")),
    **dict.fromkeys("~～", ("范围用“至”，不用“{char}” — write a range with 至", "写作 分段 { 2万元至5万元 70% }")),
    ".": ("“.”只用作小数点；语句结尾写“；”或“。” — “.” is only a decimal point",
          "写作 比例 一级 80%，二级 70%；"),
}

# The allowed form of each statement, keyed by the keyword that starts it: the help line of a generic error.
FORMS: dict[str, str] = {
    "起付线": "起付线 500 元；起付线 在职 500 元，退休 400 元；起付线 = 上年度 职工平均工资 × 8%，最低 600 元",
    "比例": "比例 60%；比例 一级 80%，二级 70%；比例 年龄 >= 60 岁 70%，60%；退休 比例 提高 5%",
    "封顶线": "封顶线 年度 30 万元；封顶线 在职 1300 元，退休 1000 元；封顶线 每 床日数 200 元",
    "分段": "分段 { 2万元(含)以内 70%，超过2万元 80% }",
    "定额": "定额 顺产 2800 元，剖宫产 3800 元；定额 每 护理天数 50 元",
    "方案": "方案 职工医保 门诊 (险种 = 职工医保) { 比例 60% }",
    "层": "层 大病保险 (险种 = 居民医保) { … }",
    "枚举": "枚举 医院等级 { 一级 二级 三级 } 默认 一级",
    "字段": "字段 处方天数 天数 可选",
    "参考值": "参考值 职工平均工资 2023 年 80000 元，2024 年 85000 元",
    "测试": "测试 \"门诊一级\" { 参保人 职工医保 在职  就诊 2024-03-01 一级 100 元 期望 统筹支付 60 元 }",
    "参保人": "参保人 职工医保 在职",
    "就诊": "就诊 2024-03-01 普通门诊 一级 100 元 期望 统筹支付 60 元",
    "期望": "期望 统筹支付 60 元，个人自付 40 元",
    "缴费": "缴费 2021 年 期望 资助 450 元，个人缴费 0 元",
    "询问": "询问 2023-12-31 家庭共济 亲属关系=配偶 期望 是",
    "生效": "生效 2024-01-01 至 2024-12-31",
    "依据": "依据 《随州市基本医疗保险实施细则》 文号 \"随政规〔2023〕1号\"",
    "地区": "地区 随州市",
    "导入": "导入 \"enums\"",
    "继承": "继承 \"../湖北省\"",
    "周期": "周期 自然年度；周期 社保年度 自 7 月 起",
    "要求": "要求 定点 = 是 否则 \"非定点医疗机构的费用不予支付\"",
    "资助": "资助 困难人员 按 居民个人缴费 { 特困人员 全额 }",
    "判断": "判断 家庭共济 \"说明\" { 允许 亲属关系 = 配偶 或 子女 }",
    "允许": "允许 亲属关系 = 本人 或 配偶",
    "津贴天数": "津贴天数 98 天；津贴天数 胎数 每多 1 加 15 天",
    "日津贴": "日津贴 日工资；日津贴 100 元",
    "个人账户": "个人账户 支付 起付线, 个人自付；个人账户 年度划入 在职 1000 元",
    "不予报销": "不予报销 挂号费, 诊金",
    "舍入": "舍入 四舍五入",
    "说明": "说明 \"这一条规则的说明\"",
    "假设": "假设 \"脚本作者的理解，须以原文核对\"",
    "覆盖": "覆盖 方案 职工医保 门诊 { 比例 70% }",
    "否则": "否则 \"不符合条件时的说明\"",
    "费用限额": "费用限额 每次 一级 300 元",
    "一次性支付": "一次性支付 5000 元 累计超过 3 万元",
    "支付后扣除": "支付后扣除 每次 5 元；支付后扣除 每 就诊人次 1 元",
    "封顶后扣除": "封顶后扣除 每次 5 元",
    "累计": "累计 救助限额 年度；累计 孕检限额 按 孕期号",
    "基数": "基数 超过上一层封顶线的部分",
}
FORMS.update({"扣除已付": "扣除已付 基本医保已支付, 大病保险已支付", "版本": "版本 按 出院日期",
              "年度补助": "年度补助 超过 政策范围内费用 20% 的部分 50%"})
for _alias, _kw in {"起付标准": "起付线", "支付比例": "比例", "报销比例": "比例", "最高支付限额": "封顶线"}.items():
    FORMS[_alias] = FORMS[_kw]

# Readable words for terminals that are not keywords.
_WORDS = {
    "NAME": "名称", "NUMBER": "数字", "DATE": "日期（如 2024-01-01）", "MONTH_DAY": "月日（如 7月1日）",
    "STRING": "带引号的文字", "_SEMI": "“；”", "_COMMA": "“，”", "LBRACE": "“{”", "RBRACE": "“}”",
    "LPAR": "“(”", "RPAR": "“)”", "EQUAL": "“=”", "_ALT": "“/”", "CMP": "比较符号（>=、<=、= 等）",
    "ADD_OP": "“+” 或 “-”", "MUL_OP": "“×” 或 “÷”", "$END": "文件结尾",
}
_MAX_WORDS = 6


def describe(expected: Iterable[str], keywords: dict[str, str], statement_level: bool) -> str:
    """The expected tokens in Chinese words: names of things, quoted keywords, never a terminal name."""
    by_terminal = {v: k for k, v in keywords.items()}
    expected = set(expected)
    words: list[str] = []
    if statement_level:
        words.append("下一条语句")
        expected = {t for t in expected if t in ("RBRACE", "$END")}
    units = sorted(by_terminal[t] for t in expected if t.startswith("UNIT_") and t in by_terminal)
    if units or "PERCENT" in expected:
        words.append("单位（" + "、".join([*units, *(["%"] if "PERCENT" in expected else [])]) + "）")
    for t in ("NUMBER", "DATE", "MONTH_DAY", "NAME", "STRING", "CMP", "ADD_OP", "MUL_OP"):
        if t in expected:
            words.append(_WORDS[t])
    kws = sorted(by_terminal[t] for t in expected if t in by_terminal and not t.startswith("UNIT_"))
    words += [f"“{k}”" for k in kws]
    for t in ("LPAR", "RPAR", "EQUAL", "_ALT", "_COMMA", "_SEMI", "LBRACE", "RBRACE", "$END"):
        if t in expected:
            words.append(_WORDS[t])
    if not words:
        return "其他写法"
    shown = "、".join(words[:_MAX_WORDS])
    return shown + (" 等" if len(words) > _MAX_WORDS else "")


@functools.cache
def _example_failure(lark: Lark, text: str) -> tuple[int, str] | None:
    """Where an example first fails: (parser state, token kind). None if it parses or fails in the lexer."""
    try:
        lark.parse(fold_width(text))
    except UnexpectedToken as e:
        return e.state.position, e.token.type
    except UnexpectedInput:
        return None
    return None


def _raiser(lark: Lark) -> Callable[[str], None]:
    def parse_fn(text: str) -> None:
        failure = _example_failure(lark, text)
        if failure is not None:
            raise UnexpectedToken(Token(failure[1], ""), set(), state=failure)
    return parse_fn


def match(lark: Lark, position: int, token: Token) -> Mistake | None:
    """The mistake whose examples fail where this error does (same parser state, same kind of token)."""
    probe = UnexpectedToken(Token(token.type, ""), set(), state=(position, token.type))
    label = probe.match_examples(_raiser(lark), {m.label: m.examples for m in MISTAKES},
                                 token_type_match_fallback=True)
    return next((m for m in MISTAKES if m.label == label), None)


def example_label(lark: Lark, text: str) -> str | None:
    """The label the first error of a malformed example maps to (for the tests that pin the examples)."""
    failure = _example_failure(lark, text)
    if failure is None:
        return None
    mistake = match(lark, failure[0], Token(failure[1], ""))
    return mistake.label if mistake else None
