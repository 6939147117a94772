"""Fixes on diagnostics → code actions (a constructed Diagnostic with a Fix, no server process)."""

from __future__ import annotations

import pytest

pytest.importorskip("lsprotocol", reason="code actions are LSP types: the 'lsp' extra")

from lsprotocol import types  # noqa: E402

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Severity  # noqa: E402
from kerascheck.server.actions import FIX_ALL_KIND, code_actions  # noqa: E402
from kerascheck.server.convert import lsp_diagnostic  # noqa: E402
from kerascheck.server.documents import Entry, Published  # noqa: E402

SOURCE = 'opt = keras.optimizers.Adam(lr=0.01, name="🚀")\nmodel.compile(opt, metrics=["accuracy"])\n'


def _entry(published: Published, code: str, line: int, column: int, end_column: int,
           fix: Fix | None) -> Entry:
    diagnostic = Diagnostic(path="t.py", line=line, column=column, end_line=line, end_column=end_column,
                            code=code, name="n", severity=Severity.WARNING, message="m", fix=fix)
    return Entry(diagnostic, lsp_diagnostic(diagnostic, published.lines, "utf-16"))


def _published(*entries: tuple[str, int, int, int, Fix | None]) -> Published:
    published = Published("file:///t.py", SOURCE, 3)
    published.entries = [_entry(published, *e) for e in entries]
    return published


def _edits(action: types.CodeAction) -> list[tuple[int, int, int, int, str]]:
    assert action.edit is not None and action.edit.changes is not None
    return [(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.new_text)
            for e in action.edit.changes["file:///t.py"]]


LR = Fix("Rename lr= to learning_rate=", (Edit(1, 29, 1, 31, "learning_rate"),), safe=True)
# A column after the rocket: UTF-16 counts it twice, so the edit's character is one more than the code points.
NAME = Fix("Drop the name", (Edit(1, 36, 1, 46, ""),), safe=False)  # ', name="🚀"'
WHOLE_LINE = Fix("Rewrite the call", (Edit(1, 7, 1, 47, "keras.optimizers.Adam(learning_rate=0.01)"),), safe=True)


def test_a_safe_fix_is_a_preferred_quickfix_and_noqa_follows() -> None:
    published = _published(("KC205", 1, 29, 31, LR))
    everything = types.Range(types.Position(0, 0), types.Position(9, 0))
    fix, noqa = code_actions(published, everything, None, "utf-16", versioned=False)
    assert (fix.title, fix.kind, fix.is_preferred) == ("Rename lr= to learning_rate= (KC205)", "quickfix", True)
    assert _edits(fix) == [(0, 28, 0, 30, "learning_rate")]
    assert fix.diagnostics == [published.entries[0].lsp]
    assert noqa.title == "Disable KC205 for this line" and not noqa.is_preferred
    assert _edits(noqa) == [(0, 47, 0, 47, "  # noqa: KC205")]  # 46 code points + the rocket's 2nd unit


def test_an_unsafe_fix_is_labelled_and_never_preferred() -> None:
    published = _published(("KC205", 1, 36, 46, NAME))
    (fix, _noqa) = code_actions(published, published.entries[0].lsp.range, None, "utf-16", versioned=False)
    assert fix.title == "Drop the name (KC205, unsafe fix: check the result)" and not fix.is_preferred
    assert _edits(fix) == [(0, 35, 0, 46, "")]


def test_versioned_edits_when_the_client_supports_them() -> None:
    published = _published(("KC205", 1, 29, 31, LR))
    fix = code_actions(published, published.entries[0].lsp.range, ["quickfix"], "utf-16", versioned=True)[0]
    assert fix.edit is not None and fix.edit.changes is None
    (change,) = fix.edit.document_changes or ()
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.uri == "file:///t.py" and change.text_document.version == 3


def test_only_actions_touching_the_range_and_of_the_requested_kind() -> None:
    published = _published(("KC205", 1, 29, 31, LR), ("KC106", 2, 28, 38, None))
    second_line = types.Range(types.Position(1, 30), types.Position(1, 30))
    assert [a.title for a in code_actions(published, second_line, None, "utf-16", False)] == \
        ["Disable KC106 for this line"]
    assert code_actions(published, second_line, ["refactor"], "utf-16", False) == []


