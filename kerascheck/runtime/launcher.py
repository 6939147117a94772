"""The parent side of ``kerascheck run``: spawn the child, contain it, and say how it ended.

The user's script is hostile input as far as the linter is concerned: it may print 50 MB, fork
helpers, sleep forever, exhaust memory, segfault in a native extension or call ``os._exit``. So the
child runs in its own session (its own process group, so one ``killpg`` reaches every grandchild it
forks), under an address-space cap, with a wall-clock timeout, and its stdout and stderr share one pipe
that a thread drains the whole time (a flooding script never blocks on a full pipe) keeping only a
bounded tail for the crash report. The result arrives as a file (``protocol``), never on the pipe.
Because a new session no longer receives the terminal's Ctrl-C or hang-up, the parent forwards them:
Ctrl-C, SIGTERM and SIGHUP in the parent kill the group, and if the parent itself is SIGKILLed the
kernel kills the child (``PR_SET_PDEATHSIG`` on Linux).

This module never imports TensorFlow, Keras or the user's code: only the child does.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TextIO

from kerascheck.runtime.protocol import RunRequest, RunResult, read_result, write_request

__all__ = [
    "ChildOutcome", "OutputTail", "Limits", "child_command", "default_memory_limit", "parse_memory_limit",
    "format_bytes", "run_child",
]

TAIL_LINES = 200
TAIL_BYTES = 64 * 1024
DEFAULT_TIMEOUT = 300.0
KILL_GRACE = 3.0  # seconds between SIGTERM and SIGKILL: enough for TensorFlow to flush, not to stall
DEFAULT_MEMORY_FRACTION = 0.75
# Measured: TensorFlow 2.21 imports and trains a small model under RLIMIT_AS = 4 GiB, and aborts at
# 2 GiB (it reserves address space far beyond what it touches); below this a cap is refused.
MIN_MEMORY_LIMIT = 3 * 1024**3


def child_command() -> list[str]:
    """The real child: the same interpreter (so the same TensorFlow and kerascheck) as the parent."""
    return [sys.executable, "-m", "kerascheck.runtime.child"]


def default_memory_limit() -> int | None:
    """75% of physical memory: the machine stays usable while TensorFlow has room to work."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return int(total * DEFAULT_MEMORY_FRACTION) if total > 0 else None


_MEMORY = re.compile(r"([0-9]+(?:\.[0-9]*)?)\s*([KMGT]?)(?:I?B)?")
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_memory_limit(text: str | None) -> int | None:
    """``"8G"``, ``"512M"``, ``"1.5G"`` or plain bytes -> bytes; ``"0"``/``"none"`` -> no cap (``None``);
    ``None`` (option not given) -> the default. Raises ``ValueError`` with a readable reason."""
    if text is None:
        return default_memory_limit()
    raw = text.strip().upper()
    if raw in ("0", "NONE", "OFF", "UNLIMITED"):
        return None
    match = _MEMORY.fullmatch(raw)
    if match is None:
        raise ValueError(f"cannot read memory limit {text!r} (write e.g. 8G, 512M, or 'none')")
    value, unit = float(match.group(1)), match.group(2) or ""
    limit = int(value * _UNITS[unit])
    if limit < MIN_MEMORY_LIMIT:
        raise ValueError(f"memory limit {format_bytes(limit)} is too small: TensorFlow alone needs about 3G "
                         "of address space to import (use 'none' for no cap)")
    return limit


