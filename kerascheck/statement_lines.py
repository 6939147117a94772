"""Where each statement starts, from the text alone, at a small fraction of any parser's cost.

Positions (``positions.py``) need the start line and indentation of the statement holding a finding.
CPython's ``ast`` knows them, but parsing the file again costs 15-20% of libcst's parse. Statement
starts are simpler than a parse: each statement (and each decorator, ``else:``, ``except:``, ``case``
clause) begins a new *logical line*, and logical lines are found by scanning for strings, comments,
brackets and newlines only. Walking libcst's statements in source order then pairs the n-th
statement-starting item with the n-th logical line.

If the two sequences disagree in length (syntax this scanner does not model), ``statement_starts``
returns None and the caller falls back to ``ast``.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import libcst as cst

# One token of interest per match: a string literal (prefix, opening quote), a comment, a bracket,
# a backslash continuation, a newline, or a run of anything else.
_TOKEN = re.compile(
    r"""(?P<string>(?:[rRbBuUfF]{1,2})?(?:'''|\"\"\"|'|"))"""
    r"""|(?P<comment>\#[^\r\n]*)"""
    r"""|(?P<open>[(\[{])|(?P<close>[)\]}])"""
    r"""|(?P<cont>\\(?:\r\n|\r|\n))"""
    r"""|(?P<newline>\r\n|\r|\n)"""
    r"""|(?P<other>[^'"\#()\[\]{}\\\r\n]+|\\)"""
)
_INDENT = re.compile(r"[ \t\f]*")
_STRING_END = {
    "'''": re.compile(r"(?:[^'\\]|\\.|'(?!''))*'''", re.DOTALL),
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\r\n]|\\(?:\r\n|.))*'", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\r\n]|\\(?:\r\n|.))*"', re.DOTALL),
}
_NEWLINES = re.compile(r"\r\n|\r|\n")


def logical_lines(source: str) -> list[tuple[int, str]] | None:
    """``(line, indentation)`` of every logical line that holds code, in order; None if unsure."""
    out: list[tuple[int, str]] = []
    line = 1
    depth = 0
    has_code = False
    start_line = 1
    length = len(source)
    indent_match = _INDENT.match(source, 0)
    indent = indent_match.group()
    pos = indent_match.end()
    while pos < length:
        match = _TOKEN.match(source, pos)
        if match is None:  # pragma: no cover - the pattern matches any character
            return None
        kind = match.lastgroup
        end = match.end()
        if kind == "newline":
            line += 1
            if depth == 0:
                if has_code:
                    out.append((start_line, indent))
                has_code = False
                indent_match = _INDENT.match(source, end)
                indent = indent_match.group()
                end = indent_match.end()
        elif kind == "cont":
            line += 1
        elif kind == "comment":
            pass
        elif kind == "other" and not has_code and match.group().isspace():
            pass  # whitespace before a continuation or comment on a blank line
        else:
            if not has_code:
                has_code = True
                start_line = line
            if kind == "string":
                quote = match.group().lstrip("rRbBuUfF")
                closing = _STRING_END[quote].match(source, end)
                if closing is None:
                    return None
                line += len(_NEWLINES.findall(source, end, closing.end()))
                end = closing.end()
            elif kind == "open":
                depth += 1
            elif kind == "close":
                depth = max(0, depth - 1)
        pos = end
    if has_code:
        out.append((start_line, indent))
    return out


def _items(statements: Any) -> Iterator[cst.CSTNode]:
    """Every node that starts a logical line, in source order (decorators, headers, clauses)."""
    for stmt in statements:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield stmt
            continue
        for decorator in getattr(stmt, "decorators", ()):
            yield decorator
        yield stmt
        yield from _suite(stmt.body) if hasattr(stmt, "body") and not isinstance(stmt, cst.Match) else ()
        if isinstance(stmt, cst.If):
            orelse = stmt.orelse
            while orelse is not None:
                if isinstance(orelse, cst.If):
                    yield orelse
                    yield from _suite(orelse.body)
                    orelse = orelse.orelse
                else:
                    yield orelse
                    yield from _suite(orelse.body)
                    orelse = None
        elif isinstance(stmt, (cst.For, cst.While)) and stmt.orelse is not None:
            yield stmt.orelse
            yield from _suite(stmt.orelse.body)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            for handler in stmt.handlers:
                yield handler
                yield from _suite(handler.body)
            for clause in (stmt.orelse, stmt.finalbody):
                if clause is not None:
                    yield clause
                    yield from _suite(clause.body)
        elif isinstance(stmt, cst.Match):
            for case in stmt.cases:
                yield case
                yield from _suite(case.body)


def _suite(body: Any) -> Iterator[cst.CSTNode]:
    if isinstance(body, cst.IndentedBlock):
        yield from _items(body.body)


def statement_starts(module: cst.Module, source: str) -> dict[int, tuple[int, str]] | None:
    """``id(statement) -> (line, indentation)`` for every statement and clause, or None if unsure."""
    lines = logical_lines(source)
    if lines is None:
        return None
    items = list(_items(module.body))
    if len(items) != len(lines):
        return None
    return {id(item): where for item, where in zip(items, lines)}
