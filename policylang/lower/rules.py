"""Lowering of eligibility (要求), subsidies (资助) and yes/no questions (判断), with unit-checked expressions."""

from __future__ import annotations

import re
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import error
from policylang.ir.units import UNIT_KIND, Kind
from policylang.lower.base import LoweringBase, months_or_days
from policylang.syntax import ast

# Operand units: 分 (money), 月 / 天 (durations), 次, 岁, 日期, 月日, 枚举:<field>, 文字.
_FIELD_UNIT = {"金额": "分", "天数": "天", "月数": "月", "年数": "月", "次数": "次", "年龄": "岁", "日期": "日期",
               "文字": "文字"}
_BUILTIN_UNIT = {"日期": "日期", "费用": "分"}
_DURATIONS = {"月", "天"}
_SHOWN = {"分": "金额", "月": "期限（月、年）", "天": "天数", "次": "次数", "岁": "年龄", "日期": "日期", "月日": "日期",
          "文字": "文字"}


def _shown(unit: str) -> str:
    return f"枚举“{unit[3:]}”" if unit.startswith("枚举:") else _SHOWN.get(unit, unit)


class RulesLowering(LoweringBase):
    # expressions --------------------------------------------------------------------------------
    def operand(self, term: ast.Term, enum_context: str | None = None) -> ir.Operand | None:
        if term.kind == "field":
            name = term.value
            assert isinstance(name, ast.Name)
            if enum_context and name.text in self.index.enums[enum_context].values:
                return ir.Operand("const", name.text, f"枚举:{enum_context}")
            if name.text in self.index.enums:
                return ir.Operand("field", name.text, f"枚举:{name.text}")
            if name.text in _BUILTIN_UNIT:
                return ir.Operand("field", name.text, _BUILTIN_UNIT[name.text])
            fdef = self.fields.get(name.text)
            if fdef is None:
                pool = [*self.index.enums, *self.fields, *_BUILTIN_UNIT]
                from policylang.resolve.names import did_you_mean

                self.diags.append(error("E015", f"未知字段“{name.text}”", name.span, did_you_mean(name.text, pool)))
                return None
            return ir.Operand("field", fdef.name, _FIELD_UNIT.get(fdef.type, f"枚举:{fdef.name}"))
        if term.kind == "quantity":
            q = term.value
            assert isinstance(q, ast.Quantity)
            if q.unit is None:
                self.diags.append(error("E004", f"数值 {q.number} 缺少单位", q.span))
                return None
            kind = UNIT_KIND[q.unit]
            if kind is Kind.MONEY:
                fen = self.quantity(q, Kind.MONEY, "金额")
                return None if fen is None else ir.Operand("const", fen, "分")
            if kind is Kind.DURATION:
                n, unit = months_or_days(q)
                return ir.Operand("const", n, unit)
            if kind is Kind.RATIO:
                self.diags.append(error("E025", "比较中不能使用百分比", q.span))
                return None
            return ir.Operand("const", Fraction(q.number), "次" if kind is Kind.COUNT else "岁")
        if term.kind == "date":
            d = self.date(term.value)  # type: ignore[arg-type]
            return None if d is None else ir.Operand("const", d, "日期")
        if term.kind == "month_day":
            m = re.fullmatch(r"(\d+)月(\d+)日", str(term.value))
            month, day = int(m[1]), int(m[2])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                self.diags.append(error("E011", f"日期无效：{term.value}", term.span))
                return None
            return ir.Operand("month_day", (month, day), "月日")
        name = term.value
        assert isinstance(name, ast.Name)
        fdef = self.fields.get(name.text)
        if name.text != "日期" and (fdef is None or fdef.type != "日期"):
            self.diags.append(error("E025", f"次月/当月 之后应为日期字段，“{name.text}”不是", name.span))
            return None
        return ir.Operand(term.kind, name.text, "日期")

    def expr(self, e: ast.Expr, enum_context: str | None = None) -> tuple[ir.Expr, str] | None:
        ops = [(sign, self.operand(t, enum_context)) for sign, t in e.terms]
        if any(o is None for _, o in ops):
            return None
        first = ops[0][1]
        assert first is not None
        unit = first.unit or ""
        for sign, op in ops[1:]:
            assert op is not None
            ok = (unit == op.unit and unit in ("分", "月", "天", "次", "岁")) or (
                unit == "日期" and op.unit in _DURATIONS)
            if not ok:
                self.diags.append(error("E025", f"不能把{_shown(op.unit or '')}与{_shown(unit)}相{'加' if sign == '+' else '减'}", e.span))
                return None
        if ops[0][0] == "-" and len(ops) == 1:
            self.diags.append(error("E025", "表达式不能以减号开头", e.span))
            return None
        return ir.Expr(tuple((1 if s == "+" else -1, o) for s, o in ops)), unit  # type: ignore[misc]

    def comparison(self, c: ast.Comparison) -> ir.Comparison | None:
        lhs = self.expr(c.lhs)
        if lhs is None:
            return None
        lexpr, unit = lhs
        op = {"≥": ">=", "≤": "<=", "≠": "!="}.get(c.op, c.op)
        if isinstance(c.rhs, tuple):
            return self.keyed_comparison(lexpr, unit, op, c)
        context = unit.split(":", 1)[1] if unit.startswith("枚举:") else None
        rhs = self.expr(c.rhs, context)
        if rhs is None:
            return None
        rexpr, runit = rhs
        compatible = runit == unit or (unit == "日期" and runit == "月日")
        if not compatible:
            self.diags.append(error("E025", f"不能比较{_shown(unit)}与{_shown(runit)}", c.span))
            return None
        if unit.startswith("枚举:") and op not in ("=", "!="):
            self.diags.append(error("E025", f"枚举只能用 = 或 != 比较，不能用 {c.op}", c.span))
            return None
        return ir.Comparison(lexpr, op, rexpr)

    def keyed_comparison(self, lexpr: ir.Expr, unit: str, op: str, c: ast.Comparison) -> ir.Comparison | None:
        cells = []
        for entry in c.rhs:  # type: ignore[union-attr]
            combos = self.cell_keys(entry.keys)
            q = entry.value
            if combos is None or not isinstance(q, ast.Quantity):
                return None
            operand = self.operand(ast.Term("quantity", q, q.span))
            if operand is None:
                return None
            if operand.unit != unit:
                self.diags.append(error("E025", f"不能比较{_shown(unit)}与{_shown(operand.unit or '')}", q.span))
                return None
            cells += [ir.Cell(keys, operand.value, entry.span) for keys in combos]  # type: ignore[arg-type]
        return ir.Comparison(lexpr, op, ir.Table(tuple(cells)))

    def requirement(self, r: ast.Require) -> ir.Requirement | None:
        predicate = self.comparison(r.predicate)
        guards = [self.comparison(g) for g in r.guards]
        start, end = self.validity(r.validity)
        if predicate is None or any(g is None for g in guards):
            return None
        return ir.Requirement(predicate, tuple(g for g in guards if g), r.reason, start, end, r.span)

    # subsidies and questions --------------------------------------------------------------------
    def subsidy(self, s: ast.Subsidy) -> ir.Subsidy | None:
        self._once(("资助", s.name), f"资助“{s.name}”", s.span)
        if s.base.text not in self.references:
            self.diags.append(error("E023", f"未知参考值“{s.base.text}”", s.base.span, "资助按 参考值 中逐年的个人缴费标准计算"))
            return None
        rules = []
        for rule in s.rules:
            conds = self.conditions_of_keys(rule.keys)
            start, end = self.validity(rule.validity)
            if conds is None:
                continue
            if rule.kind == "定额":
                amount = self.quantity(rule.amount, Kind.MONEY, "资助金额")  # type: ignore[arg-type]
                if amount is not None:
                    rules.append(ir.SubsidyRule(conds, "定额", amount, None, rule.span, start, end))
            elif rule.kind == "比例":
                share = self.quantity(rule.amount, Kind.RATIO, "资助比例")  # type: ignore[arg-type]
                floor = self.quantity(rule.floor, Kind.MONEY, "资助下限") if rule.floor else None
                if share is not None and (rule.floor is None or floor is not None):
                    rules.append(ir.SubsidyRule(conds, "比例", share, floor, rule.span, start, end))  # type: ignore[arg-type]
            else:
                rules.append(ir.SubsidyRule(conds, "全额", None, None, rule.span, start, end))
        return ir.Subsidy(s.name, s.base.text, tuple(rules), s.notes, s.span)

    def question(self, q: ast.Question) -> ir.Question:
        self._once(("判断", q.name.text), f"判断“{q.name.text}”", q.name.span)
        allows = []
        for a in q.allows:
            start, end = self.validity(a.validity)
            allows.append(ir.Allow(self.conditions(a.conds), start, end, a.span))
        return ir.Question(q.name.text, q.text, tuple(allows), q.otherwise, q.notes, q.span)
