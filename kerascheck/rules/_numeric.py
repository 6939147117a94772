"""Shared predicates of the numeric-safety rules (KC501-KC505).

The question every numeric rule asks is "can this value be 0 (or overflow), and does it come from the
model's tensors?". ``value_range`` answers it with a tiny abstract domain over an ``ExprView``:

- ``POS``: surely > 0 -- a positive constant or epsilon, ``x + eps``, ``clip(x, eps, ...)``,
  ``maximum(x, eps)``, ``exp``/``softplus``/``softmax``/``sigmoid``/``cosh``.
- ``NONNEG``: >= 0 but can be exactly 0 -- ``square``, ``abs``, ``relu``, norms, ``clip(x, 0, 1)``.
- ``ANY``: any sign, 0 included -- a tensor parameter (``y_pred``, ``inputs``), a difference.
- ``UNKNOWN``: cannot tell (an attribute, an unknown call, a closure variable): rules stay silent.

Alongside the kind, ``tags`` say where the value comes from (what makes it 0 in practice):
``pred`` (the prediction, ``y_pred`` or ``self(x)``), ``label`` (``y_true``), ``input`` (a layer's
input), ``hidden`` (a sublayer's output, ``self.dense(x)``), ``tensor`` (another tensor parameter of a
loss), ``prob`` (a sigmoid/softmax output, whose complement ``1 - p`` saturates to 0), ``hard``
(rounded or thresholded predictions), ``mask`` (a comparison, ``label != 0``) and ``error`` (the square
or absolute value of ``y_pred - y_true``, 0 only at a perfect fit). ``reduced`` says a reduction (sum,
mean, norm, std...) was applied on the way, ``spread`` that it was a norm, std or variance.

Modules starting with ``_`` are not rule modules (discovery skips them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView, ParamInfo

POS = "pos"
NONNEG = "nonneg"
ANY = "any"
UNKNOWN = "unknown"

DEFAULT_CONTEXTS = ["loss", "metric", "layer", "model"]


@dataclass(frozen=True)
class Range:
    kind: str
    tags: frozenset[str] = frozenset()
    reduced: bool = False
    below_one: bool = False  # surely < 1 (clipped to 1 - eps), so 1 - x is > 0
    spread: bool = False  # a norm, standard deviation or variance was taken on the way

    @property
    def can_be_zero(self) -> bool:
        return self.kind in (NONNEG, ANY)


_UNKNOWN = Range(UNKNOWN)
_POS = Range(POS)
_MAX_DEPTH = 14

PRED_NAMES = frozenset({
    "y_pred", "ypred", "y_preds", "pred", "preds", "prediction", "predictions", "y_hat", "yhat",
    "output", "outputs", "y_predicted", "pred_y", "y_prob", "probs", "probabilities", "y_pred_prob",
    "logits", "y_out",
})
LABEL_NAMES = frozenset({
    "y_true", "ytrue", "y_trues", "true", "target", "targets", "label", "labels", "y", "gt",
    "ground_truth", "y_actual", "truth", "y_target", "y_label", "real",
})
_EPS_WORDS = ("eps", "epsilon", "smooth", "tiny")

_LIBRARIES = ("tf.", "keras.", "numpy.", "jnp.", "torch.", "math.", "scipy.", "tensorflow.")

_POSITIVE_CONSTANTS = frozenset({"numpy.pi", "math.pi", "numpy.e", "math.e", "math.tau",
                                 "numpy.inf", "math.inf"})
_EPS_CALLS = frozenset({"epsilon"})
_POS_CALLS = frozenset({"exp", "exp2", "softplus", "cosh", "ones", "ones_like"})
_PROB_CALLS = frozenset({"softmax", "sigmoid"})
_CLIP_CALLS = frozenset({"clip", "clip_by_value", "clamp"})
_MAX_CALLS = frozenset({"maximum", "fmax"})
_MIN_CALLS = frozenset({"minimum", "fmin"})
_SQUARE_CALLS = frozenset({"abs", "absolute", "square", "fabs"})
_NONNEG_CALLS = frozenset({"relu", "relu6", "sqrt", "hard_sigmoid"})
# Reductions that are >= 0 whatever their input (norms, spreads, counts).
NORM_CALLS = frozenset({"norm", "reduce_std", "std", "reduce_variance", "var", "variance",
                        "reduce_euclidean_norm", "count_nonzero", "l2_loss", "nanstd", "nanvar"})
# Reductions that keep the sign of their input.
SUM_CALLS = frozenset({"reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
                       "sum", "mean", "max", "min", "amax", "amin", "prod", "average", "nansum",
                       "nanmean", "cumsum", "cumprod"})
REDUCTIONS = NORM_CALLS | SUM_CALLS
_TRANSPARENT = frozenset({
    "cast", "reshape", "flatten", "batch_flatten", "squeeze", "expand_dims", "identity",
    "stop_gradient", "convert_to_tensor", "transpose", "gather", "gather_nd", "boolean_mask", "tile",
    "repeat", "repeat_elements", "broadcast_to", "to_float", "cast_to_floatx", "ensure_shape",
    "permute_dimensions", "reverse", "asarray", "array", "constant", "float32", "float64", "split",
    "unstack", "array_split",
})
_HARD_CALLS = frozenset({"round", "rint", "floor", "ceil", "argmax", "argmin", "one_hot"})
_COMPARE_CALLS = frozenset({"greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
                            "logical_and", "logical_or", "logical_not", "isclose"})
_BINARY_CALLS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "truediv": "/",
                 "true_divide": "/", "div": "/", "pow": "**", "power": "**"}
_ANY_CALLS = frozenset({"log", "log1p", "log2", "log10", "tanh", "sin", "cos", "erf", "sign",
                        "matmul", "dot", "tensordot", "einsum", "batch_dot", "log_softmax",
                        "log_sigmoid", "reduce_logsumexp", "logsumexp", "negative", "l2_normalize",
                        "xlogy"})
BOUNDED_CALLS = frozenset({"tanh", "sigmoid", "sin", "cos", "softsign", "hard_sigmoid", "clip",
                           "clip_by_value", "clamp", "log_sigmoid", "log_softmax", "erf",
                           "cosine_similarity", "l2_normalize", "softmax", "one_hot", "round",
                           "sign", "ones_like", "zeros_like"})
_PRODUCT_CALLS = frozenset({"matmul", "dot", "tensordot", "einsum", "batch_dot", "multiply"})
_MAX_LIKE = frozenset({"reduce_max", "max", "amax", "reduce_logsumexp", "logsumexp"})


_GRAPH_CONTEXTS = frozenset({"loss", "metric", "layer", "model"})
_HOST_LIBRARIES = ("numpy.", "math.", "scipy.")


def context_of(site: object) -> str:
    """The site's context, except that NumPy code is host-side data code whatever its function:
    ``np.log(y_pred)`` in ``def evaluate(y_true, y_pred)`` is post-training analysis, not a loss
    (a Keras loss, metric or layer cannot call NumPy on its symbolic tensors)."""
    context = getattr(site, "context", "other")
    if context not in _GRAPH_CONTEXTS:
        return context
    callee = getattr(site, "callee", "")
    if callee.startswith(_HOST_LIBRARIES):
        return "data"
    if callee == "/":
        for view in (getattr(site, "operand", None), getattr(site, "numerator", None)):
            if view is not None and _calls_host_library(view):
                return "data"
    return context


def _calls_host_library(view: ExprView, depth: int = 0) -> bool:
    """Whether ``view`` calls NumPy/math/SciPy, directly or through the names it reads
    (``ss_tot = np.sum(...); r2 = 1 - ss_res / ss_tot``)."""
    for sub in view.walk():
        kind = sub.kind
        if kind == "call" and (sub.callee() or "").startswith(_HOST_LIBRARIES):
            return True
        if kind == "name" and depth < 4:
            followed = sub.follow()
            if followed is not None and _calls_host_library(followed, depth + 1):
                return True
    return False


def is_eps_name(name: str | None) -> bool:
    """``eps``, ``EPSILON``, ``_EPS``, ``smooth``, ``smooth_factor``, ``self.epsilon``..."""
    if not name:
        return False
    low = name.lower().strip("_")
    return any(low.startswith(w) or low.endswith("_" + w) for w in _EPS_WORDS)


def library_short(view: ExprView) -> str | None:
    """The short name of a library call (``tf.math.log`` -> ``log``), None for other calls."""
    callee = view.callee()
    if callee is None or not callee.startswith(_LIBRARIES):
        return None
    return callee.rsplit(".", 1)[-1]


class Analyzer:
    """Computes ``Range``s for the expressions of one numeric site (whose ``context`` matters:
    the parameters of a loss are ``y_true``/``y_pred``, those of a layer are inputs)."""

    def __init__(self, context: str) -> None:
        self.context = context
        self._memo: dict[int, Range] = {}
        self._bounded_memo: dict[int, bool] = {}

    # -- entry points --------------------------------------------------------------------------

    def range(self, view: ExprView, depth: int = 0) -> Range:
        if depth > _MAX_DEPTH:
            return _UNKNOWN
        key = id(view.node)
        found = self._memo.get(key)
        if found is None:
            self._memo[key] = _UNKNOWN  # a cycle through names reads as unknown
            found = self._memo[key] = self._range(view, depth)
        return found

    def _range(self, view: ExprView, depth: int) -> Range:
        kind = view.kind
        if kind == "number":
            value = view.number()
            if value is None:
                return _UNKNOWN
            return _POS if value > 0 else Range(NONNEG if value == 0 else ANY)
        if kind == "name":
            if view.qualified() in _POSITIVE_CONSTANTS:
                return _POS
            return self._name(view, depth)
        if kind == "attribute":
            if view.qualified() in _POSITIVE_CONSTANTS:
                return _POS
            return _POS if is_eps_name(view.attribute()) else _UNKNOWN
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
                return _UNKNOWN if inner.kind == UNKNOWN else Range(ANY, inner.tags, inner.reduced)
            return _UNKNOWN
        if kind == "binop":
            left, right = view.operands()
            return self._binop(view.operator(), left, right, depth)
        if kind == "compare":
            ranges = [self.range(o, depth + 1) for o in view.operands()]
            return Range(NONNEG, frozenset({"hard"} if _any_pred(ranges) else {"mask"}))
        if kind == "call":
            return self._call(view, depth)
        return _UNKNOWN

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
                return _POS
            return result
        info = view.param(strict=True)
        if info is not None:
            return self._param(view, info, depth)
        if is_eps_name(name):
            return _POS
        source = view.unpacked_from()
        if source is not None:
            return self.range(source, depth + 1)
        if name is not None and "mask" in name.lower():
            return Range(NONNEG, frozenset({"mask"}))
        return _UNKNOWN

    def _param(self, view: ExprView, info: ParamInfo, depth: int) -> Range:
        if is_eps_name(info.name):
            return _POS
        role = self.role(view, info)
        if role is not None:
            return Range(ANY, frozenset({role}))
        default = view.param_default(info)
        if default is not None:
            value = default.number()
            if value is not None and value > 0:
                return _POS
        if "mask" in info.name.lower():
            return Range(NONNEG, frozenset({"mask"}))
        return _UNKNOWN

    def _binop(self, op: str | None, left: ExprView, right: ExprView, depth: int) -> Range:
        a = self.range(left, depth + 1)
        if op == "**":
            return self._power(a, left, right.number(), depth)
        b = self.range(right, depth + 1)
        if op == "-" and b.below_one and (left.number() or 0) >= 1:
            return Range(POS, b.tags)  # 1 - clip(p, eps, 1 - eps)
        return _combine(op, a, b)

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
            return _UNKNOWN
        if exponent == 0:
            return _POS
        if base.kind == POS:
            return _POS
        if exponent is None or base.kind == UNKNOWN:
            return _UNKNOWN
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
        if short in _EPS_CALLS:
            return _POS
        if short in _PROB_CALLS:
            return Range(POS, frozenset({"prob"}))
        if short in _POS_CALLS:
            return _POS
        if first is None:
            return _UNKNOWN
        inner = self.range(first, depth + 1)
        if short in _CLIP_CALLS:
            low = view.arg(1, "clip_value_min", "min_value", "a_min", "x_min", "min")
            if low is None:
                return _UNKNOWN
            low_range = self.range(low, depth + 1)
            high = view.arg(2, "clip_value_max", "max_value", "a_max", "x_max", "max")
            below_one = self._below_one(high, depth)
            if low_range.kind == POS:
                return Range(POS, inner.tags, inner.reduced, below_one)
            if low.number() == 0 and inner.kind != UNKNOWN:
                return Range(NONNEG, inner.tags, inner.reduced, below_one)
            return _UNKNOWN
        if short in _MAX_CALLS:
            ranges = [self.range(a, depth + 1) for a in args[:2]]
            if any(r.kind == POS for r in ranges):
                return Range(POS, _tags(ranges), any(r.reduced for r in ranges))
            if len(ranges) == 2 and all(r.kind != UNKNOWN for r in ranges) and any(
                a.number() == 0 for a in args[:2]
            ):
                return Range(NONNEG, _tags(ranges), any(r.reduced for r in ranges))
            return _UNKNOWN
        if short in _MIN_CALLS:
            ranges = [self.range(a, depth + 1) for a in args[:2]]
            if len(ranges) < 2 or any(r.kind == UNKNOWN for r in ranges):
                return _UNKNOWN
            below_one = any(self._below_one(a, depth) for a in args[:2])
            if all(r.kind == POS for r in ranges):
                return Range(POS, _tags(ranges), below_one=below_one)
            kind = NONNEG if all(r.kind in (POS, NONNEG) for r in ranges) else ANY
            return Range(kind, _tags(ranges), any(r.reduced for r in ranges), below_one)
        if short in _BINARY_CALLS:
            if len(args) < 2:
                return _UNKNOWN
            op = _BINARY_CALLS[short]
            if op == "**":
                return self._power(inner, first, args[1].number(), depth)
            return _combine(op, inner, self.range(args[1], depth + 1))
        if short == "squared_difference":
            if len(args) < 2:
                return _UNKNOWN
            ranges = [inner, self.range(args[1], depth + 1)]
            if any(r.kind == UNKNOWN for r in ranges):
                return _UNKNOWN
            return Range(NONNEG, _error_tags(ranges) or _tags(ranges))
        if inner.kind == UNKNOWN:
            return _UNKNOWN
        if short in _SQUARE_CALLS or short in _NONNEG_CALLS:
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
        if short in _TRANSPARENT:
            return inner
        if short in _HARD_CALLS:
            tags = frozenset({"hard"}) if _any_pred([inner]) else inner.tags
            return Range(NONNEG, tags, inner.reduced)
        if short in _COMPARE_CALLS:
            ranges = [self.range(a, depth + 1) for a in args]
            return Range(NONNEG, frozenset({"hard"} if _any_pred(ranges) else {"mask"}))
        if short in _ANY_CALLS:
            ranges = [inner] + [self.range(a, depth + 1) for a in args[1:]]
            if any(r.kind == UNKNOWN for r in ranges):
                return _UNKNOWN
            return Range(ANY, _tags(ranges), any(r.reduced for r in ranges))
        return _UNKNOWN

    def _sublayer_call(self, view: ExprView, depth: int) -> Range:
        """``self.dense(x)`` in a layer or model: a tensor computed from the input."""
        if self.context not in ("layer", "model"):
            return _UNKNOWN
        receiver = view.receiver()
        while receiver is not None and receiver.kind == "attribute":  # self.model.encoder(x)
            receiver = receiver.operands()[0]
        if receiver is None or receiver.name() != "self":
            return _UNKNOWN
        for arg in view.args()[:1]:
            r = self.range(arg, depth + 1)
            if r.tags & {"input", "pred", "label", "hidden"}:
                return Range(ANY, frozenset({"hidden"}))
        return _UNKNOWN

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
        return bool(_error_tags(ranges))

    # -- exp overflow (KC504) --------------------------------------------------------------------

    def bounded(self, view: ExprView, depth: int = 0) -> bool:
        """Bounded on both sides: ``tanh``, ``sigmoid``, ``clip``, cosine similarities, constants."""
        if depth > _MAX_DEPTH:
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
            if short in _PRODUCT_CALLS:
                # similarities of l2-normalised vectors (contrastive losses) are in [-1, 1]
                # and so are products of a tanh/sigmoid output with a weight (HAN attention:
                # exp(K.dot(K.tanh(...), self.u))): in practice far from exp's overflow
                tensors = [a for a in view.args() if a.kind not in ("number", "string")]
                return any(self.bounded(a, depth + 1) for a in tensors) and all(
                    _is_weight(a) or self.bounded(a, depth + 1) for a in tensors)
            if short in _TRANSPARENT or short in SUM_CALLS:
                first = view.arg(0, "x", "a", "input_tensor")
                return first is not None and self.bounded(first, depth + 1)
        return False

    def bounded_above(self, view: ExprView, depth: int = 0) -> bool:
        """``exp`` of this cannot overflow: bounded values, ``x - max(x)``, ``-square(x)``..."""
        if depth > _MAX_DEPTH or self.bounded(view, depth):
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
            if short in _MIN_CALLS:
                return any(a.number() is not None for a in view.args())
            if short in _TRANSPARENT or short in SUM_CALLS:
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
        if depth > _MAX_DEPTH or self.bounded(view, depth):
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
        if depth > _MAX_DEPTH:
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
    return view.kind == "call" and library_short(view) in _MAX_LIKE


def _combine(op: str | None, a: Range, b: Range) -> Range:
    tags = a.tags | b.tags
    reduced = a.reduced or b.reduced
    spread = a.spread or b.spread
    if op == "+":
        if a.kind == POS or b.kind == POS:
            return Range(POS, tags, reduced, spread=spread)
        if UNKNOWN in (a.kind, b.kind):
            return _UNKNOWN
        return Range(NONNEG if a.kind == b.kind == NONNEG else ANY, tags, reduced, spread=spread)
    if UNKNOWN in (a.kind, b.kind):
        return _UNKNOWN
    if op == "-":
        return Range(ANY, tags, reduced, spread=spread)
    if op == "*":
        if a.kind == b.kind == POS:
            return Range(POS, tags, reduced, spread=spread)
        return Range(ANY if ANY in (a.kind, b.kind) else NONNEG, tags, reduced, spread=spread)
    if op == "/":
        if ANY in (a.kind, b.kind):
            return Range(ANY, tags, reduced, spread=spread)
        return Range(a.kind, tags, reduced, spread=spread)
    if op in ("&", "|", "^"):
        return Range(NONNEG, frozenset({"hard"}) if "hard" in tags else frozenset({"mask"}))
    return _UNKNOWN


def _tags(ranges: Iterable[Range]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for r in ranges:
        out |= r.tags
    return out


def _any_pred(ranges: Iterable[Range]) -> bool:
    return any(r.tags & {"pred", "prob", "hard"} for r in ranges)


def _error_tags(ranges: list[Range]) -> frozenset[str]:
    """{"error"} when the two sides are the prediction and the label."""
    if len(ranges) != 2:
        return frozenset()
    a, b = ranges[0].tags, ranges[1].tags
    if a and b and a <= {"pred", "prob"} and b <= {"label"} or (
        a and b and b <= {"pred", "prob"} and a <= {"label"}
    ):
        return frozenset({"error"})
    return frozenset()


def peel(view: ExprView) -> ExprView:
    """Strip shape-only calls (``cast``, ``reshape``...) and follow names, as far as known."""
    for _ in range(8):
        if view.kind == "name":
            followed = view.follow()
            if followed is None:
                return view
            view = followed
        elif view.kind == "call" and library_short(view) in _TRANSPARENT:
            first = view.arg(0, "x", "a", "tensor", "value")
            if first is None:
                return view
            view = first
        else:
            return view
    return view


def peel_guard(view: ExprView) -> ExprView:
    """Strip shape-only calls and epsilon offsets (``(s + eps)`` -> ``s``)."""
    for _ in range(8):
        view = peel(view)
        if view.kind == "binop" and view.operator() == "+":
            left, right = view.operands()
            if _is_small_constant(right):
                view = left
                continue
            if _is_small_constant(left):
                view = right
                continue
        return view
    return view


def _is_small_constant(view: ExprView) -> bool:
    number = view.number()
    if number is not None:
        return 0 < number <= 1e-3
    if view.kind == "call":
        return library_short(view) in _EPS_CALLS
    return is_eps_name(view.name() or view.attribute())


def display(callee: str) -> str:
    """How users usually spell a canonical callee: ``keras.backend.log`` -> ``K.log``."""
    for prefix, short in (("keras.backend.", "K."), ("keras.ops.", "ops."), ("numpy.", "np."),
                          ("jnp.", "jnp."), ("tf.math.", "tf.math.")):
        if callee.startswith(prefix):
            return short + callee[len(prefix):]
    return callee


def family(callee: str) -> str:
    """``"K"``, ``"ops"``, ``"np"`` or ``"tf"``: which library spelling to suggest in a fix."""
    if callee.startswith("keras.backend."):
        return "K"
    if callee.startswith("keras.ops."):
        return "ops"
    if callee.startswith(("numpy.", "jnp.")):
        return "np"
    return "tf"


CLIP = {"K": "K.clip({x}, K.epsilon(), 1.0)", "ops": "ops.clip({x}, 1e-7, 1.0)",
        "np": "np.clip({x}, 1e-7, 1.0)", "tf": "tf.clip_by_value({x}, 1e-7, 1.0)"}
MAXIMUM = {"K": "K.maximum({x}, K.epsilon())", "ops": "ops.maximum({x}, 1e-7)",
           "np": "np.maximum({x}, 1e-7)", "tf": "tf.maximum({x}, 1e-7)"}
EPS = {"K": "K.epsilon()", "ops": "1e-7", "np": "1e-7", "tf": "1e-7"}


def function_family(sites: Iterable[object], function: str | None, default: str) -> str:
    """The library the function's own numeric calls use (for ``/``, which names none)."""
    for site in sites:
        if getattr(site, "function", None) == function and getattr(site, "callee", "/") != "/":
            return family(site.callee)  # type: ignore[attr-defined]
    return default


def where(site: object) -> str:
    """``"in custom_loss"`` or ``""``."""
    function = getattr(site, "function", None)
    return f" in {function}()" if function else ""
