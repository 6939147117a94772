"""KC402 missing-hidden-activation: consecutive hidden Dense layers without activation."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc402(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC402"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_sequential_without_activations() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(20,)),
            layers.Dense(64),
            layers.Dense(64),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=30)
        """
    assert kc402(src) == [("KC402", 6)]
    (finding,) = lint_snippet(src, select=["KC402"])
    assert "Dense(64) and the Dense(64) after it" in finding.message
    assert "linear" in finding.message and 'activation="relu"' in finding.message


def test_keras2_add_style_with_dropout_and_activation_only_on_the_head() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, Activation
        from keras.optimizers import RMSprop

        model = Sequential()
        model.add(Dense(512, input_shape=(784,)))
        model.add(Dropout(0.2))
        model.add(Dense(512))
        model.add(Dropout(0.2))
        model.add(Dense(10))
        model.add(Activation('softmax'))
        model.compile(loss='categorical_crossentropy', optimizer=RMSprop(lr=0.001), metrics=['accuracy'])
        model.fit(X_train, Y_train, batch_size=128, nb_epoch=20)
        """
    assert kc402(src) == [("KC402", 6)]


def test_tf_keras_functional_explicit_none_and_linear() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        hidden_act = None
        inputs = tf.keras.Input(shape=(13,))
        x = layers.Dense(128, activation=hidden_act)(inputs)
        x = layers.Dense(64, activation="linear")(x)
        x = layers.Dense(32)(x)
        outputs = layers.Dense(1)(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc402(src) == [("KC402", 6)]
    (finding,) = lint_snippet(src, select=["KC402"])
    assert "Dense(64), Dense(32)" in finding.message


def test_batch_normalization_alone_adds_no_nonlinearity() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras.layers import BatchNormalization, Dense

        def build_model(n_features):
            model = keras.Sequential()
            model.add(Dense(256, input_dim=n_features))
            model.add(BatchNormalization())
            model.add(Dense(128))
            model.add(BatchNormalization())
            model.add(Dense(3, activation="softmax"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            return model

        model = build_model(X.shape[1])
        model.fit(X, y, epochs=40)
        """
    assert kc402(src) == [("KC402", 6)]


def test_subclassed_model_without_activations() -> None:
    src = """\
        import keras
        from keras import layers

        class Regressor(keras.Model):
            def __init__(self):
                super().__init__()
                self.fc1 = layers.Dense(64)
                self.fc2 = layers.Dense(64)
                self.head = layers.Dense(1)

            def call(self, inputs):
                x = self.fc1(inputs)
                x = self.fc2(x)
                return self.head(x)

        model = Regressor()
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc402(src) == [("KC402", 7)]


# -- not firing ----------------------------------------------------------------------------------------


def test_dense_batchnorm_activation_blocks() -> None:
    src = """\
        from tensorflow.keras.layers import Activation, BatchNormalization, Dense, Dropout
        from tensorflow.keras.models import Sequential

        model = Sequential()
        model.add(Dense(128, input_shape=(12,)))
        model.add(BatchNormalization())
        model.add(Activation("relu"))
        model.add(Dense(64))
        model.add(BatchNormalization())
        model.add(Activation("relu"))
        model.add(Dropout(0.3))
        model.add(Dense(3))
        model.add(Activation("softmax"))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc402(src) == []


def test_advanced_activation_layers_are_folded() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, LeakyReLU, PReLU

        model = Sequential()
        model.add(Dense(64, input_dim=10))
        model.add(LeakyReLU(alpha=0.1))
        model.add(Dense(64))
        model.add(PReLU())
        model.add(Dense(1))
        model.compile(loss='mse', optimizer='adam')
        """
    assert kc402(src) == []


def test_linear_projection_before_attention() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(100,), dtype="int32")
        x = layers.Embedding(20000, 64)(inputs)
        x = layers.Dense(64)(x)
        x = layers.MultiHeadAttention(num_heads=4, key_dim=16)(x, x)
        x = layers.GlobalAveragePooling1D()(x)
        x = layers.Dense(32, activation="relu")(x)
        outputs = layers.Dense(2, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc402(src) == []


def test_linear_bottleneck_autoencoder() -> None:
    src = """\
        import keras
        from keras import layers

        autoencoder = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(32),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
        ])
        autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
        autoencoder.fit(x_train, x_train, epochs=50, batch_size=256)
        """
    assert kc402(src) == []


def test_one_linear_hidden_layer_before_the_activated_head() -> None:
    # the only hidden layer is linear: Dense(32) and the softmax layer are one linear map, so the
    # model is a linear classifier whatever its width
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(32, input_dim=4))
        model.add(Dense(3, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc402(src) == [("KC402", 5)]
    assert "only hidden layer" in lint_snippet(src, select=["KC402"])[0].message


def test_linear_bottleneck_after_a_relu_layer_and_linear_regression_output() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        classifier = keras.Sequential([
            keras.Input(shape=(784,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(32),
            layers.Dense(10, activation="softmax"),
        ])
        classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

        regressor = keras.Sequential([
            keras.Input(shape=(13,)),
            layers.Dense(64),
            layers.Dense(1),
        ])
        regressor.compile(optimizer="adam", loss="mse")
        """
    assert kc402(src) == []


def test_convolutions_written_with_a_linear_activation() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            layers.Conv2D(32, 3, padding="same", activation="linear"),
            layers.Conv2D(64, 3, padding="same", activation="linear"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc402(src) == [("KC402", 6)]


def test_convolutions_left_linear_before_batchnorm_and_relu() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            layers.Conv2D(32, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Conv2D(64, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc402(src) == []


def test_activation_function_applied_between_layers() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(32,))
        x = layers.Dense(64)(inputs)
        x = tf.nn.relu(x)
        x = layers.Dense(64)(x)
        x = tf.nn.gelu(x)
        outputs = layers.Dense(1)(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc402(src) == []


def test_custom_activation_function() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def mish(x):
            return x * tf.math.tanh(tf.math.softplus(x))

        model = keras.Sequential([
            keras.layers.Dense(64, activation=mish, input_shape=(10,)),
            keras.layers.Dense(64, activation=mish),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc402(src) == []


def test_layers_from_a_comprehension_are_seen_but_an_untrained_demo_model_is_not_reported() -> None:
    trained = """\
        from tensorflow import keras

        class MLP(keras.Model):
            def __init__(self, hidden_units):
                super().__init__()
                self.dense_layers = [keras.layers.Dense(u) for u in hidden_units]
                self.out = keras.layers.Dense(1, activation="sigmoid")

            def call(self, inputs):
                x = inputs
                for layer in self.dense_layers:
                    x = layer(x)
                return self.out(x)

        model = MLP([64, 32])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert codes_and_lines(trained, select=["KC402"]) == [("KC402", 6)]
    demo = trained.replace(
        '        model.compile(optimizer="adam", loss="binary_crossentropy")\n', "")
    assert codes_and_lines(demo, select=["KC402"]) == []


def test_linear_head_on_flattened_pretrained_features_is_a_linear_probe() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(5, 5, 512))
        x = layers.Flatten()(inputs)
        x = layers.Dense(256)(x)
        x = layers.Dropout(0.5)(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
        """
    assert kc402(src) == []
