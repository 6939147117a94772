"""KC302 unscaled-tabular-input: features read from a file reach ``fit`` without any scaling."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import DataFact, FileFacts
from kerascheck.rules._data_inputs import (
    fits, keeps_raw_range, model_may_handle_inputs, shown_name,
)
from kerascheck.rules.base import Finding, Rule, RuleContext

# Where unscaled tabular features come from: a data file, or the keras.datasets housing loaders
# (features from 0.006 to 711 in Boston housing).
_SOURCES = {
    "read_csv": "a data file read with pandas/NumPy",
    "dataset:boston_housing": "keras.datasets.boston_housing",
    "dataset:california_housing": "keras.datasets.california_housing",
}
_ROLES = frozenset({"frame", "column", "features"})


# Values this large in made-up features (np.random.randint(0, 1000, ...)) are raw units too.
_LARGE = 100.0


def _source(data: DataFact) -> str | None:
    if data.origin in ("random", "literal") and data.role != "labels" and data.bounds is not None:
        low, high = data.bounds
        if max(abs(low), abs(high)) >= _LARGE:
            made = "random draws" if data.origin == "random" else "a literal array"
            return f"{made} with values in [{low:g}, {high:g}]"
        return None
    if data.role not in _ROLES:
        return None
    return _SOURCES.get(data.origin)


class UnscaledTabularInput(Rule):
    """Tabular features read from a file reach `fit` with no scaling or normalization at all.

    ## What it flags
    A pandas/NumPy table read from a file (`pd.read_csv`, `np.loadtxt`, `read_excel`...), or the
    `keras.datasets.boston_housing` features, passed to `model.fit` when nothing on the way rescales
    it: no scikit-learn scaler (`StandardScaler`, `MinMaxScaler`... `fit_transform`/`transform`), no
    `(df - df.mean()) / df.std()`, no division, no `normalize`, no log, no one-hot encoding, and the
    model holds no `Normalization`/`BatchNormalization` layer. Features made in the file count
    too when their values visibly reach 100 or more: `np.random.randint(0, 1000, size=(n, 5))`,
    `np.random.uniform(0, 500, ...)`, a literal `np.array([[1200, 3], [850, 2]])`.

    It is deliberately narrow: it stays quiet as soon as any transform it does not know touches the
    data, when the data passes through a function it cannot see, when the model is not fully visible,
    when the model embeds or looks up its inputs (`Embedding`, `StringLookup`...) or has several inputs,
    and when the file name says the data is already prepared (`train_scaled.csv`). It cannot read the
    file, so it cannot know whether the columns really span different ranges: severity is info.

    ## Why it breaks training
    Columns in their raw units (a price in the hundreds of thousands next to a 0/1 flag) give the first
    layer pre-activations dominated by the largest column and gradients whose size differs by orders of
    magnitude across weights. One learning rate cannot fit them all: the large-scale weights diverge
    (NaN loss) or the small-scale features are ignored, and the model plateaus at predicting the mean
    or the majority class.

    ## Example
    ```python
    import pandas as pd
    from tensorflow import keras

    df = pd.read_csv("housing.csv").dropna()
    X = df.drop("price", axis=1).values
    y = df["price"].values

    model = keras.Sequential([
        keras.layers.Dense(64, activation="relu", input_shape=(X.shape[1],)),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=100, validation_split=0.2)
    ```

    ## Fix
    ```python
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    from tensorflow import keras

    df = pd.read_csv("housing.csv").dropna()
    X = df.drop("price", axis=1).values
    y = df["price"].values
    X = StandardScaler().fit_transform(X)

    model = keras.Sequential([
        keras.layers.Dense(64, activation="relu", input_shape=(X.shape[1],)),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=100, validation_split=0.2)
    ```

    ## References
    - scikit-learn, "Preprocessing data" (standardization): https://scikit-learn.org/stable/modules/preprocessing.html
    - Keras `Normalization` layer: https://keras.io/api/layers/preprocessing_layers/numerical/normalization/
    - TensorFlow tutorial "Basic regression" (normalizes the features first): https://www.tensorflow.org/tutorials/keras/regression
    - LeCun, Bottou, Orr, Müller, "Efficient BackProp" (1998), section 4.3 "Normalizing the inputs"
    """

    code = "KC302"
    name = "unscaled-tabular-input"
    severity = Severity.INFO
    default_enabled = True

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, fit in fits(facts):
            data = fit.x
            if data is None:
                continue
            source = _source(data)
            if source is None or not keeps_raw_range(data) or model_may_handle_inputs(model):
                continue
            shown = shown_name(data, "the features")
            yield Finding(
                data.loc,
                f"{shown} comes from {source} and reaches {fit.method}() with no scaling: features "
                f"in raw units (large values, columns in very different ranges) make some gradients "
                f"explode and others vanish, so the loss diverges or stalls; standardize first "
                f"(X = StandardScaler().fit_transform(X)) or start the model with a "
                f"layers.Normalization() adapted on the training data",
            )
