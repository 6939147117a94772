"""KC001 unused-suppression: directives that silence nothing, judged through the engine on real rules."""

from __future__ import annotations

from pathlib import Path

from kerascheck.config import default_settings
from kerascheck.diagnostics import Diagnostic
from kerascheck.engine import lint_source

HEADER = """\
import keras
from keras import layers

"""
SOFTMAX_HEAD = HEADER + """\
model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="softmax"),{comment}
])
"""


def lint(source: str, *selectors: str) -> list[Diagnostic]:
    settings = default_settings(project_root=Path.cwd(), extend_select=["KC001", *selectors])
    return lint_source(source, "train.py", settings)


def codes(source: str, *selectors: str) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in lint(source, *selectors)]


def test_off_by_default() -> None:
    source = HEADER + "x = 1  # noqa: KC101\n"
    assert lint_source(source, "train.py", default_settings(project_root=Path.cwd())) == []


def test_a_used_directive_is_not_reported() -> None:
    assert codes(SOFTMAX_HEAD.format(comment="  # noqa: KC101")) == []
    assert codes(SOFTMAX_HEAD.format(comment="  # kerascheck: ignore")) == []
    assert codes(SOFTMAX_HEAD.format(comment="  # noqa: KC1")) == []


def test_a_noqa_on_the_wrong_line_is_reported_and_the_finding_still_fires() -> None:
    source = SOFTMAX_HEAD.format(comment="").replace(
        '    layers.Dense(16, activation="relu"),', '    layers.Dense(16, activation="relu"),  # noqa: KC101')
    found = lint(source)
    assert [(d.code, d.line) for d in found] == [("KC001", 6), ("KC101", 7)]
    unused = found[0]
    assert (unused.column, unused.end_column) == (43, 56)
    assert "no KC101 finding on this line" in unused.message


def test_own_line_noqa_explains_that_noqa_is_same_line_only() -> None:
    source = SOFTMAX_HEAD.format(comment="").replace(
        '    layers.Dense(1, activation="softmax"),', '    # noqa: KC101\n    layers.Dense(1, activation="softmax"),')
    found = lint(source)
    assert [(d.code, d.line) for d in found] == [("KC001", 7), ("KC101", 8)]
    assert "applies to its own line only" in found[0].message


def test_own_line_ignore_applies_to_the_line_below_and_is_then_used() -> None:
    source = SOFTMAX_HEAD.format(comment="").replace(
        '    layers.Dense(1, activation="softmax"),',
        '    # kerascheck: ignore[KC101]\n    layers.Dense(1, activation="softmax"),')
    assert codes(source) == []


def test_one_unused_code_among_used_ones_is_named() -> None:
    found = lint(SOFTMAX_HEAD.format(comment="  # noqa: KC101, KC106, E501"))
    assert [(d.code, d.line) for d in found] == [("KC001", 7)]
    assert "no KC106 finding on this line" in found[0].message and "KC101" not in found[0].message
    assert found[0].fix is None  # the comment still does a job: only the user can trim it


def test_unknown_and_disabled_codes_say_so() -> None:
    found = lint(HEADER + "x = 1  # noqa: KC999\ny = 2  # noqa: KC111\n")
    assert [d.message.split(";")[0] for d in found] == [
        "unused suppression: KC999 is not a kerascheck code",
        "unused suppression: KC111 is not enabled",
    ]


def test_runtime_codes_are_never_judged_statically() -> None:
    assert codes(HEADER + "model = keras.Sequential()  # noqa: KC703\n") == []
    assert codes(HEADER + "model = keras.Sequential()  # noqa: KC7\n") == []


def test_file_directives_are_judged_against_the_whole_file() -> None:
    used = SOFTMAX_HEAD.format(comment="") + "# kerascheck: ignore-file[KC101]\n"
    assert codes(used) == []
    unused = HEADER + "x = 1\n# kerascheck: ignore-file[KC3]\n"
    assert [(d.code, d.line, d.message.split(";")[0]) for d in lint(unused)] == [
        ("KC001", 5, "unused suppression: no KC3 finding in this file")]
    blanket = HEADER + "x = 1\n# kerascheck: ignore-file\n"
    assert [d.message.split(";")[0] for d in lint(blanket)] == ["unused suppression: no kerascheck finding in this file"]


def test_the_fix_deletes_a_trailing_comment_with_its_padding() -> None:
    source = HEADER + "x = 1  # noqa: KC101\n"
    (found,) = lint(source)
    assert found.fix is not None and found.fix.safe
    (edit,) = found.fix.edits
    assert (edit.line, edit.column, edit.end_line, edit.end_column, edit.content) == (4, 6, 4, 21, "")


def test_the_fix_deletes_an_own_line_comment_with_its_line_break() -> None:
    source = HEADER + "# kerascheck: ignore[KC101]\nx = 1\n"
    (found,) = lint(source)
    (edit,) = found.fix.edits
    assert (edit.line, edit.column, edit.end_line, edit.end_column) == (4, 1, 5, 1)


def test_the_unused_finding_can_itself_be_suppressed() -> None:
    assert codes(HEADER + "x = 1  # noqa: KC101, KC001\n") == []


def test_notebook_cells_report_cell_relative_positions() -> None:
    import json

    cells = [{"cell_type": "code", "source": ["import keras\n"], "metadata": {}, "outputs": [], "execution_count": None},
             {"cell_type": "code", "source": ["x = 1\n", "y = 2  # noqa: KC101\n"], "metadata": {}, "outputs": [],
              "execution_count": None}]
    data = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
    settings = default_settings(project_root=Path.cwd(), extend_select=["KC001"])
    (found,) = lint_source(data, "nb.ipynb", settings)
    assert (found.code, found.line, found.column, dict(found.extra).get("cell")) == ("KC001", 2, 8, 2)


def test_a_blanket_directive_does_not_hide_its_own_unused_finding() -> None:
    assert codes(HEADER + "x = 1  # kerascheck: ignore\n") == [("KC001", 4)]
    assert codes(HEADER + "x = 1  # noqa: KC0\n") == []  # naming KC001 (by prefix) does
