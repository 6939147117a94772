"""KC303 missing-value-handling (opt-in): read_csv data reaching fit with no NaN handling."""

from __future__ import annotations

from kerascheck.rules.base import rule_by_code_or_name
from kerascheck.testing import codes_and_lines, lint_snippet


def kc303(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC303"])


def test_rule_is_opt_in_and_info() -> None:
    rule = rule_by_code_or_name("missing-value-handling")
    assert rule is not None and rule.code == "KC303"
    assert rule.default_enabled is False and rule.severity.value == "info"


# -- firing --------------------------------------------------------------------------------------------


def test_scaled_but_never_cleaned_read_csv() -> None:
    src = """\
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        df = pd.read_csv("heart.csv")
        X = df.drop("target", axis=1)
        y = df["target"]
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        scaler = StandardScaler()
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.transform(X_test)

        model = keras.Sequential([
            keras.layers.Dense(16, activation="relu", input_shape=(13,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X_train, y_train, epochs=100, validation_data=(X_test, y_test))
        """
    assert kc303(src) == [("KC303", 19)]
    (finding,) = lint_snippet(src, select=["KC303"])
    assert finding.severity == "info" and "dropna" in finding.message


def test_keras2_read_csv_values_straight_to_fit() -> None:
    src = """\
        import pandas
        from keras.models import Sequential
        from keras.layers import Dense

        dataframe = pandas.read_csv("housing.csv", delim_whitespace=True, header=None)
        dataset = dataframe.values
        X = dataset[:, 0:13]
        Y = dataset[:, 13]

        model = Sequential()
        model.add(Dense(13, input_dim=13, init='normal', activation='relu'))
        model.add(Dense(1, init='normal'))
        model.compile(loss='mean_squared_error', optimizer='adam')
        model.fit(X, Y, nb_epoch=100, batch_size=5)
        """
    assert kc303(src) == [("KC303", 14)]


def test_functional_model_on_excel_data() -> None:
    src = """\
        import pandas as pd
        import keras
        from keras import layers

        df = pd.read_excel("loans.xlsx")
        features = df[["income", "debt", "age"]].to_numpy()
        labels = df["default"].to_numpy()

        inputs = keras.Input(shape=(3,))
        x = layers.Dense(8, activation="relu")(inputs)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(features, labels, epochs=10)
        """
    assert kc303(src) == [("KC303", 14)]


def test_one_hot_encoding_does_not_remove_numeric_nans() -> None:
    src = """\
        import pandas as pd
        import tensorflow as tf

        def build_model():
            model = tf.keras.Sequential()
            model.add(tf.keras.layers.Dense(32, activation="relu"))
            model.add(tf.keras.layers.Dense(1))
            model.compile(optimizer="adam", loss="mse")
            return model

        data = pd.read_csv("cars.csv")
        X = pd.get_dummies(data.drop("price", axis=1))
        model = build_model()
        model.fit(X, data["price"], epochs=20)
        """
    assert kc303(src) == [("KC303", 14)]


# -- not firing ------------------------------------------------------------------------------------------


def test_dropna_and_inplace_fillna_are_clean() -> None:
    src = """\
        import pandas as pd
        from tensorflow import keras

        df = pd.read_csv("titanic.csv")
        df["Age"].fillna(df["Age"].median(), inplace=True)
        df.dropna(subset=["Embarked"], inplace=True)
        X = df[["Pclass", "Age", "Fare"]].values

        other = pd.read_csv("other.csv").dropna()

        model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, df["Survived"], epochs=10)
        model.fit(other.values, df["Survived"], epochs=10)
        """
    assert kc303(src) == []


def test_imputers_and_pipelines_are_clean() -> None:
    src = """\
        import pandas as pd
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import StandardScaler
        from keras.models import Sequential
        from keras.layers import Dense

        df = pd.read_csv("diabetes.csv")
        X = df.drop("Outcome", axis=1)
        imputer = SimpleImputer(strategy="median")
        X_imp = imputer.fit_transform(X)

        pipe = Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())])
        X_pipe = pipe.fit_transform(X)

        model = Sequential([Dense(12, input_dim=8, activation="relu"), Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(X_imp, df["Outcome"], epochs=50)
        model.fit(X_pipe, df["Outcome"], epochs=50)
        """
    assert kc303(src) == []


def test_row_filters_interpolate_and_nan_to_num_are_clean() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        import keras

        a = pd.read_csv("a.csv")
        a = a[a["value"].notna()]
        b = pd.read_csv("b.csv").interpolate()
        c = np.nan_to_num(pd.read_csv("c.csv").values)

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(a.values, a["y"], epochs=5)
        model.fit(b.values, b["y"], epochs=5)
        model.fit(c, b["y"], epochs=5)
        """
    assert kc303(src) == []


def test_loadtxt_and_cleaned_files_are_clean() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        from keras.models import Sequential
        from keras.layers import Dense

        dataset = np.loadtxt("pima-indians-diabetes.csv", delimiter=",")
        clean = pd.read_csv("data/cleaned_train.csv").values

        model = Sequential([Dense(12, input_dim=8, activation="relu"), Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(dataset[:, 0:8], dataset[:, 8], epochs=150, batch_size=10)
        model.fit(clean, dataset[:, 8], epochs=150, batch_size=10)
        """
    assert kc303(src) == []


def test_keras_datasets_are_not_csv_data() -> None:
    src = """\
        import keras

        (x_train, y_train), _ = keras.datasets.boston_housing.load_data()
        model = keras.Sequential([keras.layers.Normalization(), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc303(src) == []


def test_data_through_unseen_functions_is_clean() -> None:
    src = """\
        import pandas as pd
        from tensorflow import keras
        from helpers import clean_frame

        df = clean_frame(pd.read_csv("raw.csv"))
        X = df.drop("y", axis=1).values

        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, df["y"], epochs=5)
        """
    assert kc303(src) == []


def test_not_reported_by_default() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        df = pd.read_csv("heart.csv")
        X = StandardScaler().fit_transform(df.drop("target", axis=1))
        model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, df["target"], epochs=10)
        """
    from kerascheck.config import default_settings
    from kerascheck.engine import lint_source

    found = lint_source(__import__("textwrap").dedent(src), "heart.py", default_settings())
    assert [d.code for d in found if d.code == "KC303"] == []
