"""KC106 accuracy-with-regression-loss: an accuracy metric on a regression model."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc106(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC106"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_boston_housing_regression_with_accuracy() -> None:
    src = """\
        import pandas
        from keras.models import Sequential
        from keras.layers import Dense
        from sklearn.preprocessing import StandardScaler

        dataframe = pandas.read_csv("housing.csv", delim_whitespace=True, header=None)
        dataset = dataframe.values
        X = StandardScaler().fit_transform(dataset[:, 0:13])
        Y = dataset[:, 13]

        model = Sequential()
        model.add(Dense(13, input_dim=13, init='normal', activation='relu'))
        model.add(Dense(1, init='normal'))
        model.compile(loss='mean_squared_error', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=100, batch_size=5)
        """
    assert kc106(src) == [("KC106", 14)]
    (finding,) = lint_snippet(src, select=["KC106"])
    assert "accuracy" in finding.message and "mean_squared_error" in finding.message
    assert "mae" in finding.message and finding.severity == "warning"


def test_tf_keras_loss_and_metric_objects() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        x = np.linspace(-1, 1, 1000).reshape(-1, 1)
        y = 3 * x + 0.5

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(1,)),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
                      loss=tf.keras.losses.MeanSquaredError(),
                      metrics=[tf.keras.metrics.Accuracy()])
        model.fit(x, y, epochs=50)
        """
    assert kc106(src) == [("KC106", 13)]


def test_keras3_functional_mae_function_with_acc_and_mae_metrics() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = layers.Dense(64, activation="relu")(inputs)
        x = layers.Dense(64, activation="relu")(x)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=keras.losses.mean_absolute_error,
                      metrics=["acc", "mae"])
        """
    assert kc106(src) == [("KC106", 10)]


def test_layers_unknown_loaded_model() -> None:
    src = """\
        from tensorflow import keras

        model = keras.models.load_model("price_model.h5")
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        """
    assert kc106(src) == [("KC106", 4)]


def test_lstm_forecaster_factory_with_loss_constant() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense

        LOSS = "mean_squared_error"

        def build_forecaster(look_back):
            model = Sequential()
            model.add(LSTM(50, input_shape=(look_back, 1)))
            model.add(Dense(1))
            model.compile(loss=LOSS, optimizer="adam", metrics=["accuracy", "binary_accuracy"])
            return model

        model = build_forecaster(10)
        """
    assert kc106(src) == [("KC106", 10), ("KC106", 10)]  # one per accuracy metric
    assert [f.column for f in lint_snippet(src, select=["KC106"])] == [57, 69]


def test_model_from_another_module_huber_loss() -> None:
    src = """\
        import tensorflow as tf
        from mypackage.models import build_regressor

        model = build_regressor()
        model.compile(optimizer="adam", loss=tf.keras.losses.Huber(), metrics=["accuracy"])
        """
    assert kc106(src) == [("KC106", 5)]


# -- silent --------------------------------------------------------------------------------------------


def test_regression_with_regression_metrics() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        (train_data, train_targets), _ = keras.datasets.boston_housing.load_data()
        mean = train_data.mean(axis=0)
        train_data -= mean
        train_data /= train_data.std(axis=0)

        def build_model():
            model = keras.Sequential([
                layers.Dense(64, activation="relu"),
                layers.Dense(64, activation="relu"),
                layers.Dense(1),
            ])
            model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
            return model

        model = build_model()
        model.fit(train_data, train_targets, epochs=130, batch_size=16)
        """
    assert kc106(src) == []


def test_softmax_classifier_trained_with_mse_is_kc107_not_kc106() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        from keras.optimizers import SGD

        model = Sequential()
        model.add(Dense(64, input_dim=784))
        model.add(Activation('relu'))
        model.add(Dense(10))
        model.add(Activation('softmax'))
        model.compile(loss='mse', optimizer=SGD(lr=0.1), metrics=['accuracy'])
        """
    assert kc106(src) == []


