"""KC503: sqrt of a value that can be exactly 0, in code that is differentiated."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, NumericSite
from kerascheck.rules import _numeric as num
from kerascheck.rules.base import Finding, Rule, RuleContext

FIRING_TAGS = frozenset({"pred", "label", "input", "hard", "error", "prob"})


class SqrtAtZero(Rule):
    """`sqrt` of a sum of squares without an epsilon: its gradient at 0 is infinite, the weights turn NaN.

    ## What it flags
    `sqrt`/`rsqrt` (`tf.sqrt`, `K.sqrt`, `keras.ops.sqrt`...) in a custom loss, a layer (including
    a function wrapped in `Lambda`) or a model's `call`/`train_step`, whose argument is a square, an
    absolute value, a norm, a variance, or a sum or mean of those -- `K.sqrt(K.mean(K.square(y_pred -
    y_true)))`, `tf.sqrt(tf.reduce_sum(tf.square(a - b), axis=1))` -- with no `+ eps` and no
    `maximum(x, eps)`. Metrics are not checked by default: they are not differentiated.

    Values that cannot turn the weights NaN are not checked: those not
    computed from the model's tensors -- constants and configuration (a layer's `__init__` or
    `build`), shapes and counts (`tf.shape`, `tf.size`, `count_nonzero`, `x.shape[0]`),
    comparisons and integer or boolean casts, `stop_gradient` -- and values only a metric reads
    (a function that computes an accuracy, an argument of `tracker.update_state(...)`).

    ## Why it breaks training
    The derivative of `sqrt(x)` is `1 / (2 * sqrt(x))`, which is infinite at `x = 0`. The argument
    is exactly 0 whenever the prediction matches the target (RMSE at a perfect fit), the two inputs
    of a Siamese distance are the same image, or a vector is all zeros; backpropagation then multiplies
    `inf` by 0 and produces NaN, and a single NaN gradient makes every weight NaN.
    `rsqrt(0)` is already inf in the forward pass.

    ## Example
    ```python
    from keras.models import Sequential
    from keras.layers import Dense
    from keras import backend as K

    def root_mean_squared_error(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true)))

    model = Sequential()
    model.add(Dense(64, input_dim=13, activation="relu"))
    model.add(Dense(1))
    model.compile(optimizer="adam", loss=root_mean_squared_error)
    ```

    ## Fix
    ```python
    from keras.models import Sequential
    from keras.layers import Dense
    from keras import backend as K

    def root_mean_squared_error(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true)) + K.epsilon())

    model = Sequential()
    model.add(Dense(64, input_dim=13, activation="relu"))
    model.add(Dense(1))
    model.compile(optimizer="adam", loss=root_mean_squared_error)
    ```
    Add an epsilon inside the root (`K.sqrt(x + K.epsilon())`) or bound it
    (`K.sqrt(K.maximum(x, K.epsilon()))`, as the Keras Siamese example does); to train on RMSE,
    `loss="mse"` has the same minimum and a well-behaved gradient
    (`metrics=[keras.metrics.RootMeanSquaredError()]` reports RMSE).

    ## References
    - https://keras.io/examples/vision/siamese_contrastive/
    - https://github.com/tensorflow/tensorflow/issues/42388
    - https://stackoverflow.com/questions/43855162/rmse-rmsle-loss-function-in-keras
    """

    code = "KC503"
    name = "sqrt-at-zero"
    severity = Severity.WARNING
    options = {
        "contexts": num.contexts_option(["loss", "layer", "model"]),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for site in num.checked_sites(facts, ctx, ("sqrt", "rsqrt")):
            rng = num.Analyzer(site.context).range(site.operand)
            if rng.kind != num.NONNEG or not rng.tags & FIRING_TAGS:
                continue
            yield Finding(site.loc, _message(site, rng))


def _message(site: NumericSite, rng: num.Range) -> str:
    sqrt = num.display(site.callee)
    arg = site.operand.text()
    fam = num.family(site.callee)
    if site.op == "rsqrt":
        problem = f"{sqrt}({arg}){num.where(site)} is inf when its argument is 0"
    else:
        problem = (f"{sqrt}({arg}){num.where(site)} has an infinite gradient when its argument "
                   f"is 0")
    if "error" in rng.tags:
        when = "a prediction matches its target"
    elif "input" in rng.tags:
        when = "two vectors are equal or a vector is all zeros"
    else:
        when = "the values are all zero or constant"
    return (f"{problem} (whenever {when}), so the weights become NaN; write "
            f"{sqrt}({num.MAXIMUM[fam].format(x=arg)}) or add an epsilon inside")
