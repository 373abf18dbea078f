"""Diagnostics: values collected by one sink and rendered Rust/Elm style, Chinese first, English gloss."""

from __future__ import annotations

import difflib
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
    ("E008", "重复定义", "duplicate definition", "删除重复的定义；同一事物只定义一次。"),
    ("E009", "块未结束", "unterminated block", "在块末尾补上 }。"),
    ("E010", "多余的右括号", "unmatched closing brace", "删除多余的 }，或补上对应的 {。"),
    ("E011", "日期无效", "invalid date", "日期写作 2024-01-01 或 2024年1月1日。"),
    ("E012", "数值无效", "invalid number", "金额最多两位小数，且不能为负。"),
    ("E013", "重复的表项", "duplicate table entry", "每个组合只写一次。"),
    ("E014", "导入失败", "import not found", "检查导入的名称；标准库位于 stdlib/。"),
    ("E015", "未知字段", "unknown field", "使用已声明的枚举名作为字段，或内置字段（日期、费用）。"),
    ("E016", "缺少支付规则", "no payment rule",
     "每个方案或层要有支付规则：比例、分段、定额、津贴天数 或 一次性支付。"),
    ("E017", "期望项未知", "unknown expected output", "期望项可为 统筹支付、个人自付、起付线、费用 等或层的名称，全部名称见“期望项一览”。"),
    ("E018", "文件无法读取", "file cannot be read", "确认文件存在且为 UTF-8 编码。"),
    ("E019", "生效日期无效", "invalid validity period", "失效日期应晚于生效日期。"),
    ("E020", "测试缺少参保人", "test has no insured person", "在测试块开头写 参保人 语句。"),
    ("E021", "枚举值有歧义", "ambiguous enumeration value", "写成 字段=值，例如 人员类别=退休。"),
    ("E022", "周期无效", "invalid period", "社保年度的起始月应在 1 到 12 之间。"),
    ("E023", "未知参考值", "unknown reference value", "先用 参考值 语句声明它的逐年数值。"),
    ("E024", "分段无效", "invalid brackets", "分段应从 0 起按金额递增、首尾相接，不重叠也不留空档。"),
    ("E025", "类型不匹配", "operands of different kinds",
     "只能比较或相加同类的量：金额与金额、日期与期限、枚举与其取值；金额 × 比例 得金额。"),
    ("E026", "字段定义无效", "invalid field definition", "字段类型为 金额、天数、月数、年数、次数、年龄、日期、文字 或 是否，默认值须与类型一致。"),
    ("E027", "支付方式冲突", "more than one payment method", "同一层只能用一种支付方式：比例、分段、定额 或 津贴。"),
    ("E028", "覆盖的规则不存在", "override of something that does not exist", "只能覆盖继承来的方案、层和表项；新增的规则直接写，不加 覆盖。"),
    ("E029", "下限高于上限", "floor above its ceiling", "最低 应不高于 最高。"),
    ("E032", "计数规则需要周期", "counter used outside a period", "在方案中写明 周期（如 周期 自然年度），第 n 次按周期计数。"),
    ("E033", "生效期重叠", "overlapping validity periods", "用 生效/失效（或 自…起/至）日期区分不同版本，使各版本的生效期首尾相接而不重叠。"),
    ("E034", "费用与明细同时出现", "visit gives both an amount and items", "只写明细（费用由明细合计得出），或只写费用。"),
    ("E035", "起付线计算范围冲突", "deductible given for more than one scope",
     "一层只能有一种起付线：每次、每次住院 或 年度，选其一。"),
    ("E036", "应为整数", "not a whole number", "写成整数，例如 15 天、2022 年。"),
    ("E037", "次数应从 1 开始", "visit number below 1", "第 n 次从 第 1 次 数起。"),
    ("E038", "未知目录类别", "unknown catalogue class", "目录类别为 甲类、乙类、丙类 或 目录外。"),
    ("E039", "个人账户不能支付此项", "not payable from the personal account", "只列出个人账户可以支付的部分：起付线、乙类先行自付、先行自付、全自费、个人自付、政策范围内个人自付。"),
    ("E040", "未知判断", "unknown question", "使用地区中已声明的 判断 名称。"),
    ("E041", "缺少日津贴", "allowance days without a daily rate", "津贴天数 要有 日津贴（金额、参考值、金额字段或公式）。"),
    ("E042", "缺少起付线", "deductible rule without a deductible", "免起付线、起付线按次数、起付线递减 都要先有 起付线。"),
    ("E043", "缺少比例", "ratio adjustment without a ratio", "比例调整 要有同一层的 比例 语句。"),
    ("E044", "参考值缺少年度", "reference value without its year", "写作 上年度 参考值名 或 当年 参考值名。"),
    ("E045", "除数为 0", "division by zero", "除数不能为 0。"),
    ("E046", "枚举不能比较大小", "enumeration compared by order", "枚举只能用 = 或 != 比较。"),
    ("E047", "比较中不能用百分比", "percentage in a comparison", "比较金额、期限、次数、年龄或日期；比例不参与比较。"),
    ("E048", "比例不能取整", "rounding applied to a ratio", "删除 取整到分/元；取整只用于金额。"),
    ("E049", "字段类型不符", "field of the wrong type", "换成所需类型的字段，或改正该字段的类型。"),
    ("E050", "值与字段类型不符", "value does not fit the field's type", "按字段的类型写值：金额写 元，日期写 2024-01-01，枚举写其取值。"),
    ("E051", "混用不同字段的取值", "alternatives from different fields", "用 / 连接的取值须属于同一字段；不同字段的条件分开写。"),
    ("E052", "分段基数不一致", "brackets on different bases", "同一层的分段都按累计费用，或都按起付线以上部分。"),
    ("E053", "没有继承却写了覆盖", "override without inheritance", "先写 继承 \"地区或模板\"，或去掉 覆盖。"),
    ("E054", "继承形成循环", "inheritance cycle", "地区不能直接或间接继承自己；去掉造成循环的 继承。"),
    ("E055", "继承的地区不存在", "inherited region not found", "继承同级地区目录（如 suizhou）或标准库中的模板。"),
    ("E030", "理赔文件格式错误", "malformed claim file", "理赔文件为 JSON：{\"参保人\": {…}, \"就诊\": […]}。"),
    ("E031", "缺少必填字段", "missing required field", "每条就诊都要有 日期 与 费用。"),
    ("E056", "费用与明细合计不符", "amount differs from the total of its items",
     "删去 费用（由明细合计得出），或改正费用或明细的金额。"),
    # steps after the ratio (支付后扣除, 封顶线 每 床日数, 定额 每 护理天数)
    ("E074", "按单位计算需要天数或次数字段", "a per-unit amount needs a days or count field",
     "每 之后写一个 天数 或 次数 类型的字段，先用 字段 声明它，例如 字段 床日数 天数。"),
    ("E075", "扣除的计算范围无效", "deduction with a scope other than per visit or per unit",
     "支付后扣除 与 封顶后扣除 按 每次 或 每 天数/次数字段 计算，例如 支付后扣除 每次 5 元。"),
    ("E076", "定额的计量方式冲突", "fixed standard given per visit and per unit",
     "同一层的 定额 只用一种计量：按次（定额 800 元）或按同一个字段（定额 每 护理天数 50 元）。"),
    ("E077", "津贴层不能扣除或按单位封顶", "deduction or per-unit cap in an allowance layer",
     "支付后扣除、封顶后扣除 与 封顶线 每 字段 只用于按费用支付的层；把它们移到支付费用的层。"),
    ("W113", "按单位计算的字段可能缺少", "per-unit field may be missing",
     "给该字段一个默认值（字段 床日数 天数 默认 0 天），或去掉 可选：缺少它的就诊将不予支付。"),
    ("W101", "封顶线低于起付线", "cap below its deductible", "核对封顶线与起付线的数值。"),
    ("W102", "表缺少条件允许的取值", "table has no cell for a value its conditions admit",
     "为缺少的取值补上一项，或写一个不带条件的默认值；否则落在这里的就诊将被拒付。"),
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
    # expressions wherever a number stands (policylang/lower/formula.py, lower/dims.py)
    ("E063", "表达式的单位不符", "units of an expression do not match",
     "只有同一单位的量能相加减、比较或作界限；金额 × 月数 须再 ÷ 月数，金额 ÷ 金额 得比例，天数 × 元/天 得金额。"),
    ("E064", "这里只能写数值", "a calculation where only a constant is allowed",
     "算式可写在 起付线、封顶线、定额、比例、津贴天数、费用限额 的表项与公式中；这里写出算得的数值。"),
    ("E065", "表达式读不到这个金额", "amount not known when the value is computed",
     "表达式可读取本次就诊的 费用、政策范围内费用、全自费、先行自付；各层的支付在计算时还不知道。"),
    ("E066", "取小/取大 只有一项", "取小/取大 with a single value", "写出至少两项：取小(缴费月数 ÷ 12 个月, 1)。"),
    ("W111", "比例与不带 % 的数相加减", "a percentage added to a plain number",
     "比例是不带单位的数，1 即 100%：85% + 2 得 285%；按年龄增减比例写作 85% + (年龄 - 70) × 0.5%。"),
    ("W110", "累计的限额随每次就诊变化", "a running limit computed from one claim's amounts",
     "按次计算的限额写作 封顶线 每次 = …；年度或每次住院累计的限额用不随就诊变化的数值（参考值、参保人的字段）。"),
    # 起付线的界限与逐次减免, 费用限额的基数 (policylang/lower/deductibles.py)
    ("E070", "起付线的最低高于最高", "deductible floor above its ceiling", "最低不能高于最高：核对这两个金额。"),
    ("E071", "起付线的按次减免写了两种", "two kinds of per-admission deductible reduction",
     "每层只写一种按次减免：第 n 次（按首次起付线的比例）、逐次（按上一次的比例）或 每次递减（减一个金额）。"),
    ("E072", "费用限额按起付线以上部分，但没有起付线", "fee limit above a deductible the layer does not have",
     "为本层写 起付线，或去掉 按起付线以上部分。"),
    ("E073", "费用限额基数不一致", "fee limits on different bases",
     "同一层的费用限额都按累计费用，或都按起付线以上部分。"),
    ("W112", "起付线的界限用不上", "deductible bound without effect",
     "减免后的 最低/最高 写在 第 n 次 或 逐次 那一行，最低应低于它所限制的起付线。"),
    # named accumulators (累计 … · 计入 …), layer bases, year-to-date balances
    ("E078", "未声明的累计", "accumulator not declared",
     "在地区顶层先声明：累计 名称 年度（或 每次住院、按 某字段），再在起付线、封顶线、费用限额后写 计入 名称。"),
    ("E079", "累计范围不一致", "accumulator used with a different scope or period",
     "共用一个累计的起付线、封顶线、费用限额须与其声明的计算范围相同，使用它的方案须有相同的周期；不同范围请分别声明累计。"),
    ("E080", "累计用途不一致", "accumulator counts different things",
     "一个累计只计一种金额：起付线（个人负担的起付）、封顶线（基金已支付）或费用限额（进入的费用）；请为另一种用途另声明一个累计。"),
    ("E081", "基数无法确定", "layer base cannot be had",
     "基数 超过上一层封顶线的部分 只能写在按 比例 或 分段 支付且有 封顶线 的层之后的层里。"),
    ("E082", "累计键字段未知", "unknown key field of a scope",
     "按 后面写一个已声明的字段或枚举（例如先写 字段 孕期号 文字 可选），每个不同的值单独累计。"),
    ("E083", "未知的累计名称", "unknown accumulator name in year-to-date totals",
     "已累计 里写已声明的累计名，或某层的 层名起付线、层名封顶线、层名费用限额（基本层为 起付线、封顶线、费用限额）。"),
    ("W114", "封顶线表未说明是否共用", "keyed cap table does not say whether its cells share one total",
     "在表后写 合并累计（各项共用一个累计，原来的默认）或 各自累计（每项单独累计）。"),
    ("W115", "累计未被使用", "accumulator declared but never used",
     "删除这条 累计 声明，或在起付线、封顶线、费用限额后写 计入 名称。"),
    # 枚举 X 增加 { … } (extending an imported enumeration) and typed conditions (年龄 >= 60 岁)
    ("E088", "要增加取值的枚举未定义", "no such enumeration to extend",
     "先 导入 定义该枚举的脚本（如 导入 \"enums\"），或核对枚举名称。"),
    ("E089", "枚举已有该取值", "value already in the enumeration", "删去已有的取值，只写新增的取值。"),
    ("E090", "表中两行的条件重叠", "two rows of a table overlap",
     "让同一字段的范围互不相交（如 年龄 < 70 岁 与 年龄 >= 70 岁），或给较窄的一行多加一个条件。"),
    ("E091", "此处不能写字段条件", "a condition on a typed field cannot stand here",
     "字段条件（如 年龄 >= 60 岁）写在方案、层的适用条件或费用表的行上；资助、判断 和这里只按枚举取值区分。"),
    ("W117", "括号紧贴名称，是名称的一部分", "brackets glued to a name are part of the name",
     "要写适用条件时，在“(”前加一个空格：方案 职工 (在职)；括号确是名称的一部分时可忽略。"),
)

