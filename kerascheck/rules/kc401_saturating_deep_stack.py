"""KC401 saturating-deep-stack."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, LayerFact
from kerascheck.rules._arch import DENSE_CONV, NOISE_LAYERS, chain_models, describe, hidden_indices
from kerascheck.rules.base import Finding, Option, Rule, RuleContext

_SIGMOID_LIKE = frozenset({"sigmoid", "hard_sigmoid"})
# Layers that neither normalise nor bypass: a run of saturating layers continues across them.
_PASS_THROUGH = NOISE_LAYERS | api.POOL_LAYERS | {"Flatten", "Reshape", "ActivityRegularization"}


class SaturatingDeepStack(Rule):
    """Three or more hidden layers in a row squash with sigmoid/tanh and nothing normalises between them.

    ## What it flags
    A run of consecutive hidden `Dense`/`Conv` layers (the output layer does not count) whose
    activation is `sigmoid`, `hard_sigmoid`, `tanh` or `softsign`, with no `BatchNormalization` or
    `LayerNormalization` between them. Activations given as separate `Activation(...)` layers count;
    `Dropout` and pooling between the layers do not break the run. A run with at least one
    sigmoid-like layer is reported from `min-layers` layers on; a run of only `tanh`/`softsign` layers
    (zero-centred, gradient up to 1) from `min-tanh-layers` on. Recurrent layers are not counted (their
    `tanh` is gated), and a residual sum or other operation between two layers ends the run.
    Layers built by code count like layers written out: a list comprehension
    (`[Dense(64, activation="sigmoid") for _ in range(10)]`, also spliced with `*[...]`), `.add` or
    `.append` in a `for` loop over a known range or list (a body of up to three simple statements is
    unrolled up to 64 times, longer ones up to 16); a loop whose trip count is unknown
    (`range(n_layers)` with `n_layers` read at run time) counts its layers once.

    ## Why it breaks training
    The derivative of sigmoid is at most 0.25 and that of tanh falls to zero as soon as a unit
    saturates. Backpropagation multiplies one such factor per layer, so the gradient reaching the first
    layers shrinks geometrically with depth (vanishing gradients): the early layers stop learning, the
    loss plateaus at the value of guessing the majority class and accuracy does not move. Sigmoid's
    outputs are also all positive (mean 0.5), which slows every layer after it further.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="sigmoid"),
        layers.Dense(128, activation="sigmoid"),
        layers.Dense(64, activation="sigmoid"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks", 2010
    - Hochreiter, "The vanishing gradient problem during learning recurrent neural nets", 1998
    - https://keras.io/api/layers/activations/
    """

    code = "KC401"
    name = "saturating-deep-stack"
    severity = Severity.WARNING
    options = {
        "min-layers": Option(3, "Shortest run of hidden layers, one of them sigmoid-like, to report."),
        "min-tanh-layers": Option(5, "Shortest run of hidden tanh/softsign-only layers to report."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        min_layers = int(ctx.option("min-layers"))
        min_tanh = int(ctx.option("min-tanh-layers"))
        for model in chain_models(facts):
            layers = model.layers
            hidden = hidden_indices(layers)
            run: list[LayerFact] = []
            for i in [*hidden, None]:
                layer = layers[i] if i is not None else None
                if layer is not None and layer.kind in _PASS_THROUGH and not layer.follows_op:
                    continue
                saturating = (
                    layer is not None and layer.kind in DENSE_CONV
                    and layer.activation in api.SATURATING_ACTIVATIONS
                )
                if saturating and run and layer.follows_op:
                    yield from self._report(run, min_layers, min_tanh)
                    run = []
                if saturating:
                    run.append(layer)
                    continue
                yield from self._report(run, min_layers, min_tanh)
                run = []

    @staticmethod
    def _report(run: list[LayerFact], min_layers: int, min_tanh: int) -> Iterator[Finding]:
        sigmoid_like = any(layer.activation in _SIGMOID_LIKE for layer in run)
        if len(run) < (min_layers if sigmoid_like else min_tanh):
            return
        names = sorted({layer.activation or "" for layer in run})
        first = run[0]
        kinds = "/".join(dict.fromkeys(layer.kind for layer in run))
        why = ("sigmoid's gradient is at most 0.25 per layer" if sigmoid_like
               else "a saturated tanh passes almost no gradient")
        yield Finding(
            first.loc,
            f"{len(run)} consecutive hidden {kinds} layers from {describe(first)} on use "
            f"{'/'.join(names)} with no "
            f"BatchNormalization between them: {why}, so the gradient vanishes before it reaches "
            f"the first layers and the model stops learning; use activation=\"relu\" in hidden "
            f"layers (keep sigmoid/softmax for the output) or add BatchNormalization",
        )
