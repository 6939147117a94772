"""The applier on text (what the language server reuses), and every rule's fixes on its own examples."""

from __future__ import annotations

import pytest

from kerascheck import docs
from kerascheck.config import default_settings
from kerascheck.diagnostics import Diagnostic, Edit, Fix, Severity
from kerascheck.engine import lint_source
from kerascheck.fixes import apply_fixes
from kerascheck.fixes.apply import TextIndex, apply_edits, apply_fixes_to_parts
from kerascheck.fixes.files import decode_exactly, fix_text
from kerascheck.rules.base import all_rules


def diagnostic(code: str, *edits: Edit, safe: bool = True, message: str = "fix") -> Diagnostic:
    first = edits[0]
    return Diagnostic("x.py", first.line, first.column, first.end_line, first.end_column, code, "name",
                      Severity.WARNING, "message", fix=Fix(message, tuple(edits), safe))


def test_positions_are_code_points_of_the_line_and_crlf_is_one_line_ending() -> None:
    text = "é = 1\r\nx = 'ü'\r\n"
    index = TextIndex(text)
    assert index.offset(2, 1) == 7 and index.position(7) == (2, 1)
    assert apply_edits(text, [Edit(2, 6, 2, 7, "u")]) == "é = 1\r\nx = 'u'\r\n"
    with pytest.raises(ValueError):
        index.offset(1, 9)  # past the end of line 1


def test_unsafe_fixes_only_on_request() -> None:
    found = [diagnostic("KC101", Edit(1, 1, 1, 2, "b"), safe=False)]
    assert apply_fixes("a\n", found) == ("a\n", 0)
    assert apply_fixes("a\n", found, unsafe=True) == ("b\n", 1)


def test_overlapping_fixes_are_resolved_by_position_then_code_whatever_the_order() -> None:
    text = "abcdef\n"
    first = diagnostic("KC205", Edit(1, 2, 1, 4, "X"))  # bc -> X
    overlapping = diagnostic("KC101", Edit(1, 3, 1, 5, "Y"))  # cd -> Y: overlaps, skipped
    later = diagnostic("KC901", Edit(1, 5, 1, 6, "Z"))  # e -> Z: touches `overlapping` only
    for order in ([first, overlapping, later], [later, overlapping, first]):
        assert apply_fixes(text, order) == ("aXdZf\n", 2)


def test_two_insertions_at_one_point_do_not_both_apply() -> None:
    found = [diagnostic("KC203", Edit(1, 2, 1, 2, "1")), diagnostic("KC205", Edit(1, 2, 1, 2, "2"))]
    assert apply_fixes("ab\n", found) == ("a1b\n", 1)


def test_the_same_fix_from_two_findings_applies_once_and_counts_twice() -> None:
    edit = Edit(1, 1, 1, 2, "b")
    assert apply_fixes("a\n", [diagnostic("KC101", edit), diagnostic("KC102", edit)]) == ("b\n", 2)


def test_a_fix_that_breaks_parsing_is_dropped_and_reported() -> None:
    text = "f(1)\ng(2)\n"
    good = diagnostic("KC205", Edit(2, 3, 2, 4, "3"))
    bad = diagnostic("KC101", Edit(1, 2, 1, 3, ""))  # f(1) -> f1)
    rejected: list[tuple[str, str]] = []
    assert apply_fixes(text, [bad, good], on_rejected=lambda d, why: rejected.append((d.code, why))) == (
        "f(1)\ng(3)\n", 1)
    assert rejected == [("KC101", "the fixed source would not parse")]


def test_stale_positions_are_rejected() -> None:
    rejected: list[str] = []
    assert apply_fixes("a\n", [diagnostic("KC101", Edit(5, 1, 5, 2, ""))],
                       on_rejected=lambda d, why: rejected.append(why)) == ("a\n", 0)
    assert rejected and "positions" in rejected[0]


def test_a_fix_spanning_two_cells_applies_to_both_or_neither() -> None:
    both = diagnostic("KC501", Edit(1, 1, 1, 2, "B", cell=1), Edit(1, 1, 1, 2, "D", cell=2))
    texts, count = apply_fixes_to_parts({1: "a\n", 2: "c\n"}, [both])
    assert (texts, count) == ({1: "B\n", 2: "D\n"}, 1)
    texts, count = apply_fixes_to_parts({1: "a\n", 2: "c\n"}, [both], check=lambda changed: 2 not in changed)
    assert (texts, count) == ({1: "a\n", 2: "c\n"}, 0)


