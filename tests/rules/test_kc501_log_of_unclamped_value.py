"""KC501 log-of-unclamped-value: log of a prediction, label or input that can be exactly 0."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc501(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC501"], options={"KC501": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_tf_keras_handwritten_categorical_crossentropy() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
        y_train = keras.utils.to_categorical(y_train, 10)

        def custom_loss(y_true, y_pred):
            return -tf.reduce_mean(tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1))

        model = keras.Sequential([
            keras.layers.Dense(128, activation="relu", input_shape=(784,)),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=custom_loss, metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, batch_size=128)
        """
    assert kc501(src) == [("KC501", 9)]
    (finding,) = lint_snippet(src, select=["KC501"])
    assert "tf.math.log(y_pred)" in finding.message and "custom_loss" in finding.message
    assert "NaN" in finding.message and "clip_by_value(y_pred" in finding.message
    assert finding.severity == "warning"


def test_keras2_backend_closure_weighted_loss() -> None:
    src = """\
        import numpy as np
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense, Dropout

        def weighted_categorical_crossentropy(weights):
            weights = K.variable(weights)

            def loss(y_true, y_pred):
                loss = y_true * K.log(y_pred) * weights
                return -K.sum(loss, -1)

            return loss

        model = Sequential()
        model.add(Dense(64, input_dim=20, init="uniform", activation="relu"))
        model.add(Dropout(0.5))
        model.add(Dense(3, activation="softmax"))
        model.compile(loss=weighted_categorical_crossentropy(np.array([1.0, 2.0, 5.0])), optimizer="adam")
        model.fit(np.random.rand(100, 20), np.eye(3)[np.random.randint(0, 3, 100)], nb_epoch=10)
        """
    assert kc501(src) == [("KC501", 10)]
    (finding,) = lint_snippet(src, select=["KC501"])
    assert "K.log(y_pred)" in finding.message and "K.clip(y_pred, K.epsilon()" in finding.message


def test_binary_crossentropy_complement_not_clipped() -> None:
    src = """\
        from tensorflow import keras
        from tensorflow.keras import backend as K

        def bce(y_true, y_pred):
            y_pred = y_pred + K.epsilon()
            return -K.mean(y_true * K.log(y_pred) + (1.0 - y_true) * K.log(1.0 - y_pred))

        inputs = keras.Input(shape=(30,))
        x = keras.layers.Dense(16, activation="relu")(inputs)
        outputs = keras.layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=bce, metrics=["accuracy"])
        """
    # log(y_pred + eps) is guarded; 1 - (y_pred + eps) is 0 (even negative) once the sigmoid saturates.
    assert kc501(src) == [("KC501", 6)]
    (finding,) = lint_snippet(src, select=["KC501"])
    assert "K.log(1.0 - y_pred)" in finding.message


def test_keras3_loss_subclass_with_ops_log() -> None:
    src = """\
        import keras
        from keras import ops

        class FocalLoss(keras.losses.Loss):
            def __init__(self, gamma=2.0, **kwargs):
                super().__init__(**kwargs)
                self.gamma = gamma

            def call(self, y_true, y_pred):
                weight = ops.power(1.0 - y_pred, self.gamma)
                return -ops.sum(y_true * weight * ops.log(y_pred), axis=-1)

        model = keras.Sequential([
            keras.Input(shape=(32,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=FocalLoss(gamma=2.0), metrics=["accuracy"])
        """
    assert kc501(src) == [("KC501", 11)]
    (finding,) = lint_snippet(src, select=["KC501"])
    assert "ops.log(y_pred)" in finding.message and "ops.clip(y_pred" in finding.message


def test_tf1_log_in_train_step_on_model_output() -> None:
    src = """\
        import tensorflow as tf

        class Classifier(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = tf.keras.layers.Dense(64, activation="relu")
                self.out = tf.keras.layers.Dense(10, activation="softmax")

            def call(self, x):
                return self.out(self.hidden(x))

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = -tf.reduce_mean(tf.reduce_sum(y * tf.log(y_pred), axis=1))
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}

        model = Classifier()
        model.compile(optimizer="adam")
        """
    assert kc501(src) == [("KC501", 16)]


