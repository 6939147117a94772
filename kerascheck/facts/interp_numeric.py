"""The numeric-site part of the interpreter: where ``log``/``sqrt``/``exp``/division and
logits losses are written, with what the names there were bound to.

Separate because it only records, it never changes a value: the numeric rules (KC501-KC505) and
KC103 re-read the recorded expressions through ``exprs.ExprView``, so this part just keeps each
site's operand, the binding snapshot and the enclosing user function.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts.env import Env
from kerascheck.facts.interp_state import InterpreterState, NumericRec
from kerascheck.facts.values import ModelB, ModelOut, Obj

NUMERIC_OPS = {"log": "log", "log1p": "log1p", "log2": "log", "log10": "log", "sqrt": "sqrt",
               "rsqrt": "rsqrt", "exp": "exp", "pow": "pow", "power": "pow",
               "divide": "divide", "truediv": "divide", "true_divide": "divide", "div": "divide"}
NUMERIC_FAMILIES = ("tf.math.", "keras.ops.", "keras.backend.", "numpy.", "jnp.",
                    "tf.experimental.numpy.", "torch.")


class NumericSitesMixin(InterpreterState):
    """Records numeric calls, divisions and model outputs handed to logits losses."""

    def _record_numeric_call(self, name: str, short: str, node: cst.Call,
                             arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg],
                             env: Env) -> None:
        op = NUMERIC_OPS.get(short)
        if op is None or not name.startswith(NUMERIC_FAMILIES) or id(node) in self.numeric:
            return
        if op == "divide":
            if len(arg_nodes) < 2:
                return
            operand, numerator = arg_nodes[1].value, arg_nodes[0].value
        else:
            first = arg_nodes[0].value if arg_nodes else next(
                (a.value for k, a in kw_nodes.items() if k in ("x", "a")), None)
            if first is None:
                return
            operand, numerator = first, None
        self.numeric[id(node)] = NumericRec(op, name, operand, numerator, self.loc(node),
                                            env.node_snapshot(), self._frames[-1].function)

    def _record_logits_use(self, name: str, short: str, from_logits: Any, args: tuple[Any, ...],
                           kwargs: dict[str, Any], node: cst.Call) -> None:
        """A loss that applies softmax/sigmoid to its input, given a model's output (KC103)."""
        applies = LOGITS_LOSSES.get(short)
        family = name.rsplit(".", 1)[0]
        if applies is None or family not in _LOGITS_FAMILIES:
            return
        if family in ("tf.nn", "tf.compat.v1.nn", "tf.compat.v1.losses"):
            if not (short.endswith("_with_logits") or family == "tf.compat.v1.losses"):
                return
        elif from_logits is not True:
            return
        logits = next((kwargs[k] for k in ("logits", "y_pred", "output") if k in kwargs),
                      args[1] if len(args) > 1 else None)
        model = _model_output(logits)
        if model is not None and all(loc.node is not node for _, _, loc in model.logits_uses):
            model.logits_uses.append((name, applies, self.loc(node)))

    def _record_division(self, denominator: cst.BaseExpression, numerator: Any, node: cst.CSTNode,
                         env: Env) -> None:
        if id(node) in self.numeric or self._frames[-1].function is None:
            return
        self.numeric[id(node)] = NumericRec("divide", "/", denominator, numerator, self.loc(node),
                                            env.node_snapshot(), self._frames[-1].function)




# Losses that apply an activation to their predictions (always for tf.nn's *_with_logits and
# TF1's tf.compat.v1.losses, with from_logits=True for Keras'), by short name: what they apply.
LOGITS_LOSSES = {
    "softmax_cross_entropy_with_logits": "softmax",
    "softmax_cross_entropy_with_logits_v2": "softmax",
    "sparse_softmax_cross_entropy_with_logits": "softmax",
    "sigmoid_cross_entropy_with_logits": "sigmoid",
    "weighted_cross_entropy_with_logits": "sigmoid",
    "softmax_cross_entropy": "softmax",
    "sparse_softmax_cross_entropy": "softmax",
    "sigmoid_cross_entropy": "sigmoid",
    "categorical_crossentropy": "softmax",
    "sparse_categorical_crossentropy": "softmax",
    "categorical_focal_crossentropy": "softmax",
    "binary_crossentropy": "sigmoid",
    "binary_focal_crossentropy": "sigmoid",
    "CategoricalCrossentropy": "softmax",
    "SparseCategoricalCrossentropy": "softmax",
    "CategoricalFocalCrossentropy": "softmax",
    "BinaryCrossentropy": "sigmoid",
    "BinaryFocalCrossentropy": "sigmoid",
}
_LOGITS_FAMILIES = frozenset(
    {"tf.nn", "tf.compat.v1.nn", "tf.compat.v1.losses", "keras.losses", "keras.backend",
     "keras.ops"}
)
# Loss classes whose first positional parameter is ``from_logits``.
LOGITS_FIRST = frozenset(
    {"BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy"}
)
# Calls that keep a tensor's values (and its last axis): a model output through them is still it.
_VALUE_KEEPING_OPS = frozenset(
    {"reshape", "cast", "squeeze", "expand_dims", "identity", "convert_to_tensor", "ensure_shape"}
)


def _model_output(value: Any, depth: int = 0) -> ModelB | None:
    """The model whose output ``value`` is, unchanged but for a reshape or cast."""
    if isinstance(value, ModelOut):
        return value.model
    if isinstance(value, Obj) and value.short in _VALUE_KEEPING_OPS and depth < 4 and (
            value.name.startswith(("tf.", "keras."))):
        return _model_output(value.arg("tensor", 0, value.arg("x")), depth + 1)
    return None
