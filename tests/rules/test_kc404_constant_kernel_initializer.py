"""KC404 constant-kernel-initializer: hidden layers whose weights start from a constant."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc404(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC404"])


# -- firing --------------------------------------------------------------------------------------------


def test_tf_keras_all_hidden_layers_zero_initialised() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", kernel_initializer="zeros", input_shape=(2,)),
            tf.keras.layers.Dense(
                32,
                activation="relu",
                kernel_initializer=tf.keras.initializers.Zeros(),
            ),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X_train, y_train, epochs=100)
        """
    assert kc404(src) == [("KC404", 4), ("KC404", 8)]
    first, second = lint_snippet(src, select=["KC404"])
    assert "kernel_initializer='zeros'" in first.message and "Zeros()" in first.message
    assert "never differentiate" in first.message
    assert "relu's gradient at 0 is 0" in second.message


def test_keras2_init_zero_on_every_layer() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        model = Sequential()
        model.add(Dense(12, input_dim=8, init='zero'))
        model.add(Activation('tanh'))
        model.add(Dense(8, init='zero'))
        model.add(Activation('tanh'))
        model.add(Dense(1, init='zero'))
        model.add(Activation('sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=150, batch_size=10)
        """
    assert kc404(src) == [("KC404", 5), ("KC404", 7)]


def test_zero_initialised_relu_conv_layer() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu", kernel_initializer="zeros"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc404(src) == [("KC404", 6)]


def test_constant_and_ones_in_variables_functional() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import initializers, layers

        const_init = initializers.Constant(value=0.1)
        inputs = keras.Input(shape=(10,))
        x = layers.Dense(64, activation="tanh", kernel_initializer=const_init)(inputs)
        x = layers.Dense(64, activation="tanh", kernel_initializer="ones")(x)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc404(src) == [("KC404", 6)]
    (finding,) = lint_snippet(src, select=["KC404"])
    assert "Constant(value=0.1)" in finding.message and "'ones'" in finding.message


def test_factory_with_zeros_initializer_and_relu() -> None:
    src = """\
        import keras

        def create_model(init="zeros"):
            model = keras.Sequential()
            model.add(keras.layers.Dense(64, activation="relu", kernel_initializer=init, input_shape=(30,)))
            model.add(keras.layers.Dense(1, activation="sigmoid"))
            model.compile(optimizer="adam", loss="binary_crossentropy")
            return model

        model = create_model()
        """
    assert kc404(src) == [("KC404", 5)]


# -- not firing ----------------------------------------------------------------------------------------


def test_zero_bias_is_fine() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(20,)),
            layers.Dense(64, activation="relu", bias_initializer="zeros"),
            layers.Dense(64, activation="relu", kernel_initializer="he_normal", bias_initializer="zeros"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc404(src) == []


def test_zero_initialised_output_layer() -> None:
    src = """\
        import tensorflow as tf

        q_network = tf.keras.Sequential([
            tf.keras.layers.Dense(128, activation="relu", input_shape=(8,)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(4, kernel_initializer="zeros", bias_initializer="zeros"),
        ])
        q_network.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="huber")
        """
    assert kc404(src) == []


def test_zeros_with_tanh_before_a_random_layer_still_learns() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(16, input_dim=4, activation='tanh', kernel_initializer='zeros'))
        model.add(Dense(3, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam')
        """
    assert kc404(src) == []


def test_zeros_with_relu_and_positive_bias_is_not_dead() -> None:
    src = """\
        import keras
        from keras import initializers, layers

        model = keras.Sequential([
            keras.Input(shape=(10,)),
            layers.Dense(32, activation="relu", kernel_initializer="zeros",
                         bias_initializer=initializers.Constant(0.1)),
            layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc404(src) == []


def test_standard_initializers() -> None:
    src = """\
        from tensorflow.keras import Sequential
        from tensorflow.keras.initializers import GlorotUniform, HeNormal
        from tensorflow.keras.layers import Conv2D, Dense, Flatten

        model = Sequential([
            Conv2D(32, 3, activation="relu", kernel_initializer=HeNormal(), input_shape=(28, 28, 1)),
            Flatten(),
            Dense(128, activation="relu", kernel_initializer="he_uniform"),
            Dense(10, activation="softmax", kernel_initializer=GlorotUniform(seed=0)),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc404(src) == []


def test_constant_embedding_and_recurrent_initializers() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(50,)),
            layers.Embedding(5000, 64, embeddings_initializer="zeros"),
            layers.LSTM(32, recurrent_initializer="orthogonal", bias_initializer="ones"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc404(src) == []


def test_initializer_not_known_statically() -> None:
    src = """\
        import keras

        def build(kernel_init):
            model = keras.Sequential()
            model.add(keras.layers.Dense(64, activation="relu", kernel_initializer=kernel_init,
                                         input_shape=(8,)))
            model.add(keras.layers.Dense(64, activation="relu", kernel_initializer=kernel_init))
            model.add(keras.layers.Dense(1))
            return model

        model = build(config["init"])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc404(src) == []


def test_constant_initializer_holding_pretrained_weights() -> None:
    src = """\
        import numpy as np
        import keras
        from keras import initializers, layers

        W1 = np.load("projection.npy")
        W2 = np.load("head.npy")
        model = keras.Sequential([
            keras.Input(shape=(300,)),
            layers.Dense(128, activation="relu", kernel_initializer=initializers.Constant(W1)),
            layers.Dense(5, activation="softmax", kernel_initializer=initializers.Constant(W2)),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc404(src) == []
