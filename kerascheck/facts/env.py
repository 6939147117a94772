"""Scopes for the static interpreter: what each name is bound to, and the expression it came from."""

from __future__ import annotations

from typing import Any

import libcst as cst

_MISSING = object()


class Env:
    """One scope (module, function call, class body) chained to the scope it closes over.

    Besides the abstract value of each name we keep the expression node it was last assigned from, so
    numeric rules can look through ``p = tf.clip_by_value(y_pred, eps, 1)`` when judging ``log(p)``.
    """

    __slots__ = ("values", "nodes", "parent")

    def __init__(self, parent: "Env | None" = None) -> None:
        self.values: dict[str, Any] = {}
        self.nodes: dict[str, cst.BaseExpression | None] = {}
        self.parent = parent

    def lookup(self, name: str) -> Any:
        """The value bound to ``name`` in this scope chain, or ``MISSING``."""
        env: Env | None = self
        while env is not None:
            value = env.values.get(name, _MISSING)
            if value is not _MISSING:
                return value
            env = env.parent
        return _MISSING

    def bind(self, name: str, value: Any, node: cst.BaseExpression | None = None) -> None:
        self.values[name] = value
        self.nodes[name] = node

    def binds_locally(self, name: str) -> bool:
        env: Env | None = self
        while env is not None:
            if name in env.values:
                return True
            env = env.parent
        return False

    def node_snapshot(self) -> dict[str, cst.BaseExpression | None]:
        """Name -> last assigned expression, innermost scope winning (for ``ExprView``)."""
        chain: list[Env] = []
        env: Env | None = self
        while env is not None:
            chain.append(env)
            env = env.parent
        merged: dict[str, cst.BaseExpression | None] = {}
        for scope in reversed(chain):
            merged.update(scope.nodes)
        return merged


MISSING = _MISSING
