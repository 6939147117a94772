"""KC109 on one-unit binary heads: labels with a column per class (directory loaders in categorical
mode, ``to_categorical``) or with more than two classes (``keras.datasets`` digits)."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc109(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC109"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_generator_left_in_its_default_categorical_mode() -> None:
    src = """\
        from keras.preprocessing.image import ImageDataGenerator
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

        augment = ImageDataGenerator(rescale=1.0 / 255, zoom_range=0.1)
        train_flow = augment.flow_from_directory("pets/train", target_size=(128, 128), batch_size=16)

        net = Sequential()
        net.add(Conv2D(16, (3, 3), activation="relu", input_shape=(128, 128, 3)))
        net.add(MaxPooling2D())
        net.add(Flatten())
        net.add(Dense(1, activation="sigmoid"))
        net.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
        net.fit(train_flow, epochs=10)
        """
    assert kc109(src) == [("KC109", 12)]
    (finding,) = lint_snippet(src, select=["KC109"])
    assert "flow_from_directory default" in finding.message
    assert 'class_mode="binary"' in finding.message


def test_dataframe_generator_and_keras3_directory_dataset_in_categorical_mode() -> None:
    src = """\
        import pandas as pd
        import keras
        from keras import layers

        frame = pd.read_csv("labels.csv")
        gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255.0)
        flow = gen.flow_from_dataframe(frame, "images/", x_col="file", y_col="kind")
        ds = keras.utils.image_dataset_from_directory("scans", label_mode="categorical")

        def make():
            return keras.Sequential([
                layers.Rescaling(1 / 255.0),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])

        first = make()
        first.compile(optimizer="adam", loss="binary_crossentropy")
        first.fit(flow)
        second = make()
        second.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())
        second.fit(ds)
        """
    assert kc109(src) == [("KC109", 15)]  # both models share the factory's head line
    assert len(lint_snippet(src, select=["KC109"])) == 1


def test_to_categorical_labels_of_unknown_count_on_one_logit() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        features = np.load("features.npy")
        flags = np.load("flags.npy")
        targets = tf.keras.utils.to_categorical(flags)

        clf = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(12,)),
            tf.keras.layers.Dense(1),
        ])
        clf.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        clf.fit(features, targets, epochs=3)
        """
    assert kc109(src) == [("KC109", 10)]
    assert "to_categorical" in lint_snippet(src, select=["KC109"])[0].message


def test_digit_labels_into_one_sigmoid_unit_given_through_a_variable() -> None:
    src = """\
        from tensorflow import keras

        n_hidden, n_out = 128, 1
        (train_x, train_y), (test_x, test_y) = keras.datasets.fashion_mnist.load_data()
        train_x = train_x.reshape(-1, 784).astype("float32") / 255.0

        mlp = keras.Sequential()
        mlp.add(keras.layers.Dense(n_hidden, activation="relu", input_shape=(784,)))
        mlp.add(keras.layers.Dense(n_out, activation="sigmoid"))
        mlp.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        mlp.fit(train_x, train_y, epochs=2, validation_data=(test_x, test_y))
        """
    assert kc109(src) == [("KC109", 9)]
    message = lint_snippet(src, select=["KC109"])[0].message
    assert "10 classes" in message and "sparse_categorical_crossentropy" in message


def test_directory_generator_with_listed_classes_and_too_few_units() -> None:
    src = """\
        import tensorflow as tf

        gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1.0 / 255)
        flow = gen.flow_from_directory("leaves", classes=["healthy", "rust", "scab"])
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(256, 256, 3)),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(flow)
        """
    assert kc109(src) == [("KC109", 7)]
    assert "3 columns" in lint_snippet(src, select=["KC109"])[0].message


# -- silent --------------------------------------------------------------------------------------------


def test_binary_class_modes_and_default_integer_directory_labels() -> None:
    src = """\
        import tensorflow as tf

        gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1.0 / 255)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(gen.flow_from_directory("cats_dogs", class_mode="binary"))
        model.fit(tf.keras.utils.image_dataset_from_directory("cats_dogs"))
        model.fit(tf.keras.utils.image_dataset_from_directory("cats_dogs", label_mode="binary"))
        """
    assert kc109(src) == []


def test_two_class_datasets_label_binarizer_and_a_picked_column() -> None:
    src = """\
        import numpy as np
        from sklearn.preprocessing import LabelBinarizer
        from tensorflow import keras

        (x_imdb, y_imdb), _ = keras.datasets.imdb.load_data(num_words=5000)
        answers = np.load("answers.npy")
        binarized = LabelBinarizer().fit_transform(answers)
        onehot = keras.utils.to_categorical(answers)

        model = keras.Sequential([
            keras.layers.Embedding(5000, 16),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_imdb, y_imdb)
        model.fit(x_imdb, binarized)
        model.fit(x_imdb, onehot[:, 1])
        """
    assert kc109(src) == []


def test_digits_filtered_to_two_classes_and_a_softmax_head() -> None:
    src = """\
        from tensorflow import keras

        (x, y), _ = keras.datasets.mnist.load_data()
        x = x / 255.0
        keep = y < 2
        binary = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
        binary.compile(optimizer="adam", loss="binary_crossentropy")
        binary.fit(x[keep], y[keep])
        full = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
        full.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        full.fit(x, y)
        """
    assert kc109(src) == []