def format_bytes(size: int) -> str:
    for unit, factor in (("T", 1024**4), ("G", 1024**3), ("M", 1024**2), ("K", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}{unit}"
    return f"{size}B"


@dataclass(frozen=True)
class Limits:
    """Containment for one run: wall-clock seconds, address-space bytes (``None`` = no cap)."""

    timeout: float = DEFAULT_TIMEOUT
    memory: int | None = None
    kill_grace: float = KILL_GRACE


class OutputTail:
    """The last ``TAIL_LINES`` lines / ``TAIL_BYTES`` bytes of the child's output, optionally echoed.

    Fed from the draining thread in arbitrary chunks; memory stays bounded whatever the script prints.
    """

    def __init__(self, echo: TextIO | None = None, max_lines: int = TAIL_LINES, max_bytes: int = TAIL_BYTES):
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._echo = echo
        self._max_lines = max_lines
        self._max_bytes = max_bytes
        self.total_bytes = 0

    def feed(self, chunk: bytes) -> None:
        self.total_bytes += len(chunk)
        if self._echo is not None:
            try:
                self._echo.write(chunk.decode("utf-8", "replace"))
                self._echo.flush()
            except (OSError, ValueError):
                self._echo = None  # our stderr went away: keep draining, stop echoing
        self._chunks.append(chunk)
        self._size += len(chunk)
        while self._size > self._max_bytes and len(self._chunks) > 1:
            self._size -= len(self._chunks.popleft())

    def text(self) -> str:
        """The tail as text: at most ``max_bytes`` and ``max_lines`` lines, cut at a line start."""
        data = b"".join(self._chunks)
        if len(data) > self._max_bytes:  # cut inside a line: drop that fragment
            data = data[-self._max_bytes:]
            data = data[data.find(b"\n") + 1:] if b"\n" in data[:-1] else data
        lines = data.decode("utf-8", "replace").splitlines()[-self._max_lines:]
        return "\n".join(lines)


@dataclass
class ChildOutcome:
    """How the child ended, before any interpretation of its result.

    ``ending``: ``"result"`` (it wrote a RunResult), ``"timeout"``, ``"crashed"`` (killed by a signal or
    exited without a result) or ``"interrupted"`` (Ctrl-C, SIGTERM or SIGHUP in the parent: which one is
    ``interrupted_by``). ``signal_name`` is set when a signal ended the child; ``returncode`` is
    ``Popen.returncode``.
    """

    ending: str
    result: RunResult | None = None
    returncode: int | None = None
    signal_name: str | None = None
    interrupted_by: str | None = None  # "SIGINT", "SIGTERM" or "SIGHUP" when ``ending`` is "interrupted"
    output: str = ""
    output_bytes: int = 0
    elapsed: float = 0.0
    timeout: float | None = None
    extras: dict[str, object] = field(default_factory=dict)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _preexec(memory: int | None) -> Callable[[], None]:
    """Runs in the forked child before exec: the memory cap, and death with the parent.

    ``PR_SET_PDEATHSIG`` (Linux) makes the kernel SIGKILL the child if the parent dies without cleaning
    up (``kill -9`` of ``kerascheck run``): a new session no longer gets the terminal's signals, so
    without it such a child would run on, unwatched, until its script ends.
    """
    libc = _libc()

    def setup() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if libc is not None:
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return setup


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


class _Terminated(KeyboardInterrupt):
    """SIGTERM/SIGHUP reached the parent (a CI job cancelled, a terminal closed): stop like Ctrl-C."""


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While the child runs, SIGTERM and SIGHUP unwind like Ctrl-C, so the group is killed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise _Terminated(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_on_signals(pgid: int, stopped: list[str]) -> Callable[[], None]:
    """While the child runs, Ctrl-C, SIGTERM and SIGHUP kill its group at once and are remembered.

    The handler raises nothing: an exception thrown into whatever the parent is doing at that moment
    (the static lint importing libcst, a thread join) could leave it half-done and hanging at exit, and
    under load that was observed. Killing the group makes the wait loop return; the ending is then
    "interrupted". Returns the function that restores the previous handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum: int, frame: object) -> None:
        stopped.append(signal.Signals(signum).name)
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # the user's own setting wins
    env.setdefault("PYTHONUNBUFFERED", "1")  # so the tail shown after a crash holds the last prints
    return env


def _drain(stream: TextIO | object, tail: OutputTail) -> None:
    read = stream.read1 if hasattr(stream, "read1") else stream.read  # type: ignore[union-attr]
    while True:
        try:
            chunk = read(65536)
        except (OSError, ValueError):
            return
        if not chunk:
            return
        tail.feed(chunk)


def _exited(pid: int) -> bool:
    """Whether the child has exited, *without reaping it*: while it is an unreaped zombie its pid, and
    so its process-group id, cannot be reused, which makes the final ``killpg`` safe."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None
    except ChildProcessError:
        return True


def _wait_exited(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not _exited(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def _kill_group(pgid: int, grace: float) -> None:
    """SIGTERM the whole group (TensorFlow may flush), then, after ``grace`` seconds, SIGKILL it."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    _wait_exited(pgid, grace)
    _reap_group(pgid)


def _reap_group(pgid: int) -> None:
    """SIGKILL whatever is left in the group (the child, or a helper it forked that still sleeps)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _signal_name(returncode: int | None) -> str | None:
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def run_child(
    request: RunRequest,
    limits: Limits,
    *,
    command: Sequence[str] | None = None,
    echo: TextIO | None = None,
    while_running: Callable[[], object] | None = None,
) -> ChildOutcome:
    """Run ``command + [REQUEST_PATH]`` (default: the real child) for ``request`` and contain it.

    ``request.result_path`` is replaced by a path in a private temporary directory. ``echo`` receives the
    child's output as it comes (``--show-output``). ``while_running`` is called in the parent once the
    child has started (the static lint overlaps TensorFlow's import); its return value is in
    ``outcome.extras["while_running"]``. Always returns; never leaves a process of the child's group
    alive. A ``KeyboardInterrupt`` during the wait kills the group and returns ``"interrupted"``.
    """
    argv = list(command) if command is not None else child_command()
    with tempfile.TemporaryDirectory(prefix="kerascheck-run-") as workdir:
        request_path = Path(workdir) / "request.pickle"
        request.result_path = str(Path(workdir) / "result.json")
        write_request(request, request_path)
        tail = OutputTail(echo)
        started = time.monotonic()
        with _terminate_as_interrupt():
            return _contain(request, limits, argv, request_path, tail, started, while_running)


def _contain(request: RunRequest, limits: Limits, argv: list[str], request_path: Path, tail: OutputTail,
             started: float, while_running: Callable[[], object] | None) -> ChildOutcome:
    """Start the child, wait for it within the limits, and clean up its whole group whatever happens."""
    process = subprocess.Popen(
        [*argv, str(request_path)], cwd=request.cwd, env=_child_env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=_preexec(limits.memory),
    )
    pgid = process.pid  # a new session's leader: its pid is the group id
    drainer = threading.Thread(target=_drain, args=(process.stdout, tail), daemon=True)
    drainer.start()
    outcome = ChildOutcome(ending="result", timeout=limits.timeout)
    stopped: list[str] = []
    restore = _stop_on_signals(pgid, stopped)
    try:
        if while_running is not None:
            outcome.extras["while_running"] = while_running()
        remaining = max(0.0, limits.timeout - (time.monotonic() - started))
        if not _wait_exited(pgid, remaining):
            outcome.ending = "timeout"
            _kill_group(pgid, limits.kill_grace)
    except KeyboardInterrupt as interrupt:
        outcome.ending = "interrupted"
        outcome.interrupted_by = str(interrupt) if isinstance(interrupt, _Terminated) else "SIGINT"
        _kill_group(pgid, limits.kill_grace)
    finally:
        restore()
        if stopped:
            outcome.ending = "interrupted"
            outcome.interrupted_by = stopped[0]
        _reap_group(pgid)  # the leader is alive or an unreaped zombie: the group id is still ours
        process.wait()
        drainer.join(timeout=5.0)  # the pipe closes once the last group member is gone
        if process.stdout is not None:
            process.stdout.close()
    outcome.elapsed = time.monotonic() - started
    outcome.returncode = process.returncode
    outcome.output = tail.text()
    outcome.output_bytes = tail.total_bytes
    if outcome.ending == "result":
        outcome.signal_name = _signal_name(process.returncode)
        # A result written before a crash in TensorFlow's teardown still stands.
        outcome.result = read_result(request.result_path)
        if outcome.result is None:
            outcome.ending = "crashed"
    return outcome