def _apply(text: str, edits: list[tuple[int, int, int, int, str]]) -> str:
    """Apply UTF-16 (line, character) edits, last first."""
    lines = text.split("\n")

    def offset(line: int, character: int) -> int:
        units, index = 0, 0
        while index < len(lines[line]) and units < character:
            units += 2 if ord(lines[line][index]) > 0xFFFF else 1
            index += 1
        return sum(len(x) + 1 for x in lines[:line]) + index

    for start_line, start_char, end_line, end_char, new in sorted(edits, reverse=True):
        text = text[:offset(start_line, start_char)] + new + text[offset(end_line, end_char):]
    return text


def test_fix_all_is_the_cli_appliers_choice() -> None:
    from kerascheck.fixes.apply import apply_fixes

    published = _published(("KC205", 1, 29, 31, LR), ("KC999", 1, 7, 47, WHOLE_LINE), ("KC998", 1, 36, 46, NAME))
    everything = types.Range(types.Position(0, 0), types.Position(9, 0))
    assert all(a.kind != FIX_ALL_KIND for a in code_actions(published, everything, None, "utf-16", False))
    (fix_all,) = code_actions(published, everything, ["source"], "utf-16", False)
    assert fix_all.kind == FIX_ALL_KIND
    # The same text `kerascheck --fix` would write after one round: the rewrite of the call is taken
    # (first in position order), KC205's rename lies inside it, the unsafe fix is never applied.
    expected, _count = apply_fixes(SOURCE, [entry.diagnostic for entry in published.entries])
    assert _apply(SOURCE, _edits(fix_all)) == expected
    assert expected.startswith("opt = keras.optimizers.Adam(learning_rate=0.01)\n")
    assert len(_edits(fix_all)) == 1 and _edits(fix_all)[0][0] == 0  # only the changed middle of line 1


def test_fix_all_skips_a_fix_that_would_break_the_source() -> None:
    broken = Fix("Break it", (Edit(2, 1, 2, 6, "model("),), safe=True)
    published = _published(("KC205", 1, 29, 31, LR), ("KC997", 2, 1, 6, broken))
    (fix_all,) = code_actions(published, types.Range(types.Position(0, 0), types.Position(0, 0)),
                              [FIX_ALL_KIND], "utf-16", False)
    fixed = _apply(SOURCE, _edits(fix_all))
    assert "learning_rate=0.01" in fixed and fixed.split("\n")[1] == SOURCE.split("\n")[1]


def test_a_notebook_fix_edits_the_cell_it_names() -> None:
    first = Published("cell:1", "import keras\n", 7, document_version=3)
    second = Published("cell:2", SOURCE, 7, document_version=5)
    first.cells = second.cells = {1: first, 2: second}
    fix = Fix("Import it", (Edit(1, 13, 1, 13, ", numpy", cell=1), Edit(1, 29, 1, 31, "learning_rate", cell=2)))
    second.entries = [_entry(second, "KC205", 1, 29, 31, fix)]
    action = code_actions(second, second.entries[0].lsp.range, ["quickfix"], "utf-16", versioned=True)[0]
    assert action.edit is not None
    changes = {c.text_document.uri: (c.text_document.version, [e.new_text for e in c.edits])
               for c in action.edit.document_changes or () if isinstance(c, types.TextDocumentEdit)}
    assert changes == {"cell:1": (3, [", numpy"]), "cell:2": (5, ["learning_rate"])}


def test_fix_all_in_a_notebook_fixes_every_cell() -> None:
    first = Published("cell:1", "opt = keras.optimizers.SGD(lr=0.1)\n", 7, document_version=2)
    second = Published("cell:2", SOURCE, 7, document_version=4)
    first.cells = second.cells = {1: first, 2: second}
    first.entries = [_entry(first, "KC205", 1, 28, 30,
                            Fix("Rename", (Edit(1, 28, 1, 30, "learning_rate", cell=1),)))]
    second.entries = [_entry(second, "KC205", 1, 29, 31,
                             Fix("Rename", (Edit(1, 29, 1, 31, "learning_rate", cell=2),))),
                      _entry(second, "KC998", 1, 36, 46, NAME)]
    (fix_all,) = code_actions(second, types.Range(types.Position(0, 0), types.Position(0, 0)),
                              [FIX_ALL_KIND], "utf-16", versioned=True)
    assert fix_all.edit is not None
    changes = {c.text_document.uri: (c.text_document.version, [e.new_text for e in c.edits])
               for c in fix_all.edit.document_changes or () if isinstance(c, types.TextDocumentEdit)}
    assert changes == {"cell:1": (2, ["earning_rate"]), "cell:2": (4, ["earning_rate"])}  # 'l' is kept
