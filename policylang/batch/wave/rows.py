"""What the wave engine knows of each row before its first step: the scheme, the row-local values (one probe
per distinct key), why a claim is refused before it touches a running total (in eval/settle.py's order: no
scheme, 其他基金已支付 over the cost, a 要求, then the probe's reasons), the catalogue's amounts, the period."""

from __future__ import annotations

from collections import defaultdict

import attrs
import numpy as np

from policylang import ir
from policylang.batch.columns import Columns, from_day
from policylang.batch.features import layer_fields, per_node, unknown_fields
from policylang.batch.keys import lookups, row_facts
from policylang.batch.requirements import requirement_reasons
from policylang.batch.segments import distinct
from policylang.batch.wave.keys import fact_days, money_fact
from policylang.batch.wave.known import WAVE_KNOWN
from policylang.batch.wave.probe import RowValues, per_row, probe
from policylang.eval import paid as funds
from policylang.eval.settle import ClaimSettler
from policylang.ir.claims import Claim
from policylang.ir.rounding import MODES
from policylang.ir.units import fmt_yuan


@attrs.define
class RowPlan:
    values: list[RowValues]
    vid: np.ndarray  # per row: index into values
    scheme: np.ndarray
    reasons: np.ndarray  # per row: refused before the steps ("" = not)
    other_paid_applies: np.ndarray  # per row: a refusal that still reports 其他基金已支付 (after the cost check)
    settling: np.ndarray
    fallback: dict[int, str]  # person code → why the scalar evaluator settles the person
    excluded: np.ndarray
    class_share: np.ndarray
    period: np.ndarray


@per_node
def reads_amounts(policy: ir.Policy, node: object) -> bool:
    """Whether a formula under node reads the claim's own amounts where the engine cannot take it per row
    (row_formulas): then the row-local lookups need each claim's amounts (probe with_amounts)."""
    skip = row_formulas(policy)
    return any(isinstance(n, ir.ClaimAmount) for n in ir.walk(node, prune=lambda n: id(n) in skip))


@per_node
def row_formulas(policy: ir.Policy) -> frozenset[int]:
    """ids of the per-row formulas the engine evaluates over columns (formulas.py): money cells of 费用限额, 定额,
    扣除, 封顶线 and a 日津贴 that read a claim field or the claim's own amounts."""
    found: set[int] = set()
    for scheme in policy.schemes:
        for layer in scheme.layers:
            params = [layer.fee_limit.param] if layer.fee_limit is not None else []
            params += [layer.fixed.param] if layer.fixed is not None else []
            params += [d.param for d in layer.deductions] + [c.param for c in layer.unit_caps]
            params += [c.param for c in layer.caps]
            values = [cell.value for p in params for v in p.versions for cell in v.table.cells]
            if layer.allowance is not None:
                values.append(layer.allowance.rate)
            found.update(id(v) for v in values if per_row(v))
    return frozenset(found)


@per_node
def wave_fields(policy: ir.Policy) -> frozenset[str]:
    """Every fact a row-local value may read: conditions, table keys, formulas' fields, 版本 按 — except what only
    the per-row formulas read (they are evaluated over columns, not per distinct key)."""
    names = set(layer_fields(policy))
    skip = row_formulas(policy)
    outside = list(ir.walk(policy.schemes, prune=lambda n: id(n) in skip))
    names.update(n.name for n in outside if isinstance(n, ir.FieldRef) and id(n) not in skip)
    names.update(s.version_by for s in policy.schemes if s.version_by)
    if reads_amounts(policy, policy.schemes):
        names.add("费用")
    return frozenset(names)


@per_node
def unsupported(policy: ir.Policy, scheme: ir.Scheme) -> str | None:
    """Why the wave engine leaves a scheme to the scalar evaluator (its safety net), or None."""
    if policy.rounding not in MODES:
        return f"舍入方式“{policy.rounding}”"
    unknown = unknown_fields(scheme, WAVE_KNOWN)
    if unknown:
        return "未支持的规则要素：" + "、".join(sorted(set(unknown)))
    for fp in scheme.first_pays:
        if any(field in ("住院号", "转诊号") for field, _ in fp.overrides):
            return "先行自付改写住院号或转诊号"
    if any(fp.counts for fp in scheme.first_pays) and reads_amounts(policy, scheme):
        return "公式读取先行自付，而先行自付按次数计"
    return None


