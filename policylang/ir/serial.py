"""The versioned JSON form of a compiled policy (`policylang export`) and its loader, `from_json`.

Every node is an object tagged with its type; money is a string of 分 (or "n/d" 分 before rounding), ratios and
other fractions are exact "n/d" strings, dates ISO strings: never a float. Spans are kept (tagged "Span"), so
a loaded policy still points at its script. Export → load gives a policy equal to the original. The format
is described in docs/ir-json.rst; a change that an old loader could misread bumps VERSION.
"""

from __future__ import annotations

import datetime as dt
import enum
from fractions import Fraction

import attrs

from policylang.ir import nodes, params, requirements, values
from policylang.source import Span

FORMAT = "policylang-ir"
VERSION = 3  # 3: issue 13's nodes and fields (expressions in bounds, accumulators, steps after the ratio …)
READS = (2, 3)  # a version-2 file means the same under version 3: every field added since has a default

# What version 3 added (docs/ir-json.rst): a version-2 file holding any of these is refused, not half-read.
_V3_NODES = frozenset({"Accumulator", "AlreadyPaid", "ClaimAmount", "Compound", "Deduction", "FieldTest", "Pick",
                       "UnitCap", "YearTopUp"})
_V3_FIELDS = {
    "Cap": {"by", "counts_in", "separate"}, "Cell": {"tests"}, "Fixed": {"per"}, "Num": {"written"},
    "Deductible": {"base_lower", "base_upper", "by", "compound", "counts_in", "lower", "separate", "upper"},
    "FeeLimit": {"base", "by", "counts_in", "separate"}, "Formula": {"lower_text", "upper_text"},
    "Layer": {"above_cap", "already_paid", "deductions", "topup", "unit_caps"},
    "Policy": {"accumulators"}, "Scheme": {"version_by"},
}
_V3_ENUMS = {("FormulaKind", "days"), ("Scope", "按字段"), ("PickOp", "取小"), ("PickOp", "取大")}


class IRFormatError(ValueError):
    """The JSON is not a policy in a format this loader knows (a located reason in the message)."""


def _classes() -> dict[str, type]:
    out = {"Span": Span}
    for module in (params, requirements, nodes):
        for name, obj in vars(module).items():
            if isinstance(obj, type) and obj.__module__ == module.__name__ and attrs.has(obj):
                out[name] = obj
    return out


def _enums() -> dict[str, type[enum.Enum]]:
    out: dict[str, type[enum.Enum]] = {}
    for module in (params, requirements, nodes, values):
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj.__module__ == module.__name__:
                out[name] = obj
    return out


CLASSES = _classes()
_UNITS = {values.Money: "money", values.Ratio: "ratio", values.Days: "days", values.Months: "months",
          values.Count: "count", values.Age: "age", values.Number: "number"}
_BY_UNIT = {unit: cls for cls, unit in _UNITS.items()}
ENUMS = _enums()


def _fraction_text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _encode(value: object) -> object:
    if isinstance(value, enum.Enum):  # before str: a StrEnum member is tagged, so it loads as its enumeration
        return {"enum": type(value).__name__, "value": value.value}
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return {"node": "Fraction", "value": _fraction_text(value)}
    if isinstance(value, dt.date):
        return {"node": "date", "value": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, frozenset | set):
        return {"node": "frozenset", "items": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, values.Money):
        return {"unit": "money", "fen": _fraction_text(Fraction(value.fen))}
    if isinstance(value, values.Ratio | values.Months | values.Age | values.Number):
        return {"unit": _UNITS[type(value)], "value": _fraction_text(value.value)}
    if isinstance(value, values.Days | values.Count):
        return {"unit": _UNITS[type(value)], "n": value.n}
    if attrs.has(type(value)) and type(value).__name__ in CLASSES:
        out: dict[str, object] = {"node": type(value).__name__}
        for f in attrs.fields(type(value)):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    raise TypeError(f"cannot export {type(value).__name__}")


def to_json(policy: nodes.Policy) -> dict:
    """The policy as JSON-ready data: {"format", "version", "policy"}."""
    return {"format": FORMAT, "version": VERSION, "policy": _encode(policy)}


def _fraction(text: object, where: str) -> Fraction:
    if not isinstance(text, str | int) or isinstance(text, bool):
        raise IRFormatError(f"{where}：应为 \"n/d\" 形式的分数 (expected an exact fraction string)")
    if "." in str(text) or "e" in str(text).lower():
        raise IRFormatError(f"{where}：不接受小数，请写成 \"n/d\" (decimals are not accepted; write n/d)")
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        raise IRFormatError(f"{where}：“{text}”不是分数 (not a fraction)") from None


