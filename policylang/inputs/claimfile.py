"""Read a claim file (JSON) into a Person and Claims, validating every field against the policy."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from pathlib import Path
from typing import Any

import attrs

from policylang import ir
from policylang.diagnostics import Diagnostic, did_you_mean, error
from policylang.inputs.cells import MAX_AMOUNT_FEN, person_id
from policylang.inputs.factvalues import AMOUNT_HELP, as_date, parse_amount, parse_fact
from policylang.inputs.jsonpos import JsonError, loads
from policylang.ir.balances import targets
from policylang.ir.claims import CLASSES, Claim, Item, Person, facts
from policylang.source import Source, Span, display_path

PERSON_KEY, CLAIMS_KEY = "参保人", "就诊"
OPENING_KEY, AS_OF_KEY = "已累计", "截至"  # year-to-date totals on the person, and the date they stand at


@attrs.frozen
class ClaimFile:
    source: Source
    person: Person | None
    claims: tuple[Claim, ...]
    diagnostics: tuple[Diagnostic, ...]


class LineIndex:
    """Offsets to (line, column) by binary search over the line starts: linear in the file, so a claim
    file of a million claims is not read in quadratic time (each claim's span used to count newlines
    from the start of the file)."""

    def __init__(self, text: str) -> None:
        self.starts = array("q", [0])
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def point(self, path: str, pos: int) -> Span:
        line = bisect_right(self.starts, pos)
        return Span.point(path, line, pos - self.starts[line - 1] + 1)


class _Reader:
    def __init__(self, policy: ir.Policy, source: Source, positions: dict) -> None:
        self.policy = policy
        self.source = source
        self.positions = positions
        self.lines = LineIndex(source.text)
        self.diags: list[Diagnostic] = []

    def span(self, path: tuple) -> Span:
        return self.lines.point(self.source.path, self.positions.get(path, 0))

    def fail(self, code: str, message: str, path: tuple, hint: str | None = None) -> None:
        self.diags.append(error(code, message, self.span(path), hint))

    def typed_facts(self, obj: dict, path: tuple, allowed: set[str]) -> dict[str, ir.Fact]:
        out: dict[str, ir.Fact] = {}
        for key, value in obj.items():
            if key in allowed:
                continue
            parsed, code, message, hint = parse_fact(self.policy, key, value)
            if code is not None:
                self.fail(code, message or "", (*path, key), hint)
            elif parsed is not None:
                out[key] = parsed
        return out

    def person(self, obj: Any) -> Person | None:
        path = (PERSON_KEY,)
        if not isinstance(obj, dict):
            self.fail("E030", "“参保人”应为对象，例如 {\"险种\": \"职工医保\"}", path)
            return None
        pid = person_id(obj.get("参保人ID", "参保人")) or "参保人"
        person = Person(pid, facts(self.typed_facts(obj, path, {"参保人ID", OPENING_KEY, AS_OF_KEY})))
        return self.opening(person, obj, path)

    def opening(self, person: Person, obj: dict, path: tuple) -> Person:
        """已累计 {"起付线": "800", "救助限额": "10000"} and 截至 "2024-06-30": year-to-date totals (ir.balances)."""
        raw = obj.get(OPENING_KEY)
        if raw is None:
            return person
        if not isinstance(raw, dict):
            self.fail("E030", "“已累计”应为对象，例如 {\"起付线\": \"800\"}", (*path, OPENING_KEY))
            return person
        names = targets(self.policy)
        found = []
        for name, value in raw.items():
            where = (*path, OPENING_KEY, name)
            amount = parse_amount(value)
            if name not in names:
                self.fail("E083", f"没有名为“{name}”的年度累计", where, did_you_mean(name, sorted(names)))
            elif amount is None:
                self.fail("E012", f"已累计金额无效：{value!s}（{AMOUNT_HELP}）", where)
            else:
                found.append((name, amount))
        day = None
        if AS_OF_KEY in obj:
            day = as_date(obj[AS_OF_KEY])
            if day is None:
                self.fail("E011", f"日期无效：{obj[AS_OF_KEY]!s}", (*path, AS_OF_KEY), "日期写作 2024-01-01")
        return attrs.evolve(person, opening=tuple(found), opening_date=day)

    def items(self, raw: Any, path: tuple) -> list[Item] | None:
        if not isinstance(raw, list):
            self.fail("E030", "“明细”应为数组：[{\"名称\": …, \"类别\": \"甲类\", \"金额\": \"10\"}]", path)
            return None
        out = []
        for i, obj in enumerate(raw):
            where = (*path, i)
            if not isinstance(obj, dict) or not {"名称", "类别", "金额"} <= set(obj):
                self.fail("E031", "每条明细都要有 名称、类别、金额", where)
                continue
            amount = parse_amount(obj["金额"])
            if amount is None:
                self.fail("E012", f"明细金额无效：{obj['金额']!s}", (*where, "金额"))
                continue
            if obj["类别"] not in CLASSES:
                self.fail("E038", f"“{obj['类别']}”不是目录类别（{'、'.join(CLASSES)}）", (*where, "类别"))
                continue
            out.append(Item(str(obj["名称"]), obj["类别"], amount))
        return out if len(out) == len(raw) else None

    def claim(self, obj: Any, index: int) -> Claim | None:
        path = (CLAIMS_KEY, index)
        if not isinstance(obj, dict):
            self.fail("E030", f"第 {index + 1} 条就诊应为对象", path)
            return None
        day = amount = None
        items: list[Item] | None = []
        if "日期" not in obj:
            self.fail("E031", f"第 {index + 1} 条就诊缺少“日期”", path)
        if "费用" not in obj and "明细" not in obj:
            self.fail("E031", f"第 {index + 1} 条就诊缺少“费用”（或“明细”）", path)
        if "日期" in obj:
            day = as_date(obj["日期"])
            if day is None:
                self.fail("E011", f"日期无效：{obj['日期']!s}", (*path, "日期"), "日期写作 2024-01-01")
        if "明细" in obj:
            items = self.items(obj["明细"], (*path, "明细"))
            amount = sum(i.amount for i in items) if items is not None else None
            if amount is not None and amount > MAX_AMOUNT_FEN:
                self.fail("E012", f"第 {index + 1} 条就诊的明细合计超过 10 亿元 (itemised total too large)",
                          (*path, "明细"))
                amount = None
        if "费用" in obj:
            fee = parse_amount(obj["费用"])
            if fee is None:
                self.fail("E012", f"费用无效：{obj['费用']!s}（{AMOUNT_HELP}）", (*path, "费用"))
            elif amount is not None and "明细" in obj and fee != amount:
                self.fail("E056", f"费用 {obj['费用']} 与明细合计不符", (*path, "费用"))
            amount = fee if "明细" not in obj else amount
        claim_facts = self.typed_facts(obj, path, {"日期", "费用", "明细"})
        if day is None or amount is None or items is None:
            return None
        return Claim(day, amount, facts(claim_facts), index, tuple(items), origin=self.span(path))


def read_claims(path: Path, policy: ir.Policy) -> ClaimFile:
    shown = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        src = Source(shown, "")
        return ClaimFile(src, None, (), (error("E018", f"文件无法读取：{shown}（{type(e).__name__}）", None),))
    source = Source(shown, text)
    try:
        data, positions = loads(text)
    except JsonError as e:
        where = LineIndex(text).point(shown, e.pos)
        return ClaimFile(source, None, (), (error("E030", f"JSON 格式错误：{e}", where),))
    reader = _Reader(policy, source, positions)
    if not isinstance(data, dict):
        reader.fail("E030", "理赔文件应为对象：{\"参保人\": {…}, \"就诊\": […]}", ())
        return ClaimFile(source, None, (), tuple(reader.diags))
    for key in data:
        if key not in (PERSON_KEY, CLAIMS_KEY):
            reader.fail("E015", f"未知字段“{key}”", (key,), did_you_mean(key, [PERSON_KEY, CLAIMS_KEY]))
    person = reader.person(data.get(PERSON_KEY, {}))
    raw_claims = data.get(CLAIMS_KEY, [])
    if not isinstance(raw_claims, list):
        reader.fail("E030", "“就诊”应为数组", (CLAIMS_KEY,))
        raw_claims = []
    claims = []
    for i in range(len(raw_claims)):  # each parsed claim is released once read: the peak is one copy, not two
        obj, raw_claims[i] = raw_claims[i], None
        if (c := reader.claim(obj, i)) is not None:
            claims.append(c)
    return ClaimFile(source, person, tuple(claims), tuple(reader.diags))
