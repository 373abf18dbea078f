"""The site's Chinese search: jieba's dictionary, a working JS stemmer, and an index that carries no markup.

Sphinx 9.0's Chinese search ends language_data.js with ``window.Stemmer = ChineseStemmer;`` but ships the
English Snowball stemmer (the Python side stems Latin words with it), which defines ``EnglishStemmer``:
the browser stops on a ReferenceError and every query finds nothing (sphinx-doc/sphinx#14229, fixed
upstream by deriving the class name from the stemmer file). ``ChineseSearch`` inlines the same stemmer
under its real name, so the browser and the index agree, with or without the upstream fix.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

# Words the Chinese search must keep whole (jieba would split 封顶线 into 封顶 + 线), besides the keywords.
SEARCH_TERMS = ("封顶线", "起付线", "起付标准", "报销比例", "支付比例", "统筹支付", "个人自付", "个人负担", "统筹基金",
                "大病保险", "医疗救助", "门诊统筹", "普通门诊", "门诊慢特病", "政策范围内费用", "最高支付限额",
                "职工医保", "城乡居民医保", "基本医保", "医院等级", "人员类别", "社保年度", "自然年度", "算例")

# Used only when Sphinx no longer ships the minified stemmers: Chinese words are never stemmed anyway.
_IDENTITY_STEMMER = "window.Stemmer = function () { this.stemWord = function (w) { return w; }; };"


def _minified(name: str) -> Path:
    import sphinx.search

    return Path(sphinx.search.__file__).parent / "minified-js" / name


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search with a JS stemmer that exists (see the module docstring)."""

    js_stemmer_rawcode = ""  # inlined below instead of copied, so the global name is ours to choose

    @property
    def js_stemmer_code(self) -> str:  # type: ignore[override]
        base, english = _minified("base-stemmer.js"), _minified("english-stemmer.js")
        if not (base.is_file() and english.is_file()):
            return _IDENTITY_STEMMER
        return "\n".join((base.read_text(encoding="utf-8"), english.read_text(encoding="utf-8"),
                          "window.Stemmer = EnglishStemmer;"))


def quiet_jieba() -> None:
    """jieba (Chinese word splitting for search) logs its dictionary loading at DEBUG on import."""
    import logging as std_logging

    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(std_logging.WARNING)


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


# JSON never has <, > or & outside strings, so escaping them everywhere keeps the index equal as data.
_MARKUP_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def escape_search_index(app: Sphinx, exception: Exception | None) -> None:
    """Write searchindex.js with <, > and & as JSON escapes: titles from scripts stay data in any reader."""
    if exception is not None or app.builder.format != "html":
        return
    index = Path(app.outdir) / "searchindex.js"
    if index.is_file():
        text = index.read_text(encoding="utf-8")
        escaped = text.translate(_MARKUP_ESCAPES)
        if escaped != text:
            index.write_text(escaped, encoding="utf-8")
