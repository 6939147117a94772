"""KC706 vanishing-gradients."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import gradient_layers, layer_loc, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import LayerStats, RunMeasurements

_SATURATING = ("sigmoid", "tanh")


def zero_gradient_cause(run: RunMeasurements, upto: LayerStats | None = None) -> str:
    """Why gradients are exactly zero: a dead ReLU layer or a constant kernel on the way back."""
    layers = run.layers if upto is None else run.layers[upto.index:]
    dead = next((l for l in layers if l.dead_fraction == 1.0), None)
    if dead is not None:
        return f"every unit of {dead.name} (relu) outputs 0 on the batch, and relu passes no gradient at 0"
    constant = next((l for l in layers if l.kernel_std == 0.0 and l.kernel_mean == 0.0), None)
    if constant is not None:
        return f"{constant.name}'s kernel is all zeros, so nothing flows back through it"
    return "the loss does not depend on these weights (a disconnected branch or a stop_gradient)"


class VanishingGradients(RuntimeRule):
    """The first layers get a gradient orders of magnitude smaller than the last: they barely learn.

    ## What it flags
    On the first batch, the gradient norm of the first trainable layer divided by that of the last is
    below `vanishing_gradient_ratio` (measured with the compiled loss, before training). When the
    gradients are exactly zero the ratio means nothing (0/0): the finding reports the cause instead, a
    ReLU layer with every unit dead or an all-zero kernel.

    ## Why it breaks training
    Each layer's update is proportional to its gradient: with a ratio of 1e-8 the first layers move a
    hundred million times slower than the last and the network trains like a shallow one at best. Deep
    stacks of sigmoid/tanh shrink the gradient by up to 4x per layer.

    ## Example
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input(shape=(8,))]
                             + [keras.layers.Dense(16, activation="sigmoid") for _ in range(12)]
                             + [keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input(shape=(8,))]
                             + [keras.layers.Dense(16, activation="relu", kernel_initializer="he_normal")
                                for _ in range(12)]
                             + [keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [AT] AUTOTRAINER, [DD] DeepDiagnosis: first-to-last gradient-norm ratio.
    - Threshold `vanishing_gradient_ratio` (default 1e-4). Measured: healthy test models 0.06-1.5
      (an embedding's sparse gradient is the lowest), a 12-layer sigmoid stack 2e-8.
    """

    code = "KC706"
    name = "vanishing-gradients"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        layers = gradient_layers(run)
        if len(layers) < 2 or any(l.nonfinite_grad for l in layers):
            return  # one layer has no ratio; non-finite gradients are KC708's
        first, last = layers[0], layers[-1]
        if last.grad_norm == 0.0:
            if all(l.grad_norm == 0.0 for l in layers):
                yield Finding(layer_loc(run, first), layer=first.name, severity=Severity.ERROR, message=(
                    "every layer's gradient is exactly 0 on the batch, because "
                    f"{zero_gradient_cause(run)}: no weight can change and the loss stays flat; use "
                    "he_normal initialization with a zero bias and scaled inputs"))
            return
        ratio = (first.grad_norm or 0.0) / (last.grad_norm or 1.0)
        if ratio >= limits(ctx).vanishing_gradient_ratio:
            return
        if first.grad_norm == 0.0:
            blocker = next(l for l in reversed(layers) if l.grad_norm == 0.0)
            yield Finding(layer_loc(run, blocker), layer=blocker.name, severity=Severity.ERROR, message=(
                f"{blocker.name} and every trainable layer before it get a gradient of exactly 0 while "
                f"{last.name} gets {num(last.grad_norm)}, because {zero_gradient_cause(run, blocker)}: those "
                "layers never learn; use he_normal initialization with a zero bias, or leaky_relu"))
            return
        kinds = [l.activation for l in run.layers if l.activation in _SATURATING]
        cause = (f"{len(kinds)} {'/'.join(sorted(set(kinds)))} layers each shrink it by up to 4x"
                 if len(kinds) >= 3 else "it shrinks layer by layer")
        yield Finding(layer_loc(run, first), layer=first.name, message=(
            f"the gradient reaching {first.name} (norm {num(first.grad_norm)}) is {num(ratio)} times that of "
            f"{last.name} ({num(last.grad_norm)}) because {cause}: the first layers barely learn; use relu "
            "with he_normal, add BatchNormalization or residual connections, or make the stack shallower"))
