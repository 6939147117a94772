"""KC504: hand-written softmax or sigmoid whose exp overflows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, NumericSite
from kerascheck.rules import _numeric as num
from kerascheck.rules.base import Finding, Rule, RuleContext

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView


class ExpOverflow(Rule):
    """Hand-written softmax or sigmoid: `exp` of an unbounded input overflows to inf and gives NaN.

    ## What it flags
    In a custom layer, model or loss, a softmax or sigmoid computed by hand from the layer's or
    loss's inputs: `exp(x) / reduce_sum(exp(x))` (also `e = K.exp(x); e / K.sum(e, ...)` and
    `a /= K.sum(a, ...)`), `1 / (1 + exp(-x))` and `exp(x) / (1 + exp(x))` -- unless the input is
    bounded first (`x - reduce_max(x)`, `tanh`, `clip`, a cosine similarity). A bare `exp` (such as
    the VAE's `exp(0.5 * z_log_var)`) is not flagged.

    Values that cannot turn the weights NaN are not checked: those not
    computed from the model's tensors -- constants and configuration (a layer's `__init__` or
    `build`), shapes and counts (`tf.shape`, `tf.size`, `count_nonzero`, `x.shape[0]`),
    comparisons and integer or boolean casts, `stop_gradient` -- and values only a metric reads
    (a function that computes an accuracy, an argument of `tracker.update_state(...)`).

    ## Why it breaks training
    In float32, `exp(x)` is inf for `x > 88.7`. Logits that large appear as soon as weights grow or
    inputs are unscaled; the softmax then computes `inf / inf = NaN` (and `1 / (1 + exp(-x))` has a
    NaN gradient for `x < -88`), the loss becomes NaN and every weight follows. The library functions
    subtract the maximum before exponentiating and never overflow.

    ## Example
    ```python
    import tensorflow as tf
    from tensorflow import keras

    class AttentionPooling(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 1), initializer="glorot_uniform")

        def call(self, x):
            scores = tf.matmul(x, self.w)
            weights = tf.exp(scores) / tf.reduce_sum(tf.exp(scores), axis=1, keepdims=True)
            return tf.reduce_sum(weights * x, axis=1)

    inputs = keras.Input(shape=(50, 64))
    pooled = AttentionPooling()(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid")(pooled)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import tensorflow as tf
    from tensorflow import keras

    class AttentionPooling(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 1), initializer="glorot_uniform")

        def call(self, x):
            scores = tf.matmul(x, self.w)
            weights = tf.nn.softmax(scores, axis=1)
            return tf.reduce_sum(weights * x, axis=1)

    inputs = keras.Input(shape=(50, 64))
    pooled = AttentionPooling()(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid")(pooled)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```
    Use `tf.nn.softmax` / `keras.ops.softmax` / `K.softmax`, `tf.sigmoid` / `keras.ops.sigmoid`, and
    `tf.nn.log_softmax` / `tf.reduce_logsumexp` for logs of them; when writing it by hand, subtract
    the maximum first: `e = tf.exp(x - tf.reduce_max(x, axis=-1, keepdims=True))`.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/nn/softmax
    - https://cs231n.github.io/linear-classify/#softmax-classifier
    - https://stackoverflow.com/questions/42599498/numerically-stable-softmax
    """

    code = "KC504"
    name = "exp-overflow"
    severity = Severity.WARNING
    options = {
        "contexts": num.contexts_option(["loss", "layer", "model"]),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for site in num.checked_sites(facts, ctx, ("divide",)):
            if site.numerator is None:
                continue
            analyzer = num.Analyzer(site.context)
            shape = _handwritten(analyzer, site.numerator, site.operand)
            if shape is not None:
                yield Finding(site.loc, _message(facts, site, shape))


def _exp_argument(view: ExprView) -> ExprView | None:
    """For ``exp(z)`` (through names and casts), ``z``."""
    view = num.peel(view)
    if view.kind == "call" and num.library_short(view) == "exp":
        return view.arg(0, "x", "a")
    return None


def _unbounded(analyzer: num.Analyzer, z: ExprView, negated: bool = False) -> bool:
    if negated:
        if z.kind == "unary" and z.operator() == "-":
            return _unbounded(analyzer, z.operands()[0])
        return not analyzer.bounded_below(z) and analyzer.mentions_input(z)
    return not analyzer.bounded_above(z) and analyzer.mentions_input(z)


def _handwritten(analyzer: num.Analyzer, numerator: ExprView, denominator: ExprView) -> str | None:
    """``"softmax"`` or ``"sigmoid"`` when the division is one written by hand over unbounded input."""
    den = num.peel_guard(denominator)
    z = _exp_argument(numerator)
    # softmax: exp(z) / sum(exp(z))
    if z is not None and den.kind == "call" and num.library_short(den) in ("reduce_sum", "sum"):
        summed = den.arg(0, "x", "a", "input_tensor")
        if summed is not None and _exp_argument(summed) is not None and _unbounded(analyzer, z):
            return "softmax"
    # sigmoid: 1 / (1 + exp(-z)) or exp(z) / (1 + exp(z))
    if den.kind == "binop" and den.operator() == "+":
        left, right = den.operands()
        exp_side = right if left.number() is not None else left if right.number() is not None else None
        if exp_side is None:
            return None
        w = _exp_argument(exp_side)
        if w is None:
            return None
        if numerator.number() is not None and _unbounded(analyzer, w, negated=True):
            return "sigmoid"
        if z is not None and _unbounded(analyzer, w):
            return "sigmoid"
    return None


def _message(facts: FileFacts, site: NumericSite, shape: str) -> str:
    fam = num.function_family(facts.numeric_sites, site.function, "tf")
    if shape == "softmax":
        use = {"K": "K.softmax(x)", "ops": "keras.ops.softmax(x)"}.get(fam, "tf.nn.softmax(x)")
        return (f"{site.numerator.text()} / {site.operand.text()}{num.where(site)} is a hand-written "
                f"softmax: exp overflows to inf for inputs above ~88 in float32 and inf/inf is NaN; "
                f"use {use} or subtract the max first")
    use = {"K": "K.sigmoid(x)", "ops": "keras.ops.sigmoid(x)"}.get(fam, "tf.sigmoid(x)")
    return (f"{site.numerator.text()} / {site.operand.text()}{num.where(site)} is a hand-written "
            f"sigmoid: exp overflows to inf for large inputs, which gives NaN gradients; use {use}")