def _quantity(data: dict, where: str) -> values.Quantity:
    unit = data.get("unit")
    if unit == "money":
        return values.Money(_fraction(data.get("fen"), f"{where}.fen"))
    if unit in ("ratio", "months", "age", "number"):
        return _BY_UNIT[unit](_fraction(data.get("value"), f"{where}.value"))
    if unit in ("days", "count"):
        n = data.get("n")
        if not isinstance(n, int) or isinstance(n, bool):
            raise IRFormatError(f"{where}.n：应为整数 (expected an integer)")
        return _BY_UNIT[unit](n)
    raise IRFormatError(f"{where}：未知的单位“{unit}” (unknown unit)")


def _v3_only(data: dict, where: str) -> None:
    """Refuse, in a version-2 file, a node, field or enumeration value that only version 3 has."""
    kind = str(data.get("node"))
    if "enum" in data and (str(data["enum"]), data.get("value")) in _V3_ENUMS:
        found = f"{data['enum']}“{data.get('value')}”"
    elif kind in _V3_NODES:
        found = f"节点 {kind}"
    elif extra := sorted(_V3_FIELDS.get(kind, set()) & set(data)):
        found = f"{kind} 的字段 {'、'.join(extra)}"
    else:
        return
    raise IRFormatError(f"{where}：版本 2 的文件不应含有{found}（版本 3 才有），请把 version 改为 3 或重新导出 "
                        "(a version-3 feature in a version-2 file)")


def _decode(data: object, where: str, version: int = VERSION) -> object:
    if data is None or isinstance(data, bool | str | int):
        return data
    if isinstance(data, float):
        raise IRFormatError(f"{where}：不接受浮点数 (floats are not accepted)")
    if isinstance(data, list):
        return tuple(_decode(v, f"{where}[{i}]", version) for i, v in enumerate(data))
    if not isinstance(data, dict):
        raise IRFormatError(f"{where}：无法识别的值 (unrecognised value)")
    if version < 3:
        _v3_only(data, where)
    if "enum" in data:
        cls = ENUMS.get(str(data["enum"]))
        if cls is None:
            raise IRFormatError(f"{where}：未知的枚举类型“{data['enum']}” (unknown enum)")
        try:
            return cls(data.get("value"))
        except ValueError:
            raise IRFormatError(f"{where}：“{data.get('value')}”不是{data['enum']}的取值 (not a member)") from None
    if "unit" in data and "node" not in data:
        return _quantity(data, where)
    kind = data.get("node")
    if kind == "Fraction":
        return _fraction(data.get("value"), where)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(data.get("value")))
        except ValueError:
            raise IRFormatError(f"{where}：日期“{data.get('value')}”无效 (invalid date)") from None
    if kind == "frozenset":
        return frozenset(_decode(v, f"{where}[{i}]", version) for i, v in enumerate(data.get("items", [])))
    cls = CLASSES.get(str(kind))
    if cls is None:
        raise IRFormatError(f"{where}：未知的节点类型“{kind}” (unknown node type)")
    names = {f.name for f in attrs.fields(cls)}
    unknown = sorted(set(data) - names - {"node"})
    if unknown:
        raise IRFormatError(f"{where}：{kind} 没有字段 {'、'.join(unknown)} (unknown fields)")
    kwargs = {k: _decode(v, f"{where}.{k}", version) for k, v in data.items() if k != "node"}
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise IRFormatError(f"{where}：无法构造 {kind}（{e}） (cannot build node)") from None


def from_json(data: dict) -> nodes.Policy:
    """Load a policy exported by to_json; IRFormatError (with where and why) for anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IRFormatError(f"不是 policylang 的 IR 文件（缺少 \"format\": \"{FORMAT}\"） (not a policylang IR file)")
    version = data.get("version")
    if version not in READS or isinstance(version, bool):
        readable = "、".join(str(v) for v in READS)
        raise IRFormatError(f"IR 格式版本 {version} 不受支持，本程序读取版本 {readable} (unsupported format version)")
    policy = _decode(data.get("policy"), "policy", version)
    if not isinstance(policy, nodes.Policy):
        raise IRFormatError("policy：应为 Policy 节点 (expected a Policy node)")
    return policy


__all__ = ["FORMAT", "READS", "VERSION", "IRFormatError", "from_json", "to_json"]
