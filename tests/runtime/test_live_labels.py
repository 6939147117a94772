"""live_labels: the live fit targets as the static pass's label kinds (strict: a regression stays one)."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")

from kerascheck.facts.model import Loc  # noqa: E402
from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.data_stats import array_stats  # noqa: E402
from kerascheck.runtime.live_labels import label_fact, label_kind  # noqa: E402
from kerascheck.runtime.thresholds import Thresholds  # noqa: E402

rng = np.random.default_rng(0)


def _kind(y):
    return label_kind(array_stats("y", "y", np.asarray(y)), Thresholds())


def test_onehot_rows_give_their_width():
    y = np.eye(4, dtype="float32")[rng.integers(0, 4, 50)]
    assert _kind(y) == ("onehot", 4)


def test_multilabel_rows_do_not_sum_to_one():
    y = (rng.random((50, 3)) > 0.5).astype("float32")
    y[0] = [1, 1, 0]
    assert _kind(y) == ("multilabel", None)


def test_soft_labels_are_not_onehot():
    assert _kind(np.full((10, 4), 0.25)) == ("continuous", None)


def test_integer_class_ids():
    assert _kind(rng.integers(0, 10, 100)) == ("integer", 10)
    assert _kind(rng.integers(0, 5, (100, 1))) == ("integer", 5)


def test_binary_labels():
    assert _kind(np.array([0, 1, 1, 0])) == ("binary", 2)
    assert _kind(np.array([[0.0], [1.0]])) == ("binary", 2)


def test_regression_targets_stay_continuous():
    assert _kind(rng.normal(size=100)) == ("continuous", None)
    assert _kind(np.array([-1, 2, 3])) == ("continuous", None)  # negative: not a class id
    # Integral floats with many distinct values are counts or prices, not classes.
    assert _kind(rng.integers(0, 1000, 500).astype("float32")) == ("continuous", None)
    # A few integral float values are class ids written as floats.
    assert _kind(np.array([0.0, 2.0, 1.0, 2.0])) == ("integer", 3)


def test_strings_are_not_classified():
    assert _kind(np.array(["a", "b"])) == (None, None)


def test_label_fact_from_capture_arrays():
    loc = Loc(file="train.py", line=3)
    fact = label_fact(Capture(model=None, x=np.zeros((6, 2)), y=np.eye(3)[[0, 1, 2, 0, 1, 2]]), loc)
    assert (fact.origin, fact.role, fact.label_kind, fact.num_classes, fact.loc) == (
        "runtime", "labels", "onehot", 3, loc)


def test_label_fact_none_without_targets_or_with_several():
    loc = Loc(file="train.py", line=3)
    assert label_fact(Capture(model=None, x=np.zeros((4, 2))), loc) is None
    several = Capture(model=None, x=np.zeros((4, 2)), y=[np.zeros(4), np.ones(4)])
    assert label_fact(several, loc) is None


def test_label_fact_from_generator_keeps_it_whole_and_leaves_classes_unknown():
    batches = [(np.zeros((4, 2)), np.array([0, 3, 1, 2])) for _ in range(3)]
    capture = Capture(model=None, x=iter(batches))
    fact = label_fact(capture, Loc(file="train.py", line=3))
    assert fact.label_kind == "integer"
    assert fact.num_classes is None  # first batches only: the top class may not be among them
    assert len(list(capture.x)) == 3  # prepare_data put the taken batches back
