"""KC110: a categorical cross-entropy on a multi-unit sigmoid head."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts
from kerascheck.rules._outputs import compiled, describe
from kerascheck.rules.base import Finding, Rule, RuleContext


class SigmoidHeadWithCategoricalLoss(Rule):
    """(Sparse) categorical cross-entropy on several sigmoid units instead of a softmax.

    ## What it flags
    `categorical_crossentropy` or `sparse_categorical_crossentropy` when the last layer has more
    than one unit and a `sigmoid` activation (`Dense(10, activation="sigmoid")`).

    ## Why it breaks training
    The categorical losses expect one probability distribution over the classes, summing to 1.
    Independent sigmoids do not sum to 1, so Keras rescales them by their sum before taking the log:
    the loss no longer matches what the model outputs, raising one class does not lower the others,
    and training is slower and less accurate than with a softmax. For multi-label targets (several
    classes true at once) the categorical loss is wrong altogether: it can only reward one class.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(100,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(5, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(100,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(5, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```
    One class per sample: `softmax` with a categorical loss. Several classes per sample: keep the
    sigmoids and use `binary_crossentropy`.

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    - https://keras.io/api/layers/activations/
    """

    code = "KC110"
    name = "sigmoid-head-with-categorical-loss"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in api.CATEGORICAL_LOSSES | api.SPARSE_LOSSES:
                continue
            if loss.from_logits is True:  # KC103 reports the double activation
                continue
            head = model.head
            if head is None or head.activation != "sigmoid" or head.units is None or head.units < 2:
                continue
            yield Finding(
                loss.loc,
                f"{loss.name} on {describe(head)}: independent sigmoids do not form a distribution "
                f"over the classes, so the loss rescales them and learns poorly; use "
                f'activation="softmax" (one class per sample) or binary_crossentropy (multi-label)',
            )
