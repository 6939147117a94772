"""KC106: an accuracy metric on a regression model."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import DataFact, FileFacts, MetricFact
from kerascheck.fixes.intents import ReplaceString, intent
from kerascheck.rules._outputs import (
    CONTINUOUS_LOSSES, PROBABILITY_OUTPUTS, accuracy_metrics, classifier_loss_fix, compiled,
    has_class_labels, labels, last_activation, visibly_continuous,
)
from kerascheck.rules.base import Finding, Rule, RuleContext


class AccuracyWithRegressionLoss(Rule):
    """`accuracy` measured on a model trained with a regression loss (mse, mae...).

    ## What it flags
    An accuracy metric (`"accuracy"`, `"acc"`, `keras.metrics.Accuracy()`, `binary_accuracy`,
    `categorical_accuracy`...) in `compile` together with a regression loss: mean squared error,
    mean absolute error, mean absolute percentage error, mean squared logarithmic error, Huber,
    log-cosh or Poisson, in any spelling (`"mse"`, `"mean_squared_error"`, `keras.losses.mse`,
    `keras.losses.MeanSquaredError()`). The model's layers need not be known.

    ## Why it breaks training
    Only `keras.metrics.Accuracy()` counts predictions exactly equal to the targets. The string
    `"accuracy"` resolves by the output shape and the loss: binary accuracy for one output unit
    (predictions thresholded at 0.5, then compared with the targets), categorical accuracy for
    several (the argmax of the prediction against the argmax of the target), sparse categorical
    accuracy for integer targets. On continuous targets (prices, temperatures...) none of these
    means anything: a thresholded prediction or an argmax almost never equals a continuous target,
    so the accuracy stays near 0 for the whole training however well the model fits. People then
    conclude that the model "does not learn" and change the wrong things.

    Not reported:
    - a model that is visibly a classifier trained with a regression loss (a softmax head with an
      accuracy metric or class labels, a sigmoid head on class labels): the metric is meaningful
      and the loss is what is wrong, reported by KC107 (loss-task-mismatch);
    - targets known to be 0/1 or class labels (a thresholded binary accuracy with mse on 0/1
      targets is a valid textbook linear classifier);
    - a sigmoid or softmax head on targets that are not visibly continuous (most likely a
      classifier).
    A sigmoid head with `mse` and `"accuracy"` on continuous targets (`make_regression`,
    arithmetic on `np.linspace`) is reported, together with KC112 for the head.

    ## Example
    ```python
    import numpy as np
    from tensorflow import keras

    x = np.random.rand(500, 13).astype("float32")
    y = x @ np.random.rand(13).astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(13,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    model.fit(x, y, epochs=10)
    ```

    ## Fix
    ```python
    import numpy as np
    from tensorflow import keras

    x = np.random.rand(500, 13).astype("float32")
    y = x @ np.random.rand(13).astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(13,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=10)
    ```
    Report a regression metric instead: `"mae"`, `"mse"`, `keras.metrics.RootMeanSquaredError()`
    or `keras.metrics.R2Score()`.

    ## References
    - https://keras.io/api/metrics/regression_metrics/
    - https://keras.io/api/metrics/accuracy_metrics/
    - https://stackoverflow.com/questions/48775305/what-function-defines-accuracy-in-keras-when-the-loss-is-mean-squared-error-mse
    """

    code = "KC106"
    name = "accuracy-with-regression-loss"
    severity = Severity.WARNING
    fixable = "unsafe"
    fix_doc = ("Unsafe fix: the metric string (`\"accuracy\"`, `\"acc\"`...) becomes `\"mae\"` (what the "
               "history and callbacks monitor changes name). No fix for metric objects, or when `mae` is "
               "already measured.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in CONTINUOUS_LOSSES:
                continue
            metrics = accuracy_metrics(model)
            if not metrics or classifier_loss_fix(model) is not None:
                continue  # a classifier trained with a regression loss: KC107 reports the loss
            targets = list(labels(model))
            if has_class_labels(model) or any(_zero_one(y) for y in targets):
                continue  # 0/1 or class targets: a thresholded accuracy is meaningful there
            if last_activation(model) in PROBABILITY_OUTPUTS and not any(
                    visibly_continuous(y) for y in targets):
                continue  # most likely a 0/1 classifier trained with mse: stay quiet
            units = model.head.units if model.head is not None else None
            measured = {m.name for m in model.compile.metrics} if model.compile else set()
            for metric in metrics:
                fix = None if "mean_absolute_error" in measured else intent(
                    'Measure "mae" instead of accuracy', ReplaceString(metric.loc, "mae"), safe=False)
                yield Finding(
                    metric.loc,
                    f"{_what_it_counts(metric, units)} with the regression loss {loss.name}: "
                    f"continuous predictions almost never match continuous targets that way, so "
                    f"it stays near 0 (or means nothing) however well the model fits; use "
                    f'metrics=["mae"] or keras.metrics.RootMeanSquaredError()',
                    fix=fix,
                )


def _zero_one(y: DataFact) -> bool:
    return y.values is not None and all(v in (0, 1) for v in y.values)


def _what_it_counts(metric: MetricFact, units: int | None) -> str:
    """Which accuracy the metric is, and what it compares (the string resolves by output shape)."""
    if metric.name == "accuracy" and metric.call is not None:
        return "keras.metrics.Accuracy() (it counts predictions exactly equal to the targets)"
    if metric.name == "accuracy":
        if units == 1:
            return ('"accuracy" (here binary_accuracy, for the one output unit: predictions '
                    "thresholded at 0.5, compared with the targets)")
        if units is not None:
            return (f'"accuracy" (here categorical_accuracy, for the {units} output units: '
                    "the argmax of the prediction compared with the argmax of the target)")
        return ('"accuracy" (binary, categorical or sparse categorical accuracy, chosen by the '
                "output shape and the loss)")
    if metric.name == "binary_accuracy":
        return "binary_accuracy (predictions thresholded at 0.5, compared with the targets)"
    return f"{metric.name} (the argmax of the prediction compared with the target class)"
