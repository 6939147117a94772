"""KC402 missing-hidden-activation."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, LayerFact
from kerascheck.rules._arch import NOISE_LAYERS, chain_models, describe, hidden_indices, nested_models
from kerascheck.rules.base import Finding, Rule, RuleContext

# Between two Dense layers these keep the composition linear (BatchNormalization is an affine map at
# inference); anything else (Flatten, an attention layer, a user layer) ends the run.
_LINEAR_BETWEEN = NOISE_LAYERS | {"BatchNormalization", "ActivityRegularization"}


class MissingHiddenActivation(Rule):
    """Two or more hidden Dense layers in a row have no activation, so they collapse to one linear map.

    ## What it flags
    Consecutive hidden `Dense` layers (the output layer does not count) that all apply no activation:
    no `activation=` argument, `activation=None` or `"linear"`, and no `Activation`/`ReLU`/`LeakyReLU`
    layer after them (activations after `BatchNormalization` are seen). `Dropout` between them does
    not help. A single linear `Dense` (a projection or embedding before attention, a linear bottleneck)
    is not reported, nor a model that is never compiled or fit in the file and is not part of one
    that is (a guide demonstrating saving or subclassing with `Dense(u) for u in units`).

    ## Why it breaks training
    A `Dense` layer without activation computes `x @ W + b`, and a composition of affine maps is one
    affine map: however many linear hidden layers are stacked, the model can only learn a linear
    function of its input. On any problem that is not linearly separable the loss plateaus and
    accuracy stays at what a logistic regression reaches, whatever the number of units or epochs.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(64),
        layers.Dense(64),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - Goodfellow, Bengio & Courville, *Deep Learning*, section 6.3 (hidden units)
    - https://keras.io/api/layers/core_layers/dense/
    """

    code = "KC402"
    name = "missing-hidden-activation"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        nested = nested_models(facts)
        for model in chain_models(facts):
            if model.compile is None and not model.fits and id(model) not in nested:
                # Never trained here nor part of a model that is: a demonstration of an API
                # (saving, subclassing) whose layers are not meant to learn anything.
                continue
            layers = model.layers
            run: list[LayerFact] = []
            for i in [*hidden_indices(layers), None]:
                layer = layers[i] if i is not None else None
                if layer is not None and layer.kind in _LINEAR_BETWEEN and not layer.follows_op:
                    continue
                linear = (layer is not None and layer.kind == "Dense"
                          and layer.activation == "linear")
                if linear and run and not layer.follows_op:
                    run.append(layer)
                    continue
                if len(run) >= 2:
                    yield self._finding(run)
                run = [layer] if linear else []

    @staticmethod
    def _finding(run: list[LayerFact]) -> Finding:
        first = run[0]
        rest = ", ".join(describe(layer) for layer in run[1:])
        return Finding(
            first.loc,
            f"{describe(first)} and the {rest} after it have no activation, so together they "
            f"compute one linear map and the model can only learn a linear function (the loss "
            f"plateaus); add activation=\"relu\" to the hidden Dense layers",
        )
