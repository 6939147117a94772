"""KC101 single-unit-softmax: softmax over one unit always outputs 1.0."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc101(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC101"])


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_add_with_separate_softmax_activation() -> None:
    src = """\
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense, Activation, Dropout

        X = np.loadtxt("pima-indians-diabetes.csv", delimiter=",")[:, 0:8]
        Y = np.loadtxt("pima-indians-diabetes.csv", delimiter=",")[:, 8]

        model = Sequential()
        model.add(Dense(12, input_dim=8, init='uniform'))
        model.add(Activation('relu'))
        model.add(Dropout(0.2))
        model.add(Dense(1, init='uniform'))
        model.add(Activation('softmax'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X, Y, nb_epoch=150, batch_size=10)
        """
    assert kc101(src) == [("KC101", 13)]
    (finding,) = lint_snippet(src, select=["KC101"])
    assert "Dense(1)" in finding.message and "1.0" in finding.message
    assert "sigmoid" in finding.message and finding.severity == "error"


def test_tf_keras_sequential_dense_one_softmax() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.models.Sequential([
            tf.keras.layers.Conv2D(16, (3, 3), activation='relu', input_shape=(150, 150, 3)),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(512, activation='relu'),
            tf.keras.layers.Dense(1, activation='softmax'),
        ])
        model.compile(loss='binary_crossentropy',
                      optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.001),
                      metrics=['accuracy'])
        """
    assert kc101(src) == [("KC101", 8)]


def test_keras3_functional_activation_object_and_constant() -> None:
    src = """\
        import keras
        from keras import layers

        N_OUT = 1

        def build_model(input_dim):
            inputs = keras.Input(shape=(input_dim,))
            x = layers.Dense(32, activation="relu")(inputs)
            outputs = layers.Dense(N_OUT, activation=keras.activations.softmax)(x)
            return keras.Model(inputs, outputs)

        model = build_model(20)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc101(src) == [("KC101", 9)]


def test_subclassed_model_returning_tf_nn_softmax() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class SpamClassifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(64, activation="relu")
                self.out = keras.layers.Dense(1)

            def call(self, inputs):
                return tf.nn.softmax(self.out(self.hidden(inputs)))

        model = SpamClassifier()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        """
    assert kc101(src) == [("KC101", 11)]


def test_multi_output_model_single_unit_softmax_output() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(128,))
        x = layers.Dense(64, activation="relu")(inputs)
        category = layers.Dense(5, activation="softmax", name="category")(x)
        is_spam = layers.Dense(1, activation="softmax", name="is_spam")(x)
        model = keras.Model(inputs, [category, is_spam])
        model.compile(optimizer="adam",
                      loss={"category": "categorical_crossentropy", "is_spam": "binary_crossentropy"})
        """
    assert kc101(src) == [("KC101", 7)]


def test_segmentation_conv_one_filter_softmax() -> None:
    src = """\
        from keras.models import Model
        from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D

        inputs = Input((256, 256, 1))
        c1 = Conv2D(16, (3, 3), activation='relu', padding='same')(inputs)
        p1 = MaxPooling2D((2, 2))(c1)
        u1 = UpSampling2D((2, 2))(p1)
        outputs = Conv2D(1, (1, 1), activation='softmax')(u1)
        model = Model(inputs=[inputs], outputs=[outputs])
        model.compile(optimizer='adam', loss='binary_crossentropy')
        """
    assert kc101(src) == [("KC101", 8)]


def test_multi_line_layer_reported_at_the_layer_call() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential()
        model.add(tf.keras.layers.Dense(32, activation="relu", input_shape=(10,)))
        model.add(
            tf.keras.layers.Dense(
                1,
                activation="softmax",
                name="output",
            )
        )
        model.compile(optimizer="adam", loss="binary_crossentropy")
        """
    assert kc101(src) == [("KC101", 6)]


# -- silent --------------------------------------------------------------------------------------------


def test_sigmoid_single_unit_is_fine() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense

        model = Sequential()
        model.add(Dense(12, input_dim=8, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
        """
    assert kc101(src) == []


def test_multi_unit_dense_then_softmax_activation() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential()
        model.add(layers.Dense(128, input_shape=(784,)))
        model.add(layers.Activation("relu"))
        model.add(layers.Dense(10))
        model.add(layers.Activation("softmax"))
        model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
        """
    assert kc101(src) == []


def test_attention_scores_flattened_before_softmax() -> None:
    src = """\
        from keras.models import Model
        from keras.layers import Input, LSTM, Dense, Flatten, Activation, RepeatVector, Permute
        from keras.layers import multiply, Lambda
        import keras.backend as K

        inputs = Input(shape=(40, 300))
        activations = LSTM(64, return_sequences=True)(inputs)
        attention = Dense(1, activation='tanh')(activations)
        attention = Flatten()(attention)
        attention = Activation('softmax')(attention)
        attention = RepeatVector(64)(attention)
        attention = Permute([2, 1])(attention)
        merged = multiply([attention, activations])
        """
    assert kc101(src) == []


def test_softmax_over_time_axis() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input(shape=(50, 32))
        scores = layers.Dense(1)(inputs)
        weights = layers.Softmax(axis=1)(scores)
        model = tf.keras.Model(inputs, weights)

        inputs2 = tf.keras.Input(shape=(50, 32))
        weights2 = tf.nn.softmax(layers.Dense(1)(inputs2), axis=1)
        model2 = tf.keras.Model(inputs2, weights2)
        """
    assert kc101(src) == []


def test_units_from_factory_parameter() -> None:
    src = """\
        import keras
        from keras import layers

        def make_classifier(num_classes, input_dim):
            model = keras.Sequential([
                keras.Input(shape=(input_dim,)),
                layers.Dense(64, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            return model
        """
    assert kc101(src) == []


def test_keras_io_probability_model_softmax_after_model() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.models.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(10),
        ])
        model.compile(optimizer='adam',
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=['accuracy'])
        probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
        """
    assert kc101(src) == []


ENDPOINT_MODEL = '''
import tensorflow as tf
from tensorflow import keras


class ProbabilityEndpoint(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, logits, labels=None):
        if labels is not None:
            self.add_loss(self.bce(labels, logits))
        return tf.nn.softmax(logits)


class Scorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.score = keras.layers.Dense(1)
        self.endpoint = ProbabilityEndpoint()

    def call(self, batch):
        return self.endpoint(logits=self.score(batch["x"]), labels=batch["y"])


scorer = Scorer()
scorer.compile(optimizer="adam"{loss})
'''


def test_compile_without_a_loss_trains_on_add_loss_and_is_not_reported():
    """The endpoint-layer pattern: the loss is added on the logits, softmax only shapes predict()."""
    assert codes_and_lines(ENDPOINT_MODEL.format(loss=""), select=["KC101"]) == []


def test_the_same_head_trained_with_a_compile_loss_is_reported():
    assert codes_and_lines(ENDPOINT_MODEL.format(loss=', loss="binary_crossentropy"'),
                           select=["KC101"]) == [("KC101", 14)]
