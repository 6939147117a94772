"""The language server's pure parts: positions, the noqa edit, CLI wiring (no pygls needed for these)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.diagnostics import Diagnostic, Edit, Severity
from kerascheck.server.noqa import noqa_edit
from kerascheck.server.positions import UTF8, UTF16, UTF32, from_client, split_lines, to_client

ROOT = Path(__file__).resolve().parent.parent


# -- positions --------------------------------------------------------------------------------------


def test_columns_convert_per_encoding() -> None:
    lines = split_lines('x = "🚀é" + y\n')
    column = lines[0].index("+") + 1  # 1-based code points
    assert to_client(lines, 1, column, UTF32) == (0, column - 1)
    assert to_client(lines, 1, column, UTF16) == (0, column - 1 + 1)  # the rocket is two UTF-16 units
    assert to_client(lines, 1, column, UTF8) == (0, len(lines[0][: column - 1].encode()))
    for encoding in (UTF8, UTF16, UTF32):
        assert from_client(lines, *to_client(lines, 1, column, encoding), encoding) == (1, column)


def test_inside_a_surrogate_pair_rounds_down_and_out_of_range_clamps() -> None:
    lines = split_lines("a🚀b")
    assert from_client(lines, 0, 2, UTF16) == (1, 2)  # between the rocket's two units: at the rocket
    assert from_client(lines, 0, 99, UTF16) == (1, 4)
    assert to_client(lines, 7, 1, UTF16) == (0, 4)  # a KC000 past the end lands at the end
    assert to_client([], 1, 1, UTF16) == (0, 0)


def test_lines_split_like_lsp_not_like_splitlines() -> None:
    assert split_lines("a\r\nb\rc\x0cd\ne") == ["a", "b", "c\x0cd", "e"]


# -- the noqa edit ----------------------------------------------------------------------------------


def _finding(line: int, end_line: int | None = None, code: str = "KC106") -> Diagnostic:
    return Diagnostic(path="t.py", line=line, column=1, end_line=end_line or line, end_column=2, code=code,
                      name="accuracy-with-regression-loss", severity=Severity.WARNING, message="m")


def _apply(source: str, edit: Edit) -> str:
    lines = source.split("\n")
    text = lines[edit.line - 1]
    lines[edit.line - 1] = text[: edit.column - 1] + edit.content + text[edit.end_column - 1:]
    return "\n".join(lines)


@pytest.mark.parametrize(("source", "line", "expected"), [
    ("x = 1\ny = 2   \n", 2, "y = 2  # noqa: KC106"),
    ("y = 2  # noqa: E501\n", 1, "y = 2  # noqa: E501, KC106"),
    ("y = 2  # noqa:E501,W291 trailing words\n", 1, "y = 2  # noqa:E501,W291 trailing words, KC106"),
    ("y = 2  # a note with a '#' in it\n", 1, "y = 2  # a note with a '#' in it  # noqa: KC106"),
    ('s = "# noqa: E501"\n', 1, 's = "# noqa: E501"  # noqa: KC106'),  # a '#' in a string is not a comment
])
def test_noqa_edit(source: str, line: int, expected: str) -> None:
    edit = noqa_edit(source, _finding(line))
    assert edit is not None
    assert _apply(source, edit).split("\n")[line - 1] == expected


def test_noqa_goes_on_the_last_line_when_the_first_cannot_hold_a_comment() -> None:
    continued = "model.compile(loss='mse', \\\n    metrics=['accuracy'])\n"
    edit = noqa_edit(continued, _finding(1, 2))
    assert edit is not None and edit.line == 2
    in_string = 'x = f("""\n{a}""", metrics=["accuracy"])\n'
    edit = noqa_edit(in_string, _finding(1, 2))
    assert edit is not None and edit.line == 2


def test_no_noqa_for_kc000_or_an_already_listed_code() -> None:
    assert noqa_edit("x = (\n", _finding(1, code="KC000")) is None
    assert noqa_edit("y = 2  # noqa: KC106\n", _finding(1)) is None


def test_noqa_edit_really_silences_the_finding() -> None:
    """Round trip through the real engine: the suppression parser reads what the edit wrote."""
    from kerascheck.engine import lint_source

    source = textwrap.dedent("""\
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse",  # noqa: E501
                      metrics=["accuracy"])
    """)
    settings = default_settings()
    (finding,) = lint_source(source, "t.py", settings)
    edit = noqa_edit(source, finding)
    assert edit is not None
    assert lint_source(_apply(source, edit), "t.py", settings) == []


# -- the CLI ----------------------------------------------------------------------------------------


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_server_without_pygls_says_how_to_install_it() -> None:
    result = _run("import sys; sys.modules['pygls'] = None\nfrom kerascheck.cli import main\nmain(['server'])")
    assert result.returncode == 2
    assert result.stderr.strip() == ("kerascheck: error: the language server needs pygls: "
                                     "pip install 'kerascheck[lsp]'")
    assert result.stdout == ""


def test_the_cli_does_not_import_pygls(tmp_path: Path) -> None:
    script = tmp_path / "t.py"
    script.write_text("import keras\n")
    result = _run(f"import sys\nfrom kerascheck.cli import main\ntry:\n    main([{str(script)!r}])\n"
                  "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith("
                  "('pygls', 'lsprotocol', 'kerascheck.server'))))")
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


# -- per-document settings ----------------------------------------------------------------------------


def test_settings_follow_the_nearest_config_and_its_changes(tmp_path: Path) -> None:
    import os

    from kerascheck.server.settings_cache import SettingsCache

    package = tmp_path / "pkg"
    package.mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nignore = ["KC106"]\n')
    own = package / "kerascheck.toml"
    own.write_text('ignore = ["KC101"]\n')
    cache = SettingsCache(str(tmp_path))
    assert "KC106" not in cache.settings_for(str(tmp_path / "train.py")).enabled
    nested = cache.settings_for(str(package / "train.py"))
    assert "KC106" in nested.enabled and "KC101" not in nested.enabled
    assert cache.settings_for(str(package / "other.py")) is nested  # reused while unchanged
    own.write_text('ignore = ["KC106", "KC101"]\n')
    stat = own.stat()
    os.utime(own, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert "KC106" not in cache.settings_for(str(package / "train.py")).enabled
