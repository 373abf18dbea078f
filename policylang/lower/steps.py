"""Lowering of the steps after the ratio inside a layer: 支付后扣除 / 封顶后扣除 (a fixed amount taken off the
computed payment), 封顶线 每 床日数 (a cap per unit of a count/days field) and 定额 每 护理天数 (a flat standard
per unit). Each per-unit amount multiplies a declared 天数 or 次数 field of the claim, so its unit is checked
here: money × days or money × times, never money × money."""

from __future__ import annotations

import attrs

from policylang import ir
from policylang.diagnostics import error, warning
from policylang.lower.context import Context, Definitions
from policylang.lower.tables import param, table_statement
from policylang.syntax import ast

# 支付后扣除: after the ratio, before the caps; 封顶后扣除: after the caps (value: after_caps).
DEDUCT_KINDS = {"支付后扣除": False, "封顶后扣除": True}
UNIT_TYPES = ("天数", "次数")

StepTables = dict[tuple[str, str | None], list[ir.Version]]  # (kind, per-unit field) → versions


@attrs.frozen
class Steps:
    """What a layer's step statements add up to."""

    fixed: ir.Fixed | None = None  # 定额 每 X
    deductions: tuple[ir.Deduction, ...] = ()
    unit_caps: tuple[ir.UnitCap, ...] = ()


def is_step(stmt: object) -> bool:
    """A statement read here rather than as an ordinary table: a deduction, or anything per unit."""
    return isinstance(stmt, ast.TableStmt) and (stmt.per is not None or stmt.kind in DEDUCT_KINDS)


def unit_field(ctx: Context, name: ast.Name) -> str | None:
    """The 天数/次数 field a per-unit amount multiplies (E074 otherwise; W113 when a claim may lack it)."""
    fdef = ctx.fields.get(name.text)
    if fdef is None or fdef.type not in UNIT_TYPES:
        what = "没有声明" if fdef is None else f"是{fdef.type}字段"
        fix = (f"先声明它，例如 字段 {name.text} 天数 (declare it as a 天数 or 次数 field)" if fdef is None else
               "换成一个天数或次数字段，例如 字段 床日数 天数 (use a 天数 or 次数 field)")
        ctx.report(error("E074", f"“{name.text}”{what}：按单位计算的金额要乘以一个天数或次数字段", name.span, fix))
        return None
    if fdef.optional and fdef.default is None:
        ctx.report(warning("W113", f"“{fdef.name}”是可选字段且没有默认值：没有填写它的就诊将不予支付", name.span))
    return fdef.name


def read(ctx: Context, defs: Definitions, owner: str, stmt: ast.TableStmt, tables: StepTables) -> None:
    """One step statement into the layer's step tables, keyed by kind and per-unit field."""
    if stmt.kind in DEDUCT_KINDS and stmt.scope not in (None, "每次"):
        ctx.report(error("E075", f"{stmt.kind} 不能按“{stmt.scope}”计算：只能按每次或按 每 天数/次数字段", stmt.span))
        return
    per = None
    if stmt.per is not None:
        per = unit_field(ctx, stmt.per)
        if per is None:
            return
    scope = f"每{per}" if per else "每次" if stmt.kind in DEDUCT_KINDS else None
    version = table_statement(ctx, defs, owner, stmt, scope)
    if version is not None:
        tables.setdefault((stmt.kind, per), []).append(version)


def build(ctx: Context, owner: str, tables: StepTables) -> Steps:
    """The per-unit 定额, the deductions (in the order written) and the per-unit caps of a layer."""
    if not tables:
        return Steps()
    fixed_per = [(per, versions) for (kind, per), versions in tables.items() if kind == "定额"]
    if len(fixed_per) > 1:
        fields = "、".join(str(per) for per, _ in fixed_per)
        ctx.report(error("E076", f"{owner} 的定额按不同的字段计量：{fields}", fixed_per[1][1][0].origin,
                         related=(("另一种定额在此 (the other standard here)", fixed_per[0][1][0].origin),)
                         if fixed_per[0][1][0].origin else ()))
    fixed = ir.Fixed(param("定额", fixed_per[0][1]), fixed_per[0][0]) if fixed_per else None
    deductions = tuple(ir.Deduction(param(kind, versions), per, DEDUCT_KINDS[kind])
                       for (kind, per), versions in tables.items() if kind in DEDUCT_KINDS)
    unit_caps = tuple(ir.UnitCap(per, param("封顶线", versions))
                      for (kind, per), versions in tables.items() if kind == "封顶线" and per is not None)
    return Steps(fixed, deductions, unit_caps)


def check(ctx: Context, owner: str, steps: Steps, fixed: ir.Fixed | None, allowance: ir.Allowance | None) -> None:
    """E076: 定额 both per visit and per unit; E077: a deduction or per-unit cap where nothing is paid on cost."""
    if fixed is not None and steps.fixed is not None:
        origin = steps.fixed.param.versions[0].origin
        first = fixed.param.versions[0].origin
        ctx.report(error("E076", f"{owner} 同时写了按次的定额与每 {steps.fixed.per} 的定额", origin,
                         related=(("按次的定额在此 (the per-visit standard here)", first),) if first else ()))
    if allowance is not None and (steps.deductions or steps.unit_caps):
        first = (steps.deductions or steps.unit_caps)[0].param.versions[0].origin
        ctx.report(error("E077", f"{owner} 是津贴层，没有按费用算出的支付可扣除或按单位封顶", first))


__all__ = ["DEDUCT_KINDS", "StepTables", "Steps", "build", "check", "is_step", "read", "unit_field"]
