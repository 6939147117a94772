"""KC305 fit-on-python-list-or-object-array: .tolist() lists and object arrays given to fit."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc305(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC305"])


SRC = """\
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from tensorflow import keras

    df = pd.read_csv("heart.csv").dropna()
    X = df.drop("target", axis=1).values
    y = df["target"].values
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    X_train = CONVERT
    model = keras.Sequential([
        keras.layers.Dense(16, activation="relu", input_shape=(13,)),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=50, batch_size=16)
    """


def test_features_converted_to_a_python_list() -> None:
    src = SRC.replace("CONVERT", "X_train.tolist()")
    assert kc305(src) == [("KC305", 16)]
    finding = lint_snippet(src, select=["KC305"])[0]
    assert "Python list" in finding.message and finding.severity == "error"


def test_list_converted_back_to_an_array_is_fine() -> None:
    assert kc305(SRC.replace("CONVERT", "np.array(X_train.tolist())")) == []
    assert kc305(SRC.replace("CONVERT", "X_train.astype('float32')")) == []


def test_object_array_of_labels() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        from tensorflow import keras

        df = pd.read_csv("sequences.csv").dropna()
        X = df[["a", "b", "c", "d"]].values
        y = np.array(df["label"].tolist(), dtype=object)
        model = keras.Sequential([
            keras.layers.Dense(8, activation="relu", input_shape=(4,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, y, epochs=10)
        model.fit(X, y.astype("float32"), epochs=10)
        """
    assert kc305(src) == [("KC305", 13)]
    assert "object-dtype" in lint_snippet(src, select=["KC305"])[0].message
