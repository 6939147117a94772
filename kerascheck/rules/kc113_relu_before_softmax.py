"""KC113: relu on the class scores right before the output softmax."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import ACTIVATION_LAYERS, TRANSPARENT_LAYERS, FileFacts, LayerFact, Loc
from kerascheck.rules._arch import chain_models, describe
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext

_RELU = frozenset({"relu", "relu6"})


class ReluBeforeSoftmax(Rule):
    """The output layer applies relu to the class scores and a softmax follows: negative scores are lost.

    ## What it flags
    A model whose output is a standalone softmax (`Activation("softmax")`, `Softmax()`) applied to
    a `Dense`/`Conv` layer that already has `activation="relu"` (or a `ReLU()` layer in between):
    the class scores (logits) are clipped at 0 before the softmax reads them.

    ## Why it breaks training
    A softmax needs its inputs to be free logits: a class is made unlikely by a negative score.
    After a relu every score is at least 0, so no class can be pushed below the others except by
    raising them, and a unit whose score goes negative outputs exactly 0 with a zero gradient: it
    stops learning for good. When several units die the model gives those classes the same
    probability whatever the input, and when all of them do the output is uniform and the loss
    stays at `log(num_classes)` while accuracy sits at chance.

    ## Example
    ```python
    from tensorflow import keras
    from tensorflow.keras import layers

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0

    model = keras.Sequential()
    model.add(layers.Dense(128, activation="relu", input_shape=(784,)))
    model.add(layers.Dense(10, activation="relu"))
    model.add(layers.Activation("softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=64)
    ```

    ## Fix
    ```python
    from tensorflow import keras
    from tensorflow.keras import layers

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0

    model = keras.Sequential()
    model.add(layers.Dense(128, activation="relu", input_shape=(784,)))
    model.add(layers.Dense(10))
    model.add(layers.Activation("softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=64)
    ```
    Leave the class-score layer linear (or write `Dense(10, activation="softmax")` directly).

    ## References
    - Goodfellow, Bengio & Courville, *Deep Learning*, section 6.2.2.3 (softmax units take
      unnormalised log-probabilities)
    - https://keras.io/api/layers/activations/
    """

    code = "KC113"
    name = "relu-before-softmax"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        once = OncePerLocation()
        for model in chain_models(facts):
            head = model.head
            if head is None or head.activation != "softmax" or head.activation_loc.node is None:
                continue
            relu = _relu_between(model.raw_layers, head)
            if relu is None or not once(relu):
                continue
            yield Finding(
                relu,
                f"relu on {describe(head)} clips the class scores at 0 before the softmax: no "
                f"class can get a negative score, and a unit whose score turns negative outputs 0 "
                f"with no gradient, so those classes stop learning (loss stuck near "
                f"log(num_classes)); remove the relu and leave {describe(head)} linear before the "
                f"softmax",
            )


def _relu_between(raw: tuple[LayerFact, ...], head: LayerFact) -> Loc | None:
    """Where a relu is applied between ``head`` (as written) and its folded softmax, if one is."""
    start = next((i for i, layer in enumerate(raw) if layer.loc.node is head.loc.node), None)
    if start is None:
        return None
    found: Loc | None = None
    if raw[start].activation in _RELU:
        found = raw[start].arg_loc("activation")
    for layer in raw[start + 1:]:
        if layer.follows_op:
            return None
        if layer.loc.node is head.activation_loc.node:
            return found
        if layer.kind in ACTIVATION_LAYERS and layer.activation in _RELU:
            found = layer.loc
        elif layer.kind in ACTIVATION_LAYERS or layer.kind not in TRANSPARENT_LAYERS:
            return None
    return None
