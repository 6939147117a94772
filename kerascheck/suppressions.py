"""Inline suppression comments.

Recognised (codes are case-insensitive, separated by commas and/or spaces, and may be prefixes: ``KC1``):

- ``# noqa: KC106`` / ``# noqa: E501, KC106`` on the reported line: only the ``KC`` codes count.
- ``# kerascheck: ignore[KC106, KC107]`` on the reported line; ``# kerascheck: ignore`` without codes
  silences every kerascheck finding on that line (it names this tool, so it cannot be an accident).
- ``# kerascheck: ignore[...]`` on a line of its own applies to the next line of code below it (comment
  and blank lines in between are skipped), for findings on lines too long to carry a trailing comment.
  ``# noqa`` stays a same-line directive, as every other linter reads it.
- ``# kerascheck: ignore-file`` or ``# kerascheck: ignore-file[KC301]`` on a line of its own, anywhere in
  the file, silences the whole file (or those codes in it). It must stand alone (as ruff's ``# ruff: noqa``)
  so that it cannot hide inside a long trailing comment.

A finding that spans several lines is silenced by a comment on its first or its last line.

A blanket ``# noqa`` (no codes) does **not** silence kerascheck: files carry ``# noqa`` for flake8/ruff
reasons (a long line, an unused import), and silently hiding a NaN-loss finding because of a line-length
waiver is worse than asking for the explicit ``# noqa: KC101``.

Comments are found with ``tokenize``, so a ``#`` inside a string is never mistaken for a directive; this
runs only for files that have findings (or when unused suppressions are reported), so clean files pay
nothing.
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
UNUSED_SUPPRESSION_CODE = "KC001"
_MENTIONS_DIRECTIVE = re.compile(r"noqa|kerascheck", re.IGNORECASE)
_KC_CODE = re.compile(r"KC[0-9]*\Z")
_NOT_CODE = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                       tokenize.ENCODING, tokenize.ENDMARKER})


@dataclass(frozen=True)
class Directive:
    """One suppression comment as written: where it is, what it names and which line it covers.

    ``codes`` is ``None`` for a blanket directive. ``line`` is the line it applies to (the next code
    line for an own-line ``ignore``; ``None`` for file-wide ones); ``comment_line``/``column``/
    ``end_column`` (1-based, end exclusive) locate the directive text itself, so an unused one can be
    reported where it is written. ``kind`` is ``noqa``, ``ignore`` or ``ignore-file``.
    """

    kind: str
    codes: tuple[str, ...] | None
    line: int | None
    comment_line: int
    column: int
    end_column: int
    alone: bool
    whole_comment: bool  # the directive is the entire comment (nothing else in it)


@dataclass
class Suppressions:
    """The directives of one file: per-line code lists and file-wide ones (``None`` = every code)."""

    lines: dict[int, list[str] | None] = field(default_factory=dict)
    file_codes: list[str] = field(default_factory=list)
    file_all: bool = False
    directives: list[Directive] = field(default_factory=list)

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

    def add(self, directive: Directive) -> None:
        self.directives.append(directive)
        codes = None if directive.codes is None else list(directive.codes)
        if directive.kind == "ignore-file":
            self.add_file(codes)
        elif directive.line is not None:
            self.add_line(directive.line, codes)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """Whether a directive covers this finding (never ``KC000``: unreadable files must be seen)."""
        code = diagnostic.code
        if code == PARSE_ERROR_CODE:
            return False
        # A blanket directive never hides an unused-suppression finding: it would hide its own.
        blanket_counts = code != UNUSED_SUPPRESSION_CODE
        if (self.file_all and blanket_counts) or _covers(self.file_codes, code):
            return True
        for line in {diagnostic.line, diagnostic.end_line}:
            if line in self.lines:
                codes = self.lines[line]
                if (codes is None and blanket_counts) or (codes is not None and _covers(codes, code)):
                    return True
        return False

    def __bool__(self) -> bool:
        return bool(self.lines or self.file_codes or self.file_all)


def _covers(codes: Iterable[str], code: str) -> bool:
    return any(code.startswith(prefix) for prefix in codes)


def _split_codes(text: str) -> list[str]:
    return [part.upper() for part in re.split(r"[\s,]+", text) if part]


@dataclass(frozen=True)
class _Comment:
    line: int
    column: int  # 0-based, as tokenize reports it
    text: str
    alone: bool
    next_code_line: int | None  # the first line of code after this comment, if any


def _comments(source: str) -> Iterator[_Comment]:
    """Each comment, whether it stands alone on its line, and the next line that holds code.

    Falls back to a plain line scan if ``tokenize`` rejects the text (the file did parse with libcst,
    which accepts a few things this Python's tokenizer does not); the fallback may read a ``#`` inside a
    string as a comment, which can only over-suppress in a file that is unusual anyway.
    """
    try:
        # Collected first: tokenize may fail after yielding some comments, and the fallback rescans all.
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, ValueError):
        tokens = None
    if tokens is not None:
        next_code: int | None = None
        found: list[_Comment] = []
        for token in reversed(tokens):  # backwards, so "the next code line" is known at each comment
            if token.type not in _NOT_CODE:
                next_code = token.start[0]
            elif token.type == tokenize.COMMENT:
                line, column = token.start
                found.append(_Comment(line, column, token.string, not token.line[:column].strip(), next_code))
        yield from reversed(found)
        return
    lines = source.splitlines()
    for number, text in enumerate(lines, start=1):
        index = text.find("#")
        if index != -1:
            following = next((n for n, t in enumerate(lines[number:], start=number + 1)
                              if t.strip() and not t.lstrip().startswith("#")), None)
            yield _Comment(number, index, text[index:], not text[:index].strip(), following)


def parse_suppressions(source: str) -> Suppressions:
    """Collect every kerascheck-relevant directive in ``source``."""
    result = Suppressions()
    if not _MENTIONS_DIRECTIVE.search(source):
        return result
    for comment in _comments(source):
        for match in _NOQA.finditer(comment.text):
            codes = [c for c in _split_codes(match.group("codes")) if _KC_CODE.match(c)]
            if codes:
                result.add(_directive(comment, match, "noqa", codes, comment.line))
        for match in _DIRECTIVE.finditer(comment.text):
            raw = match.group("codes")
            codes = _split_codes(raw) if raw is not None else []
            if match.group("file"):
                if comment.alone:
                    result.add(_directive(comment, match, "ignore-file", codes or None, None))
            else:
                target = comment.next_code_line if comment.alone else comment.line
                result.add(_directive(comment, match, "ignore", codes or None, target))
    return result


def _directive(comment: _Comment, match: re.Match[str], kind: str, codes: list[str] | None,
               line: int | None) -> Directive:
    return Directive(
        kind=kind, codes=None if codes is None else tuple(codes), line=line, comment_line=comment.line,
        column=comment.column + match.start() + 1, end_column=comment.column + match.end() + 1,
        alone=comment.alone, whole_comment=match.group(0) == comment.text.rstrip(),
    )


def apply_suppressions(diagnostics: list[Diagnostic], source: str) -> list[Diagnostic]:
    """Drop the findings that a suppression comment in ``source`` covers."""
    if not diagnostics:
        return diagnostics
    suppressions = parse_suppressions(source)
    if not suppressions:
        return diagnostics
    return [d for d in diagnostics if not suppressions.suppresses(d)]
