"""The layout is the pipeline: no import cycles, and every import goes from a stage to one it may read.

    source/diagnostics → syntax → resolve → lower → ir ← eval/inputs → api → batch/docs/tools → commands
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from import_graph import PACKAGE, cycles, import_graph, modules, stage

BASE = {"source", "diagnostics", "resources"}
FRONT = BASE | {"syntax", "resolve", "lower", "ir"}
BACK = FRONT | {"eval", "inputs", "api"}

# stage → the stages its modules may import (besides itself). The data the architecture page draws.
ALLOWED: dict[str, set[str]] = {
    "source": set(),
    "resources": set(),
    "diagnostics": {"source"},
    "ir": {"source", "diagnostics"},  # the contract: nothing from the front end or any backend
    "syntax": BASE,
    "resolve": BASE | {"syntax", "ir"},  # enumeration values resolve to ir.Enumeration
    "lower": BASE | {"syntax", "resolve", "ir"},
    "eval": {"source", "diagnostics", "ir"},  # backends read the IR only, never the parse tree
    "inputs": {"source", "diagnostics", "ir"},
    "api": FRONT | {"eval"},  # check_path: the front end composed; Regions for cross-region claims
    "batch": {"source", "diagnostics", "ir", "eval", "inputs", "api"},
    "tools": BACK | {"batch"},  # the pytest plugin runs each test block on the batch backend too
    "docs": BACK | {"tools"},  # pages show the history and coverage that tools compute
    "lsp": BACK | {"docs", "tools"},  # the editor's view: diagnostics, hover from the page model, test lens
    "commands": BACK | {"batch", "docs", "tools", "lsp"},
    "policylang": {"api"},  # the package face, lazily (module __getattr__)
}
LATER_THAN_IR = {"syntax", "resolve", "lower", "eval", "inputs", "api", "batch", "docs", "tools", "commands"}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_every_stage_is_listed(graph) -> None:
    assert {stage(m) for m in graph} <= set(ALLOWED), "a new stage: add it to ALLOWED and the architecture page"


def test_graph_sees_function_level_imports(graph) -> None:
    # the package face imports api only under TYPE_CHECKING and inside __getattr__; a graph that missed
    # nested imports would miss the cycles they make
    assert "policylang.api" in graph["policylang"]
    assert "policylang.tools.verify" in graph["policylang.commands.verify"]  # inside the command function


def test_no_import_cycles(graph) -> None:
    assert cycles(graph) == []


def test_cycle_detection_works() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_stages_import_only_earlier_stages(graph) -> None:
    bad = sorted(f"{m} → {t}" for m, targets in graph.items() for t in targets
                 if stage(t) != stage(m) and stage(t) not in ALLOWED[stage(m)])
    assert bad == []


def test_ir_imports_no_later_stage(graph) -> None:
    bad = sorted(f"{m} → {t}" for m, targets in graph.items() if stage(m) == "ir"
                 for t in targets if stage(t) in LATER_THAN_IR)
    assert bad == []
    assert not ALLOWED["ir"] & LATER_THAN_IR


def test_allowed_edges_have_no_cycle() -> None:
    stages = {s: {t for t in allowed if t != s} for s, allowed in ALLOWED.items()}
    assert cycles(stages) == []


@pytest.mark.parametrize(("module", "forbidden"), [
    ("policylang.ir", {"syntax", "resolve", "lower", "eval", "inputs", "api", "batch", "docs", "tools",
                       "commands"}),
    ("policylang.eval.settle", {"syntax", "resolve", "lower", "api", "batch", "docs", "tools", "commands"}),
    ("policylang", {"syntax", "resolve", "lower", "eval", "api", "commands"}),
])
def test_importing_a_stage_loads_no_later_stage(module: str, forbidden: set[str]) -> None:
    code = textwrap.dedent(f"""
        import sys, {module}
        print("\\n".join(m for m in sys.modules if m.startswith("policylang.")))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=PACKAGE.parent, check=True)
    loaded = {stage(m) for m in proc.stdout.split()}
    assert not loaded & forbidden, sorted(loaded & forbidden)


def test_package_face_is_lazy_but_complete() -> None:
    import policylang

    assert set(policylang.__all__) <= set(dir(policylang))
    assert policylang.check_path is policylang.api.check_path
    with pytest.raises(AttributeError):
        _ = policylang.no_such_name


def test_every_module_is_in_the_graph(graph) -> None:
    assert set(graph) == set(modules())


def test_architecture_page_names_every_stage() -> None:
    page = (PACKAGE.parent / "docs" / "architecture.rst").read_text(encoding="utf-8")
    face = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    for name in set(ALLOWED) - {"policylang", "resources"}:
        shown = f"``{name}/``" if (PACKAGE / name).is_dir() else f"``{name}``"
        assert shown in page, f"docs/architecture.rst does not show the stage {name}"
        assert name in face, f"the policylang/__init__.py docstring does not show the stage {name}"
