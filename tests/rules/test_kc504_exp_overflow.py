"""KC504 exp-overflow: hand-written softmax/sigmoid over unbounded inputs."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc504(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC504"])


# -- firing --------------------------------------------------------------------------------------------


def test_attention_layer_softmax_by_hand_keras2() -> None:
    src = """\
        from keras import backend as K
        from keras.layers import Layer, Input, LSTM, Dense
        from keras.models import Model

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="normal")
                super(Attention, self).build(input_shape)

            def call(self, x):
                e = K.squeeze(K.dot(x, self.W), axis=-1)
                a = K.exp(e)
                a /= K.sum(a, axis=1, keepdims=True)
                return K.sum(x * K.expand_dims(a), axis=1)

        inp = Input(shape=(100, 32))
        h = LSTM(64, return_sequences=True)(inp)
        out = Dense(1, activation="sigmoid")(Attention()(h))
        model = Model(inp, out)
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
        """
    assert kc504(src) == [("KC504", 13)]
    (finding,) = lint_snippet(src, select=["KC504"])
    assert "softmax" in finding.message and "K.softmax" in finding.message


def test_gated_layer_sigmoid_by_hand_tf_keras() -> None:
    src = """\
        import tensorflow as tf

        class GatedDense(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 64), initializer="glorot_uniform")

            def call(self, inputs):
                h = tf.matmul(inputs, self.w)
                value, gate = tf.split(h, 2, axis=-1)
                gate = 1.0 / (1.0 + tf.exp(-gate))
                return value * gate

        model = tf.keras.Sequential([tf.keras.Input(shape=(30,)), GatedDense(), tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        """
    assert kc504(src) == [("KC504", 10)]
    (finding,) = lint_snippet(src, select=["KC504"])
    assert "sigmoid" in finding.message and "tf.sigmoid" in finding.message


def test_keras3_softmax_in_one_expression_in_model_call() -> None:
    src = """\
        import keras
        from keras import ops, layers

        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = layers.Dense(10)

            def call(self, inputs):
                logits = self.dense(inputs)
                return ops.exp(logits) / ops.sum(ops.exp(logits), axis=-1, keepdims=True)

        model = Classifier()
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """
    assert kc504(src) == [("KC504", 11)]
    (finding,) = lint_snippet(src, select=["KC504"])
    assert "keras.ops.softmax" in finding.message


def test_loss_with_exp_over_one_plus_exp() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def logistic_loss(y_true, y_pred):
            p = tf.exp(y_pred) / (1 + tf.exp(y_pred))
            return keras.losses.binary_crossentropy(y_true, p)

        model = keras.Sequential([keras.layers.Dense(1, input_shape=(10,))])
        model.compile(optimizer="adam", loss=logistic_loss)
        """
    assert kc504(src) == [("KC504", 5)]


def test_keras2_custom_activation_function() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense, Activation

        def my_sigmoid(x):
            return 1. / (1. + K.exp(-x))

        def swish(x):
            return x * K.sigmoid(x)

        model = Sequential()
        model.add(Dense(64, input_dim=20, init="uniform"))
        model.add(Activation(my_sigmoid))
        model.add(Dense(64, activation=swish))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """
    assert kc504(src) == [("KC504", 6)]


# -- not firing ----------------------------------------------------------------------------------------


def test_attention_with_tanh_scores_is_bounded() -> None:
    src = """\
        from keras import backend as K
        from keras.layers import Layer

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="normal")
                self.b = self.add_weight(name="att_bias", shape=(input_shape[1], 1), initializer="zeros")

            def call(self, x):
                eij = K.dot(x, self.W)
                eij = K.tanh(eij + self.b)
                a = K.exp(eij)
                a /= K.cast(K.sum(a, axis=1, keepdims=True) + K.epsilon(), K.floatx())
                return K.sum(x * a, axis=1)
        """
    assert kc504(src) == []


def test_han_attention_with_context_vector() -> None:
    src = """\
        from keras import backend as K
        from keras import initializers
        from keras.layers import Layer

        class AttLayer(Layer):
            def __init__(self, attention_dim, **kwargs):
                self.init = initializers.get("normal")
                self.attention_dim = attention_dim
                super(AttLayer, self).__init__(**kwargs)

            def build(self, input_shape):
                self.W = K.variable(self.init((input_shape[-1], self.attention_dim)))
                self.b = K.variable(self.init((self.attention_dim,)))
                self.u = K.variable(self.init((self.attention_dim, 1)))
                super(AttLayer, self).build(input_shape)

            def call(self, x, mask=None):
                uit = K.tanh(K.bias_add(K.dot(x, self.W), self.b))
                ait = K.dot(uit, self.u)
                ait = K.squeeze(ait, -1)
                ait = K.exp(ait)
                ait /= K.cast(K.sum(ait, axis=1, keepdims=True) + K.epsilon(), K.floatx())
                ait = K.expand_dims(ait)
                return K.sum(x * ait, axis=1)
        """
    assert kc504(src) == []


def test_max_subtracted_softmax() -> None:
    src = """\
        import tensorflow as tf

        class StableSoftmax(tf.keras.layers.Layer):
            def call(self, x):
                e = tf.exp(x - tf.reduce_max(x, axis=-1, keepdims=True))
                return e / tf.reduce_sum(e, axis=-1, keepdims=True)

        def my_softmax(logits):
            z = logits - tf.stop_gradient(tf.reduce_max(logits, axis=-1, keepdims=True))
            return tf.exp(z) / tf.reduce_sum(tf.exp(z), axis=-1, keepdims=True)
        """
    assert kc504(src) == []


def test_vae_exp_and_library_softmax_and_sigmoid() -> None:
    src = """\
        import keras
        from keras import layers, ops

        class Sampling(layers.Layer):
            def call(self, inputs):
                z_mean, z_log_var = inputs
                epsilon = keras.random.normal(shape=ops.shape(z_mean))
                return z_mean + ops.exp(0.5 * z_log_var) * epsilon

        class Head(layers.Layer):
            def call(self, x):
                return ops.softmax(x, axis=-1) + ops.sigmoid(x)

        def vae_loss(y_true, y_pred, z_mean, z_log_var):
            kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
            return ops.mean(kl)
        """
    assert kc504(src) == []


def test_contrastive_similarities_of_normalised_embeddings() -> None:
    src = """\
        import tensorflow as tf

        def nt_xent(y_true, y_pred, temperature=0.1):
            z = tf.math.l2_normalize(y_pred, axis=1)
            sim = tf.matmul(z, z, transpose_b=True) / temperature
            return -tf.reduce_mean(tf.math.log(tf.exp(sim) / tf.reduce_sum(tf.exp(sim), axis=1)))
        """
    assert kc504(src) == []


def test_numpy_softmax_in_postprocessing_is_not_checked() -> None:
    src = """\
        import numpy as np
        from tensorflow import keras

        def softmax(x):
            return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)

        model = keras.models.load_model("model.keras")
        probs = softmax(model.predict(np.load("x.npy")))
        """
    assert kc504(src) == []


def test_exp_of_learned_weights_and_clipped_logits() -> None:
    src = """\
        import tensorflow as tf

        class Mixture(tf.keras.layers.Layer):
            def build(self, input_shape):
                self.logits = self.add_weight(shape=(3,), initializer="zeros")

            def call(self, inputs):
                w = tf.exp(self.logits) / tf.reduce_sum(tf.exp(self.logits))
                clipped = tf.clip_by_value(inputs, -20.0, 20.0)
                gate = 1.0 / (1.0 + tf.exp(-clipped))
                return inputs * tf.reduce_sum(w) * gate
        """
    assert kc504(src) == []
