"""``--synthetic-data``: ``keras.datasets.*.load_data`` replaced by offline arrays of the real form.

Many training scripts start with ``keras.datasets.mnist.load_data()``; in CI or an offline sandbox
that download fails, and the runtime checks never reach ``fit``. The checks do not need the real
images, they need what the model will really be fed: the shapes, dtypes, value ranges and class counts
(uint8 pixels 0-255 that the script may forget to scale, integer labels 0-9, word indices below
``num_words``). Each fake honours its loader's arguments (``num_words``, ``skip_top``, ``maxlen``,
``start_char``/``oov_char``/``index_from``, ``test_split``, ``label_mode``, ``version``) the way Keras
does, and is seeded, so two runs see the same data.

Sizes: by default the real datasets' own example counts (60,000 MNIST training images...), because
scripts hard-code them (``x_train.reshape((60000, 28 * 28))``) and would fail on anything else; the
checks scan whole arrays in well under a second at that size. ``--max-samples N`` gives N training
and N // 4 test examples instead (loaders with ``test_split`` split that total) for faster runs of
scripts that do not hard-code sizes. ``get_word_index`` of imdb/reuters is faked too (a rank per word).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Callable

import numpy as np

from kerascheck.runtime.patching import Patches

__all__ = ["LOADERS", "install", "DEFAULT_TRAIN", "DEFAULT_TEST", "sizes"]

DEFAULT_TRAIN = 256
DEFAULT_TEST = 64
_SEED = 1234
_CHUNK = 4096
Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def sizes(max_samples: int | None, real: tuple[int, int] = (DEFAULT_TRAIN, DEFAULT_TEST)) -> tuple[int, int]:
    """(train, test) example counts for a ``--max-samples`` value (``None``: the dataset's ``real`` sizes)."""
    if max_samples is None:
        return real
    train = max(1, int(max_samples))
    return train, max(1, train // 4)


def _split_sizes(max_samples: int | None, test_split: float, real_total: int | None = None) -> tuple[int, int]:
    """Loaders with ``test_split``: a total whose training share is ``max_samples`` (or the dataset's real
    total), split as Keras does."""
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 and 1 (exclusive of 1).")
    if max_samples is None and real_total is not None:
        total = real_total
        cut = int(total * (1 - test_split))
        return cut, total - cut
    train, _ = sizes(max_samples)
    total = max(train, int(round(train / (1 - test_split))))
    cut = int(total * (1 - test_split))
    return cut, total - cut


def _images(rng: np.random.Generator, labels: np.ndarray, shape: tuple[int, ...], classes: int,
            sparse: bool) -> np.ndarray:
    """uint8 images whose content depends on the label (a model can learn them), full 0-255 range.

    ``sparse`` images (MNIST-like) are mostly black with bright strokes; others are dense natural-ish
    textures. Each class has a fixed template; examples are the template plus noise.
    """
    templates = rng.random((classes, *shape))
    if sparse:
        templates = np.where(templates > 0.8, 255.0, 0.0)
    else:
        templates = templates * 255.0
    templates = templates.astype(np.float32)
    out = np.empty((len(labels), *shape), dtype=np.uint8)
    for start in range(0, len(labels), _CHUNK):  # bounded float32 temporaries, even for 60,000 images
        part = labels[start:start + _CHUNK]
        images = templates[part] + rng.normal(0.0, 40.0, (len(part), *shape)).astype(np.float32)
        if sparse:
            images = np.where(templates[part] > 0, images, 0.0)
        out[start:start + len(part)] = np.clip(images, 0, 255)
    return out


def _image_loader(shape: tuple[int, ...], classes: int, sparse: bool, label_shape: str,
                  real: tuple[int, int]) -> Callable[..., Split]:
    def load(max_samples: int | None, classes: int = classes) -> Split:
        rng = np.random.default_rng(_SEED)
        out = []
        for count in sizes(max_samples, real):
            labels = rng.integers(0, classes, count)
            x = _images(rng, labels, shape, classes, sparse)
            y = labels.astype(np.uint8) if label_shape == "flat" else labels.reshape(-1, 1).astype(
                np.uint8 if label_shape == "column_uint8" else np.int64)
            out.append((x, y))
        return out[0], out[1]

    return load


_mnist = _image_loader((28, 28), 10, sparse=True, label_shape="flat", real=(60_000, 10_000))
_cifar10 = _image_loader((32, 32, 3), 10, sparse=False, label_shape="column_uint8", real=(50_000, 10_000))
_cifar100 = _image_loader((32, 32, 3), 100, sparse=False, label_shape="column_int64", real=(50_000, 10_000))


def mnist(max_samples: int | None, path: str = "mnist.npz") -> Split:
    return _mnist(max_samples)


def fashion_mnist(max_samples: int | None) -> Split:
    return _mnist(max_samples)


def cifar10(max_samples: int | None) -> Split:
    return _cifar10(max_samples)


def cifar100(max_samples: int | None, label_mode: str = "fine") -> Split:
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    return _cifar100(max_samples, classes=100 if label_mode == "fine" else 20)


def _sequences(rng: np.random.Generator, count: int, vocabulary: int, labels: np.ndarray,
               lengths: tuple[int, int]) -> list[list[int]]:
    """Word ranks 1..vocabulary drawn Zipf-like (frequent words dominate, as in real text)."""
    out = []
    for label in labels:
        length = int(rng.integers(*lengths))
        ranks = np.minimum(rng.zipf(1.3, length), vocabulary)
        # a label-dependent share of "topic" words keeps the task learnable
        topic = rng.random(length) < 0.2
        ranks[topic] = (int(label) * 37 + rng.integers(1, 30, int(topic.sum()))) % vocabulary + 1
        out.append([int(r) for r in ranks])
    return out


def _text_loader(vocabulary: int, classes: int, lengths: tuple[int, int], real: tuple[int, int]
                 ) -> Callable[..., Split]:
    def load(max_samples: int | None, path: str = "", num_words: int | None = None, skip_top: int = 0,
             maxlen: int | None = None, seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2,
             index_from: int = 3, test_split: float | None = None, **kwargs: Any) -> Split:
        rng = np.random.default_rng(_SEED + seed)
        train, test = (sizes(max_samples, real) if test_split is None
                       else _split_sizes(max_samples, test_split, real[0] + real[1]))
        labels = rng.integers(0, classes, train + test)
        xs = _sequences(rng, train + test, vocabulary, labels, lengths)
        if start_char is not None:
            xs = [[start_char, *(w + index_from for w in x)] for x in xs]
        elif index_from:
            xs = [[w + index_from for w in x] for x in xs]
        if maxlen:
            kept = [(x, label) for x, label in zip(xs, labels) if len(x) < maxlen]
            if not kept:
                raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen.")
            xs, labels = [x for x, _ in kept], np.array([label for _, label in kept])
        limit = num_words or max(max(x) for x in xs)
        if oov_char is not None:
            xs = [[w if skip_top <= w < limit else oov_char for w in x] for x in xs]
        else:
            xs = [[w for w in x if skip_top <= w < limit] for x in xs]
        cut = min(train, len(xs))
        data = np.empty(len(xs), dtype=object)
        data[:] = xs
        labels = labels.astype(np.int64)
        return (data[:cut], labels[:cut]), (data[cut:], labels[cut:])

    return load


imdb = _text_loader(vocabulary=88584, classes=2, lengths=(20, 240), real=(25_000, 25_000))
_reuters = _text_loader(vocabulary=30979, classes=46, lengths=(10, 150), real=(8_982, 2_246))


def word_index(vocabulary: int) -> Callable[..., dict[str, int]]:
    """``get_word_index()``: a word per rank, as the real index maps each word to its frequency rank."""
    def get_word_index(path: str = "") -> dict[str, int]:
        return {f"word{rank}": rank for rank in range(1, vocabulary + 1)}

    return get_word_index


WORD_INDEXES = {"imdb": word_index(88584), "reuters": word_index(30979)}


def reuters(max_samples: int | None, path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
            maxlen: int | None = None, test_split: float = 0.2, seed: int = 113, start_char: int | None = 1,
            oov_char: int | None = 2, index_from: int = 3) -> Split:
    return _reuters(max_samples, path, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from,
                    test_split=test_split)


# Boston housing's 13 features: (low, high) of each, as in the real data (CRIM ... LSTAT).
_BOSTON = ((0.006, 89.0), (0.0, 100.0), (0.46, 27.7), (0.0, 1.0), (0.385, 0.871), (3.56, 8.78),
           (2.9, 100.0), (1.13, 12.1), (1.0, 24.0), (187.0, 711.0), (12.6, 22.0), (0.32, 396.9),
           (1.73, 37.97))
# California housing's 8 features (MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup, Lat, Lon).
_CALIFORNIA = ((0.5, 15.0), (1.0, 52.0), (0.85, 12.0), (0.33, 3.0), (3.0, 35682.0), (0.7, 10.0),
               (32.54, 41.95), (-124.35, -114.31))


def _table(rng: np.random.Generator, count: int, ranges: tuple[tuple[float, float], ...],
           binary: tuple[int, ...] = ()) -> np.ndarray:
    low = np.array([r[0] for r in ranges])
    high = np.array([r[1] for r in ranges])
    # skewed toward the low end, as counts and prices are
    x = low + (high - low) * rng.beta(1.5, 4.0, (count, len(ranges)))
    for column in binary:
        x[:, column] = rng.random(count) < 0.07
    return x


def boston_housing(max_samples: int | None, path: str = "boston_housing.npz", test_split: float = 0.2,
                   seed: int = 113) -> Split:
    rng = np.random.default_rng(_SEED + seed)
    train, test = _split_sizes(max_samples, test_split, real_total=506)
    x = _table(rng, train + test, _BOSTON, binary=(3,))
    x[:, 5] = np.clip(rng.normal(6.28, 0.7, len(x)), *_BOSTON[5])  # RM: rooms cluster around 6
    # price in $1000s: rises with rooms (RM), falls with lower-status share (LSTAT)
    y = np.clip(22.5 + 8.0 * (x[:, 5] - 6.3) - 0.6 * (x[:, 12] - 12.6) + rng.normal(0, 3, len(x)), 5.0, 50.0)
    return (x[:train], y[:train]), (x[train:], y[train:])


def california_housing(max_samples: int | None, version: str = "large", path: str = "california_housing.npz",
                       test_split: float = 0.2, seed: int = 113) -> Split:
    if version not in ("large", "small"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    rng = np.random.default_rng(_SEED + seed)
    if version == "small":  # 600 rows in all: the training share never exceeds 600 * (1 - test_split)
        cap = int(600 * (1 - test_split))
        max_samples = min(max_samples, cap) if max_samples is not None else cap
    train, test = _split_sizes(max_samples, test_split, real_total=None if version == "small" else 20_640)
    x = _table(rng, train + test, _CALIFORNIA).astype(np.float32)
    # median house value in dollars, driven by income, capped at 500,001 as in the census data
    y = np.clip(20000.0 + 40000.0 * x[:, 0] + rng.normal(0, 30000, len(x)), 14999.0, 500001.0).astype(np.float32)
    return (x[:train], y[:train]), (x[train:], y[train:])


LOADERS: dict[str, Callable[..., Split]] = {
    "mnist": mnist, "fashion_mnist": fashion_mnist, "cifar10": cifar10, "cifar100": cifar100, "imdb": imdb,
    "reuters": reuters, "boston_housing": boston_housing, "california_housing": california_housing,
}
# Where a ``datasets`` package may live: Keras 3's public API, its sources, tf.keras's view, tf_keras.
_PACKAGES = {"keras": ("keras.datasets", "keras.src.datasets", "keras._tf_keras.keras.datasets"),
             "tf_keras": ("tf_keras.datasets", "tf_keras.src.datasets")}


def install(package: ModuleType, patches: Patches, max_samples: int | None) -> list[str]:
    """Replace ``load_data`` in every datasets module of ``package`` that exists; returns their names."""
    replaced = []
    for prefix in _PACKAGES.get(package.__name__, ()):
        for name, fake in LOADERS.items():
            try:
                module = importlib.import_module(f"{prefix}.{name}")
            except ImportError:
                continue
            if hasattr(module, "load_data"):
                patches.set(module, "load_data", _bound(fake, max_samples, name))
                replaced.append(module.__name__)
            if name in WORD_INDEXES and hasattr(module, "get_word_index"):
                patches.set(module, "get_word_index", WORD_INDEXES[name])
    return replaced


def _bound(fake: Callable[..., Split], max_samples: int | None, name: str) -> Callable[..., Split]:
    def load_data(*args: Any, **kwargs: Any) -> Split:
        return fake(max_samples, *args, **kwargs)

    load_data.__doc__ = f"kerascheck --synthetic-data: offline {name} arrays of the real shapes and ranges."
    return load_data
