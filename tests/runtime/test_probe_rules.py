"""KC801-KC804: probe training on a copy of the live model, and the rules over its measurements.

The live tests run the real probe (a fresh copy of the real optimizer, one repeated batch); the plain
ones feed hand-made measurements to the rules for the edge cases a live model makes hard to hit.
"""

from __future__ import annotations

import math
import os
import re

import pytest

from kerascheck.rules.base import RuleContext
from kerascheck.rules.kc801_loss_becomes_nan import LossBecomesNan
from kerascheck.rules.kc802_loss_diverges import LossDiverges
from kerascheck.rules.kc803_cannot_overfit_one_batch import CannotOverfitOneBatch
from kerascheck.rules.kc804_accuracy_stuck_at_zero import AccuracyStuckAtZero
from kerascheck.runtime.measurements import ArrayStats, LayerStats, ProbeStats, RunMeasurements
from kerascheck.runtime.thresholds import Thresholds

CTX = RuleContext(thresholds=Thresholds())


def probe_run(losses: list[float], **fields: object) -> RunMeasurements:
    nan = next((i for i, v in enumerate(losses) if not math.isfinite(v)), None)
    probe = ProbeStats(steps=len(losses), losses=losses, initial_loss=losses[0], nan_step=nan,
                       metrics=fields.pop("metrics", {}))  # type: ignore[arg-type]
    return RunMeasurements(probe=probe, **fields)  # type: ignore[arg-type]


def messages(rule: object, run: RunMeasurements) -> list[str]:
    return [f.message for f in rule.check_run(run, CTX)]  # type: ignore[attr-defined]


# -- plain measurements ----------------------------------------------------------------------------

def test_kc801_ignores_nan_from_the_start_and_first_step_nan() -> None:
    assert messages(LossBecomesNan(), probe_run([math.nan])) == []  # KC604's
    first_step = probe_run([1.0, math.nan], layers=[LayerStats(0, "d", "Dense", nonfinite_grad=True)])
    assert messages(LossBecomesNan(), first_step) == []  # KC708's
    (text,) = messages(LossBecomesNan(), probe_run([1.0, 5.0, math.inf]))
    assert "at training step 3" in text and "inf" in text


def test_kc802_needs_finite_growth_beyond_the_factor() -> None:
    assert messages(LossDiverges(), probe_run([1.0, 3.0, 9.0])) == []
    assert messages(LossDiverges(), probe_run([1.0, 30.0, math.nan])) == []  # KC801's
    (text,) = messages(LossDiverges(), probe_run([1.0, 30.0, 300.0]))
    assert "from 1 to 300 (300x)" in text


def test_kc803_learning_and_already_perfect_losses_are_fine() -> None:
    assert messages(CannotOverfitOneBatch(), probe_run([1.0, 0.98, 0.95])) == []
    assert messages(CannotOverfitOneBatch(), probe_run([1e-8, 1e-8, 1e-8])) == []
    frozen = probe_run([0.7, 0.7, 0.7], layers=[LayerStats(0, "d", "Dense", trainable=False, params=9)])
    (text,) = messages(CannotOverfitOneBatch(), frozen)
    assert "no layer is trainable" in text


def test_kc804_skips_heads_wider_than_the_batch_unless_targets_are_continuous() -> None:
    zeros = {"accuracy": [0.0, 0.0, 0.0]}
    wide = probe_run([7.0, 6.9, 6.8], metrics=zeros, head_units=1000, batch_size=8,
                     loss="sparse_categorical_crossentropy")
    assert messages(AccuracyStuckAtZero(), wide) == []
    narrow = probe_run([1.0, 0.9, 0.8], metrics=zeros, head_units=3, batch_size=32,
                       loss="sparse_categorical_crossentropy")
    assert "labels' encoding" in messages(AccuracyStuckAtZero(), narrow)[0]
    learning = probe_run([1.0, 0.9, 0.8], metrics={"accuracy": [0.0, 0.1, 0.3]}, head_units=3, batch_size=32)
    assert messages(AccuracyStuckAtZero(), learning) == []
    continuous = probe_run([1.0, 0.9], metrics=zeros, loss="mean_squared_error",
                           data=[ArrayStats(role="y", name="y", integer_valued=False)])
    assert "continuous values" in messages(AccuracyStuckAtZero(), continuous)[0]


# -- live probes -----------------------------------------------------------------------------------

def live_codes(model: object, x: object, y: object) -> dict[str, list[object]]:
    from kerascheck.config import default_settings
    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.checks import run_checks

    diagnostics, _ = run_checks(Capture(model=model, x=x, y=y), default_settings())
    out: dict[str, list[object]] = {}
    for d in diagnostics:
        out.setdefault(d.code, []).append(d)
    return out


@pytest.fixture(scope="module")
def keras_module() -> object:
    pytest.importorskip("tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras


def regression(keras: object, learning_rate: float) -> object:
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu", name="hidden"),  # type: ignore[attr-defined]
                              keras.layers.Dense(1, name="out")])  # type: ignore[attr-defined]
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")  # type: ignore[attr-defined]
    return model


