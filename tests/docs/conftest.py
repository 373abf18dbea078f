"""One Sphinx build of the public site shared by every docs test: 随州, a sample region, a region whose
texts are markup (to show they stay text) and every vocabulary example (each primitive rendered once)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "fixtures" / "sample"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
VOCABULARY = sorted(p for p in (ROOT / "tests" / "vocabulary").iterdir() if p.is_dir())


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    from policylang.docs.site import build_site

    out = tmp_path_factory.mktemp("site")
    result = build_site([ROOT / "regions" / "suizhou", SAMPLE, HOSTILE, *VOCABULARY], out)
    return result


@pytest.fixture(scope="session")
def suizhou_html(site) -> str:
    return (site.index.parent / "regions" / "suizhou.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_html(site) -> str:
    return (site.index.parent / "regions" / "sample.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def page_html(site):
    """The HTML of a region page by its slug (a vocabulary folder's name)."""

    from policylang.docs.model import slug_for

    def read(name: str) -> str:
        slug = slug_for(ROOT / "tests" / "vocabulary" / name) if "_" in name else name
        return (site.index.parent / "regions" / f"{slug}.html").read_text(encoding="utf-8")

    return read
