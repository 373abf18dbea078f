"""判断: yes/no rules over relations (家庭共济: may the account pay for this relative?), with the reason."""

from __future__ import annotations

import datetime as dt

import attrs

from policylang import ir
from policylang.eval.trace import TraceLine
from policylang.ir import terms


@attrs.frozen
class Answer:
    question: str
    allowed: bool
    reason: str
    trace: tuple[TraceLine, ...]


def ask(policy: ir.Policy, name: str, facts: ir.Facts, day: dt.date) -> Answer:
    """Answer a 判断 for the given facts on a day: the first allow rule in force that holds says yes."""
    q = next(q for q in policy.questions if q.name == name)
    merged = {**policy.defaults(), **facts}
    for allow in q.allows:
        if terms.applies(allow, merged, day):
            shown = "，".join(policy.describe(c) for c in allow.when)
            return Answer(name, True, f"允许：{shown}", (TraceLine(f"{q.name}：{shown}，允许", allow.origin),))
    reason = q.otherwise or "不符合任何允许的情形"
    return Answer(name, False, reason, (TraceLine(f"{q.name}：{reason}", q.origin),))
