"""A small read-only view of expressions for the numeric-safety rules.

Rules never parse, but "is this ``log`` argument clipped?" is a question about syntax. ``ExprView``
answers it without exposing libcst to rules: it knows what a call resolves to (through the file's
imports), follows a name back to the expression last assigned to it, reads constants, and knows the
enclosing function (``FunctionScope``): its parameters (is this name ``y_pred`` as passed in?), the
names it rebinds, and the parent of each expression (is this ``log(...)`` multiplied by ``y_true``?).

Names local to the enclosing function are followed through the function's text (the binding in force
where the name is written); other names through the interpreter's snapshot of the bindings at the
numeric site (module constants, closure variables). Inside the expression a snapshot name was bound to,
the same name refers to an earlier value the snapshot no longer holds, so it is not followed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

import libcst as cst

from kerascheck.facts.syntax import children, float_value, int_value

_MAX_FOLLOW = 4


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


class ExprView:
    """A syntax node plus the context needed to interpret it (imports, name bindings, function)."""

    __slots__ = ("node", "_resolve", "_bindings", "_depth", "_scope", "_shadow")

    def __init__(
        self,
        node: cst.BaseExpression,
        resolve: Callable[[cst.BaseExpression], str | None],
        bindings: dict[str, cst.BaseExpression | None],
        depth: int = 0,
        scope: FunctionScope | None = None,
        shadow: frozenset[str] = frozenset(),
    ) -> None:
        self.node = node
        self._resolve = resolve
        self._bindings = bindings
        self._depth = depth
        self._scope = scope
        self._shadow = shadow

    def _view(self, node: cst.BaseExpression) -> "ExprView":
        return ExprView(node, self._resolve, self._bindings, self._depth, self._scope, self._shadow)

    # -- what the expression is ------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """``"call"``, ``"name"``, ``"number"``, ``"binop"``, ``"unary"``, ``"attribute"``,
        ``"subscript"``, ``"compare"``, ``"boolop"``, ``"string"``, ``"tuple"``, ``"list"``,
        ``"ifexp"`` or ``"other"``."""
        node = _unparen(self.node)
        if isinstance(node, cst.Call):
            return "call"
        if isinstance(node, cst.Name):
            return "name"
        if isinstance(node, (cst.Integer, cst.Float)):
            return "number"
        if isinstance(node, cst.BinaryOperation):
            return "binop"
        if isinstance(node, cst.UnaryOperation):
            return "unary"
        if isinstance(node, cst.Attribute):
            return "attribute"
        if isinstance(node, cst.Subscript):
            return "subscript"
        if isinstance(node, cst.Comparison):
            return "compare"
        if isinstance(node, cst.BooleanOperation):
            return "boolop"
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return "string"
        if isinstance(node, cst.Tuple):
            return "tuple"
        if isinstance(node, cst.List):
            return "list"
        if isinstance(node, cst.IfExp):
            return "ifexp"
        return "other"

    def callee(self) -> str | None:
        """Canonical name of the called function (``"tf.math.maximum"``), for calls of library code.

        Method calls on values (``y_pred.clip(...)``) give ``".clip"``; calls of local functions give
        ``"local.NAME"``.
        """
        node = _unparen(self.node)
        if not isinstance(node, cst.Call):
            return None
        resolved = self._resolve(node.func)
        if resolved is not None:
            return resolved
        if isinstance(node.func, cst.Attribute):
            return "." + node.func.attr.value
        if isinstance(node.func, cst.Name):
            return "local." + node.func.value
        return None

    def qualified(self) -> str | None:
        """Canonical name of an imported object named here (``np.pi`` -> ``"numpy.pi"``)."""
        node = _unparen(self.node)
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self._resolve(node)
        return None

    def callee_short(self) -> str | None:
        name = self.callee()
        return None if name is None else name.rsplit(".", 1)[-1]

    def receiver(self) -> "ExprView | None":
        """For a method call ``obj.meth(...)``, a view of ``obj``."""
        node = _unparen(self.node)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            return self._view(node.func.value)
        return None

    def args(self) -> list["ExprView"]:
        node = _unparen(self.node)
        if not isinstance(node, cst.Call):
            return []
        return [self._view(a.value) for a in node.args if a.keyword is None and not a.star]

    def kwarg(self, name: str) -> "ExprView | None":
        node = _unparen(self.node)
        if isinstance(node, cst.Call):
            for a in node.args:
                if a.keyword is not None and a.keyword.value == name:
                    return self._view(a.value)
        return None

    def arg(self, position: int, *keywords: str) -> "ExprView | None":
        """The argument at ``position``, else the first of ``keywords`` given by keyword."""
        positional = self.args()
        if position < len(positional):
            return positional[position]
        for keyword in keywords:
            found = self.kwarg(keyword)
            if found is not None:
                return found
        return None

    def operator(self) -> str | None:
        """``"+"``, ``"-"``, ``"*"``, ``"/"``, ``"**"``... for binary operations."""
        node = _unparen(self.node)
        if isinstance(node, cst.BinaryOperation):
            return _BINOPS.get(type(node.operator))
        if isinstance(node, cst.UnaryOperation):
            return _UNOPS.get(type(node.operator))
        return None

    def operands(self) -> list["ExprView"]:
        node = _unparen(self.node)
        if isinstance(node, cst.BinaryOperation):
            return [self._view(node.left), self._view(node.right)]
        if isinstance(node, cst.UnaryOperation):
            return [self._view(node.expression)]
        if isinstance(node, cst.Attribute):
            return [self._view(node.value)]
        if isinstance(node, cst.Subscript):
            return [self._view(node.value)]
        if isinstance(node, cst.Comparison):
            return [self._view(node.left)] + [self._view(c.comparator) for c in node.comparisons]
        if isinstance(node, cst.BooleanOperation):
            return [self._view(node.left), self._view(node.right)]
        return []

    def number(self) -> float | None:
        """The value of a numeric literal (``1e-7``, ``-3``), or of a name bound to one."""
        node = _unparen(self.node)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            inner = self._view(node.expression).number()
            return None if inner is None else -inner
        if isinstance(node, cst.Integer):
            number = int_value(node)
            return None if number is None else float(number)
        if isinstance(node, cst.Float):
            return float_value(node)
        followed = self.follow()
        if followed is not None:
            return followed.number()
        return None

    def name(self) -> str | None:
        node = _unparen(self.node)
        return node.value if isinstance(node, cst.Name) else None

    def attribute(self) -> str | None:
        node = _unparen(self.node)
        return node.attr.value if isinstance(node, cst.Attribute) else None

    def follow(self) -> "ExprView | None":
        """For a name, the expression last assigned to it before this point (None if unknown).

        Names local to the enclosing function are looked up in its text (the binding in force
        where the name is written, so ``y_pred`` inside ``y_pred = K.clip(y_pred, ...)`` is the
        previous value); other names (module constants, closure variables) in the interpreter's
        snapshot of the bindings at the numeric site.
        """
        node = _unparen(self.node)
        if not isinstance(node, cst.Name) or self._depth >= _MAX_FOLLOW:
            return None
        local = self._local_binding(node)
        if local is not NOT_LOCAL:
            if local is not None and local[0] in ("assign", "augassign"):
                return ExprView(local[1], self._resolve, self._bindings, self._depth + 1,
                                self._scope, self._shadow)
            return None
        if node.value in self._shadow:
            return None
        target = self._bindings.get(node.value)
        if target is None:
            return None
        return ExprView(target, self._resolve, self._bindings, self._depth + 1, self._scope,
                        self._shadow | {node.value})

    def _local_binding(self, node: cst.Name) -> Any:
        if self._scope is None:
            return NOT_LOCAL
        return self._scope.binding_before(node.value, node)

    def resolved(self) -> "ExprView":
        """Follow names to their assigned expressions as far as known."""
        view = self
        for _ in range(_MAX_FOLLOW):
            nxt = view.follow()
            if nxt is None:
                return view
            view = nxt
        return view

    # -- the enclosing function --------------------------------------------------------------------

    @property
    def scope(self) -> FunctionScope | None:
        return self._scope

    def params(self) -> dict[str, ParamInfo]:
        """The enclosing function's parameters by name (empty outside functions)."""
        return self._scope.params if self._scope is not None else {}

    def param(self, strict: bool = True) -> ParamInfo | None:
        """For a name that still holds the value passed to the enclosing function, its parameter.

        With ``strict`` (the default) the function must not have rebound the name before this point,
        so it surely is the argument as passed. Without it, a rebound parameter (``y_pred /= ...``,
        ``y_pred = K.clip(y_pred, ...)``) still counts.
        """
        node = _unparen(self.node)
        if not isinstance(node, cst.Name) or self._scope is None:
            return None
        info = self._scope.params.get(node.value)
        if info is None:
            return None
        if not strict:
            return info
        local = self._local_binding(node)
        if local is NOT_LOCAL:  # a followed expression outside the function's body
            return info if not self._scope.assignments(node.value) else None
        return info if local is None else None

    def param_default(self, info: ParamInfo) -> "ExprView | None":
        """A view of a parameter's default value (``smooth=1.0``), if it has one."""
        return None if info.default is None else self._view(info.default)

    def unpacked_from(self) -> "ExprView | None":
        """For ``x`` after ``x, y = vects``: a view of ``vects`` (``x`` is a part of it)."""
        node = _unparen(self.node)
        if not isinstance(node, cst.Name) or self._scope is None or self._depth >= _MAX_FOLLOW:
            return None
        local = self._local_binding(node)
        if local is NOT_LOCAL or local is None or local[0] != "unpack":
            return None
        return ExprView(local[1], self._resolve, self._bindings, self._depth + 1, self._scope,
                        self._shadow)

    def parent(self) -> "ExprView | None":
        """The expression directly containing this one (a call for its argument), if any.

        Only for nodes written in the enclosing function's body (not for followed assignments).
        """
        if self._scope is None:
            return None
        node: Any = self.node
        for _ in range(4):  # through Arg, Index, SubscriptElement, Element wrappers
            node = self._scope.parent(node)
            if node is None:
                return None
            if isinstance(node, cst.BaseExpression):
                return self._view(node)
            if not isinstance(node, (cst.Arg, cst.Index, cst.SubscriptElement, cst.Element,
                                     cst.Slice)):
                return None
        return None

    def ancestors(self) -> Iterator["ExprView"]:
        """Enclosing expressions, innermost first, up to the statement."""
        view = self.parent()
        while view is not None:
            yield view
            view = view.parent()

    # -- traversal and text --------------------------------------------------------------------------

    def walk(self) -> Iterator["ExprView"]:
        """This expression and all sub-expressions (not following names)."""
        stack = [self.node]
        while stack:
            node = stack.pop()
            yield self._view(node)
            for child in children(node):
                if isinstance(child, cst.BaseExpression):
                    stack.append(child)
                elif isinstance(child, (cst.Arg, cst.Element, cst.SubscriptElement, cst.Index)):
                    stack.extend(c for c in children(child) if isinstance(c, cst.BaseExpression))
                    for sub in children(child):
                        if isinstance(sub, cst.Index):
                            stack.append(sub.value)
                elif isinstance(child, cst.ComparisonTarget):
                    stack.append(child.comparator)

    def key(self) -> str:
        """Whitespace-free source text, to compare two expressions for sameness."""
        return "".join(cst.Module(body=[]).code_for_node(self.node).split()).strip("()")

    def same_as(self, other: "ExprView") -> bool:
        """Same source text, after following names on both sides."""
        return self.key() == other.key() or self.resolved().key() == other.resolved().key()

    def text(self) -> str:
        """Source text of the expression (for messages); short and single-line."""
        code = cst.Module(body=[]).code_for_node(self.node)
        code = " ".join(code.split())
        return code if len(code) <= 60 else code[:57] + "..."

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"ExprView({self.text()!r})"


def _unparen(node: Any) -> Any:
    return node


_BINOPS = {
    cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/", cst.FloorDivide: "//",
    cst.Power: "**", cst.Modulo: "%", cst.MatrixMultiply: "@", cst.BitAnd: "&", cst.BitOr: "|",
    cst.BitXor: "^",
}
_AUGOPS = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.PowerAssign: cst.Power,
}
_UNOPS = {cst.Minus: "-", cst.Plus: "+", cst.Not: "not", cst.BitInvert: "~"}