@per_node
def _reads_date(policy: ir.Policy) -> bool:
    return any(isinstance(n, ir.Operand) and (n.kind == "month_day" or str(n.value) == "日期")
               for s in policy.schemes for la in s.layers for n in ir.walk(la.requirements))


def periods(policy: ir.Policy, cols: Columns, scheme: np.ndarray) -> np.ndarray:
    """accumulators.period_key per row, by its scheme's 周期 (its start month, or the date field it names)."""
    out = np.zeros(len(cols), dtype=np.int64)
    months = cols.date.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    for si, s in enumerate(policy.schemes):
        m = scheme == si
        if not m.any():
            continue
        mo = months[m]
        if s.period.by:
            ok, day = fact_days(cols, s.period.by)
            by_month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
            mo = np.where(ok[m], by_month[m], mo)
        out[m] = (mo - (s.period.start_month - 1)) // 12 + 1970
    return out


def plan_values(policy: ir.Policy, cols: Columns) -> RowPlan:
    n = len(cols)
    defaults = policy.defaults()
    names = wave_fields(policy)
    amounts = reads_amounts(policy, policy.schemes)
    vid, values, used = lookups(policy, cols, names, _reads_date(policy), "probe",
                                lambda facts, day, fee: probe(policy, facts, day, fee, amounts))
    values = list(values)  # the items' own probes are added below
    if not values:
        values = [RowValues(-1, "没有适用的方案")]
    scheme = np.array([v.scheme for v in values], dtype=np.int64)[vid]
    reasons = np.array([v.reason for v in values], dtype=object)[vid]
    other_applies = scheme >= 0
    fallback: dict[int, str] = {}
    for si, s in enumerate(policy.schemes):
        why = unsupported(policy, s)
        if why is not None:
            for p in distinct(cols.person[scheme == si]):
                fallback.setdefault(int(p), why)
    # 其他基金已支付 over the cost, then 要求: before the probe's reasons (eval/settle.py's order)
    other = np.zeros(n, dtype=np.int64)
    for si, s in enumerate(policy.schemes):
        if s.paid_fields():
            m = scheme == si
            other[m] = sum(money_fact(cols, f)[m] for f in s.paid_fields())
    over = (scheme >= 0) & (other > cols.amount)
    for i in np.nonzero(over)[0]:
        reasons[i] = f"{funds.OTHER_PAID} {fmt_yuan(int(other[i]))} 元超过本次费用 {fmt_yuan(int(cols.amount[i]))} 元"
    other_applies &= ~over
    if any(s.requirements for s in policy.schemes):
        failed, why = requirement_reasons(policy, cols, scheme, (scheme >= 0) & ~over, defaults)
        reasons[failed] = why[failed]
    excluded = np.zeros(n, dtype=np.int64)
    class_share = np.zeros(n, dtype=np.int64)
    for pos in cols.items:
        si = int(scheme[pos])
        if si < 0 or reasons[pos] != "":
            continue
        claim = Claim(from_day(cols.date[pos]), int(cols.amount[pos]), items=cols.items[pos])
        excluded[pos], class_share[pos] = ClaimSettler(policy, defaultdict(int), claim, {}).catalogue(
            policy.schemes[si].catalogue)
        if amounts:  # a formula the engine cannot take per row reads its 政策范围内费用: its own values
            values.append(probe(policy, row_facts(defaults, cols, used, pos), claim.date, claim.amount, True,
                                (int(excluded[pos]), int(class_share[pos]))))
            vid[pos] = len(values) - 1
            reasons[pos] = values[-1].reason
    blocked = np.isin(cols.person, np.fromiter(fallback, dtype=np.int64)) if fallback else np.zeros(n, dtype=bool)
    settling = (scheme >= 0) & (reasons == "") & ~blocked
    return RowPlan(values, vid, scheme, reasons, other_applies, settling, fallback, excluded, class_share,
                   periods(policy, cols, scheme))


__all__ = ["RowPlan", "plan_values", "unsupported", "wave_fields"]
