"""KC106: an accuracy metric on a regression model."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.rules._outputs import (
    PROBABILITY_OUTPUTS, REGRESSION_LOSSES, accuracy_metrics, compiled, has_class_labels,
    last_activation,
)
from kerascheck.rules.base import Finding, Rule, RuleContext


class AccuracyWithRegressionLoss(Rule):
    """`accuracy` measured on a model trained with a regression loss (mse, mae...).

    ## What it flags
    An accuracy metric (`"accuracy"`, `"acc"`, `keras.metrics.Accuracy()`, `binary_accuracy`,
    `categorical_accuracy`...) in `compile` together with a regression loss: mean squared error,
    mean absolute error, mean absolute percentage error, mean squared logarithmic error, Huber or
    log-cosh, in any spelling (`"mse"`, `"mean_squared_error"`, `keras.losses.mse`,
    `keras.losses.MeanSquaredError()`). The model's layers need not be known.

    ## Why it breaks training
    Accuracy counts predictions that equal the label exactly (after rounding at 0.5, or after an
    argmax). A regression model predicts continuous values (prices, temperatures...), which almost
    never equal the targets, so the accuracy stays near 0 for the whole training however well the
    model fits. People then conclude that the model "does not learn" and change the wrong things.

    When the model is visibly a classifier (it ends in softmax or sigmoid, or is fit on one-hot or
    integer class labels) the metric is meaningful and the loss is what is wrong: that case is
    reported by KC107 (loss-task-mismatch) instead.

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

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in REGRESSION_LOSSES:
                continue
            metrics = accuracy_metrics(model)
            if not metrics:
                continue
            # A classifier trained with a regression loss: the accuracy means something (KC107).
            if last_activation(model) in PROBABILITY_OUTPUTS or has_class_labels(model):
                continue
            for metric in metrics:
                yield Finding(
                    metric.loc,
                    f"{metric.name} metric with the regression loss {loss.name}: accuracy counts "
                    f"exact matches, which continuous predictions almost never are, so it stays "
                    f"near 0 (or means nothing) however well the model fits; use "
                    f'metrics=["mae"] or keras.metrics.RootMeanSquaredError()',
                )
