"""KC501: log of a value that can be 0."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, NumericSite
from kerascheck.fixes.intents import ClampLogArgument, FixIntent, intent
from kerascheck.rules import _numeric as num
from kerascheck.rules.base import Finding, Rule, RuleContext

FIRING_TAGS = frozenset({"pred", "label", "input", "prob", "hard"})


class LogOfUnclampedValue(Rule):
    """`log` of a prediction, label or input that is not clipped: log(0) = -inf and the loss turns NaN.

    ## What it flags
    A `log` call (`tf.math.log`, `tf.log`, `K.log`, `keras.ops.log`, `np.log`...) in a custom loss,
    metric, layer or model whose argument comes straight from the tensors the function receives
    (`y_pred`, `1 - y_pred`, `y_true`, a layer's `inputs`, `self(x)` in a `train_step`, a sum or product
    of them) without a guard: `clip_by_value`/`K.clip`/`ops.clip` with a positive lower bound,
    `maximum(x, eps)`, `x + eps` (a positive constant, `K.epsilon()`, a name like `eps`/`smooth`), or a
    strictly positive form (`exp`, `softplus`, `softmax`, `sigmoid`, `1 + square(x)`).

    A function counts as a loss when it is passed to `compile(loss=...)`, subclasses `Loss`, has
    `y_true`/`y_pred` parameters or a loss-like name; a layer when it is a `Layer.call` or is wrapped in
    `Lambda(...)`/`Activation(...)`. Code outside losses, metrics, layers and models (preprocessing such
    as `np.log(df["price"])`, NumPy evaluation helpers) is not checked unless the `contexts` option
    says so.

    Values that cannot turn the weights NaN are not checked: those not
    computed from the model's tensors -- constants and configuration (a layer's `__init__` or
    `build`), shapes and counts (`tf.shape`, `tf.size`, `count_nonzero`, `x.shape[0]`),
    comparisons and integer or boolean casts, `stop_gradient` -- and values only a metric reads
    (a function that computes an accuracy, an argument of `tracker.update_state(...)`).

    ## Why it breaks training
    A softmax or sigmoid output reaches exactly 0.0 (or 1.0) in float32 as soon as the model is
    confident (a logit gap of about 100, or a sigmoid input above ~17 for `1 - p`); labels and ReLU
    outputs are 0 all the time. `log(0)` is `-inf`, `0 * -inf` is NaN, and one NaN in the loss makes
    every gradient and then every weight NaN: the loss prints `nan` and the model never recovers.
    Keras' own cross-entropy clips its input to `[epsilon, 1 - epsilon]` for exactly this reason.

    ## Example
    ```python
    import tensorflow as tf
    from tensorflow import keras

    def log_error(y_true, y_pred):
        return tf.reduce_mean(tf.square(tf.math.log(y_pred) - tf.math.log1p(y_true)))

    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="relu"),
    ])
    model.compile(optimizer="adam", loss=log_error)
    ```

    ## Fix
    ```python
    import tensorflow as tf
    from tensorflow import keras

    def log_error(y_true, y_pred):
        return tf.reduce_mean(tf.square(tf.math.log1p(y_pred) - tf.math.log1p(y_true)))

    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="relu"),
    ])
    model.compile(optimizer="adam", loss=log_error)
    ```
    Clip probabilities before the log (`tf.math.log(tf.clip_by_value(y_pred, 1e-7, 1.0))`,
    `K.log(K.clip(y_pred, K.epsilon(), 1 - K.epsilon()))`), add an epsilon (`log(x + 1e-7)`), use
    `log1p` for non-negative values, or better, use the built-in loss
    (`keras.losses.CategoricalCrossentropy`, `BinaryCrossentropy(from_logits=True)`,
    `MeanSquaredLogarithmicError`), which is numerically stable.

    ## References
    - https://www.tensorflow.org/api_docs/python/tf/math/log
    - https://keras.io/api/losses/probabilistic_losses/
    - https://stackoverflow.com/questions/37448557/why-are-my-keras-model-loss-and-accuracy-nan
    """

    code = "KC501"
    name = "log-of-unclamped-value"
    severity = Severity.WARNING
    fixable = "unsafe"
    fix_doc = ("Unsafe fix (it changes the loss values): the argument is clipped into [EPSILON, 1] for "
               "predictions, probabilities and labels (`tf.math.log(tf.clip_by_value(y_pred, EPSILON, 1.0))`), "
               "or gets `+ EPSILON` otherwise, in the library the call already uses (`K.clip(x, "
               "K.epsilon(), 1.0)` for the backend, `np.clip`, `ops.clip`). `EPSILON = 1e-7` is added after "
               "the imports unless the module already assigns it a number; no fix when the name `EPSILON` "
               "means something else, or the log function is imported bare.")
    options = {
        "contexts": num.contexts_option(num.DEFAULT_CONTEXTS),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for site in num.checked_sites(facts, ctx, ("log",)):
            analyzer = num.Analyzer(site.context)
            rng = analyzer.range(site.operand)
            if not rng.can_be_zero or not rng.tags & FIRING_TAGS:
                continue
            yield Finding(site.loc, _message(site, rng), fix=_clamp(site, rng))


# How the fix guards the argument, per library family: clipped (model outputs, labels) or shifted.
_CLIP_TEMPLATES = {"K": "{mod}.clip({x}, {mod}.epsilon(), 1.0)", "ops": "{mod}.clip({x}, {eps}, 1.0)",
                   "np": "{mod}.clip({x}, {eps}, 1.0)", "tf": "{root}.clip_by_value({x}, {eps}, 1.0)"}
_SHIFT_TEMPLATES = {"K": "{x} + {mod}.epsilon()", "ops": "{x} + {eps}", "np": "{x} + {eps}", "tf": "{x} + {eps}"}


def _clamp(site: NumericSite, rng: num.Range) -> FixIntent:
    fam = num.family(site.callee)
    clip = bool(rng.tags & {"pred", "prob", "label", "hard"})
    template = (_CLIP_TEMPLATES if clip else _SHIFT_TEMPLATES)[fam]
    message = "Clip the log argument into [epsilon, 1]" if clip else "Add epsilon to the log argument"
    return intent(message, ClampLogArgument(site.loc, template,
                                            root_module="tensorflow" if fam == "tf" else None), safe=False)


def _message(site: NumericSite, rng: num.Range) -> str:
    log = num.display(site.callee)
    arg = site.operand.text()
    fam = num.family(site.callee)
    if rng.tags & {"pred", "prob", "label", "hard"}:
        fix = f"{log}({num.CLIP[fam].format(x=arg)})"
    else:
        fix = f"{log}({arg} + {num.EPS[fam]})"
    core = num.peel(site.operand)
    if core.kind == "binop" and core.operator() == "-" and rng.tags & {"pred", "prob"}:
        why = "it is 0 once the prediction saturates to 1.0 in float32"
    elif "pred" in rng.tags or "prob" in rng.tags:
        why = "a confident softmax/sigmoid output is exactly 0 in float32"
    elif "label" in rng.tags:
        why = "labels are 0"
    elif "hard" in rng.tags:
        why = "rounded predictions are 0"
    else:
        why = "zero inputs and ReLU outputs are common"
    what = {"metric": "the metric", "layer": "the layer output, the loss",
            "model": "the model output, the loss"}.get(site.context, "the loss")
    return (f"{log}({arg}){num.where(site)} is -inf when its argument is 0 ({why}), so {what} "
            f"and then the weights become NaN; clip it: {fix}")
