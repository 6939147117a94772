"""The static pipeline: files in, sorted diagnostics out.

Per file: read bytes → cheap prefilter → decode → parse (libcst) → extract facts → run the enabled rules
→ positions (only for files with findings) → suppression comments → per-file-ignores → dedupe.

Design points:

- ``lint_source(bytes, path, settings)`` is a pure function of the file's bytes, its reported path and the
  (hashable, picklable) settings: ``lint_paths`` reads each file once, looks its result up in the cache
  by content hash, and lints the misses in-process or in a pool (``parallel.py``).
- Nothing the user wrote is imported or executed, and neither is TensorFlow/Keras: the pass only reads
  text (``tests/test_static_never_imports_tf.py`` guards this).
- No failure escapes as a traceback: an unreadable, undecodable or unparsable file, and a crashing rule,
  each become one ``KC000`` diagnostic for that file and the other files and rules still run.
- libcst is imported inside functions so that ``kerascheck --version`` and ``--help`` start instantly.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tokenize
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Sequence

from kerascheck.config import PARSE_ERROR_CODE, Settings, display_path, selector_matches
from kerascheck.diagnostics import Diagnostic, Fix, Severity
from kerascheck.notebook import is_notebook_path

if TYPE_CHECKING:
    import libcst as cst

    from kerascheck.cache import ResultCache

__all__ = ["FileResult", "LintResult", "lint_file", "lint_paths", "lint_source"]

# A file that mentions none of these cannot contain a Keras model; skipping its parse is the main speed-up
# on mixed repositories. Checked on raw bytes: every source encoding Python accepts is ASCII-compatible.
PREFILTER_WORDS = ("keras", "tensorflow", "tf.")
_PREFILTER_BYTES = tuple(word.encode("ascii") for word in PREFILTER_WORDS)

# IPython magics and shell escapes in notebook exports (``%matplotlib inline``, ``!pip install ...``).
_MAGIC_LINE = re.compile(r"^([ \t]*)[%!]", re.MULTILINE)

# A notebook file may be this many times ``max-file-size`` (outputs) before it is skipped unread.
NOTEBOOK_SIZE_FACTOR = 64

_PARSE_ERROR = "parse-error"
_INTERNAL_ERROR = "internal-error"


@dataclass(frozen=True)
class FileResult:
    """The outcome of linting one file (picklable, so it can cross a process boundary or be cached)."""

    path: str
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class LintResult:
    """The outcome of a run: every diagnostic, sorted by path then position, and how many files were read."""

    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    files_skipped: int = 0  # read, but they mention neither Keras nor TensorFlow: nothing to check

    @property
    def files_with_diagnostics(self) -> int:
        return len({d.path for d in self.diagnostics})


def lint_paths(
    paths: Sequence[str],
    settings: Settings,
    *,
    force_exclude: bool = False,
    stdin: bytes | None = None,
    stdin_filename: str | None = None,
    cache: ResultCache | None = None,
    jobs: int = 1,
) -> LintResult:
    """Lint files and directories (``-`` is standard input; ``stdin`` supplies its bytes if given).

    ``cache`` reuses results of unchanged files; ``jobs`` > 1 lints the remaining files in a process
    pool when there are enough of them to pay for it. Neither changes the result: diagnostics are sorted
    by path and position whatever the order files finish in.

    A path that does not exist, a directory that cannot be listed and a file that cannot be read (or is
    above ``settings.max_file_size``) each become one ``KC000`` finding; the other files are still linted.
    """
    from kerascheck.discovery import discover, is_excluded

    file_args = [p for p in paths if p != "-"] if paths else ["."]
    results: list[FileResult] = []

    def problem(where: str, reason: str) -> None:
        message = reason if reason.startswith("cannot") else f"cannot read file: {reason}"
        results.append(FileResult(display_path(where), (_error(display_path(where), 1, 1, message, _PARSE_ERROR),)))

    files = discover(
        file_args, project_root=settings.project_root, exclude=settings.exclude, force_exclude=force_exclude,
        on_problem=problem, respect_gitignore=settings.respect_gitignore,
    )
    pending: list[tuple[str, bytes, str | None]] = []  # (path, content, cache key)
    skipped = 0
    for file in files:
        path = display_path(file)
        data = _read(file, path, settings.max_file_size)
        if isinstance(data, Diagnostic):
            results.append(FileResult(path, (data,)))
            continue
        if not mentions_keras(data):
            skipped += 1
            continue
        if not _is_python_path(file):
            results.append(FileResult(path, (_not_python(path),)))
            continue
        key = cache.key(path, data) if cache is not None else None
        cached = cache.get(key) if cache is not None and key is not None else None
        if cached is not None:
            results.append(FileResult(path, cached))
        else:
            pending.append((path, data, key))
    for (path, _, key), diagnostics in zip(pending, _lint_contents(pending, settings, jobs)):
        results.append(FileResult(path, diagnostics))
        if cache is not None and key is not None:
            cache.put(key, diagnostics)
    checked = len(results)
    if "-" in paths:
        name = stdin_filename or "-"
        if not (force_exclude and stdin_filename and is_excluded(name, settings.project_root, settings.exclude)):
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            shown = display_path(name) if stdin_filename else name
            if settings.max_file_size and len(data) > settings.max_file_size:
                results.append(FileResult(shown, (too_large(shown, len(data), settings.max_file_size),)))
            else:
                results.append(FileResult(shown, tuple(lint_source(data, shown, settings))))
            checked += 1
    diagnostics = sorted(d for result in results for d in result.diagnostics)
    return LintResult(diagnostics=tuple(diagnostics), files_checked=checked, files_skipped=skipped)


# Files named on the command line are linted as Python when their extension says so or they have none
# (scripts like ``train``); ``README.md`` or ``data.csv`` named by accident get a clear info finding.
_PYTHON_SUFFIXES = (".py", ".pyi", ".pyw", ".ipynb")


def _is_python_path(path: str) -> bool:
    name = os.path.basename(path)
    return "." not in name.lstrip(".") or name.lower().endswith(_PYTHON_SUFFIXES)


def _not_python(path: str) -> Diagnostic:
    return replace(_error(path, 1, 1, "not linted: not a Python file or notebook (by its extension); "
                          "kerascheck reads .py, .pyi and .ipynb files", "not-python"), severity=Severity.INFO)


def mentions_keras(data: bytes) -> bool:
    """The prefilter: can these bytes contain Keras code at all?"""
    return any(word in data for word in _PREFILTER_BYTES)


def _lint_contents(
    items: Sequence[tuple[str, bytes, str | None]], settings: Settings, jobs: int
) -> list[tuple[Diagnostic, ...]]:
    """Lint file contents in order, in a process pool when that pays (see ``parallel``)."""
    from kerascheck.parallel import map_in_pool, worth_a_pool

    if worth_a_pool(len(items), jobs):
        return map_in_pool(_lint_item, [(path, data) for path, data, _ in items], settings, jobs,
                           weight=lambda item: len(item[1]))
    return [_lint_item((path, data), settings) for path, data, _ in items]


def _lint_item(item: tuple[str, bytes], settings: Settings) -> tuple[Diagnostic, ...]:
    path, data = item
    return tuple(lint_source(data, path, settings))


def lint_file(path: str, settings: Settings) -> FileResult:
    """Read and lint one file; ``path`` is used as given in the diagnostics."""
    data = _read(path, path, settings.max_file_size)
    if isinstance(data, Diagnostic):
        return FileResult(path, (data,))
    return FileResult(path, tuple(lint_source(data, path, settings)))


def _read(file: str, shown: str, max_size: int = 0) -> bytes | Diagnostic:
    """The file's bytes, or the KC000 finding that says why it is not read.

    The size limit is checked on the open file before reading it, so a huge generated file costs a
    ``stat``, not a read and a parse (the parser is where the time and memory would go).
    """
    try:
        with open(file, "rb") as handle:
            if max_size:
                size = os.fstat(handle.fileno()).st_size
                # A notebook's limit applies to its code cells (outputs can be megabytes of images),
                # so it is read unless it is far beyond anything its code could explain.
                limit = max_size * NOTEBOOK_SIZE_FACTOR if is_notebook_path(shown) else max_size
                if size > limit:
                    return too_large(shown, size, limit)
            return handle.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, IsADirectoryError):
            reason = "it is a directory"
        return _error(shown, 1, 1, f"cannot read file: {reason}", _PARSE_ERROR)


def too_large(path: str, size: int, limit: int) -> Diagnostic:
    """The info finding for a file skipped by ``max-file-size``."""
    message = (f"not linted: the file is {_megabytes(size)}, above max-file-size ({_megabytes(limit)}); "
               "parsing files this large takes minutes and gigabytes, and generated files rarely hold a "
               "hand-written model: to lint it anyway, set max-file-size = 0 (no limit) or a larger number "
               "of bytes in [tool.kerascheck]")
    return Diagnostic(path=path, line=1, column=1, end_line=1, end_column=1, code=PARSE_ERROR_CODE,
                      name="file-too-large", severity=Severity.INFO, message=message)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def lint_source(source: bytes | str, path: str, settings: Settings) -> list[Diagnostic]:
    """Lint one file's content; ``path`` names it in diagnostics and selects its per-file-ignores."""
    try:
        return _lint_source(source, path, settings)
    except Exception as exc:  # a bug in kerascheck must cost one file, never the run
        _print_traceback_if_debugging(path)
        return [_error(path, 1, 1, f"kerascheck failed on this file ({_describe(exc)}); please report this",
                       _INTERNAL_ERROR)]


