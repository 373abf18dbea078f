"""What the vectorised kernel implements: a scheme it cannot run (an unknown IR field, a cap combination
without a closed form) is settled by the scalar evaluator, and the summary says so."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TypeVar

import attrs

from policylang import ir
from policylang.eval.accumulators import running_scope
from policylang.ir.rounding import MODES

# Every IR class and field the kernel reads (or knows it may ignore). Anything else → scalar fallback.
KNOWN: dict[type, frozenset[str]] = {
    ir.Scheme: frozenset({"name", "when", "period", "layers", "catalogue", "first_pays", "requirements", "start",
                          "end", "notes", "origin"}),
    ir.Layer: frozenset({"name", "when", "deductible", "ratio", "brackets", "fixed", "caps", "allowance", "notes",
                         "origin"}),
    ir.Deductible: frozenset({"scope", "param", "waivers", "shared"}),
    ir.Waiver: frozenset({"when", "start", "end", "origin"}),
    ir.Ratio: frozenset({"param", "adjustments"}),
    ir.Adjustment: frozenset({"when", "delta", "start", "end", "origin", "lower", "upper"}),
    ir.Brackets: frozenset({"param"}),
    ir.Fixed: frozenset({"param"}),
    ir.Cap: frozenset({"scope", "param"}),
    ir.Allowance: frozenset({"days", "additions", "per_count", "rate", "rate_origin"}),
    ir.DaysAddition: frozenset({"when", "days", "origin"}),
    ir.DaysPerCount: frozenset({"field", "base", "days", "origin"}),
    ir.Catalogue: frozenset({"exclusions", "shares", "out_of_range"}),
    ir.Exclusion: frozenset({"name", "origin"}),
    ir.ClassShare: frozenset({"cls", "share", "origin"}),
    ir.FirstSelfPay: frozenset({"when", "share", "overrides", "start", "end", "origin"}),
    ir.Requirement: frozenset({"predicate", "guards", "reason", "start", "end", "origin"}),
    ir.Comparison: frozenset({"lhs", "op", "rhs"}),
    ir.Expr: frozenset({"terms"}),
    ir.Operand: frozenset({"kind", "value", "unit", "enumeration"}),
    ir.Period: frozenset({"kind", "start_month"}),
    ir.Param: frozenset({"name", "versions"}),
    ir.Version: frozenset({"start", "end", "table", "origin"}),
    ir.Table: frozenset({"cells"}),
    ir.Cell: frozenset({"keys", "value", "origin"}),
    ir.Condition: frozenset({"field", "values"}),
    ir.RefValue: frozenset({"name", "offset"}),
    ir.BandSet: frozenset({"bands"}),
    ir.Band: frozenset({"lower", "upper", "ratio", "lower_inclusive", "upper_inclusive", "origin"}),
}
T = TypeVar("T")
_MEMO: dict[tuple, tuple[tuple, object]] = {}


def per_node(fn: Callable[..., T]) -> Callable[..., T]:
    """fn of IR nodes computed once per process and nodes: the IR is frozen, and every part of a batch run
    asks the same questions of the same policy (a tenth of a part's time when walked again each time). Keyed
    by the nodes' identity, which the memo keeps alive; a result must not be mutated (sets are frozen)."""

    @functools.wraps(fn)
    def memo(*nodes: object) -> T:
        key = (fn.__qualname__, fn.__module__, *map(id, nodes))
        hit = _MEMO.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], nodes, strict=True)):
            return hit[1]  # type: ignore[return-value]
        value = fn(*nodes)
        if len(_MEMO) > 4096:
            _MEMO.clear()
        _MEMO[key] = (nodes, value)
        return value

    return memo


_NESTED = ({ir.Scope.VISIT, ir.Scope.DAY, ir.Scope.PERIOD}, {ir.Scope.VISIT, ir.Scope.ADMISSION})
SCOPE_ORDER = {ir.Scope.VISIT: 0, ir.Scope.DAY: 1, ir.Scope.ADMISSION: 2, ir.Scope.PERIOD: 3}


def _walk(node: object):
    return ir.walk(node)


