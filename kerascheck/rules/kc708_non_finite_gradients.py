"""KC708 non-finite-gradients."""

from __future__ import annotations

import math
from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import compile_loc, layer_loc
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements


class NonFiniteGradients(RuntimeRule):
    """The gradient of the compiled loss is NaN/Inf on the first batch although the forward pass is finite.

    ## What it flags
    The first layer (model order) with a NaN or Inf in its gradient on the first batch, when every
    layer's output is finite (a non-finite output is KC705's and the data's NaN KC601's). With a
    finite forward pass the cause is in the loss or in a derivative: `sqrt` at 0, a `log` or a
    division that is finite forward but not backward, a custom loss outside its domain.

    ## Why it breaks training
    The optimizer adds the gradient to the weights: one NaN gradient makes the weights NaN at the
    first step, and the loss is NaN from then on.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = np.zeros((64, 1), "float32")

    def rmse(y_true, y_pred):
        return keras.ops.sqrt(keras.ops.mean(keras.ops.square(y_true - y_pred * 0.0)))

    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss=rmse)
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = np.zeros((64, 1), "float32")

    def rmse(y_true, y_pred):
        return keras.ops.sqrt(keras.ops.mean(keras.ops.square(y_true - y_pred)) + 1e-7)

    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss=rmse)
    model.fit(x, y, epochs=1)
    ```

    ## References
    - DeepLocalize (Wardat et al., 2021), [DD] DeepDiagnosis: numerical errors in the backward pass.
    - No threshold: any NaN/Inf counts.
    """

    code = "KC708"
    name = "non-finite-gradients"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        if any(l.nonfinite_output for l in run.layers) or any(a.nonfinite for a in run.array("x")):
            return
        layer = next((l for l in run.layers if l.nonfinite_grad), None)
        if layer is None:
            return
        initial = run.probe.initial_loss if run.probe is not None else None
        if initial is not None and not math.isfinite(initial):
            cause = f"the loss itself is {initial} on the batch although every layer's output is finite"
            where = compile_loc(run)
        else:
            cause = ("the loss is finite but its derivative is not: a sqrt at 0, or a log/division whose "
                     "argument reaches 0, in the loss or a layer")
            where = layer_loc(run, layer)
        yield Finding(where, layer=layer.name, message=(
            f"{layer.name} is the first layer with a NaN/Inf gradient on the first batch: {cause}; the first "
            "optimizer step writes NaN into the weights; add an epsilon inside sqrt/log and to denominators "
            "(keras.ops.sqrt(x + 1e-7)) or use the built-in loss"))
