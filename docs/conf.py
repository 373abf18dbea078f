"""Sphinx configuration of the officers' site: language reference, tutorial and every region's page.

Build: ``.venv/bin/sphinx-build -W docs docs/_build/site`` (or ``make docs``). The region pages are not
sources: the policylang extension generates them from ``regions/`` at build time (into ``docs/regions/``,
which git ignores).
"""

project = "policylang"
author = "policylang"
language = "zh_CN"
extensions = ["policylang.docs.sphinx_ext"]
policylang_regions = ["../regions"]
policylang_pages_dir = "regions"
html_title = "policylang 医保待遇规则语言"
html_search_language = "zh"
html_theme = "alabaster"
html_theme_options = {"page_width": "1180px", "sidebar_width": "230px"}
html_static_path = ["_static"]
html_show_sourcelink = False
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
