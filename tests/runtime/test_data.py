"""prepare_data on every form fit accepts: first batch, statistics, restored generators.

NumPy-only cases run without TensorFlow; the tf.data / PyDataset cases skip when it is absent.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

np = pytest.importorskip("numpy")  # data.py needs NumPy (the runtime extra), not TensorFlow

from kerascheck.runtime import data_stats  # noqa: E402
from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.data import prepare_data  # noqa: E402
from kerascheck.runtime.thresholds import Thresholds  # noqa: E402

T = Thresholds()


class _Model:
    """Stands in for a model where only ``inputs`` (the input rank) matters."""

    inputs = None


def _cap(**kwargs: Any) -> Capture:
    return Capture(model=kwargs.pop("model", _Model()), **kwargs)


def _by(prepared: Any, role: str, name: str | None = None) -> Any:
    found = [a for a in prepared.arrays if a.role == role and (name is None or a.name == name)]
    assert len(found) == 1, prepared.arrays
    return found[0]


def test_numpy_arrays_first_batch_and_whole_scan() -> None:
    x = np.random.default_rng(0).normal(size=(500, 4)).astype("float32")
    x[408, 2] = np.nan
    x[450, 0] = np.inf
    y = np.arange(500) % 3
    prepared = prepare_data(_cap(x=x, y=y, batch_size=16), T)
    assert prepared.source == "arrays"
    assert prepared.x.shape == (16, 4) and prepared.y.shape == (16,)
    sx = _by(prepared, "x")
    assert (sx.nonfinite, sx.first_nonfinite_index, sx.scanned, sx.shape) == (2, 408, "all", [500, 4])
    assert np.isfinite(sx.max) and sx.max < 10
    sy = _by(prepared, "y")
    assert sy.integer_valued and sy.unique_values == [0, 1, 2] and (sy.min, sy.max) == (0, 2)
    assert prepared.step_error is None and prepared.unavailable == []


def test_batch_size_is_the_smaller_of_fit_and_thresholds() -> None:
    x = np.zeros((100, 2))
    assert prepare_data(_cap(x=x), T).x.shape[0] == T.batch_size
    assert prepare_data(_cap(x=x, batch_size=500), T).x.shape[0] == T.batch_size
    assert prepare_data(_cap(x=x, batch_size=8), T).x.shape[0] == 8


def test_chunked_scan_finds_nan_in_a_late_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_stats, "CHUNK_ELEMENTS", 30)  # 10 rows of 3 per chunk
    x = np.ones((1000, 3))
    x[977, 1] = np.nan
    stats = data_stats.array_stats("x", "x", x)
    assert (stats.nonfinite, stats.first_nonfinite_index, stats.count) == (1, 977, 3000)
    assert stats.mean == pytest.approx(1.0) and stats.std == pytest.approx(0.0)


def test_feature_scales_and_row_sums() -> None:
    rng = np.random.default_rng(1)
    x = np.stack([rng.normal(size=200), rng.normal(size=200) * 5000.0, np.zeros(200)], axis=1)
    y = np.eye(4)[rng.integers(0, 4, size=200)]
    prepared = prepare_data(_cap(x=x, y=y), T)
    sx = _by(prepared, "x")
    assert sx.feature_std_max / sx.feature_std_min == pytest.approx(5000, rel=0.2)  # the zero column ignored
    sy = _by(prepared, "y")
    assert (sy.row_sum_min, sy.row_sum_max) == (1.0, 1.0) and sy.unique_values == [0.0, 1.0]


def test_plain_python_list_is_recorded_as_the_error_keras_raises() -> None:
    prepared = prepare_data(_cap(x=[[1.0, 2.0], [3.0, 4.0]], y=[0, 1]), T)
    assert prepared.step_error is not None
    assert "Unrecognized data type" in prepared.step_error.message and "list" in prepared.step_error.message
    assert isinstance(prepared.x, np.ndarray) and prepared.x.shape == (2, 2)
    assert _by(prepared, "x").count == 4


def test_list_of_arrays_is_multi_input_not_an_error() -> None:
    a, b = np.zeros((40, 3)), np.ones((40, 5))
    prepared = prepare_data(_cap(x=[a, b], y=np.zeros(40)), T)
    assert prepared.step_error is None
    assert isinstance(prepared.x, list) and [p.shape for p in prepared.x] == [(32, 3), (32, 5)]
    assert _by(prepared, "x", "x[1]").mean == 1.0


def test_dict_inputs_keep_their_names() -> None:
    x = {"age": np.arange(50, dtype=float), "city": np.array(["a", "b"] * 25)}
    prepared = prepare_data(_cap(x=x, y=np.zeros(50)), T)
    assert set(prepared.x) == {"age", "city"} and prepared.x["age"].shape == (32,)
    assert _by(prepared, "x", "x['age']").max == 49.0
    city = _by(prepared, "x", "x['city']")
    assert city.kind == "string" and city.min is None and city.unique_values == ["a", "b"]


def test_object_array_of_strings_is_string_kind() -> None:
    y = np.array(["cat", "dog", "cat"], dtype=object)
    stats = _by(prepare_data(_cap(x=np.zeros((3, 1)), y=y), T), "y")
    assert stats.kind == "string" and stats.unique_values == ["cat", "dog"]


def test_pandas_frames_and_series() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) * 2})
    frame.loc[33, "a"] = np.nan
    prepared = prepare_data(_cap(x=frame, y=pd.Series(np.arange(40) % 2)), T)
    assert isinstance(prepared.x, np.ndarray) and prepared.x.shape == (32, 2)
    assert _by(prepared, "x").first_nonfinite_index == 33
    assert _by(prepared, "y").unique_values == [0, 1]


def test_generator_is_restored_with_every_batch() -> None:
    def batches():
        for i in range(30):
            yield np.full((8, 2), float(i)), np.zeros(8)

    capture = _cap(x=batches())
    prepared = prepare_data(capture, T)
    assert prepared.source == "generator"
    assert _by(prepared, "x").scanned == f"{T.max_scan_batches} batches"
    assert _by(prepared, "x").max == T.max_scan_batches - 1
    assert prepared.x.shape == (8, 2) and prepared.x[0, 0] == 0.0
    rest = list(capture.x)
    assert [float(bx[0, 0]) for bx, _ in rest] == [float(i) for i in range(30)]


def test_infinite_generator_stops_at_max_scan_batches() -> None:
    capture = _cap(x=((np.ones((4, 1)), np.ones(4)) for _ in itertools.count()))
    prepared = prepare_data(capture, Thresholds(max_scan_batches=3))
    assert _by(prepared, "x").count == 12
    assert next(capture.x)[0].shape == (4, 1)


def test_validation_tuple_sample_weight_and_class_weight() -> None:
    vx = np.array([[0.0], [np.nan]])
    prepared = prepare_data(_cap(x=np.zeros((4, 1)), y=np.zeros(4), sample_weight=np.ones(4),
                                 validation_data=(vx, np.zeros(2), np.ones(2)), class_weight={0: 1, 1: 3}), T)
    assert _by(prepared, "validation_x").nonfinite == 1
    assert {a.name for a in prepared.arrays if a.role == "sample_weight"} == {"sample_weight", "validation_data[2]"}
    assert prepared.class_weight == {0: 1.0, 1: 3.0}
    odd = prepare_data(_cap(x=np.zeros((4, 1)), class_weight={"cat": 1.0}), T)
    assert odd.class_weight is None and odd.unavailable == []
    assert prepared.sample_weight.shape == (4,)


def test_validation_data_as_a_list_and_as_a_generator() -> None:
    listed = prepare_data(_cap(x=np.zeros((4, 1)), y=np.zeros(4), validation_data=[np.ones((3, 1)), np.ones(3)]), T)
    assert _by(listed, "validation_x").count == 3 and _by(listed, "validation_y").max == 1.0

    def val():
        for i in range(5):
            yield np.full((2, 1), float(i)), np.zeros(2)

    capture = _cap(x=np.zeros((4, 1)), y=np.zeros(4), validation_data=val())
    prepared = prepare_data(capture, Thresholds(max_scan_batches=2))
    assert _by(prepared, "validation_x").max == 1.0 and _by(prepared, "validation_x").scanned == "2 batches"
    assert [float(vx[0, 0]) for vx, _ in capture.validation_data] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_no_x_and_unreadable_data_are_unavailable_not_crashes() -> None:
    assert prepare_data(_cap(x=None), T).unavailable[0].check == "data checks"

    class Broken:
        def __iter__(self):
            raise RuntimeError("disk gone")

    prepared = prepare_data(_cap(x=Broken()), T)
    assert "disk gone" in prepared.unavailable[0].reason


# -- TensorFlow-backed forms -------------------------------------------------------------------------


def test_batched_dataset() -> None:
    tf = pytest.importorskip("tensorflow")
    x = np.arange(200, dtype="float32").reshape(100, 2)
    x[90, 1] = np.nan
    ds = tf.data.Dataset.from_tensor_slices((x, np.zeros(100))).batch(10)
    prepared = prepare_data(_cap(x=ds), Thresholds(max_scan_batches=20, batch_size=4))
    assert prepared.source == "dataset" and prepared.x.shape == (4, 2) and prepared.y.shape == (4,)
    sx = _by(prepared, "x")
    assert sx.scanned == "10 batches" and sx.first_nonfinite_index == 90


def test_unbatched_dataset_is_batched() -> None:
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    ds = tf.data.Dataset.from_tensor_slices((np.ones((50, 3), "float32"), np.zeros(50)))
    prepared = prepare_data(_cap(model=model, x=ds, batch_size=16), T)
    assert prepared.x.shape == (16, 3) and prepared.y.shape == (16,)


def test_pydataset_and_validation_dataset() -> None:
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")

    class Batches(keras.utils.PyDataset):
        def __len__(self) -> int:
            return 5

        def __getitem__(self, i: int):
            return np.full((6, 2), float(i)), np.full(6, 7.0)

    val = tf.data.Dataset.from_tensor_slices((np.ones((8, 2)), np.full(8, 2.0))).batch(4)
    prepared = prepare_data(_cap(x=Batches(), validation_data=val), T)
    assert prepared.source == "pydataset" and prepared.x.shape == (6, 2)
    assert _by(prepared, "x").max == 4.0 and _by(prepared, "x").scanned == "5 batches"
    assert _by(prepared, "validation_y").unique_values == [2.0]


def test_input_layers_name_what_first_reads_each_input() -> None:
    pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    seq = keras.Sequential([keras.Input((4,)), keras.layers.RandomFlip(), keras.layers.Rescaling(1 / 255),
                            keras.layers.Dense(2)])
    assert _by(prepare_data(_cap(model=seq, x=np.zeros((4, 4))), T), "x").input_layers == ["Rescaling"]
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Normalization()(a), keras.layers.Dense(2)(b)])
    func = keras.Model([a, b], keras.layers.Dense(1)(merged))
    prepared = prepare_data(_cap(model=func, x=[np.zeros((4, 4)), np.zeros((4, 3))]), T)
    assert _by(prepared, "x", "x[0]").input_layers == ["Normalization"]
    assert _by(prepared, "x", "x[1]").input_layers == ["Dense"]
    named = prepare_data(_cap(model=func, x={"b": np.zeros((4, 3)), "a": np.zeros((4, 4))}), T)
    assert _by(named, "x", "x['a']").input_layers == ["Normalization"]

    class Sub(keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    assert _by(prepare_data(_cap(model=Sub(), x=np.zeros((4, 2))), T), "x").input_layers is None


def test_class_weight_becomes_the_batch_sample_weights_as_keras_computes_them() -> None:
    ids = np.array([0, 1, 2, 1])
    sparse = prepare_data(_cap(x=np.zeros((4, 2)), y=ids, class_weight={0: 1.0, 1: 5.0}), T)
    assert sparse.sample_weight.tolist() == [1.0, 5.0, 1.0, 5.0]  # unlisted class 2 weighs 1, as in Keras
    onehot = prepare_data(_cap(x=np.zeros((4, 2)), y=np.eye(3)[ids], class_weight={2: 0.5}), T)
    assert onehot.sample_weight.tolist() == [1.0, 1.0, 0.5, 1.0]
    column = prepare_data(_cap(x=np.zeros((4, 2)), y=np.array([[0.0], [1.0], [1.0], [0.0]]),
                              class_weight={0: 1.0, 1: 4.0}), T)
    assert column.sample_weight.tolist() == [1.0, 4.0, 4.0, 1.0] and column.step_error is None


def test_class_weight_with_sample_weight_is_the_error_keras_raises() -> None:
    prepared = prepare_data(_cap(x=np.zeros((4, 2)), y=np.zeros(4), sample_weight=np.ones(4),
                                 class_weight={0: 2.0}), T)
    assert prepared.step_error is not None and prepared.step_error.argument == "class_weight"
    assert "cannot `class_weight` and `sample_weight`" in prepared.step_error.message
