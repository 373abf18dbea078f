"""The keyword list of the language reference, generated from the grammar."""

from __future__ import annotations

import re

# Readable names for the grammar's rules; a rule not listed shows under its own name.
RULE_CN = {
    "region": "地区", "basis": "依据", "effective": "生效日期", "note": "说明", "assume": "假设",
    "import_": "导入", "rounding": "舍入", "rounding_mode": "舍入方式", "enum_def": "枚举", "scheme": "方案",
    "period": "周期", "validity": "生效期", "_deductible_kw": "起付线", "_ratio_kw": "比例",
    "_cap_kw": "封顶线", "adj_op": "比例调整", "scope": "计算范围", "unit": "单位", "test": "测试",
    "person": "参保人", "claim": "就诊", "expect": "期望", "cond": "适用条件", "inherit": "继承", "override": "覆盖",
    "yes_no": "询问的期望",
}
RULE_CN.update({"deduct_paid": "扣除已付", "version_by": "版本", "topup": "年度补助"})


def _rule_name(name: str) -> str:
    base = re.sub(r"_(star|plus|opt)_\d+$", "", name)
    base = base[2:] if base.startswith("__") else base
    return RULE_CN.get(base, base)


def keyword_rules() -> dict[str, tuple[str, ...]]:
    """Every keyword of the grammar → the constructs (grammar rules) it appears in."""
    from policylang.syntax.parser import (  # the grammar's own tables: the single source of truth
        _lark,
        keywords,
    )

    by_terminal = {v: k for k, v in keywords().items()}
    uses: dict[str, dict[str, None]] = {kw: {} for kw in keywords()}
    for rule in _lark().rules:
        for sym in rule.expansion:
            if sym.name in by_terminal:
                uses[by_terminal[sym.name]][_rule_name(rule.origin.name)] = None
    return {kw: tuple(rules) for kw, rules in uses.items()}
