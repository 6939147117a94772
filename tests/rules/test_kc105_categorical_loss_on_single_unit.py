"""KC105 categorical-loss-on-single-unit: (sparse) categorical cross-entropy on one output unit."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc105(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC105"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_binary_classifier_with_categorical_loss() -> None:
    src = """\
        import numpy
        from keras.models import Sequential
        from keras.layers import Dense

        dataset = numpy.loadtxt("pima-indians-diabetes.csv", delimiter=",")
        X = dataset[:, 0:8]
        Y = dataset[:, 8]
        model = Sequential()
        model.add(Dense(12, input_dim=8, init='uniform', activation='relu'))
        model.add(Dense(1, init='uniform', activation='sigmoid'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=150, batch_size=10)
        """
    assert kc105(src) == [("KC105", 11)]
    (finding,) = lint_snippet(src, select=["KC105"])
    assert "categorical_crossentropy" in finding.message and "always 0" in finding.message
    assert "binary_crossentropy" in finding.message and finding.severity == "error"


def test_tf_keras_sparse_loss_with_logits_on_one_unit() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(10000, 16),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(16, activation='relu'),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer='adam',
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=['accuracy'])
        """
    assert kc105(src) == [("KC105", 10)]
    assert "out of range" in lint_snippet(src, select=["KC105"])[0].message


def test_keras3_functional_loss_object() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(30,))
        x = layers.Dense(32, activation="relu")(inputs)
        x = layers.Dropout(0.3)(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(),
                      metrics=["accuracy"])
        """
    assert kc105(src) == [("KC105", 10)]


def test_factory_with_units_constant_and_sparse_string() -> None:
    src = """\
        from tensorflow import keras

        OUTPUT_UNITS = 1

        def create_model(n_features):
            model = keras.Sequential()
            model.add(keras.layers.Dense(64, activation="relu", input_shape=(n_features,)))
            model.add(keras.layers.Dense(OUTPUT_UNITS, activation="sigmoid"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            return model

        clf = create_model(13)
        """
    assert kc105(src) == [("KC105", 9)]


def test_binary_segmentation_one_filter_sparse_loss() -> None:
    src = """\
        from tensorflow.keras.models import Model
        from tensorflow.keras.layers import Input, Conv2D

        inputs = Input((128, 128, 3))
        x = Conv2D(32, 3, padding="same", activation="relu")(inputs)
        outputs = Conv2D(1, 1, activation="sigmoid")(x)
        unet = Model(inputs, outputs)
        unet.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc105(src) == [("KC105", 8)]


# -- silent --------------------------------------------------------------------------------------------


def test_one_sigmoid_unit_with_binary_loss() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(12, input_dim=8, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc105(src) == []


def test_softmax_head_with_categorical_loss() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(10, activation='softmax'),
        ])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy',
                      metrics=['accuracy'])
        """
    assert kc105(src) == []


def test_units_from_unknown_parameter() -> None:
    src = """\
        import keras
        from keras import layers

        def build(num_classes):
            model = keras.Sequential([
                layers.Dense(64, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            return model
        """
    assert kc105(src) == []


def test_regression_single_unit() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(13,)),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
        """
    assert kc105(src) == []


def test_multi_output_with_per_output_losses() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(64,))
        x = layers.Dense(64, activation="relu")(inputs)
        digit = layers.Dense(10, activation="softmax", name="digit")(x)
        score = layers.Dense(1, name="score")(x)
        model = keras.Model(inputs, [digit, score])
        model.compile(optimizer="adam",
                      loss=["sparse_categorical_crossentropy", "mse"])
        """
    assert kc105(src) == []


def test_loaded_model_and_custom_loss() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def focal(y_true, y_pred):
            return tf.reduce_mean(tf.square(y_true - y_pred))

        pretrained = keras.models.load_model("model.keras")
        pretrained.compile(optimizer="adam", loss="categorical_crossentropy")

        model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss=focal)
        """
    assert kc105(src) == []


def test_factory_choosing_head_and_loss_by_class_count() -> None:
    src = """\
        from tensorflow import keras

        def build_model(n_classes, input_dim):
            model = keras.Sequential([
                keras.layers.Dense(64, activation="relu", input_shape=(input_dim,)),
                keras.layers.Dense(1 if n_classes == 2 else n_classes,
                                   activation="sigmoid" if n_classes == 2 else "softmax"),
            ])
            model.compile(optimizer="adam",
                          loss="categorical_crossentropy" if n_classes > 2 else "binary_crossentropy",
                          metrics=["accuracy"])
            return model
        """
    assert kc105(src) == []
