"""KC402 missing-hidden-activation."""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import TRANSPARENT_LAYERS, FileFacts, LayerFact
from kerascheck.rules._arch import (
    NOISE_LAYERS, chain_models, describe, hidden_indices, nested_models, output_index,
)
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
    not help. Also reported:

    - a model of tabular features whose only hidden layer is a linear `Dense` right before an
      output `Dense` with an activation (`Dense(32, input_dim=4)` then
      `Dense(3, activation="softmax")`): nothing in the model is nonlinear, so it is a linear
      classifier (after a `Flatten` of images or pretrained features such a linear head is a
      deliberate linear probe and is not reported);
    - two or more consecutive hidden convolutions written with `activation="linear"` (convolutions
      left at the default activation are usually followed by `BatchNormalization` and an
      activation layer, which are seen).

    Another single linear `Dense` (a projection or embedding before attention, a linear bottleneck
    after nonlinear layers) is not reported, nor a model that is never compiled or fit in the file
    and is not part of one that is (a guide demonstrating saving or subclassing with
    `Dense(u) for u in units`).

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
            for run in _linear_runs(layers, _is_linear_dense):
                if len(run) >= 2:
                    yield self._finding(run)
            for run in _linear_runs(layers, _is_explicit_linear_conv):
                if len(run) >= 2:
                    yield self._conv_finding(run)
            single = _only_hidden_linear_dense(layers)
            if single is not None:
                yield self._single_finding(single, layers[output_index(layers) or 0])

    @staticmethod
    def _conv_finding(run: list[LayerFact]) -> Finding:
        first = run[0]
        rest = ", ".join(describe(layer) for layer in run[1:])
        return Finding(
            first.arg_loc("activation"),
            f"{describe(first)} and the {rest} after it are written with activation=\"linear\", "
            f"so together they compute one linear filter and the stack learns no more than a "
            f"single convolution; use activation=\"relu\" in the hidden convolutions",
        )

    @staticmethod
    def _single_finding(layer: LayerFact, output: LayerFact) -> Finding:
        return Finding(
            layer.loc,
            f"{describe(layer)} is the only hidden layer and has no activation, so it and "
            f"{describe(output)} compute one linear map before the {output.activation}: the model "
            f"is a linear classifier and cannot learn a nonlinear boundary (the loss plateaus); "
            f"add activation=\"relu\" to {describe(layer)}",
        )

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


# Layers that may come before the one linear hidden layer of a linear classifier on tabular
# features. Flatten and Reshape mean image or sequence inputs, where a linear head on pretrained
# features (a linear probe: VGG16 features, Flatten, Dense(256), Dense(1, "sigmoid")) is sound.
_LINEAR_PREFIX = _LINEAR_BETWEEN | {"InputLayer", "Normalization", "Rescaling", "BatchNormalization",
                                    "LayerNormalization"}


def _is_linear_dense(layer: LayerFact) -> bool:
    return layer.kind == "Dense" and layer.activation == "linear"


def _is_explicit_linear_conv(layer: LayerFact) -> bool:
    """A convolution written with ``activation="linear"`` (not one left at the default, which is
    usually followed by ``BatchNormalization`` and an activation layer the facts fold in)."""
    return layer.kind in api.CONV_LAYERS and layer.activation == "linear" and (
        layer.kwargs.get("activation") == "linear")


def _linear_runs(layers: Sequence[LayerFact],
                 is_linear: Callable[[LayerFact], bool]) -> Iterator[list[LayerFact]]:
    """Maximal runs of consecutive hidden layers that ``is_linear`` (noise layers between)."""
    run: list[LayerFact] = []
    for i in [*hidden_indices(layers), None]:
        layer = layers[i] if i is not None else None
        if layer is not None and layer.kind in _LINEAR_BETWEEN and not layer.follows_op:
            continue
        linear = layer is not None and is_linear(layer)
        if linear and run and not layer.follows_op:
            run.append(layer)
            continue
        if run:
            yield run
        run = [layer] if linear else []


def _only_hidden_linear_dense(layers: Sequence[LayerFact]) -> LayerFact | None:
    """``Dense(64, input_dim=8)`` then ``Dense(1, activation="sigmoid")``: the model's one hidden
    layer is linear and nothing before it is nonlinear, so it is a linear classifier."""
    out = output_index(layers)
    if out is None:
        return None
    output = layers[out]
    if output.kind != "Dense" or output.activation in (None, "linear") or output.follows_op:
        return None
    hidden = [layer for layer in layers[:out] if layer.kind not in _LINEAR_PREFIX]
    if len(hidden) != 1 or not _is_linear_dense(hidden[0]):
        return None
    if any(layer.kind in TRANSPARENT_LAYERS - _LINEAR_PREFIX for layer in layers[:out]):
        return None  # Flatten/Reshape: image or sequence features
    if any(layer.follows_op for layer in layers[:out + 1]):
        return None
    return hidden[0]
