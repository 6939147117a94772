"""Code actions: every fix a diagnostic carries, "disable KCxxx for this line", and fix-all.

- A **safe** fix (``Fix.safe``: it cannot change what the program means beyond the finding) is a
  ``quickfix`` marked preferred, so "apply the preferred fix" shortcuts and ``editor.codeActionsOnSave``
  pick it; an **unsafe** one is a ``quickfix`` too but never preferred, and its title says "(unsafe)"
  so nobody applies it without reading it.
- "Disable KCxxx for this line" appends ``# noqa: KCxxx`` or merges into the line's ``# noqa:``
  (``noqa.noqa_edit``); never offered for KC000, which cannot be suppressed.
- ``source.fixAll.kerascheck`` applies every safe fix of the document at once (for "fix on save"),
  skipping a fix whose edits overlap one already taken: LSP forbids overlapping edits in one change.

Edits are computed against the text the diagnostics were computed from, and the server only calls
this with a result that is current for the document's version.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from lsprotocol import types

from kerascheck.diagnostics import Edit, Fix
from kerascheck.server.convert import text_edit
from kerascheck.server.documents import Entry, Published
from kerascheck.server.noqa import noqa_edit

__all__ = ["FIX_ALL_KIND", "code_actions"]

FIX_ALL_KIND = "source.fixAll.kerascheck"
_QUICKFIX = types.CodeActionKind.QuickFix


def _kind_wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's ``context.only``: a requested kind covers itself and its sub-kinds (``source`` ⊇ ``source.fixAll``)."""
    if not only:
        return kind != FIX_ALL_KIND  # fix-all is a source action: offered only when asked for
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


def _workspace_edit(published: Published, edits: Iterable[Edit], encoding: str,
                    versioned: bool) -> types.WorkspaceEdit:
    text_edits = [text_edit(edit, published.lines, encoding) for edit in edits]
    if versioned:  # the client rejects the edit if the document moved on since: never a misplaced edit
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=published.uri, version=published.version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier,
                                                                            edits=text_edits)])
    return types.WorkspaceEdit(changes={published.uri: text_edits})


def _fix_title(code: str, fix: Fix) -> str:
    return f"{fix.message} ({code})" if fix.safe else f"{fix.message} ({code}, unsafe fix: check the result)"


def code_actions(published: Published, request_range: types.Range, only: Sequence[str] | None,
                 encoding: str, versioned: bool) -> list[types.CodeAction]:
    """The actions for the findings that touch ``request_range``, fixes first, then the noqa actions."""
    touching = [entry for entry in published.entries if _overlaps(entry.lsp.range, request_range)]
    actions: list[types.CodeAction] = []
    if _kind_wanted(_QUICKFIX, only):
        for entry in touching:
            fix = entry.diagnostic.fix
            if fix is not None and fix.edits:
                actions.append(types.CodeAction(
                    title=_fix_title(entry.diagnostic.code, fix), kind=_QUICKFIX, diagnostics=[entry.lsp],
                    is_preferred=fix.safe, edit=_workspace_edit(published, fix.edits, encoding, versioned)))
        seen: set[tuple[str, int]] = set()
        for entry in touching:
            edit = noqa_edit(published.text, entry.diagnostic)
            key = (entry.diagnostic.code, edit.line if edit else 0)
            if edit is None or key in seen:
                continue
            seen.add(key)
            actions.append(types.CodeAction(
                title=f"Disable {entry.diagnostic.code} for this line", kind=_QUICKFIX, diagnostics=[entry.lsp],
                edit=_workspace_edit(published, [edit], encoding, versioned)))
    if _kind_wanted(FIX_ALL_KIND, only):
        fix_all = _fix_all(published, encoding, versioned)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _fix_all(published: Published, encoding: str, versioned: bool) -> types.CodeAction | None:
    taken: list[Edit] = []
    fixed: list[Entry] = []
    for entry in sorted(published.entries, key=lambda e: e.diagnostic):
        fix = entry.diagnostic.fix
        if fix is None or not fix.safe or not fix.edits:
            continue
        if any(_edits_overlap(edit, other) for edit in fix.edits for other in taken):
            continue  # applied by the next fix-all, once this one's edit is in
        taken.extend(fix.edits)
        fixed.append(entry)
    if not taken:
        return None
    taken.sort(key=lambda e: (e.line, e.column, e.end_line, e.end_column))
    return types.CodeAction(title="kerascheck: apply all safe fixes", kind=FIX_ALL_KIND,
                            diagnostics=[entry.lsp for entry in fixed],
                            edit=_workspace_edit(published, taken, encoding, versioned))


def _edits_overlap(a: Edit, b: Edit) -> bool:
    """Two edits conflict when their spans intersect, or both insert at the same point (order unknown)."""
    start_a, end_a = (a.line, a.column), (a.end_line, a.end_column)
    start_b, end_b = (b.line, b.column), (b.end_line, b.end_column)
    if start_a == end_a == start_b == end_b:
        return True
    return start_a < end_b and start_b < end_a
