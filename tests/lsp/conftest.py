"""A real LSP client (pytest-lsp) talking to `policylang lsp` over stdio, one server per test module."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from lsp.lspclient import ROOT, SERVER, uri


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    lsp_client.lens_refreshes = 0

    @lsp_client.feature(lsp.WORKSPACE_CODE_LENS_REFRESH)
    def lens_refresh(params: None) -> None:
        lsp_client.lens_refreshes += 1

    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=uri(ROOT),
        workspace_folders=[lsp.WorkspaceFolder(uri(ROOT), "policylang")],
    ))
    yield
    await lsp_client.shutdown_session()