def _print_traceback_if_debugging(path: str) -> None:
    """``--verbose`` (``KERASCHECK_DEBUG``): the traceback of a caught internal error, for bug reports."""
    if os.environ.get("KERASCHECK_DEBUG"):
        import traceback

        sys.stderr.write(f"kerascheck: internal error on {path}:\n{traceback.format_exc()}")


def _lint_source(source: bytes | str, path: str, settings: Settings) -> list[Diagnostic]:
    if isinstance(source, bytes):
        if not mentions_keras(source):
            return []
        if is_notebook_path(path):
            return _lint_notebook(source, path, settings)
        decoded = _decode(source, path)
        if isinstance(decoded, Diagnostic):
            return [decoded]
        text = decoded
    else:
        text = source[1:] if source.startswith("\ufeff") else source
        if not any(word in text for word in PREFILTER_WORDS):
            return []
        if is_notebook_path(path):
            return _lint_notebook(text.encode("utf-8", "surrogatepass"), path, settings)
    return _lint_text(text, path, settings)


def _lint_text(text: str, path: str, settings: Settings, *, notebook: bool = False) -> list[Diagnostic]:
    """Parse, extract, run the rules and apply suppressions on one Python source."""
    parsed = _parse(text, path, notebook=notebook)
    if isinstance(parsed, Diagnostic):
        return [parsed]
    module, text = parsed
    diagnostics = _run_rules(module, text, path, settings)
    if UNUSED_SUPPRESSION in settings.enabled:
        diagnostics += _unused_suppressions(diagnostics, text, path, settings)
    if not diagnostics:
        return []
    from kerascheck.suppressions import apply_suppressions

    diagnostics = apply_suppressions(diagnostics, text)
    diagnostics = _apply_per_file_ignores(diagnostics, path, settings)
    return _dedupe(sorted(diagnostics))


