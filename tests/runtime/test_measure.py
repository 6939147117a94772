"""measure.py on live models: the numbers it fills, the errors it catches, and that it changes nothing."""

from __future__ import annotations

import math
import os

import pytest

tf = pytest.importorskip("tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from kerascheck.runtime.capture import COMPILE_SITE_ATTR, SITE_ATTR, Capture  # noqa: E402
from kerascheck.runtime.measure import chance_loss, leaf_layers, measure  # noqa: E402
from kerascheck.runtime.measurements import Site  # noqa: E402
from kerascheck.runtime.thresholds import Thresholds  # noqa: E402

RNG = np.random.default_rng(2)
X = RNG.normal(size=(32, 6)).astype("float32")
Y = RNG.integers(0, 3, size=32)
FAST = Thresholds(probe_steps=3)


def run_on(model: keras.Model, x: object = X, y: object = Y, thresholds: Thresholds = FAST):
    return measure(Capture(model=model, x=x, y=y), x, y, None, thresholds)


def compiled(model: keras.Model, loss: str = "sparse_categorical_crossentropy", **kw: object) -> keras.Model:
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics=["accuracy"], **kw)
    return model


def assert_untouched(model: keras.Model, weights: list[np.ndarray], optimizer: object, config: object) -> None:
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    assert model.optimizer is optimizer and int(optimizer.iterations) == 0
    assert model._compile_config is config
    model.fit(X, Y, epochs=1, verbose=0)  # the real training still works afterwards
    assert int(optimizer.iterations) == 1


def test_model_facts_kernel_stats_and_folded_head() -> None:
    model = compiled(keras.Sequential([
        keras.Input((6,)), keras.layers.Dense(8, activation="relu", name="hidden"),
        keras.layers.Dense(3, name="logits"), keras.layers.Activation("softmax", name="probs")]))
    model._kerascheck_compile_site = Site("train.py", 9)  # as the harness records it
    object.__setattr__(model.layers[0], SITE_ATTR, Site("train.py", 4))
    run = run_on(model)
    assert (run.model_kind, run.loss, run.optimizer, run.learning_rate) == (
        "sequential", "sparse_categorical_crossentropy", "Adam", pytest.approx(1e-3))
    assert (run.head_units, run.head_activation, run.num_outputs, run.batch_size) == (3, "softmax", 1, 32)
    assert run.compile_site == Site("train.py", 9) and getattr(model, COMPILE_SITE_ATTR) == Site("train.py", 9)
    hidden = run.layer("hidden")
    assert hidden is not None and hidden.site == Site("train.py", 4)
    assert (hidden.fan_in, hidden.fan_out, hidden.kernel_shape) == (6, 8, [6, 8])
    assert hidden.expected_std == pytest.approx(math.sqrt(2 / 6))  # He for relu
    assert run.layer("logits").expected_std == pytest.approx(math.sqrt(2 / 11))  # Glorot otherwise
    assert [l.output_shape for l in run.layers] == [[None, 8], [None, 3], [None, 3]]
    assert run.probe is not None and run.probe.chance_loss == pytest.approx(math.log(3))
    assert run.probe.initial_loss == run.probe.losses[0] and len(run.probe.losses) == 3


def test_conv_fans_and_nested_models_are_flattened() -> None:
    inner = keras.Sequential([keras.Input((6, 6, 8)), keras.layers.Conv2D(4, 3, name="inner_conv")], name="block")
    inputs = keras.Input((8, 8, 1))
    hidden = keras.layers.Conv2D(8, 3, activation="relu", name="conv")(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Flatten()(inner(hidden)))
    model = compiled(keras.Model(inputs, outputs))
    assert [l.name for l in leaf_layers(model)][:2] == ["conv", "inner_conv"]
    run = run_on(model, x=RNG.normal(size=(16, 8, 8, 1)).astype("float32"), y=Y[:16])
    conv = run.layer("conv")
    assert run.model_kind == "functional" and (conv.fan_in, conv.fan_out) == (9, 72)
    assert run.layer("inner_conv").fan_in == 72 and run.layer("inner_conv").output_shape == [None, 4, 4, 4]


