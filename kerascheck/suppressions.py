"""Inline suppression comments.

Recognised (codes are case-insensitive, separated by commas and/or spaces, and may be prefixes: ``KC1``):

- ``# noqa: KC106`` / ``# noqa: E501, KC106`` on the reported line: only the ``KC`` codes count.
- ``# kerascheck: ignore[KC106, KC107]`` on the reported line; ``# kerascheck: ignore`` without codes
  silences every kerascheck finding on that line (it names this tool, so it cannot be an accident).
- ``# kerascheck: ignore-file`` or ``# kerascheck: ignore-file[KC301]`` on a line of its own, anywhere in
  the file, silences the whole file (or those codes in it). It must stand alone (as ruff's ``# ruff: noqa``)
  so that it cannot hide inside a long trailing comment.

A finding that spans several lines is silenced by a comment on its first or its last line.

A blanket ``# noqa`` (no codes) does **not** silence kerascheck: files carry ``# noqa`` for flake8/ruff
reasons (a long line, an unused import), and silently hiding a NaN-loss finding because of a line-length
waiver is worse than asking for the explicit ``# noqa: KC101``.

Comments are found with ``tokenize``, so a ``#`` inside a string is never mistaken for a directive; this
runs only for files that have findings, so clean files pay nothing.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from kerascheck.config import PARSE_ERROR_CODE
from kerascheck.diagnostics import Diagnostic

_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]*(?:[\s,]+[A-Za-z]+[0-9]*)*)", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"#\s*kerascheck\s*:\s*ignore(?P<file>-file)?(?![\w-])(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)
_MENTIONS_DIRECTIVE = re.compile(r"noqa|kerascheck", re.IGNORECASE)
_KC_CODE = re.compile(r"KC[0-9]*\Z")


@dataclass
class Suppressions:
    """The directives of one file: per-line code lists and file-wide ones (``None`` = every code)."""

    lines: dict[int, list[str] | None] = field(default_factory=dict)
    file_codes: list[str] = field(default_factory=list)
    file_all: bool = False

    def add_line(self, line: int, codes: list[str] | None) -> None:
        current = self.lines.get(line, [])
        if codes is None or current is None:
            self.lines[line] = None
        else:
            self.lines[line] = current + codes

    def add_file(self, codes: list[str] | None) -> None:
        if codes is None:
            self.file_all = True
        else:
            self.file_codes.extend(codes)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """Whether a directive covers this finding (never ``KC000``: unreadable files must be seen)."""
        code = diagnostic.code
        if code == PARSE_ERROR_CODE:
            return False
        if self.file_all or _covers(self.file_codes, code):
            return True
        for line in {diagnostic.line, diagnostic.end_line}:
            if line in self.lines:
                codes = self.lines[line]
                if codes is None or _covers(codes, code):
                    return True
        return False

    def __bool__(self) -> bool:
        return bool(self.lines or self.file_codes or self.file_all)


def _covers(codes: Iterable[str], code: str) -> bool:
    return any(code.startswith(prefix) for prefix in codes)


def _split_codes(text: str) -> list[str]:
    return [part.upper() for part in re.split(r"[\s,]+", text) if part]


def _comments(source: str) -> Iterator[tuple[int, str, bool]]:
    """(line, comment text, stands alone on its line) for each comment.

    Falls back to a plain line scan if ``tokenize`` rejects the text (the file did parse with libcst,
    which accepts a few things this Python's tokenizer does not); the fallback may read a ``#`` inside a
    string as a comment, which can only over-suppress in a file that is unusual anyway.
    """
    try:
        # Collected first: tokenize may fail after yielding some comments, and the fallback rescans all.
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, ValueError):
        tokens = None
    if tokens is not None:
        for token in tokens:
            line, column = token.start
            yield line, token.string, not token.line[:column].strip()
        return
    for number, text in enumerate(source.splitlines(), start=1):
        index = text.find("#")
        if index != -1:
            yield number, text[index:], not text[:index].strip()


def parse_suppressions(source: str) -> Suppressions:
    """Collect every kerascheck-relevant directive in ``source``."""
    result = Suppressions()
    if not _MENTIONS_DIRECTIVE.search(source):
        return result
    for line, comment, alone in _comments(source):
        for match in _NOQA.finditer(comment):
            codes = [c for c in _split_codes(match.group("codes")) if _KC_CODE.match(c)]
            if codes:
                result.add_line(line, codes)
        for match in _DIRECTIVE.finditer(comment):
            raw = match.group("codes")
            codes = _split_codes(raw) if raw is not None else []
            selected: list[str] | None = codes or None
            if match.group("file"):
                if alone:
                    result.add_file(selected)
            else:
                result.add_line(line, selected)
    return result


def apply_suppressions(diagnostics: list[Diagnostic], source: str) -> list[Diagnostic]:
    """Drop the findings that a suppression comment in ``source`` covers."""
    if not diagnostics:
        return diagnostics
    suppressions = parse_suppressions(source)
    if not suppressions:
        return diagnostics
    return [d for d in diagnostics if not suppressions.suppresses(d)]
