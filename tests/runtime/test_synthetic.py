"""--synthetic-data: offline load_data() fakes with the real shapes, dtypes, ranges and class counts."""

from __future__ import annotations

from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from kerascheck.runtime import synthetic  # noqa: E402
from kerascheck.runtime.synthetic import LOADERS  # noqa: E402

N = 256  # --max-samples in the shape tests (the defaults are the real sizes, tested once below)


def test_default_sizes_are_the_real_datasets_sizes() -> None:
    """Scripts hard-code them: x_train.reshape((60000, 28 * 28)) must work on the fake too."""
    (x, y), (xt, yt) = LOADERS["mnist"](None)
    assert x.shape == (60_000, 28, 28) and xt.shape == (10_000, 28, 28)
    assert x.reshape((60000, 28 * 28)).shape == (60_000, 784)
    (x, _), (xt, _) = LOADERS["boston_housing"](None)
    assert (len(x), len(xt)) == (404, 102)
    (x, _), (xt, _) = LOADERS["reuters"](None)
    assert (len(x), len(xt)) == (8_982, 2_246)


def test_word_indexes_are_faked() -> None:
    index = synthetic.WORD_INDEXES["imdb"]()
    assert len(index) == 88_584 and index["word1"] == 1


def _check_images(split: tuple, shape: tuple, classes: int, label_shape: tuple, label_dtype: str) -> None:
    (x_train, y_train), (x_test, y_test) = split
    assert x_train.shape == (N, *shape) and x_test.shape == (N // 4, *shape)
    assert x_train.dtype == np.uint8 and x_train.min() == 0 and x_train.max() == 255
    assert y_train.shape == (N, *label_shape) and y_train.dtype == np.dtype(label_dtype)
    assert set(np.unique(y_train)) <= set(range(classes)) and len(np.unique(y_train)) > classes // 2


def test_image_datasets() -> None:
    _check_images(LOADERS["mnist"](N), (28, 28), 10, (), "uint8")
    _check_images(LOADERS["fashion_mnist"](N), (28, 28), 10, (), "uint8")
    _check_images(LOADERS["cifar10"](N), (32, 32, 3), 10, (1,), "uint8")
    _check_images(LOADERS["cifar100"](N), (32, 32, 3), 100, (1,), "int64")
    (_, coarse), _ = LOADERS["cifar100"](N, label_mode="coarse")
    assert coarse.max() < 20
    with pytest.raises(ValueError):
        LOADERS["cifar100"](N, label_mode="medium")
    # MNIST-like digits are mostly background, as the real ones (about 19% non-zero pixels)
    (x, _), _ = LOADERS["mnist"](N)
    assert 0.05 < (x > 0).mean() < 0.4


def test_text_datasets_follow_the_loaders_arguments() -> None:
    (x, y), (xt, yt) = LOADERS["imdb"](N)
    assert x.dtype == object and isinstance(x[0], list) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1} and len(x) == N and len(xt) == N // 4
    assert all(seq[0] == 1 for seq in x)  # start_char
    (x, _), _ = LOADERS["imdb"](N, num_words=1000)
    words = [w for seq in x for w in seq]
    assert max(words) < 1000 and 2 in words  # rare words became oov_char
    (x, _), _ = LOADERS["imdb"](N, num_words=1000, maxlen=50)
    assert all(len(seq) < 50 for seq in x)
    (x, _), _ = LOADERS["imdb"](N, num_words=100, oov_char=None, start_char=None)
    assert all(3 <= w < 100 for seq in x for w in seq)  # index_from=3, oov dropped
    (x, y), (xt, _) = LOADERS["reuters"](100, test_split=0.5)
    assert len(x) == 100 and len(xt) == 100
    assert y.min() >= 0 and y.max() <= 45 and len(np.unique(y)) > 20


def test_tabular_datasets() -> None:
    (x, y), (xt, yt) = LOADERS["boston_housing"](N)
    assert x.shape == (N, 13) and x.dtype == np.float64 and xt.shape[1] == 13
    assert y.min() >= 5 and y.max() <= 50 and 15 < y.mean() < 30
    assert x[:, 9].min() > 180 and x[:, 9].max() < 720  # TAX: hundreds, unlike NOX (< 1): unscaled features
    assert x[:, 4].max() < 1 and set(np.unique(x[:, 3])) <= {0.0, 1.0}
    (x, y), _ = LOADERS["california_housing"](N)
    assert x.shape == (N, 8) and 14999 <= y.min() and y.max() <= 500001
    assert x[:, 4].max() > 1000 and -125 < x[:, 7].min() < x[:, 7].max() < -114  # population, longitude
    (x, _), (xt, _) = LOADERS["california_housing"](2000, version="small")
    assert len(x) + len(xt) == 600 and len(x) == 480


def test_max_samples_and_determinism() -> None:
    (x, y), (xt, _) = LOADERS["mnist"](40)
    assert len(x) == 40 and len(xt) == 10
    (x2, y2), _ = LOADERS["mnist"](40)
    assert (x == x2).all() and (y == y2).all()
    assert synthetic.sizes(None, (60_000, 10_000)) == (60_000, 10_000)


def test_installed_into_every_keras_datasets_module(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    import keras
    import keras.src.datasets.mnist as src_mnist

    from kerascheck.runtime.harness import RunOptions, run_script

    script = tmp_path / "load.py"
    script.write_text(
        "import keras, tensorflow as tf\n"
        "from keras.datasets import mnist\n"
        "(a, b), _ = mnist.load_data()\n"
        "(c, d), _ = tf.keras.datasets.cifar10.load_data()\n"
        "(e, f), _ = keras.datasets.imdb.load_data(num_words=500)\n"
        "SHAPES = (a.shape, c.shape, d.shape, len(e))\n"
        "assert max(max(s) for s in e) < 500\n"
        "raise SystemExit(0 if SHAPES == ((30, 28, 28), (30, 32, 32, 3), (30, 1), 30) else 5)\n")
    outcome = run_script(str(script), options=RunOptions(synthetic_data=True, max_samples=30))
    assert (outcome.status, outcome.exit_code) == ("script_exit", 0), outcome.error
    assert src_mnist.load_data.__module__ == "keras.src.datasets.mnist"  # restored after the run
    assert keras.datasets.mnist.load_data is src_mnist.load_data
