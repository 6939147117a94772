"""``--output-format full``: each finding with its source line, an underline, the rationale and the fix.

Like ruff's full format. It reads the reported files to show their lines (notebooks: the cell's line);
a file that cannot be read again (standard input, deleted) is shown without its source. Colours only
when the stream is a terminal and neither ``NO_COLOR`` nor ``--no-color`` says otherwise.
"""

from __future__ import annotations

import functools
import os
from typing import Sequence, TextIO

from kerascheck.diagnostics import Diagnostic
from kerascheck.report.rule_info import rule_info
from kerascheck.report.text import format_diagnostic

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def use_colour(out: TextIO, no_colour: bool = False) -> bool:
    if no_colour or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(out, "isatty", lambda: False)())


def write_full(diagnostics: Sequence[Diagnostic], out: TextIO, *, colour: bool = False) -> None:
    for diagnostic in diagnostics:
        out.write(format_full(diagnostic, colour=colour) + "\n")


def format_full(diagnostic: Diagnostic, *, colour: bool = False) -> str:
    info = rule_info(diagnostic.code)

    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    head = format_diagnostic(diagnostic)
    location, _, rest = head.partition(f": {diagnostic.code} ")
    lines = [f"{paint(location, _BOLD)}: {paint(diagnostic.code, _COLOURS.get(diagnostic.severity.value, ''))} {rest}"]
    source = _source_line(diagnostic)
    if source is not None:
        gutter = str(diagnostic.line)
        start = max(diagnostic.column - 1, 0)
        end = diagnostic.end_column - 1 if diagnostic.end_line == diagnostic.line else len(source)
        width = max(end - start, 1)
        lines.append(f"{' ' * len(gutter)} |")
        lines.append(f"{gutter} | {source.expandtabs(1)}")
        lines.append(f"{' ' * len(gutter)} | {' ' * start}{paint('^' * width, _COLOURS.get(diagnostic.severity.value, ''))}")
    if info.rationale:
        lines.append(f"  = why: {info.rationale}")
    if info.fix_hint:
        lines.append(f"  = fix: {info.fix_hint}")
    lines.append(f"  = see: {paint(info.url, _DIM)}")
    return "\n".join(lines) + "\n"


def _source_line(diagnostic: Diagnostic) -> str | None:
    cell = dict(diagnostic.extra).get("cell")
    lines = _file_lines(diagnostic.path, cell)
    if lines is None or not 1 <= diagnostic.line <= len(lines):
        return None
    return lines[diagnostic.line - 1]


@functools.lru_cache(maxsize=64)
def _file_lines(path: str, cell: int | None) -> tuple[str, ...] | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(20_000_000)
    except OSError:
        return None
    if cell is not None:
        from kerascheck.notebook import NotebookError, read_notebook

        try:
            notebook = read_notebook(data)
        except NotebookError:
            return None
        lines = notebook.text.split("\n")
        starts = dict(notebook.cells)
        first = starts.get(cell)
        if first is None:
            return None
        following = [line for number, line in notebook.cells if number > cell]
        last = (following[0] - 1) if following else len(lines)
        return tuple(lines[first - 1:last])
    text = data.decode("utf-8", "replace")
    return tuple(text.splitlines())
