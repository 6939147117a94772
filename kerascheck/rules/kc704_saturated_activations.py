"""KC704 saturated-activations."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import input_is_unscaled, layer_loc, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import LayerStats, RunMeasurements


def saturation_cause(run: RunMeasurements, layer: LayerStats, input_abs_max: float, factor: float) -> str:
    if layer.kernel_std and layer.expected_std and layer.kernel_std > factor * layer.expected_std:
        return (f"its kernel std {num(layer.kernel_std)} is {num(layer.kernel_std / layer.expected_std)}x "
                "the Glorot scale")
    scale = input_is_unscaled(run, input_abs_max)
    if scale is not None:
        return f"the inputs reach {num(scale)} (unscaled)"
    return "its inputs are large"


class SaturatedActivations(RuntimeRule):
    """Most sigmoid/tanh pre-activations sit beyond the flat ends of the curve, so gradients vanish.

    ## What it flags
    A layer with a `sigmoid`/`tanh` activation (a `Dense`/`Conv` activation or a standalone
    `Activation` layer) where at least `saturated_fraction` of the pre-activations on the first batch
    have a magnitude above `saturation_preactivation`, measured on the live model before training.

    ## Why it breaks training
    Beyond |z| = 5 the derivative of sigmoid is below 0.007 and that of tanh below 2e-4: the layer
    outputs 0/1 (or -1/1) whatever the input and passes almost no gradient back, so it and everything
    before it stop learning. The usual causes are unscaled inputs or an oversized kernel.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).uniform(0, 255, size=(64, 8)).astype("float32")
    y = (x[:, 0] > 128).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="tanh"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).uniform(0, 255, size=(64, 8)).astype("float32") / 255.0
    y = (x[:, 0] > 0.5).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="tanh"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [DD] DeepDiagnosis, [TDC] TheDeepChecker: saturation of sigmoid/tanh.
    - Thresholds `saturation_preactivation` (default 5) and `saturated_fraction` (default 0.5). Measured:
      0% saturated in the healthy test models (inputs standardised); 90%+ with inputs in [0, 255].
    """

    code = "KC704"
    name = "saturated-activations"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        thresholds = limits(ctx)
        for layer in run.layers:
            part = layer.saturated_fraction
            if part is None or part < thresholds.saturated_fraction:
                continue
            yield Finding(layer_loc(run, layer), layer=layer.name, message=(
                f"{part:.0%} of {layer.name}'s {layer.activation} pre-activations are beyond "
                f"±{num(thresholds.saturation_preactivation)} on the batch, because "
                f"{saturation_cause(run, layer, thresholds.input_abs_max, thresholds.kernel_std_factor)}: "
                "the curve is flat there, so the layer passes almost no gradient; scale the inputs to "
                "about [-1, 1] (e.g. x / 255 or a Normalization layer) and keep the default initializer"))
