"""KC407 dropout-after-logits."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import ACTIVATION_LAYERS, TRANSPARENT_LAYERS, FileFacts
from kerascheck.rules._arch import (
    DENSE_CONV, NOISE_LAYERS, chain_models, describe, nested_models, output_index,
)
from kerascheck.rules.base import Finding, Rule, RuleContext


class DropoutAfterLogits(Rule):
    """Dropout or noise is applied to the model's output (between the last layer and its activation).

    ## What it flags
    A `Dropout`, `SpatialDropout*D`, `GaussianNoise`, `GaussianDropout` or `AlphaDropout` layer placed
    after the output layer: between the last `Dense`/`Conv` and the `Activation` that turns its logits
    into probabilities (`Dense(10)`, `Dropout(0.5)`, `Activation("softmax")`), or as the very last
    layer of the model.

    ## Why it breaks training
    During training dropout zeroes random outputs and scales the others by `1 / (1 - rate)`; noise
    layers add random values. Applied to the logits it randomly sets class scores to 0; applied to the
    probabilities it produces exact zeros (the cross-entropy is `-log(0)` = inf, then NaN) and values
    above 1, and noise makes probabilities negative. The loss no longer measures the model's
    prediction, so it jumps or turns NaN while the (dropout-free) evaluation disagrees with training.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dense(10),
        layers.Dropout(0.5),
        layers.Activation("softmax"),
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
        layers.Dropout(0.5),
        layers.Dense(10),
        layers.Activation("softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/api/layers/regularization_layers/dropout/
    - Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", 2014
    """

    code = "KC407"
    name = "dropout-after-logits"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        nested = nested_models(facts)
        for model in chain_models(facts):
            if model.outputs != 1 or model.compile is None or id(model) in nested:
                continue  # a sub-model (feature extractor) may well end with dropout
            raw = model.raw_layers
            out = output_index(raw)
            if out is None or raw[out].kind not in DENSE_CONV:
                continue
            tail = raw[out + 1:]
            if not tail or any(layer.follows_op for layer in tail) or any(
                    layer.kind not in TRANSPARENT_LAYERS and layer.kind not in ACTIVATION_LAYERS
                    for layer in tail):
                continue
            if any(layer.kind in ("Flatten", "Reshape") for layer in tail):
                continue  # a spatial output reshaped afterwards: keep to the plain head
            head = raw[out]
            for position, layer in enumerate(tail):
                if layer.kind not in NOISE_LAYERS:
                    continue
                activation_after = [t for t in tail[position + 1:] if t.kind in ACTIVATION_LAYERS]
                activation_before = [t for t in tail[:position] if t.kind in ACTIVATION_LAYERS]
                if activation_after:
                    name = activation_after[0].activation or "activation"
                    where = f"between {describe(head)} and its {name}"
                    effect = ("corrupts random logits during training, so the loss is computed on "
                              "predictions the model does not make")
                else:
                    applied = (activation_before[-1].activation if activation_before
                               else head.activation)
                    where = f"after the output layer {describe(head)}"
                    effect = (f"zeroes or perturbs the {applied} outputs during training, so the "
                              f"loss sees probabilities of 0 (log(0) = inf, NaN) or above 1"
                              if applied in ("softmax", "sigmoid") else
                              "zeroes or perturbs the predictions the loss is computed on during "
                              "training")
                yield Finding(
                    layer.loc,
                    f"{describe(layer)} {where} {effect}; move it before {describe(head)}",
                )
                break
