"""`python -m policylang.lsp`: the language server over stdio (what the VS Code extension starts)."""

from policylang.lsp.server import main

main()
