"""KC108 label-encoding-mismatch: one-hot/integer/rescaled labels against the wrong loss."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc108(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC108"])


# -- firing --------------------------------------------------------------------------------------------


def test_to_categorical_with_sparse_loss() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        x_train, x_test = x_train / 255.0, x_test / 255.0
        y_train = tf.keras.utils.to_categorical(y_train, num_classes=10)

        model = tf.keras.models.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(10, activation='softmax'),
        ])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc108(src) == [("KC108", 13)]
    (finding,) = lint_snippet(src, select=["KC108"])
    assert "one-hot" in finding.message and "sparse_categorical_crossentropy" in finding.message
    assert finding.severity == "error"


def test_keras2_forgot_to_use_one_hot_labels() -> None:
    src = """\
        from keras.datasets import cifar10
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense
        from keras.utils import np_utils

        (X_train, y_train), (X_test, y_test) = cifar10.load_data()
        X_train = X_train.astype('float32') / 255
        Y_train = np_utils.to_categorical(y_train, 10)

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X_train, y_train, batch_size=32, nb_epoch=10)
        """
    assert kc108(src) == [("KC108", 15)]
    assert "integer class labels" in lint_snippet(src, select=["KC108"])[0].message


def test_keras3_labels_divided_like_inputs() -> None:
    src = """\
        import keras
        from keras import layers

        (x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
        x_train = x_train / 255.0
        y_train = y_train / 255.0

        model = keras.Sequential([
            keras.Input(shape=(28, 28)),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc108(src) == [("KC108", 14)]
    assert "divided like the inputs" in lint_snippet(src, select=["KC108"])[0].message


def test_label_encoder_output_with_categorical_loss() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import LabelEncoder, StandardScaler
        from tensorflow import keras

        df = pd.read_csv("iris.csv").dropna()
        X = StandardScaler().fit_transform(df.drop("species", axis=1))
        y = LabelEncoder().fit_transform(df["species"])

        model = keras.Sequential([
            keras.layers.Dense(16, activation="relu", input_shape=(4,)),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=100)
        """
    assert kc108(src) == [("KC108", 14)]


def test_tf_data_one_hot_in_map_with_sparse_loss() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), _ = tf.keras.datasets.cifar10.load_data()

        def preprocess(image, label):
            image = tf.cast(image, tf.float32) / 255.0
            return image, tf.one_hot(tf.squeeze(label), 10)

        train_ds = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
                    .map(preprocess)
                    .batch(64))
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
            tf.keras.layers.Dense(10),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=5)
        """
    assert kc108(src) == [("KC108", 18)]


def test_image_dataset_from_directory_default_int_labels_with_categorical() -> None:
    src = """\
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "flower_photos", validation_split=0.2, subset="training", seed=123,
            image_size=(180, 180), batch_size=32)
        normalization_layer = tf.keras.layers.Rescaling(1. / 255)
        train_ds = train_ds.map(lambda x, y: (normalization_layer(x), y))
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(180, 180, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """
    assert kc108(src) == [("KC108", 14)]
    assert 'label_mode "int"' in lint_snippet(src, select=["KC108"])[0].message


def test_keras2_flow_from_directory_default_categorical_with_sparse() -> None:
    src = """\
        from keras.preprocessing.image import ImageDataGenerator
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense

        train_datagen = ImageDataGenerator(rescale=1. / 255, shear_range=0.2, zoom_range=0.2)
        train_generator = train_datagen.flow_from_directory(
            'data/train', target_size=(150, 150), batch_size=32)
        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(150, 150, 3)))
        model.add(Flatten())
        model.add(Dense(3, activation='softmax'))
        model.compile(loss='sparse_categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        model.fit_generator(train_generator, steps_per_epoch=2000 // 32, epochs=50)
        """
    assert kc108(src) == [("KC108", 13)]


# -- silent --------------------------------------------------------------------------------------------


def test_keras2_mnist_mlp_one_hot_with_categorical() -> None:
    src = """\
        from keras.datasets import mnist
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.utils import np_utils

        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        X_train = X_train.reshape(60000, 784).astype('float32') / 255
        Y_train = np_utils.to_categorical(y_train, 10)
        model = Sequential()
        model.add(Dense(512, input_shape=(784,), activation='relu'))
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        model.fit(X_train, Y_train, batch_size=128, nb_epoch=20)
        """
    assert kc108(src) == []


def test_quickstart_integer_labels_with_sparse() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
        x_train, x_test = x_train / 255.0, x_test / 255.0
        model = tf.keras.models.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(10),
        ])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(optimizer='adam', loss=loss_fn, metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc108(src) == []


def test_recompiled_with_the_other_label_encoding() -> None:
    src = """\
        import numpy as np
        from keras.datasets import reuters
        from keras.utils import to_categorical
        from keras import models, layers

        (train_data, train_labels), _ = reuters.load_data(num_words=10000)
        x_train = np.load("reuters_vectors.npy")
        one_hot_train_labels = to_categorical(train_labels)
        model = models.Sequential()
        model.add(layers.Dense(64, activation='relu', input_shape=(10000,)))
        model.add(layers.Dense(46, activation='softmax'))
        model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
        model.fit(x_train, one_hot_train_labels, epochs=20, batch_size=512)
        y_train = np.array(train_labels)
        model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', metrics=['acc'])
        model.fit(x_train, y_train, epochs=20, batch_size=512)
        """
    assert kc108(src) == []


def test_tf_data_one_hot_in_map_with_categorical() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
        ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
        ds = ds.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, tf.one_hot(y, 10))).batch(32)
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """
    assert kc108(src) == []


def test_imdb_binary_labels_and_regression_targets_rescaled() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
        clf = keras.Sequential([
            keras.layers.Embedding(10000, 16),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        clf.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        clf.fit(x_train, y_train, epochs=10)

        (x_h, y_h), _ = keras.datasets.boston_housing.load_data()
        y_h = y_h / 50.0
        reg = keras.Sequential([keras.layers.Dense(1, input_shape=(13,))])
        reg.compile(optimizer="adam", loss="mse")
        reg.fit(x_h, y_h, epochs=10)
        """
    assert kc108(src) == []


def test_labels_not_visible() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        x = np.load("x.npy")
        y = np.load("y.npy")
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(20,)),
            keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10)
        """
    assert kc108(src) == []


def test_directory_loaders_with_matching_losses() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "flower_photos", image_size=(180, 180), batch_size=32)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1. / 255, input_shape=(180, 180, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=10)

        gen = ImageDataGenerator(rescale=1. / 255).flow_from_directory(
            "cats_and_dogs/train", target_size=(150, 150), class_mode="binary")
        binary = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(150, 150, 3)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        binary.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        binary.fit(gen, epochs=5)

        onehot = tf.keras.utils.image_dataset_from_directory(
            "flower_photos", image_size=(180, 180), label_mode="categorical")
        clf = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1. / 255, input_shape=(180, 180, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        clf.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        clf.fit(onehot, epochs=10)
        """
    assert kc108(src) == []
