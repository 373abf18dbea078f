"""Document symbols for the outline: the region, schemes with their layers, subsidies, questions, tests."""

from __future__ import annotations

from lsprotocol import types as lsp

from policylang.lsp.convert import span_range
from policylang.syntax import ast

_KIND = lsp.SymbolKind


def _symbol(name: str, detail: str, kind: lsp.SymbolKind, node, sel=None, children=None) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(name=name or detail, detail=detail, kind=kind, range=span_range(node.span),
                              selection_range=span_range(sel or node.span), children=children)


def document_symbols(module: ast.Module) -> list[lsp.DocumentSymbol]:
    out = []
    for item in module.items:
        match item:
            case ast.Region():
                out.append(_symbol(item.name, "地区", _KIND.Namespace, item))
            case ast.Scheme():
                layers = [_symbol(x.name, "层", _KIND.Class, x, x.name_span) for x in item.body if isinstance(x, ast.Layer)]
                out.append(_symbol(item.name, "覆盖 方案" if item.override else "方案", _KIND.Module, item,
                                   item.name_span, layers))
            case ast.Test():
                out.append(_symbol(item.name, "测试", _KIND.Event, item))
            case ast.EnumDef():
                values = [_symbol(v.text, "枚举值", _KIND.EnumMember, v) for v in item.values]
                out.append(_symbol(item.name.text, "枚举", _KIND.Enum, item, item.name.span, values))
            case ast.EnumExtend():
                values = [_symbol(v.text, "枚举值", _KIND.EnumMember, v) for v in item.values]
                out.append(_symbol(item.name.text, "枚举 增加", _KIND.Enum, item, item.name.span, values))
            case ast.FieldDef():
                out.append(_symbol(item.name.text, f"字段 {item.type}", _KIND.Field, item, item.name.span))
            case ast.Reference():
                out.append(_symbol(item.name.text, "参考值", _KIND.Constant, item, item.name.span))
            case ast.Subsidy():
                out.append(_symbol(item.name, "资助", _KIND.Function, item))
            case ast.Question():
                out.append(_symbol(item.name.text, "判断", _KIND.Function, item, item.name.span))
    return out