def test_kc801_live_names_step_layer_and_causes(keras_module: object) -> None:
    import numpy as np

    x = np.random.default_rng(4).normal(size=(32, 8)).astype("float32") * 100.0
    issues = live_codes(regression(keras_module, 0.1), x, x.sum(axis=1, keepdims=True) * 100.0)
    (finding,) = issues["KC801"]
    text = finding.message  # type: ignore[attr-defined]
    assert re.search(r"to (nan|inf) at training step \d", text) and "first in hidden" in text
    assert "learning_rate=0.1 makes the first update" in text and "the inputs reach" in text


def test_kc802_live_divergence_and_its_fix(keras_module: object) -> None:
    import numpy as np

    x = np.random.default_rng(5).normal(size=(32, 8)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras_module.Sequential([keras_module.Input((8,)), keras_module.layers.Dense(1)])  # type: ignore[attr-defined]
    model.compile(optimizer=keras_module.optimizers.SGD(learning_rate=1.5), loss="mse")  # type: ignore[attr-defined]
    issues = live_codes(model, x, y)
    assert "KC802" in issues and "KC801" not in issues
    assert not {"KC801", "KC802", "KC803"} & set(live_codes(regression(keras_module, 0.01), x, y / 3.0))


def test_kc803_and_kc804_live(keras_module: object) -> None:
    import numpy as np

    k = keras_module
    x = np.random.default_rng(6).normal(size=(32, 8)).astype("float32")
    model = k.Sequential([k.Input((8,)), k.layers.Dense(16, activation="relu"),  # type: ignore[attr-defined]
                          k.layers.Dense(1, activation="sigmoid")])  # type: ignore[attr-defined]
    model.compile(optimizer=k.optimizers.Adam(1e-9), loss="binary_crossentropy")  # type: ignore[attr-defined]
    (stuck,) = live_codes(model, x, (x[:, 0] > 0).astype("float32"))["KC803"]
    assert "learning_rate=1e-09 moves the weights" in stuck.message  # type: ignore[attr-defined]
    model = k.Sequential([k.Input((8,)), k.layers.Dense(1)])  # type: ignore[attr-defined]
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    (zero,) = live_codes(model, x, x.sum(axis=1, keepdims=True) / 3.0)["KC804"]
    assert zero.severity.value == "error" and "continuous values" in zero.message  # type: ignore[attr-defined]


def test_kc803_a_slowly_moving_loss_with_no_cause_is_learning_a_constant_one_is_not() -> None:
    assert messages(CannotOverfitOneBatch(), probe_run([2.5e7, 2.49e7, 2.48e7])) == []
    assert messages(CannotOverfitOneBatch(), probe_run([0.7, 0.7001, 0.6999])) == []  # dropout noise
    (text,) = messages(CannotOverfitOneBatch(), probe_run([0.7, 0.7, 0.7]))
    assert "does not change at all" in text


def test_kc803_a_constant_logged_loss_while_the_weights_move_is_not_stuck() -> None:
    """Audit (keras.io trainer_pattern): a train_step whose logged "loss" is a constant tracker value while
    it trains; the first step's real update shows the model learns."""
    moving = [LayerStats(index=0, name="dense", kind="Dense", trainable=True, params=10, update_ratio=2e-3)]
    assert messages(CannotOverfitOneBatch(), probe_run([0.1, 0.1, 0.1], layers=moving)) == []


def test_kc803_and_kc709_name_a_step_that_applies_nothing() -> None:
    """Audit b15: a custom train_step that computes the gradients and never applies them."""
    from kerascheck.rules.kc709_update_ratio import UpdateRatio

    frozen = [LayerStats(index=i, name=f"dense_{i}", kind="Dense", trainable=True, params=10, update_ratio=0.0)
              for i in range(2)]
    run = probe_run([2.19, 2.19, 2.19], layers=frozen, optimizer="Adam", learning_rate=1e-3)
    (stuck,) = messages(CannotOverfitOneBatch(), run)
    assert "never applies its gradients" in stuck and "raise the learning rate" not in stuck
    (update,) = messages(UpdateRatio(), run)
    assert "changes no weight at all" in update and "raise the learning rate" not in update
    tiny = probe_run([2.19, 2.19, 2.19], layers=frozen, optimizer="Adam", learning_rate=1e-9)
    assert "never applies" not in messages(UpdateRatio(), tiny)[0]  # a learning rate of 1e-9 is the cause


def test_kc801_names_a_custom_loss_as_a_likely_cause() -> None:
    """Audit b10: a hand-written cross-entropy whose log meets a 0 prediction at step 16."""
    (text,) = messages(LossBecomesNan(), probe_run([0.57, 0.4, float("nan")], custom_loss="my_bce"))
    assert "likely cause: the custom loss my_bce" in text and "KC501" in text
    (plain,) = messages(LossBecomesNan(), probe_run([0.57, 0.4, float("nan")], loss="binary_crossentropy"))
    assert "custom loss" not in plain
