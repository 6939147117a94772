"""KC502 division-by-unguarded-denominator: dividing by a sum, norm or std that can be 0."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc502(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC502"])


# -- firing --------------------------------------------------------------------------------------------


def test_dice_without_smooth_tf_keras_backend() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import backend as K

        def dice_coef(y_true, y_pred):
            y_true_f = K.flatten(y_true)
            y_pred_f = K.flatten(y_pred)
            intersection = K.sum(y_true_f * y_pred_f)
            return 2 * intersection / (K.sum(y_true_f) + K.sum(y_pred_f))

        def dice_loss(y_true, y_pred):
            return 1 - dice_coef(y_true, y_pred)

        inputs = tf.keras.layers.Input((128, 128, 1))
        x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        outputs = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=dice_loss, metrics=[dice_coef])
        """
    assert kc502(src) == [("KC502", 8)]
    (finding,) = lint_snippet(src, select=["KC502"])
    assert "K.sum(y_true_f) + K.sum(y_pred_f)" in finding.message and "NaN" in finding.message


def test_layer_normalising_by_its_norm() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow.keras import layers

        class Normalize(layers.Layer):
            def call(self, x):
                return x / tf.norm(x, axis=-1, keepdims=True)

        inputs = layers.Input(shape=(128,))
        h = layers.Dense(64, activation="relu")(inputs)
        outputs = Normalize()(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="cosine_similarity")
        """
    assert kc502(src) == [("KC502", 6)]
    (finding,) = lint_snippet(src, select=["KC502"])
    assert "l2_normalize" in finding.message


def test_keras2_recall_metric_without_epsilon() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense

        def recall_m(y_true, y_pred):
            true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
            possible_positives = K.sum(K.round(K.clip(y_true, 0, 1)))
            return true_positives / possible_positives

        def precision_m(y_true, y_pred):
            true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
            predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
            return true_positives / predicted_positives

        model = Sequential()
        model.add(Dense(12, input_dim=8, activation="relu"))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["acc", recall_m, precision_m])
        """
    assert kc502(src) == [("KC502", 8), ("KC502", 13)]


def test_standardizing_layer_and_r2_metric() -> None:
    src = """\
        import keras
        from keras import ops

        class Standardize(keras.layers.Layer):
            def call(self, inputs):
                mean = ops.mean(inputs, axis=-1, keepdims=True)
                std = ops.std(inputs, axis=-1, keepdims=True)
                return (inputs - mean) / std

        def r_squared(y_true, y_pred):
            ss_res = ops.sum(ops.square(y_true - y_pred))
            ss_tot = ops.sum(ops.square(y_true - ops.mean(y_true)))
            return 1 - ss_res / ss_tot

        model = keras.Sequential([keras.Input(shape=(24,)), Standardize(), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=[r_squared])
        """
    assert kc502(src) == [("KC502", 8), ("KC502", 13)]


def test_tf_math_divide_by_a_sum_of_labels() -> None:
    src = """\
        import tensorflow as tf

        def hit_rate(y_true, y_pred):
            hits = tf.reduce_sum(tf.cast(tf.equal(tf.round(y_pred), y_true), tf.float32) * y_true)
            return tf.math.divide(hits, tf.reduce_sum(y_true))

        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(5,))])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[hit_rate])
        """
    assert kc502(src) == [("KC502", 5)]
    # a count has no gradient: count_nonzero is a shape-like denominator, not the model's values
    assert kc502(src.replace("tf.reduce_sum(y_true))",
                             "tf.cast(tf.math.count_nonzero(y_true), tf.float32))")) == []


# -- not firing ----------------------------------------------------------------------------------------


def test_dice_with_smooth_and_epsilon() -> None:
    src = """\
        from keras import backend as K
        from keras.models import Model
        from keras.layers import Input, Conv2D

        smooth = 1.0

        def dice_coef(y_true, y_pred):
            y_true_f = K.flatten(y_true)
            y_pred_f = K.flatten(y_pred)
            intersection = K.sum(y_true_f * y_pred_f)
            return (2.0 * intersection + smooth) / (K.sum(y_true_f) + K.sum(y_pred_f) + smooth)

        def iou(y_true, y_pred, eps=1e-6):
            inter = K.sum(y_true * y_pred)
            union = K.sum(y_true) + K.sum(y_pred) - inter
            return inter / (union + eps)

        def f1(y_true, y_pred):
            tp = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
            pp = K.sum(K.round(K.clip(y_pred, 0, 1)))
            precision = tp / (pp + K.epsilon())
            recall = tp / (K.sum(K.round(K.clip(y_true, 0, 1))) + K.epsilon())
            return 2 * ((precision * recall) / (precision + recall + K.epsilon()))

        inputs = Input((96, 96, 1))
        outputs = Conv2D(1, 1, activation="sigmoid")(inputs)
        model = Model(input=inputs, output=outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[dice_coef, iou, f1])
        """
    assert kc502(src) == []


def test_transformer_masked_loss_and_accuracy() -> None:
    src = """\
        import tensorflow as tf

        def masked_loss(label, pred):
            mask = label != 0
            loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
            loss = loss_object(label, pred)
            mask = tf.cast(mask, dtype=loss.dtype)
            loss *= mask
            loss = tf.reduce_sum(loss) / tf.reduce_sum(mask)
            return loss

        def masked_accuracy(label, pred):
            pred = tf.argmax(pred, axis=2)
            label = tf.cast(label, pred.dtype)
            match = label == pred
            mask = label != 0
            match = match & mask
            match = tf.cast(match, dtype=tf.float32)
            mask = tf.cast(mask, dtype=tf.float32)
            return tf.reduce_sum(match) / tf.reduce_sum(mask)
        """
    assert kc502(src) == []


