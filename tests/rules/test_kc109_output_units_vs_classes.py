"""KC109 output-units-vs-classes: the head's units disagree with the visible class count."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc109(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC109"])


# -- firing --------------------------------------------------------------------------------------------


def test_cifar10_one_hot_with_cifar100_head() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.cifar10.load_data()
        x_train = x_train.astype("float32") / 255
        y_train = keras.utils.to_categorical(y_train, 10)
        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(100, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc109(src) == [("KC109", 10)]
    (finding,) = lint_snippet(src, select=["KC109"])
    assert "100 outputs" in finding.message and "10 columns" in finding.message
    assert finding.severity == "error"


def test_keras2_class_count_variable_and_wrong_units() -> None:
    src = """\
        import pandas as pd
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.utils import np_utils
        from sklearn.preprocessing import LabelEncoder

        nb_classes = 5
        df = pd.read_csv("flowers.csv").dropna()
        X = df.drop("label", axis=1).values / 255.0
        y = LabelEncoder().fit_transform(df["label"])
        Y = np_utils.to_categorical(y, nb_classes)

        model = Sequential()
        model.add(Dense(128, input_dim=1024, activation='relu'))
        model.add(Dense(4, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=20)
        """
    assert kc109(src) == [("KC109", 15)]


def test_mnist_integer_labels_with_too_few_units() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
        x_train = x_train / 255.0
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc109(src) == [("KC109", 8)]
    assert "out of range" in lint_snippet(src, select=["KC109"])[0].message


def test_imdb_one_hot_labels_on_single_sigmoid_unit() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.utils import to_categorical
        from keras.models import Sequential
        from keras.layers import Embedding, Flatten, Dense

        (x_train, y_train), _ = imdb.load_data(num_words=5000)
        y_train = to_categorical(y_train)
        model = Sequential()
        model.add(Embedding(5000, 32, input_length=500))
        model.add(Flatten())
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=2)
        """
    assert kc109(src) == [("KC109", 11)]


def test_cifar100_functional_logits_head_too_small() -> None:
    src = """\
        import keras
        from keras import layers

        (x_train, y_train), _ = keras.datasets.cifar100.load_data()
        x_train = x_train.astype("float32") / 255.0

        def build_model():
            inputs = keras.Input(shape=(32, 32, 3))
            x = layers.Conv2D(64, 3, activation="relu")(inputs)
            x = layers.GlobalAveragePooling2D()(x)
            outputs = layers.Dense(10)(x)
            return keras.Model(inputs, outputs)

        model = build_model()
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc109(src) == [("KC109", 11)]


# -- silent --------------------------------------------------------------------------------------------


def test_keras_io_mnist_convnet_matching_classes() -> None:
    src = """\
        import numpy as np
        import keras
        from keras import layers

        num_classes = 10
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
        y_train = keras.utils.to_categorical(y_train, num_classes)
        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)
        """
    assert kc109(src) == []


def test_sparse_mnist_ten_units_and_extra_unit() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
        x_train = x_train / 255.0
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, epochs=5)

        padded = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(11, activation="softmax"),
        ])
        padded.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        padded.fit(x_train, y_train, epochs=5)
        """
    assert kc109(src) == []


def test_imdb_single_sigmoid_unit_integer_labels() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.models import Sequential
        from keras.layers import Embedding, LSTM, Dense

        (x_train, y_train), _ = imdb.load_data(num_words=20000)
        model = Sequential()
        model.add(Embedding(20000, 128))
        model.add(LSTM(128))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=2)
        """
    assert kc109(src) == []


def test_mnist_filtered_to_two_digits() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        mask = (y_train == 0) | (y_train == 1)
        x_train = x_train[mask] / 255.0
        y_train = y_train[mask]
        model = keras.Sequential([
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, epochs=3)
        """
    assert kc109(src) == []


def test_class_count_unknown() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import LabelEncoder
        from tensorflow import keras

        df = pd.read_csv("data.csv").dropna()
        y = keras.utils.to_categorical(LabelEncoder().fit_transform(df["label"]))
        X = df.drop("label", axis=1).values / 255.0
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(64,)),
            keras.layers.Dense(7, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(X, y, epochs=10)
        """
    assert kc109(src) == []


def test_factory_units_from_parameter() -> None:
    src = """\
        from tensorflow import keras

        NUM_CLASSES = 10
        (x_train, y_train), _ = keras.datasets.cifar10.load_data()
        x_train = x_train / 255.0
        y_train = keras.utils.to_categorical(y_train, NUM_CLASSES)

        def make_model(n_out):
            model = keras.Sequential([
                keras.layers.Flatten(input_shape=(32, 32, 3)),
                keras.layers.Dense(n_out, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
            return model

        model = make_model(NUM_CLASSES)
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc109(src) == []
