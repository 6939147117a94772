"""Keep hostile sources away from libcst's native parser, and agree with CPython on what is Python.

libcst's parser is a recursive-descent parser in Rust. On deeply nested input it overflows its thread's
stack and the whole process dies with SIGSEGV/SIGABRT (measured with libcst 1.9 on an 8 MB stack:
3,000 nested brackets, 10,000 unary minuses, 10,000 chained ``and``), which in a pre-commit hook or a
``--jobs`` pool loses every other file's result. No ``try`` can catch that, so the guard has two parts:

1. ``cpython_rejection``: CPython's own compiler runs first (``compile`` to bytecode, about 8% of
   libcst's parse on the benchmark corpus; cheaper than ``ast.parse``, which builds Python objects).
   CPython refuses what it cannot nest (200 brackets, ~3,000 levels of expression, 100 indents) with a
   ``SyntaxError``/``MemoryError``/``RecursionError`` instead of crashing, and it is the authority on
   what Python is: whatever it rejects (``return`` outside a function, duplicate arguments, NUL bytes...)
   is reported as ``KC000`` rather than linted, never as "clean".
2. ``parse_module``: what CPython accepts can still be deeper *for libcst* than for CPython (CPython
   keeps ``a and b and c ...`` flat; libcst nests it), so libcst parses on a thread with a large stack
   (virtual memory: only the pages a parse touches are committed). 10,000 chained ``and`` parse there.
   That thread is started once per process and serves every parse.

Both halves are exercised by ``tests/test_parse_guard.py`` in child processes, so a regression shows as a
failed test rather than a dead test run.
"""

from __future__ import annotations

import ast
import os
import queue
import sys
import threading
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["PARSER_STACK_BYTES", "Rejection", "cpython_rejection", "parse_module"]

# 512 MiB of address space for the parsing thread. Measured need: about 2.7 KB of native stack per level
# of libcst nesting, so this covers ~190,000 levels, far beyond what CPython accepts for any construct.
PARSER_STACK_BYTES = 512 * 1024 * 1024

# CPython's nesting limits scale with the recursion limit; pin it to the interpreter's default while
# compiling so that a host process that raised it cannot make CPython accept what libcst cannot parse.
_DEFAULT_RECURSION_LIMIT = 1000

# Messages CPython gives when the input is too deeply nested rather than wrong.
_NESTING_MESSAGES = (
    "too many nested parentheses",
    "too many levels of indentation",
    "maximum recursion depth exceeded",
    "too complex",
    "too many statically nested blocks",
)


@dataclass(frozen=True)
class Rejection:
    """Why CPython refuses a source: 1-based position (end exclusive) and a one-line message."""

    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    too_deep: bool = False


