"""Fixing files: decode exactly, fix and re-lint until nothing changes, encode exactly, replace atomically.

What ``--fix``, ``--unsafe-fixes`` and ``--diff`` run for each file that has an applicable fix:

1. Decode as the linter does (BOM, PEP 263 cookie, else UTF-8) and refuse to touch a file whose text
   would not encode back to the very same bytes: then every byte outside the edits is preserved
   (line endings included, since edits never span them).
2. Fix in rounds (``MAX_ROUNDS``, as ruff bounds its loop): lint the current text, apply the
   non-overlapping fixes (``apply.apply_fixes``, which refuses results CPython cannot compile), and
   lint again, because a fix can make another finding fixable or a skipped overlapping fix can land
   now. A round that would turn a file kerascheck could parse into one it cannot is undone.
3. Encode with the original encoding (and BOM) and write through a temporary file in the same
   folder and ``os.replace``, keeping the file's permissions (a symlink's target is written).

Notebooks go through ``notebook_fix``: the same loop over the code cells, the rest of the JSON kept.
"""

from __future__ import annotations

import difflib
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass, field
from typing import Callable, Sequence

from kerascheck.config import PARSE_ERROR_CODE, Settings
from kerascheck.diagnostics import Diagnostic
from kerascheck.fixes.apply import apply_fixes, python_parses, selected_fixes
from kerascheck.notebook import is_notebook_path

__all__ = ["MAX_ROUNDS", "FileFix", "fix_source", "fix_text", "write_atomically", "unified_diff"]

MAX_ROUNDS = 10

Lint = Callable[[str], list[Diagnostic]]


@dataclass
class FileFix:
    """The outcome of fixing one file's content.

    ``fixed`` is ``original`` when nothing was applied; ``remaining`` are the findings of the fixed
    content (what to report after ``--fix``); ``notes`` explain fixes that were not applied.
    """

    path: str
    original: bytes
    fixed: bytes
    applied: int
    remaining: list[Diagnostic]
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fixable(diagnostics: Sequence[Diagnostic], *, unsafe: bool) -> bool:
    """Whether any of ``diagnostics`` carries a fix that ``--fix`` (or ``--unsafe-fixes``) applies."""
    return bool(selected_fixes(diagnostics, unsafe=unsafe))


def fix_source(data: bytes, path: str, settings: Settings, *, unsafe: bool) -> FileFix:
    """Fix one file's bytes (a Python source or a notebook); nothing is written here."""
    from kerascheck.engine import lint_source

    if is_notebook_path(path):
        from kerascheck.fixes.notebook_fix import fix_notebook

        return fix_notebook(data, path, settings, unsafe=unsafe)
    decoded = decode_exactly(data)
    if isinstance(decoded, str):  # why not
        return FileFix(path, data, data, 0, lint_source(data, path, settings), [f"{path}: {decoded}"])
    text, encoding = decoded
    notes: list[str] = []
    fixed, applied, remaining = fix_text(text, lambda t: lint_source(t, path, settings), unsafe=unsafe,
                                         notes=notes, path=path)
    try:
        out = fixed.encode(encoding)
    except UnicodeEncodeError:
        notes.append(f"{path}: fixes not applied: the fixed text cannot be written in the file's "
                     f"encoding ({encoding})")
        return FileFix(path, data, data, 0, lint_source(data, path, settings), notes)
    return FileFix(path, data, out if applied else data, applied, remaining, notes)


def fix_text(
    text: str, lint: Lint, *, unsafe: bool, notes: list[str] | None = None, path: str = "<text>",
    check: Callable[[str], bool] = python_parses,
) -> tuple[str, int, list[Diagnostic]]:
    """Fix ``text`` in rounds until no fix applies; returns (text, fixes applied, remaining findings).

    ``lint`` gives the diagnostics of a text (``lint_source`` for a file). Usable on any text, so a
    front end without files (the language server's "fix all") gets the same result as ``--fix``.
    """
    notes = notes if notes is not None else []
    diagnostics = lint(text)
    parsed = not _unparsable(diagnostics)
    applied = 0
    seen = {text}
    for _ in range(MAX_ROUNDS):
        rejected: list[str] = []
        new, count = apply_fixes(text, diagnostics, unsafe=unsafe, check=check,
                                 on_rejected=lambda d, why: rejected.append(_note(path, d, why)))
        notes.extend(n for n in rejected if n not in notes)
        if count == 0 or new in seen:
            break
        after = lint(new)
        if parsed and _unparsable(after):
            notes.append(f"{path}: fixes not applied: kerascheck could not parse the result "
                         f"({_unparsable(after)[0].message})")
            break
        text, diagnostics = new, after
        seen.add(new)
        applied += count
    return text, applied, diagnostics


def decode_exactly(data: bytes) -> tuple[str, str] | str:
    """(text, encoding) such that ``text.encode(encoding) == data``; else why the file is left alone."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return f"not fixed: cannot decode the file ({exc})"
    try:
        if text.encode(encoding) != data:
            return f"not fixed: the file would not be written back byte for byte in {encoding}"
    except UnicodeEncodeError:
        return f"not fixed: the file would not be written back byte for byte in {encoding}"
    return text, encoding


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` through a temporary file in the same folder.

    Readers (an editor, a parallel hook) see the old or the new file, never half of one. The mode
    bits are kept; a symbolic link stays a link and its target is written.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".kerascheck-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def unified_diff(result: FileFix) -> str:
    """The change as a unified diff (``--- a/path`` / ``+++ b/path``), empty when nothing changed."""
    if not result.changed:
        return ""
    old, new = _diff_text(result.original), _diff_text(result.fixed)
    relative = not os.path.isabs(result.path)
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{result.path}" if relative else result.path,
                                 tofile=f"b/{result.path}" if relative else result.path)
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _diff_text(data: bytes) -> str:
    decoded = decode_exactly(data)
    return decoded[0] if isinstance(decoded, tuple) else data.decode("utf-8", "replace")


def _unparsable(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == PARSE_ERROR_CODE and d.name == "parse-error"]


def _note(path: str, diagnostic: Diagnostic, why: str) -> str:
    cell = dict(diagnostic.extra).get("cell")
    where = f"{path}:cell {cell}" if cell is not None else path
    return f"{where}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} fix not applied: {why}"
