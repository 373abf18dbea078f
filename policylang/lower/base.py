"""Shared lowering helpers: quantities with units, dates, validity, keys, conditions and typed facts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction

from policylang import ir
from policylang.diagnostics import Diagnostic, error
from policylang.ir.units import EXAMPLE_UNIT, UNIT_KIND, Kind, to_fen, to_ratio
from policylang.resolve.names import EnumIndex, did_you_mean
from policylang.source import Span
from policylang.syntax import ast

# Field types: what unit kind a value of the type is written in.
FIELD_KIND = {"金额": Kind.MONEY, "天数": Kind.DURATION, "月数": Kind.DURATION, "年数": Kind.DURATION,
              "次数": Kind.COUNT, "年龄": Kind.AGE}
REF_OFFSET = {"上年度": -1, "上一年度": -1, "当年": 0, "本年度": 0}


def months_or_days(q: ast.Quantity) -> tuple[Fraction, str]:
    """A duration in months (月/个月/年) or days (天)."""
    n = Fraction(q.number)
    if q.unit == "天":
        return n, "天"
    return (n * 12 if q.unit == "年" else n), "月"


class LoweringBase:
    """Holds the diagnostics sink and what every lowering step needs to resolve names."""

    diags: list[Diagnostic]
    index: EnumIndex
    fields: dict[str, ir.FieldDef]
    references: dict[str, ir.Reference]

    def _once(self, key: tuple, what: str, span: Span) -> bool:
        """Record a definition; report E008 if the same thing was defined before."""
        first = self.defined.get(key)
        if first is not None:
            self.diags.append(error("E008", f"重复定义：{what} 已在第 {first.line} 行定义", span,
                                    f"首次定义于 {first}"))
            return False
        self.defined[key] = span
        return True

    def quantity(self, q: ast.Quantity, want: Kind, what: str) -> int | Fraction | None:
        """A number in the unit kind a statement needs: 分 for money, a fraction for ratios."""
        if q.unit is None:
            example = f"{q.number}{EXAMPLE_UNIT[want]}"
            self.diags.append(error("E004", f"{what} 的数值 {q.number} 缺少单位", q.span,
                                    f"是否想写 {example}？(did you mean {example}?)"))
            return None
        kind = UNIT_KIND[q.unit]
        if kind is not want:
            self.diags.append(error("E005", f"{what} 应为{want.value}（{EXAMPLE_UNIT[want]}），这里写的是 {q.unit}",
                                    q.span, f"是否想写 {q.number}{EXAMPLE_UNIT[want]}？"))
            return None
        if want is Kind.RATIO:
            if not Decimal(0) <= q.number <= Decimal(100):
                hint = f"是否想写 {q.number / 10}%？" if q.number <= 1000 else None
                self.diags.append(error("E006", f"比例超出范围：{q.number}% 不在 0%–100% 之间", q.span, hint))
                return None
            return to_ratio(q.number)
        if want is Kind.MONEY:
            fen = to_fen(q.number, q.unit)
            if fen is None:
                self.diags.append(error("E012", f"金额 {q.number}{q.unit} 不是整分", q.span))
            return fen
        if want is Kind.DURATION:
            return months_or_days(q)[0]
        return Fraction(q.number)

    def whole(self, q: ast.Quantity, want: Kind, what: str) -> int | None:
        value = self.quantity(q, want, what)
        if value is None:
            return None
        if Fraction(value).denominator != 1:
            self.diags.append(error("E012", f"{what} 应为整数：{q.number}", q.span))
            return None
        return int(value)

    def value(self, v: ast.Quantity | ast.RefValue, want: Kind, what: str) -> ir.Value | None:
        if isinstance(v, ast.RefValue):
            if want is not Kind.MONEY:
                self.diags.append(error("E005", f"{what} 应为{want.value}，参考值是金额", v.span))
                return None
            if v.name.text not in self.references:
                self.diags.append(error("E023", f"未知参考值“{v.name.text}”", v.name.span,
                                        did_you_mean(v.name.text, list(self.references))))
                return None
            return ir.RefValue(v.name.text, REF_OFFSET[v.year])
        return self.quantity(v, want, what)

    def date(self, d: ast.DateLit | None) -> dt.date | None:
        if d is not None and d.value is None:
            self.diags.append(error("E011", f"日期无效：{d.text} 不是日历上的日期", d.span))
        return d.value if d else None

    def validity(self, v: ast.Validity | None) -> tuple[dt.date | None, dt.date | None]:
        if v is None:
            return None, None
        start, end = self.date(v.start), self.date(v.end)
        if start and end and end < start:
            self.diags.append(error("E019", f"失效日期 {end} 早于生效日期 {start}", v.span))
        return start, end

    # keys and conditions ------------------------------------------------------------------------
    def key_condition(self, key: ast.Key) -> ir.Condition | None:
        if key.field is not None:
            enum = self.index.field(key.field, self.diags)
            if enum is None:
                return None
            values = [v for n in key.values if (v := self.index.member(enum, n, self.diags))]
            return ir.Condition(enum.name, frozenset(values)) if len(values) == len(key.values) else None
        pairs = [p for n in key.values if (p := self.index.value(n, self.diags))]
        if len(pairs) != len(key.values):
            return None
        fields = {f for f, _ in pairs}
        if len(fields) > 1:
            self.diags.append(error("E025", f"“{'/'.join(n.text for n in key.values)}”混用了不同字段的取值："
                                    f"{'、'.join(sorted(fields))}", key.span))
            return None
        return ir.Condition(pairs[0][0], frozenset(v for _, v in pairs))

    def conditions_of_keys(self, keys: tuple[ast.Key, ...]) -> tuple[ir.Condition, ...] | None:
        conds = [self.key_condition(k) for k in keys]
        return None if any(c is None for c in conds) else tuple(c for c in conds if c)

    def cell_keys(self, keys: tuple[ast.Key, ...]) -> list[tuple[tuple[str, str], ...]] | None:
        """Every combination of a key list with alternatives: 二级/三级 在职 → (二级, 在职), (三级, 在职)."""
        conds = self.conditions_of_keys(keys)
        if conds is None:
            return None
        choices = [[(c.field, v) for v in sorted(c.values)] for c in conds]
        return [tuple(combo) for combo in itertools.product(*choices)]

    def conditions(self, conds: tuple[ast.Cond, ...]) -> tuple[ir.Condition, ...]:
        out = []
        for c in conds:
            if c.field is None:
                pair = self.index.value(c.values[0], self.diags)
                if pair:
                    out.append(ir.Condition(pair[0], frozenset({pair[1]})))
                continue
            enum = self.index.field(c.field, self.diags)
            if enum is None:
                continue
            values = [v for n in c.values if (v := self.index.member(enum, n, self.diags))]
            out.append(ir.Condition(enum.name, frozenset(values)))
        return tuple(out)

    # typed facts --------------------------------------------------------------------------------
    def fact(self, attr: ast.Attr) -> tuple[str, ir.Fact] | None:
        """A person or claim attribute: 在职, 人员类别=退休, 缴费日期=2024-01-01, 断缴月数=4 个月 …"""
        if attr.field is None or attr.field.text in self.index.enums:
            return self.index.attribute(attr, self.diags)
        fdef = self.fields.get(attr.field.text)
        if fdef is None:
            pool = [*self.index.enums, *self.fields]
            self.diags.append(error("E015", f"未知字段“{attr.field.text}”", attr.field.span, did_you_mean(attr.field.text, pool)))
            return None
        value = self.typed_value(fdef, attr.value, attr.span)
        return (fdef.name, value) if value is not None else None

    def typed_value(self, fdef: ir.FieldDef, value: object, span: Span) -> ir.Fact | None:
        if fdef.type == "日期" and isinstance(value, ast.DateLit):
            return self.date(value)
        if fdef.type == "文字" and isinstance(value, str | ast.Name):
            return value.text if isinstance(value, ast.Name) else value
        kind = FIELD_KIND.get(fdef.type)
        if kind is not None and isinstance(value, ast.Quantity):
            if value.unit is None:
                value = ast.Quantity(value.number, EXAMPLE_UNIT[kind] if kind is not Kind.DURATION
                                     else ("天" if fdef.type == "天数" else "月" if fdef.type == "月数" else "年"),
                                     value.span)
            if kind is Kind.DURATION and (fdef.type == "天数") != (value.unit == "天"):
                self.diags.append(error("E005", f"{fdef.name} 是{fdef.type}，这里写的是 {value.unit}", span))
                return None
            number = self.quantity(value, kind, fdef.name)
            if number is None:
                return None
            return number if kind is Kind.MONEY else Fraction(number)
        self.diags.append(error("E025", f"{fdef.name} 的类型是{fdef.type}，值不符", span))
        return None
