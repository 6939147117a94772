"""The parser crash guard: hostile nesting is KC000 and the rest of the run still gets its results.

The deep inputs run in a child process: if the guard regressed, libcst's native parser would kill that
child (SIGSEGV/SIGABRT), and the test fails instead of taking the whole test run down with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.engine import lint_source
from kerascheck.parse_guard import cpython_rejection, deepest_line, parse_module

HEAD = "import keras\n"
BUGGY = HEAD + 'm = keras.Sequential([keras.layers.Dense(1, activation="softmax")])\n'

HOSTILE = {
    # CPython refuses these (it cannot nest them); libcst would crash or exhaust memory on most.
    "unary_200k.py": HEAD + "v = " + "-" * 200_000 + "1\n",
    "parens_500.py": HEAD + "v = " + "(" * 500 + "1" + ")" * 500 + "\n",
    "lists_3000.py": HEAD + "v = " + "[" * 3000 + "1" + "]" * 3000 + "\n",
    "lambda_10k.py": HEAD + "v = " + "lambda: " * 10_000 + "1\n",
    "elif_5000.py": HEAD + "if x:\n    pass\n" + "elif x:\n    pass\n" * 5000,
    # CPython accepts these (it keeps `and` chains flat) but libcst nests them: they segfaulted libcst
    # on the main thread's 8 MB stack.
    "and_10k.py": HEAD + "v = 1" + " and 1" * 10_000 + "\n",
    "or_20k.py": HEAD + "v = 1" + " or 1" * 20_000 + "\n",
}


def test_hostile_files_are_kc000_and_other_files_still_report(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "zz_buggy.py").write_text(BUGGY)
    proc = subprocess.run(
        [sys.executable, "-m", "kerascheck", "--no-cache", "--output-format", "json", "-j", "1", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)
    by_file = {Path(d["path"]).name: d for d in findings if d["code"] == "KC000"}
    assert sorted(by_file) == sorted(HOSTILE)
    for name in ("unary_200k.py", "parens_500.py", "lists_3000.py", "lambda_10k.py", "elif_5000.py"):
        assert by_file[name]["message"].startswith("too deeply nested for a safe parse at line "), name
    for name in ("and_10k.py", "or_20k.py"):
        assert by_file[name]["message"].startswith("too deeply nested to analyse at line 2"), name
    assert by_file["parens_500.py"]["line"] == 2
    assert by_file["unary_200k.py"]["line"] == 2
    assert [d["code"] for d in findings if d["path"].endswith("zz_buggy.py")] == ["KC101"]


def test_what_cpython_rejects_is_never_clean() -> None:
    settings = default_settings()
    for source, expected in [
        (HEAD + "return 1\n", "syntax error: 'return' outside function"),
        (HEAD + "def f(a, a):\n    pass\n", "syntax error: duplicate argument 'a' in function definition"),
        (HEAD + "for x in y:\n    pass\nbreak\n", "syntax error: 'break' outside loop"),
        (HEAD + "x = [*a for a in b]\n", "syntax error: iterable unpacking cannot be used in comprehension"),
    ]:
        [diag] = lint_source(source, "a.py", settings)
        assert (diag.code, diag.name) == ("KC000", "parse-error")
        assert diag.message == expected
        assert diag.line >= 2


def test_nul_byte_is_reported_where_it_is() -> None:
    [diag] = lint_source(b"import keras\nx = 1\0\n", "a.py", default_settings())
    assert (diag.code, diag.line, diag.column) == ("KC000", 2, 6)
    assert "NUL byte" in diag.message


def test_notebook_export_with_magics_allows_top_level_await() -> None:
    source = "%matplotlib inline\nimport keras\nresult = await fetch()\n" + BUGGY.removeprefix(HEAD)
    assert [d.code for d in lint_source(source, "nb.py", default_settings())] == ["KC101"]


def test_a_modulo_continuation_line_is_not_a_magic() -> None:
    source = HEAD + "x = (10\n     % 3)\n" + BUGGY.removeprefix(HEAD)
    assert [d.code for d in lint_source(source, "a.py", default_settings())] == ["KC101"]


def test_the_guard_pins_the_recursion_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "v = " + "-" * 4000 + "1\n"
    monkeypatch.setattr(sys, "getrecursionlimit", lambda: 100_000)  # a host that raised it
    calls: list[int] = []
    monkeypatch.setattr(sys, "setrecursionlimit", calls.append)
    cpython_rejection(deep, "a.py")
    assert calls == [1000, 100_000]


def test_deep_but_valid_source_parses_on_the_big_stack_thread() -> None:
    module = parse_module("v = 1" + " and 1" * 10_000 + "\n")
    assert not isinstance(module, BaseException)
    assert isinstance(parse_module("v = (\n"), Exception)


def test_deepest_line_points_at_the_nesting() -> None:
    assert deepest_line("import keras\nx = 1\ny = " + "(" * 50 + "\nz = 2\n") == 3
