"""policylang lsp: a language server over stdio (pygls) for policy officers' editors."""
