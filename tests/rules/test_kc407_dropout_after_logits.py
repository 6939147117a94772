"""KC407 dropout-after-logits: dropout or noise on the model's output."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc407(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC407"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_dropout_between_dense_and_softmax() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, Activation

        model = Sequential()
        model.add(Dense(512, input_shape=(784,)))
        model.add(Activation('relu'))
        model.add(Dense(10))
        model.add(Dropout(0.5))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        model.fit(X_train, Y_train, nb_epoch=20)
        """
    assert kc407(src) == [("KC407", 8)]
    (finding,) = lint_snippet(src, select=["KC407"])
    assert "Dropout(0.5) between Dense(10) and its softmax corrupts random logits" in finding.message
    assert "before Dense(10)" in finding.message


def test_dropout_as_the_last_layer_after_sigmoid() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(30,)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
            tf.keras.layers.Dropout(0.2),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=20)
        """
    assert kc407(src) == [("KC407", 6)]
    (finding,) = lint_snippet(src, select=["KC407"])
    assert "sigmoid outputs" in finding.message and "log(0)" in finding.message


def test_functional_gaussian_noise_after_softmax() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(128,))
        x = layers.Dense(64, activation="relu")(inputs)
        x = layers.Dense(5, activation="softmax")(x)
        outputs = layers.GaussianNoise(0.1)(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc407(src) == [("KC407", 7)]


def test_batchnorm_and_dropout_before_the_head_activation_in_a_factory() -> None:
    src = """\
        from tensorflow.keras import layers, models

        def build_classifier(n_classes=10):
            model = models.Sequential()
            model.add(layers.Dense(256, activation="relu", input_shape=(64,)))
            model.add(layers.Dense(n_classes))
            model.add(layers.BatchNormalization())
            model.add(layers.AlphaDropout(0.1))
            model.add(layers.Activation("softmax"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            return model

        clf = build_classifier()
        """
    assert kc407(src) == [("KC407", 8)]


# -- not firing ----------------------------------------------------------------------------------------


def test_dropout_before_the_output_layer() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc407(src) == []


def test_keras2_dropout_between_hidden_and_output() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, Activation

        model = Sequential()
        model.add(Dense(64, input_dim=20))
        model.add(Activation('relu'))
        model.add(Dropout(0.5))
        model.add(Dense(10))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='sgd')
        """
    assert kc407(src) == []


def test_feature_extractor_sub_model_ending_in_dropout() -> None:
    src = """\
        import keras
        from keras import layers

        encoder = keras.Sequential([
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.3),
        ])
        inputs = keras.Input(shape=(40,))
        features = encoder(inputs)
        outputs = layers.Dense(1, activation="sigmoid")(features)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc407(src) == []


def test_uncompiled_block_ending_in_dropout() -> None:
    src = """\
        from tensorflow import keras

        def dense_block(units):
            return keras.Sequential([
                keras.layers.Dense(units, activation="relu"),
                keras.layers.BatchNormalization(),
                keras.layers.Dropout(0.2),
            ])

        block = dense_block(64)
        """
    assert kc407(src) == []


def test_multi_output_model() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(32,))
        x = layers.Dense(64, activation="relu")(inputs)
        a = layers.Dense(1, name="a")(x)
        b = layers.Dense(3, activation="softmax", name="b")(x)
        b = layers.Dropout(0.1)(b)
        model = keras.Model(inputs, [b, a])
        model.compile(optimizer="adam", loss=["categorical_crossentropy", "mse"])
        """
    assert kc407(src) == []


def test_plain_head_with_activation_layer() -> None:
    src = """\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense, Activation, GaussianNoise

        model = Sequential()
        model.add(GaussianNoise(0.1, input_shape=(10,)))
        model.add(Dense(32))
        model.add(Activation('relu'))
        model.add(Dense(3))
        model.add(Activation('softmax'))
        model.compile(optimizer='adam', loss='categorical_crossentropy')
        """
    assert kc407(src) == []
