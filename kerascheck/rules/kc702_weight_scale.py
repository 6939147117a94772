"""KC702 weight-scale."""

from __future__ import annotations

import math
from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import layer_loc, limits, num, weighted
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import LayerStats, RunMeasurements


def standard_scales(layer: LayerStats) -> tuple[float, float]:
    """The smallest and largest of the Glorot, LeCun and He stds for the layer's fans: all are sound."""
    fan_in, fan_out = layer.fan_in or 1, layer.fan_out or 1
    scales = (math.sqrt(2.0 / (fan_in + fan_out)), math.sqrt(1.0 / fan_in), math.sqrt(2.0 / fan_in))
    return min(scales), max(scales)


class WeightScale(RuntimeRule):
    """A kernel starts far larger or far smaller than the He/Glorot scale for its fan-in.

    ## What it flags
    A layer whose kernel standard deviation, measured before training, is more than
    `kernel_std_factor` times above the largest, or below the smallest, of the standard scales for its
    fans (Glorot `sqrt(2/(fan_in+fan_out))`, LeCun `sqrt(1/fan_in)`, He `sqrt(2/fan_in)`). Constant
    kernels are KC701's. A small kernel on the output layer is not flagged: starting the head near zero
    (so the first predictions sit at chance) is a deliberate, sound practice, and the head's own
    gradient does not depend on its scale.

    ## Why it breaks training
    Each layer multiplies the scale of its input by about `std * sqrt(fan_in)`. Far above the standard
    scale, activations and gradients grow layer by layer until sigmoid/tanh saturate or the loss
    overflows to NaN; far below, signals and gradients shrink towards zero and the first layers stop
    learning.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 100)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    init = keras.initializers.RandomNormal(stddev=5.0)
    model = keras.Sequential([
        keras.Input(shape=(100,)),
        keras.layers.Dense(32, activation="relu", kernel_initializer=init),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 100)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(100,)),
        keras.layers.Dense(32, activation="relu", kernel_initializer="he_normal"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [GB] Glorot & Bengio (2010); [HE] He et al. (2015); LeCun et al. (1998), "Efficient BackProp".
    - Threshold `kernel_std_factor` (default 10). Measured: default-initialised layers of the healthy
      test models sit at 0.3x-1.1x of the nearest standard scale; `RandomNormal(stddev=5)` on fan-in
      100 at 35x.
    """

    code = "KC702"
    name = "weight-scale"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        factor = limits(ctx).kernel_std_factor
        layers = list(weighted(run))
        head = layers[-1] if layers else None
        for layer in layers:
            std = layer.kernel_std
            if not std or not layer.fan_in or not layer.trainable:
                continue
            low, high = standard_scales(layer)
            if std > high * factor:
                yield Finding(layer_loc(run, layer), layer=layer.name, message=(
                    f"{layer.name}'s kernel starts with std {num(std)}, {num(std / high)}x the largest standard "
                    f"scale {num(high)} for fan-in {layer.fan_in}: activations and gradients grow "
                    "layer by layer until the loss overflows or units saturate; use the default "
                    "glorot_uniform (he_normal for relu) or RandomNormal(stddev=sqrt(2/fan_in))"))
            elif std < low / factor and layer is not head:  # a small-initialised head is a sound choice
                yield Finding(layer_loc(run, layer), layer=layer.name, message=(
                    f"{layer.name}'s kernel starts with std {num(std)}, {num(low / std)}x below the smallest "
                    f"standard scale {num(low)} for fan-in {layer.fan_in}: signals and gradients shrink "
                    "towards zero through it and the layers before it barely learn; use the default "
                    "glorot_uniform (he_normal for relu)"))
