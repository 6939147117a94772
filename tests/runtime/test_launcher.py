"""Containment: the launcher survives whatever the child does, and leaves no process behind.

The child here is a small fake program (no TensorFlow, a fraction of a second each), handed to
``run_child`` as its command: it reads the request like the real child and then misbehaves on purpose.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.runtime.launcher import (
    MIN_MEMORY_LIMIT, Limits, OutputTail, default_memory_limit, parse_memory_limit, run_child,
)
from kerascheck.runtime.protocol import RunRequest

PROLOGUE = """\
import os, sys, time
from kerascheck.runtime.protocol import RunResult, read_request, write_result
request = read_request(sys.argv[1])
def done(status="checked", **fields):
    write_result(RunResult(status=status, **fields), request.result_path)
"""


def _fake(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "fake_child.py"
    script.write_text(PROLOGUE + textwrap.dedent(body), encoding="utf-8")
    return [sys.executable, str(script)]


def _request(tmp_path: Path) -> RunRequest:
    return RunRequest(mode="script", target=str(tmp_path / "train.py"), result_path="",
                      settings=default_settings(), cwd=str(tmp_path))


def _alive(pid: int) -> bool:
    """Running or sleeping (a zombie waiting for a reaper that is not us counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _wait_gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_written_result_is_read_back(tmp_path):
    command = _fake(tmp_path, """
        print("hello from the script")
        done(diagnostics=[], exit_code=None)
    """)
    outcome = run_child(_request(tmp_path), Limits(timeout=30), command=command)
    assert outcome.ending == "result"
    assert outcome.result is not None and outcome.result.status == "checked"
    assert "hello from the script" in outcome.output
    assert outcome.returncode == 0


def test_segfault_is_a_crash_with_the_signal_and_the_last_output(tmp_path):
    command = _fake(tmp_path, """
        import ctypes
        print("about to crash", flush=True)
        ctypes.string_at(0)
    """)
    outcome = run_child(_request(tmp_path), Limits(timeout=30), command=command)
    assert outcome.ending == "crashed"
    assert outcome.signal_name == "SIGSEGV"
    assert outcome.result is None
    assert "about to crash" in outcome.output


def test_os_exit_without_a_result_is_a_crash_with_its_status(tmp_path):
    command = _fake(tmp_path, "os._exit(3)\n")
    outcome = run_child(_request(tmp_path), Limits(timeout=30), command=command)
    assert (outcome.ending, outcome.returncode, outcome.signal_name) == ("crashed", 3, None)


def test_a_result_written_before_a_crash_in_teardown_still_counts(tmp_path):
    command = _fake(tmp_path, """
        import ctypes
        done()
        ctypes.string_at(0)
    """)
    outcome = run_child(_request(tmp_path), Limits(timeout=30), command=command)
    assert outcome.ending == "result" and outcome.result is not None
    assert outcome.signal_name == "SIGSEGV"


def test_timeout_kills_the_child(tmp_path):
    command = _fake(tmp_path, "time.sleep(600)\n")
    started = time.monotonic()
    outcome = run_child(_request(tmp_path), Limits(timeout=1.0, kill_grace=1.0), command=command)
    assert outcome.ending == "timeout"
    assert time.monotonic() - started < 10
    assert outcome.result is None


def test_timeout_escalates_to_sigkill_when_sigterm_is_ignored(tmp_path):
    command = _fake(tmp_path, """
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ignoring SIGTERM", flush=True)
        time.sleep(600)
    """)
    outcome = run_child(_request(tmp_path), Limits(timeout=1.0, kill_grace=0.5), command=command)
    assert outcome.ending == "timeout"
    assert outcome.returncode == -9


@pytest.mark.parametrize("child_exits", [False, True])
def test_no_orphan_grandchild_is_left(tmp_path, child_exits):
    """The script forks a helper that sleeps; on timeout or a normal end, it dies with the group."""
    pid_file = tmp_path / "grandchild.pid"
    command = _fake(tmp_path, f"""
        pid = os.fork()
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        with open({str(pid_file)!r}, "w") as handle:
            handle.write(str(pid))
        if {child_exits!r}:
            done()
        else:
            time.sleep(600)
    """)
    outcome = run_child(_request(tmp_path), Limits(timeout=2.0, kill_grace=0.5), command=command)
    assert outcome.ending == ("result" if child_exits else "timeout")
    grandchild = int(pid_file.read_text())
    assert _wait_gone(grandchild), f"grandchild {grandchild} survived"


def test_a_flooding_script_never_blocks_and_the_tail_stays_bounded(tmp_path):
    command = _fake(tmp_path, """
        line = b"x" * 1023 + b"\\n"
        for _ in range(50 * 1024):
            sys.stdout.buffer.write(line)
        sys.stdout.buffer.write(b"the very last line\\n")
        sys.stdout.flush()
        done()
    """)
    outcome = run_child(_request(tmp_path), Limits(timeout=60), command=command)
    assert outcome.ending == "result"
    assert outcome.output_bytes >= 50 * 1024 * 1024
    assert len(outcome.output.encode()) <= 64 * 1024
    assert outcome.output.endswith("the very last line")


def test_stdout_and_stderr_share_one_tail_and_can_be_echoed(tmp_path):
    command = _fake(tmp_path, """
        print("to stdout", flush=True)
        print("to stderr", file=sys.stderr, flush=True)
        done()
    """)
    echoed = _Sink()
    outcome = run_child(_request(tmp_path), Limits(timeout=30), command=command, echo=echoed)
    assert "to stdout" in outcome.output and "to stderr" in outcome.output
    assert "to stdout" in echoed.text and "to stderr" in echoed.text


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_the_memory_cap_and_environment_reach_the_child(tmp_path, monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    command = _fake(tmp_path, """
        import resource
        print("AS", resource.getrlimit(resource.RLIMIT_AS)[0])
        print("TF", os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
        print("CWD", os.getcwd())
        print("SESSION", os.getsid(0) == os.getpid())
        done()
    """)
    limit = MIN_MEMORY_LIMIT + 12345
    outcome = run_child(_request(tmp_path), Limits(timeout=30, memory=limit), command=command)
    assert f"AS {limit}" in outcome.output
    assert "TF 2" in outcome.output
    assert f"CWD {tmp_path}" in outcome.output
    assert "SESSION True" in outcome.output


def test_the_users_own_log_level_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    command = _fake(tmp_path, 'print("TF", os.environ["TF_CPP_MIN_LOG_LEVEL"]); done()\n')
    outcome = run_child(_request(tmp_path), Limits(timeout=30, memory=None), command=command)
    assert "TF 0" in outcome.output


def test_no_cap_means_the_inherited_limit(tmp_path):
    command = _fake(tmp_path, 'import resource; print("AS", resource.getrlimit(resource.RLIMIT_AS)[0]); done()\n')
    outcome = run_child(_request(tmp_path), Limits(timeout=30, memory=None), command=command)
    assert f"AS {resource.getrlimit(resource.RLIMIT_AS)[0]}" in outcome.output


def test_ctrl_c_in_the_parent_kills_the_group(tmp_path):
    pid_file = tmp_path / "child.pid"
    command = _fake(tmp_path, f"""
        with open({str(pid_file)!r}, "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(600)
    """)

    def interrupt() -> None:
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        raise KeyboardInterrupt

    outcome = run_child(_request(tmp_path), Limits(timeout=60, kill_grace=0.5), command=command,
                        while_running=interrupt)
    assert outcome.ending == "interrupted"
    assert _wait_gone(int(pid_file.read_text()))


def test_while_running_overlaps_the_child_and_returns_its_value(tmp_path):
    command = _fake(tmp_path, "done()\n")
    outcome = run_child(_request(tmp_path), Limits(timeout=30), command=command, while_running=lambda: [1, 2])
    assert outcome.extras["while_running"] == [1, 2]
    assert outcome.ending == "result"


def test_output_tail_keeps_the_last_lines():
    tail = OutputTail(max_lines=3, max_bytes=1000)
    for number in range(10):
        tail.feed(f"line {number}\n".encode())
    assert tail.text().splitlines() == ["line 7", "line 8", "line 9"]
    short = OutputTail()
    short.feed(b"a\nb\n")
    assert short.text() == "a\nb"


def test_output_tail_is_bounded_in_bytes_and_survives_broken_utf8():
    tail = OutputTail(max_lines=1000, max_bytes=100)
    for _ in range(100):
        tail.feed(b"\xff\xfe" + b"y" * 48 + b"\n")
    text = tail.text()
    assert len(text.encode("utf-8", "surrogateescape")) <= 100 + 2 * 3  # each undecodable byte -> U+FFFD
    assert text.splitlines()[0].startswith("\ufffd\ufffdy")  # whole lines only
    assert tail.total_bytes == 5100


@pytest.mark.parametrize("text, expected", [
    ("8G", 8 * 1024**3), ("8GB", 8 * 1024**3), ("8GiB", 8 * 1024**3), ("4096M", 4 * 1024**3),
    ("1.5T", int(1.5 * 1024**4)), ("5000000000", 5_000_000_000), ("none", None), ("0", None), ("NONE", None),
])
def test_memory_limits_parse(text, expected):
    assert parse_memory_limit(text) == expected


@pytest.mark.parametrize("text", ["1G", "x", "8Q", "-1G", ""])
def test_bad_or_too_small_memory_limits_are_refused(text):
    with pytest.raises(ValueError):
        parse_memory_limit(text)


def test_default_memory_limit_is_three_quarters_of_ram():
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert parse_memory_limit(None) == default_memory_limit() == int(total * 0.75)


def test_the_result_file_lives_in_a_private_directory_that_is_removed(tmp_path):
    command = _fake(tmp_path, 'print("RESULT", request.result_path); done()\n')
    request = _request(tmp_path)
    outcome = run_child(request, Limits(timeout=30), command=command)
    path = outcome.output.split("RESULT ", 1)[1].split()[0]
    assert not Path(path).parent.exists()
    assert json.dumps(outcome.result.to_json())


PARENT = """\
import sys
from kerascheck.config import default_settings
from kerascheck.runtime.launcher import Limits, run_child
from kerascheck.runtime.protocol import RunRequest
request = RunRequest(mode="script", target="train.py", result_path="", settings=default_settings(), cwd=sys.argv[1])
outcome = run_child(request, Limits(timeout=600, kill_grace=0.5), command=[sys.executable, sys.argv[2]])
print("ENDING", outcome.ending, outcome.interrupted_by, flush=True)
"""


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_a_parent_killed_from_outside_takes_the_child_with_it(tmp_path, how):
    import signal
    import subprocess

    pid_file = tmp_path / "child.pid"
    command = _fake(tmp_path, f"""
        with open({str(pid_file)!r}, "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(600)
    """)
    (tmp_path / "parent.py").write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py"), str(tmp_path), command[1]],
                              stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    parent.send_signal(getattr(signal, how))
    out, _ = parent.communicate(timeout=30)
    if how != "SIGKILL":
        assert f"ENDING interrupted {how}" in out
    assert _wait_gone(int(pid_file.read_text()))


def test_ctrl_c_during_the_static_lint_lets_it_finish_and_kills_the_child(tmp_path):
    """The interrupt is not thrown into the parent's own work (a half-done import could hang it)."""
    command = _fake(tmp_path, "time.sleep(600)\n")
    finished = []

    def lint_that_gets_interrupted() -> str:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.3)
        finished.append(True)
        return "static findings"

    before = signal.getsignal(signal.SIGINT)  # SIG_IGN when the suite runs as a background job
    started = time.monotonic()
    outcome = run_child(_request(tmp_path), Limits(timeout=60.0), command=command,
                        while_running=lint_that_gets_interrupted)
    assert outcome.ending == "interrupted" and finished == [True]
    assert outcome.extras["while_running"] == "static findings"
    assert time.monotonic() - started < 20
    assert signal.getsignal(signal.SIGINT) == before  # restored
