"""KC603 label-range-mismatch."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._runtime_data import data_loc, head_loc, head_name, label_problems
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements


class LabelRangeMismatch(RuntimeRule):
    """The labels' values or width do not fit the output layer and the loss.

    ## What it flags
    Checked on the label arrays themselves, before any loss is computed:
    - sparse labels (`sparse_categorical_crossentropy`) that are negative or not below the head's
      number of units, or one-hot rows given to the sparse loss;
    - integer class ids given to `categorical_crossentropy`, one-hot rows whose width differs from
      the head's units, and soft-label rows that do not sum to 1 (within `soft-label-sum-tolerance`);
    - binary labels outside [0, 1] under `binary_crossentropy` (such as {-1, 1} or class ids 0..9);
    - string labels.

    ## Why it breaks training
    With 10 output units, class ids must be 0..9: an id of 10 makes TensorFlow's loss raise on the
    CPU and silently read garbage on a GPU. Binary cross-entropy of a target 5 is unbounded below, so
    the loss goes negative and the model learns nothing useful. One-hot rows wider or narrower than the
    head cannot be compared with it, and rows that do not sum to 1 scale the loss wrongly.

    ## Example
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = rng.integers(1, 11, size=256)  # classes numbered 1..10
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = rng.integers(1, 11, size=256) - 1  # re-indexed to 0..9
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## References
    - Thresholds: `soft-label-sum-tolerance` (how far from 1 a label row may sum).
    - https://keras.io/api/losses/probabilistic_losses/ (the label format each cross-entropy expects)
    """

    code = "KC603"
    name = "label-range-mismatch"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.thresholds is not None
        for problem in label_problems(run, ctx.thresholds):
            if problem.about == "head":
                yield Finding(head_loc(run), problem.message, layer=head_name(run))
            else:
                yield Finding(data_loc(run), problem.message)