def _lint_notebook(data: bytes, path: str, settings: Settings) -> list[Diagnostic]:
    """Lint a notebook's code cells together; positions come back cell-relative with a ``cell`` key."""
    from kerascheck.notebook import NotebookError, read_notebook

    try:
        notebook = read_notebook(data)
    except NotebookError as exc:
        severity = Severity.INFO if str(exc).startswith("not linted") else Severity.ERROR
        return [replace(_error(path, 1, 1, str(exc), _PARSE_ERROR), severity=severity)]
    if settings.max_file_size and notebook.code_size > settings.max_file_size:
        return [too_large(path, notebook.code_size, settings.max_file_size)]
    if not any(word in notebook.text for word in PREFILTER_WORDS):
        return []
    return [_to_cell(d, notebook) for d in _lint_text(notebook.text, path, settings, notebook=True)]


def _to_cell(diagnostic: Diagnostic, notebook: Any) -> Diagnostic:
    cell, line = notebook.cell_of(diagnostic.line)
    end_cell, end_line = notebook.cell_of(diagnostic.end_line)
    end_column = diagnostic.end_column
    if end_cell != cell:  # a span cannot leave its cell: end it where it starts
        end_line, end_column = line, diagnostic.column
    return replace(diagnostic, line=line, end_line=end_line, end_column=end_column,
                   fix=_fix_to_cells(diagnostic.fix, notebook),
                   extra=tuple(sorted({**dict(diagnostic.extra), "cell": cell}.items())))


