"""Jupyter notebooks: their code cells as one Python source, and positions mapped back to cells.

Much Keras code lives in notebooks, and a model is usually built in one cell, compiled in another and
fit in a third, so the cells are linted *together*: the code cells, in order, are joined into one
source (the facts flow across cells as they do in the kernel), and each reported line is mapped back
to its cell (1-based index among the code cells) and its line inside that cell, as ruff does.

What is not Python is neutralised without moving anything (positions must map back exactly): IPython
line magics (``%matplotlib inline``), shell escapes (``!pip install``), help (``x?``, ``?x``) become
comments of the same length; a cell magic other than ``%%time``-like timing (``%%bash``, ``%%html``...)
blanks the whole cell; top-level ``await`` is allowed, as the kernel allows it. The standard ``json``
module is all this needs (``nbformat`` would add a dependency and validation we do not use); nbformat 3
(cells under ``worksheets``, code under ``input``) is read too. Outputs are never looked at.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["NotebookSource", "NotebookError", "read_notebook", "is_notebook_path"]

_LINE_MAGIC = re.compile(r"^([ \t]*)([%!].*)$")
_HELP = re.compile(r"^([ \t]*)(\?\??[\w.]+|[\w.]+\?\??)[ \t]*$")
# Cell magics whose body is still Python: the first line is dropped, the body is linted.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "tensorflow"})


class NotebookError(ValueError):
    """The file is not a notebook this reader understands (the message says why, for KC000)."""


@dataclass(frozen=True)
class NotebookSource:
    """The code cells joined into one source; ``cells[i]`` = (cell number, first line in ``text``).

    ``cell_of(line)`` maps a line of ``text`` to (1-based code-cell number, 1-based line in that cell).
    ``code_size`` counts the characters of code cells only (``max-file-size`` applies to it, not to
    outputs, which can be megabytes of images).
    """

    text: str
    cells: tuple[tuple[int, int], ...]
    code_size: int

    def cell_of(self, line: int) -> tuple[int, int]:
        number, start = self.cells[0] if self.cells else (1, 1)
        for cell_number, first in self.cells:
            if first > line:
                break
            number, start = cell_number, first
        return number, line - start + 1


def is_notebook_path(path: str) -> bool:
    return path.lower().endswith(".ipynb")


def read_notebook(data: bytes) -> NotebookSource:
    """Parse notebook JSON into its code as one source; raises ``NotebookError`` with a clear reason."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not a notebook: the file is not UTF-8 JSON ({exc.reason} at byte {exc.start})") from None
    except ValueError as exc:
        raise NotebookError(f"not a notebook: invalid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    language = _language(document)
    if language is not None and language != "python":
        raise NotebookError(f"not linted: the notebook's language is {language}, not Python")
    chunks: list[str] = []
    cells: list[tuple[int, int]] = []
    line = 1
    code_size = 0
    for number, source in enumerate(_code_cells(document), start=1):
        code = _neutralise(source)
        code_size += len(source)
        cells.append((number, line))
        chunks.append(code)
        line += code.count("\n") + 1
    return NotebookSource(text="\n".join(chunks) + "\n", cells=tuple(cells), code_size=code_size)


def _language(document: dict[str, Any]) -> str | None:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(field), str):
            return value[field].lower()
    return None


def _code_cells(document: dict[str, Any]) -> list[str]:
    """The source of every code cell, in order (nbformat 4, and 3's worksheets)."""
    sources = []
    for cell, key in code_cell_entries(document):
        source = cell.get(key, "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if not isinstance(source, str):
            raise NotebookError("not a notebook: a code cell's source is neither text nor a list of lines")
        sources.append(source.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n"))
    return sources


def code_cell_entries(document: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Each code cell's JSON object and the key holding its source, in order: the numbering of
    ``NotebookSource.cell_of`` (and of fixes' ``Edit.cell``)."""
    if isinstance(document.get("cells"), list):
        raw_cells, key = document["cells"], "source"
    elif isinstance(document.get("worksheets"), list):
        raw_cells = [c for w in document["worksheets"] if isinstance(w, dict)
                     for c in (w.get("cells") or []) if isinstance(w.get("cells"), list)]
        key = "input"
    else:
        raise NotebookError("not a notebook: no 'cells' list (nbformat 4) or 'worksheets' (nbformat 3)")
    return [(cell, key) for cell in raw_cells if isinstance(cell, dict) and cell.get("cell_type") == "code"]


def neutralise(source: str) -> str:
    """A cell's source as the linter reads it: IPython-only lines commented out, same positions."""
    return _neutralise(source)


def _neutralise(source: str) -> str:
    """The cell with IPython-only syntax turned into comments of the same length (or blanked)."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split(None, 1)[0] if len(first) > 2 else ""
        if magic not in _PYTHON_CELL_MAGICS:
            return "\n".join("" for _ in lines)  # another language (%%bash, %%html...): nothing to lint
        lines[0] = "#" + lines[0][1:]
    out = []
    for text in lines:
        magic = _LINE_MAGIC.match(text)
        if magic:
            out.append(magic.group(1) + "#" + magic.group(2)[1:])
            continue
        help_line = _HELP.match(text)
        out.append(help_line.group(1) + "#" + help_line.group(2)[1:] if help_line else text)
    return "\n".join(out)
