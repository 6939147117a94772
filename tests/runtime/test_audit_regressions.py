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
