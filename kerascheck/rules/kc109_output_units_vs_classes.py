"""KC109: the output layer's units disagree with the number of classes."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import DataFact, FileFacts, LayerFact, LossFact
from kerascheck.rules._outputs import compiled, describe, is_integer, is_onehot, labels
from kerascheck.rules.base import Finding, Rule, RuleContext


class OutputUnitsVsClasses(Rule):
    """The last layer's unit count differs from the number of classes in the labels.

    ## What it flags
    A classifier head (softmax, sigmoid, or a linear head under a `from_logits=True` cross-entropy)
    whose number of units disagrees with a class count visible in the file:
    - one-hot labels with a known width (`to_categorical(y, 10)`, `tf.one_hot(y, depth)`,
      `to_categorical` of `keras.datasets` labels) and a different number of units;
    - integer labels of a `keras.datasets` loader (mnist and cifar10: 10 classes, cifar100: 100,
      reuters: 46) under a sparse loss with fewer units than classes.

    ## Why it breaks training
    With one-hot labels the loss compares two tensors of different widths: it fails with
    "Shapes (None, 10) and (None, 5) are incompatible", or (a one-unit sigmoid against two-column
    labels) broadcasts silently and trains on a wrong target. With integer labels, every label at or
    above the number of units is out of range: an error on CPU and a NaN loss on GPU.

    ## Example
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    x_train = x_train.astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)

    model = keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(100, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    ```

    ## Fix
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    x_train = x_train.astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)

    model = keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    ```
    Give the last layer one unit per class (`Dense(num_classes, ...)`), using the same
    `num_classes` as `to_categorical`. A one-unit sigmoid with two integer classes and
    `binary_crossentropy` is right and is not flagged.

    ## References
    - https://keras.io/api/utils/python_utils/#to_categorical-function
    - https://keras.io/api/datasets/
    """

    code = "KC109"
    name = "output-units-vs-classes"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in api.CROSSENTROPY_LOSSES:
                continue
            head = model.head
            if head is None or head.units is None or not _classifier_head(head, loss):
                continue
            for y in labels(model):
                message = _mismatch(head, loss, y)
                if message is not None:
                    yield Finding(head.loc, message)
                    break


def _classifier_head(head: LayerFact, loss: LossFact) -> bool:
    if head.activation in ("softmax", "sigmoid"):
        return True
    return head.activation == "linear" and loss.from_logits is True


def _mismatch(head: LayerFact, loss: LossFact, y: DataFact) -> str | None:
    units, classes = head.units, y.num_classes
    if units is None or classes is None:
        return None
    if is_onehot(y) and loss.name not in api.SPARSE_LOSSES and units != classes:
        return (f"{describe(head)} has {units} outputs but the one-hot labels have {classes} "
                f"columns: a shape error, or a silently wrong target; use {head.kind}({classes}, "
                f"...) (one unit per class)")
    if is_integer(y) and loss.name in api.SPARSE_LOSSES and units < classes and (
            y.origin.startswith("dataset:")):
        return (f"{describe(head)} has {units} outputs but the {y.origin[8:]} labels have "
                f"{classes} classes: labels {units}..{classes - 1} are out of range (error on CPU, "
                f"NaN loss on GPU); use {head.kind}({classes}, ...)")
    return None