def test_sigmoid_binary_head_with_mse() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        X = np.load("x.npy")
        y = np.load("y.npy")
        model = keras.Sequential([
            keras.layers.Dense(16, activation="relu", input_shape=(10,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mean_squared_error", metrics=["accuracy"])
        model.fit(X, y, epochs=10)
        """
    assert kc106(src) == []


def test_one_hot_labels_visible() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784) / 255.0
        y_train = keras.utils.to_categorical(y_train, 10)
        model = keras.Sequential([
            keras.layers.Dense(128, activation="relu", input_shape=(784,)),
            keras.layers.Dense(10),
        ])
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc106(src) == []


def test_classification_losses_and_custom_loss() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def rmse(y_true, y_pred):
            return tf.sqrt(tf.reduce_mean(tf.square(y_true - y_pred)))

        clf = keras.Sequential([keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
        clf.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

        reg = keras.Sequential([keras.layers.Dense(1, input_shape=(4,))])
        reg.compile(optimizer="adam", loss=rmse, metrics=["accuracy"])
        """
    assert kc106(src) == []


def test_multi_output_model() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(16,))
        x = layers.Dense(32, activation="relu")(inputs)
        age = layers.Dense(1, name="age")(x)
        gender = layers.Dense(1, activation="sigmoid", name="gender")(x)
        model = keras.Model(inputs, [age, gender])
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        """
    assert kc106(src) == []


def test_incomplete_model_ending_in_softmax() -> None:
    src = """\
        from tensorflow import keras

        def build(hidden_sizes):
            model = keras.Sequential()
            for size in hidden_sizes:
                model.add(keras.layers.Dense(size, activation="relu"))
            model.add(keras.layers.Dense(10, activation="softmax"))
            model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
            return model
        """
    assert kc106(src) == []


# -- the hand-off with KC107, and what "accuracy" resolves to -------------------------------------------


def test_sigmoid_head_on_continuous_targets_is_reported_with_binary_accuracy_named() -> None:
    src = """\
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense

        x = np.linspace(0, 10, 1000)
        y = x ** 2 + 3
        model = Sequential()
        model.add(Dense(32, input_dim=1, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='mse', optimizer='adam', metrics=['accuracy'])
        model.fit(x, y, epochs=20)
        """
    assert kc106(src) == [("KC106", 10)]
    assert codes_and_lines(src, select=["KC107"]) == []
    (finding,) = lint_snippet(src, select=["KC106"])
    assert "binary_accuracy" in finding.message and "thresholded at 0.5" in finding.message


def test_accuracy_object_counts_exact_matches_and_poisson_is_a_regression_loss() -> None:
    src = """\
        from sklearn.datasets import make_regression
        from tensorflow import keras

        X, y = make_regression(n_samples=500, n_features=3, n_targets=2)
        model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)])
        model.compile(optimizer="adam", loss="poisson",
                      metrics=[keras.metrics.Accuracy(), "accuracy"])
        model.fit(X, y)
        """
    assert kc106(src) == [("KC106", 7), ("KC106", 7)]
    messages = [f.message for f in lint_snippet(src, select=["KC106"])]
    assert "exactly equal" in messages[0]
    assert "categorical_accuracy" in messages[1] and "2 output units" in messages[1]


def test_thresholded_binary_accuracy_with_mse_on_zero_one_targets_is_valid() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        X = np.random.randn(400, 2)
        y = np.concatenate([np.zeros(200), np.ones(200)])
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
        model.compile(optimizer="sgd", loss="mse",
                      metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.5)])
        model.fit(X, y, epochs=50)
        """
    assert kc106(src) == []


def test_softmax_over_continuous_targets_is_not_deferred_to_kc107() -> None:
    src = """\
        from sklearn.datasets import make_regression
        from tensorflow import keras

        X, y = make_regression(n_samples=500, n_features=3, n_targets=4)
        model = keras.Sequential([keras.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        model.fit(X, y)
        """
    assert kc106(src) == [("KC106", 6)]
    assert codes_and_lines(src, select=["KC107"]) == []
    assert codes_and_lines(src, select=["KC112"]) == [("KC112", 5)]
