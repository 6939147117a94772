"""KC103 from-logits-on-probabilities: from_logits=True after a softmax/sigmoid."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc103(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC103"])


# -- firing --------------------------------------------------------------------------------------------


def test_tf_keras_softmax_head_with_from_logits() -> None:
    src = """\
        import tensorflow as tf

        (x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
        x_train = x_train / 255.0
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation='relu'),
            tf.keras.layers.Dense(10, activation='softmax'),
        ])
        model.compile(optimizer='adam',
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=['accuracy'])
        model.fit(x_train, y_train, epochs=10)
        """
    assert kc103(src) == [("KC103", 11)]
    (finding,) = lint_snippet(src, select=["KC103"])
    assert "from_logits=True" in finding.message and "softmax" in finding.message
    assert finding.severity == "warning"


def test_keras2_separate_sigmoid_activation_layer() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import Dense, Activation
        from keras.losses import BinaryCrossentropy

        model = Sequential()
        model.add(Dense(32, input_dim=10, init='glorot_uniform'))
        model.add(Activation('relu'))
        model.add(Dense(1))
        model.add(Activation('sigmoid'))
        model.compile(loss=BinaryCrossentropy(from_logits=True), optimizer='adam')
        """
    assert kc103(src) == [("KC103", 10)]


def test_keras3_functional_loss_object_in_variable() -> None:
    src = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(64,))
        x = layers.Dense(64, activation="relu")(inputs)
        outputs = layers.Dense(4, activation=keras.activations.softmax)(x)
        model = keras.Model(inputs, outputs)
        loss = keras.losses.CategoricalCrossentropy(from_logits=True)
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        """
    assert kc103(src) == [("KC103", 9)]


def test_subclassed_model_softmax_in_call() -> None:
    src = """\
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self, n_classes):
                super().__init__()
                self.body = tf.keras.layers.Dense(256, activation="relu")
                self.head = tf.keras.layers.Dense(n_classes)

            def call(self, x):
                x = self.body(x)
                return tf.nn.softmax(self.head(x))

        net = Net(10)
        net.compile(optimizer="adam",
                    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    metrics=["accuracy"])
        """
    assert kc103(src) == [("KC103", 15)]


def test_positional_from_logits_on_sigmoid() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Dense(32, activation="relu", input_shape=(8,)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(True))
        """
    assert kc103(src) == [("KC103", 7)]


# -- silent --------------------------------------------------------------------------------------------


def test_linear_head_with_from_logits() -> None:
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
    assert kc103(src) == []


def test_softmax_head_default_from_logits() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(20,)),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(),
                      metrics=["accuracy"])
        other = keras.Sequential([
            keras.layers.Dense(64, activation="relu", input_shape=(20,)),
            keras.layers.Dense(3, activation="softmax"),
        ])
        other.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False))
        """
    assert kc103(src) == []


def test_gan_discriminator_logits() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        def make_discriminator_model():
            model = tf.keras.Sequential()
            model.add(layers.Conv2D(64, (5, 5), strides=(2, 2), padding='same',
                                    input_shape=[28, 28, 1]))
            model.add(layers.LeakyReLU())
            model.add(layers.Dropout(0.3))
            model.add(layers.Flatten())
            model.add(layers.Dense(1))
            return model

        discriminator = make_discriminator_model()
        discriminator.compile(optimizer="adam",
                              loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
        """
    assert kc103(src) == []


def test_log_softmax_head_with_from_logits() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(32,)),
            tf.keras.layers.Dense(10, activation=tf.nn.log_softmax),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True))
        """
    assert kc103(src) == []


def test_multi_output_model_with_from_logits() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(32,))
        x = layers.Dense(64, activation="relu")(inputs)
        a = layers.Dense(3, activation="softmax")(x)
        b = layers.Dense(1)(x)
        model = keras.Model(inputs, [a, b])
        model.compile(optimizer="adam",
                      loss=keras.losses.BinaryCrossentropy(from_logits=True))
        """
    assert kc103(src) == []


def test_model_from_another_module() -> None:
    src = """\
        import tensorflow as tf
        from models import build_classifier

        model = build_classifier(num_classes=10)
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        """
    assert kc103(src) == []


def test_subclassed_model_softmax_only_at_inference() -> None:
    src = """\
        import tensorflow as tf

        class Classifier(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = tf.keras.layers.Dense(64, activation="relu")
                self.logits = tf.keras.layers.Dense(10)

            def call(self, x, training=False):
                x = self.logits(self.hidden(x))
                if not training:
                    return tf.nn.softmax(x)
                return x

        model = Classifier()
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        """
    assert kc103(src) == []
