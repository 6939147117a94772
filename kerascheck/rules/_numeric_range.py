"""The sign analysis of the numeric-safety rules: can this expression be 0, and where from?

``RangeAnalyzer.range`` computes the ``Range`` (``_numeric_domain``) of an expression of a numeric
site: constants, names followed to what they hold, the function's parameters by role (``y_pred``,
``y_true``, a layer's inputs), operators and library calls. Separate from the overflow bounds
(``_numeric_bounds``), which build on it, so that each analysis reads on its own.
Private (the leading underscore keeps rule discovery out of it).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kerascheck.rules._numeric_domain import (
    ANY, ANY_CALLS, BINARY_CALLS, CLIP_CALLS, COMPARE_CALLS, EPS_CALLS, HARD_CALLS, LABEL_NAMES,
    MAX_CALLS, MAX_DEPTH, MIN_CALLS, NONNEG, NONNEG_CALLS, NORM_CALLS, POS, POS_CALLS, POS_RANGE,
    POSITIVE_CONSTANTS, PRED_NAMES, PROB_CALLS, SQUARE_CALLS, SUM_CALLS, TRANSPARENT_CALLS,
    UNKNOWN, UNKNOWN_RANGE, Range, any_pred, combine, error_tags, is_eps_name, joined_tags,
    library_short, peel,
)

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView, ParamInfo


class RangeAnalyzer:
    """Computes ``Range``s for the expressions of one numeric site (whose ``context`` matters:
    the parameters of a loss are ``y_true``/``y_pred``, those of a layer are inputs)."""

    def __init__(self, context: str) -> None:
        self.context = context
        self._memo: dict[int, Range] = {}

    # -- entry points --------------------------------------------------------------------------

    def range(self, view: ExprView, depth: int = 0) -> Range:
        if depth > MAX_DEPTH:
            return UNKNOWN_RANGE
        key = id(view.node)
        found = self._memo.get(key)
        if found is None:
            self._memo[key] = UNKNOWN_RANGE  # a cycle through names reads as unknown
            found = self._memo[key] = self._range(view, depth)
        return found

    def _range(self, view: ExprView, depth: int) -> Range:
        kind = view.kind
        if kind == "number":
            value = view.number()
            if value is None:
                return UNKNOWN_RANGE
            return POS_RANGE if value > 0 else Range(NONNEG if value == 0 else ANY)
        if kind == "name":
            if view.qualified() in POSITIVE_CONSTANTS:
                return POS_RANGE
            return self._name(view, depth)
        if kind == "attribute":
            if view.qualified() in POSITIVE_CONSTANTS:
                return POS_RANGE
            return POS_RANGE if is_eps_name(view.attribute()) else UNKNOWN_RANGE
        if kind == "subscript":
            return self.range(view.operands()[0], depth + 1)
        if kind == "unary":
            inner = self.range(view.operands()[0], depth + 1)
            if view.operator() == "+":
                return inner
            if view.operator() == "-":
                number = view.number()
                if number is not None:
                    return Range(NONNEG if number == 0 else (POS if number > 0 else ANY))
                return UNKNOWN_RANGE if inner.kind == UNKNOWN else Range(ANY, inner.tags, inner.reduced)
            return UNKNOWN_RANGE
        if kind == "binop":
            left, right = view.operands()
            return self._binop(view.operator(), left, right, depth)
        if kind == "compare":
            ranges = [self.range(o, depth + 1) for o in view.operands()]
            return Range(NONNEG, frozenset({"hard"} if any_pred(ranges) else {"mask"}))
        if kind == "call":
            return self._call(view, depth)
        return UNKNOWN_RANGE

    def is_param(self, view: ExprView, *roles: str, strict: bool = True) -> bool:
        """Whether ``view`` is a tensor parameter with one of ``roles`` (pred, label, input)."""
        info = view.param(strict=strict)
        return info is not None and self.role(view, info) in roles

    def role(self, view: ExprView, info: ParamInfo) -> str | None:
        """``"pred"``, ``"label"`` or ``"input"`` for a tensor parameter, None for others."""
        if info.star:
            return None
        low = info.name.lower()
        if low in PRED_NAMES:
            return "pred"
        if low in LABEL_NAMES:
            return "label"
        if info.has_default or is_eps_name(info.name):
            return None
        if self.context in ("loss", "metric"):
            # fn(y_true, y_pred) under other names: Keras passes the labels first
            tensors = [p for p in view.params().values()
                       if p.index >= 0 and not p.has_default and not p.star]
            if len(tensors) == 2:
                return "label" if tensors[0].name == info.name else "pred"
            return "tensor"
        return "input"

    # -- pieces ----------------------------------------------------------------------------------

    def _name(self, view: ExprView, depth: int) -> Range:
        name = view.name()
        followed = view.follow()
        if followed is not None:
            result = self.range(followed, depth + 1)
            if result.kind == UNKNOWN and is_eps_name(name):
                return POS_RANGE
            return result
        info = view.param(strict=True)
        if info is not None:
            return self._param(view, info, depth)
        if is_eps_name(name):
            return POS_RANGE
        source = view.unpacked_from()
        if source is not None:
            return self.range(source, depth + 1)
        if name is not None and "mask" in name.lower():
            return Range(NONNEG, frozenset({"mask"}))
        return UNKNOWN_RANGE

    def _param(self, view: ExprView, info: ParamInfo, depth: int) -> Range:
        if is_eps_name(info.name):
            return POS_RANGE
        role = self.role(view, info)
        if role is not None:
            return Range(ANY, frozenset({role}))
        default = view.param_default(info)
        if default is not None:
            value = default.number()
            if value is not None and value > 0:
                return POS_RANGE
        if "mask" in info.name.lower():
            return Range(NONNEG, frozenset({"mask"}))
        return UNKNOWN_RANGE

    def _binop(self, op: str | None, left: ExprView, right: ExprView, depth: int) -> Range:
        a = self.range(left, depth + 1)
        if op == "**":
            return self._power(a, left, right.number(), depth)
        b = self.range(right, depth + 1)
        if op == "-" and b.below_one and (left.number() or 0) >= 1:
            return Range(POS, b.tags)  # 1 - clip(p, eps, 1 - eps)
        return combine(op, a, b)

    def _below_one(self, bound: ExprView | None, depth: int) -> bool:
        """``1 - eps``, ``1.0 - K.epsilon()``, ``0.9999``: an upper bound below 1."""
        if bound is None:
            return False
        number = bound.number()
        if number is not None:
            return number < 1
        bound = peel(bound)
        if bound.kind == "binop" and bound.operator() == "-":
            left, right = bound.operands()
            return (left.number() or 2) <= 1 and self.range(right, depth + 1).kind == POS
        return False

    def _power(self, base: Range, base_view: ExprView, exponent: float | None, depth: int) -> Range:
        if exponent is not None and not math.isfinite(exponent):
            return UNKNOWN_RANGE
        if exponent == 0:
            return POS_RANGE
        if base.kind == POS:
            return POS_RANGE
        if exponent is None or base.kind == UNKNOWN:
            return UNKNOWN_RANGE
        if exponent > 0 and (exponent % 2 == 0 or exponent != int(exponent)):
            tags = frozenset({"error"}) if self.is_error(base_view, depth) else base.tags
            return Range(NONNEG, tags, base.reduced)
        if exponent > 0:
            return base
        return Range(ANY, base.tags, base.reduced)

    def _call(self, view: ExprView, depth: int) -> Range:
        callee = view.callee()
        if callee == "local.self":  # self(x, training=True) in a train_step: the prediction
            return Range(ANY, frozenset({"pred"}))
        short = library_short(view)
        if short is None:
            return self._sublayer_call(view, depth)
        args = view.args()
        first = view.arg(0, "x", "a", "input", "input_tensor", "t", "tensor", "value", "features")
        if short in EPS_CALLS:
            return POS_RANGE
        if short in PROB_CALLS:
            return Range(POS, frozenset({"prob"}))
        if short in POS_CALLS:
            return POS_RANGE
        if first is None:
            return UNKNOWN_RANGE
        inner = self.range(first, depth + 1)
        if short in CLIP_CALLS:
            low = view.arg(1, "clip_value_min", "min_value", "a_min", "x_min", "min")
            if low is None:
                return UNKNOWN_RANGE
            low_range = self.range(low, depth + 1)
            high = view.arg(2, "clip_value_max", "max_value", "a_max", "x_max", "max")
            below_one = self._below_one(high, depth)
            if low_range.kind == POS:
                return Range(POS, inner.tags, inner.reduced, below_one)
            if low.number() == 0 and inner.kind != UNKNOWN:
                return Range(NONNEG, inner.tags, inner.reduced, below_one)
            return UNKNOWN_RANGE
        if short in MAX_CALLS:
            ranges = [self.range(a, depth + 1) for a in args[:2]]
            if any(r.kind == POS for r in ranges):
                return Range(POS, joined_tags(ranges), any(r.reduced for r in ranges))
            if len(ranges) == 2 and all(r.kind != UNKNOWN for r in ranges) and any(
                a.number() == 0 for a in args[:2]
            ):
                return Range(NONNEG, joined_tags(ranges), any(r.reduced for r in ranges))
            return UNKNOWN_RANGE
        if short in MIN_CALLS:
            ranges = [self.range(a, depth + 1) for a in args[:2]]
            if len(ranges) < 2 or any(r.kind == UNKNOWN for r in ranges):
                return UNKNOWN_RANGE
            below_one = any(self._below_one(a, depth) for a in args[:2])
            if all(r.kind == POS for r in ranges):
                return Range(POS, joined_tags(ranges), below_one=below_one)
            kind = NONNEG if all(r.kind in (POS, NONNEG) for r in ranges) else ANY
            return Range(kind, joined_tags(ranges), any(r.reduced for r in ranges), below_one)
        if short in BINARY_CALLS:
            if len(args) < 2:
                return UNKNOWN_RANGE
            op = BINARY_CALLS[short]
            if op == "**":
                return self._power(inner, first, args[1].number(), depth)
            return combine(op, inner, self.range(args[1], depth + 1))
        if short == "squared_difference":
            if len(args) < 2:
                return UNKNOWN_RANGE
            ranges = [inner, self.range(args[1], depth + 1)]
            if any(r.kind == UNKNOWN for r in ranges):
                return UNKNOWN_RANGE
            return Range(NONNEG, error_tags(ranges) or joined_tags(ranges))
        if inner.kind == UNKNOWN:
            return UNKNOWN_RANGE
        if short in SQUARE_CALLS or short in NONNEG_CALLS:
            if inner.kind == POS:
                return inner
            tags = frozenset({"error"}) if self.is_error(first, depth) else inner.tags
            if short == "hard_sigmoid":
                tags = tags | {"prob"}
            return Range(NONNEG, tags, inner.reduced, spread=inner.spread)
        if short in NORM_CALLS:
            tags = frozenset({"error"}) if self.is_error(first, depth) else inner.tags
            return Range(NONNEG, tags, True, spread=short != "count_nonzero" or inner.spread)
        if short in SUM_CALLS:
            return Range(inner.kind, inner.tags, True, spread=inner.spread)
        if short in TRANSPARENT_CALLS:
            return inner
        if short in HARD_CALLS:
            tags = frozenset({"hard"}) if any_pred([inner]) else inner.tags
            return Range(NONNEG, tags, inner.reduced)
        if short in COMPARE_CALLS:
            ranges = [self.range(a, depth + 1) for a in args]
            return Range(NONNEG, frozenset({"hard"} if any_pred(ranges) else {"mask"}))
        if short in ANY_CALLS:
            ranges = [inner] + [self.range(a, depth + 1) for a in args[1:]]
            if any(r.kind == UNKNOWN for r in ranges):
                return UNKNOWN_RANGE
            return Range(ANY, joined_tags(ranges), any(r.reduced for r in ranges))
        return UNKNOWN_RANGE

    def _sublayer_call(self, view: ExprView, depth: int) -> Range:
        """``self.dense(x)`` in a layer or model: a tensor computed from the input."""
        if self.context not in ("layer", "model"):
            return UNKNOWN_RANGE
        receiver = view.receiver()
        while receiver is not None and receiver.kind == "attribute":  # self.model.encoder(x)
            receiver = receiver.operands()[0]
        if receiver is None or receiver.name() != "self":
            return UNKNOWN_RANGE
        for arg in view.args()[:1]:
            r = self.range(arg, depth + 1)
            if r.tags & {"input", "pred", "label", "hidden"}:
                return Range(ANY, frozenset({"hidden"}))
        return UNKNOWN_RANGE

    def is_error(self, view: ExprView, depth: int = 0) -> bool:
        """``y_pred - y_true`` (either order, through names and casts): an error term."""
        view = peel(view)
        if view.kind == "binop" and view.operator() == "-":
            sides = view.operands()
        elif view.kind == "call" and library_short(view) in ("subtract", "squared_difference"):
            sides = view.args()[:2]
        else:
            return False
        if len(sides) != 2:
            return False
        ranges = [self.range(s, depth + 1) for s in sides]
        return bool(error_tags(ranges))