def _unknown_fields(node: object, table: dict[type, frozenset[str]] | None = None) -> list[str]:
    """The IR classes and fields under node that table (default: the kernel's KNOWN) does not list."""
    table = KNOWN if table is None else table
    out = []
    for sub in _walk(node):
        cls = type(sub)
        if not ir.is_node(sub):
            continue
        known = table.get(cls)
        if known is None:
            out.append(cls.__name__)
            continue
        for f, value in ir.node_fields(sub):
            if f.name not in known and value != (
                    f.default.factory() if isinstance(f.default, attrs.Factory) else f.default):  # type: ignore[attr-defined]
                out.append(f"{cls.__name__}.{f.name}")
    return out


@per_node
def unsupported(policy: ir.Policy, scheme: ir.Scheme) -> str | None:
    """Why the kernel cannot run this scheme (then its persons are settled one by one), or None."""
    if policy.rounding not in MODES:
        return f"舍入方式“{policy.rounding}”"
    unknown = _unknown_fields(scheme)
    if unknown:
        return "未支持的规则要素：" + "、".join(sorted(set(unknown)))
    for layer in scheme.layers:
        scopes = {c.scope for c in layer.caps}
        if not any(scopes <= chain for chain in _NESTED):
            return f"{layer.name}的封顶线范围组合（{'、'.join(s.value for s in scopes)}）"
    for layer in scheme.layers:  # a ratio layer after 分段 rounds its running payment (eval/accumulators.py)
        if layer.brackets is None and running_scope(scheme, layer) is not None:
            return f"{layer.name}在分段之后按累计舍入"
    for fp in scheme.first_pays:
        if any(field in ("住院号", "转诊号") for field, _ in fp.overrides):
            return "先行自付改写住院号或转诊号"
    return None


unknown_fields = _unknown_fields


@per_node
def _fields_of(nodes: object) -> frozenset[str]:
    out: set[str] = set()
    for node in _walk(nodes):
        match node:
            case ir.Condition(field=f) | ir.DaysPerCount(field=f):
                out.add(f)
            case ir.Cell(keys=keys):
                out.update(f for f, _ in keys)
            case ir.Operand(kind=k, value=v) if k in ("field", "next_month", "this_month"):
                out.add(str(v))
            case ir.Allowance(rate=str() as r):
                out.add(r)
    return frozenset(out)


fields_of = _fields_of  # the fact names a node (a requirement, a scheme) reads


@per_node
def referenced_fields(policy: ir.Policy) -> frozenset[str]:
    """Every fact name the schemes read (conditions, table keys, predicates, allowance fields)."""
    return frozenset({"就医地"}) | _fields_of(policy.schemes)


@per_node
def layer_fields(policy: ir.Policy) -> frozenset[str]:
    """The fact names the schemes read outside their 要求 (eligibility is keyed separately)."""
    return frozenset({"就医地"}) | _fields_of.__wrapped__([attrs.evolve(s, requirements=()) for s in policy.schemes])


@per_node
def requirement_fields(policy: ir.Policy) -> frozenset[str]:
    return _fields_of.__wrapped__([s.requirements for s in policy.schemes])


@per_node
def _scan(policy: ir.Policy) -> tuple[frozenset[dt.date], bool]:
    """(every date in the schemes, whether any value refers to another): one walk per policy."""
    nodes = list(_walk(policy.schemes))
    return frozenset(n for n in nodes if isinstance(n, dt.date)), any(isinstance(n, ir.RefValue) for n in nodes)


def ir_dates(policy: ir.Policy) -> frozenset[dt.date]:
    """Every date in the schemes (validity bounds): where a row-local parameter may change."""
    return _scan(policy)[0]


def uses_references(policy: ir.Policy) -> bool:
    return _scan(policy)[1]


def has_requirements(policy: ir.Policy) -> bool:
    return any(s.requirements for s in policy.schemes)


def requirements_read_dates(policy: ir.Policy) -> bool:
    """Whether a 要求 reads the claim's date (日期, or a month and day anchored on it)."""
    return any(isinstance(n, ir.Operand) and (n.kind == "month_day" or str(n.value) == "日期")
               for n in _walk([s.requirements for s in policy.schemes]))