def _fix_to_cells(fix: Fix | None, notebook: Any) -> Fix | None:
    """A notebook fix with cell-relative edits (``Edit.cell``); None if an edit would span two cells
    (cells are separate sources: an edit across them has no meaning)."""
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        cell, line = notebook.cell_of(edit.line)
        end_cell, end_line = notebook.cell_of(edit.end_line)
        if end_cell != cell:
            return None
        edits.append(replace(edit, line=line, end_line=end_line, cell=cell))
    return replace(fix, edits=tuple(edits))


# -- decoding and parsing ---------------------------------------------------------------------------


def _decode(data: bytes, path: str) -> str | Diagnostic:
    """Decode like CPython does (BOM, PEP 263 cookie, else UTF-8), or explain why the file cannot be read."""
    encoding: str | None
    cookie_problem = ""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # ``detect_encoding`` also fails when one of the first two lines is not UTF-8; then the byte
        # position (below) is more useful than its generic message.
        encoding = None
        cookie_problem = exc.msg
    try:
        if encoding is None:
            data.decode("utf-8")
            line = next((i for i, raw in enumerate(data.splitlines()[:2], 1) if b"coding" in raw), 1)
            return _error(path, line, 1, f"cannot decode the file: {cookie_problem}; declare a valid "
                          "encoding ('# -*- coding: utf-8 -*-') or save the file as UTF-8", _PARSE_ERROR)
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        name = encoding or "utf-8"
        return _error(path, line, column,
                      f"cannot decode the file as {name}: byte 0x{data[exc.start]:02x} is invalid here; "
                      "save it as UTF-8 or declare its encoding with a '# -*- coding: <name> -*-' line",
                      _PARSE_ERROR)


def _parse(text: str, path: str, *, notebook: bool = False) -> tuple[cst.Module, str] | Diagnostic:
    """Parse ``text`` if CPython accepts it (see ``parse_guard``), else say why it is not linted.

    A notebook export's IPython magics and shell escapes (``%matplotlib``, ``!pip``) are not Python: when
    CPython rejects the text and it has such lines, they are commented out (same line lengths, so
    positions hold) and top-level ``await`` is allowed, as in a notebook cell.
    """
    from kerascheck.parse_guard import cpython_rejection, parse_module

    rejection = cpython_rejection(text, path, top_level_await=notebook)
    if rejection is not None and not rejection.too_deep and _MAGIC_LINE.search(text):
        commented = _MAGIC_LINE.sub(lambda m: m.group(1) + "#", text)
        rejection = cpython_rejection(commented, path, top_level_await=True)
        text = commented
    if rejection is not None:
        return _error(path, rejection.line, rejection.column, rejection.message, _PARSE_ERROR,
                      rejection.end_line, rejection.end_column)
    result = parse_module(text)
    if isinstance(result, BaseException):
        return _libcst_error(path, result)
    return result, text


def _libcst_error(path: str, libcst_error: BaseException) -> Diagnostic:
    """Explain a libcst failure on source that CPython compiles (libcst lags behind new syntax)."""
    import libcst as cst

    if isinstance(libcst_error, cst.ParserSyntaxError):
        message = libcst_error.message.removeprefix("parser error: ")
        line, column = libcst_error.raw_line, libcst_error.raw_column + 1
        return _error(path, line, column, f"kerascheck's parser cannot read this syntax: {message}",
                      _PARSE_ERROR)
    return _error(path, 1, 1, f"could not parse the file ({_describe(libcst_error)})", _PARSE_ERROR)


UNUSED_SUPPRESSION = "KC001"  # judged by the engine after the other rules: it needs their findings


# -- rules ------------------------------------------------------------------------------------------


