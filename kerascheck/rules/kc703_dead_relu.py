"""KC703 dead-relu."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import input_is_unscaled, layer_loc, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import LayerStats, RunMeasurements


def dead_cause(run: RunMeasurements, layer: LayerStats, input_abs_max: float) -> str:
    """The measured reason a ReLU layer's units are off, when one is visible."""
    before = run.layers[:layer.index]
    if layer.kernel_std == 0.0:
        return "its kernel is constant (all units compute the same value)"
    upstream = next((b for b in reversed(before) if b.dead_fraction is not None), None)
    if upstream is not None and upstream.dead_fraction == 1.0:
        return f"the ReLU layer before it, {upstream.name}, outputs only zeros"
    if layer.kernel_std and layer.expected_std and layer.kernel_std > 10 * layer.expected_std:
        return f"its kernel std {num(layer.kernel_std)} is {num(layer.kernel_std / layer.expected_std)}x the He scale"
    scale = input_is_unscaled(run, input_abs_max)
    if scale is not None:
        return f"the inputs reach {num(scale)} (unscaled), pushing pre-activations far from 0"
    return "the pre-activations are negative for every example (a negative bias or a badly scaled input)"


class DeadRelu(RuntimeRule):
    """Most units of a ReLU layer output zero on every example of the batch: they never learn.

    ## What it flags
    A layer with a `relu`/`relu6` activation (or a `ReLU`/`Activation("relu")` layer) in which at least
    `dead_relu_fraction` of the units are zero on *every* example of the first batch, measured on the
    live model before training. The finding says the visible cause (a constant kernel, a dead layer
    before it, an oversized kernel, unscaled inputs).

    ## Why it breaks training
    A ReLU unit that is zero for every input has a zero gradient for every input, so no step can bring
    it back: the layer trains with a fraction of its width, and when all its units are dead nothing
    before it learns and the loss stays flat.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu", bias_initializer=keras.initializers.Constant(-10.0)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
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
        keras.layers.Dense(16, activation="relu", kernel_initializer="he_normal"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [AT] AUTOTRAINER (Zhang et al., 2021): the dying-ReLU condition.
    - Threshold `dead_relu_fraction` (default 0.9). Measured: healthy MLPs 0-6% of units dead (while
      43-59% of ReLU *outputs* are zero, which is why a unit counts only when zero on every example);
      deeper conv layers of healthy CNNs on uncentred [0, 1] noise images (what `--synthetic-data`
      gives) up to 50% with 32 filters and 75% with 8; a negative bias or a zero kernel: 100%.
    """

    code = "KC703"
    name = "dead-relu"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        thresholds = limits(ctx)
        for layer in run.layers:
            dead = layer.dead_fraction
            if dead is None or dead < thresholds.dead_relu_fraction:
                continue
            units = (layer.output_shape or [None])[-1]
            count = f"{round(dead * units)} of {units} units" if isinstance(units, int) else f"{dead:.0%} of the units"
            yield Finding(layer_loc(run, layer), layer=layer.name,
                          severity=Severity.ERROR if dead == 1.0 else None, message=(
                f"{count} of {layer.name} (relu) output 0 on every example of the batch, because "
                f"{dead_cause(run, layer, thresholds.input_abs_max)}: a dead unit has zero gradient and never "
                "recovers; use kernel_initializer='he_normal' with a zero bias, scale the inputs, or a "
                "leaky_relu activation"))