def test_renormalising_softmax_outputs_and_guarded_layers() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import backend as K

        def weighted_cce(weights):
            def loss(y_true, y_pred):
                y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
                y_pred = K.clip(y_pred, K.epsilon(), 1 - K.epsilon())
                return -K.sum(y_true * K.log(y_pred) * weights, -1)
            return loss

        class L2Norm(keras.layers.Layer):
            def call(self, x):
                return x / tf.maximum(tf.norm(x, axis=-1, keepdims=True), 1e-12)

        class LayerNorm(keras.layers.Layer):
            def call(self, x):
                mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
                return (x - mean) / tf.sqrt(var + 1e-5)

        class Standardize(keras.layers.Layer):
            def call(self, x):
                return (x - tf.reduce_mean(x)) / (tf.math.reduce_std(x) + keras.backend.epsilon())

        class SafeRatio(keras.layers.Layer):
            def call(self, x):
                return tf.math.divide_no_nan(x, tf.reduce_sum(x, axis=-1, keepdims=True))
        """
    assert kc502(src) == []


def test_constants_batch_sizes_and_temperature() -> None:
    src = """\
        import keras
        from keras import ops

        class Distiller(keras.Model):
            def __init__(self, student, teacher, temperature=3.0):
                super().__init__()
                self.student = student
                self.teacher = teacher
                self.temperature = temperature

            def call(self, x):
                return self.student(x) / self.temperature

        def mean_error(y_true, y_pred):
            n = ops.cast(ops.shape(y_true)[0], "float32")
            return ops.sum(ops.abs(y_true - y_pred)) / n / 2.0

        def psnr(y_true, y_pred):
            return 10.0 * ops.log(1.0 / ops.mean(ops.square(y_pred - y_true))) / ops.log(10.0)
        """
    assert kc502(src) == []


def test_data_code_and_grad_cam_are_not_checked() -> None:
    src = """\
        import numpy as np
        import tensorflow as tf

        def normalize_features(x):
            return (x - x.mean(axis=0)) / x.std(axis=0)

        def make_gradcam_heatmap(img_array, model, last_conv_layer_name):
            grad_model = tf.keras.models.Model(model.inputs, [model.get_layer(last_conv_layer_name).output, model.output])
            with tf.GradientTape() as tape:
                conv_out, preds = grad_model(img_array)
                class_channel = preds[:, tf.argmax(preds[0])]
            grads = tape.gradient(class_channel, conv_out)
            heatmap = tf.reduce_mean(conv_out[0] * grads[0], axis=-1)
            return tf.maximum(heatmap, 0) / tf.math.reduce_max(heatmap)

        x = np.load("x.npy")
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        """
    assert kc502(src) == []


def test_normalising_learned_projections() -> None:
    src = """\
        import tensorflow as tf
        from tensorflow import keras

        class DualEncoder(keras.Model):
            def __init__(self, dim=256):
                super().__init__()
                self.image_projection = keras.layers.Dense(dim)
                self.text_projection = keras.layers.Dense(dim)

            def call(self, inputs):
                image_embeds = self.image_projection(inputs["image"])
                text_embeds = self.text_projection(inputs["text"])
                image_embeds = image_embeds / tf.norm(image_embeds, axis=-1, keepdims=True)
                text_embeds = text_embeds / tf.norm(text_embeds, axis=-1, keepdims=True)
                return tf.matmul(text_embeds, image_embeds, transpose_b=True)

        def compute_spr_loss(spr_targets, spr_predictions, same_trajectory):
            spr_predictions = spr_predictions / tf.norm(spr_predictions, axis=-1, keepdims=True)
            spr_targets = spr_targets / tf.norm(spr_targets, axis=-1, keepdims=True)
            return tf.reduce_sum(tf.square(spr_predictions - spr_targets), axis=-1) * same_trajectory
        """
    assert kc502(src) == []


def test_attention_with_epsilon_sum() -> None:
    src = """\
        from keras import backend as K
        from keras.layers import Layer

        class Attention(Layer):
            def build(self, input_shape):
                self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="normal")
                super(Attention, self).build(input_shape)

            def call(self, x):
                eij = K.tanh(K.squeeze(K.dot(x, self.W), axis=-1))
                a = K.exp(eij)
                a /= K.cast(K.sum(a, axis=1, keepdims=True) + K.epsilon(), K.floatx())
                a = K.expand_dims(a)
                return K.sum(x * a, axis=1)
        """
    assert kc502(src) == []


# -- audit regressions ------------------------------------------------------------------------------


def test_numpy_report_metrics_through_named_sums_are_not_checked() -> None:
    # A post-training report helper: the sums are NumPy values bound to names first, so this is
    # host-side analysis code even though the function is called ``..._metrics`` and divides.
    src = """\
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")

        def report_metrics(y_true, y_pred):
            y_true = np.asarray(y_true, dtype="float32")
            residual = np.sum(np.square(y_true - y_pred))
            spread = np.sum(np.square(y_true - np.mean(y_true)))
            explained = 1.0 - residual / spread
            return {"r2": explained}

        print(report_metrics(np.load("y.npy"), model.predict(np.load("x.npy"))))
        """
    assert kc502(src) == []


def test_keras_metric_through_named_sums_still_fires() -> None:
    src = """\
        import keras
        from keras import ops

        def explained_variance(y_true, y_pred):
            residual = ops.sum(ops.square(y_true - y_pred))
            spread = ops.sum(ops.square(y_true - ops.mean(y_true)))
            return 1.0 - residual / spread

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=[explained_variance])
        """
    assert kc502(src) == [("KC502", 7)]
