"""KC503 sqrt-at-zero: sqrt of a value that can be exactly 0 in differentiated code."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc503(source: str, **options: object) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC503"], options={"KC503": options} if options else None)


# -- firing --------------------------------------------------------------------------------------------


def test_keras2_rmse_as_loss() -> None:
    src = """\
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        from keras import backend as K

        def root_mean_squared_error(y_true, y_pred):
            return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

        X = np.loadtxt("housing.csv", delimiter=",")[:, :13]
        Y = np.loadtxt("housing.csv", delimiter=",")[:, 13]
        model = Sequential()
        model.add(Dense(13, input_dim=13, init="normal", activation="relu"))
        model.add(Dense(1, init="normal"))
        model.compile(loss=root_mean_squared_error, optimizer="adam")
        model.fit(X, Y, nb_epoch=100, batch_size=5)
        """
    assert kc503(src) == [("KC503", 7)]
    (finding,) = lint_snippet(src, select=["KC503"])
    assert "K.sqrt(" in finding.message and "infinite gradient" in finding.message
    assert "K.maximum(" in finding.message and "K.epsilon()" in finding.message


def test_siamese_euclidean_distance_in_lambda_layer() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers, Model

        def euclidean_distance(vects):
            x, y = vects
            sum_square = tf.reduce_sum(tf.square(x - y), axis=1, keepdims=True)
            return tf.sqrt(sum_square)

        def build_base():
            inp = layers.Input(shape=(28, 28, 1))
            x = layers.Flatten()(inp)
            x = layers.Dense(128, activation="relu")(x)
            return Model(inp, x)

        base = build_base()
        a = layers.Input(shape=(28, 28, 1))
        b = layers.Input(shape=(28, 28, 1))
        distance = layers.Lambda(euclidean_distance)([base(a), base(b)])
        out = layers.Dense(1, activation="sigmoid")(distance)
        siamese = Model([a, b], out)
        siamese.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
        """
    assert kc503(src) == [("KC503", 7)]


def test_triplet_loss_and_keras3_ops() -> None:
    src = """\
        import keras
        from keras import ops

        def triplet_loss(y_true, y_pred, margin=0.5):
            anchor, positive, negative = ops.split(y_pred, 3, axis=-1)
            ap = ops.sqrt(ops.sum(ops.square(anchor - positive), axis=-1))
            an = ops.sqrt(ops.sum((anchor - negative) ** 2, axis=-1))
            return ops.mean(ops.maximum(ap - an + margin, 0.0))

        model = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(96)])
        model.compile(optimizer="adam", loss=triplet_loss)
        """
    assert kc503(src) == [("KC503", 6), ("KC503", 7)]


def test_layer_normalization_with_rsqrt_of_variance() -> None:
    src = """\
        import tensorflow as tf

        class SimpleNorm(tf.keras.layers.Layer):
            def call(self, inputs):
                mean = tf.reduce_mean(inputs, axis=-1, keepdims=True)
                var = tf.reduce_mean(tf.square(inputs - mean), axis=-1, keepdims=True)
                return (inputs - mean) * tf.math.rsqrt(var)

        model = tf.keras.Sequential([tf.keras.Input(shape=(16,)), SimpleNorm(), tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc503(src) == [("KC503", 7)]
    (finding,) = lint_snippet(src, select=["KC503"])
    assert "is inf" in finding.message


def test_loss_subclass_std_and_metric_opt_in() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class RMSELoss(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return tf.sqrt(tf.reduce_mean(tf.math.squared_difference(y_true, y_pred)))

        def rmse(y_true, y_pred):
            return tf.sqrt(tf.reduce_mean(tf.square(y_true - y_pred)))

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
        model.compile(optimizer="adam", loss=RMSELoss(), metrics=[rmse])
        """
    assert kc503(src) == [("KC503", 6)]
    assert kc503(src, contexts=["loss", "metric"]) == [("KC503", 6), ("KC503", 9)]


# -- not firing ----------------------------------------------------------------------------------------


def test_rmse_as_metric_is_not_differentiated() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense

        def rmse(y_true, y_pred):
            return K.sqrt(K.mean(K.square(y_pred - y_true)))

        model = Sequential([Dense(1, input_dim=8)])
        model.compile(loss="mse", optimizer="adam", metrics=[rmse])
        """
    assert kc503(src) == []


def test_keras_io_siamese_with_maximum_epsilon() -> None:
    src = """\
        import keras
        from keras import ops

        def euclidean_distance(vects):
            x, y = vects
            sum_square = ops.sum(ops.square(x - y), axis=1, keepdims=True)
            return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))

        def loss(margin=1):
            def contrastive_loss(y_true, y_pred):
                square_pred = ops.square(y_pred)
                margin_square = ops.square(ops.maximum(margin - (y_pred), 0))
                return ops.mean((1 - y_true) * square_pred + (y_true) * margin_square)
            return contrastive_loss

        input_1 = keras.layers.Input((28, 28, 1))
        input_2 = keras.layers.Input((28, 28, 1))
        tower = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="tanh")])
        merge_layer = keras.layers.Lambda(euclidean_distance, output_shape=(1,))([tower(input_1), tower(input_2)])
        output_layer = keras.layers.Dense(1, activation="sigmoid")(merge_layer)
        siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)
        siamese.compile(loss=loss(margin=1), optimizer="RMSprop", metrics=["accuracy"])
        """
    assert kc503(src) == []


def test_epsilon_inside_and_layer_norm_with_epsilon() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def rmse_loss(y_true, y_pred):
            return K.sqrt(K.mean(K.square(y_pred - y_true)) + K.epsilon())

        class RMSNorm(tf.keras.layers.Layer):
            def __init__(self, eps=1e-6, **kwargs):
                super().__init__(**kwargs)
                self.eps = eps

            def call(self, x):
                ms = tf.reduce_mean(tf.square(x), axis=-1, keepdims=True)
                return x * tf.math.rsqrt(ms + self.eps)

        model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), RMSNorm(), tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=rmse_loss)
        """
    assert kc503(src) == []


def test_sqrt_of_constants_and_positive_values() -> None:
    src = """\
        import math
        import tensorflow as tf

        class Scaled(tf.keras.layers.Layer):
            def call(self, q, k):
                d = tf.cast(tf.shape(k)[-1], tf.float32)
                scores = tf.matmul(q, k, transpose_b=True) / tf.sqrt(d)
                return tf.nn.softmax(scores) * tf.sqrt(tf.exp(q)) * math.sqrt(2.0)

        def gelu_loss(y_true, y_pred):
            return tf.reduce_mean(tf.sqrt(1.0 + tf.square(y_pred - y_true)) - 1.0)
        """
    assert kc503(src) == []


def test_data_preprocessing_sqrt_is_not_checked() -> None:
    src = """\
        import numpy as np
        import pandas as pd
        from tensorflow import keras

        df = pd.read_csv("data.csv")
        df["dist"] = np.sqrt(df["dx"] ** 2 + df["dy"] ** 2)

        def prepare(frame):
            return np.sqrt(np.sum(np.square(frame.values), axis=1))

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc503(src) == []


def test_sqrt_of_unknown_sign_is_not_guessed() -> None:
    src = """\
        import tensorflow as tf

        def weird_loss(y_true, y_pred):
            return tf.reduce_mean(tf.sqrt(y_pred) - tf.sqrt(y_true))

        class Gate(tf.keras.layers.Layer):
            def call(self, x):
                return x * tf.sqrt(self.alpha)
        """
    assert kc503(src) == []
