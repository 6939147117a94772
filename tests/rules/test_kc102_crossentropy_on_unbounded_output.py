"""KC102 crossentropy-on-unbounded-output: cross-entropy on linear/relu/tanh outputs."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc102(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC102"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_linear_head_sparse_string_loss() -> None:
    src = """\
        import keras
        from keras import layers

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        x_train = x_train.astype("float32") / 255.0

        model = keras.Sequential([
            keras.Input(shape=(28, 28)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """
    assert kc102(src) == [("KC102", 13)]
    (finding,) = lint_snippet(src, select=["KC102"])
    assert "sparse_categorical_crossentropy" in finding.message
    assert "linear" in finding.message and "SparseCategoricalCrossentropy(from_logits=True)" in (
        finding.message)
    assert finding.severity == "error"


def test_tf_keras_text_classifier_forgot_from_logits() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        max_features = 10000
        model = tf.keras.Sequential([
            layers.Embedding(max_features + 1, 16),
            layers.Dropout(0.2),
            layers.GlobalAveragePooling1D(),
            layers.Dropout(0.2),
            layers.Dense(1),
        ])
        model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=False),
                      optimizer='adam',
                      metrics=['binary_accuracy'])
        """
    assert kc102(src) == [("KC102", 12)]


def test_keras2_relu_output_categorical_loss() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import SGD

        model = Sequential()
        model.add(Dense(8, input_dim=4, activation='relu'))
        model.add(Dense(3, activation='relu'))
        sgd = SGD(lr=0.01, momentum=0.9)
        model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=['accuracy'])
        """
    assert kc102(src) == [("KC102", 9)]


def test_lstm_tanh_output_binary_loss() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Embedding

        model = Sequential()
        model.add(Embedding(5000, 32, input_length=500))
        model.add(LSTM(1))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc102(src) == [("KC102", 7)]
    assert "tanh" in lint_snippet(src, select=["KC102"])[0].message


def test_functional_factory_loss_function_reference() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers, losses

        NUM_CLASSES = 5

        def build(input_dim):
            inputs = keras.Input(shape=(input_dim,))
            x = layers.Dense(64, activation="relu")(inputs)
            logits = layers.Dense(NUM_CLASSES)(x)
            model = keras.Model(inputs, logits)
            model.compile(optimizer="adam", loss=losses.categorical_crossentropy)
            return model

        model = build(20)
        """
    assert kc102(src) == [("KC102", 11)]


# -- silent --------------------------------------------------------------------------------------------


def test_keras_io_from_logits_true_with_linear_head() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.models.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(10),
        ])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(optimizer='adam', loss=loss_fn, metrics=['accuracy'])
        """
    assert kc102(src) == []


def test_positional_from_logits_true() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(True),
                      metrics=["accuracy"])
        """
    assert kc102(src) == []


def test_softmax_and_sigmoid_heads() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        clf = Sequential()
        clf.add(Dense(64, input_dim=20, activation='relu'))
        clf.add(Dense(10))
        clf.add(Activation('softmax'))
        clf.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])

        binary = Sequential()
        binary.add(Dense(64, input_dim=20, activation='relu'))
        binary.add(Dense(1, activation='sigmoid'))
        binary.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
        """
    assert kc102(src) == []


def test_subclassed_model_applies_sigmoid_in_call() -> None:
    src = """\
        import tensorflow as tf

        class Discriminator(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = tf.keras.layers.Dense(128, activation="relu")
                self.logit = tf.keras.layers.Dense(1)

            def call(self, x):
                return tf.sigmoid(self.logit(self.hidden(x)))

        model = Discriminator()
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc102(src) == []


def test_tanh_output_rescaled_to_unit_interval() -> None:
    src = """\
        from tensorflow import keras

        inputs = keras.Input(shape=(10,))
        hidden = keras.layers.Dense(32, activation="relu")(inputs)
        score = keras.layers.Dense(1, activation="tanh")(hidden)
        outputs = (score + 1.0) / 2.0
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc102(src) == []


def test_from_logits_flag_not_constant() -> None:
    src = """\
        import sys
        from tensorflow import keras

        def compile_model(model, use_logits):
            model.compile(optimizer="adam",
                          loss=keras.losses.BinaryCrossentropy(from_logits=use_logits))

        model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        compile_model(model, "--logits" in sys.argv)
        """
    assert kc102(src) == []


def test_custom_loss_and_regression_loss_on_linear_head() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def weighted_bce(y_true, y_pred):
            return tf.nn.weighted_cross_entropy_with_logits(y_true, y_pred, pos_weight=3.0)

        model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=weighted_bce)

        reg = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        reg.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """
    assert kc102(src) == []


def test_loaded_model_head_unknown() -> None:
    src = """\
        from tensorflow import keras

        model = keras.models.load_model("classifier.h5")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc102(src) == []


def test_mixed_precision_float32_cast_after_softmax_head() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers, mixed_precision

        mixed_precision.set_global_policy("mixed_float16")
        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(60000, 784).astype("float32") / 255
        inputs = keras.Input(shape=(784,))
        x = layers.Dense(4096, activation="relu")(inputs)
        x = layers.Dense(10, activation="softmax")(x)
        outputs = layers.Activation("linear", dtype="float32")(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop",
                      metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=8192, epochs=5)
        """
    assert kc102(src) == []
