"""KC104: binary cross-entropy on a single-label multi-class head."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts
from kerascheck.rules._outputs import compiled, describe, is_onehot, labels
from kerascheck.rules.base import Finding, Rule, RuleContext


class BinaryLossOnMulticlassHead(Rule):
    """Binary cross-entropy on a single-label multi-class output.

    ## What it flags
    `binary_crossentropy` (or `BinaryCrossentropy()`, binary focal) when the model ends in
    `softmax` over more than two units, or in `sigmoid` over three or more units while the labels
    are visibly single-label one-hot vectors (`to_categorical`, `tf.one_hot`, `LabelBinarizer`) and
    the metric is `"accuracy"`. Two sigmoid units on two one-hot classes are not reported: the
    binary accuracy over two units starts at the same 50% chance level as categorical accuracy and
    tracks it once the outputs are complementary, so nothing is inflated.

    ## Why it breaks training
    Binary cross-entropy scores every output unit as an independent yes/no question. On a softmax,
    whose units compete, that is the wrong objective: the model is pushed towards all-low outputs
    and learns the classes poorly. Worse, the `"accuracy"` metric then resolves to
    `binary_accuracy`, which averages over the units: with 10 classes, predicting "no" everywhere is
    already 90% "accurate", so the number reported looks good while the predictions are not.

    ## Example
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(32,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(32,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```
    Use `categorical_crossentropy` with one-hot labels or `sparse_categorical_crossentropy` with
    integer labels. A sigmoid head with binary cross-entropy is right for multi-label targets
    (several classes true at once) and is not flagged unless the labels are visibly one-hot; a
    two-unit softmax with binary cross-entropy on one-hot labels equals the categorical loss and
    is not flagged either.

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    - https://keras.io/api/metrics/accuracy_metrics/
    """

    code = "KC104"
    name = "binary-loss-on-multiclass-head"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in api.BINARY_LOSSES:
                continue
            head = model.head
            if head is None:
                continue
            units = head.units
            if units is None:  # Dense(num_classes) with num_classes = y.shape[1]: the label width
                units = next(
                    (y.num_classes for y in labels(model) if is_onehot(y) and y.num_classes), None)
            if units is None:
                continue
            if head.activation == "softmax" and units > 2:
                yield Finding(
                    loss.loc,
                    f"{loss.name} on {describe(head)}: softmax units compete, but the binary loss "
                    f"scores each one independently, so learning is poor and 'accuracy' becomes "
                    f"binary_accuracy over {units} units (inflated); use "
                    f"categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy",
                )
                continue
            sigmoid_like = head.activation == "sigmoid" or (
                head.activation == "linear" and loss.from_logits is True)
            # two sigmoid units on two one-hot classes: binary_accuracy over the two units equals
            # categorical accuracy whenever the outputs are complementary (chance is 50% either way)
            if not sigmoid_like or units < 3:
                continue
            if model.compile is None or not any(
                    m.name in ("accuracy", "binary_accuracy") for m in model.compile.metrics):
                continue
            if any(is_onehot(y) for y in labels(model)):
                yield Finding(
                    loss.loc,
                    f"{loss.name} on {describe(head)} with one-hot single-label targets: "
                    f"'accuracy' becomes binary_accuracy averaged over {units} units, so it "
                    f"is inflated (all-zero predictions already score {_share(units)}); use "
                    f'activation="softmax" with categorical_crossentropy',
                )


def _share(units: int) -> str:
    return f"{100 * (units - 1) / units:.0f}%"
