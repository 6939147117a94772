"""Linting what the editor holds in memory: a Python document, or a notebook's cells together.

Both go through ``kerascheck.engine.lint_source``, the function the CLI runs on each file, so an editor
never shows something ``kerascheck file.py`` would not print (and vice versa):

- a ``.py`` document is linted from its buffer text under its file path (the path selects
  ``per-file-ignores``, exactly as on the command line);
- a notebook (``notebookDocument/*`` sync) is turned back into minimal nbformat-4 JSON with one code
  cell per Python cell, in order, and linted as a ``.ipynb`` file: the engine joins the cells, lints
  them as one program and reports each finding with its 1-based code-cell number, which maps back to
  the cell's own URI here. Markdown cells and code cells in another language (a ``%%sql`` cell the
  client already labels ``sql``) are left out, as the kernel would not run them as Python.

Each result keeps the exact text its positions refer to, so code actions computed later convert the
same way, and the document version it was computed for, so a stale result is never used for an edit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Sequence
from urllib.parse import unquote, urlparse

from lsprotocol import types

from kerascheck.config import Settings
from kerascheck.diagnostics import Diagnostic
from kerascheck.server.convert import lsp_diagnostic
from kerascheck.server.positions import split_lines

__all__ = ["Cell", "Entry", "Published", "document_path", "lint_notebook", "lint_text", "is_lintable"]

_LINTED_SUFFIXES = (".py", ".pyi", ".pyw", ".ipynb")


@dataclass(frozen=True)
class Cell:
    """One notebook cell as the client synchronised it."""

    uri: str
    text: str
    language: str | None = "python"
    version: int | None = None  # the cell's own text-document version (edits to it carry this one)


@dataclass(frozen=True)
class Entry:
    """One finding: kerascheck's diagnostic (with its fix) and what was sent to the client for it."""

    diagnostic: Diagnostic
    lsp: types.Diagnostic


@dataclass
class Published:
    """What one URI (a document or a cell) shows, and the text and version it was computed from.

    ``version`` is what staleness is judged by (a notebook cell's is its notebook's version: any cell
    edit moves every cell's findings); ``document_version`` is the URI's own text-document version,
    which versioned edits to it must name. ``cells`` maps a notebook's code-cell numbers (those of
    ``Edit.cell``) to every cell's result, so a fix can edit another cell than its finding's.
    """

    uri: str
    text: str
    version: int | None
    entries: list[Entry] = field(default_factory=list)
    document_version: int | None = None
    cells: dict[int, "Published"] | None = None
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = split_lines(self.text)
        if self.document_version is None:
            self.document_version = self.version


def document_path(uri: str) -> str | None:
    """The filesystem path of a ``file:`` URI (``None`` for ``untitled:`` buffers and the like)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]
    return path


def is_lintable(uri: str, language_id: str | None) -> bool:
    """Python buffers and notebook files: not the TOML, YAML or Markdown documents an editor also opens."""
    path = document_path(uri) or urlparse(uri).path
    return language_id == "python" or path.lower().endswith(_LINTED_SUFFIXES)


def _lint_source(source: str | bytes, path: str, settings: Settings) -> list[Diagnostic]:
    # Looked up on the module at call time: the one entry point the CLI uses (and tests can replace
    # it in a server subprocess to make it crash).
    from kerascheck import engine

    return engine.lint_source(source, path, settings)


def shown_path(uri: str) -> str:
    """The path diagnostics are computed under: the file's, or the buffer's name for unsaved buffers."""
    path = document_path(uri)
    if path is not None:
        from kerascheck.config import display_path

        return display_path(path)
    name = urlparse(uri).path.rsplit("/", 1)[-1] or "untitled"
    return name if name.lower().endswith(_LINTED_SUFFIXES) else name + ".py"


def lint_text(uri: str, text: str, version: int | None, settings: Settings, encoding: str) -> Published:
    """Lint one text document from its buffer."""
    path = shown_path(uri)
    diagnostics = _lint_source(text, path, settings)
    published = Published(uri, text, version)
    for diagnostic in diagnostics:
        cell = dict(diagnostic.extra).get("cell")
        if cell is not None:
            # A .ipynb opened as JSON text: cell positions do not exist in this buffer, so the finding
            # goes at the top and says where it is, as the CLI's text output does.
            lsp = lsp_diagnostic(diagnostic, published.lines, encoding,
                                 message_prefix=f"cell {cell}:{diagnostic.line}:{diagnostic.column}: ")
            lsp.range = types.Range(types.Position(0, 0), types.Position(0, 0))
        else:
            lsp = lsp_diagnostic(diagnostic, published.lines, encoding)
        published.entries.append(Entry(diagnostic, lsp))
    return published


def notebook_json(cells: Sequence[Cell]) -> bytes:
    """The minimal nbformat-4 document the engine reads for these (Python code) cells."""
    document = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "code", "source": cell.text, "metadata": {}, "outputs": [],
                   "execution_count": None} for cell in cells],
    }
    return json.dumps(document).encode("utf-8")


def python_cells(cells: Sequence[Cell]) -> list[Cell]:
    return [cell for cell in cells if cell.language in (None, "python")]


def lint_notebook(notebook_uri: str, cells: Sequence[Cell], version: int | None, settings: Settings,
                  encoding: str) -> dict[str, Published]:
    """Lint a notebook's Python code cells together; one ``Published`` per cell (clean ones included)."""
    code_cells = python_cells(cells)
    path = shown_path(notebook_uri)
    if not path.lower().endswith(".ipynb"):
        path += ".ipynb"  # the engine recognises notebooks by name
    results = {cell.uri: Published(cell.uri, cell.text, version, document_version=cell.version) for cell in cells}
    numbered = {number: results[cell.uri] for number, cell in enumerate(code_cells, start=1)}
    for published in results.values():
        published.cells = numbered
    if not code_cells:
        return results
    diagnostics = _lint_source(notebook_json(code_cells), path, settings)
    for diagnostic in diagnostics:
        number = dict(diagnostic.extra).get("cell", 1)
        index = min(max(int(number), 1), len(code_cells)) - 1
        target = results[code_cells[index].uri]
        target.entries.append(Entry(diagnostic, lsp_diagnostic(diagnostic, target.lines, encoding)))
    return results
