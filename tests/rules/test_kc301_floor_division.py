"""KC301 on image pixels divided with ``//``: floor division leaves only 0 and 1."""

from __future__ import annotations

from kerascheck.testing import codes_and_lines, lint_snippet


def kc301(source: str) -> list[tuple[str, int]]:
    return codes_and_lines(source, select=["KC301"])


def test_in_place_floor_division_of_uint8_digits() -> None:
    src = """\
        from tensorflow import keras

        (train_images, train_labels), _ = keras.datasets.mnist.load_data()
        train_images //= 255
        model = keras.Sequential([
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(train_images, train_labels, epochs=3)
        """
    assert kc301(src) == [("KC301", 11)]
    assert "0 or 1" in lint_snippet(src, select=["KC301"])[0].message


def test_floor_division_reported_even_with_a_normalization_layer() -> None:
    src = """\
        import numpy as np
        import keras

        (xs, ys), _ = keras.datasets.cifar10.load_data()
        xs = (xs // 255.0).astype(np.float32)
        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            keras.layers.BatchNormalization(),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(xs, ys)
        """
    assert kc301(src) == [("KC301", 14)]


def test_true_division_in_place_or_not_is_clean() -> None:
    src = """\
        from tensorflow import keras

        (a, ya), (b, yb) = keras.datasets.fashion_mnist.load_data()
        a = a.astype("float32")
        a /= 255
        b = b / 255.0
        model = keras.Sequential([
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(a, ya, validation_data=(b, yb))
        model.fit(b, yb)
        """
    assert kc301(src) == []


def test_floor_division_by_a_small_step_or_of_labels_is_not_this_finding() -> None:
    src = """\
        from tensorflow import keras

        (x, y), _ = keras.datasets.mnist.load_data()
        coarse = x // 2
        model = keras.Sequential([
            keras.layers.Rescaling(1.0 / 127),
            keras.layers.Flatten(),
            keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(coarse, y // 2)
        """
    assert kc301(src) == []
