"""KC602 unnormalized-data."""

from __future__ import annotations

from typing import Iterator

from kerascheck.rules._runtime_data import TAKES_RAW, data_loc, fmt, input_readers, large_inputs
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import ArrayStats, RunMeasurements

def _fix(stats: ArrayStats) -> str:
    if stats.min is not None and stats.min >= 0 and stats.max is not None and stats.max <= 255 \
            and stats.integer_valued:
        return "scale pixel values to [0, 1] (x / 255.0), or start the model with keras.layers.Rescaling(1 / 255)"
    return ("standardise the features ((x - x.mean(axis=0)) / x.std(axis=0), sklearn's StandardScaler), or "
            "start the model with a keras.layers.Normalization layer adapted on the training data")


class UnnormalizedData(RuntimeRule):
    """The inputs reach the first weights far outside [-1, 1], or with feature scales orders of magnitude apart.

    ## What it flags
    An input array (of `fit`'s `x`) whose largest magnitude exceeds `input-abs-max`, or whose columns'
    standard deviations differ by more than `feature-scale-ratio`, when the layer that reads it is an
    ordinary weight layer. Inputs read first by a layer that takes raw values (`Rescaling`,
    `Normalization`, `BatchNormalization`, `Embedding` for integer token ids, the lookup and encoding
    preprocessing layers, a `Lambda`) are not flagged: `uint8` images into `Rescaling(1/255)` are fine,
    and so are images in the range `keras.applications`' "caffe" preprocessing produces for VGG and
    ResNet weights.

    ## Why it breaks training
    Weights are initialised for inputs of unit scale (Glorot/He). Pixel values of 0-255 or prices in
    the thousands make the first layer's pre-activations hundreds of times larger: sigmoid and tanh
    units saturate (zero gradient), ReLU activations and the first gradients explode, and the loss
    goes NaN or stalls at chance. Features on very different scales make the loss surface badly
    conditioned: a step size that suits one feature is far too large or too small for another.

    ## Example
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(256, 64)).astype("float32")  # raw pixel values
    y = keras.utils.to_categorical(rng.integers(0, 10, size=256), 10)
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(256, 64)).astype("float32") / 255.0
    y = keras.utils.to_categorical(rng.integers(0, 10, size=256), 10)
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## References
    - Thresholds: `input-abs-max` (largest input magnitude), `feature-scale-ratio` (spread of the
      features' standard deviations).
    - TheDeepChecker (Ben Braiek & Khomh, 2023): inputs should lie in about [-1, 1].
    - LeCun, Bottou, Orr & Müller, "Efficient BackProp" (1998): normalise inputs to zero mean and
      comparable variance.
    """

    code = "KC602"
    name = "unnormalized-data"

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.thresholds is not None
        limit, ratio_limit = ctx.thresholds.input_abs_max, ctx.thresholds.feature_scale_ratio
        large = {id(stats): biggest for stats, biggest, _ in large_inputs(run, limit, ctx.thresholds.input_bulk_max)}
        for stats in run.array("x"):
            if stats.kind != "numeric" or set(input_readers(stats, run)) & TAKES_RAW:
                continue
            biggest = large.get(id(stats))
            if biggest is not None:
                yield Finding(data_loc(run), (
                    f"input {stats.name} ranges over {fmt(stats.min)}..{fmt(stats.max)} (max |x| = {fmt(biggest)}"
                    f" > {fmt(limit)}): weights are initialised for unit-scale inputs, so the first layer's "
                    f"pre-activations are huge, saturating units or exploding gradients (NaN or a stuck loss); "
                    f"{_fix(stats)}"))
                continue
            low, high = stats.feature_std_min, stats.feature_std_max
            if low is not None and high is not None and low > 0 and high / low > ratio_limit:
                yield Finding(data_loc(run), (
                    f"the features of input {stats.name} have standard deviations from {fmt(low)} to {fmt(high)} "
                    f"({fmt(high / low)}x apart, > {fmt(ratio_limit)}x): one learning rate cannot suit "
                    f"features on such different scales, so training crawls or diverges; "
                    f"{_fix(stats)}"))
