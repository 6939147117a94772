"""The per-file pipeline: decoding, prefilter, parsing, rules, positions, filtering, and whole runs."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kerascheck.config import ConfigFile, Settings, default_settings, resolve_settings
from kerascheck.diagnostics import Severity
from kerascheck.engine import FileResult, lint_file, lint_paths, lint_source

pytestmark = pytest.mark.usefixtures("fake_rules")


def settings(tmp_path: Path | None = None, **kwargs: object) -> Settings:
    return default_settings(project_root=tmp_path or Path.cwd(), **kwargs)  # type: ignore[arg-type]


def codes(diagnostics: list) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in diagnostics]


def test_finding_has_position_name_and_rule_severity() -> None:
    source = "import keras\n\nx = 1\nmodel = boom(1, 2)\n"
    [diag] = lint_source(source, "train.py", settings())
    assert (diag.path, diag.code, diag.name, diag.severity) == ("train.py", "KC901", "boom-call", Severity.ERROR)
    assert (diag.line, diag.column, diag.end_line, diag.end_column) == (4, 9, 4, 19)
    assert diag.message == "boom() makes the loss NaN"


def test_finding_severity_overrides_rule_severity() -> None:
    [diag] = lint_source("import keras\nwhisper()\n", "a.py", settings())
    assert diag.code == "KC902" and diag.severity is Severity.INFO


def test_bytes_and_str_give_the_same_result() -> None:
    source = "import keras\nif True:\n    boom()\n"
    assert lint_source(source, "a.py", settings()) == lint_source(source.encode(), "a.py", settings())


def test_files_that_do_not_mention_keras_are_not_parsed() -> None:
    # Even a syntax error is not reported: the prefilter decides before parsing.
    assert lint_source("boom()\nx = (\n", "plain.py", settings()) == []
    assert lint_source(b"boom()\n", "plain.py", settings()) == []
    assert codes(lint_source("import tensorflow as tf\nboom()\n", "a.py", settings())) == [("KC901", 2, 1)]
    assert codes(lint_source("tf.keras\nboom()\n", "a.py", settings())) == [("KC901", 2, 1)]


def test_only_enabled_rules_run() -> None:
    source = "import keras\nboom()\nbang()\noptin()\n"
    assert [d.code for d in lint_source(source, "a.py", settings())] == ["KC901", "KC902"]
    assert [d.code for d in lint_source(source, "a.py", settings(select=["KC950"]))] == ["KC950"]


def test_rule_options_reach_the_rule(tmp_path: Path) -> None:
    config = ConfigFile(path=tmp_path / "kerascheck.toml", options=(("KC902", (("threshold", 2.0),)),))
    [diag] = lint_source("import keras\nbang()\n", "a.py", resolve_settings(config))
    assert diag.message == "bang threshold=2.0 count=3 strict=False"


def test_syntax_error_reports_kc000_at_cpython_position() -> None:
    [diag] = lint_source("import keras\n\ndef f(:\n    pass\n", "bad.py", settings())
    assert (diag.code, diag.name, diag.severity) == ("KC000", "parse-error", Severity.ERROR)
    assert (diag.line, diag.column) == (3, 7)
    assert diag.message == "syntax error: invalid syntax"


def test_unclosed_bracket_is_reported_where_it_opens() -> None:
    [diag] = lint_source("import keras\nmodel = keras.Sequential([\n", "bad.py", settings())
    assert (diag.line, diag.column) == (2, 26)
    assert diag.message == "syntax error: '[' was never closed"


def test_notebook_magics_are_commented_out_and_the_file_still_lints() -> None:
    source = "%matplotlib inline\n!pip install keras\nimport keras\nif True:\n    %time x = 1\n    boom()\n"
    assert codes(lint_source(source, "nb.py", settings())) == [("KC901", 6, 5)]


def test_a_real_syntax_error_in_a_notebook_export_is_still_reported() -> None:
    [diag] = lint_source("%matplotlib inline\nimport keras\nx = = 1\n", "nb.py", settings())
    assert (diag.code, diag.line) == ("KC000", 3)


def test_pep263_cookie_is_honoured() -> None:
    data = "# -*- coding: latin-1 -*-\nimport keras\nlabel = 'caf\xe9'\nboom()\n".encode("latin-1")
    assert codes(lint_source(data, "a.py", settings())) == [("KC901", 4, 1)]


def test_utf8_bom_is_accepted() -> None:
    data = b"\xef\xbb\xbfimport keras\nboom()\n"
    assert codes(lint_source(data, "a.py", settings())) == [("KC901", 2, 1)]
    assert codes(lint_source(data.decode("utf-8"), "a.py", settings())) == [("KC901", 2, 1)]


def test_undecodable_bytes_give_kc000_at_the_bad_byte() -> None:
    data = b"import keras\nx = 1\nname = '\xff\xfe'\n"
    [diag] = lint_source(data, "a.py", settings())
    assert (diag.code, diag.line, diag.column) == ("KC000", 3, 9)
    assert "cannot decode the file as utf-8" in diag.message and "0xff" in diag.message


def test_undecodable_first_line_and_unknown_cookie() -> None:
    [diag] = lint_source(b"import keras # \xff\n", "a.py", settings())
    assert (diag.code, diag.line, diag.column) == ("KC000", 1, 16)
    [diag] = lint_source(b"# coding: klingon\nimport keras\n", "a.py", settings())
    assert diag.code == "KC000" and "unknown encoding" in diag.message


def test_crashing_rule_becomes_one_kc000_and_other_rules_still_report() -> None:
    diags = lint_source("import keras\ncrash()\nboom()\n", "a.py", settings())
    assert [(d.code, d.name) for d in diags] == [("KC000", "internal-error"), ("KC901", "boom-call")]
    assert "KC960" in diags[0].message and "crashing-rule" in diags[0].message
    assert "ZeroDivisionError" in diags[0].message


def test_crashing_extractor_becomes_kc000(monkeypatch: pytest.MonkeyPatch) -> None:
    import kerascheck.facts.extract

    def broken(module: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(kerascheck.facts.extract, "extract_facts", broken)
    [diag] = lint_source("import keras\nboom()\n", "a.py", settings())
    assert diag.code == "KC000" and "too deeply nested to analyse" in diag.message


def test_identical_findings_are_reported_once() -> None:
    diags = lint_source("import keras\ndup()\n", "a.py", settings())
    assert [(d.code, d.message) for d in diags] == [("KC903", "dup() once")]


def test_findings_are_sorted_by_position() -> None:
    diags = lint_source("import keras\nbang(); boom()\nboom()\n", "a.py", settings())
    assert codes(diags) == [("KC902", 2, 1), ("KC901", 2, 9), ("KC901", 3, 1)]


def test_positions_are_only_computed_for_files_with_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    import kerascheck.positions

    created = []
    real = kerascheck.positions.PositionResolver

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object) -> None:
            created.append(1)
            super().__init__(*args)

    monkeypatch.setattr(kerascheck.positions, "PositionResolver", Counting)
    assert lint_source("import keras\nx = 1\n", "a.py", settings()) == []
    assert created == []
    assert len(lint_source("import keras\nboom()\nboom()\n", "a.py", settings())) == 2
    assert created == [1]


def test_per_file_ignores_match_paths_relative_to_the_project_root(tmp_path: Path) -> None:
    config = ConfigFile(path=tmp_path / "kerascheck.toml",
                        per_file_ignores=(("scripts/*.py", ("KC901",)), ("legacy", ("ALL",))))
    s = resolve_settings(config)
    source = "import keras\nboom()\nbang()\n"
    assert [d.code for d in lint_source(source, str(tmp_path / "scripts/a.py"), s)] == ["KC902"]
    assert lint_source(source, str(tmp_path / "legacy/deep/a.py"), s) == []
    assert [d.code for d in lint_source(source, str(tmp_path / "other/a.py"), s)] == ["KC901", "KC902"]
    # Parse errors are never filtered: the file was not checked at all.
    assert [d.code for d in lint_source("import keras\n(\n", str(tmp_path / "legacy/b.py"), s)] == ["KC000"]


def test_lint_file_reports_unreadable_paths(tmp_path: Path) -> None:
    result = lint_file(str(tmp_path), settings(tmp_path))  # a directory cannot be read as a file
    assert isinstance(result, FileResult)
    [diag] = result.diagnostics
    assert diag.code == "KC000" and diag.message.startswith("cannot read file")


def test_file_result_and_settings_are_picklable(tmp_path: Path, write) -> None:
    path = write("a.py", "import keras\nboom()\n")
    s = settings(tmp_path)
    result = lint_file(str(path), s)
    assert pickle.loads(pickle.dumps(result)) == result
    assert pickle.loads(pickle.dumps(s)) == s


def test_lint_paths_sorts_across_files_and_counts_them(in_tmp: Path, write) -> None:
    write("b.py", "import keras\nboom()\n")
    write("a/z.py", "import keras\n\nboom()\n")
    write("a.py", "import keras\nx = (\n")
    write("clean.py", "import keras\n")
    write("unrelated.py", "print('hi')\n")
    result = lint_paths(["."], settings(in_tmp))
    assert [(d.path, d.code, d.line) for d in result.diagnostics] == [
        ("a.py", "KC000", 2), ("a/z.py", "KC901", 3), ("b.py", "KC901", 2),
    ]
    assert (result.files_checked, result.files_skipped) == (4, 1)  # unrelated.py never mentions Keras
    assert result.files_with_diagnostics == 3


def test_named_non_python_files_are_skipped_with_a_clear_message(in_tmp: Path, write) -> None:
    write("README.md", "Use keras like this: model.fit(x)\n")
    write("train", "import keras\nboom()\n")
    result = lint_paths(["README.md", "train"], settings(in_tmp))
    assert [(d.path, d.code, d.severity.value) for d in result.diagnostics] == [
        ("README.md", "KC000", "info"), ("train", "KC901", "error")]
    assert result.diagnostics[0].message.startswith("not linted: not a Python file")


def test_lint_paths_defaults_to_the_current_directory(in_tmp: Path, write) -> None:
    write("pkg/train.py", "import keras\nboom()\n")
    assert [d.path for d in lint_paths([], settings(in_tmp)).diagnostics] == ["pkg/train.py"]


def test_lint_paths_prints_paths_outside_the_cwd_as_absolute(tmp_path: Path, write, monkeypatch) -> None:
    path = write("outside/t.py", "import keras\nboom()\n")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    [diag] = lint_paths([str(path)], settings(tmp_path)).diagnostics
    assert diag.path == str(path)


def test_lint_paths_reads_stdin(in_tmp: Path) -> None:
    result = lint_paths(["-"], settings(in_tmp), stdin=b"import keras\nboom()\n", stdin_filename="nb/x.py")
    assert [(d.path, d.line) for d in result.diagnostics] == [("nb/x.py", 2)]
    assert result.files_checked == 1
    result = lint_paths(["-"], settings(in_tmp), stdin=b"import keras\nboom()\n")
    assert [d.path for d in result.diagnostics] == ["-"]


def test_stdin_filename_is_subject_to_force_exclude(in_tmp: Path) -> None:
    s = resolve_settings(ConfigFile(path=in_tmp / "kerascheck.toml", exclude=("gen",)))
    data = b"import keras\nboom()\n"
    assert lint_paths(["-"], s, stdin=data, stdin_filename="gen/x.py", force_exclude=True).diagnostics == ()
    assert len(lint_paths(["-"], s, stdin=data, stdin_filename="gen/x.py").diagnostics) == 1
