"""One Sphinx build of the public site (随州 + a sample region) shared by every docs test."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "fixtures" / "sample"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    from policylang.docs.site import build_site

    out = tmp_path_factory.mktemp("site")
    result = build_site([ROOT / "regions" / "suizhou", SAMPLE], out)
    return result


@pytest.fixture(scope="session")
def suizhou_html(site) -> str:
    return (site.index.parent / "regions" / "suizhou.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_html(site) -> str:
    return (site.index.parent / "regions" / "sample.html").read_text(encoding="utf-8")
