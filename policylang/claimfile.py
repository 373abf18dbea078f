"""Read a claim file (JSON) into a Person and Claims, validating every field against the policy."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from policylang import ir
from policylang.claims import Claim, Person, facts
from policylang.diagnostics import Diagnostic, error
from policylang.jsonpos import JsonError, loads
from policylang.loader import display_path
from policylang.names import did_you_mean
from policylang.parser import parse_date
from policylang.source import Source, Span
from policylang.units import to_fen

PERSON_KEY, CLAIMS_KEY = "参保人", "就诊"
MAX_YUAN_DIGITS = 15


@attrs.frozen
class ClaimFile:
    source: Source
    person: Person | None
    claims: tuple[Claim, ...]
    diagnostics: tuple[Diagnostic, ...]


def parse_amount(value: Any) -> int | None:
    """A yuan amount given as a string or number, to 分; None if not a non-negative amount in whole 分."""
    if isinstance(value, bool) or not isinstance(value, str | Decimal | int):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    # beyond 10^15 元 an amount is a typo, and Decimal arithmetic would overflow or round it
    if not number.is_finite() or number < 0 or number.adjusted() > MAX_YUAN_DIGITS:
        return None
    return to_fen(number)


class _Reader:
    def __init__(self, policy: ir.Policy, source: Source, positions: dict) -> None:
        self.policy = policy
        self.source = source
        self.positions = positions
        self.diags: list[Diagnostic] = []
        self.enums = {e.name: e for e in policy.enums}

    def span(self, path: tuple) -> Span:
        pos = self.positions.get(path, 0)
        line = self.source.text.count("\n", 0, pos) + 1
        column = pos - (self.source.text.rfind("\n", 0, pos) + 1) + 1
        return Span.point(self.source.path, line, column)

    def fail(self, code: str, message: str, path: tuple, hint: str | None = None) -> None:
        self.diags.append(error(code, message, self.span(path), hint))

    def enum_facts(self, obj: dict, path: tuple, allowed: set[str]) -> dict[str, str]:
        out = {}
        for key, value in obj.items():
            if key in allowed:
                continue
            enum = self.enums.get(key)
            if enum is None:
                pool = [*self.enums, *allowed]
                self.fail("E015", f"未知字段“{key}”", (*path, key), did_you_mean(key, pool))
            elif not isinstance(value, str) or value not in enum.values:
                self.fail("E007", f"“{value}”不是{key}的取值", (*path, key),
                          did_you_mean(str(value), list(enum.values)) or f"{key} 的取值：{'、'.join(enum.values)}")
            else:
                out[key] = value
        return out

    def person(self, obj: Any) -> Person | None:
        path = (PERSON_KEY,)
        if not isinstance(obj, dict):
            self.fail("E030", "“参保人”应为对象，例如 {\"险种\": \"职工医保\"}", path)
            return None
        pid = obj.get("参保人ID", "参保人")
        return Person(str(pid), facts(self.enum_facts(obj, path, {"参保人ID"})))

    def claim(self, obj: Any, index: int) -> Claim | None:
        path = (CLAIMS_KEY, index)
        if not isinstance(obj, dict):
            self.fail("E030", f"第 {index + 1} 条就诊应为对象", path)
            return None
        day = amount = None
        for key in ("日期", "费用"):
            if key not in obj:
                self.fail("E031", f"第 {index + 1} 条就诊缺少“{key}”", path)
        if "日期" in obj:
            day = parse_date(obj["日期"]) if isinstance(obj["日期"], str) else None
            if day is None:
                self.fail("E011", f"日期无效：{obj['日期']!s}", (*path, "日期"), "日期写作 2024-01-01")
        if "费用" in obj:
            amount = parse_amount(obj["费用"])
            if amount is None:
                self.fail("E012", f"费用无效：{obj['费用']!s}（应为不小于 0、最多两位小数的金额）", (*path, "费用"))
        claim_facts = self.enum_facts(obj, path, {"日期", "费用"})
        if day is None or amount is None:
            return None
        return Claim(day, amount, facts(claim_facts), index, self.span(path))


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
        line = text.count("\n", 0, e.pos) + 1
        col = e.pos - (text.rfind("\n", 0, e.pos) + 1) + 1
        return ClaimFile(source, None, (), (error("E030", f"JSON 格式错误：{e}", Span.point(shown, line, col)),))
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
    claims = [c for i, obj in enumerate(raw_claims) if (c := reader.claim(obj, i))]
    return ClaimFile(source, person, tuple(claims), tuple(reader.diags))
