"""KC501-KC503 skip values that cannot reach a gradient: configuration, shapes and counts, masks,
stop_gradient, metric-only code; a log/division/sqrt of the predictions in a loss stays flagged."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.testing import codes_and_lines

NUMERIC = ["KC501", "KC502", "KC503"]


def numeric(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=NUMERIC)


def test_log_of_a_crop_ratio_in_a_layer_constructor() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        class RandomResizedCrop(layers.Layer):
            def __init__(self, scale, ratio):
                super().__init__()
                self.scale = scale
                self.log_ratio = (tf.math.log(ratio[0]), tf.math.log(ratio[1]))

            def call(self, images):
                batch_size = tf.shape(images)[0]
                ratios = tf.exp(tf.random.uniform((batch_size,), self.log_ratio[0], self.log_ratio[1]))
                return tf.image.resize(images, (64, 64)) * tf.reduce_mean(ratios)
        """
    assert numeric(src) == []


def test_log_in_a_layer_call_on_its_inputs_still_fires() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        class LogScale(layers.Layer):
            def call(self, inputs):
                return tf.math.log(inputs)
        """
    assert numeric(src) == [("KC501", 6)]


def test_attention_scaled_by_the_square_root_of_a_shape() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        class ScaledDotProduct(layers.Layer):
            def call(self, query, key, value):
                d_k = tf.cast(tf.shape(key)[-1], tf.float32)
                scores = tf.matmul(query, key, transpose_b=True) / tf.math.sqrt(d_k)
                weights = tf.nn.softmax(scores, axis=-1)
                return tf.matmul(weights, value) / tf.cast(tf.size(value), tf.float32)
        """
    assert numeric(src) == []


def test_loss_averaged_over_the_batch_size_and_a_stopped_gradient() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def contrastive_loss(y_true, y_pred):
            batch = tf.cast(tf.shape(y_pred)[0], tf.float32)
            target = tf.stop_gradient(tf.reduce_sum(tf.abs(y_true), axis=-1))
            return tf.reduce_sum(tf.square(y_pred - y_true)) / batch + tf.reduce_mean(
                y_pred / tf.reduce_sum(target))

        model = keras.Sequential([keras.layers.Dense(16, input_shape=(8,))])
        model.compile(optimizer="adam", loss=contrastive_loss)
        """
    assert numeric(src) == []


def test_masked_loss_of_a_transformer_is_a_guarded_mean() -> None:
    # keras.io's translation examples: the mask is built from the labels (padding id 0)
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        def masked_loss(label, pred):
            mask = label != 0
            loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
            loss = loss_object(label, pred)
            mask = tf.cast(mask, dtype=loss.dtype)
            loss *= mask
            return tf.reduce_sum(loss) / tf.reduce_sum(mask)

        def masked_accuracy(label, pred):
            pred = tf.argmax(pred, axis=2)
            label = tf.cast(label, pred.dtype)
            match = label == pred
            mask = label != 0
            match = match & mask
            match = tf.cast(match, dtype=tf.float32)
            mask = tf.cast(mask, dtype=tf.float32)
            return tf.reduce_sum(match) / tf.reduce_sum(mask)

        model = keras.Sequential([keras.layers.Embedding(8000, 128), keras.layers.Dense(8000)])
        model.compile(optimizer="adam", loss=masked_loss, metrics=[masked_accuracy])
        """
    assert numeric(src) == []


def test_masked_mean_over_a_mask_parameter_of_a_model_method() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class Captioner(keras.Model):
            def calculate_loss(self, y_true, y_pred, mask):
                loss = self.loss(y_true, y_pred)
                mask = tf.cast(mask, dtype=loss.dtype)
                loss *= mask
                return tf.reduce_sum(loss) / tf.reduce_sum(mask)

            def calculate_accuracy(self, y_true, y_pred, mask):
                accuracy = tf.equal(y_true, tf.argmax(y_pred, axis=2))
                accuracy = tf.math.logical_and(mask, accuracy)
                accuracy = tf.cast(accuracy, dtype=tf.float32)
                mask = tf.cast(mask, dtype=tf.float32)
                return tf.reduce_sum(accuracy) / tf.reduce_sum(mask)

            def recall(self, y_true, y_pred, weights):
                return tf.reduce_sum(y_true * y_pred * weights) / tf.reduce_sum(y_true)
        """
    # the last one divides by the sum of the labels, which no mask weights: a batch without
    # positives makes it NaN
    assert numeric(src) == [("KC502", 19)]


def test_values_only_given_to_metric_trackers() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class Siamese(keras.Model):
            def __init__(self, encoder):
                super().__init__()
                self.encoder = encoder
                self.loss_tracker = keras.metrics.Mean(name="loss")
                self.corr_tracker = keras.metrics.Mean(name="correlation")

            def train_step(self, data):
                a, b = data
                with tf.GradientTape() as tape:
                    za, zb = self.encoder(a), self.encoder(b)
                    loss = tf.reduce_mean(tf.square(za - zb))
                grads = tape.gradient(loss, self.encoder.trainable_weights)
                self.optimizer.apply_gradients(zip(grads, self.encoder.trainable_weights))
                za = (za - tf.reduce_mean(za, axis=0)) / tf.math.reduce_std(za, axis=0)
                corr = tf.reduce_mean(za * zb)
                self.corr_tracker.update_state(corr)
                self.loss_tracker.update_state(loss / tf.norm(zb))
                return {"loss": self.loss_tracker.result(), "corr": self.corr_tracker.result()}

            def update_correlation_accuracy(self, features_1, features_2):
                features_1 = (features_1 - tf.reduce_mean(features_1, axis=0)) / tf.math.reduce_std(
                    features_1, axis=0)
                return tf.reduce_mean(features_1 * features_2)
        """
    assert numeric(src) == []


def test_value_used_by_the_loss_and_a_tracker_still_fires() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class Embedder(keras.Model):
            def train_step(self, data):
                x, y = data
                x = x / tf.norm(x, axis=-1, keepdims=True)
                with tf.GradientTape() as tape:
                    z = self(x, training=True)
                    loss = tf.reduce_mean(tf.square(z - y))
                self.tracker.update_state(x)
                grads = tape.gradient(loss, self.trainable_weights)
                self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
                return {"loss": loss}
        """
    assert numeric(src) == [("KC502", 7)]


def test_metric_only_and_config_context_facts() -> None:
    facts = extract_facts(cst.parse_module(textwrap.dedent("""\
        import tensorflow as tf
        from tensorflow import keras

        class Head(keras.layers.Layer):
            def __init__(self, ratio):
                super().__init__()
                self.r = tf.math.log(ratio)

            def call(self, x):
                return tf.math.log(x)

        def top_acc(y_true, y_pred):
            return tf.reduce_sum(y_true * y_pred) / tf.reduce_sum(y_true)
        """)))
    sites = {(s.function, s.op): (s.context, s.metric_only) for s in facts.numeric_sites}
    assert sites[("__init__", "log")] == ("other", False)
    assert sites[("call", "log")] == ("layer", False)
    assert sites[("top_acc", "divide")] == ("metric", True)
