"""Shared test options and helpers: `--update-golden` regenerates the golden .expected files."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.resources import stdlib_dir


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden .expected files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def normalise(text: str) -> str:
    """Make output independent of where the checkout lives (the stdlib path appears in hints)."""
    return text.replace(str(stdlib_dir()), "<stdlib>")


def compare_golden(expected_file: Path, actual: str, update: bool) -> None:
    """Compare actual with the golden file, or rewrite it when --update-golden is given."""
    actual = normalise(actual)
    if update:
        expected_file.write_text(actual, encoding="utf-8")
        return
    assert expected_file.exists(), f"missing golden file {expected_file}; run pytest --update-golden"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.fixture
def script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a script into a fresh folder (the cwd, so display paths are short) and return its path."""
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "t.policy") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return Path(name)

    return write


def compile_text(text: str):
    """Compile a one-file region from text (a fresh temporary folder each call)."""
    import tempfile

    from policylang.api import compile_path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.policy"
        path.write_text(text, encoding="utf-8")
        return compile_path(path)


# A frozen copy of the first 随州 region (职工门诊统筹 only): the engine tests depend on its exact rules.
SUIZHOU = Path(__file__).parent / "fixtures" / "suizhou_outpatient"