def _run_rules(module: cst.Module, text: str, path: str, settings: Settings) -> list[Diagnostic]:
    from kerascheck.facts.extract import extract_facts
    from kerascheck.rules._index import rule_index
    from kerascheck.rules.base import RuleContext

    try:
        facts = extract_facts(module)
    except RecursionError:
        return [_too_deep(path, text)]
    except Exception as exc:
        _print_traceback_if_debugging(path)
        return [_error(path, 1, 1, f"could not analyse this file: extracting facts failed ({_describe(exc)}); "
                       "please report this", _INTERNAL_ERROR)]
    rules = rule_index()  # only the enabled static rules are imported
    resolver: Any = None  # positions cost a partial re-parse: only files with findings pay for them
    builder: Any = None  # fixes (libcst edits) likewise: only files with a fixable finding
    diagnostics: list[Diagnostic] = []
    for code in settings.enabled:
        info = rules.get(code)
        if info is None or info.runtime:  # runtime checks need the live model: ``kerascheck run``
            continue
        rule = info.load()
        try:
            findings = list(rule().check(facts, RuleContext(settings.rule_options(code))))
            if findings and resolver is None:
                from kerascheck.positions import PositionResolver

                resolver = PositionResolver(module, text)
            found = []
            for finding in findings:
                line, column, end_line, end_column = resolver.span(finding.loc)
                fix = None
                if finding.fix is not None:
                    if builder is None:
                        from kerascheck.fixes.build import FixBuilder

                        builder = FixBuilder(module, text, resolver)
                    fix = _build_fix(builder, finding.fix, path)
                found.append(Diagnostic(
                    path=path, line=line, column=column, end_line=end_line, end_column=end_column,
                    code=code, name=rule.name, severity=finding.severity or rule.severity,
                    message=finding.message, fix=fix,
                ))
        except RecursionError:
            return [_too_deep(path, text)]
        except Exception as exc:
            _print_traceback_if_debugging(path)
            diagnostics.append(_error(path, 1, 1, f"rule {code} ({rule.name}) crashed on this file "
                                      f"({_describe(exc)}); please report this", _INTERNAL_ERROR))
            continue
        diagnostics.extend(found)
    return diagnostics


def _unused_suppressions(diagnostics: list[Diagnostic], text: str, path: str, settings: Settings) -> list[Diagnostic]:
    """KC001: judged on every rule's findings before anything is suppressed (see unused_suppressions)."""
    from kerascheck.rules._index import rule_index
    from kerascheck.unused_suppressions import unused_suppressions

    rules = rule_index()
    return unused_suppressions(
        diagnostics, text, path, enabled=settings.enabled, known=rules,
        runtime={code for code, rule in rules.items() if rule.runtime},
    )


def _build_fix(builder: Any, intent: Any, path: str) -> Any:
    """The positioned fix of a finding, or None: a failing fix costs the fix, never the finding."""
    try:
        return builder.build(intent)
    except RecursionError:
        return None
    except Exception:
        _print_traceback_if_debugging(path)
        return None


def _too_deep(path: str, text: str) -> Diagnostic:
    from kerascheck.parse_guard import deepest_line, too_deep_to_analyse_message

    line = deepest_line(text)
    return _error(path, line, 1, too_deep_to_analyse_message(line), _PARSE_ERROR)


def _apply_per_file_ignores(diagnostics: list[Diagnostic], path: str, settings: Settings) -> list[Diagnostic]:
    if not settings.per_file_ignores:
        return diagnostics
    from kerascheck.discovery import relative_to_root

    selectors = settings.ignored_selectors(relative_to_root(path, settings.project_root))
    if not selectors:
        return diagnostics
    return [
        d for d in diagnostics
        if d.code == PARSE_ERROR_CODE or not any(selector_matches(s, d.code, d.name) for s in selectors)
    ]


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Keep the first of findings with the same (code, line, column): two facts can share one node."""
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.line, diagnostic.column)
        if key not in seen:
            seen.add(key)
            unique.append(diagnostic)
    return unique


def _error(
    path: str, line: int, column: int, message: str, name: str,
    end_line: int | None = None, end_column: int | None = None,
) -> Diagnostic:
    return Diagnostic(
        path=path, line=line, column=column,
        end_line=line if end_line is None else end_line,
        end_column=column if end_column is None else end_column,
        code=PARSE_ERROR_CODE, name=name, severity=Severity.ERROR, message=message,
    )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
