"""Syntax: the Lark grammar, the parser and the AST it builds (text → ast.Module)."""
