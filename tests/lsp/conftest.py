"""A real LSP client (pytest-lsp) talking to `policylang lsp` over stdio, one server per test module."""

from __future__ import annotations

from lsprotocol import types as lsp

from lsp.lspclient import ROOT, SERVER, uri

try:
    import pytest_lsp
    from pytest_lsp import LanguageClient  # the annotation is how pytest-lsp finds where to inject the client
except ImportError:  # a dev dependency (pip install -e '.[dev]'); the client tests then skip themselves
    pytest_lsp = None
    LanguageClient = object  # type: ignore[assignment,misc]


def _client_fixture(fn):
    if pytest_lsp is None:
        return fn
    return pytest_lsp.fixture(scope="module", config=pytest_lsp.ClientServerConfig(server_command=SERVER))(fn)


@_client_fixture
async def client(lsp_client: LanguageClient):
    lsp_client.lens_refreshes = 0

    @lsp_client.feature(lsp.WORKSPACE_CODE_LENS_REFRESH)
    def lens_refresh(params: None) -> None:
        lsp_client.lens_refreshes += 1

    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=uri(ROOT),
        workspace_folders=[lsp.WorkspaceFolder(uri(ROOT), "policylang")],
    ))
    yield
    await lsp_client.shutdown_session()
