"""False alarms found by running healthy public examples through ``kerascheck run`` (regression tests).

Each case is the smallest model that reproduces the idiom of the example it came from.
"""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
keras = pytest.importorskip("keras")

from kerascheck.config import default_settings  # noqa: E402
from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.checks import run_checks  # noqa: E402


class TokenAndPositionEmbedding(keras.layers.Layer):
    """As in keras.io's text classification with a Transformer: token ids go into a user layer."""

    def __init__(self, maxlen: int, vocab: int, dim: int) -> None:
        super().__init__()
        self.token_emb = keras.layers.Embedding(input_dim=vocab, output_dim=dim)
        self.pos_emb = keras.layers.Embedding(input_dim=maxlen, output_dim=dim)

    def call(self, x):
        positions = self.pos_emb(keras.ops.arange(0, keras.ops.shape(x)[-1]))
        return self.token_emb(x) + positions


def test_token_ids_into_a_user_layer_wrapping_an_embedding_are_not_unnormalized() -> None:
    inputs = keras.Input(shape=(20,))
    x = TokenAndPositionEmbedding(20, 20_000, 8)(inputs)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(2, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    capture = Capture(model=model, x=rng.integers(0, 20_000, size=(64, 20)), y=rng.integers(0, 2, size=64),
                      batch_size=32)
    found, _ = run_checks(capture, default_settings())
    assert [d.code for d in found if d.severity.value != "info"] == []


def test_the_same_ids_into_a_dense_layer_are_still_unnormalized() -> None:
    model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    capture = Capture(model=model, x=rng.integers(0, 20_000, size=(64, 20)).astype("float32"),
                      y=rng.integers(0, 2, size=64), batch_size=32)
    found, _ = run_checks(capture, default_settings())
    assert "KC602" in [d.code for d in found]


def test_standardised_data_with_heavy_tails_is_not_unnormalized() -> None:
    """Reported in review: every feature has std 1, but outliers reach |x| = 44 (real tabular data)."""
    rng = np.random.default_rng(0)
    x = rng.standard_t(df=2, size=(512, 6))
    x = ((x - x.mean(axis=0)) / x.std(axis=0)).astype("float32")
    assert np.abs(x).max() > 20
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    capture = Capture(model=model, x=x, y=rng.normal(size=512).astype("float32"), batch_size=32)
    found, _ = run_checks(capture, default_settings())
    assert "KC602" not in [d.code for d in found]


# -- second audit: 30 keras.io / Deep Learning with Python scripts through `kerascheck run` ---------------

RNG = np.random.default_rng(7)


def _codes(model, x, y, **capture) -> tuple[list[str], list[str]]:
    """(codes of warnings and errors, messages of the info notes)."""
    found, _ = run_checks(Capture(model=model, x=x, y=y, batch_size=32, **capture), default_settings())
    return ([d.code for d in found if d.severity.value != "info"],
            [d.message for d in found if d.severity.value == "info"])


def _pixels_into_tanh(normalize: bool) -> object:
    layers = [keras.Input((8, 8, 1))] + ([keras.layers.BatchNormalization()] if normalize else [])
    model = keras.Sequential(layers + [keras.layers.Conv2D(4, 3, activation="tanh"), keras.layers.Flatten(),
                                       keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def test_batchnorm_before_tanh_normalises_raw_pixels_as_training_does() -> None:
    """siamese_contrastive: BatchNormalization on 0-255 pixels. In inference mode an untrained BN is the
    identity and the tanh conv read as 95% saturated; the first training step sees 0%."""
    x = RNG.integers(0, 256, size=(64, 8, 8, 1)).astype("float32")
    y = RNG.integers(0, 2, size=(64, 1)).astype("float32")
    assert "KC704" not in _codes(_pixels_into_tanh(normalize=True), x, y)[0]
    assert "KC704" in _codes(_pixels_into_tanh(normalize=False), x, y)[0]  # without BN it does saturate


def _normalized_regressor(adapted: bool, x: object) -> object:
    norm = keras.layers.Normalization()
    if adapted:
        norm.adapt(x)
    model = keras.Sequential([keras.Input((4,)), norm, keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_an_adapted_normalization_layer_keeps_its_state_in_the_probe() -> None:
    """clone_model + set_weights left the copy's Normalization the identity: initial loss 226 instead of 0.7."""
    x = (RNG.normal(size=(64, 4)) * 3000 + 10000).astype("float32")
    y = (x[:, 0] > 10000).astype("float32")
    adapted, _ = _codes(_normalized_regressor(True, x), x, y)
    assert not [c for c in adapted if c.startswith(("KC6", "KC7", "KC8")) and c != "KC602"], adapted
    assert "KC604" in _codes(_normalized_regressor(False, x), x, y)[0]  # not adapted: the inputs stay raw


class TwoTowers(keras.Model):
    """metric_learning / conditional_gan: a train_step that splits `data` itself, and no call()."""

    def __init__(self) -> None:
        super().__init__()
        self.tower = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4)])

    def train_step(self, data):
        import tensorflow as tf

        anchors, positives = data[0], data[1]
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(self.tower(anchors) - self.tower(positives)))
        grads = tape.gradient(loss, self.tower.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.tower.trainable_weights))
        return {"loss": loss}


def test_a_train_step_that_feeds_the_model_its_own_way_is_probed_on_the_element_itself() -> None:
    model = TwoTowers()
    model.compile(optimizer="adam")
    pairs = RNG.normal(size=(2, 16, 6)).astype("float32")  # one element: (anchors, positives) stacked

    def stream():
        while True:
            yield pairs

    codes, notes = _codes(model, stream(), None)
    assert codes == [], codes  # kerascheck's own model(x) failing is not the user's first-step error
    assert any(n.startswith("forward pass not done: calling the model directly") for n in notes), notes


class OwnCompile(keras.Model):
    """A GAN-style compile(d_optimizer, g_optimizer): the probe cannot hand it a fresh optimizer."""

    def __init__(self) -> None:
        super().__init__()
        self.body = keras.layers.Dense(1)

    def call(self, x):
        return self.body(x)

    def compile(self, d_optimizer, loss_fn):
        super().compile(optimizer=d_optimizer, loss=loss_fn)


def test_an_overridden_compile_is_a_note_not_a_first_step_error() -> None:
    model = OwnCompile()
    model.compile(d_optimizer=keras.optimizers.Adam(), loss_fn="mse")
    codes, notes = _codes(model, RNG.normal(size=(32, 3)).astype("float32"), RNG.normal(size=(32, 1)))
    assert "KC605" not in codes
    assert any(n.startswith("probe training not done: the model overrides compile()") for n in notes), notes


def test_string_tensors_reach_a_text_vectorization_model_as_tensors() -> None:
    """A tf.constant of strings became a NumPy object array, which fit refuses ("Invalid dtype: object")."""
    tf = pytest.importorskip("tensorflow")
    texts = tf.constant(["good movie", "bad film", "great plot", "awful acting"] * 8)
    vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(texts)
    model = keras.Sequential([keras.Input(shape=(), dtype="string"), vectorize, keras.layers.Embedding(20, 4),
                              keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    codes, _ = _codes(model, texts, np.array([1.0, 0.0, 1.0, 0.0] * 8))
    assert "KC605" not in codes, codes