def test_custom_layer_log_of_inputs_and_log_of_relu_regression() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers, models

        class LogCompress(layers.Layer):
            def call(self, inputs):
                return tf.math.log(inputs)

        def msle(y_true, y_pred):
            return tf.reduce_mean(tf.square(tf.math.log(y_pred) - tf.math.log(y_true)))

        model = models.Sequential()
        model.add(LogCompress(input_shape=(64,)))
        model.add(layers.Dense(32, activation="relu"))
        model.add(layers.Dense(1, activation="relu"))
        model.compile(optimizer="rmsprop", loss=msle)
        """
    assert kc501(src) == [("KC501", 6), ("KC501", 9), ("KC501", 9)]


def test_log_of_sum_of_products_in_metric() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense

        def log_likelihood(y_true, y_pred):
            return K.mean(K.log(K.sum(y_true * y_pred, axis=-1)))

        model = Sequential([Dense(4, activation="softmax", input_shape=(10,))])
        model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=[log_likelihood])
        """
    assert kc501(src) == [("KC501", 6)]


# -- not firing ----------------------------------------------------------------------------------------


def test_clipped_in_a_variable_first() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def custom_loss(y_true, y_pred):
            p = tf.clip_by_value(y_pred, 1e-7, 1.0)
            return -tf.reduce_mean(tf.reduce_sum(y_true * tf.math.log(p), axis=-1))

        model = keras.Sequential([keras.layers.Dense(10, activation="softmax", input_shape=(20,))])
        model.compile(optimizer="adam", loss=custom_loss)
        """
    assert kc501(src) == []


def test_keras2_clip_reassigned_then_both_logs() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense

        def weighted_bce(y_true, y_pred):
            y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
            loss = -(y_true * K.log(y_pred) * 5.0 + (1 - y_true) * K.log(1 - y_pred))
            return K.mean(loss, axis=-1)

        def weighted_cce(weights):
            def loss(y_true, y_pred):
                y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
                y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
                return -K.sum(y_true * K.log(y_pred) * weights, -1)
            return loss

        model = Sequential([Dense(1, activation="sigmoid", input_dim=8)])
        model.compile(loss=weighted_bce, optimizer="adam", metrics=["accuracy"])
        """
    assert kc501(src) == []


def test_epsilon_offsets_and_positive_forms() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        EPS = 1e-7

        def poisson_nll(y_true, y_pred):
            return tf.reduce_mean(y_pred - y_true * tf.math.log(y_pred + EPS))

        def gaussian_nll(y_true, y_pred):
            mu = y_pred[:, 0]
            sigma = tf.nn.softplus(y_pred[:, 1]) + 1e-6
            return tf.reduce_mean(tf.math.log(sigma) + 0.5 * tf.square((y_true[:, 0] - mu) / sigma))

        def dice_log_loss(y_true, y_pred, smooth=1.0):
            inter = tf.reduce_sum(y_true * y_pred)
            dice = (2.0 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)
            return -tf.math.log(dice)

        def softmax_loss(y_true, logits):
            return -tf.reduce_sum(y_true * tf.math.log(tf.nn.softmax(logits)), axis=-1)

        def cauchy(y_true, y_pred):
            return tf.reduce_mean(tf.math.log(1.0 + tf.square(y_pred - y_true)))

        def lse(y_true, y_pred):
            return tf.math.log(tf.reduce_sum(tf.exp(y_pred), axis=-1)) - tf.reduce_sum(y_true * y_pred, -1)

        def keras_eps(y_true, y_pred):
            return -tf.reduce_sum(y_true * tf.math.log(y_pred + keras.backend.epsilon()), -1)

        def np_eps(y_true, y_pred):
            return -tf.reduce_sum(y_true * tf.math.log(tf.maximum(y_pred, np.finfo(np.float32).eps)), -1)

        model = keras.Sequential([keras.layers.Dense(2, input_shape=(4,))])
        model.compile(optimizer="adam", loss=gaussian_nll)
        """
    assert kc501(src) == []


def test_vae_and_data_preprocessing_are_quiet() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        import keras
        from keras import layers, ops

        df = pd.read_csv("houses.csv")
        df["price"] = np.log(df["price"])
        df["area"] = np.log1p(df["area"])

        def preprocess(x, y):
            return np.log(x), y

        class Sampling(layers.Layer):
            def call(self, inputs):
                z_mean, z_log_var = inputs
                epsilon = keras.random.normal(shape=ops.shape(z_mean))
                return z_mean + ops.exp(0.5 * z_log_var) * epsilon

        class VAE(keras.Model):
            def __init__(self, encoder, decoder, **kwargs):
                super().__init__(**kwargs)
                self.encoder = encoder
                self.decoder = decoder

            def train_step(self, data):
                z_mean, z_log_var, z = self.encoder(data)
                reconstruction = self.decoder(z)
                kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
                return {"kl": ops.mean(ops.sum(kl_loss, axis=1))}
        """
    assert kc501(src) == []


