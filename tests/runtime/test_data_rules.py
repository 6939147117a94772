"""KC601-KC604 on hand-built measurements (no TensorFlow needed) and on real small models.

The hand-built cases pin each condition and its non-firing twin; the real-model cases (skipped without
TensorFlow) go through ``run_checks`` so the statistics come from ``prepare_data`` and ``measure``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable

import pytest

from kerascheck.rules.base import RuleContext
from kerascheck.rules.kc601_non_finite_data import NonFiniteData
from kerascheck.rules.kc602_unnormalized_data import UnnormalizedData
from kerascheck.rules.kc603_label_range_mismatch import LabelRangeMismatch
from kerascheck.rules.kc604_initial_loss_anomaly import InitialLossAnomaly
from kerascheck.runtime.measurements import (
    ArrayStats, LayerStats, ProbeStats, RunMeasurements, Site, StepError,
)
from kerascheck.runtime.thresholds import Thresholds

FIT = Site("train.py", 30, 1, 30, 40)
COMPILE = Site("train.py", 25, 1)
HEAD = Site("train.py", 20, 5)
CTX = RuleContext(thresholds=Thresholds())


def _x(**kw: Any) -> ArrayStats:
    base = dict(role="x", name="x", shape=[256, 4], dtype="float32", count=1024, min=-3.1, max=3.2, mean=0.0,
                std=1.0, integer_valued=False, feature_std_min=0.9, feature_std_max=1.1, input_layers=["Dense"])
    return ArrayStats(**{**base, **kw})


def _y(**kw: Any) -> ArrayStats:
    base = dict(role="y", name="y", shape=[256], dtype="int64", count=256, min=0.0, max=9.0,
                integer_valued=True, unique_values=list(range(10)))
    return ArrayStats(**{**base, **kw})


def _run(*data: ArrayStats, loss: str = "sparse_categorical_crossentropy", units: int = 10,
         **kw: Any) -> RunMeasurements:
    layers = [LayerStats(0, "dense", "Dense", site=Site("train.py", 19, 5), activation="relu"),
              LayerStats(1, "head", "Dense", site=HEAD, activation="softmax")]
    return RunMeasurements(fit_site=FIT, compile_site=COMPILE, model_site=Site("train.py", 18, 9), loss=loss,
                           head_units=units, head_activation="softmax", from_logits=False, layers=layers,
                           data=list(data), **kw)


def _messages(rule: Any, run: RunMeasurements) -> list[str]:
    return [f.message for f in rule.check_run(run, CTX)]


# -- KC601 ------------------------------------------------------------------------------------------


def test_kc601_fires_with_count_row_and_input() -> None:
    run = _run(_x(name="x[1]", nonfinite=12, first_nonfinite_index=408), _y())
    [finding] = NonFiniteData().check_run(run, CTX)
    assert finding.loc.line == FIT.line
    assert "12 NaN/Inf" in finding.message and "row 408" in finding.message and "x[1]" in finding.message
    assert "np.nan_to_num" in finding.message


def test_kc601_names_streams_and_sample_weights() -> None:
    run = _run(_x(), _y(), ArrayStats(role="sample_weight", name="sample_weight", nonfinite=1,
                                      first_nonfinite_index=3, scanned="20 batches"))
    [message] = _messages(NonFiniteData(), run)
    assert "sample weights" in message and "first 20 batches" in message and "finite weight" in message


def test_kc601_clean_data_is_silent() -> None:
    assert _messages(NonFiniteData(), _run(_x(), _y())) == []


# -- KC602 ------------------------------------------------------------------------------------------


def test_kc602_raw_pixels_into_dense() -> None:
    run = _run(_x(mean=110.0, std=75.0, min=0.0, max=255.0, integer_valued=True), _y())
    [message] = _messages(UnnormalizedData(), run)
    assert "0..255" in message and "x / 255.0" in message


def test_kc602_large_tabular_values_suggest_standardising() -> None:
    [message] = _messages(UnnormalizedData(), _run(_x(min=-1.0, max=98000.5, mean=20000.0, std=30000.0), _y()))
    assert "98000" in message and "StandardScaler" in message


def test_kc602_heavy_tails_of_standardised_data_are_not_unnormalized() -> None:
    assert _messages(UnnormalizedData(), _run(_x(min=-44.0, max=31.0), _y())) == []  # every feature std ~1


def test_kc602_feature_scales_apart() -> None:
    run = _run(_x(min=-5.0, max=5.0, feature_std_min=0.0005, feature_std_max=1.2), _y())
    [message] = _messages(UnnormalizedData(), run)
    assert "2400x apart" in message


@pytest.mark.parametrize("readers", [["Rescaling"], ["Normalization"], ["Embedding"], ["BatchNormalization"]])
def test_kc602_inputs_read_by_a_raw_value_layer_are_clean(readers: list[str]) -> None:
    run = _run(_x(mean=110.0, std=75.0, min=0.0, max=255.0, integer_valued=True, input_layers=readers), _y())
    assert _messages(UnnormalizedData(), run) == []


def test_kc602_subclassed_model_with_a_rescaling_layer_is_clean() -> None:
    run = _run(_x(mean=110.0, std=75.0, min=0.0, max=255.0, input_layers=None), _y(), model_kind="subclassed")
    run.layers.insert(0, LayerStats(0, "rescale", "Rescaling"))
    assert _messages(UnnormalizedData(), run) == []
    run.layers.pop(0)
    assert len(_messages(UnnormalizedData(), run)) == 1


def test_kc602_caffe_preprocessed_images_are_clean() -> None:
    caffe = _x(shape=[8, 32, 32, 3], min=-123.68, max=151.061, feature_std_min=None, feature_std_max=None)
    assert _messages(UnnormalizedData(), _run(caffe, _y())) == []
    raw = _x(shape=[8, 32, 32, 3], mean=110.0, std=75.0, min=0.0, max=255.0, feature_std_min=None, feature_std_max=None)
    assert len(_messages(UnnormalizedData(), _run(raw, _y()))) == 1


def test_kc603_sequence_labels_are_not_taken_for_one_hot_rows() -> None:
    tags = _y(shape=[256, 10], min=0.0, max=9.0)  # 10 timesteps of tag ids, 10 tags per step
    assert _messages(LabelRangeMismatch(), _run(_x(), tags)) == []
    [message] = _messages(LabelRangeMismatch(), _run(_x(), tags, loss="categorical_crossentropy"))
    assert "integer class ids" in message


def test_kc602_standardised_and_unit_images_are_clean() -> None:
    assert _messages(UnnormalizedData(), _run(_x(), _y())) == []
    images = _x(shape=[64, 8, 8, 1], min=0.0, max=1.0, feature_std_min=None, feature_std_max=None)
    assert _messages(UnnormalizedData(), _run(images, _y())) == []
    strings = _x(kind="string", min=None, max=None)
    assert _messages(UnnormalizedData(), _run(strings, _y())) == []


# -- KC603 ------------------------------------------------------------------------------------------


def test_kc603_sparse_labels_beyond_units_point_at_the_head() -> None:
    [finding] = LabelRangeMismatch().check_run(_run(_x(), _y(min=1.0, max=10.0)), CTX)
    assert finding.loc.line == HEAD.line and finding.layer == "head"
    assert "up to 10" in finding.message and "0..9" in finding.message and "11 units" in finding.message


def test_kc603_negative_sparse_labels() -> None:
    [finding] = LabelRangeMismatch().check_run(_run(_x(), _y(min=-1.0, max=8.0, unique_values=None)), CTX)
    assert finding.loc.line == FIT.line and "-1" in finding.message and "re-index" in finding.message


def test_kc603_one_hot_rows_under_sparse_loss() -> None:
    onehot = _y(shape=[256, 10], dtype="float32", min=0.0, max=1.0, unique_values=[0.0, 1.0], row_sum_min=1.0,
                row_sum_max=1.0)
    [message] = _messages(LabelRangeMismatch(), _run(_x(), onehot))
    assert "one-hot" in message and "categorical_crossentropy" in message


def test_kc603_class_ids_under_categorical_loss() -> None:
    [message] = _messages(LabelRangeMismatch(), _run(_x(), _y(), loss="categorical_crossentropy"))
    assert "integer class ids" in message and "to_categorical(y, 10)" in message


def test_kc603_one_hot_width_differs_from_units() -> None:
    onehot = _y(shape=[256, 5], dtype="float32", min=0.0, max=1.0, row_sum_min=1.0, row_sum_max=1.0)
    [finding] = LabelRangeMismatch().check_run(_run(_x(), onehot, loss="categorical_crossentropy", units=3), CTX)
    assert finding.layer == "head" and "width 5" in finding.message and "3 units" in finding.message


def test_kc603_soft_labels_not_summing_to_one() -> None:
    multi_hot = _y(shape=[256, 10], dtype="float32", min=0.0, max=1.0, row_sum_min=1.0, row_sum_max=3.0)
    [message] = _messages(LabelRangeMismatch(), _run(_x(), multi_hot, loss="categorical_crossentropy"))
    assert "sum to 1..3" in message and "binary_crossentropy" in message
    within = _y(shape=[256, 10], dtype="float32", min=0.0, max=0.9, row_sum_min=0.995, row_sum_max=1.004)
    assert _messages(LabelRangeMismatch(), _run(_x(), within, loss="categorical_crossentropy")) == []


def test_kc603_binary_labels_outside_zero_one() -> None:
    signs = _y(min=-1.0, max=1.0, unique_values=[-1, 1])
    [message] = _messages(LabelRangeMismatch(), _run(_x(), signs, loss="binary_crossentropy", units=1))
    assert "{-1, 1}" in message and "[0, 1]" in message


def test_kc603_string_labels() -> None:
    words = ArrayStats(role="y", name="y", shape=[256], dtype="<U3", kind="string", unique_values=["cat", "dog"])
    [message] = _messages(LabelRangeMismatch(), _run(_x(), words))
    assert "'cat'" in message and "LabelEncoder" in message


def test_kc603_validation_labels_are_checked_too() -> None:
    bad_val = _y(role="validation_y", max=12.0)
    [message] = _messages(LabelRangeMismatch(), _run(_x(), _y(), bad_val))
    assert message.startswith("the validation labels")


def test_kc603_healthy_labels_are_clean() -> None:
    assert _messages(LabelRangeMismatch(), _run(_x(), _y())) == []
    onehot = _y(shape=[256, 10], dtype="float32", min=0.0, max=1.0, row_sum_min=1.0, row_sum_max=1.0)
    assert _messages(LabelRangeMismatch(), _run(_x(), onehot, loss="categorical_crossentropy")) == []
    binary = _y(min=0.0, max=1.0, unique_values=[0, 1])
    assert _messages(LabelRangeMismatch(), _run(_x(), binary, loss="binary_crossentropy", units=1)) == []
    soft = _y(dtype="float32", min=0.05, max=0.95, integer_valued=False, unique_values=None)
    assert _messages(LabelRangeMismatch(), _run(_x(), soft, loss="binary_crossentropy", units=1)) == []
    assert _messages(LabelRangeMismatch(), _run(_x(), _y(min=-50.0, max=80.0), loss="mse", units=1)) == []


# -- KC604 ------------------------------------------------------------------------------------------


def _probe(loss: float, chance: float = math.log(10)) -> ProbeStats:
    return ProbeStats(steps=1, losses=[loss], initial_loss=loss, chance_loss=chance)


def test_kc604_far_above_chance_names_the_logits_head() -> None:
    run = _run(_x(), _y(min=0.0, max=1.0), loss="binary_crossentropy", units=1, probe=_probe(3.9, math.log(2)))
    run.head_activation, run.from_logits = "linear", None  # a loss given by name: from_logits not recorded
    [finding] = InitialLossAnomaly().check_run(run, CTX)
    assert finding.loc.line == COMPILE.line
    assert "3.9" in finding.message and "0.6931" in finding.message and "from_logits=True" in finding.message


def test_kc604_cites_large_inputs_the_reading_layer_leaves_unscaled() -> None:
    run = _run(_x(mean=110.0, std=75.0, min=0.0, max=255.0, input_layers=["Normalization"]), _y(), probe=_probe(138.0))
    [message] = _messages(InitialLossAnomaly(), run)
    assert "max |x| = 255" in message and "normalizer.adapt(x)" in message
    unscaled_into_dense = _run(_x(mean=110.0, std=75.0, min=0.0, max=255.0), _y(), probe=_probe(138.0))
    assert _messages(InitialLossAnomaly(), unscaled_into_dense) == []  # KC602 names that cause


def test_kc604_nan_before_any_update_is_an_error() -> None:
    [finding] = InitialLossAnomaly().check_run(_run(_x(), _y(), probe=_probe(float("nan"))), CTX)
    assert finding.severity is not None and finding.severity.value == "error" and "nan" in finding.message


def test_kc604_silent_when_another_finding_names_the_cause() -> None:
    assert _messages(InitialLossAnomaly(), _run(_x(nonfinite=3), _y(), probe=_probe(float("nan")))) == []
    assert _messages(InitialLossAnomaly(), _run(_x(), _y(max=10.0), probe=_probe(40.0))) == []
    run = _run(_x(), _y(), probe=_probe(40.0), step_error=StepError("ValueError", "boom"))
    assert _messages(InitialLossAnomaly(), run) == []


def test_kc604_near_chance_and_unmeasured_are_clean() -> None:
    assert _messages(InitialLossAnomaly(), _run(_x(), _y(), probe=_probe(2.40))) == []
    assert _messages(InitialLossAnomaly(), _run(_x(), _y(), probe=_probe(50.0, chance=None))) == []  # mse
    assert _messages(InitialLossAnomaly(), _run(_x(), _y())) == []


# -- real small models through run_checks -----------------------------------------------------------

DATA_CODES = {"KC601", "KC602", "KC603", "KC604", "KC605"}


@pytest.fixture(scope="module")
def checked() -> Callable[..., set[str]]:
    """``checked(model, x, y, **fit)`` -> the KC60x codes ``run_checks`` reports on that fit."""
    pytest.importorskip("tensorflow")
    from kerascheck.config import default_settings
    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.checks import run_checks

    settings = dataclasses.replace(default_settings(), runtime=(("probe_steps", 3),))

    def run(model: Any, x: Any, y: Any, **fit: Any) -> set[str]:
        diagnostics, _ = run_checks(Capture(model=model, x=x, y=y, **fit), settings)
        return {d.code for d in diagnostics} & DATA_CODES

    return run


@pytest.fixture(scope="module")
def keras() -> Any:
    pytest.importorskip("tensorflow")
    return pytest.importorskip("keras")


def _mlp(keras: Any, inputs: int, units: int, head: str | None, loss: Any) -> Any:
    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(units, activation=head)])
    model.compile(optimizer="adam", loss=loss)
    return model


def test_real_healthy_models_are_clean(keras: Any, checked: Callable[..., set[str]]) -> None:
    import numpy as np

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    onehot = np.eye(3)[rng.integers(0, 3, 64)]
    assert checked(_mlp(keras, 6, 3, "softmax", "categorical_crossentropy"), x, onehot) == set()
    binary = (x[:, 0] > 0).astype("float32")
    assert checked(_mlp(keras, 6, 1, "sigmoid", "binary_crossentropy"), x, binary) == set()

    images = rng.integers(0, 256, size=(64, 8, 8, 1)).astype("uint8")
    labels = rng.integers(0, 10, 64)
    cnn = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Rescaling(1 / 255),
                            keras.layers.Conv2D(4, 3, activation="relu"), keras.layers.Flatten(),
                            keras.layers.Dense(10, activation="softmax")])
    cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert checked(cnn, images, labels) == set()
    scaled = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                               keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    scaled.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert checked(scaled, images.astype("float32") / 255.0, labels) == set()

    tokens = rng.integers(0, 100, size=(64, 12))
    text = keras.Sequential([keras.Input((12,)), keras.layers.Embedding(100, 8),
                             keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation="sigmoid")])
    text.compile(optimizer="adam", loss="binary_crossentropy")
    assert checked(text, tokens, binary) == set()

    a, b = keras.Input((6,)), keras.Input((2,))
    merged = keras.layers.Concatenate()([keras.layers.Dense(8, activation="relu")(a), b])
    two = keras.Model([a, b], keras.layers.Dense(3, activation="softmax")(merged))
    two.compile(optimizer="adam", loss="categorical_crossentropy")
    assert checked(two, [x, rng.normal(size=(64, 2))], onehot, validation_data=([x, x[:, :2]], onehot)) == set()

    sequences = rng.normal(size=(64, 5, 3)).astype("float32")
    lstm = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(3, activation="softmax")])
    lstm.compile(optimizer="adam", loss="categorical_crossentropy")
    assert checked(lstm, sequences, onehot) == set()

    class Classifier(keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(1, activation="sigmoid")

        def call(self, inputs: Any) -> Any:
            return self.out(self.hidden(inputs))

    subclassed = Classifier()
    subclassed.compile(optimizer="adam", loss="binary_crossentropy")
    assert checked(subclassed, x, binary, batch_size=16) == set()


def test_real_buggy_data_fires_its_rule(keras: Any, checked: Callable[..., set[str]]) -> None:
    import numpy as np

    keras.utils.set_random_seed(0)  # the logits-head initial loss varies with the init (1.0-9.8x chance)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(256, 6)).astype("float32")
    onehot = np.eye(3)[rng.integers(0, 3, 256)]
    late_nan = x.copy()
    late_nan[200, 3] = np.nan  # outside the measured first batch
    assert "KC601" in checked(_mlp(keras, 6, 3, "softmax", "categorical_crossentropy"), late_nan, onehot)

    pixels = rng.integers(0, 256, size=(256, 6)).astype("float32")
    assert "KC602" in checked(_mlp(keras, 6, 3, "softmax", "categorical_crossentropy"), pixels, onehot)

    one_based = rng.integers(1, 11, 256)
    codes = checked(_mlp(keras, 6, 10, "softmax", "sparse_categorical_crossentropy"), x, one_based)
    assert "KC603" in codes and "KC605" not in codes  # the label statistics name it; no duplicate

    binary = (x[:, 0] > 0).astype("float32")
    assert "KC604" in checked(_mlp(keras, 6, 1, None, "binary_crossentropy"), x, binary)

    never_adapted = keras.Sequential([keras.Input((6,)), keras.layers.Normalization(),
                                      keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(3, activation="softmax")])
    never_adapted.compile(optimizer="adam", loss="categorical_crossentropy")
    assert checked(never_adapted, pixels, onehot) == {"KC604"}  # KC602 trusts the Normalization layer

    assert checked(_mlp(keras, 4, 3, "softmax", "categorical_crossentropy"), x, onehot) == {"KC605"}
    assert checked(_mlp(keras, 6, 3, "softmax", "categorical_crossentropy"), x.tolist(), onehot) == {"KC605"}


def test_real_streams_are_checked_and_generators_keep_every_batch(keras: Any,
                                                                  checked: Callable[..., set[str]]) -> None:
    import numpy as np
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(96, 6)).astype("float32")
    ids = rng.integers(0, 3, 96)
    model = _mlp(keras, 6, 3, "softmax", "sparse_categorical_crossentropy")
    assert checked(model, tf.data.Dataset.from_tensor_slices((x, ids)).batch(16), None) == set()
    shifted = tf.data.Dataset.from_tensor_slices((x, ids + 1)).batch(16)  # 1..3 into 3 units
    assert "KC603" in checked(model, shifted, None)

    from kerascheck.config import default_settings
    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.checks import run_checks

    def batches():
        for start in range(0, 96, 16):
            yield x[start:start + 16], ids[start:start + 16]

    capture = Capture(model=model, x=batches())
    diagnostics, _ = run_checks(capture, default_settings())
    assert {d.code for d in diagnostics} & DATA_CODES == set()
    assert sum(len(bx) for bx, _ in capture.x) == 96
