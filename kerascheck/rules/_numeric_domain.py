"""The abstract domain of the numeric-safety rules: value ranges, and how numeric code is spelled.

The question every numeric rule asks is "can this value be 0 (or overflow), and does it come from the
model's tensors?". ``Analyzer.range`` answers it with a tiny abstract domain over an ``ExprView``:

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

Separate from the analyzers (``_numeric_range``, ``_numeric_bounds``) because it is the vocabulary
they share with each other and with the rules: the kinds and tags, how two ranges combine under an
operator, which library calls are positive, transparent, reductions..., which parameter names are
predictions or labels, and how to see through casts and epsilons (``peel``, ``peel_guard``).
Private (the leading underscore keeps rule discovery out of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView

POS = "pos"
NONNEG = "nonneg"
ANY = "any"
UNKNOWN = "unknown"


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


UNKNOWN_RANGE = Range(UNKNOWN)
POS_RANGE = Range(POS)
MAX_DEPTH = 14

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

POSITIVE_CONSTANTS = frozenset({"numpy.pi", "math.pi", "numpy.e", "math.e", "math.tau",
                                 "numpy.inf", "math.inf"})
EPS_CALLS = frozenset({"epsilon"})
POS_CALLS = frozenset({"exp", "exp2", "softplus", "cosh", "ones", "ones_like"})
PROB_CALLS = frozenset({"softmax", "sigmoid"})
CLIP_CALLS = frozenset({"clip", "clip_by_value", "clamp"})
MAX_CALLS = frozenset({"maximum", "fmax"})
MIN_CALLS = frozenset({"minimum", "fmin"})
SQUARE_CALLS = frozenset({"abs", "absolute", "square", "fabs"})
NONNEG_CALLS = frozenset({"relu", "relu6", "sqrt", "hard_sigmoid"})
# Reductions that are >= 0 whatever their input (norms, spreads, counts).
NORM_CALLS = frozenset({"norm", "reduce_std", "std", "reduce_variance", "var", "variance",
                        "reduce_euclidean_norm", "count_nonzero", "l2_loss", "nanstd", "nanvar"})
# Reductions that keep the sign of their input.
SUM_CALLS = frozenset({"reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
                       "sum", "mean", "max", "min", "amax", "amin", "prod", "average", "nansum",
                       "nanmean", "cumsum", "cumprod"})
REDUCTIONS = NORM_CALLS | SUM_CALLS
TRANSPARENT_CALLS = frozenset({
    "cast", "reshape", "flatten", "batch_flatten", "squeeze", "expand_dims", "identity",
    "stop_gradient", "convert_to_tensor", "transpose", "gather", "gather_nd", "boolean_mask", "tile",
    "repeat", "repeat_elements", "broadcast_to", "to_float", "cast_to_floatx", "ensure_shape",
    "permute_dimensions", "reverse", "asarray", "array", "constant", "float32", "float64", "split",
    "unstack", "array_split",
})
HARD_CALLS = frozenset({"round", "rint", "floor", "ceil", "argmax", "argmin", "one_hot"})
COMPARE_CALLS = frozenset({"greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
                            "logical_and", "logical_or", "logical_not", "isclose"})
BINARY_CALLS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "truediv": "/",
                 "true_divide": "/", "div": "/", "pow": "**", "power": "**"}
ANY_CALLS = frozenset({"log", "log1p", "log2", "log10", "tanh", "sin", "cos", "erf", "sign",
                        "matmul", "dot", "tensordot", "einsum", "batch_dot", "log_softmax",
                        "log_sigmoid", "reduce_logsumexp", "logsumexp", "negative", "l2_normalize",
                        "xlogy"})
BOUNDED_CALLS = frozenset({"tanh", "sigmoid", "sin", "cos", "softsign", "hard_sigmoid", "clip",
                           "clip_by_value", "clamp", "log_sigmoid", "log_softmax", "erf",
                           "cosine_similarity", "l2_normalize", "softmax", "one_hot", "round",
                           "sign", "ones_like", "zeros_like"})
PRODUCT_CALLS = frozenset({"matmul", "dot", "tensordot", "einsum", "batch_dot", "multiply"})
MAX_LIKE_CALLS = frozenset({"reduce_max", "max", "amax", "reduce_logsumexp", "logsumexp"})


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



def combine(op: str | None, a: Range, b: Range) -> Range:
    tags = a.tags | b.tags
    reduced = a.reduced or b.reduced
    spread = a.spread or b.spread
    if op == "+":
        if a.kind == POS or b.kind == POS:
            return Range(POS, tags, reduced, spread=spread)
        if UNKNOWN in (a.kind, b.kind):
            return UNKNOWN_RANGE
        return Range(NONNEG if a.kind == b.kind == NONNEG else ANY, tags, reduced, spread=spread)
    if UNKNOWN in (a.kind, b.kind):
        return UNKNOWN_RANGE
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
    return UNKNOWN_RANGE


def joined_tags(ranges: Iterable[Range]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for r in ranges:
        out |= r.tags
    return out


def any_pred(ranges: Iterable[Range]) -> bool:
    return any(r.tags & {"pred", "prob", "hard"} for r in ranges)


def error_tags(ranges: list[Range]) -> frozenset[str]:
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
        elif view.kind == "call" and library_short(view) in TRANSPARENT_CALLS:
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
        return library_short(view) in EPS_CALLS
    return is_eps_name(view.name() or view.attribute())