def cpython_rejection(text: str, filename: str, *, top_level_await: bool = False) -> Rejection | None:
    """``None`` when CPython compiles ``text``; otherwise where and why it does not.

    ``top_level_await`` accepts ``await`` outside functions, as IPython does in notebook cells.
    """
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0
    limit = sys.getrecursionlimit()
    pinned = limit > _DEFAULT_RECURSION_LIMIT
    try:
        if pinned:
            sys.setrecursionlimit(_DEFAULT_RECURSION_LIMIT)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like are warnings, not errors
            compile(text, filename, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as exc:  # IndentationError and TabError included
        return _from_syntax_error(exc, text)
    except (MemoryError, RecursionError):
        line = deepest_line(text)
        return Rejection(line, 1, line, 1, _too_deep_message(line), too_deep=True)
    except ValueError as exc:  # NUL bytes on some CPython versions
        line, column = _nul_position(text)
        return Rejection(line, column, line, column + 1, f"not Python source: {exc}")
    except OverflowError as exc:
        return Rejection(1, 1, 1, 1, f"not compilable: {exc}")
    finally:
        if pinned:
            sys.setrecursionlimit(limit)
    return None


def _from_syntax_error(exc: SyntaxError, text: str) -> Rejection:
    message = exc.msg or "invalid syntax"
    if "null bytes" in message:
        line, column = _nul_position(text)
        return Rejection(line, column, line, column + 1,
                         "not Python source: the file contains a NUL byte (a binary or corrupted file?)")
    if any(marker in message for marker in _NESTING_MESSAGES):
        line = exc.lineno or deepest_line(text)
        return Rejection(line, max(exc.offset or 1, 1), line, max(exc.offset or 1, 1),
                         _too_deep_message(line, message), too_deep=True)
    line = exc.lineno or 1
    column = max(exc.offset or 1, 1)
    end_line, end_column = line, column
    if exc.end_lineno and exc.end_offset and (exc.end_lineno, exc.end_offset) > (line, column):
        end_line, end_column = exc.end_lineno, exc.end_offset
    return Rejection(line, column, end_line, end_column, f"syntax error: {message}")


def too_deep_to_analyse_message(line: int) -> str:
    """For source CPython and libcst accept but that is nested beyond what the analysis can follow."""
    return (f"too deeply nested to analyse at line {line}: kerascheck follows expressions up to Python's "
            "recursion limit; split the expression or exclude the (generated) file")


def _too_deep_message(line: int, detail: str = "") -> str:
    because = f" ({detail})" if detail else ""
    return (f"too deeply nested for a safe parse at line {line}{because}: CPython itself refuses to compile "
            "it, so it is not linted; split the expression or exclude the (generated) file")


def deepest_line(text: str) -> int:
    """The 1-based line most likely to hold the excessive nesting: the one with most nesting characters.

    Only used to point at the problem when CPython gives up without a position (``MemoryError``).
    """
    best_line, best_count = 1, -1
    for number, line in enumerate(text.splitlines(), 1):
        count = sum(line.count(ch) for ch in "([{-+~*") + line.count(" and ") + line.count(" or ") + \
            line.count("not ") + line.count("lambda") + line.count(" if ") + line.count("elif ")
        if count > best_count:
            best_line, best_count = number, count
    return best_line


def _nul_position(text: str) -> tuple[int, int]:
    index = text.find("\0")
    if index < 0:
        return 1, 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def parse_module(text: str) -> cst.Module | BaseException:
    """``libcst.parse_module(text)`` on the parser thread, whose stack is ``PARSER_STACK_BYTES``.

    Returns the module or the exception the parser raised (libcst's native parser can raise a
    ``PanicException``, a ``BaseException``); ``KeyboardInterrupt``/``SystemExit`` propagate.
    """
    reply: queue.SimpleQueue[Any] = queue.SimpleQueue()
    _parser_thread().put((text, reply))
    result = reply.get()
    if isinstance(result, (KeyboardInterrupt, SystemExit)):
        raise result
    return result


# One long-lived parser thread per process, not one per file: a fresh thread's stack is fresh memory
# (a 512 MiB stack is too large for glibc's stack cache, so each new thread gets new pages), and the
# parser faulting it in page by page made every parse slower than on a warm stack; a thread that
# stays keeps the pages it touched. Its resident stack is what the deepest file parsed
# so far needed (a few MB for real code: what CPython accepts bounds the nesting).
_WORKER: tuple[int, queue.SimpleQueue[Any]] | None = None


def _parser_thread() -> queue.SimpleQueue[Any]:
    """The request queue of this process's parser thread, started on first use (again after a fork:
    a forked pool worker inherits the thread object but not the running thread)."""
    global _WORKER
    pid = os.getpid()
    with _STACK_LOCK:
        if _WORKER is None or _WORKER[0] != pid:
            requests: queue.SimpleQueue[Any] = queue.SimpleQueue()
            previous = threading.stack_size(PARSER_STACK_BYTES)
            try:
                threading.Thread(target=_serve, args=(requests,), name="kerascheck-parse", daemon=True).start()
            finally:
                threading.stack_size(previous)
            _WORKER = (pid, requests)
        return _WORKER[1]


def _serve(requests: queue.SimpleQueue[Any]) -> None:
    import libcst as cst

    while True:
        text, reply = requests.get()
        try:
            result: Any = cst.parse_module(text)
        except BaseException as exc:  # noqa: BLE001 - handed back to the calling thread
            result = exc
        reply.put(result)
        del text, result


# ``threading.stack_size`` is process-wide state: set it, start the thread, restore it, under one lock.
_STACK_LOCK = threading.Lock()
