"""KC705 non-finite-activations."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import layer_loc, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import LayerStats, RunMeasurements

_OVERFLOW = 1e15  # an activation this large turns into Inf within a layer or two in float32


def nonfinite_cause(run: RunMeasurements, layer: LayerStats) -> str:
    """Why the first non-finite layer produced NaN/Inf, from what was measured before it."""
    if layer.kernel_shape is not None and layer.kernel_std is None:
        return "its own weights already hold NaN/Inf"
    before = [b for b in run.layers[:layer.index] if b.act_std is not None]
    if before and before[-1].act_std is not None and before[-1].act_std > _OVERFLOW:
        return f"its input from {before[-1].name} is already huge (std {num(before[-1].act_std)}) and overflows"
    if layer.kind in ("Lambda", "TFOpLambda") or layer.kernel_shape is None:
        return ("its computation leaves the domain of a function on these inputs (log or sqrt of a "
                "value <= 0, a division by zero, exp overflow)")
    return "its output overflows float32"


class NonFiniteActivations(RuntimeRule):
    """A layer outputs NaN or Inf on the first batch; the finding names the first one, in model order.

    ## What it flags
    The first layer (in model order, nested models flattened) whose output on the first batch holds
    a NaN or an Inf while the input data is finite (non-finite data is KC601's), with the measured
    cause: weights already non-finite, an input that overflows, or a custom computation (a `Lambda`
    or custom layer) outside a function's domain.

    ## Why it breaks training
    A NaN in any activation makes the loss and every gradient NaN; the first optimizer step writes NaN
    into the weights and the model never recovers. Only the first bad layer matters: every layer after
    it inherits the NaN.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Lambda(lambda t: keras.ops.log(t)),
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
        keras.layers.Lambda(lambda t: keras.ops.log(keras.ops.abs(t) + 1e-7)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - DeepLocalize (Wardat et al., ICSE 2021): localise the first layer whose output turns non-finite.
    - No threshold: any NaN/Inf counts.
    """

    code = "KC705"
    name = "non-finite-activations"
    severity = Severity.ERROR

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        if any(array.nonfinite for array in run.array("x")):
            return  # the data holds NaN/Inf: KC601 names it, every layer inherits it
        layer = next((l for l in run.layers if l.nonfinite_output), None)
        if layer is None:
            return
        yield Finding(layer_loc(run, layer), layer=layer.name, message=(
            f"{layer.name} ({layer.kind}) is the first layer to output NaN/Inf on the batch, because "
            f"{nonfinite_cause(run, layer)}: the loss and every gradient become NaN at the first step; "
            "guard the operation (clip to a positive minimum before log/sqrt, add an epsilon to "
            "denominators) or fix the weights that feed it"))
