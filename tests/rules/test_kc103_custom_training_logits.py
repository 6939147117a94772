"""KC103 in custom code: a softmax/sigmoid model's output handed to a loss that applies the activation
again (a GradientTape step, or a loss function given to that model's compile)."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc103(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC103"])


# -- firing --------------------------------------------------------------------------------------------


def test_tape_step_with_tf_nn_softmax_cross_entropy_on_probabilities() -> None:
    src = """\
        import tensorflow as tf

        classifier = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(16,)),
            tf.keras.layers.Dense(6, activation="softmax"),
        ])
        optimizer = tf.keras.optimizers.Adam(1e-3)

        @tf.function
        def train_step(batch_x, batch_y):
            with tf.GradientTape() as tape:
                scores = classifier(batch_x, training=True)
                loss = tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(labels=batch_y, logits=scores))
            grads = tape.gradient(loss, classifier.trainable_variables)
            optimizer.apply_gradients(zip(grads, classifier.trainable_variables))
            return loss
        """
    assert kc103(src) == [("KC103", 14)]
    message = lint_snippet(src, select=["KC103"])[0].message
    assert "tf.nn.softmax_cross_entropy_with_logits" in message and "Dense(6" in message


def test_subclassed_segmenter_and_a_helper_loss_with_reshape() -> None:
    src = """\
        import tensorflow as tf

        class TinySegmenter(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.body = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")
                self.head = tf.keras.layers.Conv2D(3, 1, padding="same")

            def call(self, images):
                return tf.nn.softmax(self.head(self.body(images)), axis=-1)

        def pixel_loss(pred, mask):
            flat = tf.reshape(pred, [-1, 3])
            return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
                labels=tf.reshape(mask, [-1, 3]), logits=flat))

        seg = TinySegmenter()
        opt = tf.keras.optimizers.Adam()

        def fit_batch(images, masks):
            with tf.GradientTape() as tape:
                loss = pixel_loss(seg(images), masks)
            opt.apply_gradients(zip(tape.gradient(loss, seg.trainable_variables),
                                    seg.trainable_variables))
        """
    assert kc103(src) == [("KC103", 14)]


def test_custom_compile_loss_with_sigmoid_cross_entropy_on_a_sigmoid_head() -> None:
    src = """\
        import tensorflow as tf

        def weighted_bce(y_true, y_pred):
            per_item = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
            return tf.reduce_mean(per_item * 2.0)

        detector = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(10,)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        detector.compile(optimizer="adam", loss=weighted_bce)
        """
    assert kc103(src) == [("KC103", 4)]


def test_keras_loss_object_with_from_logits_called_on_gan_discriminator_probabilities() -> None:
    src = """\
        import keras
        from keras import layers, ops

        critic = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        def critic_loss(real_images, fake_images):
            real = critic(real_images)
            fake = critic(fake_images)
            on_real = bce(ops.ones_like(real), real)
            on_fake = bce(ops.zeros_like(fake), fake)
            return on_real + on_fake
        """
    assert kc103(src) == [("KC103", 15), ("KC103", 16)]


# -- silent --------------------------------------------------------------------------------------------


def test_logits_model_in_a_keras_io_style_training_loop() -> None:
    src = """\
        import keras
        import tensorflow as tf

        model = keras.Sequential([
            keras.Input(shape=(784,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.SGD(learning_rate=1e-3)

        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss_value = loss_fn(y, logits)
            grads = tape.gradient(loss_value, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
            return loss_value
        """
    assert kc103(src) == []


def test_probability_model_with_probability_losses_or_log_probabilities() -> None:
    src = """\
        import tensorflow as tf

        net = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(8,)),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        cce = tf.keras.losses.CategoricalCrossentropy()

        def step(x, y):
            with tf.GradientTape() as tape:
                probs = net(x, training=True)
                a = cce(y, probs)
                b = tf.keras.losses.categorical_crossentropy(y, probs)
                c = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=tf.math.log(probs))
                loss = a + b + c
            return tape.gradient(loss, net.trainable_variables)

        def own_loss(y_true, y_pred):
            return tf.keras.losses.categorical_crossentropy(y_true, y_pred)

        net.compile(optimizer="adam", loss=own_loss)
        """
    assert kc103(src) == []


def test_head_unknown_or_loss_function_of_another_model() -> None:
    src = """\
        import tensorflow as tf
        from mylib import build_backbone

        def logits_loss(y_true, y_pred):
            return tf.nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred)

        scorer = tf.keras.Sequential([tf.keras.layers.Dense(5)])
        scorer.compile(optimizer="adam", loss=logits_loss)
        probs_model = tf.keras.Sequential([tf.keras.layers.Dense(5, activation="softmax")])
        probs_model.compile(optimizer="adam", loss="categorical_crossentropy")
        backbone = build_backbone()

        def step(x, y):
            return tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=backbone(x))
        """
    assert kc103(src) == []