def test_dead_units_count_only_when_zero_on_every_example() -> None:
    model = compiled(keras.Sequential([
        keras.Input((6,)),
        keras.layers.Dense(8, activation="relu", name="alive"),
        keras.layers.Dense(8, activation="relu", name="dead", bias_initializer=keras.initializers.Constant(-50.0)),
        keras.layers.Dense(3, activation="softmax")]))
    run = run_on(model)
    assert run.layer("alive").dead_fraction < 0.5
    assert run.layer("dead").dead_fraction == 1.0
    assert run.layer("dead").grad_norm == 0.0 and run.layer("alive").grad_norm == 0.0  # nothing flows back


def test_saturation_of_dense_activation_and_of_an_activation_layer() -> None:
    dense = compiled(keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="tanh", name="tanh"),
                                       keras.layers.Dense(3, activation="softmax")]))
    layer = compiled(keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, name="pre"),
                                       keras.layers.Activation("sigmoid", name="sig"),
                                       keras.layers.Dense(3, activation="softmax")]))
    original = dense.layers[0].activation
    for model, name in ((dense, "tanh"), (layer, "sig")):
        calm, loud = run_on(model), run_on(model, x=X * 1000.0)
        assert calm.layer(name).saturated_fraction < 0.1 and loud.layer(name).saturated_fraction > 0.9
    assert calm.layer("pre").saturated_fraction is None
    assert dense.layers[0].activation is original and "call" not in dense.layers[0].__dict__  # unwrapped


def test_first_non_finite_output_and_gradient() -> None:
    model = compiled(keras.Sequential([
        keras.Input((6,)), keras.layers.Dense(8, name="first"),
        keras.layers.Lambda(lambda t: keras.ops.sqrt(t), name="root"),
        keras.layers.Dense(3, activation="softmax", name="head")]))
    run = run_on(model)
    assert [l.name for l in run.layers if l.nonfinite_output] == ["root", "head"]
    assert run.layer("first").nonfinite_output is False
    assert run.probe is not None and run.probe.nan_step == 0


def test_update_ratio_is_the_update_actually_taken() -> None:
    slow, fast = (compiled(keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                                             keras.layers.Dense(3, activation="softmax")])) for _ in range(2))
    fast.compile(optimizer=keras.optimizers.Adam(0.5), loss="sparse_categorical_crossentropy")
    slow_ratio = max(l.update_ratio for l in run_on(slow).layers)
    fast_ratio = max(l.update_ratio for l in run_on(fast).layers)
    assert 1e-4 < slow_ratio < 0.05 and fast_ratio > 1.0


def test_batchnorm_statistics_and_weights_are_restored() -> None:
    model = compiled(keras.Sequential([keras.Input((6,)), keras.layers.Dense(8), keras.layers.BatchNormalization(),
                                       keras.layers.Dropout(0.5), keras.layers.Dense(3, activation="softmax")]))
    weights = [w.copy() for w in model.get_weights()]
    run = run_on(model, x=X + 3.0)
    assert run.probe is not None and run.probe.steps == 3
    assert_untouched(model, weights, model.optimizer, model._compile_config)


class Scaled(keras.Model):
    """Subclassed, and not cloneable: its constructor takes a function Keras cannot serialise."""

    def __init__(self, squash: object) -> None:
        super().__init__()
        self.squash = squash
        self.hidden = keras.layers.Dense(8, activation="relu", name="sub_hidden")
        self.head = keras.layers.Dense(3, activation="softmax", name="sub_head")

    def call(self, inputs: object) -> object:
        return self.head(self.squash(self.hidden(inputs)))


def test_uncloneable_subclassed_model_is_probed_in_place_and_restored() -> None:
    model = compiled(Scaled(lambda t: t * 0.5))
    model(X[:2])
    with pytest.raises(Exception):
        keras.models.clone_model(model)
    weights, optimizer, config = [w.copy() for w in model.get_weights()], model.optimizer, model._compile_config
    run = run_on(model)
    assert run.model_kind == "subclassed" and [l.name for l in run.layers] == ["sub_hidden", "sub_head"]
    assert run.probe is not None and run.probe.steps == 3 and run.layer("sub_head").update_ratio > 0
    assert_untouched(model, weights, optimizer, config)


