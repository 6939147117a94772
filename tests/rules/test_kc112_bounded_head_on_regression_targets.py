"""KC112 bounded-head-on-regression-targets: a sigmoid/tanh/relu/softmax output under a regression
loss, on targets visibly outside its range."""

from __future__ import annotations

import pytest

from kerascheck.testing import codes_and_lines, lint_snippet


def kc112(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC112"])


# -- firing --------------------------------------------------------------------------------------------


def test_make_regression_under_a_sigmoid_keras2() -> None:
    src = """\
        from sklearn.datasets import make_regression
        from keras.models import Sequential
        from keras.layers import Dense

        X, y = make_regression(n_samples=1000, n_features=5, noise=10)
        model = Sequential()
        model.add(Dense(32, input_dim=5, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='mean_squared_error', optimizer='adam')
        model.fit(X, y, nb_epoch=100, batch_size=32)
        """
    assert kc112(src) == [("KC112", 8)]
    (finding,) = lint_snippet(src, select=["KC112"])
    assert "make_regression" in finding.message and "[0, 1]" in finding.message
    assert "linear output" in finding.message


def test_linspace_arithmetic_above_one_under_a_sigmoid() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        x = np.linspace(0, 10, 500)
        y = 3 * x + 2 + np.random.randn(500) * 0.5
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(16, activation="relu", input_shape=(1,)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="sgd", loss="mae")
        model.fit(x, y, epochs=200)
        """
    assert kc112(src) == [("KC112", 8)]
    assert "lie in [0.5, 33.5]" in lint_snippet(src, select=["KC112"])[0].message


def test_signed_targets_under_relu_from_a_minmax_scaler_to_minus_one_one() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import MinMaxScaler
        from tensorflow import keras

        df = pd.read_csv("energy.csv")
        X = MinMaxScaler().fit_transform(df.drop(columns=["load"]).values)
        y_scaler = MinMaxScaler(feature_range=(-1, 1))
        y = y_scaler.fit_transform(df[["load"]].values)
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1, activation="relu"),
        ])
        model.compile(optimizer="adam", loss="huber")
        model.fit(X, y, epochs=20)
        """
    assert kc112(src) == [("KC112", 11)]


def test_sine_wave_under_a_folded_relu_activation_functional() -> None:
    src = """\
        import numpy as np
        from keras.layers import Input, Dense, Activation
        from keras.models import Model

        t = np.arange(0, 100, 0.1)
        series = np.sin(t)
        inp = Input(shape=(1,))
        h = Dense(32, activation="tanh")(inp)
        h = Dense(1)(h)
        out = Activation("relu")(h)
        model = Model(inp, out)
        model.compile(loss="mse", optimizer="adam")
        model.fit(t, series, epochs=10)
        """
    assert kc112(src) == [("KC112", 10)]


def test_price_column_under_a_sigmoid_when_only_x_is_scaled() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        data = pd.read_csv("kc_house_data.csv")
        X = StandardScaler().fit_transform(data[["sqft_living", "bedrooms", "bathrooms"]])
        y = data["price"].values
        model = keras.Sequential([
            keras.layers.Dense(32, activation="relu", input_shape=(3,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y, epochs=50)
        """
    assert kc112(src) == [("KC112", 10)]
    assert '"price" column' in lint_snippet(src, select=["KC112"])[0].message


def test_boston_housing_prices_under_tanh_and_softmax_over_regression_targets() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.boston_housing.load_data()
        x_train = (x_train - x_train.mean(axis=0)) / x_train.std(axis=0)
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1, activation="tanh"),
        ])
        model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
        model.fit(x_train, y_train, epochs=100)
        """
    assert kc112(src) == [("KC112", 7)]
    src = """\
        from sklearn.datasets import make_regression
        from tensorflow import keras

        X, Y = make_regression(n_samples=400, n_features=6, n_targets=3)
        model = keras.Sequential([
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, Y, epochs=10)
        """
    assert kc112(src) == [("KC112", 7)]


def test_raw_pixels_as_autoencoder_targets_under_a_sigmoid() -> None:
    src = """\
        from tensorflow import keras

        (x_train, _), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784).astype("float32")
        autoencoder = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(784,)),
            keras.layers.Dense(784, activation="sigmoid"),
        ])
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(x_train, x_train, epochs=5)
        """
    assert kc112(src) == [("KC112", 7)]


# -- silent --------------------------------------------------------------------------------------------


def test_sigmoid_autoencoder_on_scaled_images() -> None:
    src = """\
        from tensorflow import keras

        (x_train, _), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
        autoencoder = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(784,)),
            keras.layers.Dense(784, activation="sigmoid"),
        ])
        autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
        autoencoder.fit(x_train, x_train, epochs=5)
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(x_train, x_train, epochs=5)
        """
    assert kc112(src) == []


def test_relu_and_softplus_heads_on_non_negative_targets() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        X = np.random.rand(1000, 4)
        counts = np.random.poisson(3.0, 1000)
        prices = X @ np.random.rand(4) * 100 + 50
        for activation, y, loss in (("softplus", counts, "poisson"), ("relu", prices, "mse")):
            model = keras.Sequential([
                keras.layers.Dense(16, activation="relu", input_shape=(4,)),
                keras.layers.Dense(1, activation=activation),
            ])
            model.compile(optimizer="adam", loss=loss)
            model.fit(X, y, epochs=10)
        """
    assert kc112(src) == []


def test_sigmoid_on_min_max_scaled_targets_and_linear_head_on_signed_ones() -> None:
    src = """\
        from sklearn.datasets import make_regression
        from sklearn.preprocessing import MinMaxScaler
        from tensorflow import keras

        X, y = make_regression(n_samples=500, n_features=4)
        y_scaled = MinMaxScaler().fit_transform(y.reshape(-1, 1))
        squashed = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        squashed.compile(optimizer="adam", loss="mse")
        squashed.fit(X, y_scaled)
        linear = keras.Sequential([keras.layers.Dense(1)])
        linear.compile(optimizer="adam", loss="mse")
        linear.fit(X, y)
        """
    assert kc112(src) == []


@pytest.mark.parametrize("column", ["Outcome", "label", "target"])
def test_unscaled_csv_column_without_a_quantity_name_is_not_evidence(column: str) -> None:
    src = f"""\
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from tensorflow import keras

        df = pd.read_csv("diabetes.csv")
        X = StandardScaler().fit_transform(df.drop("{column}", axis=1))
        y = df["{column}"].values
        model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
        """
    assert kc112(src) == []


def test_class_labels_under_mse_are_left_to_kc107_and_targets_slightly_above_one() -> None:
    src = """\
        import numpy as np
        from sklearn.datasets import make_classification
        from tensorflow import keras

        X, y = make_classification(n_samples=300, n_classes=2)
        model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
        x = np.linspace(0, 1, 100)
        near = x * 1.2
        model2 = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
        model2.compile(optimizer="adam", loss="mse")
        model2.fit(x, near)
        """
    assert kc112(src) == []


def test_head_after_a_loop_of_unknown_length_is_still_known() -> None:
    src = """\
        import sys
        from sklearn.datasets import make_regression
        from keras.models import Sequential
        from keras.layers import Dense

        def make_model(n_hidden):
            model = Sequential()
            model.add(Dense(64, input_dim=10, activation="relu"))
            for _ in range(n_hidden):
                model.add(Dense(64, activation="relu"))
            model.add(Dense(1, activation="sigmoid"))
            model.compile(loss="mse", optimizer="adam")
            return model

        X, y = make_regression(n_samples=500, n_features=10)
        model = make_model(int(sys.argv[1]))
        model.fit(X, y, epochs=20)
        """
    assert kc112(src) == [("KC112", 11)]
