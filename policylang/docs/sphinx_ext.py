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
import re
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
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
from policylang.docs.search import ChineseSearch, escape_search_index, quiet_jieba, search_dictionary
from policylang.resolve.confine import name_problem, printable
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
        return self.region(self.resolve(self.arguments[0]), "no-charts" not in self.options)

    def region(self, path: Path, charts: bool) -> list[nodes.Node]:
        checked = self.checked(path)
        if checked is None:
            return [render.para(f"地区 {printable(path.name)} 的脚本有错误，页面未生成。")]
        page = region_page(checked.policy, checked.compiled.tests, slug_for(path), charts, Regions.near(path))
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
        return self.comparison(region_dirs([self.resolve(a) for a in self.arguments]))

    def comparison(self, paths: list[Path]) -> list[nodes.Node]:
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
# The stubs written into the sources hold only page names (ASCII slugs), never a path or a script's text:
# the directives below look the region folders up in env.policylang_pages and build every node themselves.
_PAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9-]*)*\Z")


def generated_pages(paths: list[Path]) -> tuple[dict[str, Path], list[str]]:
    """Page name → region folder for the configured paths, and a message for each folder refused by name."""
    pages: dict[str, Path] = {}
    refused: list[str] = []
    for region in region_dirs(paths):
        if (problem := name_problem(region.name)) is not None:
            refused.append(f"地区目录名“{printable(region.name)}”{problem}，未生成页面 "
                           "(region folder name contains control or invisible characters; page skipped)")
            continue
        slug = slug_for(region)
        while slug in pages or slug in ("index", "comparison"):
            slug += "-2"
        assert _PAGE_NAME.match(slug), slug
        pages[slug] = region
    return pages, refused


def _titled_toctree(directive: Directive, key: str, title: str, intro: str | None,
                    entries: list[str]) -> list[nodes.Node]:
    """A page's title section with an optional intro and a toctree of validated page names."""
    sec = render.Sections(directive.state.document, key)(title, "page")
    if intro:
        sec += render.para(intro)
    toc = [".. toctree::", "   :maxdepth: 2", "", *(f"   {e}" for e in entries if _PAGE_NAME.match(e))]
    directive.state.nested_parse(StringList(toc, source="policylang"), directive.content_offset, sec)
    return [sec]


class _GeneratedDirective(_PolicyDirective):
    required_arguments = 0
    optional_arguments = 1000
    final_argument_whitespace = False
    option_spec: ClassVar[dict] = {}

    def pages(self) -> dict[str, Path]:
        return {k: Path(v) for k, v in getattr(self.env, "policylang_pages", {}).items()}


class GeneratedRegionDirective(_GeneratedDirective, RegionDirective):
    """.. policy-generated-region:: PAGE — the page of a region found under policylang_regions."""

    def run(self) -> list[nodes.Node]:
        path = self.pages().get(self.arguments[0]) if self.arguments else None
        if path is None:
            log.warning("未知的地区页面 (unknown generated region page)", location=self.get_location())
            return []
        return self.region(path, charts=True)


class GeneratedComparisonDirective(_GeneratedDirective, ComparisonDirective):
    """.. policy-generated-comparison:: PAGE… — the comparison of the generated regions."""

    def run(self) -> list[nodes.Node]:
        pages = self.pages()
        sec = render.Sections(self.state.document, "compare")("各地区对比", "page")
        sec.extend(self.comparison([pages[a] for a in self.arguments if a in pages]))
        return [sec]


class GeneratedIndexDirective(_GeneratedDirective):
    """.. policy-generated-index:: PAGE… — the regions' index: policylang_index_title and a toctree."""

    def run(self) -> list[nodes.Node]:
        title = self.env.config.policylang_index_title
        return _titled_toctree(self, "regions", title, None, [*self.arguments, "comparison"])


class SiteIndexDirective(_GeneratedDirective):
    """.. policy-site-index:: — the home page of `policylang doc`: policylang_site_title, intro, regions."""

    INTRO = ("本网站由各地区的医保政策脚本自动生成：每个地区一页，列出适用范围、起付线、报销比例、封顶线、"
             "执行时间与历次调整，并附有由结算程序算出的算例和支付示意图；最后一页把各地区的参数并列比较。")

    def run(self) -> list[nodes.Node]:
        title = self.env.config.policylang_site_title or self.env.config.project
        pages_dir = self.env.config.policylang_pages_dir
        return _titled_toctree(self, "site", title, self.INTRO, [f"{pages_dir}/index"])


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def region_stubs(app: Sphinx) -> None:
    """Write one stub page per region (and the comparison and index) into the sources before they are read."""
    paths = [Path(app.confdir, p).resolve() for p in app.config.policylang_regions]
    if not paths:
        return
    if not _PAGE_NAME.match(app.config.policylang_pages_dir):
        log.warning("policylang_pages_dir 只能含字母、数字、- 与 / (policylang_pages_dir must be a plain "
                    "relative folder name): %r", app.config.policylang_pages_dir)
        return
    pages, refused = generated_pages(paths)
    for message in refused:
        log.warning(message)
    app.env.policylang_pages = {slug: str(path) for slug, path in pages.items()}  # type: ignore[attr-defined]
    out = Path(app.srcdir, app.config.policylang_pages_dir)
    for slug in pages:
        _write_if_changed(out / f"{slug}.rst", f".. policy-generated-region:: {slug}\n")
    names = " ".join(pages)
    _write_if_changed(out / "comparison.rst", f".. policy-generated-comparison:: {names}\n")
    _write_if_changed(out / "index.rst", f".. policy-generated-index:: {names}\n")


def setup(app: Sphinx) -> dict:
    quiet_jieba()
    app.add_config_value("policylang_regions", [], "env")
    app.add_config_value("policylang_pages_dir", "regions", "env")
    app.add_config_value("policylang_index_title", "各地区医保待遇", "env")
    app.add_config_value("policylang_site_title", "", "env")
    app.add_directive("policy-region", RegionDirective)
    app.add_directive("policy-comparison", ComparisonDirective)
    app.add_directive("policy-keywords", KeywordsDirective)
    app.add_directive("policy-codes", CodesDirective)
    app.add_directive("policy-generated-region", GeneratedRegionDirective)
    app.add_directive("policy-generated-comparison", GeneratedComparisonDirective)
    app.add_directive("policy-generated-index", GeneratedIndexDirective)
    app.add_directive("policy-site-index", SiteIndexDirective)
    app.add_lexer("policy", PolicyLexer)
    app.add_search_language(ChineseSearch)
    app.connect("builder-inited", region_stubs)
    app.connect("config-inited", search_dictionary)
    app.connect("build-finished", escape_search_index)
    app.connect("build-finished", calculator.copy_static)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
