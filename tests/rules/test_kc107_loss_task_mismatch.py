"""KC107 loss-task-mismatch: a regression loss on a classifier's softmax/sigmoid output."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc107(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC107"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_softmax_mse_with_accuracy() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        from keras.optimizers import SGD

        model = Sequential()
        model.add(Dense(64, input_dim=784, init='uniform'))
        model.add(Activation('relu'))
        model.add(Dense(10, init='uniform'))
        model.add(Activation('softmax'))
        model.compile(loss='mean_squared_error', optimizer=SGD(lr=0.1), metrics=['accuracy'])
        """
    assert kc107(src) == [("KC107", 10)]
    (finding,) = lint_snippet(src, select=["KC107"])
    assert "mean_squared_error" in finding.message and "softmax" in finding.message
    assert "categorical_crossentropy" in finding.message and finding.severity == "warning"


def test_mape_on_one_hot_mnist() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784).astype("float32") / 255
        y_train = keras.utils.to_categorical(y_train, 10)
        model = keras.Sequential([
            keras.layers.Dense(128, activation="relu", input_shape=(784,)),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="mape")
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc107(src) == [("KC107", 10)]
    assert "divides by the 0 labels" in lint_snippet(src, select=["KC107"])[0].message


def test_imdb_sigmoid_with_mse() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.models import Sequential
        from keras.layers import Dense, Embedding, GlobalAveragePooling1D

        (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10000)
        model = Sequential()
        model.add(Embedding(10000, 16))
        model.add(GlobalAveragePooling1D())
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='mse', optimizer='rmsprop')
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc107(src) == [("KC107", 10)]
    assert "binary_crossentropy" in lint_snippet(src, select=["KC107"])[0].message


def test_tf_keras_functional_loss_object_on_softmax() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.Flatten()(x)
        x = layers.Dense(10)(x)
        outputs = layers.Activation("softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=tf.keras.losses.MeanSquaredError(),
                      metrics=["accuracy"])
        """
    assert kc107(src) == [("KC107", 10)]


def test_sigmoid_units_on_one_hot_labels_with_mae() -> None:
    src = """\
        import keras

        (x_train, y_train), _ = keras.datasets.cifar10.load_data()
        x_train = x_train.astype("float32") / 255.0
        y_train = keras.utils.to_categorical(y_train, 10)

        def build():
            model = keras.Sequential([
                keras.Input(shape=(32, 32, 3)),
                keras.layers.Flatten(),
                keras.layers.Dense(10, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss=keras.losses.mean_absolute_error)
            return model

        model = build()
        model.fit(x_train, y_train, epochs=3)
        """
    assert kc107(src) == [("KC107", 13)]


# -- silent --------------------------------------------------------------------------------------------


def test_linear_regression_head() -> None:
    src = """\
        from tensorflow import keras

        (x, y), _ = keras.datasets.boston_housing.load_data()
        x = (x - x.mean(axis=0)) / x.std(axis=0)
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(13,)),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=100)
        """
    assert kc107(src) == []


def test_softmax_with_crossentropy() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(64, input_dim=20, activation='relu'))
        model.add(Dense(4, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc107(src) == []


def test_sigmoid_regression_onto_unit_interval() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        X = np.load("features.npy")
        y = np.load("ctr.npy")
        model = keras.Sequential([
            keras.layers.Dense(32, activation="relu", input_shape=(12,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(X, y, epochs=20)
        """
    assert kc107(src) == []


def test_softmax_regressing_proportions() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        X = np.load("spectra.npy")
        fractions = np.load("mixture_fractions.npy")
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(200,)),
            keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="mae")
        model.fit(X, fractions, epochs=50)
        """
    assert kc107(src) == []


def test_autoencoder_sigmoid_reconstruction_with_mse() -> None:
    src = """\
        from keras.layers import Input, Dense
        from keras.models import Model
        from keras.datasets import mnist

        (x_train, _), (x_test, _) = mnist.load_data()
        x_train = x_train.astype('float32') / 255.
        x_train = x_train.reshape((len(x_train), 784))
        input_img = Input(shape=(784,))
        encoded = Dense(32, activation='relu')(input_img)
        decoded = Dense(784, activation='sigmoid')(encoded)
        autoencoder = Model(input_img, decoded)
        autoencoder.compile(optimizer='adam', loss='mse')
        autoencoder.fit(x_train, x_train, epochs=50, batch_size=256)
        """
    assert kc107(src) == []


def test_poisson_and_dqn_linear_mse() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import Adam

        counts = Sequential()
        counts.add(Dense(16, input_dim=6, activation='relu'))
        counts.add(Dense(3, activation='softmax'))
        counts.compile(loss='poisson', optimizer='adam')

        q_net = Sequential()
        q_net.add(Dense(24, input_dim=4, activation='relu'))
        q_net.add(Dense(2, activation='linear'))
        q_net.compile(loss='mse', optimizer=Adam(lr=0.001))
        """
    assert kc107(src) == []
