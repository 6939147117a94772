"""Line/column positions for the few nodes that are reported, without paying for the whole module.

libcst's ``PositionProvider`` regenerates the code of the whole module to learn positions (about twice
the cost of parsing). We need positions only for reported nodes, and every location carries the chain
of statements that holds it (``Loc.path``, recorded by the interpreter), so for each one we:

1. find where the innermost statement starts -- its line and its indentation -- from a scan of the
   text for logical lines (``statement_lines.py``; CPython's ``ast``, walked along the same statement
   path, when the scan is unsure), and
2. run ``PositionProvider``'s position-recording code generation over that statement alone, with the
   statement's indentation seeded, so columns come out exact,

then shift the statement-local lines by the statement's real start line. Cost is proportional to the
statement that holds the finding, not to the file (or the 300-line function) around it. When ``ast``
cannot parse the file (syntax libcst accepts but this Python does not) or the two trees disagree, the
whole module is used instead: slower, same answer.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from kerascheck.facts.model import Loc
from kerascheck.statement_lines import statement_starts

Span = tuple[int, int, int, int]  # line, column, end_line, end_column: 1-based, end exclusive
_NEWLINE = re.compile(r"\r\n|\r|\n")


class PositionResolver:
    """Turns ``Loc`` handles of one file into 1-based spans, computing as little as possible."""

    def __init__(self, module: cst.Module, source: str) -> None:
        self._module = module
        self._source = source
        self._tree: ast.Module | None = None
        self._ast_failed = False
        self._line_starts: list[int] | None = None
        self._local: dict[int, tuple[Mapping[cst.CSTNode, CodeRange], int] | None] = {}
        self._whole: Mapping[cst.CSTNode, CodeRange] | None = None
        self._starts: dict[int, tuple[int, str]] | None = None

    def span(self, loc: Loc) -> Span:
        if loc.node is None:  # a runtime location (imported here: a static run never has one)
            from kerascheck.runtime.locations import runtime_span

            return runtime_span(loc)
        path = tuple(loc.path) or ((loc.top,) if loc.top is not None else ())
        for depth in range(len(path), 0, -1):  # innermost statement first
            local = self._statement(path[:depth])
            if local is not None:
                positions, offset = local
                code_range = positions.get(loc.node)
                if code_range is not None:
                    return _to_span(code_range, offset)
        return self._whole_module_range(loc.node) or (1, 1, 1, 1)

    # -- internals -----------------------------------------------------------------------------

    def _statement(self, path: tuple[Any, ...]) -> tuple[Mapping[cst.CSTNode, CodeRange], int] | None:
        stmt = path[-1]
        key = id(stmt)
        if key not in self._local:
            self._local[key] = self._compute(path)
        return self._local[key]

    def _compute(self, path: tuple[Any, ...]) -> tuple[Mapping[cst.CSTNode, CodeRange], int] | None:
        stmt = path[-1]
        start = self._start(path)
        if start is None:
            return None
        lineno, indent = start
        is_elif = len(path) > 1 and isinstance(path[-2], cst.If) and path[-2].orelse is stmt
        positions = _statement_positions(self._module, stmt, indent, is_elif)
        own = positions.get(stmt)
        if own is None:
            return None
        return positions, lineno - own.start.line

    def _start(self, path: tuple[Any, ...]) -> tuple[int, str] | None:
        """Line and indentation where the last statement of ``path`` starts."""
        if self._starts is None:
            self._starts = statement_starts(self._module, self._source) or {}
        found = self._starts.get(id(path[-1]))
        if found is not None:
            return found
        target = self._ast_statement(path)  # the scanner was unsure: ask CPython's parser
        return None if target is None else (target.lineno, self._indentation(target.lineno))

    def _ast_statement(self, path: tuple[Any, ...]) -> ast.stmt | None:
        """The ``ast`` statement that corresponds to the last libcst statement of ``path``."""
        if self._ast_failed:
            return None
        if self._tree is None:
            try:
                self._tree = ast.parse(self._source)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._ast_failed = True
                return None
        suites: list[tuple[Sequence[Any], Sequence[ast.stmt]]] = [(self._module.body, self._tree.body)]
        found: ast.stmt | None = None
        for stmt in path:
            found = None
            for cst_suite, ast_suite in suites:
                found = _match_in_suite(stmt, cst_suite, ast_suite)
                if found is not None:
                    break
            if found is None:
                return None
            suites = _child_suites(stmt, found)
        return found

    def _indentation(self, lineno: int) -> str:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self._source)]
        if not 1 <= lineno <= len(self._line_starts):
            return ""
        start = self._line_starts[lineno - 1]
        end = start
        while end < len(self._source) and self._source[end] in " \t\f":
            end += 1
        return self._source[start:end]

    def _whole_module_range(self, node: Any) -> Span | None:
        if self._whole is None:
            self._whole = _statement_positions(self._module, self._module, "")
        code_range = self._whole.get(node)
        return None if code_range is None else _to_span(code_range, 0)


def _match_in_suite(stmt: Any, cst_suite: Sequence[Any], ast_suite: Sequence[ast.stmt]) -> ast.stmt | None:
    """The ast statement for ``stmt`` in a suite; a libcst line ``a; b`` is several ast statements."""
    position = 0
    for candidate in cst_suite:
        if candidate is stmt:
            return ast_suite[position] if position < len(ast_suite) else None
        position += len(candidate.body) if isinstance(candidate, cst.SimpleStatementLine) else 1
    return None


def _block(body: Any) -> Sequence[Any]:
    return body.body if isinstance(body, cst.IndentedBlock) else ()


def _child_suites(stmt: Any, node: ast.stmt) -> list[tuple[Sequence[Any], Sequence[ast.stmt]]]:
    """Pairs of (libcst statements, ast statements) directly inside a compound statement."""
    suites: list[tuple[Sequence[Any], Sequence[ast.stmt]]] = []
    body = getattr(node, "body", None)
    if hasattr(stmt, "body") and isinstance(body, list):
        suites.append((_block(stmt.body), body))
    orelse = getattr(stmt, "orelse", None)
    ast_orelse = getattr(node, "orelse", None)
    if orelse is not None and isinstance(ast_orelse, list):
        if isinstance(orelse, cst.If):  # elif: the If itself is the one statement of ast's orelse
            suites.append(((orelse,), ast_orelse))
        else:
            suites.append((_block(orelse.body), ast_orelse))
    if isinstance(stmt, (cst.Try, cst.TryStar)) and isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        for handler, ast_handler in zip(stmt.handlers, node.handlers):
            suites.append((_block(handler.body), ast_handler.body))
        if stmt.finalbody is not None:
            suites.append((_block(stmt.finalbody.body), node.finalbody))
    if isinstance(stmt, cst.Match) and isinstance(node, ast.Match):
        for case, ast_case in zip(stmt.cases, node.cases):
            suites.append((_block(case.body), ast_case.body))
    return suites


def _statement_positions(
    module: cst.Module, node: cst.CSTNode, indent: str, is_elif: bool = False
) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of ``node`` and everything in it, as if its first line were line 1.

    This is what ``PositionProvider`` computes for a module, applied to one statement, using libcst's
    code-generation state directly with the statement's indentation seeded (statements emit their own
    indentation, so columns match the file). Should a libcst release move those internals, the public
    ``MetadataWrapper`` route gives the same lines, only slower.
    """
    try:
        provider = PositionProvider()
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        if indent:
            state.indent_tokens.append(indent)
        if is_elif:  # an ``elif`` is an If that its parent prints as "elif"
            node._codegen(state, is_elif=True)
        else:
            node._codegen(state)
        return provider._computed
    except (AttributeError, TypeError):  # pragma: no cover - depends on libcst internals
        mini = node if isinstance(node, cst.Module) else module.with_changes(
            body=[node], header=[], footer=[])
        return MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)


def _to_span(code_range: CodeRange, offset: int) -> Span:
    return (
        code_range.start.line + offset,
        code_range.start.column + 1,
        code_range.end.line + offset,
        code_range.end.column + 1,
    )
