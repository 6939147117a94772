"""The notebook API: ``check_model`` on an in-memory model, ``Monitor`` during real training."""

from __future__ import annotations

import os

import pytest

tf = pytest.importorskip("tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import kerascheck.runtime  # noqa: E402
from kerascheck.runtime.api import CheckReport, Monitor, check_model  # noqa: E402

RNG = np.random.default_rng(1)
X = RNG.normal(size=(64, 6)).astype("float32")
Y = (X[:, 0] > 0).astype("float32")


def classifier(learning_rate: float = 1e-3) -> keras.Model:
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(12, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def test_exported_lazily_from_the_package() -> None:
    assert kerascheck.runtime.check_model is check_model
    assert kerascheck.runtime.Monitor is Monitor


def test_check_model_healthy_is_ok_and_renders_the_layer_table() -> None:
    model = classifier()
    report = check_model(model, X, Y)
    assert isinstance(report, CheckReport) and report.ok, str(report)
    text = str(report)
    assert "no problem found" in text and "grad norm" in text
    assert all(layer.name in text for layer in model.layers)
    page = report._repr_html_()
    assert page.count("<tr>") == 1 + len(model.layers) and "<table>" in page


def test_check_model_reports_a_learning_rate_that_overwrites_the_weights() -> None:
    model = classifier(learning_rate=0.5)
    before = [w.copy() for w in model.get_weights()]
    report = check_model(model, X, Y)
    assert not report.ok
    assert "KC709" in {d.code for d in report.diagnostics}
    assert "learning_rate=0.5" in str(report)
    assert all((a == b).all() for a, b in zip(before, model.get_weights()))
    assert int(model.optimizer.iterations) == 0


def test_monitor_names_the_first_bad_layer_and_stops() -> None:
    x = RNG.normal(size=(256, 6)).astype("float32") * 100.0
    y = x.sum(axis=1, keepdims=True) * 100.0
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu", name="hidden"),
                              keras.layers.Dense(1, name="head")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    printed: list[str] = []
    monitor = Monitor(stop_training=True, print_fn=printed.append)
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0, callbacks=[monitor])
    assert len(printed) == 1 and monitor.messages == printed
    message = printed[0]
    assert "the loss became" in message and "epoch 1" in message
    assert "the first layer with NaN/Inf weights is hidden" in message
    assert "learning rate 0.1 (SGD) without clipnorm" in message
    assert len(history.history["loss"]) == 1  # stopped in the first epoch


def test_monitor_reports_accuracy_stuck_at_zero_on_a_regression() -> None:
    y = X.sum(axis=1, keepdims=True) / 3.0
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    printed: list[str] = []
    model.fit(X, y, batch_size=8, epochs=2, verbose=0,
              callbacks=[Monitor(zero_accuracy_batches=10, print_fn=printed.append)])
    assert len(printed) == 1 and "accuracy has been exactly 0 for 10 batches" in printed[0]


def test_monitor_is_silent_on_healthy_training() -> None:
    printed: list[str] = []
    classifier().fit(X, Y, batch_size=8, epochs=2, verbose=0,
                     callbacks=[Monitor(zero_accuracy_batches=5, weight_check_every=1, print_fn=printed.append)])
    assert printed == []
