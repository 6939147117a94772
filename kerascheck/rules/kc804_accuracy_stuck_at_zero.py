"""KC804 accuracy-stuck-at-zero."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import compile_loc
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements

_REGRESSION = frozenset({"mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
                         "mean_squared_logarithmic_error", "huber", "log_cosh"})


def _continuous_targets(run: RunMeasurements) -> bool:
    return any(a.integer_valued is False and a.kind == "numeric" for a in run.array("y"))


class AccuracyStuckAtZero(RuntimeRule):
    """An accuracy metric is exactly 0 on every training step of one repeated batch.

    ## What it flags
    A compiled metric whose name says accuracy (`accuracy`, `binary_accuracy`,
    `sparse_categorical_accuracy`...) that is exactly 0 on every one of the `probe_steps` steps taken
    on a copy of the model with the first batch repeated. The finding names the cause when it is
    visible: continuous (non-integer) targets, or a regression loss. Not reported when the head has
    more classes than the batch has examples (an exact 0 is then plausible by chance).

    ## Why it breaks training
    Accuracy counts exact matches of a predicted class with the target. With continuous targets (a
    regression) a prediction never equals a target exactly, so accuracy is 0 however well the model
    learns: the metric is meaningless and hides real progress, or the labels are not what the loss
    expects and the model cannot learn the task.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True) / 3.0
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True) / 3.0
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [DD] DeepDiagnosis: accuracy not increasing; UMLAUT: accuracy on regression.
    - Threshold `probe_steps` (default 20). Measured: healthy classifiers reach accuracy > 0 at step 1.
    """

    code = "KC804"
    name = "accuracy-stuck-at-zero"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        probe = run.probe
        if probe is None or not probe.steps:
            return
        for metric, values in probe.metrics.items():
            if "acc" not in metric or not values or any(v is None or v != 0.0 for v in values):
                continue
            continuous = _continuous_targets(run)
            if not continuous and run.head_units and run.batch_size and run.head_units > run.batch_size:
                continue
            if continuous:
                cause = ("the targets are continuous values, which a prediction never matches exactly "
                         f"(loss {run.loss or 'custom'} is a regression)")
                fix = "use a regression metric such as 'mae', or class labels if this is a classification"
                severity = Severity.ERROR
            elif run.loss in _REGRESSION:
                cause = f"the loss {run.loss} is a regression loss, so the outputs are not class scores"
                fix = "use a cross-entropy loss for classification, or 'mae' as the metric for regression"
                severity = None
            else:
                cause = "the predicted class never matches a label: the labels' encoding does not fit the head"
                fix = "check that the labels match the loss (sparse integer ids vs one-hot) and the head's units"
                severity = None
            yield Finding(compile_loc(run), severity=severity, message=(
                f"{metric} is exactly 0 on all {len(values)} training steps of one repeated batch because "
                f"{cause}; {fix}"))
            return
