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
      reuters: 46) under a sparse loss with fewer units than classes;
    - one sigmoid unit (or one logit) under `binary_crossentropy` fed one-hot labels with a column
      per class: `to_categorical` output, or a directory loader in `"categorical"` mode
      (`flow_from_directory`/`flow_from_dataframe` without `class_mode`, whose default it is, or
      `image_dataset_from_directory(label_mode="categorical")`);
    - one sigmoid unit under `binary_crossentropy` fed the integer labels of a `keras.datasets`
      loader with more than two classes (mnist's 0..9).

    ## Why it breaks training
    With one-hot labels the loss compares two tensors of different widths: it fails with
    "Shapes (None, 10) and (None, 5) are incompatible", or (a one-unit sigmoid against two-column
    labels) broadcasts silently and trains on a wrong target. With integer labels, every label at or
    above the number of units is out of range: an error on CPU and a NaN loss on GPU. One sigmoid
    unit answers a single yes/no question: binary cross-entropy on labels 2..9 is negative and
    rewards saturating the output, so the accuracy stays near chance.

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
    if units == 1 and loss.name in api.BINARY_LOSSES and head.activation != "softmax":
        # One sigmoid (or logit) unit answers one yes/no question (KC101 has the softmax case).
        message = _single_unit_mismatch(head, loss, y)
        if message is not None:
            return message
    if units is None or classes is None:
        return None
    if is_onehot(y) and loss.name not in api.SPARSE_LOSSES and units != classes:
        return (f"{describe(head)} has {units} outputs but the one-hot labels have {classes} "
                f"columns: a shape error, or a silently wrong target; use {head.kind}({classes}, "
                f"...) (one unit per class)")
    if is_integer(y) and loss.name in api.SPARSE_LOSSES and units < classes and (
            exact_class_count(y)):
        return (f"{describe(head)} has {units} outputs but the {_labels_named(y)} have "
                f"{classes} classes: labels {units}..{classes - 1} are out of range (error on CPU, "
                f"NaN loss on GPU); use {head.kind}({classes}, ...)")
    return None


def exact_class_count(y: DataFact) -> bool:
    """The labels' class count is known exactly: a keras.datasets split, a scikit-learn
    generator (``n_classes=``/``centers=``), or an array whose values are all visible."""
    return y.origin.startswith("dataset:") or y.origin == "synthetic" or y.values is not None


def _labels_named(y: DataFact) -> str:
    if y.origin.startswith("dataset:"):
        return f"{y.origin[8:]} labels"
    if y.origin == "synthetic":
        return "generated labels (scikit-learn)"
    return "labels"


def _single_unit_mismatch(head: LayerFact, loss: LossFact, y: DataFact) -> str | None:
    """Labels a one-unit binary head cannot fit: one-hot columns, or more than two classes."""
    classes = y.num_classes
    if is_onehot(y) and classes is None and y.has("to_categorical"):
        if y.origin == "image_directory":
            made = ('one-hot labels from the directory loader (class_mode "categorical", the '
                    'flow_from_directory default, or label_mode="categorical")')
            fix = 'class_mode="binary" / label_mode="binary" for two classes'
        else:
            made = "one-hot labels (to_categorical, one column per class)"
            fix = "the integer 0/1 labels without to_categorical for two classes"
        return (f"{describe(head)} has 1 output but the {made} have a column per class: "
                f"{loss.name} compares every column with the one output, so the model learns a "
                f"wrong target (accuracy stuck near 0.5) or fails with a shape error; use {fix}, "
                f'or {head.kind}(n_classes, activation="softmax") with categorical_crossentropy')
    if is_integer(y) and classes is not None and classes > 2 and exact_class_count(y):
        return (f"{describe(head)} answers one yes/no question but the {_labels_named(y)} "
                f"have {classes} classes: {loss.name} on labels 2..{classes - 1} is negative and "
                f"the model cannot tell the classes apart (accuracy near chance); use "
                f'{head.kind}({classes}, activation="softmax") with '
                f"sparse_categorical_crossentropy")
    return None
