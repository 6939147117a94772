"""KC303 missing-value-handling: data read from a file reaches ``fit`` with no NaN handling."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.rules._data_inputs import fits, shown_name
from kerascheck.rules.base import Finding, Rule, RuleContext

# Transforms that leave NaNs in place (scalers and encoders pass them through). Any other transform
# (an imputer, dropna, a pipeline, an unknown one) may have removed them.
_NAN_KEEPING = frozenset(
    {"reshaped", "cast", "scaled", "normalized", "shifted", "multiplied", "onehot", "encoded",
     "multiple"}
)
_ROLES = frozenset({"frame", "column", "features"})


class MissingValueHandling(Rule):
    """Data read with `read_csv` reaches `fit` without `dropna`, `fillna` or an imputer.

    ## What it flags
    Features read from a data file (`pd.read_csv`, `read_excel`, `np.genfromtxt`...) passed to
    `model.fit` when nothing on the way deals with missing values: no `dropna`/`fillna`/`interpolate`,
    no row filter on `notna()`/`isnull()`, no `SimpleImputer`/`KNNImputer`/`IterativeImputer`, no
    `np.nan_to_num`, no scikit-learn pipeline (which may impute). `np.loadtxt` is not flagged: it
    fails on missing fields instead of producing NaN.

    This is a heuristic: most data files have no missing values, and the rule cannot read the file.
    It is therefore off by default (enable it with `--select KC303` or in `[tool.kerascheck]`) and
    reports with severity info.

    ## Why it breaks training
    pandas reads an empty cell as NaN. A single NaN in a batch makes that batch's loss NaN, its
    gradients NaN, and after one update every weight is NaN: the loss prints `nan` from then on and
    accuracy drops to chance. Scalers do not help, they pass NaN through.

    ## Example
    ```python
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    from tensorflow import keras

    df = pd.read_csv("patients.csv")
    X = StandardScaler().fit_transform(df.drop("outcome", axis=1))
    y = df["outcome"].values

    model = keras.Sequential([
        keras.layers.Dense(32, activation="relu", input_shape=(8,)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=50, batch_size=32)
    ```

    ## Fix
    ```python
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    from tensorflow import keras

    df = pd.read_csv("patients.csv")
    df = df.dropna()
    X = StandardScaler().fit_transform(df.drop("outcome", axis=1))
    y = df["outcome"].values

    model = keras.Sequential([
        keras.layers.Dense(32, activation="relu", input_shape=(8,)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=50, batch_size=32)
    ```

    ## References
    - pandas, "Working with missing data": https://pandas.pydata.org/docs/user_guide/missing_data.html
    - scikit-learn, "Imputation of missing values": https://scikit-learn.org/stable/modules/impute.html
    - TensorFlow tutorial "Basic regression" (drops rows with unknown values): https://www.tensorflow.org/tutorials/keras/regression
    """

    code = "KC303"
    name = "missing-value-handling"
    severity = Severity.INFO
    default_enabled = False

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for _, fit in fits(facts):
            data = fit.x
            if data is None or data.origin != "read_csv" or data.role not in _ROLES:
                continue
            if data.has("nan_handled") or not all(t in _NAN_KEEPING for t in data.transforms):
                continue
            shown = shown_name(data, "the features")
            yield Finding(
                data.loc,
                f"{shown} comes from a data file and reaches {fit.method}() with no missing-value "
                f"handling: one NaN cell makes the loss and then every weight NaN; drop or fill "
                f"missing values first (df = df.dropna() or df.fillna(df.mean())) or use a "
                f"SimpleImputer",
            )
