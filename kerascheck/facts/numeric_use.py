"""Where the value of a numeric site goes: into the loss, or only into a metric?

A NaN or inf in a value that only a metric reads shows up as a ``nan`` in the progress bar, but it
never reaches a gradient, so it cannot turn the weights NaN. Two shapes are recognised from the
enclosing function's text:

- the function computes an accuracy (its name says so: ``calculate_accuracy``,
  ``update_correlation_accuracy``, ``masked_acc``): accuracy is built from ``argmax`` and equality,
  which have no gradient, so no loss is ever made of it;
- the value is handed to a metric tracker: written inside ``tracker.update_state(...)``, or bound
  to names that are only read there (``acc = correct / total; self.acc_tracker.update_state(acc)``).

Separate from the extractor's context classification (``extract._context``), which says what a
function *is* (a loss, a layer...), because this says what one value inside it is *for*.
"""

from __future__ import annotations

import libcst as cst

from kerascheck.facts.function_scope import FunctionScope
from kerascheck.facts.syntax import children

_ACCURACY_WORDS = ("accuracy",)
_METRIC_UPDATES = frozenset({"update_state", "update_metrics"})
_MAX_HOPS = 3


def is_accuracy_function(name: str | None) -> bool:
    """``calculate_accuracy``, ``masked_acc``, ``acc``: a function that returns an accuracy."""
    if not name:
        return False
    low = name.lower()
    if "loss" in low:
        return False
    parts = low.strip("_").split("_")
    return any(w in low for w in _ACCURACY_WORDS) or "acc" in parts


def feeds_only_metrics(node: cst.CSTNode, scope: FunctionScope | None) -> bool:
    """Whether the expression ``node`` (in the function of ``scope``) only reaches metric updates."""
    if scope is None:
        return False
    return _only_metrics(node, scope, 0)


def _only_metrics(node: cst.CSTNode, scope: FunctionScope, hops: int) -> bool:
    current: cst.CSTNode | None = node
    for _ in range(60):
        parent = scope.parent(current) if current is not None else None
        if parent is None:
            return False
        if isinstance(parent, cst.Call) and _is_metric_update(parent) and current is not parent.func:
            return True
        if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            names = _target_names(parent)
            if not names or hops >= _MAX_HOPS:
                return False
            uses = [use for name in names for use in _uses(scope, name, parent)]
            return bool(uses) and all(_only_metrics(use, scope, hops + 1) for use in uses)
        if isinstance(parent, (cst.Return, cst.Expr, cst.If, cst.While, cst.For)):
            return False
        current = parent
    return False


def _is_metric_update(call: cst.Call) -> bool:
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in _METRIC_UPDATES


def _target_names(stmt: cst.CSTNode) -> list[str]:
    targets: list[cst.BaseExpression] = []
    if isinstance(stmt, cst.Assign):
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, (cst.AnnAssign, cst.AugAssign)):
        targets = [stmt.target]
    return [t.value for t in targets if isinstance(t, cst.Name)] if all(
        isinstance(t, cst.Name) for t in targets) else []


def _uses(scope: FunctionScope, name: str, binding: cst.CSTNode) -> list[cst.CSTNode]:
    """The places that read ``name`` in the function, the binding statement's targets excluded."""
    targets = {id(t) for t in _targets(binding)}
    return [node for node in _names_read(scope).get(name, ()) if id(node) not in targets]


# scope id -> (scope, name -> its Name nodes in the function, nested definitions excluded). Built once
# per function: walking the whole body again for every name of every numeric site was most of the
# extractor's time on files with many custom losses. The scope is kept so that an id is never reused.
_NAMES: dict[int, tuple[FunctionScope, dict[str, list[cst.CSTNode]]]] = {}


def _names_read(scope: FunctionScope) -> dict[str, list[cst.CSTNode]]:
    cached = _NAMES.get(id(scope))
    if cached is not None and cached[0] is scope:
        return cached[1]
    index: dict[str, list[cst.CSTNode]] = {}
    stack: list[cst.CSTNode] = [scope.node.body]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is cst.Name:
            index.setdefault(node.value, []).append(node)  # type: ignore[attr-defined]
            continue
        if kind is cst.FunctionDef or kind is cst.ClassDef or kind is cst.Lambda:
            continue
        stack.extend(children(node))
    if len(_NAMES) > 512:
        _NAMES.clear()
    _NAMES[id(scope)] = (scope, index)
    return index


def _targets(stmt: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(stmt, cst.Assign):
        return [t.target for t in stmt.targets]
    if isinstance(stmt, (cst.AnnAssign, cst.AugAssign)):
        return [stmt.target]
    return []
