"""KC111: a 0.5-threshold accuracy on a one-unit logits output."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, MetricFact
from kerascheck.rules._outputs import compiled, describe
from kerascheck.rules.base import Finding, Rule, RuleContext


class AccuracyOnLogits(Rule):
    """`"accuracy"` on a one-unit logits output thresholds the logits at 0.5 instead of 0.

    ## What it flags
    A model whose last layer is one linear unit (`Dense(1)`, logits) compiled with
    `BinaryCrossentropy(from_logits=True)` and `metrics=["accuracy"]` (or `"acc"`,
    `"binary_accuracy"`, `BinaryAccuracy()` without a `threshold`).

    ## Why it breaks training
    For one output unit `"accuracy"` becomes `binary_accuracy`, which counts a prediction as
    class 1 when it is above 0.5. That threshold is meant for probabilities; on logits the right
    one is 0 (sigmoid(0) = 0.5). Every sample with a logit between 0 and 0.5 is counted wrong, so the
    accuracy shown during training, by `evaluate` and by callbacks that monitor it
    (`EarlyStopping`, `ModelCheckpoint`) is lower than the model's real accuracy, and models are
    compared and kept on a wrong number. Training itself is unaffected.

    ## Example
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(
        optimizer="adam",
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    ```

    ## Fix
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(
        optimizer="adam",
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    ```
    Or end the model with `activation="sigmoid"` and use the loss's default `from_logits=False`.

    Off by default: the reported number is wrong but the model trains normally, and some
    published examples accept it.

    ## References
    - https://www.tensorflow.org/tutorials/keras/text_classification
    - https://github.com/tensorflow/tensorflow/issues/41933
    - https://keras.io/api/metrics/accuracy_metrics/#binaryaccuracy-class
    """

    code = "KC111"
    name = "accuracy-on-logits"
    severity = Severity.INFO
    default_enabled = False

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in api.BINARY_LOSSES or loss.from_logits is not True:
                continue
            head = model.head
            if head is None or head.units != 1 or head.activation != "linear":
                continue
            for metric in model.compile.metrics if model.compile is not None else ():
                if _thresholds_at_half(metric):
                    yield Finding(
                        metric.loc,
                        f"accuracy on the logits of {describe(head)} counts a logit above 0.5 as "
                        f"class 1, but with from_logits=True the boundary is 0: the accuracy "
                        f"reported (and monitored by callbacks) is wrong; use "
                        f"keras.metrics.BinaryAccuracy(threshold=0.0)",
                    )


def _thresholds_at_half(metric: MetricFact) -> bool:
    """``"accuracy"``/``"acc"``/``"binary_accuracy"`` (a string or function), or
    ``BinaryAccuracy()`` with its default 0.5 threshold."""
    call = metric.call
    if call is None:
        return metric.name in ("accuracy", "binary_accuracy") and not metric.custom
    return (call.short == "BinaryAccuracy" and "threshold" not in call.kwargs
            and len(call.args) < 3)
