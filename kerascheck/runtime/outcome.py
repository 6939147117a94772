"""What one ``kerascheck run`` amounts to: findings merged with the static pass, a status, an exit code.

The launcher says how the child ended (a result, a timeout, a crash, Ctrl-C); this module turns that
into what the user is told. Runtime findings get the treatment static ones get in the engine, so the
two passes never disagree on what counts: suppression comments and ``per-file-ignores`` apply to them
too, and a static and a runtime finding of one code on one line are reported once (the static one is
kept: it has exact columns). Pure data in, pure data out: no TensorFlow, no subprocesses.
"""

from __future__ import annotations

import signal

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from kerascheck.config import PARSE_ERROR_CODE, Settings, display_path, selector_matches
from kerascheck.diagnostics import Diagnostic
from kerascheck.runtime.launcher import ChildOutcome
from kerascheck.runtime.measurements import RunMeasurements

__all__ = ["RunReport", "build_report", "merge_diagnostics", "failure_text", "EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_ERROR",
           "EXIT_INTERRUPTED"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
OUTPUT_LINES_SHOWN = 20  # of the collected tail, in the text message after a failure
OUTPUT_LINE_CHARS = 300  # a progress bar or a printed array can make one line megabytes long


@dataclass
class RunReport:
    """The whole answer of one run. ``status`` is a ``protocol.STATUSES`` value or one the parent adds:
    ``"timeout"``, ``"crashed"`` (the child died without a result) or ``"killed"`` (Ctrl-C in the
    parent). ``message`` is the one-paragraph explanation for stderr when the run did not check
    anything; ``error`` its JSON form (``None`` for ``"checked"``)."""

    status: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    measurements: RunMeasurements | None = None
    error: dict[str, Any] | None = None
    message: str | None = None
    output: str = ""
    exit_code: int = EXIT_CLEAN


def _is_note(diagnostic: Diagnostic) -> bool:
    """A check that could not be done (KC000, info): shown, but not a finding about the user's code.

    A healthy model with a custom ``train_step`` always gets "gradients not done"; failing CI on it would
    make ``kerascheck run`` unusable there.
    """
    return diagnostic.code == PARSE_ERROR_CODE and diagnostic.severity.value == "info"


def _interrupted(report: RunReport, by: str) -> RunReport:
    """Ctrl-C exits 130, as shells do; SIGTERM (a cancelled CI job) 143 and SIGHUP 129: 128 + the signal."""
    number = getattr(signal, by, signal.SIGINT)
    if number == signal.SIGINT:
        return _failed(report, "killed", "interrupted: the script was stopped and its processes killed",
                       {"type": "KeyboardInterrupt"}, EXIT_INTERRUPTED)
    return _failed(report, "killed", f"terminated by {by}: the script was stopped and its processes killed",
                   {"type": "Terminated", "signal": by}, 128 + int(number))


def build_report(outcome: ChildOutcome, static: Sequence[Diagnostic], settings: Settings, *,
                 exit_zero: bool = False) -> RunReport:
    """Interpret ``outcome``; ``static`` are the target's static findings (always reported)."""
    result = outcome.result
    runtime = _runtime_diagnostics(result.diagnostics if result is not None else [])
    diagnostics = merge_diagnostics(static, runtime, settings)
    report = RunReport(status="checked", diagnostics=diagnostics, output=outcome.output)
    if outcome.ending == "timeout":
        return _failed(report, "timeout", f"timed out after {outcome.timeout:g} s (raise --timeout)",
                       {"type": "Timeout", "seconds": outcome.timeout})
    if outcome.ending == "interrupted":
        return _interrupted(report, getattr(outcome, "interrupted_by", None) or "SIGINT")
    if result is None:
        how = (f"signal {outcome.signal_name}" if outcome.signal_name
               else f"exit status {outcome.returncode} with no result")
        return _failed(report, "crashed", f"the script crashed ({how}) before kerascheck could report",
                       {"type": "Crash", "signal": outcome.signal_name, "returncode": outcome.returncode})
    if result.measurements is not None:
        report.measurements = RunMeasurements.from_json(result.measurements)
    if result.status == "checked":
        failing = [d for d in diagnostics if not _is_note(d)]
        report.exit_code = EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN
        return report
    error = dict(result.error or {})
    if result.status == "script_error":
        message = _script_error_message(error)
    elif result.status == "no_fit":
        message = ("the script finished without calling fit() / train_on_batch(): nothing to check "
                   "(use --entry for a model factory)")
    elif result.status == "script_exit":
        message = f"the script called sys.exit({result.exit_code}) before its first fit(): nothing to check"
        error = {"type": "SystemExit", "code": result.exit_code, **error}
    else:  # setup_error, no_tensorflow, or a status this parent does not know
        message = str(error.get("message") or f"the run ended with status {result.status!r}")
    return _failed(report, result.status, message, error)


def _failed(report: RunReport, status: str, message: str, error: dict[str, Any],
            exit_code: int = EXIT_ERROR) -> RunReport:
    error.setdefault("message", message)
    error["output"] = report.output
    return replace(report, status=status, message=message, error=error, exit_code=exit_code)


def _script_error_message(error: dict[str, Any]) -> str:
    where = f"{display_path(error['file'])}:{error['line']}: " if error.get("file") and error.get("line") else ""
    head = f"{where}the script raised {error.get('type', 'an exception')}: {error.get('message', '')}".rstrip()
    traceback = str(error.get("traceback") or "").rstrip()
    return f"{head} (before its first fit)" + (f"\n{traceback}" if traceback else "")


def failure_text(report: RunReport, *, output_shown: bool) -> str:
    """The stderr text of a failed run: the message, then the script's last output unless it was
    streamed already (``--show-output``)."""
    text = f"kerascheck: {report.message}"
    if report.status == "script_error":
        return text  # the traceback says it; the output before it rarely helps
    lines = report.output.splitlines()[-OUTPUT_LINES_SHOWN:]
    if lines and not output_shown:
        text += "; last output:\n" + "\n".join(f"  | {_clip(line)}" for line in lines)
    return text


def _clip(line: str) -> str:
    return line if len(line) <= OUTPUT_LINE_CHARS else line[:OUTPUT_LINE_CHARS] + " [...]"


def _runtime_diagnostics(items: Iterable[dict[str, Any]]) -> list[Diagnostic]:
    found = []
    for item in items:
        try:
            found.append(Diagnostic.from_json(item))
        except (KeyError, TypeError, ValueError):
            continue  # a malformed entry from a broken child must not hide the others
    return found


def merge_diagnostics(static: Sequence[Diagnostic], runtime: Sequence[Diagnostic],
                      settings: Settings) -> list[Diagnostic]:
    """Static findings plus the runtime ones that survive suppression, per-file-ignores and dedupe."""
    kept = _apply_per_file_ignores(_apply_suppressions(list(runtime)), settings)
    seen = {_line_key(d) for d in static}
    merged = list(static)
    runtime_seen: set[tuple[Any, ...]] = set()
    for diagnostic in kept:
        layer_key = (*_line_key(diagnostic), diagnostic.column, dict(diagnostic.extra).get("layer"))
        if diagnostic.code == PARSE_ERROR_CODE:  # notes on different checks share the fit line
            layer_key += (diagnostic.message,)
        if _line_key(diagnostic) in seen or layer_key in runtime_seen:
            continue
        runtime_seen.add(layer_key)
        merged.append(diagnostic)
    # Notebook findings carry cell-relative lines: order by cell first, as the static pass reports them.
    return sorted(merged, key=lambda d: (d.path, dict(d.extra).get("cell") or 0, d))


def _line_key(diagnostic: Diagnostic) -> tuple[Any, ...]:
    return (diagnostic.path, dict(diagnostic.extra).get("cell"), diagnostic.line, diagnostic.code)


def _apply_suppressions(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``# noqa: KC703`` on a layer's line silences its runtime finding, as for static ones."""
    from kerascheck.suppressions import parse_suppressions

    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    kept = []
    for path, group in by_path.items():
        source = _source_lines(path)
        if source is None:
            kept.extend(group)
            continue
        text, cell_starts = source
        suppressions = parse_suppressions(text)
        for diagnostic in group:
            cell = dict(diagnostic.extra).get("cell")
            shift = cell_starts.get(cell, 1) - 1 if cell is not None else 0
            probe = replace(diagnostic, line=diagnostic.line + shift, end_line=diagnostic.end_line + shift)
            if not suppressions.suppresses(probe):
                kept.append(diagnostic)
    return kept


def _source_lines(path: str) -> tuple[str, dict[int, int]] | None:
    """The text suppressions are read from, and for a notebook each code cell's first line in it."""
    from kerascheck.notebook import NotebookError, is_notebook_path, read_notebook

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if is_notebook_path(path):
        try:
            notebook = read_notebook(data)
        except NotebookError:
            return None
        return notebook.text, dict(notebook.cells)
    return data.decode("utf-8", "replace"), {}


def _apply_per_file_ignores(diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    if not settings.per_file_ignores:
        return diagnostics
    from kerascheck.discovery import relative_to_root

    kept = []
    for diagnostic in diagnostics:
        selectors = settings.ignored_selectors(relative_to_root(diagnostic.path, settings.project_root))
        if diagnostic.code == PARSE_ERROR_CODE or not any(
                selector_matches(s, diagnostic.code, diagnostic.name) for s in selectors):
            kept.append(diagnostic)
    return kept
