"""``kerascheck server`` end to end: a real LSP client (pytest-lsp) drives the server as a subprocess."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytest.importorskip("pygls.lsp.server", reason="the language server needs the 'lsp' extra (pygls)")
pytest.importorskip("pytest_lsp", reason="the LSP tests need pytest-lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import client_capabilities  # noqa: E402

from tests.lsp_session import (  # noqa: E402
    BUGGY, FIXED, PATCHED_SERVER, apply_text_edits, codes, diagnostics_for, edits_of, open_document,
    replace_all, session, stop, uri_of, wait_for,
)

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_initialize_advertises_what_the_server_does(tmp_path: Path) -> None:
    async with session(tmp_path) as client:
        assert client.capabilities is not None
    # A second session, to read the InitializeResult itself.
    from pytest_lsp import ClientServerConfig

    from tests.lsp_session import ROOT, SERVER

    client = await ClientServerConfig(server_command=SERVER, server_env={"PYTHONPATH": str(ROOT)}).start()
    try:
        result = await client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), root_uri=uri_of(tmp_path)))
        caps = result.capabilities
        assert result.server_info is not None and result.server_info.name == "kerascheck"
        assert isinstance(caps.text_document_sync, types.TextDocumentSyncOptions)
        assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
        assert caps.text_document_sync.open_close and caps.text_document_sync.save
        assert isinstance(caps.code_action_provider, types.CodeActionOptions)
        assert set(caps.code_action_provider.code_action_kinds or ()) == {"quickfix", "source.fixAll.kerascheck"}
        assert caps.position_encoding == types.PositionEncodingKind.Utf16
        await client.shutdown_session()
        assert client._server is not None and client._server.returncode == 0
    finally:
        await stop(client)


async def test_open_then_change_then_save(tmp_path: Path) -> None:
    path = tmp_path / "my train.py"  # a URI with %20: looked up unquoted, published as the client sent it
    path.write_text(BUGGY)
    uri = uri_of(path)
    async with session(tmp_path) as client:
        open_document(client, uri, BUGGY)
        found = await diagnostics_for(client, uri, lambda d: bool(d))
        assert codes(found) == ["KC106"]
        (diagnostic,) = found
        assert diagnostic.source == "kerascheck"
        assert diagnostic.severity == types.DiagnosticSeverity.Warning  # KC106 is a warning
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.endswith("/rules/KC106-accuracy-with-regression-loss.md")
        column = BUGGY.splitlines()[3].index('"accuracy"')
        assert diagnostic.range == types.Range(start=types.Position(line=3, character=column),
                                               end=types.Position(line=3, character=column + len('"accuracy"')))

        # An incremental edit that fixes it: the diagnostics clear.
        start = types.Position(line=3, character=column + 1)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=start, end=types.Position(line=3, character=column + 9)),
                text="mae")]))
        await diagnostics_for(client, uri, lambda d: d == [])

        # Back to the bug, then save: published again.
        replace_all(client, uri, BUGGY, 3)
        await diagnostics_for(client, uri, lambda d: codes(d) == ["KC106"])
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri)))
        client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri)))
        await diagnostics_for(client, uri, lambda d: d == [])


async def test_changes_are_debounced(tmp_path: Path) -> None:
    uri = uri_of(tmp_path / "typing.py")
    async with session(tmp_path, debounce=0.6) as client:
        open_document(client, uri, FIXED)  # opening lints at once, without waiting
        await diagnostics_for(client, uri, lambda d: d == [], timeout=5)
        for version, text in enumerate([BUGGY, FIXED, BUGGY], start=2):
            replace_all(client, uri, text, version)
        await asyncio.sleep(0.3)  # within the debounce: nothing new yet
        assert list(client.diagnostics[uri]) == []
        await diagnostics_for(client, uri, lambda d: codes(d) == ["KC106"])


async def test_noqa_action_silences_the_finding(tmp_path: Path) -> None:
    text = BUGGY.replace('metrics=["accuracy"])', 'metrics=["accuracy"])  # noqa: E501')
    uri = uri_of(tmp_path / "train.py")
    async with session(tmp_path) as client:
        open_document(client, uri, text)
        (diagnostic,) = await diagnostics_for(client, uri, lambda d: bool(d))
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic])))
        by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
        action = by_title["Disable KC106 for this line"]
        assert action.kind == types.CodeActionKind.QuickFix and not action.is_preferred
        # KC106's own fix changes the metric, which changes what is measured: offered, labelled, not preferred.
        unsafe = [a for title, a in by_title.items() if "unsafe fix" in title]
        assert unsafe and not any(a.is_preferred for a in unsafe)
        fixed = apply_text_edits(text, edits_of(action, uri))
        assert fixed.splitlines()[3].endswith("# noqa: E501, KC106")
        replace_all(client, uri, fixed, 2)
        await diagnostics_for(client, uri, lambda d: d == [])


async def test_fix_on_a_diagnostic_becomes_a_preferred_quickfix(tmp_path: Path) -> None:
    uri = uri_of(tmp_path / "train.py")
    async with session(tmp_path, command=PATCHED_SERVER) as client:
        open_document(client, uri, BUGGY)
        (diagnostic,) = await diagnostics_for(client, uri, lambda d: bool(d))
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic])))
        fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.is_preferred)
        assert fix.title == 'Use metrics=["mae"] (KC106)'
        assert fix.edit is not None and fix.edit.document_changes  # VS Code takes versioned edits
        assert edits_of(fix, uri)[0].new_text == '"mae"'
        assert apply_text_edits(BUGGY, edits_of(fix, uri)) == FIXED

        # source.fixAll.kerascheck (e.g. on save) applies the same safe fix.
        everything = types.Range(start=types.Position(0, 0), end=types.Position(10, 0))
        fix_all = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=everything,
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"])))
        assert [a.kind for a in fix_all] == ["source.fixAll.kerascheck"]  # type: ignore[union-attr]
        assert apply_text_edits(BUGGY, edits_of(fix_all[0], uri)) == FIXED  # type: ignore[arg-type]


async def test_a_real_rule_fix_kc205_lr_to_learning_rate(tmp_path: Path) -> None:
    text = ("import keras\n\nmodel = keras.Sequential([keras.layers.Dense(1)])\n"
            "model.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss=\"mse\")\n")
    uri = uri_of(tmp_path / "train.py")
    async with session(tmp_path) as client:
        open_document(client, uri, text)
        found = await diagnostics_for(client, uri, lambda d: "KC205" in codes(d))
        kc205 = next(d for d in found if d.code == "KC205")
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri), range=kc205.range,
            context=types.CodeActionContext(diagnostics=[kc205])))
        fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.is_preferred)
        assert "learning_rate" in fix.title and fix.title.endswith("(KC205)")
        fixed = apply_text_edits(text, edits_of(fix, uri))
        assert "Adam(learning_rate=0.001)" in fixed
        replace_all(client, uri, fixed, 2)
        await diagnostics_for(client, uri, lambda d: "KC205" not in codes(d))


async def test_a_crash_in_one_file_does_not_kill_the_server(tmp_path: Path) -> None:
    boom, fine = uri_of(tmp_path / "boom.py"), uri_of(tmp_path / "train.py")
    async with session(tmp_path, command=PATCHED_SERVER) as client:
        open_document(client, boom, BUGGY)
        (failure,) = await diagnostics_for(client, boom, lambda d: bool(d))
        assert failure.code == "KC000" and "simulated crash" in failure.message
        assert failure.severity == types.DiagnosticSeverity.Error
        await wait_for(lambda: any("Traceback" in m.message and "simulated crash" in m.message
                                   for m in client.log_messages), what="the traceback in window/logMessage")
        open_document(client, fine, BUGGY)
        assert codes(await diagnostics_for(client, fine, lambda d: bool(d))) == ["KC106"]
        replace_all(client, boom, FIXED, 2)  # still answering on the crashing file too
        await wait_for(lambda: sum("simulated crash" in m.message for m in client.log_messages) >= 2)


async def test_notebook_cells_are_linted_together(tmp_path: Path) -> None:
    notebook_uri = uri_of(tmp_path / "nb.ipynb")
    cells = [
        ("import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])", types.NotebookCellKind.Code),
        ("# Training\nThe model is compiled below.", types.NotebookCellKind.Markup),
        ('model.compile(optimizer="adam", loss="mse",\n              metrics=["accuracy"])', types.NotebookCellKind.Code),
    ]
    cell_uris = [f"vscode-notebook-cell:{tmp_path}/nb.ipynb#cell{i}" for i in range(len(cells))]
    capabilities = client_capabilities("visual-studio-code")
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities())
    async with session(tmp_path, capabilities=capabilities) as client:
        client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook_uri, notebook_type="jupyter-notebook", version=1,
                cells=[types.NotebookCell(kind=kind, document=u) for (_, kind), u in zip(cells, cell_uris)]),
            cell_text_documents=[types.TextDocumentItem(uri=u, language_id="python" if kind == 2 else "markdown",
                                                        version=1, text=text)
                                 for (text, kind), u in zip(cells, cell_uris)]))
        (found,) = await diagnostics_for(client, cell_uris[2], lambda d: bool(d))
        assert found.code == "KC106" and found.range.start.line == 1
        assert list(client.diagnostics[cell_uris[0]]) == []

        # The same findings, cell and line, as the CLI on the saved notebook.
        (tmp_path / "nb.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code" if kind == 2 else "markdown", "source": text, "metadata": {}, "outputs": [],
             "execution_count": None} if kind == 2 else {"cell_type": "markdown", "source": text, "metadata": {}}
            for text, kind in cells]}))
        from kerascheck.config import default_settings
        from kerascheck.engine import lint_file

        (cli_finding,) = lint_file(str(tmp_path / "nb.ipynb"), default_settings()).diagnostics
        assert dict(cli_finding.extra)["cell"] == 2 and cli_finding.line == found.range.start.line + 1
        assert cli_finding.column == found.range.start.character + 1

        # Editing the compile cell to fix the metric clears it.
        client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=notebook_uri),
            change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=cell_uris[2], version=2),
                    changes=[types.TextDocumentContentChangeWholeDocument(
                        text=cells[2][0].replace('"accuracy"', '"mae"'))])]))))
        await diagnostics_for(client, cell_uris[2], lambda d: d == [])


async def test_a_notebook_opened_as_json_text_names_the_cell(tmp_path: Path) -> None:
    uri = uri_of(tmp_path / "nb.ipynb")
    cells = [{"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}
             for source in ("import keras", BUGGY.split("\n", 1)[1])]
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, indent=1)
    async with session(tmp_path) as client:
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="json", version=1, text=text)))
        (found,) = await diagnostics_for(client, uri, lambda d: bool(d))
        # Cell positions do not exist in the JSON: the finding sits at the top and says where it is.
        assert found.code == "KC106" and found.message.startswith("cell 2:3:")
        assert found.range.start == types.Position(0, 0)
        toml = uri_of(tmp_path / "pyproject.toml")  # other documents an editor opens are left alone
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=toml, language_id="toml", version=1, text="keras = 1\n")))
        replace_all(client, uri, text.replace('\\"accuracy\\"', '\\"mae\\"'), 2)
        await diagnostics_for(client, uri, lambda d: d == [])
        assert toml not in client.diagnostics


async def test_position_encoding_is_negotiated(tmp_path: Path) -> None:
    text = BUGGY.replace('model.compile(', 'model.compile(name="🚀🚀", ')
    uri = uri_of(tmp_path / "train.py")
    line = text.splitlines()[3]
    code_points = line.index('"accuracy"')
    for encodings, expected in ((None, code_points + 2), (["utf-32"], code_points),
                                (["utf-8", "utf-16"], len(line[:code_points].encode("utf-8")))):
        capabilities = client_capabilities("visual-studio-code")
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
        async with session(tmp_path, capabilities=capabilities) as client:
            open_document(client, uri, text)
            (found,) = await diagnostics_for(client, uri, lambda d: bool(d))
            assert found.range.start.character == expected, encodings


async def test_config_of_the_document_is_reread_when_it_changes(tmp_path: Path) -> None:
    project = tmp_path / "my project"  # re-linting everything must publish on the URIs as sent (%20)
    project.mkdir()
    config = project / "kerascheck.toml"
    config.write_text('ignore = ["KC106"]\n')
    uri = uri_of(project / "train.py")
    async with session(tmp_path) as client:
        open_document(client, uri, BUGGY)
        await diagnostics_for(client, uri, lambda d: d == [])
        config.write_text("ignore = []\n")  # the next lint notices the new mtime/size
        replace_all(client, uri, BUGGY + "\n", 2)
        await diagnostics_for(client, uri, lambda d: codes(d) == ["KC106"])
        config.write_text('ignore = ["KC1"]\n')  # a watched-file event re-lints without a keystroke
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Changed)]))
        await diagnostics_for(client, uri, lambda d: d == [])
        config.write_text("ignore = []\n")  # saving the config in the editor re-lints open files too
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri_of(config))))
        await diagnostics_for(client, uri, lambda d: codes(d) == ["KC106"])
        config.write_text("selekt = []\n")  # an invalid config is one KC000 that names the problem
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Changed)]))
        (problem,) = await diagnostics_for(client, uri, lambda d: codes(d) == ["KC000"])
        assert "unknown key 'selekt'" in problem.message


async def test_exit_without_shutdown_is_an_error_exit(tmp_path: Path) -> None:
    from pytest_lsp import ClientServerConfig

    from tests.lsp_session import ROOT, SERVER

    client = await ClientServerConfig(server_command=SERVER, server_env={"PYTHONPATH": str(ROOT)}).start()
    try:
        await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.exit(None)
        assert client._server is not None
        assert await client._server.wait() == 1  # the spec: exit without shutdown exits with 1
    finally:
        await stop(client)
