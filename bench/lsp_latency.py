"""Diagnostics latency of `policylang lsp` (not part of the test suite): `make bench-lsp`.

Starts the server over stdio like an editor would, opens the largest region's largest script, then types:
each edit alternates between a clean text and one with an error (each text new, so the edited file is
parsed every time; the region's other files come from the parse cache, as while typing), and the time
from sending the change to receiving its diagnostics is measured. Prints the median, the 95th percentile and the maximum in ms.
The issue's target is 200 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
EDITS = 40


def largest_region() -> Path:
    regions = [d for d in (ROOT / "regions").iterdir() if d.is_dir()]
    region = max(regions, key=lambda d: sum(p.stat().st_size for p in d.glob("*.policy")))
    return max(region.glob("*.policy"), key=lambda p: p.stat().st_size)


async def main() -> None:
    script = largest_region()
    text = script.read_text(encoding="utf-8")
    broken = text.replace("期望", "期忘", 1)
    client = LanguageClient("bench", "0")
    arrived: dict[int, float] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.uri == uri and params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())

    await client.start_io(sys.executable, "-c", "from policylang.commands.main import main; main(['lsp'])")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=ROOT.as_uri()))
    client.initialized(lsp.InitializedParams())
    uri = script.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "policy", 1, text)))
    latencies = []
    for version in range(2, EDITS + 2):
        while 1 not in arrived:
            await asyncio.sleep(0.001)
        body = (broken if version % 2 else text) + f"# 第 {version} 次编辑\n"  # new text each time: no cache hit
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri), [lsp.TextDocumentContentChangeWholeDocument(body)]))
        while version not in arrived:
            await asyncio.sleep(0.001)
        latencies.append((arrived[version] - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in script.parent.glob("*.policy"))
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"policylang lsp diagnostics latency, {script.relative_to(ROOT)} (region of {lines} lines), {EDITS} edits:")
    print(f"  median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms (target 200 ms)")


if __name__ == "__main__":
    asyncio.run(main())
