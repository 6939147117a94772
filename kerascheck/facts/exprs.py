"""A small read-only view of expressions for the numeric-safety rules.

Rules never parse, but "is this ``log`` argument clipped?" is a question about syntax. ``ExprView``
answers it without exposing libcst to rules: it knows what a call resolves to (through the file's
imports), follows a name back to the expression last assigned to it, and reads constants.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import libcst as cst

_MAX_FOLLOW = 4


class ExprView:
    """A syntax node plus the context needed to interpret it (imports, name bindings)."""

    __slots__ = ("node", "_resolve", "_bindings", "_depth")

    def __init__(
        self,
        node: cst.BaseExpression,
        resolve: Callable[[cst.BaseExpression], str | None],
        bindings: dict[str, cst.BaseExpression | None],
        depth: int = 0,
    ) -> None:
        self.node = node
        self._resolve = resolve
        self._bindings = bindings
        self._depth = depth

    def _view(self, node: cst.BaseExpression) -> "ExprView":
        return ExprView(node, self._resolve, self._bindings, self._depth)

    # -- what the expression is ------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """``"call"``, ``"name"``, ``"number"``, ``"binop"``, ``"unary"``, ``"attribute"``,
        ``"subscript"`` or ``"other"``."""
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

    def callee_short(self) -> str | None:
        name = self.callee()
        return None if name is None else name.rsplit(".", 1)[-1]

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
        return []

    def number(self) -> float | None:
        """The value of a numeric literal (``1e-7``, ``-3``), or of a name bound to one."""
        node = _unparen(self.node)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            inner = self._view(node.expression).number()
            return None if inner is None else -inner
        if isinstance(node, (cst.Integer, cst.Float)):
            try:
                return float(node.evaluated_value)
            except (ValueError, OverflowError):
                return None
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
        """For a name, the expression last assigned to it before this point (None if unknown)."""
        node = _unparen(self.node)
        if not isinstance(node, cst.Name) or self._depth >= _MAX_FOLLOW:
            return None
        target = self._bindings.get(node.value)
        if target is None:
            return None
        return ExprView(target, self._resolve, self._bindings, self._depth + 1)

    def resolved(self) -> "ExprView":
        """Follow names to their assigned expressions as far as known."""
        view = self
        for _ in range(_MAX_FOLLOW):
            nxt = view.follow()
            if nxt is None:
                return view
            view = nxt
        return view

    def walk(self) -> Iterator["ExprView"]:
        """This expression and all sub-expressions (not following names)."""
        stack = [self.node]
        while stack:
            node = stack.pop()
            yield self._view(node)
            for child in node.children:
                if isinstance(child, cst.BaseExpression):
                    stack.append(child)
                elif isinstance(child, (cst.Arg, cst.Element, cst.SubscriptElement, cst.Index)):
                    stack.extend(c for c in child.children if isinstance(c, cst.BaseExpression))
                    for sub in child.children:
                        if isinstance(sub, cst.Index):
                            stack.append(sub.value)

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
    cst.Power: "**", cst.Modulo: "%", cst.MatrixMultiply: "@",
}
_UNOPS = {cst.Minus: "-", cst.Plus: "+", cst.Not: "not", cst.BitInvert: "~"}
