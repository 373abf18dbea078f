"""Sphinx extension: directives that render regions, the comparison, and the reference's generated lists.

Use it in any Sphinx site (``extensions = ["policylang.docs.sphinx_ext"]``)::

    .. policy-region:: ../regions/suizhou
    .. policy-comparison:: ../regions
    .. policy-keywords::
    .. policy-codes::

or set ``policylang_regions = ["../regions"]`` in conf.py to generate one page per region (plus a
comparison page) under ``policylang_pages_dir`` at build time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx
from sphinx.util import logging

from policylang.api import Checked, Regions, check_path
from policylang.diagnostics import CODES, render_all
from policylang.docs import calculator, render
from policylang.docs.blocks import Table
from policylang.docs.charts import ChartData, draw_svg
from policylang.docs.compare import comparison
from policylang.docs.lexer import PolicyLexer
from policylang.docs.model import region_page, slug_for
from policylang.resolve.loader import region_dirs

log = logging.getLogger(__name__)


class _PolicyDirective(Directive):
    @property
    def env(self):
        return self.state.document.settings.env

    def resolve(self, arg: str) -> Path:
        """A path relative to the current document's folder, as include:: takes it; absolute as is."""
        base = Path(self.env.doc2path(self.env.docname)).parent
        return (base / arg).resolve()

    def checked(self, path: Path) -> Checked | None:
        checked = check_path(path)
        for name in checked.unit.sources:
            self.env.note_dependency(os.path.abspath(name))
        if checked.policy is None:
            errors = [d for d in checked.diagnostics if d.is_error]
            log.warning("地区脚本有错误，页面未生成 (region does not compile): %s\n%s", path,
                        render_all(errors, checked.unit.sources), location=self.get_location())
            return None
        return checked

    def get_location(self) -> str:
        source, line = self.state_machine.get_source_and_line(self.lineno)
        return f"{source}:{line}"

    def chart_uri(self, data: ChartData, key: str) -> str:
        """Draw the chart under the doctree dir (never into the sources) and point the image at it."""
        digest = hashlib.sha1(repr(data).encode()).hexdigest()[:12]
        target = Path(self.env.doctreedir) / "policylang-charts" / f"{key}-{digest}.svg"
        if not target.exists():
            draw_svg(data, target)
        base = Path(self.env.doc2path(self.env.docname)).parent
        return os.path.relpath(target, base).replace(os.sep, "/")


class RegionDirective(_PolicyDirective):
    """.. policy-region:: PATH — the public page of one region."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict] = {"no-charts": directives.flag}

    def run(self) -> list[nodes.Node]:
        path = self.resolve(self.arguments[0])
        checked = self.checked(path)
        if checked is None:
            return [render.para(f"地区 {path.name} 的脚本有错误，页面未生成。")]
        page = region_page(checked.policy, checked.compiled.tests, slug_for(path), "no-charts" not in self.options,
                           Regions.near(path))
        for scheme in page.schemes:
            for ex in scheme.examples:
                if ex.mismatches:
                    log.warning("算例“%s”与脚本期望不一致 (worked example disagrees with the script): %s",
                                ex.title, "；".join(ex.mismatches), location=self.get_location())
        sec = render.region(self.state.document, page, self.chart_uri)
        sec.insert(2, calculator.section(self.state.document, checked.policy, checked.compiled.tests))  # after the intro
        return [sec]


class ComparisonDirective(_PolicyDirective):
    """.. policy-comparison:: PATH… — every region's parameters side by side."""

    required_arguments = 1
    optional_arguments = 100

    def run(self) -> list[nodes.Node]:
        paths = region_dirs([self.resolve(a) for a in self.arguments])
        policies = [c.policy for p in paths if (c := self.checked(p)) is not None]
        return render.comparison(self.state.document, comparison(policies))


class _ReferenceDirective(_PolicyDirective):
    def source_text(self) -> str:
        return "\n".join(self.state_machine.input_lines.data)

    def missing(self, words: list[str], what: str) -> None:
        if words:
            log.warning("语言参考缺少%s的说明 (undocumented %s): %s", what, what, "、".join(words),
                        location=self.get_location())


