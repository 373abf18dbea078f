"""Lowering: the resolved AST to the policy IR, collecting every diagnostic on the way."""
