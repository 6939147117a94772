"""KC801 loss-becomes-nan."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import compile_loc, likely_causes, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements


class LossBecomesNan(RuntimeRule):
    """The loss turns NaN/Inf within a few training steps on one batch; the finding says why.

    ## What it flags
    A few real training steps (`probe_steps`) are taken on a copy of the model, with a fresh copy of
    the real optimizer, on the first batch repeated. Flags a loss that starts finite and becomes NaN or
    Inf, with the step, the first layer (model order) whose weights or output went non-finite, and the
    measured likely cause: the size of the first update (learning rate), unscaled inputs or targets,
    or a cross-entropy taking the log of a value that is not a probability. A loss that is NaN from
    the start is KC604's, and NaN already in the first step's activations or gradients KC705's/KC708's.

    ## Why it breaks training
    Once one weight is NaN every output, loss and gradient is NaN: training is over, yet `fit` keeps
    printing `loss: nan` for every remaining epoch.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32") * 100.0
    y = x.sum(axis=1, keepdims=True) * 100.0
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True) / 3.0
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [DD] DeepDiagnosis, AUTOTRAINER: NaN loss during training; DeepLocalize: the first faulty layer.
    - Threshold `probe_steps` (default 20); the causes use `update_ratio_max` and `input_abs_max`.
    """

    code = "KC801"
    name = "loss-becomes-nan"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        probe = run.probe
        if probe is None or probe.nan_step is None or probe.nan_step == 0:
            return  # NaN from the start is KC604's
        if any(l.nonfinite_output or l.nonfinite_grad for l in run.layers):
            return  # the first step already had NaN: KC705/KC708 name the layer and the cause
        causes = likely_causes(run, limits(ctx))
        cause = "; ".join(causes) if causes else "the updates grow the weights until they overflow"
        where = f", first in {probe.first_nonfinite_layer}" if probe.first_nonfinite_layer else ""
        yield Finding(compile_loc(run), layer=probe.first_nonfinite_layer, message=(
            f"the loss goes from {num(probe.losses[0])} to {probe.losses[probe.nan_step]} at training step "
            f"{probe.nan_step + 1} on one repeated batch{where}; likely cause: {cause}; once a weight is NaN "
            "training cannot recover: lower the learning rate, scale inputs and targets, or add clipnorm=1.0"))