def test_lint_source_gives_the_language_server_positioned_fixes() -> None:
    source = "import keras\nopt = keras.optimizers.Adam(lr=1e-3)\n"
    [found] = lint_source(source, "x.py", default_settings(select=["KC205"]))
    assert found.fix == Fix("Rename `lr` to `learning_rate`", (Edit(2, 29, 2, 31, "learning_rate"),), True)
    assert apply_fixes(source, [found]) == ("import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n", 1)


def test_no_fix_where_the_rewrite_is_ambiguous() -> None:
    settings = default_settings(select=["KC205", "KC101", "KC102"])
    source = ("import keras\n"
              "opt = keras.optimizers.Adam(lr=1e-3, learning_rate=1e-3)\n"  # both given: which one?
              "act = 'softmax'\n"
              "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, activation=act)])\n"
              "model.compile(optimizer='adam', loss=custom_loss, **extra)\n")
    found = lint_source(source, "x.py", settings)
    assert sorted(d.code for d in found) == ["KC101", "KC205"]
    assert [d.fix for d in found] == [None, None]


def test_decode_exactly_refuses_what_would_not_round_trip() -> None:
    assert decode_exactly("# coding: latin-1\nx = 'é'\n".encode("latin-1"))[1] == "iso-8859-1"
    assert isinstance(decode_exactly(b"x = '\xff'\n"), str)  # not UTF-8, no cookie


# -- every rule's declared fix matches what its own examples get ----------------------------------------


def _examples(rule: type) -> list[str]:
    blocks = [docs.first_code_block(docs.section(rule, title) or "") for title in ("Example", "Fix")]
    return [block for block in blocks if block]


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_declared_fix_applicability_matches_the_fixes(code: str) -> None:
    rule = all_rules()[code]
    assert rule.fixable in ("none", "safe", "unsafe", "mixed")
    assert (rule.fixable == "none") == (not rule.fix_doc)
    settings = default_settings(select=[code])
    for example in _examples(rule):
        for found in lint_source(example, "example.py", settings):
            if found.fix is None or found.code != code:
                continue
            assert rule.fixable != "none", found
            assert rule.fixable == "mixed" or found.fix.safe == (rule.fixable == "safe"), found


@pytest.mark.parametrize("code", sorted(c for c, r in all_rules().items() if r.fixable != "none"))
def test_fixing_a_rule_example_removes_its_fixable_findings(code: str) -> None:
    rule = all_rules()[code]
    settings = default_settings(select=[code])
    example = docs.first_code_block(docs.section(rule, "Example") or "")
    assert example
    before = lint_source(example, "example.py", settings)
    fixable = [d for d in before if d.fix is not None]
    assert fixable or code == "KC902"  # KC902's example is predict_classes, which has no one-to-one fix
    fixed, applied, remaining = fix_text(example, lambda t: lint_source(t, "example.py", settings), unsafe=True)
    assert applied == len(fixable)
    assert len([d for d in remaining if d.code == code]) == len([d for d in before if d.code == code]) - applied


# -- the whole corpus: fixing converges in one run and leaves valid code ----------------------------------


def test_fixing_the_corpus_converges_and_keeps_it_valid() -> None:
    from pathlib import Path

    from kerascheck.fixes.apply import python_parses

    root = Path(__file__).resolve().parent.parent
    files = sorted([*root.glob("tests/corpus/*.py"), *root.glob("examples/*.py")])
    assert len(files) > 50
    settings = default_settings(select=["ALL"])
    applied_total = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        notes: list[str] = []

        def lint(source: str) -> list[Diagnostic]:
            return lint_source(source, path.name, settings)

        fixed, applied, remaining = fix_text(text, lint, unsafe=True, notes=notes, path=path.name)
        applied_total += applied
        assert python_parses(fixed), path
        assert notes == [], path
        assert [d for d in remaining if d.fix is not None] == [], path  # every fix landed
        assert fix_text(fixed, lint, unsafe=True)[1] == 0, path  # and a second run has nothing to do
    assert applied_total >= 40
