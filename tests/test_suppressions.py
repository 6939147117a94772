"""Suppression comments, parsed directly and applied through the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.engine import lint_source
from kerascheck.suppressions import apply_suppressions, parse_suppressions


def lint(source: str) -> list[tuple[str, int]]:
    diags = lint_source(source, "a.py", default_settings(project_root=Path.cwd()))
    return [(d.code, d.line) for d in diags]


def diag(code: str, line: int, end_line: int | None = None) -> Diagnostic:
    return Diagnostic("a.py", line, 1, end_line or line, 2, code, "x", Severity.ERROR, "m")


@pytest.mark.usefixtures("fake_rules")
class TestThroughTheEngine:
    def test_noqa_with_the_code_silences_that_code_only(self) -> None:
        assert lint("import keras\nboom(); bang()  # noqa: KC901\n") == [("KC902", 2)]

    def test_noqa_with_several_codes_and_foreign_codes(self) -> None:
        assert lint("import keras\nboom(); bang()  # noqa: E501, KC901 KC902\n") == []
        assert lint("import keras\nboom(); bang()  # NOQA:kc901,kc902\n") == []

    def test_noqa_with_a_prefix(self) -> None:
        assert lint("import keras\nboom(); bang()  # noqa: KC9\n") == []

    def test_blanket_noqa_does_not_silence_kerascheck(self) -> None:
        assert lint("import keras\nboom()  # noqa\n") == [("KC901", 2)]
        assert lint("import keras\nboom()  # noqa: E501\n") == [("KC901", 2)]

    def test_kerascheck_ignore_with_codes(self) -> None:
        assert lint("import keras\nboom(); bang()  # kerascheck: ignore[KC902]\n") == [("KC901", 2)]
        assert lint("import keras\nboom(); bang()  # kerascheck: ignore[KC901, KC902]\n") == []
        assert lint("import keras\nboom(); bang()  # kerascheck:ignore[KC901 KC902]\n") == []

    def test_kerascheck_ignore_without_codes_silences_the_line(self) -> None:
        assert lint("import keras\nboom(); bang()  # kerascheck: ignore\nboom()\n") == [("KC901", 3)]

    def test_directive_must_be_on_the_reported_line(self) -> None:
        assert lint("import keras\n# noqa: KC901\nboom()\n") == [("KC901", 3)]

    def test_own_line_ignore_applies_to_the_next_line_of_code(self) -> None:
        assert lint("import keras\n# kerascheck: ignore[KC901]\nboom(); bang()\n") == [("KC902", 3)]
        assert lint("import keras\n# kerascheck: ignore\n\n# why: legacy\nboom(); bang()\n") == []
        assert lint("import keras\n# kerascheck: ignore[KC901]\nbang()\nboom()\n") == [("KC902", 3), ("KC901", 4)]

    def test_own_line_ignore_inside_a_bracket_applies_to_the_next_element(self) -> None:
        assert lint("import keras\nx = [\n    # kerascheck: ignore[KC901]\n    boom(),\n    boom(),\n]\n") == [
            ("KC901", 5)]

    def test_multi_line_finding_is_silenced_on_its_first_or_last_line(self) -> None:
        assert lint("import keras\nboom(  # noqa: KC901\n    1,\n    2,\n)\n") == []
        assert lint("import keras\nboom(\n    1,\n)  # noqa: KC901\n") == []
        assert lint("import keras\nboom(\n    1,  # noqa: KC901\n)\n") == [("KC901", 2)]

    def test_hash_inside_a_string_is_not_a_comment(self) -> None:
        assert lint("import keras\nboom('# noqa: KC901')\n") == [("KC901", 2)]

    def test_ignore_file_on_its_own_line(self) -> None:
        assert lint("import keras\nboom()\n# kerascheck: ignore-file\nbang()\n") == []
        assert lint("import keras\nboom()\nbang()\n# kerascheck: ignore-file[KC901]\n") == [("KC902", 3)]

    def test_ignore_file_as_trailing_comment_does_not_count(self) -> None:
        assert lint("import keras  # kerascheck: ignore-file\nboom()\n") == [("KC901", 2)]

    def test_ignore_file_in_a_string_does_not_count(self) -> None:
        assert lint('import keras\nboom()\nx = """\n# kerascheck: ignore-file\n"""\n') == [("KC901", 2)]

    def test_notebook_magics_do_not_break_suppressions(self) -> None:
        assert lint("%matplotlib inline\nimport keras\nboom()  # noqa: KC901\nbang()\n") == [("KC902", 4)]


def test_kc000_is_never_suppressed() -> None:
    kept = apply_suppressions([diag("KC000", 1)], "# kerascheck: ignore-file\n")
    assert [d.code for d in kept] == ["KC000"]


def test_parse_collects_line_and_file_directives() -> None:
    found = parse_suppressions("x = 1  # noqa: KC101, E501  # kerascheck: ignore[kc2]\n# kerascheck: ignore-file[KC3]\n")
    assert found.lines == {1: ["KC101", "KC2"]}
    assert found.file_codes == ["KC3"] and not found.file_all


def test_directives_record_where_they_are_written_and_what_they_cover() -> None:
    found = parse_suppressions("# kerascheck: ignore[KC1]\n\nx = 1  # noqa: KC2  # kerascheck: ignore-file\n")
    first, second = found.directives
    assert (first.kind, first.codes, first.line, first.comment_line, first.column, first.alone) == (
        "ignore", ("KC1",), 3, 1, 1, True)
    assert (second.kind, second.codes, second.line, second.column, second.end_column, second.whole_comment) == (
        "noqa", ("KC2",), 3, 8, 19, False)
    assert found.lines == {3: ["KC1", "KC2"]}


def test_ignore_files_is_not_ignore_file() -> None:
    found = parse_suppressions("# kerascheck: ignore-files\n")
    assert not found.file_all and found.file_codes == []


def test_untokenizable_source_falls_back_to_a_line_scan() -> None:
    found = parse_suppressions("x = (  # noqa: KC101\n")  # unterminated bracket: tokenize raises
    assert found.lines == {1: ["KC101"]}


def test_apply_keeps_everything_when_there_are_no_directives() -> None:
    diags = [diag("KC101", 1), diag("KC102", 2, end_line=3)]
    assert apply_suppressions(diags, "a = 1\nb = 2\nc = 3  # noqa\n") == diags
    assert apply_suppressions(diags, "a = 1\nb = 2\nc = 3  # noqa: KC102\n") == diags[:1]
