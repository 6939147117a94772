"""KC605 first-step-error."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import Loc
from kerascheck.rules._runtime_data import compile_loc, data_loc, head_loc, head_name, label_problems, loc
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements
from kerascheck.runtime.step_errors import Translation, translate


def _where(run: RunMeasurements, translation: Translation) -> tuple[Loc, str | None]:
    """The line the cause is about: the head layer, a named layer, compile, fit or the model."""
    if translation.about == "head":
        return head_loc(run), head_name(run)
    if translation.about == "layer" and translation.layer is not None:
        layer = run.layer(translation.layer)
        return loc(layer.site if layer else None, run.model_site, run.fit_site), translation.layer
    if translation.about == "compile":
        return compile_loc(run), None
    if translation.about == "model":
        return loc(run.model_site, run.fit_site, run.compile_site), None
    return data_loc(run), None


class FirstStepError(RuntimeRule):
    """Training fails at its very first step: the exception, said in terms of your labels, layers and compile call.

    ## What it flags
    The exception the model raised the first time it met the data (the probe step on a copy of the
    model, or the script's own `fit`), translated into its cause and fix: integer class ids given to
    `categorical_crossentropy` (or one-hot rows to the sparse loss), targets whose width differs from
    the head's units, a sparse label outside [0, units), data whose shape differs from the model's
    input (or a `tf.data.Dataset` never batched), an unknown loss, optimizer or metric name, a plain
    Python list as `x` or `y`, string data. Any
    other exception is still one finding with its message's informative line and the stage at which
    it happened, never a raw traceback. When the label statistics already explain the error, KC603
    reports it instead.

    ## Why it breaks training
    Keras 3 checks shapes and types at the first step, so these bugs stop the script with a message
    about `target` and `output` tensors or a graph node deep inside TensorFlow, far from the line
    that causes them.

    ## Example
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 6)).astype("float32")
    y = keras.utils.to_categorical(rng.integers(0, 2, size=256), 2)
    model = keras.Sequential([
        keras.Input(shape=(4,)),  # the data has 6 features
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 6)).astype("float32")
    y = keras.utils.to_categorical(rng.integers(0, 2, size=256), 2)
    model = keras.Sequential([
        keras.Input(shape=(6,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## References
    - https://keras.io/api/models/model_training_apis/#fit-method (the data forms `fit` accepts)
    - https://keras.io/api/losses/ (loss names and the label format each expects)
    """

    code = "KC605"
    name = "first-step-error"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.thresholds is not None
        if run.step_error is None:
            return
        translation = translate(run.step_error, run)
        if translation.category in ("labels", "shape") and label_problems(run, ctx.thresholds):
            return  # KC603 names the cause from the labels themselves
        where, layer = _where(run, translation)
        yield Finding(where, translation.message, layer=layer)
