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


def test_fix_all_takes_every_safe_fix_that_does_not_overlap() -> None:
    published = _published(("KC205", 1, 29, 31, LR), ("KC999", 1, 7, 47, WHOLE_LINE), ("KC998", 1, 36, 46, NAME))
    everything = types.Range(types.Position(0, 0), types.Position(9, 0))
    assert all(a.kind != FIX_ALL_KIND for a in code_actions(published, everything, None, "utf-16", False))
    (fix_all,) = code_actions(published, everything, ["source"], "utf-16", False)
    assert fix_all.kind == FIX_ALL_KIND
    # In position order: the rewrite of the call is taken; KC205's rename lies inside it (a second
    # fix-all would take it if still needed); the unsafe fix is never part of fix-all.
    assert _edits(fix_all) == [(0, 6, 0, 47, "keras.optimizers.Adam(learning_rate=0.01)")]
    assert [d.code for d in fix_all.diagnostics or []] == ["KC999"]
    without_rewrite = _published(("KC205", 1, 29, 31, LR), ("KC998", 1, 36, 46, NAME))
    (fix_all,) = code_actions(without_rewrite, everything, [FIX_ALL_KIND], "utf-16", False)
    assert _edits(fix_all) == [(0, 28, 0, 30, "learning_rate")]