class KeywordsDirective(_ReferenceDirective):
    """.. policy-keywords:: — every keyword of the grammar, with the constructs that use it."""

    def run(self) -> list[nodes.Node]:
        from policylang.docs.keywords import keyword_rules

        uses = keyword_rules()
        rows = tuple((kw, "、".join(rules)) for kw, rules in sorted(uses.items()))
        text = self.source_text()
        self.missing([kw for kw in uses if f"``{kw}``" not in text], "关键字")
        return [render.table(Table("全部关键字（由语法文件生成）", ("关键字", "所在语法规则"), rows))]


class CodesDirective(_ReferenceDirective):
    """.. policy-codes:: — the diagnostics catalogue, from policylang.diagnostics.CODES."""

    def run(self) -> list[nodes.Node]:
        rows = tuple((c.code, c.title, c.gloss, c.fix) for c in CODES.values())
        text = self.source_text()
        self.missing([code for code in CODES if f"错误写法（{code}" not in text], "诊断代码")
        return [render.table(Table("全部诊断代码", ("代码", "含义", "English", "怎样改"), rows))]


# ---- generated region pages ----------------------------------------------------------------------
def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def region_stubs(app: Sphinx) -> None:
    """Write one stub page per region (and the comparison) into the sources before they are read."""
    paths = [Path(app.confdir, p).resolve() for p in app.config.policylang_regions]
    if not paths:
        return
    out = Path(app.srcdir, app.config.policylang_pages_dir)
    regions = region_dirs(paths)
    slugs: list[str] = []
    for region in regions:
        slug = slug_for(region)
        while slug in slugs:
            slug += "-2"
        slugs.append(slug)
        _write_if_changed(out / f"{slug}.rst", f".. policy-region:: {region.as_posix()}\n")
    args = " ".join(r.as_posix() for r in regions)
    _write_if_changed(out / "comparison.rst", f"各地区对比\n{'=' * 20}\n\n.. policy-comparison:: {args}\n")
    toc = "\n".join(f"   {s}" for s in [*slugs, "comparison"])
    title = app.config.policylang_index_title
    _write_if_changed(out / "index.rst", f"{title}\n{'=' * 40}\n\n.. toctree::\n   :maxdepth: 2\n\n{toc}\n")


def _quiet_jieba() -> None:
    """jieba (Chinese word splitting for search) logs its dictionary loading at DEBUG on import."""
    import logging as std_logging

    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(std_logging.WARNING)


# Words the Chinese search must keep whole (jieba would split 封顶线 into 封顶 + 线), besides the keywords.
SEARCH_TERMS = ("封顶线", "起付线", "起付标准", "报销比例", "支付比例", "统筹支付", "个人自付", "个人负担", "统筹基金",
                "大病保险", "医疗救助", "门诊统筹", "普通门诊", "门诊慢特病", "政策范围内费用", "最高支付限额",
                "职工医保", "城乡居民医保", "基本医保", "医院等级", "人员类别", "社保年度", "自然年度", "算例")


def search_dictionary(app: Sphinx, config) -> None:
    """Give Sphinx's Chinese search (jieba) the language's keywords and the domain's terms as whole words."""
    if not str(config.language or "").startswith("zh") or "dict" in config.html_search_options:
        return
    from policylang.syntax.parser import keywords

    words = dict.fromkeys([*SEARCH_TERMS, *(k for k in keywords() if len(k) > 1)])
    path = Path(app.doctreedir) / "policylang-search-dict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w} 1000 n\n" for w in words), encoding="utf-8")
    config.html_search_options = {**config.html_search_options, "dict": str(path)}


def setup(app: Sphinx) -> dict:
    _quiet_jieba()
    app.add_config_value("policylang_regions", [], "env")
    app.add_config_value("policylang_pages_dir", "regions", "env")
    app.add_config_value("policylang_index_title", "各地区医保待遇", "env")
    app.add_directive("policy-region", RegionDirective)
    app.add_directive("policy-comparison", ComparisonDirective)
    app.add_directive("policy-keywords", KeywordsDirective)
    app.add_directive("policy-codes", CodesDirective)
    app.add_lexer("policy", PolicyLexer)
    app.connect("builder-inited", region_stubs)
    app.connect("config-inited", search_dictionary)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
