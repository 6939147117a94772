"""KC803 cannot-overfit-one-batch."""

from __future__ import annotations

import math
from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import compile_loc, gradient_layers, limits, no_update_cause, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements
from kerascheck.runtime.thresholds import Thresholds

_AT_MINIMUM = 1e-6  # a loss this small has nothing left to lose: not a failure to learn


def stuck_cause(run: RunMeasurements, thresholds: Thresholds) -> str | None:
    """Why the loss does not move: nothing trainable, zero gradients, dead units, or a tiny learning rate."""
    if run.layers and not [l for l in run.layers if l.trainable and l.params]:
        return "no layer is trainable (trainable=False everywhere)"
    flowing = gradient_layers(run)
    if flowing and all(l.grad_norm == 0.0 for l in flowing):
        return "every gradient is exactly 0 (see KC706)"
    dead = next((l for l in run.layers if l.dead_fraction == 1.0), None)
    if dead is not None:
        return f"every unit of {dead.name} is dead"
    ratios = [l.update_ratio for l in run.layers if l.update_ratio is not None]
    if ratios and max(ratios) == 0.0 and (run.learning_rate is None or run.learning_rate >= 1e-6):
        return no_update_cause(run)
    if ratios and max(ratios) < 1e-5:
        rate = f"learning_rate={run.learning_rate:g}" if run.learning_rate is not None else "the learning rate"
        return f"{rate} moves the weights by at most {num(max(ratios))} of their size per step"
    if len(flowing) >= 2 and flowing[-1].grad_norm and \
            (flowing[0].grad_norm or 0.0) / flowing[-1].grad_norm < thresholds.vanishing_gradient_ratio:
        return f"the gradient vanishes before it reaches {flowing[0].name} (see KC706)"
    saturated = next((l for l in run.layers if (l.saturated_fraction or 0.0) >= thresholds.saturated_fraction), None)
    if saturated is not None:
        return f"{saturated.name}'s {saturated.activation} is saturated (see KC704)"
    return None


class CannotOverfitOneBatch(RuntimeRule):
    """The loss barely moves while training on one repeated batch: the model cannot learn at all.

    ## What it flags
    On a copy of the model trained for `probe_steps` steps on the first batch repeated, with a fresh
    copy of the real optimizer, the loss never falls by `overfit_min_relative_drop` of its initial
    value. The finding names the measured cause: nothing trainable, zero gradients, a dead or saturated
    layer, vanishing gradients, or a learning rate whose first step barely moves the weights. A loss
    that moves slowly with none of these causes (a regression on unscaled targets with Adam, heavy
    dropout) is not reported: the model learns, only slowly; an exactly constant loss always is.

    ## Why it breaks training
    Any model that can learn fits a single batch: if the loss does not even start to fall there, the
    full data will not help. It is the first test of Karpathy's recipe, and it separates "cannot learn"
    from "needs more epochs".

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-9), loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [K] Karpathy, "A Recipe for Training Neural Networks": overfit one batch.
    - Thresholds `overfit_min_relative_drop` (default 0.01) and `probe_steps` (20), with
      `probe_time_budget` (10 s): once the steps after the first have taken that long, the probe
      stops after at least 5 steps, so a ResNet50-sized model is probed in seconds, not minutes.
      Measured: healthy test models drop 4-60% in 20 steps (Adam 1e-3); Adam 1e-9 drops below 1e-5.
    """

    code = "KC803"
    name = "cannot-overfit-one-batch"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        probe = run.probe
        thresholds = limits(ctx)
        if probe is None or probe.nan_step is not None or len(probe.losses) < 2:
            return
        losses = [v for v in probe.losses if v is not None and math.isfinite(v)]
        first = losses[0] if losses else None
        if first is None or first < _AT_MINIMUM or len(losses) != len(probe.losses):
            return
        drop = (first - min(losses)) / first
        if drop >= thresholds.overfit_min_relative_drop or max(losses) > first * thresholds.divergence_factor:
            return  # it learns (or diverges: KC802)
        cause = stuck_cause(run, thresholds)
        if cause is None:
            if max(losses) != min(losses):
                return  # moving, only slowly (unscaled regression targets, heavy dropout): no known cause
            ratios = [l.update_ratio for l in run.layers if l.update_ratio is not None]
            if ratios and max(ratios) > thresholds.update_ratio_min:
                return  # the weights do move: the logged "loss" is not what the train_step optimises
            cause = "the loss does not change at all: it does not depend on the trainable weights"
        yield Finding(compile_loc(run), message=(
            f"the loss moves from {num(first)} to at best {num(min(losses))} ({drop:.2%}) in {probe.steps} "
            f"training steps on one repeated batch, because {cause}: a model that "
            "cannot fit one batch learns nothing from the full data; fix that cause (a learning rate of "
            "about 1e-3 for Adam, trainable layers, he_normal initialization) before training longer"))
