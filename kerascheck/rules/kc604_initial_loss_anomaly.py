"""KC604 initial-loss-anomaly."""

from __future__ import annotations

import math
from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.rules._runtime_data import TAKES_RAW, compile_loc, fmt, label_problems, large_inputs
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule
from kerascheck.runtime.measurements import RunMeasurements
from kerascheck.runtime.thresholds import Thresholds

_LOGIT_HEADS = frozenset({None, "linear"})
_CROSSENTROPY = frozenset({"categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy"})


def _likely_cause(run: RunMeasurements, t: Thresholds) -> str:
    """The most probable reason, from what else was measured (the first that applies)."""
    if run.loss in _CROSSENTROPY and run.from_logits is not True and run.head_activation in _LOGIT_HEADS \
            and run.head_units is not None:
        act = "sigmoid" if run.loss == "binary_crossentropy" else "softmax"
        return (f"the head has no {act} (activation {run.head_activation or 'linear'}) but the loss reads its "
                f"outputs as probabilities: pass from_logits=True to the loss, or give the head "
                f"activation='{act}'")
    for stats, biggest, readers in large_inputs(run, t.input_abs_max, t.input_bulk_max):
        adapt = " (a Normalization layer must be adapted on the data, normalizer.adapt(x), before fit)" \
            if "Normalization" in readers else ""
        return (f"input {stats.name} reaches max |x| = {fmt(biggest)} and the layer reading it "
                f"({', '.join(readers)}) leaves it far from unit scale, so the initial logits are huge: make "
                f"that layer scale it to about [-1, 1]{adapt}")
    return ("the initial logits are far from zero: look for a kernel_initializer or bias_initializer much "
            "larger than the Glorot/He default, or a custom layer that scales the outputs")


class InitialLossAnomaly(RuntimeRule):
    """The loss before any update is already NaN, or far above the chance level.

    ## What it flags
    The loss of the untrained model on the first batch (measured on a copy of the model) when it is
    NaN or infinite, or, for cross-entropy losses, above `initial-loss-chance-factor` times the
    chance level: ln C for C-way categorical cross-entropy, ln 2 for binary cross-entropy. The
    message names the likely cause from the other measurements: a head without softmax/sigmoid whose
    outputs the loss reads as probabilities, large inputs that the layer reading them does not scale
    (a `Normalization` layer never adapted), or an oversized initialization. It stays silent when
    the data holds NaN (KC601), the labels do not fit the head (KC603) or the inputs are unscaled
    (KC602): those findings already name the cause.

    ## Why it breaks training
    A freshly initialised classifier predicts roughly uniform probabilities, so its loss starts near
    ln C. A loss of 15 where ln 10 = 2.3 is expected means the model is confidently wrong on every
    example from step 0: gradients are huge, the first updates throw the weights far away, and
    training diverges to NaN or spends its first epochs undoing the initialization.

    ## Example
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),  # a logit, read by the loss as a probability
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=32, epochs=1)
    ```

    ## References
    - Thresholds: `initial-loss-chance-factor` (how many times the chance-level loss).
    - Karpathy, "A Recipe for Training Neural Networks" (2019): verify the loss at init (-ln(1/C)).
    """

    code = "KC604"
    name = "initial-loss-anomaly"

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        assert ctx.thresholds is not None
        t = ctx.thresholds
        probe = run.probe
        if probe is None or probe.initial_loss is None or run.step_error is not None:
            return
        if any(a.nonfinite for a in run.data) or label_problems(run, t) or any(
                not set(readers) & TAKES_RAW for _, _, readers in large_inputs(run, t.input_abs_max, t.input_bulk_max)):
            return  # KC601, KC603 or KC602 already name the cause
        loss = probe.initial_loss
        if not math.isfinite(loss):
            yield Finding(compile_loc(run), (
                f"the loss is already {fmt(loss)} on the first batch, before any update, with finite data: "
                f"every gradient is NaN and the weights are ruined by the first step; {_likely_cause(run, t)}"),
                severity=Severity.ERROR)
            return
        chance = probe.chance_loss
        if chance is not None and chance > 0 and loss > t.initial_loss_chance_factor * chance:
            yield Finding(compile_loc(run), (
                f"the initial loss is {fmt(loss)}, {fmt(loss / chance)}x the chance level {fmt(chance)} "
                f"(> {fmt(t.initial_loss_chance_factor)}x): the untrained model is confidently wrong on every "
                f"example, so the first gradients are huge and training diverges or stalls; "
                f"{_likely_cause(run, t)}"))
