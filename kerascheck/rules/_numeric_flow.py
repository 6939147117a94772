"""Which numeric sites can break training: does the sensitive value flow from the model's tensors?

The sign analysis (``_numeric_range``) asks whether a value can be 0; this pass asks the question
before it: is the value computed from the tensors training differentiates (the predictions, the
inputs and sublayer outputs of a layer or model, and the labels they are compared with), through
operations that keep those values? Values that are not cannot turn the weights NaN:

- constants and configuration (``math.log(ratio[0])`` of a crop-ratio tuple given to a layer);
- shapes and counts: ``tf.shape``, ``tf.size``, ``tf.rank``, ``K.int_shape``, ``x.shape[0]``,
  ``count_nonzero`` (a batch is never empty, and none of them has a gradient);
- comparisons and casts to integer or boolean dtypes (``tf.cast(tf.equal(y_true, 0), ...)``): a
  mask built from the labels is a count, so the masked mean ``reduce_sum(loss * mask) /
  reduce_sum(mask)`` is guarded the way Keras' own masked losses are;
- ``stop_gradient``, which the weights never see a gradient through.

A name is followed to what it holds; a value the analysis cannot see (an attribute, a user call)
counts as flowing, so this pass only ever removes sites the other analyses would report.
Private (the leading underscore keeps rule discovery out of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kerascheck.rules._numeric_domain import (
    MAX_DEPTH, SUM_CALLS, TRANSPARENT_CALLS, library_short, peel_guard,
)
from kerascheck.rules._numeric_range import RangeAnalyzer

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView

# Library calls whose result carries no gradient and holds no model value.
NO_FLOW_CALLS = frozenset({
    "shape", "shape_n", "size", "rank", "int_shape", "count_nonzero", "stop_gradient",
    "zeros", "zeros_like", "ones", "ones_like", "range", "arange", "linspace", "fill",
    "uniform", "normal", "truncated_normal", "random_uniform", "random_normal",
})
# Attributes that describe a tensor rather than hold its values.
NO_FLOW_ATTRIBUTES = frozenset({"shape", "ndim", "dtype", "size", "rank"})
_CASTS = frozenset({"cast", "to_int32", "to_int64", "cast_to_floatx", "to_float", "saturate_cast"})
_INTEGER_DTYPES = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                             "uint64", "bool"})
_INTEGER_CASTS = frozenset({"to_int32", "to_int64"})


class FlowAnalyzer:
    """``flows(view)``: whether ``view`` is computed from the model's tensors (see the module doc)."""

    def __init__(self, context: str) -> None:
        self._roles = RangeAnalyzer(context)
        self._memo: dict[int, bool] = {}

    def flows(self, view: ExprView, depth: int = 0) -> bool:
        if depth > MAX_DEPTH:
            return True
        key = id(view.node)
        found = self._memo.get(key)
        if found is None:
            self._memo[key] = True  # a cycle through names: do not remove the site
            found = self._memo[key] = self._flows(view, depth)
        return found

    def _flows(self, view: ExprView, depth: int) -> bool:
        kind = view.kind
        if kind in ("number", "string"):
            return False
        if kind == "compare":
            return False
        if kind == "name":
            followed = view.follow()
            if followed is not None:
                return self.flows(followed, depth + 1)
            info = view.param(strict=True)
            if info is not None:
                return self._roles.role(view, info) is not None
            source = view.unpacked_from()
            if source is not None:
                return self.flows(source, depth + 1)
            return True
        if kind == "attribute":
            return view.attribute() not in NO_FLOW_ATTRIBUTES
        if kind in ("subscript", "unary", "binop"):
            operands = view.operands()
            if kind == "subscript":
                operands = operands[:1]
            return any(self.flows(o, depth + 1) for o in operands)
        if kind == "call":
            return self._call(view, depth)
        return True

    def _call(self, view: ExprView, depth: int) -> bool:
        short = library_short(view)
        callee = view.callee() or ""
        if short is None:
            if callee in ("builtins.len", "len"):
                return False
            return True  # a user function, a sublayer: assume it computes from the tensors
        if short in NO_FLOW_CALLS:
            return False
        if short in _INTEGER_CASTS:
            return False
        args = view.args()
        if short in _CASTS:
            dtype = view.arg(1, "dtype")
            if dtype is not None and _dtype_name(dtype) in _INTEGER_DTYPES:
                return False
            first = args[0] if args else None
            return first is None or self.flows(first, depth + 1)
        if not args:
            return False  # K.epsilon(), tf.constant-like calls without inputs
        return any(self.flows(a, depth + 1) for a in args)


def _dtype_name(view: ExprView) -> str | None:
    """``"int32"`` for ``tf.int32``, ``"int32"``, ``np.int64``..., None otherwise."""
    if view.kind == "string":
        text = view.text().strip("'\"")
        return text
    if view.kind == "attribute":
        return view.attribute()
    if view.kind == "name":
        return view.name()
    return None


def flows_from_tensors(site: object) -> bool:
    """Whether the sensitive operand of a numeric site is computed from the model's tensors."""
    operand = getattr(site, "operand", None)
    if operand is None:
        return True
    return FlowAnalyzer(getattr(site, "context", "other")).flows(operand)


def masked_mean(site: object) -> bool:
    """``reduce_sum(loss * mask) / reduce_sum(mask)``: a mean over the unmasked positions.

    The mask is a name that says so (``mask``, ``padding_mask``, a parameter the caller builds
    from the labels) or a value that does not flow from the tensors (a comparison of the
    labels), and the numerator is weighted by the same mask (``loss *= mask`` before the sum
    counts). Keras' own masked losses divide the same way: the denominator is the number of real
    tokens, which a batch always has.
    """
    numerator = getattr(site, "numerator", None)
    operand = getattr(site, "operand", None)
    if getattr(site, "op", None) != "divide" or numerator is None or operand is None:
        return False
    den = peel_guard(operand)
    if den.kind != "call" or library_short(den) not in SUM_CALLS:
        return False
    summed = den.arg(0, "x", "input_tensor", "a")
    if summed is None:
        return False
    names = _mask_names(summed)
    return bool(names) and _mentions(numerator, names, 0)


def _mask_names(view: ExprView) -> set[str]:
    """Names on the way from ``view`` to its value (through names and casts) that say "mask"."""
    found: set[str] = set()
    for _ in range(6):
        name = view.name()
        if name is not None and "mask" in name.lower():
            found.add(name)
        if view.kind == "name":
            nxt = view.follow()
        elif view.kind == "call" and library_short(view) in TRANSPARENT_CALLS:
            nxt = view.arg(0, "x", "a", "tensor", "value")
        else:
            nxt = None
        if nxt is None:
            break
        view = nxt
    return found


def _mentions(view: ExprView, names: set[str], depth: int) -> bool:
    """Whether ``view`` reads one of ``names``, directly or through the names it reads."""
    if depth > 4:
        return False
    for sub in view.walk():
        if sub.kind != "name":
            continue
        if sub.name() in names:
            return True
        followed = sub.follow()
        if followed is not None and _mentions(followed, names, depth + 1):
            return True
    return False
