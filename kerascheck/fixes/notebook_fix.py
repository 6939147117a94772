"""Fixing notebooks in place: only code cells' sources change, the rest of the JSON is kept.

A notebook's findings and fixes are cell-relative (``Edit.cell``, the 1-based code cell), so the
fixes are applied to each cell's own source (``apply.apply_fixes_to_parts``), whatever its line
endings; every changed cell must still compile on its own (as the kernel compiles a cell, IPython
magics neutralised). The document is written back the way it was read: ``source`` stays a list of
lines or a string, keys keep their order, and the indentation, ASCII escaping, BOM and final newline
are detected from the original. A notebook written by Jupyter (nbformat's ``indent=1``) therefore
changes in its edited cells' ``source`` only.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

from kerascheck.config import Settings
from kerascheck.diagnostics import Diagnostic
from kerascheck.fixes.apply import apply_fixes_to_parts
from kerascheck.fixes.files import MAX_ROUNDS, FileFix, _note, _unparsable
from kerascheck.notebook import code_cell_entries, neutralise

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_INDENT = re.compile(r"\{\r?\n([ \t]+)\"")


def fix_notebook(data: bytes, path: str, settings: Settings, *, unsafe: bool) -> FileFix:
    """Fix the code cells of a notebook's bytes (nothing is written here)."""
    from kerascheck.engine import lint_source

    diagnostics = lint_source(data, path, settings)
    try:
        raw = data.decode("utf-8-sig")
        document = json.loads(raw)
        entries = code_cell_entries(document)
        cells = {number: _source(cell, key) for number, (cell, key) in enumerate(entries, start=1)}
    except (UnicodeDecodeError, ValueError, AttributeError, TypeError):
        return FileFix(path, data, data, 0, diagnostics, [])
    notes: list[str] = []
    applied = 0
    current = data
    parsed = not _unparsable(diagnostics)
    for _ in range(MAX_ROUNDS):
        rejected: list[str] = []
        new_cells, count = apply_fixes_to_parts(
            dict(cells), diagnostics, unsafe=unsafe, check=_cells_compile,
            on_rejected=lambda d, why: rejected.append(_note(path, d, why)))
        notes.extend(n for n in rejected if n not in notes)
        if count == 0:
            break
        for number, source in new_cells.items():
            if number is not None and source != cells[number]:
                cell, key = entries[number - 1]
                cell[key] = _as_stored(source, cell.get(key))
        candidate = _serialise(document, raw, data)
        after = lint_source(candidate, path, settings)
        if parsed and _unparsable(after):
            notes.append(f"{path}: fixes not applied: kerascheck could not parse the result")
            break
        cells = {k: v for k, v in new_cells.items() if k is not None}
        current, diagnostics = candidate, after
        applied += count
    return FileFix(path, data, current, applied, diagnostics, notes)


def _source(cell: dict[str, Any], key: str) -> str:
    source = cell.get(key, "")
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    if not isinstance(source, str):
        raise TypeError("a code cell's source is neither text nor a list of lines")
    return source


def _as_stored(source: str, previous: Any) -> Any:
    """The source in the shape it had: a list of lines (each with its line ending) or one string."""
    if isinstance(previous, list):
        return _LINE.findall(source)
    return source


def _cells_compile(changed: Mapping[int | None, str]) -> bool:
    """Every changed cell compiles on its own, as the kernel runs it (top-level await allowed)."""
    from kerascheck.parse_guard import cpython_rejection

    for source in changed.values():
        code = neutralise(source.replace("\r\n", "\n").replace("\r", "\n"))
        if cpython_rejection(code, "<cell>", top_level_await=True) is not None:
            return False
    return True


def _serialise(document: Any, raw: str, data: bytes) -> bytes:
    """JSON text shaped like the original: indentation, escaping, final newline and BOM."""
    match = _INDENT.match(raw)
    indent: str | None = match.group(1) if match else None
    ensure_ascii = raw.isascii() and "\\u" in raw
    if indent is None:
        separators = (", ", ": ") if '", "' in raw or '": ' in raw else (",", ":")
        text = json.dumps(document, ensure_ascii=ensure_ascii, separators=separators)
    else:
        text = json.dumps(document, indent=indent, ensure_ascii=ensure_ascii)
    newline = "\r\n" if "\r\n" in raw else "\n"
    if newline != "\n":
        text = text.replace("\n", newline)
    trailing = raw[len(raw.rstrip()):]
    text += trailing
    prefix = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return prefix + text.encode("utf-8")
