"""KC203 rnn-without-gradient-clipping (opt-in): recurrent model, optimizer without clipnorm/clipvalue."""

from __future__ import annotations

from kerascheck.rules.base import all_rules
from kerascheck.testing import codes_and_lines, lint_snippet


def kc203(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC203"])


def test_rule_is_opt_in_info() -> None:
    rule = all_rules()["KC203"]
    assert rule.default_enabled is False and rule.severity.value == "info"


# -- firing --------------------------------------------------------------------------------------------


def test_keras3_simple_rnn_with_rmsprop_object() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(20000, 128),
            layers.SimpleRNN(64),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                      loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=32, epochs=2)
        """
    assert kc203(src) == [("KC203", 10)]
    (finding,) = lint_snippet(src, select=["KC203"])
    assert "SimpleRNN" in finding.message and "clipnorm=1.0" in finding.message


def test_keras2_add_lstm_with_string_optimizer() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Dropout

        regressor = Sequential()
        regressor.add(LSTM(units=50, return_sequences=True, input_shape=(60, 1)))
        regressor.add(Dropout(0.2))
        regressor.add(LSTM(units=50))
        regressor.add(Dense(units=1))
        regressor.compile(optimizer="adam", loss="mean_squared_error")
        regressor.fit(X_train, y_train, epochs=100, batch_size=32)
        """
    assert kc203(src) == [("KC203", 9)]
    assert '"adam"' in lint_snippet(src, select=["KC203"])[0].message


def test_tf_keras_functional_bidirectional_gru() -> None:
    src = """\
        import tensorflow as tf

        inputs = tf.keras.Input(shape=(None,), dtype="int64")
        x = tf.keras.layers.Embedding(10000, 64)(inputs)
        x = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(64))(x)
        outputs = tf.keras.layers.Dense(1, activation="sigmoid")(x)
        model = tf.keras.Model(inputs, outputs)
        opt = tf.keras.optimizers.Adam(1e-3)
        model.compile(optimizer=opt, loss="binary_crossentropy")
        """
    assert kc203(src) == [("KC203", 8)]
    assert "GRU" in lint_snippet(src, select=["KC203"])[0].message


def test_factory_and_nested_encoder_model() -> None:
    src = """\
        import keras
        from keras import layers

        def build_model(timesteps, features):
            encoder = keras.Sequential([layers.LSTM(32, input_shape=(timesteps, features))])
            model = keras.Sequential([encoder, layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.Nadam(), loss="mse")
            return model

        model = build_model(30, 4)
        model.fit(x, y, epochs=10)
        """
    assert kc203(src) == [("KC203", 7)]


# -- not firing ----------------------------------------------------------------------------------------


def test_clipnorm_clipvalue_global_clipnorm() -> None:
    src = """\
        import keras
        from keras import layers

        a = keras.Sequential([keras.Input(shape=(None, 8)), layers.LSTM(16), layers.Dense(1)])
        a.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0), loss="mse")
        b = keras.Sequential([keras.Input(shape=(None, 8)), layers.GRU(16), layers.Dense(1)])
        b.compile(optimizer=keras.optimizers.RMSprop(clipvalue=0.5), loss="mse")
        c = keras.Sequential([keras.Input(shape=(None, 8)), layers.SimpleRNN(16), layers.Dense(1)])
        c.compile(optimizer=keras.optimizers.SGD(0.01, global_clipnorm=1.0), loss="mse")
        """
    assert kc203(src) == []


def test_keras2_lstm_with_clipnorm_optimizer() -> None:
    src = """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense, Activation
        from keras.optimizers import RMSprop

        model = Sequential()
        model.add(LSTM(128, input_shape=(40, 57)))
        model.add(Dense(57))
        model.add(Activation("softmax"))
        optimizer = RMSprop(learning_rate=0.01, clipnorm=1.0)
        model.compile(loss="categorical_crossentropy", optimizer=optimizer)
        """
    assert kc203(src) == []


def test_no_recurrent_layer() -> None:
    src = """\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """
    assert kc203(src) == []


def test_uncompiled_recurrent_model_and_unknown_optimizer() -> None:
    src = """\
        import keras
        from keras import layers

        encoder = keras.Sequential([keras.Input(shape=(None, 8)), layers.LSTM(16)])
        model = keras.Sequential([keras.Input(shape=(None, 8)), layers.LSTM(16), layers.Dense(1)])
        model.compile(optimizer=make_optimizer(), loss="mse")
        """
    assert kc203(src) == []


def test_manual_clipping_in_custom_train_step() -> None:
    src = """\
        import tensorflow as tf

        class Seq2Seq(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.rnn = tf.keras.layers.LSTM(64)
                self.out = tf.keras.layers.Dense(10)

            def call(self, x):
                return self.out(self.rnn(x))

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    loss = self.compiled_loss(y, self(x, training=True))
                grads = tape.gradient(loss, self.trainable_variables)
                grads, _ = tf.clip_by_global_norm(grads, 1.0)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}

        model = Seq2Seq()
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc203(src) == []


def test_tf1_optimizer_is_clipped_by_hand_elsewhere() -> None:
    src = """\
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.LSTM(32, input_shape=(10, 3)), tf.keras.layers.Dense(1)])
        model.compile(optimizer=tf.compat.v1.train.AdamOptimizer(0.001), loss="mse")
        """
    assert kc203(src) == []
