"""Line/column positions for the few nodes that are reported, without paying for the whole module.

libcst's ``PositionProvider`` regenerates the code of the whole module to learn positions (about twice
the cost of parsing). We need positions only for reported nodes, so for each one we:

1. find the line where its top-level statement starts, from CPython's ``ast`` (parsed once per file,
   lazily, a small fraction of libcst's parse), and
2. run ``PositionProvider``'s position-recording code generation over that statement alone (not
   through ``MetadataWrapper``, whose traversal rebuilds every node and costs as much again),

then shift the statement-local position by the statement's real start line. Columns need no shift: a
top-level statement starts at column 0. If ``ast`` cannot parse the file (syntax libcst accepts but this
Python does not) we fall back to the whole-module provider.
"""

from __future__ import annotations

import ast
from typing import Any, Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from kerascheck.facts.model import Loc

Span = tuple[int, int, int, int]  # line, column, end_line, end_column: 1-based, end exclusive


class PositionResolver:
    """Turns ``Loc`` handles of one file into 1-based spans, computing as little as possible."""

    def __init__(self, module: cst.Module, source: str) -> None:
        self._module = module
        self._source = source
        self._stmt_index: dict[int, int] | None = None
        self._ast_starts: list[int] | None = None
        self._ast_failed = False
        self._local: dict[int, tuple[Any, int]] = {}  # id(top) -> (positions mapping, line offset)
        self._whole: Any = None

    def span(self, loc: Loc) -> Span:
        if loc.node is None:
            line = loc.line or 1
            return (line, 1, line, 1)
        rng = self._range(loc)
        if rng is None:
            return (1, 1, 1, 1)
        return rng

    # -- internals -----------------------------------------------------------------------------

    def _range(self, loc: Loc) -> Span | None:
        top = loc.top
        if top is not None and not self._ast_failed:
            local = self._local_positions(top)
            if local is not None:
                positions, offset = local
                code_range = positions.get(loc.node)
                if code_range is not None:
                    return _to_span(code_range, offset)
        return self._whole_module_range(loc.node)

    def _local_positions(self, top: Any) -> tuple[Any, int] | None:
        key = id(top)
        if key in self._local:
            return self._local[key]
        start = self._real_start_line(top)
        if start is None:
            return None
        positions = _statement_positions(self._module, top)
        local_start = positions[top].start.line
        result = (positions, start - local_start)
        self._local[key] = result
        return result

    def _real_start_line(self, top: Any) -> int | None:
        if self._ast_starts is None:
            try:
                tree = ast.parse(self._source)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._ast_failed = True
                return None
            self._ast_starts = [_ast_start(stmt) for stmt in tree.body]
            index: dict[int, int] = {}
            position = 0
            for stmt in self._module.body:
                index[id(stmt)] = position
                position += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
            self._stmt_index = index
            if position != len(self._ast_starts):
                self._ast_failed = True
                return None
        assert self._stmt_index is not None
        idx = self._stmt_index.get(id(top))
        if idx is None:
            return None
        return self._ast_starts[idx]

    def _whole_module_range(self, node: Any) -> Span | None:
        if self._whole is None:
            self._whole = _statement_positions(self._module, self._module)
        code_range = self._whole.get(node)
        return None if code_range is None else _to_span(code_range, 0)


def _statement_positions(module: cst.Module, node: cst.CSTNode) -> Mapping[cst.CSTNode, CodeRange]:
    """Positions of ``node`` and everything in it, as if it started at line 1, column 0.

    This is what ``PositionProvider`` computes for a module, applied to one statement; it uses
    libcst's code-generation state directly. Should a libcst release move those internals, the
    public ``MetadataWrapper`` route gives the same answer, only slower.
    """
    try:
        provider = PositionProvider()
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        node._codegen(state)
        return provider._computed
    except (AttributeError, TypeError):  # pragma: no cover - depends on libcst internals
        mini = node if isinstance(node, cst.Module) else module.with_changes(
            body=[node], header=[], footer=[])
        return MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider)


def _ast_start(stmt: ast.stmt) -> int:
    # libcst, like ast, starts a decorated def/class at the ``def``/``class`` line, not the decorator.
    return stmt.lineno


def _to_span(code_range: CodeRange, offset: int) -> Span:
    return (
        code_range.start.line + offset,
        code_range.start.column + 1,
        code_range.end.line + offset,
        code_range.end.column + 1,
    )
