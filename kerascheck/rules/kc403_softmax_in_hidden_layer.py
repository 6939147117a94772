"""KC403 softmax-in-hidden-layer."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import TRANSPARENT_LAYERS, FileFacts
from kerascheck.rules._arch import DENSE_CONV, chain_models, describe, hidden_indices
from kerascheck.rules.base import Finding, Rule, RuleContext


class SoftmaxInHiddenLayer(Rule):
    """A hidden Dense/Conv layer uses softmax and feeds the next Dense/Conv layer.

    ## What it flags
    A `Dense` or `Conv` layer with `activation="softmax"` (or a `Softmax`/`Activation("softmax")`
    layer after it) whose output goes straight into another `Dense`/`Conv` layer (only `Dropout`,
    normalization, `Flatten` or `Reshape` between), i.e. softmax used as a hidden activation.
    Softmax used as attention weights (followed by `Multiply`, `Dot`, `Permute`, `RepeatVector`, a
    product or a `Lambda`) and multi-output models are not reported.

    ## Why it breaks training
    Softmax turns a layer's outputs into a probability distribution: they are all positive and sum
    to 1, so with 64 units the typical value is about 1/64 and only the relative size of the
    pre-activations matters. The next layer receives tiny, strongly coupled inputs, the Jacobian of
    softmax shrinks the gradient (it vanishes as soon as one unit dominates), and the network learns
    very slowly or not at all: accuracy stays near chance.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(32,)),
        layers.Dense(64, activation="softmax"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(32,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/api/layers/activations/#softmax-function
    - Goodfellow, Bengio & Courville, *Deep Learning*, section 6.2.2.3 (softmax units for outputs)
    """

    code = "KC403"
    name = "softmax-in-hidden-layer"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model in chain_models(facts):
            if model.outputs != 1:
                continue
            layers = model.layers
            for i in hidden_indices(layers):
                layer = layers[i]
                if layer.kind not in DENSE_CONV or layer.activation != "softmax":
                    continue
                nxt = None
                for later in layers[i + 1:]:
                    if later.follows_op:
                        break
                    if later.kind in TRANSPARENT_LAYERS:
                        continue
                    nxt = later
                    break
                if nxt is None or nxt.kind not in DENSE_CONV:
                    continue
                yield Finding(
                    layer.activation_loc,
                    f"softmax on hidden {describe(layer)} makes its outputs positive and sum to 1, "
                    f"so {describe(nxt)} after it gets tiny coupled inputs and the gradient "
                    f"vanishes (accuracy stays near chance); use activation=\"relu\" in hidden "
                    f"layers and softmax only on the output layer",
                )
