"""KC601 non-finite-data."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._runtime_data import data_loc, fmt
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements

_ROLE_WORDS = {"x": "the inputs", "y": "the targets", "validation_x": "the validation inputs",
               "validation_y": "the validation targets", "sample_weight": "the sample weights"}


class NonFiniteData(RuntimeRule):
    """The data given to `fit` holds NaN or infinite values.

    ## What it flags
    Any NaN or Inf in the inputs, the targets, the validation data or the sample weights passed to
    `fit`, with the count and the first row that holds one. Arrays are scanned whole (a NaN row
    need not be in the first batch); datasets and generators up to `max-scan-batches` batches.

    ## Why it breaks training
    One NaN in a batch makes that batch's loss NaN, its gradients NaN, and after the optimizer step
    every weight NaN: the loss prints `nan` from then on and the model never recovers. Missing values
    read from CSV files (empty cells become NaN), divisions by zero in feature engineering and
    `log(0)` are the usual sources.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
    x[200, 1] = np.nan  # a missing value in the CSV
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
    x[200, 1] = np.nan
    x = np.nan_to_num(x, nan=0.0)  # or drop the rows, or impute (sklearn's SimpleImputer)
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## References
    - Thresholds: `max-scan-batches` (batches of a stream scanned; arrays are scanned whole).
    - https://keras.io/api/callbacks/terminate_on_nan/ (what users see instead: training stopped at `nan`)
    """

    code = "KC601"
    name = "non-finite-data"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        for stats in run.data:
            if stats.nonfinite <= 0:
                continue
            what = _ROLE_WORDS.get(stats.role, stats.role)
            first = "" if stats.first_nonfinite_index is None else f", first at row {stats.first_nonfinite_index}"
            scope = "" if stats.scanned == "all" else f" in the first {stats.scanned}"
            fix = ("drop or impute them (np.nan_to_num, DataFrame.dropna, sklearn's SimpleImputer)"
                   if stats.role != "sample_weight" else "give every example a finite weight")
            count = f"{fmt(stats.nonfinite)} NaN/Inf value" + ("" if stats.nonfinite == 1 else "s")
            yield Finding(data_loc(run), (
                f"{what} ({stats.name}) contain {count}{first}{scope}: the first batch that holds one makes the "
                f"loss and every weight NaN, and training never recovers; {fix}"))
