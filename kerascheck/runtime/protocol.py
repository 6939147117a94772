"""The one message each way between ``kerascheck run`` (parent) and the child that runs the script.

Parent -> child: a ``RunRequest`` pickled to a file whose path is the child's only argument (parent and
child are the same interpreter and the same kerascheck, and ``Settings`` is a picklable dataclass).
Child -> parent: a ``RunResult`` as JSON, written atomically (temporary file + rename) to
``request.result_path`` just before the child exits. Using files rather than the child's stdout means
a script that prints, floods its output or closes its streams cannot corrupt or block the result; a
missing result file means the child died (crash, out of memory, killed), which the parent reports.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["RunRequest", "RunResult", "STATUSES", "read_request", "write_request", "read_result", "write_result"]

# What the child can report (the parent adds "timeout", "crashed" and "killed" itself):
STATUSES = (
    "checked",       # the first fit was intercepted and the checks ran
    "no_fit",        # the script (or notebook) finished without calling fit/train_on_batch
    "script_error",  # the script raised before its first fit (``error`` holds it)
    "script_exit",   # the script called sys.exit()/exit() before its first fit (``exit_code``)
    "setup_error",   # the child could not start the target (missing entry point, bad notebook, ...)
    "no_tensorflow", # TensorFlow/Keras is not importable in this environment
)


@dataclass
class RunRequest:
    """What to run and how. ``mode``: ``"script"``, ``"notebook"`` or ``"entry"`` (a factory).

    ``target`` is the script or notebook path (absolute), or ``"pkg.module:function"`` for an entry;
    ``data_entry`` the optional ``--data`` loader; ``args`` the script's ``sys.argv[1:]``; ``cwd`` the
    working directory to run in; ``user_roots`` the directories whose files count as the user's code for
    creation sites (the script's folder and the working directory, minus installed packages).
    ``settings`` is the resolved ``kerascheck.config.Settings`` (rule selection, options, thresholds).
    """

    mode: str
    target: str
    result_path: str
    settings: Any
    args: list[str] = field(default_factory=list)
    cwd: str = "."
    user_roots: list[str] = field(default_factory=list)
    data_entry: str | None = None
    continue_after: bool = False
    synthetic_data: bool = False
    max_samples: int | None = None
    keras2_compat: bool = False


@dataclass
class RunResult:
    """What the child found. ``diagnostics`` are ``Diagnostic.to_json`` objects (runtime findings and
    live-model structural findings; the parent adds the static pass's and dedupes); ``measurements`` is
    ``RunMeasurements.to_json`` (``None`` when nothing was captured); ``error`` describes an exception
    of the user's script: ``{"type", "message", "file", "line", "traceback"}`` with the traceback cut
    to the user's frames."""

    status: str
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    measurements: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    exit_code: int | None = None
    continued: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def write_request(request: RunRequest, path: str | os.PathLike[str]) -> None:
    with open(path, "wb") as handle:
        pickle.dump(request, handle, protocol=pickle.HIGHEST_PROTOCOL)


def read_request(path: str | os.PathLike[str]) -> RunRequest:
    with open(path, "rb") as handle:
        request = pickle.load(handle)
    if not isinstance(request, RunRequest):
        raise TypeError(f"{path} does not hold a RunRequest")
    return request


def write_result(result: RunResult, path: str | os.PathLike[str]) -> None:
    """Atomically write the result (a reader never sees half a file)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".result-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(result.to_json(), handle, default=_jsonable)  # NaN stays NaN: Python reads it back
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        finally:
            raise


def read_result(path: str | os.PathLike[str]) -> RunResult | None:
    """The child's result, or ``None`` if it wrote none (it died) or wrote something unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return RunResult(**data)
    except (OSError, ValueError, TypeError):
        return None


def _jsonable(value: Any) -> Any:
    """NumPy scalars and other strays: numbers stay numbers, everything else becomes its repr."""
    for cast in (int, float):
        try:
            if cast(value) == value:
                return cast(value)
        except (TypeError, ValueError, OverflowError):
            continue
    return repr(value)
