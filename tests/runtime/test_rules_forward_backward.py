"""KC701-KC709 on live models through run_checks: buggy models fire, their fixed versions stay clean."""

from __future__ import annotations

import dataclasses
import os

import pytest

tf = pytest.importorskip("tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from kerascheck.config import default_settings  # noqa: E402
from kerascheck.diagnostics import Diagnostic, Severity  # noqa: E402
from kerascheck.runtime.capture import SITE_ATTR, Capture  # noqa: E402
from kerascheck.runtime.checks import run_checks  # noqa: E402
from kerascheck.runtime.measurements import Site  # noqa: E402

RNG = np.random.default_rng(3)
X = RNG.normal(size=(32, 8)).astype("float32")
Y = (X[:, 0] > 0).astype("float32")
SETTINGS = dataclasses.replace(default_settings(), runtime=(("probe_steps", 5),))


def found(model: keras.Model, x: object = X, y: object = Y, settings: object = SETTINGS) -> dict[str, list[Diagnostic]]:
    diagnostics, _ = run_checks(Capture(model=model, x=x, y=y), settings)  # type: ignore[arg-type]
    out: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        out.setdefault(d.code, []).append(d)
    return out


def binary(*hidden: keras.layers.Layer, optimizer: object = "adam", inputs: int = 8) -> keras.Model:
    model = keras.Sequential([keras.Input((inputs,)), *hidden, keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model


def dense(units: int = 16, activation: str = "relu", **kw: object) -> keras.layers.Dense:
    return keras.layers.Dense(units, activation=activation, **kw)


def test_kc701_constant_kernels_point_at_the_layer_line() -> None:
    first = dense(16, "tanh", kernel_initializer="ones", name="same")
    model = binary(first)
    model.layers[-1].kernel.assign(np.ones((16, 1), "float32"))
    object.__setattr__(first, SITE_ATTR, Site("/tmp/train.py", 7, 5, 7, 40))
    (finding,) = found(model)["KC701"]
    assert finding.severity is Severity.ERROR and dict(finding.extra) == {"layer": "same"}
    assert (finding.line, finding.column, finding.end_column) == (7, 5, 40) and finding.path.endswith("train.py")
    assert "(8, 16)" in finding.message and "dense" in finding.message


def test_kc701_a_zero_output_layer_after_random_layers_is_an_idiom() -> None:
    head = keras.layers.Dense(1, activation="sigmoid", kernel_initializer="zeros")
    model = keras.Sequential([keras.Input((8,)), dense(16), head])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    assert "KC701" not in found(model)


def test_kc702_too_large_and_too_small_kernels() -> None:
    big = found(binary(dense(32, kernel_initializer=keras.initializers.RandomNormal(stddev=5.0)), inputs=100),
                x=RNG.normal(size=(32, 100)).astype("float32"))
    assert "fan-in 100" in big["KC702"][0].message and "x the largest standard scale" in big["KC702"][0].message
    small = found(binary(dense(32, kernel_initializer=keras.initializers.RandomNormal(stddev=1e-5))))
    assert "below the smallest standard scale" in small["KC702"][0].message
    assert "KC702" not in found(binary(dense(32, kernel_initializer="he_normal"), dense(8, "tanh")))


def test_kc702_a_small_initialised_head_is_a_sound_choice() -> None:
    """Starting the output layer near zero (predictions at chance) is deliberate; a hidden layer is not."""
    tiny = keras.initializers.RandomNormal(stddev=1e-4)
    head = keras.Sequential([keras.Input((8,)), dense(16), keras.layers.Dense(3, kernel_initializer=tiny),
                             keras.layers.Softmax()])
    head.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert "KC702" not in found(head, y=RNG.integers(0, 3, size=32))
    (hidden,) = found(binary(dense(16, kernel_initializer=tiny, name="tiny")))["KC702"]
    assert dict(hidden.extra) == {"layer": "tiny"}


def test_kc703_all_dead_is_an_error_with_its_cause() -> None:
    issues = found(binary(dense(16, bias_initializer=keras.initializers.Constant(-10.0), name="off")))
    (finding,) = issues["KC703"]
    assert finding.severity is Severity.ERROR and "16 of 16 units of off" in finding.message
    assert "KC703" not in found(binary(dense(16), dense(16)))


def test_kc703_threshold_comes_from_the_configuration() -> None:
    def half_dead() -> keras.Model:
        layer = dense(16, name="half")
        model = binary(layer)
        bias = np.zeros(16, "float32")
        bias[:8] = -100.0
        layer.bias.assign(bias)
        return model

    assert "KC703" not in found(half_dead())  # 50% < the default 0.9
    strict = dataclasses.replace(SETTINGS, runtime=SETTINGS.runtime + (("dead_relu_fraction", 0.4),))
    (finding,) = found(half_dead(), settings=strict)["KC703"]
    assert finding.severity is Severity.WARNING and "8 of 16 units of half" in finding.message


def test_kc704_unscaled_inputs_saturate_tanh() -> None:
    raw = RNG.uniform(0, 255, size=(32, 8)).astype("float32")
    (finding,) = found(binary(dense(16, "tanh", name="squash")), x=raw)["KC704"]
    assert "squash's tanh" in finding.message and "the inputs reach" in finding.message
    assert "KC704" not in found(binary(dense(16, "tanh")), x=raw / 255.0)


def test_kc705_names_the_first_layer_with_nan_and_not_when_the_data_has_nan() -> None:
    log = keras.layers.Lambda(lambda t: keras.ops.log(t), name="take_log")
    (finding,) = found(binary(dense(8, "linear"), log))["KC705"]
    assert "take_log (Lambda) is the first layer" in finding.message and dict(finding.extra)["layer"] == "take_log"
    dirty = X.copy()
    dirty[3, 2] = np.nan
    issues = found(binary(dense(8)), x=dirty)
    assert "KC705" not in issues and "KC601" in issues


def test_kc706_deep_sigmoid_stack_and_all_zero_gradients() -> None:
    stack = [dense(16, "sigmoid") for _ in range(12)]
    (finding,) = found(binary(*stack))["KC706"]
    assert "12 sigmoid layers" in finding.message or "13 sigmoid layers" in finding.message
    assert "times that of" in finding.message
    zero = found(binary(dense(16, kernel_initializer="zeros", name="z1"), dense(16, kernel_initializer="zeros")))
    (finding,) = zero["KC706"]
    assert "exactly 0" in finding.message and "times that of" not in finding.message
    assert "KC706" not in found(binary(*[dense(16, kernel_initializer="he_normal") for _ in range(6)]))


def test_kc707_unscaled_regression_explodes() -> None:
    x = RNG.normal(size=(32, 8)).astype("float32") * 1000.0
    model = keras.Sequential([keras.Input((8,)), dense(16, name="wide"), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    (finding,) = found(model, x=x, y=x.sum(axis=1, keepdims=True) * 1000.0)["KC707"]
    assert "gradient norm on the first batch" in finding.message and "the inputs reach" in finding.message
    model = keras.Sequential([keras.Input((8,)), dense(16), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert "KC707" not in found(model, y=X.sum(axis=1, keepdims=True) / 3.0)


def test_kc708_sqrt_at_zero_in_a_custom_loss() -> None:
    def rmse(y_true: object, y_pred: object) -> object:
        return keras.ops.sqrt(keras.ops.mean(keras.ops.square(y_true - y_pred * 0.0)))

    def safe_rmse(y_true: object, y_pred: object) -> object:
        return keras.ops.sqrt(keras.ops.mean(keras.ops.square(y_true - y_pred)) + 1e-7)

    zeros = np.zeros((32, 1), "float32")
    for loss, fires in ((rmse, True), (safe_rmse, False)):
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, name="out")])
        model.compile(optimizer="adam", loss=loss)
        issues = found(model, y=zeros)
        assert ("KC708" in issues) is fires
        if fires:
            assert "out is the first layer with a NaN/Inf gradient" in issues["KC708"][0].message
            assert "KC801" not in issues  # the cause is named once, by KC708


def test_kc709_update_too_large_and_too_small() -> None:
    compile_site = Site("/tmp/train.py", 12)
    fast = binary(dense(16), optimizer=keras.optimizers.Adam(0.5))
    object.__setattr__(fast, "_kerascheck_compile_site", compile_site)
    (finding,) = found(fast)["KC709"]
    assert "one Adam step (learning_rate=0.5)" in finding.message and "% of their size" in finding.message
    assert finding.line == 12
    slow = found(binary(dense(16), optimizer=keras.optimizers.Adam(1e-9)))["KC709"]
    assert "raise the learning rate" in slow[0].message
    assert "KC709" not in found(binary(dense(16), optimizer=keras.optimizers.SGD(0.01)))


def test_kc707_huge_gradients_under_adam_that_still_trains_are_not_reported() -> None:
    y = (X.sum(axis=1, keepdims=True) * 3e5).astype("float32")  # raw house prices, say
    model = keras.Sequential([keras.Input((8,)), dense(16), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    assert "KC707" not in found(model, y=y)
    model = keras.Sequential([keras.Input((8,)), dense(16), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    assert "KC707" in found(model, y=y)


def test_kc709_names_unscaled_inputs_as_the_cause_under_sgd() -> None:
    raw = (RNG.uniform(0, 1, size=(32, 8)) * 1e5).astype("float32")
    (finding,) = found(binary(dense(16), optimizer=keras.optimizers.SGD(0.01)), x=raw)["KC709"]
    assert "because the inputs reach" in finding.message and "scale the inputs" in finding.message
