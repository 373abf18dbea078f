"""Public documentation: region pages, comparison, charts and the Sphinx extension that renders them.

The pipeline: IR → page model of plain data (model.py, examples.py, charts.py) → docutils nodes
(render.py, used by the directives in sphinx_ext.py) → a static Sphinx site (site.py, command.py).
"""
