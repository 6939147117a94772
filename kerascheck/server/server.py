"""``kerascheck server``: the language server (pygls) over stdio.

The process lives as long as the editor session, so libcst, the facts extractor and every rule are
imported once (at start-up, before the first document arrives) and a re-lint after a keystroke costs
what ``lint_source`` costs on that one buffer: about one libcst parse (``benchmarks/bench_server.py``).

Scheduling, and why:

- ``didOpen`` and ``didSave`` lint at once; ``didChange`` waits ``debounce`` seconds (0.3 by default,
  ``initializationOptions: {"debounce": 0.1}``) and restarts the wait on every keystroke, so typing
  does not queue a parse per character.
- Lints run on one worker thread, so the event loop keeps answering (code actions, cancellations)
  while a big file parses; a result whose document changed meanwhile is dropped, never published.
- One document's failure never ends the server: anything that escapes the engine (it already turns
  its own internal errors into KC000) is logged with its traceback via ``window/logMessage`` and
  published as one KC000 diagnostic on that document; an invalid config file likewise.
- Settings are those of the nearest ``kerascheck.toml``/``pyproject.toml`` of each document, checked
  on every lint (``settings_cache``); a saved config file or a watched-file event re-lints every open
  document at once.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from kerascheck import __version__
from kerascheck.config import CONFIG_FILE_NAMES, KerascheckError
from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.server import documents
from kerascheck.server.actions import FIX_ALL_KIND, code_actions
from kerascheck.server.documents import Cell, Entry, Published
from kerascheck.server.settings_cache import SettingsCache

__all__ = ["KerascheckServer", "make_server"]

DEFAULT_DEBOUNCE = 0.3
_NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        cells=[types.NotebookCellLanguage(language="python")], notebook="*")],
    save=True,
)
_ENCODINGS = {types.PositionEncodingKind.Utf8: "utf-8", types.PositionEncodingKind.Utf16: "utf-16",
              types.PositionEncodingKind.Utf32: "utf-32"}
logger = logging.getLogger(__name__)


class KerascheckServer(LanguageServer):
    """The server's state: what each URI shows, the pending debounced lints, the settings cache."""

    def __init__(self) -> None:
        super().__init__("kerascheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=_NOTEBOOK_SYNC)
        self.debounce = DEFAULT_DEBOUNCE
        self.settings_cache = SettingsCache()
        self.published: dict[str, Published] = {}  # by document or cell URI
        self.notebook_of: dict[str, str] = {}  # cell URI → notebook URI
        self.pending: dict[str, asyncio.Task[None]] = {}  # by document or notebook URI
        self.lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kerascheck-lint")
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- helpers ---------------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        return _ENCODINGS.get(self.workspace.position_encoding or types.PositionEncodingKind.Utf16, "utf-16")

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def owner(self, uri: str) -> str:
        """The URI that is linted for ``uri``: its notebook's for a cell, else ``uri`` itself."""
        if uri in self.notebook_of:
            return self.notebook_of[uri]
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    def is_open(self, uri: str) -> bool:
        return self.text_document(uri) is not None or self.notebook_document(uri) is not None

    # pygls keys its documents by the *unquoted* URI (``my%20train.py`` → ``my train.py``) while the
    # client must get diagnostics on the URI exactly as it sent it: look up unquoted, publish as sent.
    def text_document(self, uri: str) -> Any:
        return self.workspace.text_documents.get(unquote(uri))

    def notebook_document(self, uri: str) -> Any:
        return self.workspace.notebook_documents.get(unquote(uri))

    # -- linting ---------------------------------------------------------------------------------

    def snapshot(self, uri: str) -> tuple[int | None, Callable[[], dict[str, Published]]] | None:
        """The version of ``uri`` now and a job that lints exactly that content (run off the loop)."""
        encoding = self.encoding
        notebook = self.notebook_document(uri)
        if notebook is not None:
            cells = []
            for cell in notebook.cells:
                if cell.kind != types.NotebookCellKind.Code:
                    continue
                document = self.text_document(cell.document)
                if document is not None:
                    cells.append(Cell(cell.document, document.source, document.language_id, document.version))
            version = notebook.version
            return version, lambda: self._guarded(uri, lambda settings: documents.lint_notebook(
                uri, cells, version, settings, encoding), [c.uri for c in cells], version)
        document = self.text_document(uri)
        if document is None or self.owner(uri) != uri:
            return None  # a notebook cell is linted with its notebook, never alone
        if not documents.is_lintable(uri, document.language_id):
            return None
        text, version = document.source, document.version
        return version, lambda: self._guarded(uri, lambda settings: {
            uri: documents.lint_text(uri, text, version, settings, encoding)}, [uri], version)

    def _guarded(self, uri: str, job: Callable[[Any], dict[str, Published]], targets: list[str],
                 version: int | None) -> dict[str, Published]:
        """Run one lint; whatever escapes becomes a logged traceback and a KC000 on the document."""
        try:
            settings = self.settings_cache.settings_for(documents.document_path(uri))
        except KerascheckError as exc:
            return self._failure(uri, targets, version, f"invalid configuration: {exc}", "config-error",
                                 f"kerascheck: not linting {uri}: {exc}")
        try:
            return job(settings)
        except Exception as exc:  # a bug must cost one document, never the session
            detail = "".join(traceback.format_exception(exc))
            return self._failure(uri, targets, version, f"kerascheck failed on this file ({type(exc).__name__}: "
                                 f"{exc}); please report this", "internal-error",
                                 f"kerascheck: internal error while linting {uri}:\n{detail}")

    def _failure(self, uri: str, targets: list[str], version: int | None, message: str, name: str,
                 log: str) -> dict[str, Published]:
        from kerascheck.server.convert import lsp_diagnostic

        results = {target: Published(target, "", version) for target in targets or [uri]}
        first = results[next(iter(results))]
        diagnostic = Diagnostic(path=uri, line=1, column=1, end_line=1, end_column=1, code="KC000", name=name,
                                severity=Severity.ERROR, message=message)
        first.entries.append(Entry(diagnostic, lsp_diagnostic(diagnostic, first.lines, self.encoding)))
        self._log_later(log, types.MessageType.Error)
        return results

    def _log_later(self, message: str, kind: types.MessageType) -> None:
        """Log from the lint thread: messages are written by the event loop's thread only."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.log, message, kind)

    def schedule(self, uri: str, delay: float) -> None:
        """(Re)start the wait before linting ``uri``; a newer request replaces a pending one."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_after(uri, delay))

    async def _lint_after(self, uri: str, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            await self.lint_now(uri)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def lint_now(self, uri: str) -> None:
        """Lint ``uri``'s current content and publish it, unless it changed or closed meanwhile."""
        snapshot = self.snapshot(uri)
        if snapshot is None:
            return
        version, job = snapshot
        results = await asyncio.get_running_loop().run_in_executor(self.lint_thread, job)
        if not self.is_open(uri) or self.current_version(uri) != version:
            return  # a newer lint is scheduled (or the document is gone): publishing would flicker
        self.publish(uri, results)

    def current_version(self, uri: str) -> int | None:
        notebook = self.notebook_document(uri)
        if notebook is not None:
            return notebook.version
        document = self.text_document(uri)
        return document.version if document is not None else None

    def publish(self, uri: str, results: dict[str, Published]) -> None:
        stale = {cell for cell, owner in self.notebook_of.items() if owner == uri} - set(results)
        for cell in stale:  # cells deleted from the notebook: clear what they showed
            self.clear(cell)
        for target, published in results.items():
            if target != uri:
                self.notebook_of[target] = uri
            internal = [e for e in published.entries if e.diagnostic.name == "internal-error"]
            if internal and internal[0].diagnostic.path != uri:  # the engine's own KC000, not ours (logged)
                self.log(f"kerascheck: internal error on {uri}: {internal[0].diagnostic.message} "
                         "(run 'kerascheck --verbose FILE' for the traceback)", types.MessageType.Error)
            self.published[target] = published
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=target, diagnostics=[e.lsp for e in published.entries], version=published.version))

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self.notebook_of.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def relint_all(self) -> None:
        self.settings_cache.clear()
        for document in [*self.workspace.text_documents.values(), *self.workspace.notebook_documents.values()]:
            if self.owner(document.uri) == document.uri:
                self.schedule(document.uri, 0)

    async def current_result(self, uri: str) -> Published | None:
        """The published result for ``uri`` if it matches the buffer, else a fresh lint (for code actions)."""
        owner = self.owner(uri)
        published = self.published.get(uri)
        if published is not None and published.version == self.current_version(owner):
            return published
        pending = self.pending.pop(owner, None)
        if pending is not None:
            pending.cancel()
        await self.lint_now(owner)
        return self.published.get(uri)


