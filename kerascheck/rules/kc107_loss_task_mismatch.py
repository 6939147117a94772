"""KC107: a regression loss on a classification head."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.rules._outputs import REGRESSION_LOSSES, classifier_loss_fix, compiled, describe
from kerascheck.rules.base import Finding, Rule, RuleContext


class LossTaskMismatch(Rule):
    """A regression loss (mse, mae, mape...) on a classifier's softmax or sigmoid output.

    ## What it flags
    Mean squared/absolute (percentage, logarithmic) error, Huber or log-cosh as the loss of a model
    that is visibly a classifier:
    - its last layer is a softmax over several units and it is fit on class labels or reports an
      accuracy metric;
    - its last layer is a sigmoid and it is fit on class labels that are visible in the file
      (`to_categorical`, `keras.datasets` labels, `LabelEncoder`).

    ## Why it breaks training
    Through a softmax or sigmoid, a squared error gives gradients that vanish exactly when the model
    is confidently wrong (the activation saturates), so a classifier trained with mse learns slowly
    or gets stuck; cross-entropy cancels the saturation and is the loss these activations are made
    for. `mape` divides by the labels, which are 0 for every wrong class of a one-hot vector, so it
    explodes.

    ## Example
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="mean_squared_error", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    ```

    ## Fix
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train, 10)

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    ```
    Use `categorical_crossentropy` (one-hot labels) or `sparse_categorical_crossentropy` (integer
    labels) with softmax, `binary_crossentropy` with sigmoid. A softmax or sigmoid output
    regressing onto proportions (no class labels, no accuracy) is not flagged.

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    """

    code = "KC107"
    name = "loss-task-mismatch"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in REGRESSION_LOSSES:
                continue
            fix = classifier_loss_fix(model)
            head = model.head
            if fix is None or head is None:
                continue
            extra = (" (and mape divides by the 0 labels)"
                     if loss.name == "mean_absolute_percentage_error" else "")
            yield Finding(
                loss.loc,
                f"regression loss {loss.name} on the classifier output {describe(head)}: its "
                f"gradient vanishes when the {head.activation} saturates, so learning is slow or "
                f"stuck{extra}; use {fix}",
            )

