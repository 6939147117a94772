"""KC108: labels encoded differently from what the loss expects."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import DataFact, FileFacts, LossFact
from kerascheck.rules._outputs import compiled, is_integer, is_onehot, labels
from kerascheck.rules.base import Finding, Rule, RuleContext


class LabelEncodingMismatch(Rule):
    """Labels encoded one way (one-hot, integer, rescaled) and a loss expecting another.

    ## What it flags
    The labels given to `fit`, where the file shows how they were made:
    - one-hot labels (`to_categorical`, `tf.one_hot`, `LabelBinarizer`) with
      `sparse_categorical_crossentropy`, which expects integer class indexes;
    - integer class labels (`keras.datasets` labels, `LabelEncoder` output, token ids taken from
      `pad_sequences` output such as next-word targets `seqs[:, -1]`) that were never one-hot
      encoded, with `categorical_crossentropy`, which expects one-hot vectors;
    - class labels divided like the inputs (`y_train / 255`) under a cross-entropy loss.

    ## Why it breaks training
    A sparse loss reads each label as one class index: one-hot rows are read as several labels per
    sample, which fails with a shape error or trains on nonsense. The categorical loss multiplies the
    label vector with the log-probabilities: an integer label against 10 outputs fails with
    "Shapes (None, 1) and (None, 10) are incompatible" or, broadcast, trains on a wrong target.
    Labels divided by 255 are no longer classes: the sparse loss truncates them all to class 0, the
    others see fractions, and the accuracy stays at chance.

    ## Example
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)

    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    ```

    ## Fix
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)

    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    ```
    Match the loss to the labels: one-hot labels with `categorical_crossentropy`, integer labels with
    `sparse_categorical_crossentropy` (or drop `to_categorical`). Only the inputs are rescaled.

    ## References
    - https://keras.io/api/losses/probabilistic_losses/#sparsecategoricalcrossentropy-class
    - https://keras.io/api/utils/python_utils/#to_categorical-function
    """

    code = "KC108"
    name = "label-encoding-mismatch"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            head = model.head
            for y in labels(model):
                message = _mismatch(y, loss, single_unit=head is not None and head.units == 1)
                if message is not None:
                    yield Finding(y.loc, message)


def _mismatch(y: DataFact, loss: LossFact, single_unit: bool) -> str | None:
    name = loss.name
    directory = y.origin == "image_directory"
    if name in api.SPARSE_LOSSES and is_onehot(y):
        made = ('one-hot labels from the directory loader (mode "categorical", the '
                'flow_from_directory default)' if directory else
                "one-hot labels (to_categorical)" if y.has("to_categorical") else "one-hot labels")
        fix = ('class_mode="sparse" / label_mode="int"' if directory else "pass the integer labels")
        return (f"{made} but {name} expects integer class indexes: shape error or training on "
                f"nonsense; use categorical_crossentropy, or {fix}")
    if name in api.CATEGORICAL_LOSSES and is_integer(y) and not single_unit:
        made = ('integer labels from the directory loader (label_mode "int", the '
                'image_dataset_from_directory default)' if directory else
                "integer token ids (from pad_sequences) as labels" if y.origin == "token_ids"
                else "integer class labels")
        fix = ('label_mode="categorical"' if directory else
               "keras.utils.to_categorical(y, num_classes=vocab_size)" if y.origin == "token_ids"
               else "keras.utils.to_categorical(y)")
        return (f"{made} but {name} expects one-hot vectors: shape error or a wrong target; use "
                f"sparse_categorical_crossentropy, or {fix}")
    if name in api.CROSSENTROPY_LOSSES and y.has("label_scaled") and y.label_kind in (
            "integer", "onehot", "binary"):
        return (f"class labels divided like the inputs under {name}: they are no longer class "
                f"indexes or 0/1 targets, so the loss trains on the wrong classes; scale only the "
                f"inputs (x / 255), not the labels")
    return None
