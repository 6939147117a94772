"""``--fix`` / ``--unsafe-fixes`` / ``--diff`` / ``--fix-only`` over a finished lint run.

The lint run says which files have an applicable fix; only those are read again, fixed
(``files.fix_source``: fix, re-lint, repeat) and, unless ``--diff``, written back atomically. Their
findings are replaced by the findings of the fixed content, so what is reported afterwards is what
remains, as with ruff. Standard input is never written: its fixed text is handed back to print.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from kerascheck.config import Settings
from kerascheck.diagnostics import Diagnostic
from kerascheck.fixes.files import FileFix, fix_source, fixable, unified_diff, write_atomically


@dataclass
class FixRun:
    """What fixing did: the findings that remain, how many were fixed, diffs, notes for stderr."""

    remaining: tuple[Diagnostic, ...]
    applied: int = 0
    files_changed: int = 0
    diffs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stdin_output: bytes | None = None  # the fixed standard input (to print instead of writing a file)


def fix_lint_results(
    diagnostics: Sequence[Diagnostic],
    settings: Settings,
    *,
    unsafe: bool,
    write: bool,
    stdin: bytes | None = None,
    stdin_path: str | None = None,
) -> FixRun:
    """Fix every file of ``diagnostics`` that has an applicable fix (``write``: also save them)."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        by_path[diagnostic.path].append(diagnostic)
    run = FixRun(remaining=())
    remaining: list[Diagnostic] = []
    for path in sorted(by_path):
        found = by_path[path]
        from_stdin = stdin is not None and path == stdin_path
        if not fixable(found, unsafe=unsafe):
            remaining.extend(found)
            if from_stdin:
                run.stdin_output = stdin
            continue
        data = stdin if from_stdin else _read(path, run)
        if data is None:
            remaining.extend(found)
            continue
        result = fix_source(data, path, settings, unsafe=unsafe)
        run.notes.extend(result.notes)
        if from_stdin:
            run.stdin_output = result.fixed
        elif write and result.changed and not _write(path, result, run):
            remaining.extend(found)
            continue
        if result.changed:
            run.applied += result.applied
            run.files_changed += 1
            run.diffs.append(unified_diff(result))
        remaining.extend(result.remaining)
    if stdin is not None and stdin_path is not None and stdin_path not in by_path:
        run.stdin_output = stdin  # clean input: printed unchanged
    run.remaining = tuple(sorted(remaining))
    return run


def _read(path: str, run: FixRun) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        run.notes.append(f"{path}: not fixed: cannot read it again ({exc.strerror or exc})")
        return None


def _write(path: str, result: FileFix, run: FixRun) -> bool:
    try:
        write_atomically(path, result.fixed)
    except OSError as exc:
        run.notes.append(f"{path}: not fixed: cannot write it ({exc.strerror or exc})")
        return False
    return True


def summary(run: FixRun, *, diff: bool) -> str:
    """``Fixed 3 problems in 2 files.`` (``Would fix`` for ``--diff``); empty when nothing applied."""
    if not run.applied:
        return "No fixes available." if diff else ""
    verb = "Would fix" if diff else "Fixed"
    problems = f"{run.applied} problem{'s' if run.applied != 1 else ''}"
    files = f"{run.files_changed} file{'s' if run.files_changed != 1 else ''}"
    return f"{verb} {problems} in {files}."


def fixable_hint(diagnostics: Sequence[Diagnostic]) -> str:
    """``3 fixable with --fix (1 more with --unsafe-fixes).`` for the summary of a plain check."""
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.safe)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and not d.fix.safe)
    if not safe and not unsafe:
        return ""
    if not safe:
        return f"{unsafe} fixable with --fix --unsafe-fixes (review them: they change behaviour)."
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
    return f"{safe} fixable with --fix{more}."