def make_server() -> KerascheckServer:
    """The server with its handlers registered (a function, so tests and ``main`` build fresh ones)."""
    server = KerascheckServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: KerascheckServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and "debounce" in options:
            value = options["debounce"]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 60:
                ls.debounce = float(value)
            else:
                ls.log(f"kerascheck: ignoring initializationOptions.debounce={value!r}: seconds from 0 to 60",
                       types.MessageType.Warning)
        root = ls.workspace.root_path
        if root:
            ls.settings_cache = SettingsCache(root)
        ls._loop = asyncio.get_running_loop()
        # Import libcst and the rules on the lint thread while the client finishes its start-up: the
        # first lint queues behind it instead of paying the imports itself.
        ls.lint_thread.submit(_warm_up)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: KerascheckServer, params: types.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILE_NAMES]
            registration = types.Registration(
                id="kerascheck-config-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception as exc:  # the mtime check on each lint still notices config changes
                ls.log(f"kerascheck: could not watch config files ({exc})", types.MessageType.Warning)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KerascheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KerascheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: KerascheckServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_FILE_NAMES:
            ls.relint_all()
        else:
            ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KerascheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if uri in ls.published:
            ls.clear(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: KerascheckServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: KerascheckServer, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, ls.debounce)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: KerascheckServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: KerascheckServer, params: types.DidCloseNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        for cell in [c for c, owner in ls.notebook_of.items() if owner == uri]:
            ls.clear(cell)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: KerascheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    async def code_action(ls: KerascheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        published = await ls.current_result(params.text_document.uri)
        if published is None:
            return []
        capabilities = ls.client_capabilities.workspace
        versioned = bool(capabilities and capabilities.workspace_edit
                         and capabilities.workspace_edit.document_changes and published.version is not None)
        return code_actions(published, params.range, params.context.only, ls.encoding, versioned)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: KerascheckServer, params: None) -> None:
        for task in ls.pending.values():
            task.cancel()
        ls.pending.clear()
        ls.lint_thread.shutdown(wait=False, cancel_futures=True)

    return server


def _warm_up() -> None:
    """Import libcst, the extractor and the rules now, not on the first keystroke."""
    from kerascheck.config import default_settings
    from kerascheck.engine import lint_source

    lint_source("import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n", "warm_up.py",
                default_settings())


def main() -> None:
    """Serve over stdio until the client sends ``exit`` (or closes the pipe).

    The exit status is the specification's: 0 after ``shutdown`` then ``exit``, 1 when the client
    exits (or disappears) without asking for a shutdown first. pygls swallows the ``SystemExit`` it
    raises for that, so the status is decided here.
    """
    import sys

    server = make_server()
    server.start_io()
    sys.exit(0 if getattr(server.protocol, "_shutdown", False) else 1)
