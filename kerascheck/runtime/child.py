"""The child process of ``kerascheck run``: ``python -m kerascheck.runtime.child REQUEST_PATH``.

It reads the parent's ``RunRequest``, runs the target (script, notebook or entry point) through the
harness with the real checks wired in (``checks.run_checks`` for the runtime measurements and rules,
``live_facts.structural_diagnostics`` for the structural rules on the live model), and ALWAYS writes a
``RunResult`` before exiting: when the script raises, calls ``sys.exit()``, finishes without training,
or kerascheck itself fails. Only a hard crash (segfault, out of memory, a kill) leaves no result, and
the parent reports that as such.

Nothing heavy is imported here: TensorFlow comes in when the script imports Keras (the harness's
import hook patches it then), so a script that fails early costs no TensorFlow import.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any, Callable

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.runtime.capture import Capture
from kerascheck.runtime.harness import Outcome, RunOptions, run_notebook, run_script
from kerascheck.runtime.measurements import RunMeasurements
from kerascheck.runtime.protocol import RunRequest, RunResult, read_request, write_result

__all__ = ["main", "run_request", "checking_callback", "to_result"]

Report = tuple[list[Diagnostic], RunMeasurements | None]


def checking_callback(settings: Any) -> Callable[[Capture], Report]:
    """``on_capture`` for a real run: runtime checks plus live structural rules, diagnostics merged.

    Each half guards the other: if one raises (a kerascheck bug on an unusual model), its failure is one
    ``KC000 internal-error`` diagnostic at the fit call and the other half's findings still arrive.
    """

    def on_capture(capture: Capture) -> Report:
        diagnostics: list[Diagnostic] = []
        measurements: RunMeasurements | None = None
        try:
            from kerascheck.runtime.checks import run_checks

            found, measurements = run_checks(capture, settings)
            diagnostics.extend(found)
        except Exception as exc:  # noqa: BLE001 - reported as a finding, never a lost result
            diagnostics.append(_internal_error(capture, "the runtime checks", exc))
        try:
            from kerascheck.runtime.live_facts import structural_diagnostics

            diagnostics.extend(structural_diagnostics(capture, settings))
        except Exception as exc:  # noqa: BLE001
            diagnostics.append(_internal_error(capture, "the structural rules on the live model", exc))
        return diagnostics, measurements

    return on_capture


def _internal_error(capture: Capture, what: str, exc: BaseException) -> Diagnostic:
    from kerascheck.config import display_path

    site = capture.fit_site or capture.model_site
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    line, column = (site.line, site.column or 1) if site is not None else (1, 1)
    return Diagnostic(path=display_path(site.file) if site is not None else "<model>", line=line,
                      column=column, end_line=line, end_column=column + 1, code="KC000", name="internal-error",
                      severity=Severity.ERROR,
                      message=f"{what} crashed on this model ({detail}); please report this")


def run_request(request: RunRequest) -> RunResult:
    """Run what the request names and describe how it ended."""
    options = RunOptions(cwd=request.cwd, user_roots=request.user_roots, continue_after=request.continue_after,
                         synthetic_data=request.synthetic_data, max_samples=request.max_samples,
                         keras2_compat=request.keras2_compat)
    on_capture = checking_callback(request.settings)
    if request.mode == "script":
        outcome = run_script(request.target, request.args, on_capture, options)
    elif request.mode == "notebook":
        outcome = run_notebook(request.target, on_capture, options)
    elif request.mode == "entry":
        from kerascheck.runtime.entry import run_entry

        batch = request.settings.thresholds().batch_size if request.settings is not None else 32
        outcome = run_entry(request.target, request.data_entry, on_capture, options, batch_size=batch,
                            args=tuple(request.args))
    else:
        return RunResult(status="setup_error", error=_message_error(f"unknown run mode {request.mode!r}"))
    return to_result(outcome, request.settings)


def to_result(outcome: Outcome, settings: Any) -> RunResult:
    """The ``RunResult`` of an outcome; the harness's own findings only for enabled rules."""
    diagnostics: list[Diagnostic] = []
    measurements: RunMeasurements | None = None
    if outcome.report is not None:
        diagnostics, measurements = outcome.report
    enabled = set(getattr(settings, "enabled", ()) or ())
    diagnostics = [*diagnostics, *(d for d in outcome.diagnostics if d.code in enabled)]
    return RunResult(status=outcome.status, diagnostics=[d.to_json() for d in sorted(diagnostics)],
                     measurements=None if measurements is None else measurements.to_json(),
                     error=outcome.error, exit_code=outcome.exit_code, continued=outcome.continued)


def _message_error(message: str, kind: str = "SetupError") -> dict[str, Any]:
    return {"type": kind, "message": message, "file": None, "line": None, "traceback": ""}


def main(argv: list[str] | None = None) -> int:
    """Entry point; the exit status is 0 whenever a result was written (the result carries the verdict)."""
    return _main(argv)[0]


def _main(argv: list[str] | None) -> tuple[int, bool]:
    """(exit status, whether the script ran to its end) for one request."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m kerascheck.runtime.child REQUEST_PATH", file=sys.stderr)
        return 2, True
    request = read_request(args[0])
    try:
        result = run_request(request)
    except BaseException as exc:  # noqa: BLE001 - a kerascheck failure must still produce a result
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        result = RunResult(status="setup_error", error={**_message_error(
            f"kerascheck's runner failed: {type(exc).__name__}: {exc}", "InternalError"), "traceback": detail})
    write_result(result, request.result_path)
    return 0, result.continued or result.status != "checked"


if __name__ == "__main__":
    code, finished = _main(None)
    if not finished:
        # The script was stopped on purpose at its fit: its non-daemon threads (data loaders...) and
        # TensorFlow's teardown must not keep the process, and the parent, waiting for nothing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