# amounts already paid by other funds (扣除已付), the date that picks a version (版本 按), account parts
CODES.update(_codes(
    ("E084", "已付金额应为金额字段", "already-paid amount is not a money field",
     "先声明金额字段（字段 基本医保已支付 金额 默认 0 元），再写 扣除已付 基本医保已支付。"),
    ("E085", "已付金额重复扣除", "already-paid amount deducted twice",
     "每个已付金额在方案中只扣除一次；后面的层本来就在扣除之后剩下的金额上计算。"),
    ("E086", "版本日期应为日期字段", "version date is not a date field",
     "写 版本 按 入院日期 或 版本 按 出院日期，所按的字段须为 日期 类型。"),
    ("E087", "年度补助写法不对", "invalid year-end top-up",
     "写 年度补助 超过 政策范围内费用 20% 的部分 50%，放在方案的最后一层，且这一层不写起付线、封顶线和费用限额。"),
    ("W116", "个人账户支付的部分重叠", "personal-account parts overlap",
     "政策范围内个人自付 已包含起付线、乙类先行自付和先行自付；只写它，或只列出较窄的几项。"),
))


@attrs.frozen
class Diagnostic:
    """One finding: where, what (code + specific message) and, optionally, a help line."""

    severity: Severity
    code: str
    message: str
    span: Span | None
    help: str | None = None
    # Other places the finding points at, each with a label: ("首次定义在此 (first defined here)", span).
    related: tuple[tuple[str, Span], ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self) -> str:
        where = f"{self.span}: " if self.span else ""
        gloss = CODES[self.code].gloss
        return f"{where}{self.severity.value} {self.code} {self.message} ({gloss})"


