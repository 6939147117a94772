"""KC306: `predict`/`evaluate` on `x[i]`, one sample of the training array without its batch axis."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext


class PredictOnOneSampleWithoutBatchAxis(Rule):
    """`model.predict(x[0])` on the array given to `fit`: one sample has lost the batch axis.

    ## What it flags
    A call of `predict` (or `evaluate`, `predict_on_batch`, `predict_classes`...) on a model whose
    first argument is one element of an array picked by an integer, `x[0]` or `x_test[-1]`, when
    the same array is given whole as the features of a `fit` in the file: the model was trained
    on batches of `x`'s rows, so `x[0]` is one row without the leading batch axis.

    ## Why it breaks training
    Keras treats the first axis of whatever it is given as the batch. `x[0]` of an array of
    shape `(n, 28, 28)` has shape `(28, 28)`: it is read as 28 samples of shape `(28,)`, so
    `predict` fails with "expected shape (None, 28, 28), found (None, 28)" (or
    "expected min_ndim=2, found ndim=1" for a row of tabular features), or, for a model that
    accepts it, silently returns predictions for the wrong inputs.

    ## Example
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.astype("float32") / 255.0

    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    print(model.predict(x_train[0]))
    ```

    ## Fix
    ```python
    from tensorflow import keras

    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.astype("float32") / 255.0

    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)
    print(model.predict(x_train[0:1]))
    ```
    Keep the batch axis: `x[0:1]`, `x[[0]]` or `np.expand_dims(x[0], axis=0)`.

    ## References
    - https://keras.io/api/models/model_training_apis/#predict-method
    - https://keras.io/getting_started/faq/ (batch dimension)
    """

    code = "KC306"
    name = "predict-on-one-sample-without-batch-axis"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        trained = {fit.x.source_name for model in facts.models for fit in model.fits
                   if fit.x is not None and fit.x.source_name and not fit.x.has("multiple")}
        once = OncePerLocation()
        for call in facts.method_calls:
            name = call.sample_of
            if name is None or name not in trained or call.sample_loc is None:
                continue
            if not once(call.sample_loc):
                continue
            method = call.name.rsplit(".", 1)[-1]
            yield Finding(
                call.sample_loc,
                f"{method}({name}[...]) gives one sample of {name}, the array fit() was trained "
                f"on, without its batch axis: Keras reads its first axis as the batch, so this "
                f"fails with a shape error or predicts for the wrong inputs; keep the axis with "
                f"{name}[i:i + 1] or np.expand_dims({name}[i], 0)",
            )
