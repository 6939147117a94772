"""KC505 handwritten-crossentropy (opt-in, info): cross-entropy written by hand."""

from __future__ import annotations

from kerascheck.rules.base import all_rules
from kerascheck.testing import codes_and_lines, lint_snippet


def kc505(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC505"])


def test_rule_is_opt_in_and_informational() -> None:
    rule = all_rules()["KC505"]
    assert rule.default_enabled is False
    assert rule.severity.value == "info"


# -- firing --------------------------------------------------------------------------------------------


def test_clipped_categorical_crossentropy_keras2() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense

        def categorical_loss(y_true, y_pred):
            y_pred = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
            return -K.sum(y_true * K.log(y_pred), axis=-1)

        model = Sequential()
        model.add(Dense(64, input_dim=100, activation="relu"))
        model.add(Dense(10, activation="softmax"))
        model.compile(loss=categorical_loss, optimizer="adam", metrics=["accuracy"])
        """
    assert kc505(src) == [("KC505", 7)]
    (finding,) = lint_snippet(src, select=["KC505"])
    assert "CategoricalCrossentropy" in finding.message and finding.severity == "info"


def test_binary_crossentropy_tf_keras_reported_once() -> None:
    src = """\
        import tensorflow as tf

        def bce(y_true, y_pred):
            eps = 1e-7
            return -tf.reduce_mean(y_true * tf.math.log(y_pred + eps) + (1 - y_true) * tf.math.log(1 - y_pred + eps))

        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
        model.compile(optimizer="adam", loss=bce)
        """
    assert kc505(src) == [("KC505", 5)]
    (finding,) = lint_snippet(src, select=["KC505"])
    assert "BinaryCrossentropy" in finding.message


def test_keras3_weighted_loss_in_closure() -> None:
    src = """\
        import keras
        from keras import ops

        def weighted_cce(class_weights):
            def loss(y_true, y_pred):
                y_pred = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
                return -ops.sum(class_weights * y_true * ops.log(y_pred), axis=-1)
            return loss

        model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss=weighted_cce([1.0, 2.0, 2.0, 4.0]))
        """
    assert kc505(src) == [("KC505", 7)]


def test_focal_loss_subclass_suggests_focal_builtin() -> None:
    src = """\
        import tensorflow as tf

        class FocalLoss(tf.keras.losses.Loss):
            def call(self, y_true, y_pred):
                y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                ce = -y_true * tf.math.log(y_pred)
                return tf.reduce_sum(tf.math.pow(1.0 - y_pred, 2.0) * ce, axis=-1)
        """
    assert kc505(src) == [("KC505", 6)]
    (finding,) = lint_snippet(src, select=["KC505"])
    assert "FocalCrossentropy" in finding.message


# -- not firing ----------------------------------------------------------------------------------------


def test_builtin_losses() -> None:
    src = """\
        from tensorflow import keras

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3)])
        model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
        """
    assert kc505(src) == []


def test_poisson_and_gaussian_likelihoods_are_not_crossentropy() -> None:
    src = """\
        import tensorflow as tf
        from keras import backend as K

        def poisson_loss(y_true, y_pred):
            return K.mean(y_pred - y_true * K.log(y_pred + K.epsilon()), axis=-1)

        def gaussian_nll(y_true, y_pred):
            sigma = tf.nn.softplus(y_pred[:, 1]) + 1e-6
            return tf.reduce_mean(tf.math.log(sigma) + tf.square(y_true[:, 0] - y_pred[:, 0]) / sigma)
        """
    assert kc505(src) == []


def test_msle_and_log_cosh_losses() -> None:
    src = """\
        import tensorflow as tf

        def msle(y_true, y_pred):
            return tf.reduce_mean(tf.square(tf.math.log(y_pred + 1.0) - tf.math.log(y_true + 1.0)))

        def log_cosh(y_true, y_pred):
            return tf.reduce_mean(tf.math.log(tf.cosh(y_pred - y_true)))
        """
    assert kc505(src) == []


def test_entropy_regulariser_and_kl_of_labels() -> None:
    src = """\
        from keras import backend as K

        def entropy_penalty(y_true, y_pred):
            p = K.clip(y_pred, K.epsilon(), 1.0)
            return K.sum(p * K.log(p), axis=-1)

        def label_entropy_loss(y_true, y_pred):
            t = K.clip(y_true, K.epsilon(), 1.0)
            return K.sum(t * K.log(t), axis=-1)
        """
    assert kc505(src) == []


def test_metrics_and_data_code_are_not_losses() -> None:
    src = """\
        import numpy as np
        from tensorflow.keras import backend as K

        def cross_entropy_metric_value(y_true, y_pred):
            pass

        def log_accuracy(y_true, y_pred):
            return K.mean(y_true * K.log(K.clip(y_pred, 1e-7, 1.0)))

        labels = np.load("y.npy")
        probs = np.load("p.npy")
        nll = -np.mean(labels * np.log(np.clip(probs, 1e-7, 1.0)))
        """
    assert kc505(src) == []


def test_log_of_labels_times_predictions_is_not_matched() -> None:
    src = """\
        import tensorflow as tf

        def custom_loss(y_true, y_pred):
            return tf.reduce_mean(y_pred * tf.math.log(tf.maximum(y_true, 1e-7)))
        """
    assert kc505(src) == []
