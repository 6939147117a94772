"""The "disable KCxxx for this line" edit: append ``# noqa: KCxxx``, or merge into an existing one.

The edit must leave a file that still parses and that the suppression parser
(``kerascheck.suppressions``) reads as silencing exactly this finding, so:

- the comment goes on the finding's first line, unless that line cannot end in a comment (it ends
  inside a triple-quoted string or with a backslash continuation); then on its last line, which
  ``suppressions`` also honours for multi-line findings;
- an existing ``# noqa: E501`` on that line becomes ``# noqa: E501, KC106`` (the codes after the
  colon are what flake8, ruff and kerascheck all read), and any other comment keeps its text, with the
  directive appended after it (the suppression parser looks inside the whole comment);
- lines are found with ``tokenize``, so a ``#`` inside a string is never taken for a comment.

Pure text in, one ``Edit`` out (1-based, code points, end exclusive): no LSP types, so the CLI could
offer the same edit one day.
"""

from __future__ import annotations

import io
import re
import tokenize

from kerascheck.diagnostics import Diagnostic, Edit
from kerascheck.server.positions import split_lines

__all__ = ["noqa_edit"]

# The same shape ``kerascheck.suppressions`` accepts: ``# noqa: CODE[, CODE...]``.
# (tests/test_server_noqa.py checks every edit against the real suppression parser)
_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]*(?:[\s,]+[A-Za-z]+[0-9]*)*)", re.IGNORECASE)


def noqa_edit(source: str, diagnostic: Diagnostic) -> Edit | None:
    """The edit that silences ``diagnostic`` with a ``# noqa`` comment, or ``None`` when none can.

    ``source`` is the text the diagnostic's lines refer to (a notebook cell's text for notebooks).
    """
    if diagnostic.code == "KC000":  # never suppressible: an unreadable file must stay visible
        return None
    lines = split_lines(source)
    commentable, comments = _comment_lines(source, len(lines))
    candidates = [diagnostic.line, diagnostic.end_line]
    line = next((n for n in candidates if 1 <= n <= len(lines) and commentable.get(n, False)), None)
    if line is None:
        return None
    text = lines[line - 1]
    comment_start = comments.get(line)
    if comment_start is not None:
        comment = text[comment_start:]
        match = _NOQA.search(comment)
        if match is not None:
            codes = re.split(r"[\s,]+", match.group("codes"))
            if diagnostic.code in (c.upper() for c in codes):
                return None
            end = comment_start + match.end("codes")
            return Edit(line, end + 1, line, end + 1, f", {diagnostic.code}")
    content_end = len(text.rstrip())
    return Edit(line, content_end + 1, line, len(text) + 1, f"  # noqa: {diagnostic.code}")


def _comment_lines(source: str, line_count: int) -> tuple[dict[int, bool], dict[int, int]]:
    """(line → can end with a comment, line → column (0-based) where its comment starts).

    A line can take a trailing comment where the tokenizer ends a logical or physical line (NEWLINE,
    NL) or already found a comment. If the text does not tokenize (the user is mid-edit), every line
    that does not end in a backslash is assumed to be fine.
    """
    commentable: dict[int, bool] = {}
    comments: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.start[1]
                commentable[token.start[0]] = True
            elif token.type in (tokenize.NEWLINE, tokenize.NL):
                commentable[token.start[0]] = True
            elif token.type == tokenize.ENDMARKER:
                break
    except (tokenize.TokenError, SyntaxError, ValueError):
        lines = split_lines(source)
        return {n: not lines[n - 1].rstrip().endswith("\\") for n in range(1, line_count + 1)}, comments
    # The last line of a file without a final newline gets a NEWLINE token of its own too (3.8+), but a
    # file ending in an open string does not: those lines stay not commentable.
    return commentable, comments
