"""KC502: division by a sum, norm or standard deviation that can be 0."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, NumericSite
from kerascheck.rules import _numeric as num
from kerascheck.rules.base import Finding, Rule, RuleContext

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView

# Where a zero denominator really happens: sums of labels (an empty mask, a batch without positives)
# and of rounded predictions, and sums, norms and spreads of a layer's inputs (a zero vector, a
# constant feature). Sums of soft predictions (a softmax sums to 1), errors (0 only at a perfect fit),
# padding masks (never all zero over a batch) and learned projections (never exactly 0) are not.
COUNT_TAGS = frozenset({"label", "hard"})
INPUT_TAGS = frozenset({"input"})
_SQRT_CONTEXTS = frozenset({"loss", "layer", "model"})  # where KC503 reports a sqrt denominator


class DivisionByUnguardedDenominator(Rule):
    """Division by a sum, norm or standard deviation that can be 0, without an epsilon: NaN.

    ## What it flags
    In a custom loss, metric, layer or model, a division (`/`, `/=`, `tf.math.divide`) whose
    denominator is a reduction that ordinary batches make 0 -- a sum of the labels or of rounded
    predictions (`K.sum(y_true) + K.sum(y_pred)` in a Dice coefficient, `K.sum(K.round(y_pred))` in a
    precision metric), or a sum, norm or standard deviation of a
    layer's inputs (`x / tf.norm(x)`, `(x - mean) / K.std(x)`) -- with no guard: no `+ eps`/`+ smooth`,
    no `maximum(x, eps)`, not `tf.math.divide_no_nan`. Division by constants and batch sizes, by sums
    of soft predictions (`y_pred / K.sum(y_pred, axis=-1, keepdims=True)`: a softmax sums to 1), by
    padding-mask counts (the masked mean `tf.reduce_sum(loss * mask) / tf.reduce_sum(mask)`, with
    the mask built from the labels or passed in as `mask`), by errors
    (`K.mean(K.square(y_pred - y_true))`, 0 only at a perfect fit) and by norms of learned
    projections is not flagged.

    Values that cannot turn the weights NaN are not checked: those not
    computed from the model's tensors -- constants and configuration (a layer's `__init__` or
    `build`), shapes and counts (`tf.shape`, `tf.size`, `count_nonzero`, `x.shape[0]`),
    comparisons and integer or boolean casts, `stop_gradient` -- and values only a metric reads
    (a function that computes an accuracy, an argument of `tracker.update_state(...)`).

    ## Why it breaks training
    The denominator is exactly 0 for perfectly ordinary batches: a segmentation mask with no
    foreground, a batch without positive labels, an all-zero (padded) feature vector, a constant
    feature. `0 / 0` is NaN and `x / 0` is inf; in a loss that NaN reaches every gradient and the
    weights, in a metric it makes the reported value (and any checkpoint or early stopping that
    monitors it) NaN.

    ## Example
    ```python
    from tensorflow import keras
    from tensorflow.keras import backend as K

    def dice_coef(y_true, y_pred):
        intersection = K.sum(y_true * y_pred)
        return 2.0 * intersection / (K.sum(y_true) + K.sum(y_pred))

    def dice_loss(y_true, y_pred):
        return 1.0 - dice_coef(y_true, y_pred)

    inputs = keras.Input(shape=(128, 128, 3))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    outputs = keras.layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=dice_loss)
    ```

    ## Fix
    ```python
    from tensorflow import keras
    from tensorflow.keras import backend as K

    def dice_coef(y_true, y_pred, smooth=1.0):
        intersection = K.sum(y_true * y_pred)
        return (2.0 * intersection + smooth) / (K.sum(y_true) + K.sum(y_pred) + smooth)

    def dice_loss(y_true, y_pred):
        return 1.0 - dice_coef(y_true, y_pred)

    inputs = keras.Input(shape=(128, 128, 3))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    outputs = keras.layers.Conv2D(1, 1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss=dice_loss)
    ```
    Add a smoothing term or epsilon to the denominator (`+ smooth`, `+ K.epsilon()`), bound it
    (`tf.maximum(norm, 1e-12)`), or use `tf.math.divide_no_nan`; to normalise vectors use
    `tf.math.l2_normalize` / `keras.utils.normalize`, which guard against zero norms.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/math/divide_no_nan
    - https://www.tensorflow.org/api_docs/python/tf/math/l2_normalize
    - https://stackoverflow.com/questions/49785133/keras-dice-coefficient-loss-function-is-negative-and-increasing-with-epochs
    """

    code = "KC502"
    name = "division-by-unguarded-denominator"
    severity = Severity.WARNING
    options = {
        "contexts": num.contexts_option(num.DEFAULT_CONTEXTS),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for site in num.checked_sites(facts, ctx, ("divide",)):
            analyzer = num.Analyzer(site.context)
            rng = analyzer.range(site.operand)
            if not rng.can_be_zero or not rng.reduced:
                continue
            if not (rng.tags & INPUT_TAGS or rng.tags & COUNT_TAGS and not rng.spread):
                continue
            core = num.peel(site.operand)
            if core.kind == "call" and num.library_short(core) in ("sqrt", "rsqrt") and (
                site.context in _SQRT_CONTEXTS
            ):
                continue  # KC503 reports the sqrt itself
            yield Finding(site.loc, _message(facts, site, core, rng))


def _calls(view: ExprView, depth: int = 0) -> list[str]:
    """Short names of the library calls in ``view``, through names (``s = K.sum(y_true); ... / s``)."""
    found: list[str] = []
    for sub in view.walk():
        if sub.kind == "call":
            short = num.library_short(sub)
            if short is not None:
                found.append(short)
        elif sub.kind == "binop" and sub.operator() == "**":
            found.append("square")
        elif sub.kind == "name" and depth < 4:
            followed = sub.follow()
            if followed is not None:
                found.extend(_calls(followed, depth + 1))
    return found


def _message(facts: FileFacts, site: NumericSite, core: ExprView, rng: num.Range) -> str:
    den = site.operand.text()
    fam = num.function_family(facts.numeric_sites, site.function, "tf") if site.callee == "/" else (
        num.family(site.callee))
    calls = set(_calls(site.operand))
    guarded = f"({den} + {num.EPS[fam]})"
    if calls & {"norm", "reduce_euclidean_norm"}:
        why = "a vector is all zeros"
        fix = f"use tf.math.l2_normalize(x, axis=-1), or divide by {num.MAXIMUM[fam].format(x=den)}"
    elif calls & {"std", "reduce_std", "var", "reduce_variance", "variance", "nanstd", "nanvar"}:
        why = "the values are constant"
        fix = f"divide by {guarded}"
    elif calls & {"square", "abs", "sqrt", "squared_difference"}:
        why = "the values are all zero or constant"
        fix = f"divide by {guarded}"
    elif "label" in rng.tags:
        why = "a batch has no positive labels (an empty mask)"
        fix = f"add a smoothing term, {guarded}, or use tf.math.divide_no_nan"
    elif "hard" in rng.tags:
        why = "nothing in the batch is predicted positive"
        fix = f"divide by {guarded}"
    else:
        why = "the inputs are all zeros"
        fix = f"divide by {guarded}"
    what = ("the metric (and any loss built on it)" if site.context == "metric"
            else "the loss and then the weights")
    return f"division by {den}{num.where(site)} is NaN or inf when {why}, which makes {what} NaN; {fix}"
