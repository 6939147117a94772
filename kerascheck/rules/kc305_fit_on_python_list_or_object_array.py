"""KC305: `fit` given a Python list made by `.tolist()`, or an object-dtype array."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import DataFact, FileFacts
from kerascheck.rules._data_inputs import fits, shown_name
from kerascheck.rules.base import Finding, Rule, RuleContext


class FitOnPythonListOrObjectArray(Rule):
    """`fit` receives `.tolist()` lists or an object-dtype array: Keras cannot make one tensor of it.

    ## What it flags
    The features or labels given to `fit`/`train_on_batch` (or as `validation_data`) when the last
    conversion on their way was `.tolist()` (a Python list) or `.astype(object)` /
    `np.array(..., dtype=object)` (an array of Python objects), with no `np.array(...)`,
    `.astype("float32")` or `tf.convert_to_tensor(...)` after it.

    ## Why it breaks training
    Keras reads a Python list given as `x` as a list of separate model inputs, so a list of
    samples fails with "Layer expects 1 input(s), but it received 1000 input tensors" (or, in
    older versions, trains on nonsense). An object array cannot be converted at all: `fit` stops
    with "Failed to convert a NumPy array to a Tensor (Unsupported object type float)". Either way
    nothing trains until the data is a numeric array.

    ## Example
    ```python
    import numpy as np
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    from tensorflow import keras

    df = pd.read_csv("churn.csv").dropna()
    features = StandardScaler().fit_transform(df.drop(columns=["churned"]).values)
    labels = np.array(df["churned"].tolist(), dtype=object)

    model = keras.Sequential([
        keras.Input(shape=(16,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(features.tolist(), labels, epochs=10)
    ```

    ## Fix
    ```python
    import numpy as np
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    from tensorflow import keras

    df = pd.read_csv("churn.csv").dropna()
    features = StandardScaler().fit_transform(df.drop(columns=["churned"]).values)
    labels = df["churned"].values.astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(16,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(features, labels, epochs=10)
    ```

    ## References
    - https://keras.io/api/models/model_training_apis/#fit-method (`x`: a NumPy array, or a list
      of arrays for a model with several inputs)
    - https://numpy.org/doc/stable/reference/arrays.dtypes.html (object dtype)
    """

    code = "KC305"
    name = "fit-on-python-list-or-object-array"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        seen: set[tuple[int, str | None]] = set()  # a fit reached through several models: once
        for _, fit in fits(facts):
            for data, role in ((fit.x, "features"), (fit.y, "labels"), (fit.validation, None)):
                key = (id(fit.loc.node) if fit.loc.node is not None else id(fit), role)
                if data is None or key in seen:
                    continue
                seen.add(key)
                problem = _problem(data)
                if problem is None:
                    continue
                name = shown_name(data, role or "the validation data")
                yield Finding(fit.loc, f"{name} {problem}")


def _problem(data: DataFact) -> str | None:
    last = next((t for t in reversed(data.transforms) if t in ("pylist", "object_dtype")), None)
    if last == "pylist":
        return ("is a Python list (.tolist()): Keras reads a list as one input per element, so "
                "fit fails ('expects 1 input(s), but it received N input tensors'); pass the NumPy "
                "array itself, or np.asarray(..., dtype=\"float32\")")
    if last == "object_dtype":
        return ("is an object-dtype array: it cannot be converted to a tensor, so fit fails "
                "('Unsupported object type'); convert it with .astype(\"float32\") (or map string "
                "classes to integers first)")
    return None
