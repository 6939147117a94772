"""KC709 update-ratio."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import ADAPTIVE, NO_UPDATE_WHY, compile_loc, input_is_unscaled, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements


def _optimizer(run: RunMeasurements) -> str:
    rate = f" (learning_rate={run.learning_rate:g})" if run.learning_rate is not None else ""
    return f"one {run.optimizer or 'optimizer'} step{rate}"


def _relative(ratio: float) -> str:
    """An update relative to the weights: a percentage, or a factor once it exceeds the weights tenfold."""
    return f"{ratio:.0%} of their size" if ratio < 10 else f"{num(ratio)} times their size"


class UpdateRatio(RuntimeRule):
    """The first real optimizer step changes a layer's weights by far too much, or by almost nothing.

    ## What it flags
    One real step of the configured optimizer is taken on a copy of the model with the first batch,
    and each layer's update ratio `|w1 - w0| / |w0|` measured. Flags the layer with the largest ratio
    when it is above `update_ratio_max`, or, when every layer's ratio is below `update_ratio_min` while
    gradients flow, the learning rate as too small. The measure is the update actually taken: with
    Adam the raw `lr * |g| / |w|` says little, since Adam normalises the gradient.

    ## Why it breaks training
    An update as large as the weights throws away what they encode at every step: the loss jumps
    around or diverges to NaN. An update a hundred million times smaller than the weights means
    training does not move within any number of epochs.

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
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.5), loss="binary_crossentropy")
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
    - [K] Karpathy: the update/weight ratio should be about 1e-3; [TDC] TheDeepChecker.
    - Thresholds `update_ratio_max` (default 1.0) and `update_ratio_min` (default 1e-7). Measured: healthy
      test models 3e-4-2e-2 (Adam 1e-3, SGD 0.01); Adam with learning_rate=0.5 gives 1.6-1.9.
    """

    code = "KC709"
    name = "update-ratio"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        thresholds = limits(ctx)
        moved = [l for l in run.layers if l.update_ratio is not None and l.trainable]
        if not moved:
            return
        top = max(moved, key=lambda l: l.update_ratio or 0.0)
        if (top.update_ratio or 0.0) > thresholds.update_ratio_max:
            scale = input_is_unscaled(run, thresholds.input_abs_max)
            if scale is not None and run.optimizer not in ADAPTIVE:  # the step follows the gradient's size
                cause = (f" because the inputs reach {num(scale)} (unscaled), which makes the gradients huge")
                fix = "scale the inputs to about [-1, 1] (x / x.max() or a Normalization layer)"
            else:
                cause = ""
                fix = "lower the learning rate (1e-3 is Adam's default, try 10x-100x smaller)"
            yield Finding(compile_loc(run), layer=top.name, message=(
                f"{_optimizer(run)} on the first batch changes {top.name}'s weights by "
                f"{_relative(top.update_ratio or 0.0)}{cause} (healthy: about 0.1%): each step overwrites what "
                f"the weights learned and the loss jumps or diverges; {fix}"))
            return
        flowing = [l for l in moved if l.grad_norm is None or l.grad_norm > 0]
        if flowing and all(l.update_ratio == 0.0 for l in flowing) and (
                run.learning_rate is None or run.learning_rate >= 1e-6):
            yield Finding(compile_loc(run), layer=top.name, message=(
                f"{_optimizer(run)} on the first batch changes no weight at all: {NO_UPDATE_WHY}; "
                "the model cannot learn until the step updates its weights"))
            return
        if flowing and all((l.update_ratio or 0.0) < thresholds.update_ratio_min for l in flowing):
            yield Finding(compile_loc(run), layer=top.name, message=(
                f"{_optimizer(run)} on the first batch changes the weights by at most {num(top.update_ratio)} of "
                f"their size ({top.name}; healthy: about 1e-3): training will not move in any number of "
                "epochs; raise the learning rate (Adam's default is 1e-3, SGD's 0.01)"))
