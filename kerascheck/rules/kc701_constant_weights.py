"""KC701 constant-weights."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import layer_loc, num, weighted
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements


class ConstantWeights(RuntimeRule):
    """A hidden layer's kernel has zero variance, so all its units stay identical (or dead) forever.

    ## What it flags
    A layer whose kernel, measured on the live model before training, has a standard deviation of
    exactly 0 (every weight equal) when that cannot be undone by training: the next weighted layer is
    constant too, or the layer's gradient is exactly zero (zeros with relu). A constant output layer
    after random hidden layers is a known idiom and is not reported.

    ## Why it breaks training
    Identical incoming weights make every unit compute the same value; with identical outgoing weights
    every unit also receives the same gradient, so the units remain copies of one another after any
    number of steps and the layer works as one unit. With a zero kernel and relu the output is 0 with a
    zero gradient, and nothing before the output layer learns at all.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="tanh", kernel_initializer="ones"),
        keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones"),
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
        keras.layers.Dense(16, activation="tanh"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - Glorot & Bengio (2010): random initialization breaks the symmetry between units.
    - Measured: `kernel_std` is exactly 0.0 for `"zeros"`/`"ones"`/`Constant` kernels and above 0.05 for
      every default-initialised layer of the healthy test models.
    """

    code = "KC701"
    name = "constant-weights"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        layers = weighted(run)
        for position, layer in enumerate(layers[:-1]):
            if layer.kernel_std != 0.0 or not layer.trainable:
                continue
            following = layers[position + 1]
            if following.kernel_std == 0.0:
                why = (f"the next layer {following.name} is constant too, so every unit also gets the same "
                       "gradient and they stay copies of one another")
            elif layer.grad_norm == 0.0:
                why = "its gradient is exactly zero, so it never changes"
            else:
                continue
            yield Finding(layer_loc(run, layer), layer=layer.name, message=(
                f"every weight of {layer.name}'s kernel {tuple(layer.kernel_shape or ())} is "
                f"{num(layer.kernel_mean)} (std 0): its units all compute the same value and {why}; "
                "remove the constant kernel_initializer (the default glorot_uniform, or he_normal for relu)"))