class CustomStep(keras.Model):
    def train_step(self, data: object) -> dict:
        x, y = data  # as fit passes it: train_on_batch's (x, y, None) would break this
        return super().train_step((x, y))


class OwnLossNames(keras.Model):
    """A GAN-style step: compiled without a loss, it reports its own names."""

    def __init__(self) -> None:
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, inputs: object) -> object:
        return self.dense(inputs)

    def train_step(self, data: object) -> dict:
        x, y = data
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.square(self(x) - keras.ops.cast(y, "float32")))
        self.optimizer.apply(tape.gradient(loss, self.trainable_variables), self.trainable_variables)
        return {"my_loss": loss}


def test_custom_train_step_skips_gradients_but_still_probes() -> None:
    inputs = keras.Input((6,))
    model = compiled(CustomStep(inputs, keras.layers.Dense(3, activation="softmax")(inputs)))
    run = run_on(model)
    assert [u.check for u in run.unavailable] == ["gradients"]
    assert all(l.grad_norm is None for l in run.layers)
    assert run.probe is not None and run.probe.steps == 3


def test_a_train_step_without_loss_is_unavailable_not_nan() -> None:
    model = OwnLossNames()
    model.compile(optimizer="adam")
    run = run_on(model, y=Y.reshape(-1, 1).astype("float32"))
    assert run.step_error is None and run.probe is None
    assert [u.check for u in run.unavailable] == ["gradients", "probe training"]
    assert run.layers[0].update_ratio is not None and run.layers[0].update_ratio > 0


def test_errors_at_the_first_step_are_caught_with_their_stage() -> None:
    model = compiled(keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")]))
    wrong_input = run_on(model, x=RNG.normal(size=(32, 5)).astype("float32"))
    assert wrong_input.step_error is not None and wrong_input.step_error.stage == "forward"
    wrong_targets = run_on(model, y=RNG.normal(size=(32, 7)).astype("float32"))
    assert wrong_targets.step_error is not None and wrong_targets.step_error.stage == "gradients"
    assert wrong_targets.layers and wrong_targets.layers[0].act_std is not None  # forward still measured


def test_what_cannot_be_measured_is_unavailable() -> None:
    plain = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])
    run = run_on(plain)
    assert run.probe is None and [u.check for u in run.unavailable] == ["gradients and probe training"]
    assert run.layers[0].act_std is not None
    empty = measure(Capture(model=plain), None, None, None, FAST)
    assert empty.layers == [] and "no batch" in empty.unavailable[0].reason


def test_chance_loss() -> None:
    assert chance_loss("categorical_crossentropy", 10) == pytest.approx(math.log(10))
    assert chance_loss("binary_crossentropy", 1) == pytest.approx(math.log(2))
    assert chance_loss("mean_squared_error", 1) is None and chance_loss("categorical_crossentropy", 1) is None


def small_mlp() -> keras.Model:
    return compiled(keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(3, activation="softmax")]))


def test_probe_time_budget_stops_after_five_steps_once_spent() -> None:
    run = run_on(small_mlp(), thresholds=Thresholds(probe_steps=12, probe_time_budget=1e-9))
    probe = run.probe
    assert (probe.steps, probe.planned_steps, len(probe.losses)) == (5, 12, 5)
    assert probe.step_seconds is not None and probe.step_seconds > 0
    assert probe.losses[-1] < probe.losses[0]  # a real, shorter loss curve


def test_probe_without_a_budget_takes_every_step() -> None:
    run = run_on(small_mlp(), thresholds=Thresholds(probe_steps=7, probe_time_budget=0.0))
    assert (run.probe.steps, run.probe.planned_steps) == (7, 7)
    generous = run_on(small_mlp(), thresholds=Thresholds(probe_steps=7, probe_time_budget=600.0))
    assert generous.probe.steps == 7


def test_an_empty_batch_is_not_measured() -> None:
    """Audit: a script slicing x_train[10000:] of a smaller dataset gave fit zero rows, which read as
    every ReLU unit dead and a NaN saturated share."""
    run = run_on(small_mlp(), x=X[:0], y=Y[:0])
    assert run.layers == [] and run.probe is None and run.step_error is None
    assert [u.reason for u in run.unavailable] == ["x has no examples (an empty slice reaches fit)"]
