"""``kerascheck run`` end to end on the parent side: request, child, static lint, one ``RunReport``.

``cli.py`` only parses options and prints; this module decides what to run and in which mode, starts
the child through the launcher, lints the target statically while the child imports TensorFlow (the
two overlap, so the static pass costs no wall-clock time), and interprets the ending. It never imports
TensorFlow or the user's code: whether TensorFlow exists is asked of ``importlib.util.find_spec``, and
an ``--entry`` module's file is located with ``PathFinder``, which reads directories, not modules.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
from dataclasses import dataclass
from typing import Sequence, TextIO

from kerascheck.config import KerascheckError, Settings, display_path
from kerascheck.diagnostics import Diagnostic
from kerascheck.runtime.launcher import Limits, run_child
from kerascheck.runtime.outcome import RunReport, build_report
from kerascheck.runtime.protocol import RunRequest

__all__ = ["RunArgs", "NO_TENSORFLOW", "tensorflow_available", "make_request", "static_target", "execute"]

NO_TENSORFLOW = "kerascheck run needs TensorFlow: python -m pip install 'kerascheck[runtime]'"


@dataclass(frozen=True)
class RunArgs:
    """The command line of one ``kerascheck run``, validated by the CLI."""

    target: str | None = None
    script_args: tuple[str, ...] = ()
    entry: str | None = None
    data: str | None = None
    continue_after: bool = False
    synthetic_data: bool = False
    max_samples: int | None = None
    keras2_compat: bool = False
    show_output: bool = False
    exit_zero: bool = False


def tensorflow_available() -> bool:
    """Whether the child could import TensorFlow, asked without importing it (that costs seconds)."""
    try:
        return importlib.util.find_spec("tensorflow") is not None
    except (ImportError, ValueError):
        return False


def make_request(args: RunArgs, settings: Settings, cwd: str) -> RunRequest:
    """The child's request; raises ``KerascheckError`` for a target that cannot be run."""
    common = dict(settings=settings, result_path="", cwd=cwd, continue_after=args.continue_after,
                  synthetic_data=args.synthetic_data, max_samples=args.max_samples,
                  keras2_compat=args.keras2_compat)
    if args.entry is not None:
        if args.target is not None:
            raise KerascheckError("give either a script/notebook or --entry, not both")
        _check_entry(args.entry, "--entry")
        if args.data is not None:
            _check_entry(args.data, "--data")
        return RunRequest(mode="entry", target=args.entry, data_entry=args.data, args=list(args.script_args),
                          user_roots=[cwd], **common)  # type: ignore[arg-type]
    if args.target is None:
        raise KerascheckError("give a script or notebook to run (or --entry pkg.module:build_model)")
    if args.data is not None:
        raise KerascheckError("--data goes with --entry (a script loads its own data)")
    path = os.path.abspath(os.path.join(cwd, args.target))
    if not os.path.isfile(path):
        raise KerascheckError(f"no such file: {args.target}")
    mode = "notebook" if path.lower().endswith(".ipynb") else "script"
    if mode == "notebook" and args.script_args:
        raise KerascheckError("a notebook takes no script arguments")
    roots = [os.path.dirname(path)] + ([cwd] if cwd != os.path.dirname(path) else [])
    return RunRequest(mode=mode, target=path, args=list(args.script_args), user_roots=roots,
                      **common)  # type: ignore[arg-type]


def _check_entry(value: str, option: str) -> None:
    module, _, function = value.partition(":")
    if not module or not function or not all(part.isidentifier() for part in [*module.split("."), function]):
        raise KerascheckError(f"{option} wants 'pkg.module:function', got {value!r}")


def static_target(request: RunRequest, cwd: str) -> str | None:
    """The file the static pass reads: the script or notebook, or the entry point's module file
    (found on ``[cwd, *sys.path]`` without importing anything; ``None`` if not found)."""
    if request.mode != "entry":
        return request.target
    import sys

    module = request.target.partition(":")[0]
    search: list[str] | None = [cwd, *sys.path]
    spec = None
    parts = module.split(".")
    for depth in range(1, len(parts) + 1):
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[:depth]), search)
        if spec is None:
            return None
        search = list(spec.submodule_search_locations or [])
    origin = spec.origin if spec is not None else None
    return origin if origin and origin.endswith(".py") and os.path.isfile(origin) else None


def _lint(path: str | None, settings: Settings) -> list[Diagnostic]:
    if path is None:
        return []
    from kerascheck.engine import lint_file

    return list(lint_file(display_path(path), settings).diagnostics)


def execute(args: RunArgs, settings: Settings, limits: Limits, *, cwd: str | None = None,
            command: Sequence[str] | None = None, echo: TextIO | None = None) -> RunReport:
    """Run the target in the child and report; ``command`` replaces the real child (tests)."""
    cwd = os.path.abspath(cwd or os.getcwd())
    request = make_request(args, settings, cwd)
    path = static_target(request, cwd)
    outcome = run_child(request, limits, command=command, echo=echo,
                        while_running=lambda: _lint(path, settings))
    static = outcome.extras.get("while_running")
    return build_report(outcome, static if isinstance(static, list) else [], settings, exit_zero=args.exit_zero)
