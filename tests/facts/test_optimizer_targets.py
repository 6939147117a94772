"""What an optimizer is seen to train (``OptimizerFacts.trains``): KC201/KC202 judge only model rates."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts


def trains_of(source: str) -> list[tuple[float | None, str | None]]:
    facts = extract_facts(cst.parse_module(textwrap.dedent(source)))
    return [(o.learning_rate, o.trains) for o in facts.optimizers]


def test_apply_gradients_on_image_variable_weights_and_compile() -> None:
    assert trains_of("""\
        import tensorflow as tf
        from tensorflow import keras

        model = keras.applications.VGG19(weights="imagenet", include_top=False)
        image = tf.Variable(tf.zeros((1, 64, 64, 3)))
        latent = tf.Variable(tf.random.normal((1, 128)))
        pixels = keras.optimizers.Adam(learning_rate=0.02)
        codes = keras.optimizers.SGD(learning_rate=100.0)
        weights = keras.optimizers.Adam(learning_rate=0.001)
        compiled = keras.optimizers.Adam(learning_rate=0.002)
        model.compile(optimizer=compiled, loss="mse")

        def step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(model(image))
            g = tape.gradient(loss, [image, latent])
            pixels.apply_gradients([(g[0], image)])
            codes.apply_gradients(zip(g[1:], [latent]))
            weights.apply_gradients(zip(g, model.trainable_variables))
        """) == [(0.02, "variables"), (100.0, "variables"), (0.001, "weights"), (0.002, None)]


def test_compile_of_model_whose_train_step_ignores_self_optimizer() -> None:
    source = """\
        import tensorflow as tf
        from tensorflow import keras

        class Pair(keras.Model):
            def __init__(self, a, b):
                super().__init__()
                self.a, self.b = a, b
                self.a_opt = keras.optimizers.Adam(1e-4)

            def train_step(self, data):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(self.a(data))
                grads = tape.gradient(loss, self.a.trainable_weights)
                OPT.apply_gradients(zip(grads, self.a.trainable_weights))
                return {"loss": loss}

        pair = Pair(keras.Sequential(), keras.Sequential())
        pair.compile(optimizer=keras.optimizers.RMSprop(0.5))
        """
    assert (0.5, "ignored") in trains_of(source.replace("OPT", "self.a_opt"))
    assert (0.5, None) in trains_of(source.replace("OPT", "self.optimizer"))
