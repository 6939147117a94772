"""KC110 sigmoid-head-with-categorical-loss: categorical cross-entropy on several sigmoid units."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc110(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC110"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_sigmoid_units_with_categorical_loss() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(100,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(5, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc110(src) == [("KC110", 9)]
    (finding,) = lint_snippet(src, select=["KC110"])
    assert "sigmoid" in finding.message and "softmax" in finding.message
    assert "binary_crossentropy" in finding.message and finding.severity == "warning"


def test_keras2_separate_sigmoid_activation() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation, Dropout

        model = Sequential()
        model.add(Dense(512, input_shape=(784,), init='he_normal'))
        model.add(Activation('relu'))
        model.add(Dropout(0.2))
        model.add(Dense(10))
        model.add(Activation('sigmoid'))
        model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        """
    assert kc110(src) == [("KC110", 10)]


def test_tf_keras_functional_sigmoid_object_and_sparse_loss() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        NUM_CLASSES = 4
        inputs = tf.keras.Input(shape=(64, 64, 3))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.GlobalMaxPooling2D()(x)
        outputs = layers.Dense(NUM_CLASSES, activation=tf.nn.sigmoid)(x)
        model = tf.keras.Model(inputs=inputs, outputs=outputs)
        model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(),
                      metrics=["accuracy"])
        """
    assert kc110(src) == [("KC110", 10)]


def test_factory_on_mnist() -> None:
    src = """\
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train / 255.0

        def get_model():
            model = keras.Sequential()
            model.add(keras.layers.Flatten(input_shape=(28, 28)))
            model.add(keras.layers.Dense(128, activation="relu"))
            model.add(keras.layers.Dense(10, activation="sigmoid"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            return model

        model = get_model()
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc110(src) == [("KC110", 11)]


def test_multi_label_targets_with_categorical_loss() -> None:
    src = """\
        import pandas as pd
        from sklearn.preprocessing import MultiLabelBinarizer
        from tensorflow import keras

        df = pd.read_csv("tags.csv").dropna()
        y = MultiLabelBinarizer().fit_transform(df["tags"])
        X = df[["a", "b"]].values / 10.0
        model = keras.Sequential([
            keras.layers.Dense(32, activation="relu", input_shape=(2,)),
            keras.layers.Dense(12, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(X, y, epochs=10)
        """
    assert kc110(src) == [("KC110", 12)]


# -- silent --------------------------------------------------------------------------------------------


def test_multi_label_sigmoid_with_binary_loss() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Dense(128, activation="relu", input_shape=(300,)),
            keras.layers.Dense(20, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True)])
        """
    assert kc110(src) == []


def test_softmax_with_categorical_and_sparse() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        a = Sequential()
        a.add(Dense(64, input_dim=20, activation='relu'))
        a.add(Dense(10))
        a.add(Activation('softmax'))
        a.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])

        b = Sequential()
        b.add(Dense(64, input_dim=20, activation='relu'))
        b.add(Dense(10, activation='softmax'))
        b.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc110(src) == []


def test_single_sigmoid_unit_binary() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(16, activation="relu", input_shape=(8,)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc110(src) == []


def test_linear_head_with_logits() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(8,)),
            tf.keras.layers.Dense(6),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
        """
    assert kc110(src) == []


def test_multi_output_sigmoid_tags_and_softmax_category() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(64,))
        x = layers.Dense(64, activation="relu")(inputs)
        tags = layers.Dense(8, activation="sigmoid", name="tags")(x)
        category = layers.Dense(4, activation="softmax", name="category")(x)
        model = keras.Model(inputs, [tags, category])
        model.compile(optimizer="adam",
                      loss={"tags": "binary_crossentropy", "category": "categorical_crossentropy"})
        """
    assert kc110(src) == []


def test_loaded_model_recompiled() -> None:
    src = """\
        from tensorflow import keras

        model = keras.models.load_model("tagger.keras")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc110(src) == []


def test_loss_from_a_config_module() -> None:
    src = """\
        from tensorflow import keras
        import config

        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(100,)),
            keras.layers.Dense(config.NUM_TAGS, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss=config.LOSS, metrics=config.METRICS)
        """
    assert kc110(src) == []
