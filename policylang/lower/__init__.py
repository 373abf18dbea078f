"""Lowering: the resolved AST to the policy IR, collecting every diagnostic on the way.

Plain functions over a frozen `context.Context` (names, fields, references, a diagnostics sink):
`values` (quantities, dates), `conditions` (keys, facts), `formula`, `rules` (要求), `tables`, `layer`,
`scheme`, `programmes` (资助, 判断), `cases` (测试), and `compiler`, the region-level driver.
"""
