"""Page model → docutils nodes. Text from scripts only ever becomes Text nodes, so it is always escaped."""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes

from policylang.docs.blocks import Block, Bullets, Paragraph, Table
from policylang.docs.charts import ChartData
from policylang.docs.compare import Comparison
from policylang.docs.examples import WorkedExample
from policylang.docs.model import LayerPage, RegionPage, SchemePage

ChartUri = Callable[[ChartData, str], str]


class Sections:
    """Makes sections with stable ASCII ids, registered with the document so ids stay unique."""

    def __init__(self, document: nodes.document, prefix: str) -> None:
        self.document = document
        self.prefix = prefix

    def __call__(self, title: str, key: str, *children: nodes.Node) -> nodes.section:
        sec = nodes.section(ids=[f"{self.prefix}-{key}"])
        sec["names"].append(nodes.fully_normalize_name(f"{self.prefix} {title} {key}"))
        self.document.note_implicit_target(sec, sec)
        sec += nodes.title(title, title)
        sec.extend(children)
        return sec


def para(text: str, cls: str | None = None) -> nodes.paragraph:
    node = nodes.paragraph(text, text)
    if cls:
        node["classes"].append(cls)
    return node


def bullets(items: tuple[str, ...] | list[str], enumerated: bool = False) -> nodes.Element:
    lst = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".") if enumerated else nodes.bullet_list(bullet="-")
    for item in items:
        lst += nodes.list_item("", para(item))
    return lst


def table(t: Table) -> nodes.table:
    node = nodes.table(classes=["policy-table"])
    node += nodes.title(t.caption, t.caption)
    group = nodes.tgroup(cols=len(t.header))
    node += group
    for _ in t.header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(t.header)
    body = nodes.tbody()
    for r in t.rows:
        body += _row(r)
    group += head
    group += body
    return node


def _row(cells: tuple[str, ...]) -> nodes.row:
    row = nodes.row()
    for c in cells:
        row += nodes.entry("", para(c))
    return row


def block(b: Block) -> list[nodes.Node]:
    if isinstance(b, Table):
        return [table(b)]
    if isinstance(b, Paragraph):
        return [para(b.text)]
    if isinstance(b, Bullets):
        return [para(b.title), bullets(b.items)]
    return []


def layer(sec: Sections, page: LayerPage, key: str) -> nodes.section:
    body: list[nodes.Node] = [n for b in page.blocks for n in block(b)]
    if page.history:
        body += [para("历次调整："), bullets(page.history)]
    return sec(page.name, key, *body)


def chart(sec: Sections, data: ChartData, key: str, uri: ChartUri) -> nodes.section:
    fig = nodes.figure(classes=["policy-chart"])
    fig += nodes.image(uri=uri(data, key), alt=data.alt())
    fig += nodes.caption(data.title, data.title)
    text = [para("图的文字说明：", "policy-chart-text"), bullets([p.summary for p in data.panels])]
    return sec("支付示意图", key, fig, *text)


def example(sec: Sections, ex: WorkedExample, key: str) -> nodes.section:
    body: list[nodes.Node] = [para(f"参保人：{ex.person}"), *(para(n) for n in ex.notes), table(ex.table)]
    if ex.mismatches:
        warn = nodes.warning()
        warn += para("本算例的计算结果与脚本中写明的期望不一致，请经办人员核对：")
        warn += bullets(ex.mismatches)
        body.append(warn)
    for step in ex.steps:
        body += [para(f"{step.title}的计算过程："), bullets(step.lines, enumerated=True)]
    return sec(f"算例：{ex.title}", key, *body)


def scheme(sec: Sections, page: SchemePage, key: str, uri: ChartUri) -> nodes.section:
    body: list[nodes.Node] = [para(page.applies), para(f"费用与支付{page.period}"),
                              para(f"执行时间：{page.validity}。")]
    body += [para(n) for n in page.notes]
    if page.conditions:
        body += [para("享受待遇的条件与个人先行负担："), bullets(page.conditions)]
    if page.history:
        body += [para("条件的历次调整："), bullets(page.history)]
    body += [layer(sec, lp, f"{key}-layer{i + 1}") for i, lp in enumerate(page.layers)]
    if page.chart is not None and page.chart.panels:
        body.append(chart(sec, page.chart, f"{key}-chart", uri))
    elif page.chart_note:
        body.append(sec("支付示意图", f"{key}-chart", para(page.chart_note)))
    if page.examples:
        intro = para("以下算例取自本地区脚本中的测试，由结算程序在生成本页时按上述规则计算，并列出每一步。")
        exs = [example(sec, ex, f"{key}-ex{i + 1}") for i, ex in enumerate(page.examples)]
        body.append(sec("算例", f"{key}-examples", intro, *exs))
    return sec(page.name, key, *body)


def region(document: nodes.document, page: RegionPage, uri: ChartUri) -> nodes.section:
    sec = Sections(document, page.slug)
    intro = para(f"本页介绍{page.region}的医保待遇：谁能享受、起付线、报销比例、封顶线、何时生效，"
                 "并用实际算例说明费用怎么算。本页由政策脚本自动生成，数字与结算程序一致。")
    body: list[nodes.Node] = [intro, sec("适用范围", "who", bullets(page.coverage))]
    basis = [f"政策依据：{b}" for b in page.basis] or ["政策依据：脚本未写明"]
    basis += [f"执行时间：{page.validity}", f"金额计算到分，按“{page.rounding}”舍入。"]
    body.append(sec("政策依据与执行时间", "basis", bullets(basis)))
    if page.notes:
        body.append(sec("政策说明", "notes", *[para(n) for n in page.notes]))
    if page.assumptions:
        body.append(sec("假设", "assumptions", para("以下几点政策文件没有写明，本地区脚本按如下理解执行："),
                        bullets(page.assumptions)))
    body += [scheme(sec, s, f"scheme{i + 1}", uri) for i, s in enumerate(page.schemes)]
    for i, info in enumerate(page.sections):
        body.append(sec(info.title, f"info{i + 1}", *[n for b in info.blocks for n in block(b)]))
    if page.other_examples:
        exs = [example(sec, ex, f"other{i + 1}") for i, ex in enumerate(page.other_examples)]
        body.append(sec("其他算例", "other-examples", *exs))
    return sec(f"{page.region}医保待遇", "page", *body)


def comparison(document: nodes.document, comp: Comparison) -> list[nodes.Node]:
    sec = Sections(document, "compare")
    out: list[nodes.Node] = [para(comp.intro)]
    for i, group in enumerate(comp.groups):
        out.append(sec(group.title, f"g{i + 1}", table(group.table)))
    return out
