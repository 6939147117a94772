"""The one fix applier: diagnostics' text edits applied to a source text, never a broken result.

``apply_fixes(text, diagnostics, unsafe=...)`` is a pure function on text, so the command line
(``--fix``, ``--diff``), the language server's code actions and notebooks all use it; writing files
(encodings, atomic replace) is ``kerascheck.fixes.files``' job.

- Positions are the diagnostics' own: 1-based lines, 1-based columns counted in code points of the
  line, end exclusive. Lines end at ``\\r\\n``, ``\\r`` or ``\\n``, as for the parser, so CRLF files keep
  their line endings (an edit never touches bytes outside its range).
- Overlaps are resolved deterministically, as ruff does: fixes are taken in order of their first edit
  (then code, then message) and a fix is skipped when one of its edits overlaps an edit already taken
  (two insertions at one point overlap too: their order would be arbitrary). The caller re-lints and
  applies again until nothing changes (``files.fix_text``), so a skipped fix usually lands next round.
- The result must still parse (``check``, by default CPython's compiler, with IPython magics
  neutralised as the linter does). When the combined result does not, fixes are retried one by one and
  those that break the source are dropped and passed to ``on_rejected``, never applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Mapping, Sequence

from kerascheck.diagnostics import Diagnostic, Edit, Fix

__all__ = ["TextIndex", "apply_fixes", "apply_fixes_to_parts", "apply_edits", "python_parses", "selected_fixes"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_MAGIC_LINE = re.compile(r"^([ \t]*)[%!]", re.MULTILINE)

Check = Callable[[str], bool]


class TextIndex:
    """Converts between 1-based (line, column) positions and offsets in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        """The offset of a position; ``ValueError`` when it is not inside the text.

        A column may point one past the line's last character (its line ending), which is where an
        end-exclusive range that ends with the line stops.
        """
        if not 1 <= line <= len(self.starts) or column < 1:
            raise ValueError(f"position {line}:{column} is outside the text")
        start = self.starts[line - 1]
        limit = self.starts[line] if line < len(self.starts) else len(self.text)
        content_end = limit
        while content_end > start and self.text[content_end - 1] in "\r\n":
            content_end -= 1
        offset = start + column - 1
        if offset > content_end:
            raise ValueError(f"position {line}:{column} is past the end of its line")
        return offset

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset."""
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_end(self, offset: int) -> int:
        """The offset where the line holding ``offset`` ends (before its line ending)."""
        line = self.position(offset)[0]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        while end > self.starts[line - 1] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def next_line_start(self, offset: int) -> int:
        """The offset of the start of the line after the one holding ``offset`` (or the text's end)."""
        line = self.position(offset)[0]
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def edit(self, start: int, end: int, content: str) -> Edit:
        """An ``Edit`` replacing ``text[start:end]`` by ``content``."""
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Edit(line, column, end_line, end_column, content)


@dataclass(frozen=True)
class _Span:
    part: int | None  # the notebook cell (``Edit.cell``); None for a plain file
    start: int
    end: int
    content: str


def python_parses(text: str, *, notebook: bool = False) -> bool:
    """Whether CPython compiles ``text`` as the linter would read it (magic lines commented out)."""
    from kerascheck.parse_guard import cpython_rejection

    if cpython_rejection(text, "<fixed>", top_level_await=notebook) is None:
        return True
    if not _MAGIC_LINE.search(text):
        return False
    commented = _MAGIC_LINE.sub(lambda m: m.group(1) + "#", text)
    return cpython_rejection(commented, "<fixed>", top_level_await=True) is None


def selected_fixes(diagnostics: Iterable[Diagnostic], *, unsafe: bool) -> list[Diagnostic]:
    """The diagnostics whose fix may be applied (safe ones; unsafe ones too with ``unsafe``)."""
    return [d for d in diagnostics if d.fix is not None and d.fix.edits and (d.fix.safe or unsafe)]


def apply_fixes(
    text: str,
    diagnostics: Sequence[Diagnostic],
    *,
    unsafe: bool = False,
    check: Check | None = python_parses,
    on_rejected: Callable[[Diagnostic, str], None] | None = None,
) -> tuple[str, int]:
    """Apply the non-overlapping fixes of ``diagnostics`` to ``text``.

    Returns the new text and the number of diagnostics fixed (two diagnostics carrying the same fix
    count twice: both are gone). ``check`` (``None``: no check) decides whether a result is
    acceptable; a fix that cannot be placed (stale positions) or whose result fails ``check`` is
    passed to ``on_rejected(diagnostic, reason)`` and left out.
    """
    texts, count = apply_fixes_to_parts(
        {None: text}, diagnostics, unsafe=unsafe, on_rejected=on_rejected,
        check=None if check is None else (lambda parts: all(check(t) for t in parts.values())))
    return texts[None], count


def apply_fixes_to_parts(
    texts: Mapping[int | None, str],
    diagnostics: Sequence[Diagnostic],
    *,
    unsafe: bool = False,
    check: Callable[[Mapping[int | None, str]], bool] | None = None,
    on_rejected: Callable[[Diagnostic, str], None] | None = None,
) -> tuple[dict[int | None, str], int]:
    """``apply_fixes`` over several texts at once: a notebook's cells, keyed by ``Edit.cell``.

    A fix may edit several cells (an import cell and the cell that uses it); it is applied to all of
    them or to none. ``check`` receives the changed texts only.
    """
    indexes = {key: TextIndex(text) for key, text in texts.items()}
    planned: list[tuple[tuple[Any, ...], list[_Span], list[Diagnostic]]] = []
    by_edits: dict[tuple[Edit, ...], int] = {}
    for diagnostic in selected_fixes(diagnostics, unsafe=unsafe):
        fix = diagnostic.fix
        assert fix is not None
        key = tuple(sorted(fix.edits, key=_edit_order))
        if key in by_edits:  # the same fix offered by two findings: apply it once, count both
            planned[by_edits[key]][2].append(diagnostic)
            continue
        spans = _spans(indexes, fix)
        if spans is None:
            if on_rejected is not None:
                on_rejected(diagnostic, "its positions do not fit the file (it changed since it was linted)")
            continue
        by_edits[key] = len(planned)
        first = spans[0]
        planned.append(((_part_order(first.part), first.start, diagnostic.code, fix.message), spans, [diagnostic]))
    planned.sort(key=lambda item: item[0])

    taken: list[_Span] = []
    chosen: list[tuple[list[_Span], list[Diagnostic]]] = []
    for _, spans, owners in planned:
        if any(_overlaps(a, b) for a in spans for b in taken):
            continue  # another fix edits the same place: next round
        taken.extend(spans)
        chosen.append((spans, owners))

    def result(selection: Sequence[_Span]) -> dict[int | None, str]:
        return {key: _apply_spans(text, [s for s in selection if s.part == key]) for key, text in texts.items()}

    def acceptable(candidate: dict[int | None, str]) -> bool:
        changed = {k: v for k, v in candidate.items() if v != texts[k]}
        return check is None or not changed or check(changed)

    everything = result([s for spans, _ in chosen for s in spans])
    if acceptable(everything):
        return everything, sum(len(owners) for _, owners in chosen)
    # Some fix breaks the source: keep the ones that do not, one at a time.
    kept: list[_Span] = []
    count = 0
    for spans, owners in chosen:
        if acceptable(result(kept + spans)):
            kept.extend(spans)
            count += len(owners)
        elif on_rejected is not None:
            for owner in owners:
                on_rejected(owner, "the fixed source would not parse")
    return result(kept), count


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` applied (they must not overlap); ``ValueError`` if they do not fit."""
    spans = _spans({None: TextIndex(text)}, Fix("", tuple(replace(e, cell=None) for e in edits)))
    if spans is None:
        raise ValueError("edits overlap or do not fit the text")
    return _apply_spans(text, spans)


def _edit_order(edit: Edit) -> tuple[int, int, int, int, int]:
    return (_part_order(edit.cell), edit.line, edit.column, edit.end_line, edit.end_column)


def _part_order(part: int | None) -> int:
    return -1 if part is None else part


def _spans(indexes: Mapping[int | None, TextIndex], fix: Fix) -> list[_Span] | None:
    """A fix's edits as sorted offset spans; ``None`` when one does not fit or two overlap."""
    spans = []
    try:
        for edit in fix.edits:
            index = indexes[edit.cell]
            start = index.offset(edit.line, edit.column)
            end = index.offset(edit.end_line, edit.end_column)
            if end < start:
                return None
            spans.append(_Span(edit.cell, start, end, edit.content))
    except (KeyError, ValueError):
        return None
    spans.sort(key=lambda s: (_part_order(s.part), s.start, s.end))
    if any(_overlaps(a, b) for a, b in zip(spans, spans[1:])):
        return None
    return spans


def _overlaps(a: _Span, b: _Span) -> bool:
    """Ranges of one text that share a character, or start at one point (two insertions there have
    no order)."""
    return a.part == b.part and ((a.start < b.end and b.start < a.end) or a.start == b.start)


def _apply_spans(text: str, spans: Sequence[_Span]) -> str:
    out = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        out.append(text[position:span.start])
        out.append(span.content)
        position = span.end
    out.append(text[position:])
    return "".join(out)
