"""KC802 loss-diverges."""

from __future__ import annotations

import math
from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import compile_loc, likely_causes, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements


class LossDiverges(RuntimeRule):
    """Training on one repeated batch makes the loss grow many times over instead of falling.

    ## What it flags
    On a copy of the model trained for `probe_steps` steps on the first batch repeated (the real
    optimizer, freshly copied), the final loss is more than `divergence_factor` times the initial one
    while staying finite (turning NaN is KC801's). The finding names the measured likely cause.

    ## Why it breaks training
    On a single batch even a poor model should fit better and better. A loss that grows instead means
    each step overshoots: almost always a learning rate too large for the loss and data scale, and on
    the full data it ends in NaN or a useless model.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.5), loss="mse")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [K] Karpathy: overfit one batch first; AUTOTRAINER: loss divergence.
    - Thresholds `divergence_factor` (default 10) and `probe_steps` (20), with
      `probe_time_budget` (10 s): once the steps after the first have taken that long, the probe
      stops after at least 5 steps, so a ResNet50-sized model is probed in seconds, not minutes.
      Measured: every healthy test model's probe loss ends below its start.
    """

    code = "KC802"
    name = "loss-diverges"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        probe = run.probe
        thresholds = limits(ctx)
        if probe is None or probe.nan_step is not None or len(probe.losses) < 2:
            return
        first, final = probe.losses[0], probe.losses[-1]
        if first is None or final is None or not math.isfinite(first) or first <= 0:
            return
        if final <= thresholds.divergence_factor * first:
            return
        causes = likely_causes(run, thresholds)
        cause = "; ".join(causes) if causes else "each step overshoots: the learning rate is too large for this loss"
        yield Finding(compile_loc(run), message=(
            f"the loss grows from {num(first)} to {num(final)} ({num(final / first)}x) in {probe.steps} steps on "
            f"one repeated batch; likely cause: {cause}; lower the learning rate 10x and scale inputs and "
            "targets to about unit range"))
