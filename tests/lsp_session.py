"""Drive ``kerascheck server`` as a subprocess with pytest-lsp's real LSP client (shared by the LSP tests)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Sequence

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parent.parent
SERVER = [sys.executable, "-m", "kerascheck", "server"]

BUGGY = (
    "import keras\n"
    "\n"
    "model = keras.Sequential([keras.layers.Dense(10, activation=\"relu\"), keras.layers.Dense(1)])\n"
    "model.compile(optimizer=\"adam\", loss=\"mse\", metrics=[\"accuracy\"])\n"
)
FIXED = BUGGY.replace('metrics=["accuracy"]', 'metrics=["mae"]')

# A launcher that replaces the engine entry point before the server starts, so tests can make linting
# crash (files named boom*) or attach a fix to KC106 findings, without any test hook in the server.
PATCHED_SERVER = [sys.executable, "-c", """
import dataclasses, sys
from kerascheck import engine
from kerascheck.diagnostics import Edit, Fix
real = engine.lint_source
def lint_source(source, path, settings):
    if "boom" in path:
        raise RuntimeError("simulated crash in linting " + path)
    found = real(source, path, settings)
    text = source if isinstance(source, str) else ""
    out = []
    for d in found:
        if d.code == "KC106" and "\\"accuracy\\"" in text:
            line = text.splitlines()[d.line - 1]
            col = line.index('"accuracy"') + 1
            edit = Edit(d.line, col, d.line, col + len('"accuracy"'), '"mae"')
            d = dataclasses.replace(d, fix=Fix('Use metrics=["mae"]', (edit,), safe=True))
        out.append(d)
    return out
engine.lint_source = lint_source
from kerascheck.cli import main
main(["server"])
"""]


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


@contextlib.asynccontextmanager
async def session(
    root: Path,
    *,
    command: Sequence[str] = SERVER,
    debounce: float | None = 0.05,
    capabilities: types.ClientCapabilities | None = None,
    exit_code: int | None = 0,
) -> AsyncIterator[LanguageClient]:
    """An initialized client talking to a fresh server process; shuts it down and checks its exit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    client = await ClientServerConfig(server_command=list(command), server_env=env).start()
    options: dict[str, Any] = {} if debounce is None else {"debounce": debounce}
    try:
        await asyncio.wait_for(client.initialize_session(types.InitializeParams(
            capabilities=capabilities or client_capabilities("visual-studio-code"),
            root_uri=uri_of(root), workspace_folders=[types.WorkspaceFolder(uri=uri_of(root), name="ws")],
            initialization_options=options)), 60)
        yield client
        await asyncio.wait_for(client.shutdown_session(), 30)
        if exit_code is not None:
            assert client._server is not None and client._server.returncode == exit_code
    finally:
        await stop(client)


async def stop(client: LanguageClient) -> None:
    """Stop the client; a server still running (the test failed half-way) is killed, not waited for."""
    server = client._server
    if server is not None and server.returncode is None:
        server.kill()
    await asyncio.wait_for(client.stop(), 30)


async def wait_for(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
    """Poll until ``predicate()`` is truthy (diagnostics arrive as notifications, whenever they do)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def diagnostics_for(client: LanguageClient, uri: str, predicate: Callable[[list[types.Diagnostic]], bool],
                          timeout: float = 30.0) -> list[types.Diagnostic]:
    """Wait until the diagnostics published for ``uri`` satisfy ``predicate``; return them."""
    try:
        await wait_for(lambda: uri in client.diagnostics and predicate(list(client.diagnostics[uri])), timeout)
    except AssertionError:
        raise AssertionError(f"diagnostics on {uri} never matched; last: {client.diagnostics.get(uri)}") from None
    return list(client.diagnostics[uri])


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=version, text=text)))


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions, from the end so earlier ones stay valid) to ``text``."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    """The text edits an action makes to ``uri`` (whether sent as ``changes`` or ``documentChanges``)."""
    assert action.edit is not None
    if action.edit.document_changes:
        return [e for change in action.edit.document_changes
                if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
                for e in change.edits]  # type: ignore[misc]
    return list((action.edit.changes or {}).get(uri, []))
