"""Code actions: every fix a diagnostic carries, "disable KCxxx for this line", and fix-all.

- A **safe** fix (``Fix.safe``: it cannot change what the program means beyond the finding) is a
  ``quickfix`` marked preferred, so "apply the preferred fix" shortcuts and ``editor.codeActionsOnSave``
  pick it; an **unsafe** one is a ``quickfix`` too but never preferred, and its title says "(unsafe)"
  so nobody applies it without reading it.
- "Disable KCxxx for this line" appends ``# noqa: KCxxx`` or merges into the line's ``# noqa:``
  (``noqa.noqa_edit``); never offered for KC000, which cannot be suppressed.
- ``source.fixAll.kerascheck`` applies every safe fix of the document (a notebook: of all its cells) at
  once, for "fix on save", through the CLI's own applier (``fixes.apply``): the same choice among
  overlapping fixes as ``kerascheck --fix``, and never a result that does not compile.
- In a notebook a fix may edit another cell than its finding's (``Edit.cell``): the edit goes to that
  cell's URI.

Edits are computed against the text the diagnostics were computed from, and the server only calls
this with a result that is current for the document's version.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from lsprotocol import types

from kerascheck.diagnostics import Edit, Fix
from kerascheck.server.convert import text_edit
from kerascheck.server.documents import Published
from kerascheck.server.noqa import noqa_edit
from kerascheck.server.positions import split_lines

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


def _target(published: Published, edit: Edit) -> Published | None:
    """The URI an edit changes: in a notebook, the code cell it names (``Edit.cell``)."""
    if edit.cell is None or published.cells is None:
        return published
    return published.cells.get(edit.cell)


def _workspace_edit(changes: list[tuple[Published, list[types.TextEdit]]], versioned: bool) -> types.WorkspaceEdit:
    if versioned:  # the client rejects the edit if a document moved on since: never a misplaced edit
        return types.WorkspaceEdit(document_changes=[
            types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=target.uri, version=target.document_version), edits=edits)
            for target, edits in changes])
    return types.WorkspaceEdit(changes={target.uri: edits for target, edits in changes})


def _edit_of(published: Published, edits: Iterable[Edit], encoding: str, versioned: bool) -> types.WorkspaceEdit | None:
    """The workspace edit for a fix's edits, grouped by the document or cell each one changes."""
    grouped: dict[str, tuple[Published, list[types.TextEdit]]] = {}
    for edit in edits:
        target = _target(published, edit)
        if target is None:  # a cell that is not open: the fix cannot be applied whole
            return None
        grouped.setdefault(target.uri, (target, []))[1].append(text_edit(edit, target.lines, encoding))
    return _workspace_edit(list(grouped.values()), versioned)


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
            edit = _edit_of(published, fix.edits, encoding, versioned) if fix is not None and fix.edits else None
            if fix is not None and edit is not None:
                actions.append(types.CodeAction(title=_fix_title(entry.diagnostic.code, fix), kind=_QUICKFIX,
                                                diagnostics=[entry.lsp], is_preferred=fix.safe, edit=edit))
        seen: set[tuple[str, int]] = set()
        for entry in touching:
            noqa = noqa_edit(published.text, entry.diagnostic)
            if noqa is None or (entry.diagnostic.code, noqa.line) in seen:
                continue
            seen.add((entry.diagnostic.code, noqa.line))
            actions.append(types.CodeAction(
                title=f"Disable {entry.diagnostic.code} for this line", kind=_QUICKFIX, diagnostics=[entry.lsp],
                edit=_workspace_edit([(published, [text_edit(noqa, published.lines, encoding)])], versioned)))
    if _kind_wanted(FIX_ALL_KIND, only):
        fix_all = _fix_all(published, encoding, versioned)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _fix_all(published: Published, encoding: str, versioned: bool) -> types.CodeAction | None:
    """Every safe fix of the file (or of the whole notebook), chosen and checked by the CLI's applier.

    ``fixes.apply.apply_fixes_to_parts`` is what ``kerascheck --fix`` runs: the same non-overlapping
    choice in the same order, and no fix whose result would not compile. Each changed text becomes one
    edit spanning what changed (common prefix and suffix trimmed), so the cursor and the rest of the
    buffer stay put.
    """
    from kerascheck.fixes.apply import apply_fixes_to_parts, python_parses

    parts: dict[int | None, Published] = dict(published.cells) if published.cells else {None: published}
    entries = [entry for part in parts.values() for entry in part.entries]
    diagnostics = [entry.diagnostic for entry in entries]
    notebook = published.cells is not None
    new_texts, count = apply_fixes_to_parts(
        {key: part.text for key, part in parts.items()}, diagnostics, unsafe=False,
        check=lambda changed: all(python_parses(text, notebook=notebook) for text in changed.values()))
    if count == 0:
        return None
    changes = [(parts[key], [_minimal_edit(parts[key], new, encoding)])
               for key, new in new_texts.items() if new != parts[key].text]
    fixed = [entry.lsp for entry in entries if entry.diagnostic.fix is not None and entry.diagnostic.fix.safe]
    return types.CodeAction(title="kerascheck: apply all safe fixes", kind=FIX_ALL_KIND, diagnostics=fixed,
                            edit=_workspace_edit(changes, versioned))


def _minimal_edit(published: Published, new: str, encoding: str) -> types.TextEdit:
    """One edit turning ``published.text`` into ``new``: the changed middle only."""
    old = published.text
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    # Never split a CRLF pair: a position between its two characters does not exist in LSP.
    if 0 < prefix < len(old) and old[prefix - 1] == "\r" and old[prefix] == "\n":
        prefix -= 1
    end = len(old) - suffix
    if suffix and 0 < end < len(old) and old[end - 1] == "\r" and old[end] == "\n":
        suffix -= 1
    start = _position(old, prefix)
    end = _position(old, len(old) - suffix)
    return text_edit(Edit(start[0], start[1], end[0], end[1], new[prefix:len(new) - suffix]),
                     published.lines, encoding)


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, code-point column) of ``offset``, lines split as LSP splits them."""
    before = split_lines(text[:offset])
    return len(before), len(before[-1]) + 1
