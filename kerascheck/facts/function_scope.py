"""What the function around a numeric site binds, and where: its parameters and local bindings.

Separate from ``exprs.py`` because it is a different question asked of different syntax: ``ExprView``
reads one expression, while ``FunctionScope`` scans a whole function body once (lazily) for the
statements that bind each name, so that ``ExprView.follow`` can ask "what does ``y_pred`` hold where
this ``log(y_pred)`` is written?" and ``ExprView.param`` "is this still the argument as passed?".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from kerascheck.facts.syntax import children


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of the enclosing function (``self``/``cls`` excluded from ``index``)."""

    name: str
    index: int  # position among positional parameters, -1 for keyword-only and star parameters
    default: Any = None  # the default expression node, or None
    star: bool = False  # *args / **kwargs

    @property
    def has_default(self) -> bool:
        return self.default is not None


NOT_LOCAL: Any = object()  # ``binding_before``: the name is not a local of the function


class FunctionScope:
    """The function a numeric site sits in: parameters, local bindings in order, expression parents.

    ``binding_before(name, node)`` answers "what does ``name`` hold where ``node`` is written?" from
    the function's text: the last binding of ``name`` in a statement before the one containing
    ``node`` (``y_pred = y_pred / K.sum(y_pred)`` reads the *previous* ``y_pred`` on its right).
    Everything is computed lazily (most sites never need more than the parameter list).
    """

    __slots__ = ("node", "_params", "_bindings", "_stmt_index", "_parents")

    def __init__(self, node: cst.FunctionDef | cst.Lambda) -> None:
        self.node = node
        self._params: dict[str, ParamInfo] | None = None
        # name -> [(statement index, kind, node)], kind "assign" | "unpack" | "augassign" | "other"
        self._bindings: dict[str, list[tuple[int, str, Any]]] | None = None
        self._stmt_index: dict[int, int] | None = None
        self._parents: dict[int, cst.CSTNode] | None = None

    @property
    def params(self) -> dict[str, ParamInfo]:
        if self._params is None:
            params = self.node.params
            out: dict[str, ParamInfo] = {}
            positional = list(params.posonly_params) + list(params.params)
            if positional and positional[0].name.value in ("self", "cls") and isinstance(
                self.node, cst.FunctionDef
            ):
                positional = positional[1:]
            for i, p in enumerate(positional):
                out[p.name.value] = ParamInfo(p.name.value, i, p.default)
            for p in params.kwonly_params:
                out[p.name.value] = ParamInfo(p.name.value, -1, p.default)
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    out[star.name.value] = ParamInfo(star.name.value, -1, None, star=True)
            self._params = out
        return self._params

    def assignments(self, name: str) -> int:
        """How many statements of the function (nested functions excluded) bind ``name``."""
        if self._bindings is None:
            self._scan()
        assert self._bindings is not None
        return len(self._bindings.get(name, ()))

    def binding_before(self, name: str, node: cst.CSTNode) -> Any:
        """The binding of ``name`` in force where ``node`` is written.

        ``(kind, value)`` for the last binding in an earlier statement: ``("assign", value)``,
        ``("unpack", source)`` for ``a, b = source``, ``("augassign", x op value)`` for ``x op= value``,
        ``("other", None)`` for loop targets and ``with ... as`` names. ``None`` when the function has
        not rebound it yet (a parameter still holds the argument). ``NOT_LOCAL`` when ``name`` is not
        local to the function or ``node`` is not in its body (module constants, closures).
        """
        if name not in self.params and not self.assignments(name):
            return NOT_LOCAL
        index = self._statement_of(node)
        if index is None:
            return None if isinstance(self.node, cst.Lambda) and name in self.params else NOT_LOCAL
        assert self._bindings is not None
        best = None
        for position, kind, value in self._bindings.get(name, ()):
            if position < index:
                best = (kind, value)
        return best

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        if self._parents is None:
            parents: dict[int, cst.CSTNode] = {}
            stack: list[cst.CSTNode] = [self.node.body]
            while stack:
                current = stack.pop()
                for child in children(current):
                    parents[id(child)] = current
                    stack.append(child)
            self._parents = parents
        return self._parents.get(id(node))

    def _statement_of(self, node: cst.CSTNode) -> int | None:
        if self._stmt_index is None:
            self._scan()
        assert self._stmt_index is not None
        current: cst.CSTNode | None = node
        for _ in range(200):
            if current is None:
                return None
            index = self._stmt_index.get(id(current))
            if index is not None:
                return index
            current = self.parent(current)
        return None

    def _scan(self) -> None:
        bindings: dict[str, list[tuple[int, str, Any]]] = {}
        stmt_index: dict[int, int] = {}
        counter = [0]

        def record(name: str, kind: str, value: Any) -> None:
            bindings.setdefault(name, []).append((counter[0], kind, value))

        def bind(target: cst.BaseExpression, value: cst.BaseExpression | None, kind: str) -> None:
            if isinstance(target, cst.Name):
                record(target.value, kind, value)
            elif isinstance(target, (cst.Tuple, cst.List)):
                literal = value if isinstance(value, (cst.Tuple, cst.List)) and len(
                    value.elements) == len(target.elements) else None
                for i, element in enumerate(target.elements):
                    inner = element.value
                    if literal is not None and not isinstance(element, cst.StarredElement):
                        bind(inner, literal.elements[i].value, kind)
                    elif kind == "assign" and value is not None and isinstance(inner, cst.Name):
                        record(inner.value, "unpack", value)
                    else:
                        bind(inner, None, "other")
            elif isinstance(target, cst.StarredElement):
                bind(target.value, None, "other")

        def statement(stmt: cst.CSTNode) -> None:
            counter[0] += 1
            stmt_index[id(stmt)] = counter[0]

        def small(stmt: cst.BaseSmallStatement) -> None:
            statement(stmt)
            if isinstance(stmt, cst.Assign):
                for t in stmt.targets:
                    bind(t.target, stmt.value, "assign")
            elif isinstance(stmt, cst.AnnAssign):
                bind(stmt.target, stmt.value, "assign" if stmt.value is not None else "other")
            elif isinstance(stmt, cst.AugAssign):
                if isinstance(stmt.target, cst.Name) and type(stmt.operator) in _AUGOPS:
                    combined = cst.BinaryOperation(left=stmt.target, operator=_AUGOPS[type(
                        stmt.operator)](), right=stmt.value)
                    record(stmt.target.value, "augassign", combined)
                else:
                    bind(stmt.target, None, "other")

        def block(body: Any) -> None:
            if isinstance(body, cst.SimpleStatementSuite):
                for s in body.body:
                    small(s)
                return
            if not isinstance(body, cst.IndentedBlock):
                return
            for stmt in body.body:
                if isinstance(stmt, cst.SimpleStatementLine):
                    for s in stmt.body:
                        small(s)
                    continue
                statement(stmt)
                if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                    bind(stmt.name, None, "other")
                elif isinstance(stmt, cst.For):
                    bind(stmt.target, None, "other")
                    block(stmt.body)
                    if stmt.orelse is not None:
                        block(stmt.orelse.body)
                elif isinstance(stmt, cst.With):
                    for item in stmt.items:
                        if item.asname is not None:
                            bind(item.asname.name, None, "other")
                    block(stmt.body)
                elif isinstance(stmt, cst.If):
                    block(stmt.body)
                    orelse = stmt.orelse
                    while orelse is not None:
                        block(orelse.body)
                        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
                elif isinstance(stmt, cst.While):
                    block(stmt.body)
                elif isinstance(stmt, (cst.Try, cst.TryStar)):
                    block(stmt.body)
                    for handler in stmt.handlers:
                        block(handler.body)
                    if stmt.orelse is not None:
                        block(stmt.orelse.body)
                    if stmt.finalbody is not None:
                        block(stmt.finalbody.body)

        if isinstance(self.node, cst.FunctionDef):
            block(self.node.body)
        self._bindings = bindings
        self._stmt_index = stmt_index


_SCOPES: dict[int, FunctionScope] = {}


def function_scope(node: cst.FunctionDef | cst.Lambda | None) -> FunctionScope | None:
    """The (shared, lazily filled) scope of a function node."""
    if node is None:
        return None
    scope = _SCOPES.get(id(node))
    if scope is None or scope.node is not node:
        if len(_SCOPES) > 512:
            _SCOPES.clear()
        scope = _SCOPES[id(node)] = FunctionScope(node)
    return scope


_AUGOPS = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.PowerAssign: cst.Power,
}
