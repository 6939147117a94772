"""KC104 binary-loss-on-multiclass-head: binary cross-entropy on single-label multi-class outputs."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc104(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC104"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_iris_softmax_with_binary_loss() -> None:
    src = """\
        import pandas
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.utils import np_utils
        from sklearn.preprocessing import LabelEncoder

        dataframe = pandas.read_csv("iris.csv", header=None)
        dataset = dataframe.values
        X = dataset[:, 0:4].astype(float)
        encoder = LabelEncoder()
        encoded_Y = encoder.fit_transform(dataset[:, 4])
        dummy_y = np_utils.to_categorical(encoded_Y)

        model = Sequential()
        model.add(Dense(8, input_dim=4, activation='relu'))
        model.add(Dense(3, activation='softmax'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, dummy_y, epochs=200, batch_size=5)
        """
    assert kc104(src) == [("KC104", 17)]
    (finding,) = lint_snippet(src, select=["KC104"])
    assert "binary_crossentropy" in finding.message and "Dense(3" in finding.message
    assert "categorical_crossentropy" in finding.message and finding.severity == "warning"


def test_tf_keras_functional_loss_object_and_constant_units() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        NUM_CLASSES = 10

        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(),
                      metrics=["accuracy"])
        """
    assert kc104(src) == [("KC104", 11)]


def test_keras3_dense_then_softmax_activation_layer() -> None:
    src = """\
        import keras
        from keras import layers

        def build_model():
            model = keras.Sequential()
            model.add(keras.Input(shape=(100,)))
            model.add(layers.Dense(64, activation="relu"))
            model.add(layers.Dense(5))
            model.add(layers.Activation("softmax"))
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            return model

        model = build_model()
        """
    assert kc104(src) == [("KC104", 10)]


def test_sigmoid_head_on_one_hot_mnist_labels() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784).astype("float32") / 255
        y_train = keras.utils.to_categorical(y_train, 10)

        model = keras.Sequential([
            keras.layers.Dense(256, activation="relu", input_shape=(784,)),
            keras.layers.Dense(10, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc104(src) == [("KC104", 11)]
    assert "90%" in lint_snippet(src, select=["KC104"])[0].message


def test_sigmoid_head_on_label_binarizer_targets() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import LabelBinarizer, StandardScaler
        from keras.models import Sequential
        from keras.layers import Dense

        df = pd.read_csv("wine.csv").dropna()
        X = StandardScaler().fit_transform(df.drop("quality", axis=1))
        y = LabelBinarizer().fit_transform(df["quality"])

        model = Sequential()
        model.add(Dense(32, input_dim=11, activation='relu'))
        model.add(Dense(6, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['acc'])
        model.fit(X, y, epochs=50)
        """
    assert kc104(src) == [("KC104", 13)]


def test_softmax_head_with_class_count_from_label_width() -> None:
    src = """\
        from keras.datasets import mnist
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.utils import to_categorical

        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        X_train = X_train.reshape(60000, 784).astype("float32") / 255
        y_train = to_categorical(y_train)
        num_classes = y_train.shape[1]
        model = Sequential()
        model.add(Dense(256, input_dim=784, activation="relu"))
        model.add(Dense(num_classes, activation="softmax"))
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X_train, y_train, epochs=10)
        """
    assert kc104(src) == [("KC104", 13)]


# -- silent --------------------------------------------------------------------------------------------


def test_single_sigmoid_unit_binary_classifier() -> None:
    src = """\
        from keras.datasets import imdb
        from keras.models import Sequential
        from keras.layers import Dense, Embedding, LSTM

        (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=20000)
        model = Sequential()
        model.add(Embedding(20000, 128))
        model.add(LSTM(64))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=3)
        """
    assert kc104(src) == []


def test_multi_label_sigmoid_with_multilabel_binarizer() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import MultiLabelBinarizer
        from tensorflow import keras

        df = pd.read_csv("movies.csv").dropna()
        y = MultiLabelBinarizer().fit_transform(df["genres"])
        X = df[["f1", "f2", "f3"]].values / 100.0

        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(3,)),
            keras.layers.Dense(20, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=20)
        """
    assert kc104(src) == []


def test_multi_label_sigmoid_labels_not_visible() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        x = np.load("features.npy")
        y = np.load("tags.npy")
        model = keras.Sequential([
            keras.layers.Dense(128, activation="relu", input_shape=(300,)),
            keras.layers.Dense(50, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True)])
        model.fit(x, y, epochs=10)
        """
    assert kc104(src) == []


def test_two_unit_softmax_with_binary_loss_is_equivalent() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.utils import to_categorical

        model = Sequential()
        model.add(Dense(16, input_dim=30, activation='relu'))
        model.add(Dense(2, activation='softmax'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc104(src) == []


def test_sigmoid_one_hot_with_categorical_accuracy_metric() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.cifar10.load_data()
        x_train = x_train.astype("float32") / 255
        y_train = keras.utils.to_categorical(y_train, 10)
        model = keras.Sequential([
            keras.layers.Flatten(input_shape=(32, 32, 3)),
            keras.layers.Dense(10, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=["categorical_accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc104(src) == []


def test_softmax_with_categorical_and_multi_output_dict_loss() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        clf = keras.Sequential([
            layers.Dense(64, activation="relu", input_shape=(20,)),
            layers.Dense(5, activation="softmax"),
        ])
        clf.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

        inputs = keras.Input(shape=(20,))
        x = layers.Dense(64, activation="relu")(inputs)
        kind = layers.Dense(5, activation="softmax", name="kind")(x)
        flag = layers.Dense(1, activation="sigmoid", name="flag")(x)
        multi = keras.Model(inputs, [kind, flag])
        multi.compile(optimizer="adam",
                      loss={"kind": "categorical_crossentropy", "flag": "binary_crossentropy"})
        """
    assert kc104(src) == []


def test_loss_switched_by_command_line_flag() -> None:
    src = """\
        import sys
        from tensorflow import keras

        loss = "categorical_crossentropy"
        if "--multilabel" in sys.argv:
            loss = "binary_crossentropy"
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(20,)),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        """
    assert kc104(src) == []



def test_two_sigmoid_units_on_two_one_hot_classes_is_not_inflated() -> None:
    # cats vs dogs written as two one-hot columns: binary accuracy over two units is chance-level
    # (50%) at the start just like categorical accuracy, so there is nothing to report
    src = """\
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras.utils import to_categorical

        x = np.load("features.npy")
        y = to_categorical(np.load("labels.npy"), 2)
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(128,)),
            keras.layers.Dense(2, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, validation_split=0.2)
        """
    assert kc104(src) == []


def test_three_sigmoid_units_on_one_hot_labels_fire() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras.utils import to_categorical

        x = np.load("features.npy")
        y = to_categorical(np.load("labels.npy"), 3)
        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(128,)),
            keras.layers.Dense(3, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, validation_split=0.2)
        """
    assert kc104(src) == [("KC104", 11)]
