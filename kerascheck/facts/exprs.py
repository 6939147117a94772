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

``FunctionScope`` (the binding analysis of the enclosing function) lives in ``function_scope.py``
and is re-exported here.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import libcst as cst

from kerascheck.facts.function_scope import NOT_LOCAL, FunctionScope, ParamInfo, function_scope
from kerascheck.facts.syntax import children, float_value, int_value

__all__ = ["ExprView", "FunctionScope", "ParamInfo", "NOT_LOCAL", "function_scope"]

_MAX_FOLLOW = 4


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
        return _KINDS.get(type(_unparen(self.node)), "other")

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


# ``ExprView.kind`` by node class (libcst's concrete node classes have no subclasses, so the exact
# type says it, and a lookup is cheaper than a chain of isinstance checks on libcst's ABCs).
_KINDS = {
    cst.Call: "call", cst.Name: "name", cst.Integer: "number", cst.Float: "number",
    cst.BinaryOperation: "binop", cst.UnaryOperation: "unary", cst.Attribute: "attribute",
    cst.Subscript: "subscript", cst.Comparison: "compare", cst.BooleanOperation: "boolop",
    cst.SimpleString: "string", cst.ConcatenatedString: "string", cst.FormattedString: "string",
    cst.Tuple: "tuple", cst.List: "list", cst.IfExp: "ifexp",
}
_BINOPS = {
    cst.Add: "+", cst.Subtract: "-", cst.Multiply: "*", cst.Divide: "/", cst.FloorDivide: "//",
    cst.Power: "**", cst.Modulo: "%", cst.MatrixMultiply: "@", cst.BitAnd: "&", cst.BitOr: "|",
    cst.BitXor: "^",
}
_UNOPS = {cst.Minus: "-", cst.Plus: "+", cst.Not: "not", cst.BitInvert: "~"}
