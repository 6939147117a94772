"""KC707 exploding-gradients."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._measured import ADAPTIVE, gradient_layers, input_is_unscaled, layer_loc, limits, num
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements
from kerascheck.runtime.thresholds import Thresholds


def explosion_cause(run: RunMeasurements, thresholds: Thresholds) -> str:
    """The measured reason gradients are huge: oversized kernels, unscaled inputs or unscaled targets."""
    big = [l for l in run.layers if l.kernel_std and l.expected_std
           and l.kernel_std > thresholds.kernel_std_factor * l.expected_std]
    if big:
        return f"{big[0].name}'s kernel starts at {num(big[0].kernel_std / (big[0].expected_std or 1))}x its He/Glorot scale"
    scale = input_is_unscaled(run, thresholds.input_abs_max)
    if scale is not None:
        return f"the inputs reach {num(scale)} (unscaled)"
    targets = [a for a in run.array("y") if a.max is not None and a.min is not None]
    if targets and max(abs(targets[0].max or 0), abs(targets[0].min or 0)) > thresholds.input_abs_max:
        return f"the targets reach {num(max(abs(targets[0].max or 0), abs(targets[0].min or 0)))} (unscaled)"
    return "the activations grow through the layers"


def _probe_is_stable(run: RunMeasurements, thresholds: Thresholds) -> bool:
    probe = run.probe
    if probe is None or probe.nan_step is not None or not probe.losses:
        return False
    first, final = probe.losses[0], probe.losses[-1]
    return first is not None and final is not None and final <= thresholds.divergence_factor * first


class ExplodingGradients(RuntimeRule):
    """Gradients on the first batch are huge, or grow by orders of magnitude towards the first layers.

    ## What it flags
    Measured with the compiled loss on the first batch, before training: a layer whose gradient norm
    exceeds `exploding_gradient_norm`, or a first-to-last layer gradient-norm ratio above
    `exploding_gradient_ratio`. The finding names the measured cause (an oversized kernel, unscaled
    inputs or targets). With an adaptive optimizer (Adam, RMSprop, ...) the step does not grow with the
    gradient, so it is reported only when the probe training also blows up (NaN or divergence).

    ## Why it breaks training
    The first update is the gradient times the learning rate: with norms of a million the weights jump
    far away, the loss spikes and soon overflows to NaN. A large first-to-last ratio means every layer
    multiplies the gradient, which compounds with depth.

    ## Example
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32") * 1000.0
    y = x.sum(axis=1, keepdims=True) * 1000.0
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True) / 3.0
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1)
    ```

    ## References
    - [AT] AUTOTRAINER (gradient explosion), [DD] DeepDiagnosis (absolute gradient norm).
    - Thresholds `exploding_gradient_norm` (default 1e6) and `exploding_gradient_ratio` (default 1e4).
      Measured: the healthy test models' largest gradient norm is below 10 and their ratios below 2.
    """

    code = "KC707"
    name = "exploding-gradients"
    severity = Severity.WARNING

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        thresholds = limits(ctx)
        layers = gradient_layers(run)
        if not layers or any(l.nonfinite_grad for l in layers):
            return  # non-finite gradients are KC708's
        if run.optimizer in ADAPTIVE and _probe_is_stable(run, thresholds):
            return  # Adam-like steps do not scale with the gradient: the probe shows training is fine
        biggest = max(layers, key=lambda l: l.grad_norm or 0.0)
        first, last = layers[0], layers[-1]
        cause = explosion_cause(run, thresholds)
        if (biggest.grad_norm or 0.0) > thresholds.exploding_gradient_norm:
            yield Finding(layer_loc(run, biggest), layer=biggest.name, message=(
                f"{biggest.name}'s gradient norm on the first batch is {num(biggest.grad_norm)} because {cause}: "
                "the first update throws the weights far away and the loss overflows; scale inputs and "
                "targets to about unit range, keep the default initializer, or set clipnorm=1.0 on the optimizer"))
        elif len(layers) >= 2 and last.grad_norm and (first.grad_norm or 0.0) / last.grad_norm > \
                thresholds.exploding_gradient_ratio:
            ratio = (first.grad_norm or 0.0) / last.grad_norm
            yield Finding(layer_loc(run, first), layer=first.name, message=(
                f"the gradient reaching {first.name} ({num(first.grad_norm)}) is {num(ratio)} times that of "
                f"{last.name} ({num(last.grad_norm)}) because {cause}: it grows with depth and the first "
                "layers' updates blow up; use the default initializer, BatchNormalization, or clipnorm=1.0"))
