"""Running the user's script or notebook as if it were run directly, until its first training call.

One ``Session`` sets the stage and takes it down again: ``sys.argv``, ``sys.path[0]`` and the working
directory as ``python train.py ARGS`` would have them, and an import hook that patches Keras the
moment the script imports it (creation sites, ``compile``/``fit`` interception, and on request the
synthetic datasets and the Keras 2 mappings). Everything is restored afterwards, so tests can run many
scripts in one process with their own ``on_capture`` callback::

    outcome = run_script("train.py", ["--epochs", "1"], on_capture=lambda capture: ...)

``Outcome.status`` is one of ``protocol.STATUSES``; ``child.py`` turns an ``Outcome`` into the
``RunResult`` the parent reads. Entry mode (a factory instead of a script) lives in ``entry.py``.
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback
import types
from dataclasses import dataclass, field
from types import ModuleType, TracebackType
from typing import Any, Callable, Iterator, Sequence

from kerascheck.diagnostics import Diagnostic
from kerascheck.runtime.capture import Capture
from kerascheck.runtime.intercept import Interceptor, StopScript
from kerascheck.runtime.patching import KerasImportHook, Patches
from kerascheck.runtime.sites import (UserFiles, notebook_cell_filename, site_of_frame, split_cell_filename,
                                      wrap_layer_init)

__all__ = ["RunOptions", "Outcome", "Session", "run_script", "run_notebook", "error_info",
           "is_missing_tensorflow"]

OnCapture = Callable[[Capture], Any]
_TF_MODULES = ("keras", "tensorflow", "tf_keras")


@dataclass
class RunOptions:
    """How to run the target (the harness's share of a ``RunRequest``).

    ``cwd`` ``None`` keeps the current directory; ``user_roots`` empty means the script's folder and
    the working directory.
    """

    cwd: str | None = None
    user_roots: Sequence[str] = ()
    continue_after: bool = False
    synthetic_data: bool = False
    max_samples: int | None = None
    keras2_compat: bool = False


@dataclass
class Outcome:
    """How the run ended. ``report`` is what ``on_capture`` returned for the first training call;
    ``diagnostics`` are the harness's own findings (the Keras 2 mappings ``--keras2-compat`` applied)."""

    status: str
    capture: Capture | None = None
    report: Any = None
    error: dict[str, Any] | None = None
    exit_code: int | None = None
    continued: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Session:
    """The patched, directly-run-looking environment of one target; a context manager.

    ``outcome(...)`` classifies how the target ended. The Keras patches go in through an import hook,
    so a script that fails before ``import keras`` never imports TensorFlow.
    """

    def __init__(self, target_dir: str, argv: list[str], on_capture: OnCapture, options: RunOptions) -> None:
        self.options = options
        self.argv = argv
        self.target_dir = os.path.abspath(target_dir)
        self.cwd = os.path.abspath(options.cwd) if options.cwd else os.getcwd()
        roots = list(options.user_roots) or [self.target_dir, self.cwd]
        self.patches = Patches()
        self.is_user = UserFiles(roots)
        self.interceptor = Interceptor(on_capture, self.is_user, self.patches,
                                       continue_after=options.continue_after)
        self.diagnostics: list[Diagnostic] = []
        self._hook = KerasImportHook({"keras": self._patch_keras, "tf_keras": self._patch_tf_keras})
        self._compat_hook: Any = None
        self._saved: tuple[list[str], list[str], str] | None = None

    def __enter__(self) -> "Session":
        self._saved = (list(sys.argv), list(sys.path), os.getcwd())
        sys.argv = list(self.argv)
        sys.path.insert(0, self.target_dir)
        os.chdir(self.cwd)
        if self.options.keras2_compat:
            from kerascheck.runtime import compat

            self._compat_hook = compat.ModuleAliases(self.is_user, self.diagnostics)
            self._compat_hook.install()
        self._hook.install()
        return self

    def __exit__(self, *exc: object) -> None:
        self._hook.uninstall()
        if self._compat_hook is not None:
            self._compat_hook.uninstall()
        self.patches.restore()
        assert self._saved is not None
        sys.argv[:], sys.path[:], cwd = self._saved
        os.chdir(cwd)

    # -- patches, applied when the script imports keras / tf_keras -------------------------------

    def _patch_keras(self, keras: ModuleType) -> None:
        self.patches.set(keras.layers.Layer, "__init__", wrap_layer_init(keras.layers.Layer.__init__,
                                                                         self.is_user))
        self._patch_optimizer_sites(keras)
        self.interceptor.install_keras(keras)
        self._optional_patches(keras)

    def _patch_tf_keras(self, tf_keras: ModuleType) -> None:
        self.patches.set(tf_keras.layers.Layer, "__init__", wrap_layer_init(tf_keras.layers.Layer.__init__,
                                                                            self.is_user))
        self._patch_optimizer_sites(tf_keras)
        self.interceptor.install_tf_keras(tf_keras)
        self._optional_patches(tf_keras)

    def _patch_optimizer_sites(self, package: ModuleType) -> None:
        """Optimizers record where they were made too, so a live KC2xx finding lands on ``Adam(...)``
        (the line a static finding of the same code names) rather than on ``compile``."""
        base = getattr(getattr(package, "optimizers", None), "Optimizer", None)
        if isinstance(base, type):
            self.patches.set(base, "__init__", wrap_layer_init(base.__init__, self.is_user))

    def _optional_patches(self, package: ModuleType) -> None:
        if self.options.synthetic_data:
            from kerascheck.runtime import synthetic

            synthetic.install(package, self.patches, self.options.max_samples)
        if self.options.keras2_compat:
            from kerascheck.runtime import compat

            compat.install(package, self.patches, self.interceptor, self.is_user, self.diagnostics)

    # -- how it ended ----------------------------------------------------------------------------

    def outcome(self, exc: BaseException | None) -> Outcome:
        """Classify the end of the target: ``exc`` is what it raised (``None``: it returned)."""
        interceptor = self.interceptor
        result = Outcome(status="no_fit", capture=interceptor.capture, report=interceptor.report,
                         continued=interceptor.continued, diagnostics=self.diagnostics)
        if interceptor.capture is not None:
            result.status = "checked"
            if exc is not None and not isinstance(exc, (StopScript, SystemExit)):
                result.error = error_info(exc, self.is_user)  # the continued training raised
            return result
        if isinstance(exc, SystemExit):
            result.status, result.exit_code = "script_exit", _exit_code(exc.code)
        elif exc is not None:
            result.status = "no_tensorflow" if is_missing_tensorflow(exc) else "script_error"
            result.error = error_info(exc, self.is_user)
        return result


def run_script(path: str, args: Sequence[str] = (), on_capture: OnCapture = lambda capture: None,
               options: RunOptions | None = None) -> Outcome:
    """Run a script as ``__main__`` (``runpy.run_path``) until its first training call."""
    path = os.path.abspath(path)
    options = options or RunOptions()
    if not os.path.isfile(path):
        return Outcome(status="setup_error", error={"type": "FileNotFoundError", "message": f"no such script: {path}",
                                                    "file": path, "line": None, "traceback": ""})
    session = Session(os.path.dirname(path), [path, *args], on_capture, options)
    with session:
        try:
            runpy.run_path(path, run_name="__main__")
        except BaseException as exc:  # noqa: BLE001 - every ending of user code is an outcome
            return session.outcome(exc)
        return session.outcome(None)


def run_notebook(path: str, on_capture: OnCapture = lambda capture: None,
                 options: RunOptions | None = None) -> Outcome:
    """Run a notebook's code cells in order, in one ``__main__`` namespace, as "Run All" would.

    Cells are read with ``kerascheck.notebook`` (the static pass's reader), so IPython magics, shell
    escapes and help lines are skipped exactly as the static pass skips them. Each cell is compiled as
    ``<path>:cell N`` (N counts code cells from 1), which ``sites`` maps back to the notebook, the cell
    and the line inside it.
    """
    from kerascheck.notebook import NotebookError, read_notebook

    path = os.path.abspath(path)
    options = options or RunOptions()
    try:
        with open(path, "rb") as handle:
            notebook = read_notebook(handle.read())
    except (OSError, NotebookError) as exc:
        return Outcome(status="setup_error", error={"type": type(exc).__name__, "message": str(exc),
                                                    "file": path, "line": None, "traceback": ""})
    session = Session(os.path.dirname(path), [path], on_capture, options)
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__dict__["display"] = _display  # IPython's builtin: notebooks call it between cells
    saved_main = sys.modules.get("__main__")
    with session:
        sys.modules["__main__"] = module
        try:
            for number, code in _cells(notebook):
                filename = notebook_cell_filename(path, number)
                _register_source(filename, code)
                exec(compile(code, filename, "exec"), module.__dict__)  # noqa: S102 - running it is the point
        except BaseException as exc:  # noqa: BLE001
            return session.outcome(exc)
        finally:
            if saved_main is not None:
                sys.modules["__main__"] = saved_main
        return session.outcome(None)


def _display(*objects: Any, **kwargs: Any) -> None:
    """Stand-in for IPython's ``display``: print the objects, as a plain console would show them."""
    for obj in objects:
        print(repr(obj))


def _cells(notebook: Any) -> Iterator[tuple[int, str]]:
    """(code-cell number, neutralised code) from the joined source ``read_notebook`` returns."""
    lines = notebook.text.split("\n")
    starts = [first for _, first in notebook.cells] + [len(lines)]
    for (number, first), end in zip(notebook.cells, starts[1:]):
        yield number, "\n".join(lines[first - 1:end - 1]) + "\n"


def _register_source(filename: str, code: str) -> None:
    """Let ``linecache`` (tracebacks, error reports) show a cell's lines."""
    import linecache

    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def is_missing_tensorflow(exc: BaseException) -> bool:
    """Whether ``exc`` is the failure to import TensorFlow/Keras themselves.

    Only the packages themselves count: ``No module named 'keras.layers.core'`` is the script's Keras 2
    import path (a script error, or ``--keras2-compat``), not a missing installation.
    """
    return isinstance(exc, ImportError) and exc.name in _TF_MODULES


def error_info(exc: BaseException, is_user: Callable[[str], bool]) -> dict[str, Any]:
    """The exception as ``RunResult.error``: its user-frame location and a traceback of user frames only.

    Frames of kerascheck, runpy, Keras and TensorFlow are cut: the user needs their own line and the
    message, not forty frames of library internals (the message of a Keras error already names the
    layer). ``file``/``line`` are the innermost user frame (``cell`` too in a notebook).
    """
    frames: list[tuple[types.FrameType, int]] = []
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if is_user(tb.tb_frame.f_code.co_filename):
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    summary = traceback.StackSummary.extract(((f, line) for f, line in frames), lookup_lines=True)
    text = "Traceback (most recent call last):\n" if frames else ""
    text += "".join(summary.format())
    text += "".join(traceback.format_exception_only(type(exc), exc))
    info: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc), "file": None, "line": None,
                            "traceback": text}
    if isinstance(exc, SyntaxError) and exc.filename and is_user(exc.filename):
        frames = []
        info["file"], cell = split_cell_filename(exc.filename)
        info["line"] = exc.lineno
        if cell is not None:
            info["cell"] = cell
    if frames:
        site = site_of_frame(frames[-1][0])
        info["file"], info["line"] = site.file, frames[-1][1]
        if site.cell is not None:
            info["cell"] = site.cell
    return info
