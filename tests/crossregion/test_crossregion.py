"""就医地目录、参保地政策: a claim treated in another region uses that region's catalogue and this one's rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from policylang.api import Regions, check_path
from policylang.eval.settle import settle
from policylang.ir.claims import Claim, Item, Person

ROOT = Path(__file__).resolve().parents[2]


def _claim(place: str | None) -> Claim:
    facts = (("医院等级", "一级"), ("就医类型", "普通门诊"))
    if place:
        facts += (("就医地", place),)
    items = (Item("挂号费", "甲类", 1000), Item("阿莫西林", "甲类", 19000))
    return Claim(dt.date(2024, 3, 1), 20000, facts, 0, items)


def test_real_regions_compose_and_the_trace_names_both() -> None:
    beijing = ROOT / "regions" / "beijing"
    policy = check_path(beijing).policy
    person = Person("p", (("人员类别", "居民"), ("险种", "城乡居民医保")))
    (away,) = settle(policy, person, [_claim("广东省中山市某镇")], Regions.near(beijing))
    (home,) = settle(policy, person, [_claim(None)], Regions.near(beijing))
    assert (away.excluded, away.fund) == (1000, 9500)
    assert (home.excluded, home.fund) == (0, 10000)
    files = [t.origin.file for t in away.trace if t.origin]
    assert any("zhongshan-zhen" in f for f in files) and any("beijing" in f for f in files)
    exclusion = next(t for t in away.trace if "挂号费" in t.text)
    ratio = next(t for t in away.trace if t.text.startswith("适用比例"))
    assert "zhongshan-zhen" in exclusion.origin.file and "beijing" in ratio.origin.file


def test_folder_name_also_finds_the_place() -> None:
    beijing = ROOT / "regions" / "beijing"
    policy = check_path(beijing).policy
    person = Person("p", (("人员类别", "居民"), ("险种", "城乡居民医保")))
    (by_folder,) = settle(policy, person, [_claim("zhongshan-zhen")], Regions.near(beijing))
    assert by_folder.excluded == 1000


def test_unknown_place_is_refused_with_a_reason() -> None:
    beijing = ROOT / "regions" / "beijing"
    policy = check_path(beijing).policy
    person = Person("p", (("人员类别", "居民"), ("险种", "城乡居民医保")))
    (result,) = settle(policy, person, [_claim("火星")], Regions.near(beijing))
    assert result.fund == 0 and result.refused and "火星" in result.refused[0]
