"""The overflow analysis of KC504: is this value bounded, so that ``exp`` of it cannot overflow?

``Analyzer`` is the ``RangeAnalyzer`` of ``_numeric_range`` plus ``bounded``/``bounded_above``/
``bounded_below`` (``tanh``, ``clip``, ``x - max(x)``, a weight times a bounded value...) and
``mentions_input``. Separate because it asks another question than the sign analysis, with its own
memo, while reusing its ranges (a non-negative value is bounded below).
Private (the leading underscore keeps rule discovery out of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kerascheck.rules._numeric_domain import (
    BOUNDED_CALLS, MAX_DEPTH, MAX_LIKE_CALLS, MIN_CALLS, NONNEG, POS, PRODUCT_CALLS, SUM_CALLS,
    TRANSPARENT_CALLS, library_short, peel,
)
from kerascheck.rules._numeric_range import RangeAnalyzer

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView


class Analyzer(RangeAnalyzer):
    """Ranges (``RangeAnalyzer``) and bounds of the expressions of one numeric site."""

    def __init__(self, context: str) -> None:
        super().__init__(context)
        self._bounded_memo: dict[int, bool] = {}

    def bounded(self, view: ExprView, depth: int = 0) -> bool:
        """Bounded on both sides: ``tanh``, ``sigmoid``, ``clip``, cosine similarities, constants."""
        if depth > MAX_DEPTH:
            return True
        key = id(view.node)
        found = self._bounded_memo.get(key)
        if found is None:
            self._bounded_memo[key] = True  # a cycle through names: do not report
            found = self._bounded_memo[key] = self._bounded(view, depth)
        return found

    def _bounded(self, view: ExprView, depth: int) -> bool:
        kind = view.kind
        if kind == "number":
            return True
        if kind == "name":
            followed = view.follow() or view.unpacked_from()
            return followed is not None and self.bounded(followed, depth + 1)
        if kind in ("subscript", "unary"):
            return self.bounded(view.operands()[0], depth + 1)
        if kind == "binop":
            op = view.operator()
            left, right = view.operands()
            if op in ("+", "-"):
                return self.bounded(left, depth + 1) and self.bounded(right, depth + 1)
            if op == "*":  # bounded times a constant or a weight (tanh(x) * self.scale)
                sides = [left, right]
                return any(self.bounded(v, depth + 1) and v.kind != "number" for v in sides) and all(
                    _is_weight(v) or self.bounded(v, depth + 1) for v in sides)
            if op == "/":  # divided by a constant or a temperature
                return right.kind in ("number", "name", "attribute") and self.bounded(left, depth + 1)
            return False
        if kind == "call":
            short = library_short(view)
            if short in BOUNDED_CALLS and short not in ("log_sigmoid", "log_softmax"):
                return True
            if short in PRODUCT_CALLS:
                # similarities of l2-normalised vectors (contrastive losses) are in [-1, 1]
                # and so are products of a tanh/sigmoid output with a weight (HAN attention:
                # exp(K.dot(K.tanh(...), self.u))): in practice far from exp's overflow
                tensors = [a for a in view.args() if a.kind not in ("number", "string")]
                return any(self.bounded(a, depth + 1) for a in tensors) and all(
                    _is_weight(a) or self.bounded(a, depth + 1) for a in tensors)
            if short in TRANSPARENT_CALLS or short in SUM_CALLS:
                first = view.arg(0, "x", "a", "input_tensor")
                return first is not None and self.bounded(first, depth + 1)
        return False

    def bounded_above(self, view: ExprView, depth: int = 0) -> bool:
        """``exp`` of this cannot overflow: bounded values, ``x - max(x)``, ``-square(x)``..."""
        if depth > MAX_DEPTH or self.bounded(view, depth):
            return True
        kind = view.kind
        if kind == "name":
            followed = view.follow() or view.unpacked_from()
            return followed is not None and self.bounded_above(followed, depth + 1)
        if kind == "subscript":
            return self.bounded_above(view.operands()[0], depth + 1)
        if kind == "unary":
            inner = view.operands()[0]
            if view.operator() == "-":
                return self.bounded_below(inner, depth + 1)
            return self.bounded_above(inner, depth + 1)
        if kind == "binop":
            op = view.operator()
            left, right = view.operands()
            if op == "-":
                if _is_max_like(right):
                    return True
                return self.bounded_above(left, depth + 1) and self.bounded_below(right, depth + 1)
            if op == "+":
                return self.bounded_above(left, depth + 1) and self.bounded_above(right, depth + 1)
            if op in ("*", "/") and (right.number() or 0) > 0:
                return self.bounded_above(left, depth + 1)
            if op == "*" and (left.number() or 0) > 0:
                return self.bounded_above(right, depth + 1)
            return False
        if kind == "call":
            short = library_short(view)
            if short in ("log_sigmoid", "log_softmax"):
                return True
            if short in MIN_CALLS:
                return any(a.number() is not None for a in view.args())
            if short in TRANSPARENT_CALLS or short in SUM_CALLS:
                first = view.arg(0, "x", "a", "input_tensor")
                return first is not None and self.bounded_above(first, depth + 1)
            if short == "negative":
                first = view.arg(0, "x", "a")
                return first is not None and self.bounded_below(first, depth + 1)
            if short == "subtract" and len(view.args()) == 2:
                return _is_max_like(view.args()[1])
        return False

    def bounded_below(self, view: ExprView, depth: int = 0) -> bool:
        """Bounded from below (``exp(-x)`` of it cannot overflow)."""
        if depth > MAX_DEPTH or self.bounded(view, depth):
            return True
        if self.range(view, depth + 1).kind in (POS, NONNEG):
            return True
        kind = view.kind
        if kind == "name":
            followed = view.follow() or view.unpacked_from()
            return followed is not None and self.bounded_below(followed, depth + 1)
        if kind == "unary" and view.operator() == "-":
            return self.bounded_above(view.operands()[0], depth + 1)
        return False

    def mentions_input(self, view: ExprView, depth: int = 0) -> bool:
        """Whether the value is computed from the function's tensor parameters (or ``self(x)``)."""
        if depth > MAX_DEPTH:
            return False
        for sub in view.walk():
            if sub.kind == "name":
                info = sub.param(strict=False)
                if info is not None and self.role(sub, info) is not None:
                    return True
                followed = sub.follow() or sub.unpacked_from()
                if followed is not None and self.mentions_input(followed, depth + 1):
                    return True
            elif sub.kind == "call" and sub.callee() == "local.self":
                return True
        return False


def _is_weight(view: ExprView) -> bool:
    """``self.W``, ``self.kernel``: a layer's weight (or a name bound to one)."""
    view = peel(view)
    while view.kind == "attribute":
        view = view.operands()[0]
        if view.name() == "self":
            return True
    return False


def _is_max_like(view: ExprView) -> bool:
    view = peel(view)
    if view.kind == "name":
        followed = view.follow()
        if followed is not None:
            return _is_max_like(followed)
        return "max" in (view.name() or "").lower()
    return view.kind == "call" and library_short(view) in MAX_LIKE_CALLS

