"""The default text format: ``path:line:col: CODE message``, one finding per line (1-based columns).

That shape is what editors' "jump to error" and CI problem matchers already parse (flake8, ruff and
mypy print the same), so no integration needs kerascheck-specific glue.
"""

from __future__ import annotations

from typing import Sequence, TextIO

from kerascheck.diagnostics import Diagnostic


def format_diagnostic(diagnostic: Diagnostic) -> str:
    """One line; newlines inside a message are flattened so the line stays machine-parsable."""
    message = " ".join(diagnostic.message.split())
    cell = dict(diagnostic.extra).get("cell")
    where = printable_path(diagnostic.path) + (f":cell {cell}" if cell is not None else "")
    return f"{where}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {message}"


def printable_path(path: str) -> str:
    """The path on one line and in valid UTF-8: control characters (a newline in a file name) and bytes
    that are not UTF-8 (kept by the OS as surrogate escapes) are shown as backslash escapes."""
    if path.isprintable():
        return path
    raw = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in raw)


def write_text(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    for diagnostic in diagnostics:
        out.write(format_diagnostic(diagnostic) + "\n")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(diagnostics: Sequence[Diagnostic], files_checked: int, files_skipped: int = 0) -> str:
    """``Found N problems in M files.`` (M = files with problems) or ``All checks passed! (K files checked)``.

    The clean message names the number of files read, so an ``exclude`` that hides everything shows up,
    and files skipped because they mention neither Keras nor TensorFlow are counted apart: a skipped
    file was never parsed, so its silence is not a pass.
    """
    skipped = f"; {files_skipped} skipped: no Keras or TensorFlow code" if files_skipped else ""
    if not diagnostics:
        return f"All checks passed! ({_plural(files_checked, 'file')} checked{skipped})"
    files = len({d.path for d in diagnostics})
    tail = f" ({_plural(files_checked, 'file')} checked{skipped})" if files_skipped else ""
    return f"Found {_plural(len(diagnostics), 'problem')} in {_plural(files, 'file')}{tail}."


def write_statistics(rows: Sequence[tuple[str, str, int]], out: TextIO) -> None:
    """Aligned ``count  CODE  name`` rows, most frequent first."""
    width = max((len(str(count)) for _, _, count in rows), default=1)
    for code, name, count in rows:
        out.write(f"{count:>{width}}  {code}  {name}\n")