def test_log_in_analysis_code_outside_training_is_quiet_unless_asked() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        def entropy(probs):
            return -np.sum(probs * np.log(probs), axis=-1)

        model = keras.models.load_model("clf.h5")
        probs = model.predict(np.load("x_test.npy"))
        print(entropy(probs).mean())
        """
    assert kc501(src) == []
    assert kc501(src, contexts=["other"]) == [("KC501", 5)]


def test_numpy_evaluation_helpers_with_keras_parameter_names() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        def rmsle(y_true, y_pred):
            return np.sqrt(np.mean((np.log(y_pred) - np.log(y_true)) ** 2))

        def recall(y_true, y_pred):
            return np.sum(y_true * np.round(y_pred)) / np.sum(y_true)

        model = keras.models.load_model("regressor.keras")
        x_test, y_test = np.load("x_test.npy"), np.load("y_test.npy")
        print(rmsle(y_test, model.predict(x_test).ravel()))
        """
    assert kc501(src) == []
    assert codes_and_lines(src, select=["KC502", "KC503"]) == []


def test_constant_logs_and_log_of_clipped_hard_labels() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense

        def psnr(y_true, y_pred):
            return 10.0 * K.log(1.0 / K.mean(K.square(y_pred - y_true))) / K.log(10.0)

        def log_mse(y_true, y_pred):
            return K.log(K.mean(K.square(y_pred - y_true)) + 1.0)

        def kl(y_true, y_pred):
            y_true = K.clip(y_true, K.epsilon(), 1)
            y_pred = K.clip(y_pred, K.epsilon(), 1)
            return K.sum(y_true * K.log(y_true / y_pred), axis=-1)

        model = Sequential([Dense(8, activation="softmax", input_shape=(16,))])
        model.compile(loss=kl, optimizer="adam", metrics=[psnr, log_mse])
        """
    assert kc501(src) == []


def test_unknown_values_are_not_guessed() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class LearnedTemperature(keras.layers.Layer):
            def build(self, input_shape):
                self.scale = self.add_weight(shape=(), initializer="ones")

            def call(self, inputs):
                return inputs * tf.math.log(self.scale) + tf.math.log(tf.cast(tf.shape(inputs)[-1], tf.float32))

        def make_loss(prior):
            def loss(y_true, y_pred):
                return -tf.reduce_sum(y_true * tf.math.log(prior * y_pred + 1e-8), axis=-1)
            return loss

        model = keras.Sequential([keras.Input(shape=(8,)), LearnedTemperature(), keras.layers.Dense(3)])
        model.compile(optimizer="adam", loss=make_loss(0.5))
        """
    assert kc501(src) == []
