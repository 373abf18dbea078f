"""Nothing internal reaches a citizen: the 说明 and 假设 of every region speak of the policy, never of the
project's files or its source material (the words below are the project's, not the policy's)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policylang.api import check_path

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(r"DOMAIN\.md|DESIGN\.md|STYLE\.md|种子|\bseed\b")


def _texts(policy) -> list[str]:
    out = [*policy.notes, *policy.assumptions]
    for scheme in policy.schemes:
        out += scheme.notes
        for layer in scheme.layers:
            out += layer.notes
    return out


@pytest.mark.parametrize("region", sorted(p for p in (ROOT / "regions").iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_region_notes_speak_of_the_policy(region):
    policy = check_path(region).policy
    assert policy is not None
    assert [t for t in _texts(policy) if INTERNAL.search(t)] == []


# The theme's own English words; a citizen's page shows none of them (the sidebar, search box and footer
# come from Chinese templates in policylang/docs/templates).
THEME_ENGLISH = re.compile(r"Related Topics|Documentation overview|placeholder=\"Search\"|Powered by|>Go<|"
                           r"value=\"Go\"|Quick search|Previous:|Next:")


def test_the_site_chrome_is_chinese(site) -> None:
    root = site.index.parent
    pages = [root / "index.html", root / "search.html", root / "regions" / "suizhou.html",
             root / "regions" / "comparison.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not THEME_ENGLISH.findall(html), (page.name, THEME_ENGLISH.findall(html))
    suizhou = (root / "regions" / "suizhou.html").read_text(encoding="utf-8")
    assert "相关页面" in suizhou and 'aria-label="搜索本站"' in suizhou