def error(code: str, message: str, span: Span | None, help: str | None = None,
          related: tuple[tuple[str, Span], ...] = ()) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, span, help, related)


def warning(code: str, message: str, span: Span | None, help: str | None = None,
            related: tuple[tuple[str, Span], ...] = ()) -> Diagnostic:
    return Diagnostic(Severity.WARNING, code, message, span, help, related)


def display_width(text: str) -> int:
    """Terminal columns of text: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# An excerpt shows at most this many terminal columns of the source line (one 20k-character line must not
# be echoed once per error), and a file shows at most this many diagnostics before a "还有 N 个" line.
EXCERPT_WIDTH = 100
EXCERPT_BEFORE = 40
MAX_PER_FILE = 20


def _cut(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The part of a line to show around text[start:end]: (excerpt, caret pad, caret width), … where cut."""
    if display_width(text) <= EXCERPT_WIDTH:
        return text, display_width(text[:start].replace("\t", " ")), max(1, display_width(text[start:end]))
    end = min(end, start + EXCERPT_WIDTH // 2)
    a = start
    while a > 0 and display_width(text[a - 1:start]) <= EXCERPT_BEFORE:
        a -= 1
    b = end
    while b < len(text) and display_width(text[a:b + 1]) <= EXCERPT_WIDTH:
        b += 1
    while a > 0 and display_width(text[a - 1:b]) <= EXCERPT_WIDTH:
        a -= 1
    head, tail = ("…" if a > 0 else ""), ("…" if b < len(text) else "")
    pad = display_width(head + text[a:start].replace("\t", " "))
    return head + text[a:b] + tail, pad, max(1, display_width(text[start:end]))


def _excerpt(span: Span, sources: dict[str, Source]) -> list[str]:
    """The source line of span (or a bounded part of it) with a caret under it; nothing if not loaded."""
    src = sources.get(span.file)
    if src is None:
        return []
    text = src.line(span.line).rstrip("\n")
    gutter = " " * len(str(span.line))
    start = min(span.column - 1, len(text))
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    excerpt, pad, width = _cut(text, start, max(end, start + 1))
    return [f"{gutter} |", f"{span.line} | {excerpt}", f"{gutter} | {' ' * pad}{'^' * width}"]


def render(diag: Diagnostic, sources: dict[str, Source]) -> str:
    """The headline, the source line with a caret under the span, each related place, and a help line."""
    out = [diag.headline()]
    if diag.span:
        out += _excerpt(diag.span, sources)
    for label, span in diag.related:
        out.append(f"  {label}: {span}")
        out += _excerpt(span, sources)
    hint = diag.help or CODES[diag.code].fix
    out.append(f"  提示: {hint}")
    return "\n".join(out)


def render_all(diags: Iterable[Diagnostic], sources: dict[str, Source]) -> str:
    """Every diagnostic, at most MAX_PER_FILE for each file; the rest are counted, not shown."""
    shown: list[str] = []
    per_file: dict[str, int] = {}
    hidden: dict[str, list[Diagnostic]] = {}
    for d in diags:
        file = d.span.file if d.span else ""
        per_file[file] = per_file.get(file, 0) + 1
        if per_file[file] > MAX_PER_FILE:
            hidden.setdefault(file, []).append(d)
        else:
            shown.append(render(d, sources))
    shown += [_hidden_line(file, ds) for file, ds in hidden.items()]
    return "\n\n".join(shown)


def _hidden_line(file: str, diags: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diags)
    warnings = len(diags) - errors
    where = f"{file}: " if file else ""
    if not warnings:
        return f"{where}还有 {errors} 个错误未显示 ({errors} more errors)"
    if not errors:
        return f"{where}还有 {warnings} 个警告未显示 ({warnings} more warnings)"
    return f"{where}还有 {errors} 个错误、{warnings} 个警告未显示 ({errors} more errors, {warnings} more warnings)"


def sort_key(d: Diagnostic) -> tuple:
    s = d.span
    return (s.file, s.line, s.column, d.code) if s else ("", 0, 0, d.code)


def did_you_mean(word: str, pool: list[str]) -> str | None:
    """The `help:` hint for a misspelt name: the closest of pool, if any is close enough."""
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.5)
    return f"是否想写“{close[0]}”？(did you mean {close[0]}?)" if close else None
