"""KC405 oversized-random-initializer: several layers drawn with a spread of about 1."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc405(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC405"], options={"KC405": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_deep_relu_mlp_with_stddev_one() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(512, activation="relu",
                         kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0)),
            layers.Dense(512, activation="relu",
                         kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0)),
            layers.Dense(10, activation="softmax",
                         kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0)),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc405(src) == [("KC405", 7)]
    (finding,) = lint_snippet(src, select=["KC405"])
    assert "3 layers" in finding.message and "stddev=1.0" in finding.message
    assert "784 inputs" in finding.message and "he_normal" in finding.message


def test_keras2_add_style_with_initializer_in_a_variable() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        from keras.initializers import RandomNormal

        init = RandomNormal(0, 1)
        model = Sequential()
        model.add(Dense(100, input_dim=50, kernel_initializer=init))
        model.add(Activation('relu'))
        model.add(Dense(100, kernel_initializer=init))
        model.add(Activation('relu'))
        model.add(Dense(1, kernel_initializer=init))
        model.compile(loss='mse', optimizer='sgd')
        model.fit(X, y, nb_epoch=10)
        """
    assert kc405(src) == [("KC405", 7)]


def test_tf_keras_uniform_minus_one_to_one() -> None:
    src = """\
        import tensorflow as tf

        init = tf.keras.initializers.RandomUniform(minval=-1.0, maxval=1.0)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="tanh", kernel_initializer=init, input_shape=(100,)),
            tf.keras.layers.Dense(64, activation="tanh", kernel_initializer=init),
            tf.keras.layers.Dense(64, activation="tanh", kernel_initializer=init),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc405(src) == [("KC405", 5)]
    (finding,) = lint_snippet(src, select=["KC405"])
    assert "minval=-1.0, maxval=1.0" in finding.message


def test_functional_truncated_normal() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import initializers, layers

        big = initializers.TruncatedNormal(stddev=2.0)
        inputs = keras.Input(shape=(20,))
        x = layers.Dense(256, activation="relu", kernel_initializer=big)(inputs)
        x = layers.Dense(256, activation="relu", kernel_initializer=big)(x)
        x = layers.Dense(128, activation="relu", kernel_initializer=big)(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc405(src) == [("KC405", 6)]


def test_min_layers_option() -> None:
    src = """\
        import keras
        from keras import initializers, layers

        model = keras.Sequential([
            keras.Input(shape=(100,)),
            layers.Dense(256, activation="relu", kernel_initializer=initializers.RandomNormal(stddev=1.0)),
            layers.Dense(10, activation="softmax", kernel_initializer=initializers.RandomNormal(stddev=1.0)),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc405(src) == []
    assert kc405(src, **{"min-layers": 2}) == [("KC405", 6)]


# -- not firing ----------------------------------------------------------------------------------------


def test_small_stddev() -> None:
    src = """\
        import keras
        from keras import initializers, layers

        init = initializers.RandomNormal(mean=0.0, stddev=0.02)
        model = keras.Sequential([
            keras.Input(shape=(100,)),
            layers.Dense(256, activation="relu", kernel_initializer=init),
            layers.Dense(256, activation="relu", kernel_initializer=init),
            layers.Dense(1, activation="sigmoid", kernel_initializer=init),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc405(src) == []


def test_two_oversized_layers_only() -> None:
    src = """\
        import tensorflow as tf

        init = tf.keras.initializers.RandomNormal(stddev=1.0)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", kernel_initializer=init, input_shape=(10,)),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1, kernel_initializer=init),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc405(src) == []


def test_xor_toy_network_with_few_inputs_per_unit() -> None:
    src = """\
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.initializers import RandomNormal

        X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        y = np.array([0, 1, 1, 0])
        init = RandomNormal(mean=0.0, stddev=1.0)
        model = Sequential()
        model.add(Dense(4, input_dim=2, activation='tanh', kernel_initializer=init))
        model.add(Dense(4, activation='tanh', kernel_initializer=init))
        model.add(Dense(1, activation='sigmoid', kernel_initializer=init))
        model.compile(loss='binary_crossentropy', optimizer='adam')
        model.fit(X, y, epochs=1000, verbose=0)
        """
    assert kc405(src) == []


def test_default_and_fan_in_scaled_initializers() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(512, activation="relu", kernel_initializer="he_normal"),
            layers.Dense(512, activation="relu", kernel_initializer="he_normal"),
            layers.Dense(256, activation="relu"),
            layers.Dense(10, activation="softmax", kernel_initializer="glorot_uniform"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc405(src) == []


def test_embedding_initializer_is_not_a_kernel() -> None:
    src = """\
        import keras
        from keras import initializers, layers

        init = initializers.RandomNormal(stddev=1.0)
        model = keras.Sequential([
            keras.Input(shape=(20,)),
            layers.Embedding(1000, 64, embeddings_initializer=init),
            layers.GlobalAveragePooling1D(),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc405(src) == []


def test_stddev_not_known_statically() -> None:
    src = """\
        import keras
        from keras import initializers, layers

        def build(scale):
            init = initializers.RandomNormal(stddev=scale)
            return keras.Sequential([
                keras.Input(shape=(100,)),
                layers.Dense(256, activation="relu", kernel_initializer=init),
                layers.Dense(256, activation="relu", kernel_initializer=init),
                layers.Dense(1, kernel_initializer=init),
            ])

        model = build(args.init_scale)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc405(src) == []


def test_regression_negative_input_width_does_not_crash() -> None:
    """Found by the mutation fuzzer: Input(shape=(-1,)) made the fan-in negative and sqrt complex."""
    src = """\
        import keras
        from keras import layers

        init = keras.initializers.RandomNormal(stddev=1.0)
        model = keras.Sequential([
            keras.Input(shape=(-1,)),
            layers.Dense(64, activation="relu", kernel_initializer=init),
            layers.Dense(64, activation="relu", kernel_initializer=init),
            layers.Dense(1, kernel_initializer=init),
        ])
        """
    found = lint_snippet(src, select=["KC405"])
    assert [d.name for d in found if d.code == "KC000"] == []
