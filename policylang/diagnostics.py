"""Diagnostics: values collected by one sink and rendered Rust/Elm style, Chinese first, English gloss."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable

import attrs

from policylang.source import Source, Span


class Severity(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"


@attrs.frozen
class Code:
    """A diagnostic code: its Chinese title, English gloss and a fix an officer can apply."""

    code: str
    title: str
    gloss: str
    fix: str


def _codes(*rows: tuple[str, str, str, str]) -> dict[str, Code]:
    return {r[0]: Code(*r) for r in rows}


CODES: dict[str, Code] = _codes(
    ("E001", "语法错误", "syntax error", "对照语言参考检查这一行的写法。"),
    ("E002", "未知关键字", "unknown keyword", "使用语言参考中列出的关键字，关键字后留一个空格。"),
    ("E003", "非法字符", "invalid character", "删除该字符，或把文字放进引号。"),
    ("E004", "缺少单位", "missing unit", "在数字后写上单位：元、万元、%、天、月或年。"),
    ("E005", "单位类型错误", "unit of the wrong kind", "金额用 元/万元，比例用 %，期限用 天/月/年。"),
    ("E006", "比例超出范围", "ratio out of range", "比例应在 0% 到 100% 之间。"),
    ("E007", "未知枚举值", "unknown enumeration value", "使用已声明的枚举值，或先在枚举中加入它。"),
    ("E008", "重复定义", "duplicate definition", "删除重复的定义，或用 生效/失效 日期区分版本。"),
    ("E009", "块未结束", "unterminated block", "在块末尾补上 }。"),
    ("E010", "多余的右括号", "unmatched closing brace", "删除多余的 }，或补上对应的 {。"),
    ("E011", "日期无效", "invalid date", "日期写作 2024-01-01 或 2024年1月1日。"),
    ("E012", "数值无效", "invalid number", "金额最多两位小数，且不能为负。"),
    ("E013", "重复的表项", "duplicate table entry", "每个组合只写一次。"),
    ("E014", "导入失败", "import not found", "检查导入的名称；标准库位于 stdlib/。"),
    ("E015", "未知字段", "unknown field", "使用已声明的枚举名作为字段，或内置字段（日期、费用）。"),
    ("E016", "缺少必需的规则", "a required rule is missing",
     "每个方案或层要有支付规则（比例、分段、定额、津贴天数 或 一次性支付）；免起付线、按次数的起付线要有 起付线，"
     "比例调整要有 比例，津贴天数 要有 日津贴。"),
    ("E017", "期望项未知", "unknown expected output", "期望项可为 统筹支付、个人自付、起付线、费用。"),
    ("E018", "文件无法读取", "file cannot be read", "确认文件存在且为 UTF-8 编码。"),
    ("E019", "生效日期无效", "invalid validity period", "失效日期应晚于生效日期。"),
    ("E020", "测试缺少参保人", "test has no insured person", "在测试块开头写 参保人 语句。"),
    ("E021", "枚举值有歧义", "ambiguous enumeration value", "写成 字段=值，例如 人员类别=退休。"),
    ("E022", "周期无效", "invalid period", "社保年度的起始月应在 1 到 12 之间。"),
    ("E023", "未知参考值", "unknown reference value", "先用 参考值 语句声明它的逐年数值。"),
    ("E024", "分段无效", "invalid brackets", "分段应从 0 起按金额递增、首尾相接，不重叠也不留空档。"),
    ("E025", "类型不匹配", "type mismatch", "只能比较或相加同类的量：金额与金额、日期与期限、枚举与其取值。"),
    ("E026", "字段定义无效", "invalid field definition", "字段类型为 金额、天数、月数、年数、次数、年龄、日期、文字 或 是否，默认值须与类型一致。"),
    ("E027", "规则冲突", "conflicting rules", "同一层只能用一种支付方式：比例、分段、定额 或 津贴。"),
    ("E028", "覆盖的规则不存在", "override of something that does not exist", "只能覆盖继承来的方案、层和表项；新增的规则直接写，不加 覆盖。"),
    ("E029", "下限高于上限", "floor above its ceiling", "最低 应不高于 最高。"),
    ("E032", "计数规则需要周期", "counter used outside a period", "在方案中写明 周期（如 周期 自然年度），第 n 次按周期计数。"),
    ("E030", "理赔文件格式错误", "malformed claim file", "理赔文件为 JSON：{\"参保人\": {…}, \"就诊\": […]}。"),
    ("E031", "缺少必填字段", "missing required field", "每条就诊都要有 日期 与 费用。"),
    ("W101", "封顶线低于起付线", "cap below its deductible", "核对封顶线与起付线的数值。"),
    ("W102", "比例表缺少枚举成员", "ratio table missing an enumeration member", "为缺少的成员补上比例，或写一个默认比例。"),
    ("W103", "调整后比例超过 100%", "adjusted ratio above 100%", "核对调整幅度；结算时比例按 100% 封顶。"),
    ("W105", "版本之间有空档", "gap between versions", "补上空档期间的数值，或确认这段时间确实不适用。"),
    ("W104", "缺少依据", "no legal basis stated", "写一条 依据 语句，注明文件名称与文号。"),
    # 继承 / 导入 read only scripts (policylang/resolve/confine.py)
    ("E060", "引用超出允许的目录", "reference outside the allowed folders",
     "继承、导入 只能写同一地区根目录下的地区名、本地区的脚本名或 stdlib/ 中的名称；不能用绝对路径，也不能用 .. 或符号链接指到外面。"),
    ("E061", "引用的不是脚本", "reference is not a policy script",
     "继承 指向地区目录或 .policy 脚本，导入 指向 .policy 脚本；脚本须是普通文件，且不超过 1 MiB（1024 KB）。"),
    ("E062", "名称含有控制字符", "name contains control or invisible characters",
     "地区目录、脚本文件以及 继承、导入 的名称不能含换行、制表符等控制字符或看不见的格式字符；请改用只含可见字符的名称。"),
)


@attrs.frozen
class Diagnostic:
    """One finding: where, what (code + specific message) and, optionally, a help line."""

    severity: Severity
    code: str
    message: str
    span: Span | None
    help: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self) -> str:
        where = f"{self.span}: " if self.span else ""
        gloss = CODES[self.code].gloss
        return f"{where}{self.severity.value} {self.code} {self.message} ({gloss})"


def error(code: str, message: str, span: Span | None, help: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, span, help)


def warning(code: str, message: str, span: Span | None, help: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, span, help)


def display_width(text: str) -> int:
    """Terminal columns of text: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(diag: Diagnostic, sources: dict[str, Source]) -> str:
    """The headline, the source line with a caret under the span, and a help line."""
    out = [diag.headline()]
    span = diag.span
    src = sources.get(span.file) if span else None
    if span and src:
        text = src.line(span.line).rstrip("\n")
        gutter = " " * len(str(span.line))
        out.append(f"{gutter} |")
        out.append(f"{span.line} | {text}")
        start = min(span.column - 1, len(text))
        end = span.end_column - 1 if span.end_line == span.line else len(text)
        end = max(end, start + 1)
        pad = display_width(text[:start].replace("\t", " "))
        width = max(1, display_width(text[start:end]))
        out.append(f"{gutter} | {' ' * pad}{'^' * width}")
    hint = diag.help or CODES[diag.code].fix
    out.append(f"  提示: {hint}")
    return "\n".join(out)


def render_all(diags: Iterable[Diagnostic], sources: dict[str, Source]) -> str:
    return "\n\n".join(render(d, sources) for d in diags)


def sort_key(d: Diagnostic) -> tuple:
    s = d.span
    return (s.file, s.line, s.column, d.code) if s else ("", 0, 0, d.code)
