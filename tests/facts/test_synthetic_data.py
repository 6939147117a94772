"""Data made in the file: scikit-learn generators, literal arrays, fills, ranges and random draws.

What each gives at ``fit`` (label kind, class count, value range) is what the label, class-count,
loss-task and output-range rules read, so these tests go through whole programs."""

from __future__ import annotations

import math
import textwrap

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.facts.model import DataFact


def fit_data(source: str) -> tuple[DataFact | None, DataFact | None]:
    """(x, y) of the last fit of the last model in ``source`` (a model is appended)."""
    program = textwrap.dedent(source) + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
        """)
    facts = extract_facts(cst.parse_module(program))
    fit = facts.models[-1].fits[-1]
    return fit.x, fit.y


def test_make_classification_labels_have_their_class_count() -> None:
    x, y = fit_data("""
        from sklearn.datasets import make_classification
        X, y = make_classification(n_samples=500, n_features=20, n_informative=5, n_classes=4)
        """)
    assert x is not None and x.role == "features"
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 4)
    assert y.values == frozenset({0, 1, 2, 3})


def test_make_blobs_centers_and_make_moons_default() -> None:
    _, y = fit_data("""
        from sklearn.datasets import make_blobs
        X, y = make_blobs(n_samples=300, centers=[[0, 0], [3, 3]], random_state=0)
        """)
    assert y is not None and y.num_classes == 2
    _, y = fit_data("""
        from sklearn import datasets
        X, y = datasets.make_blobs(n_samples=300)
        """)
    assert y is not None and y.num_classes == 3
    _, y = fit_data("""
        from sklearn.datasets import make_moons
        X, y = make_moons(n_samples=200, noise=0.1)
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 2)


def test_make_regression_targets_are_signed_and_unbounded_through_a_split() -> None:
    _, y = fit_data("""
        from sklearn.datasets import make_regression
        from sklearn.model_selection import train_test_split
        X_all, y_all = make_regression(n_samples=1000, n_features=8, noise=0.2)
        X, X_test, y, y_test = train_test_split(X_all, y_all, test_size=0.2)
        y = y.reshape(-1, 1)
        """)
    assert y is not None and y.label_kind == "continuous"
    assert y.bounds == (-math.inf, math.inf)


def test_load_iris_bunch_target() -> None:
    _, y = fit_data("""
        from sklearn.datasets import load_iris
        iris = load_iris()
        X, y = iris.data, iris.target
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 3)


def test_literal_xor_arrays_through_names() -> None:
    x, y = fit_data("""
        import numpy as np
        rows = [[0, 0], [0, 1], [1, 0], [1, 1]]
        X = np.array(rows)
        y = np.array([0, 1, 1, 0])
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 2) and y.values == frozenset({0, 1})
    assert x is not None and x.bounds == (0, 1)


def test_literal_one_hot_rows_and_continuous_values() -> None:
    _, y = fit_data("""
        import numpy as np
        X = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
        y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("onehot", 3)
    _, y = fit_data("""
        import numpy as np
        X = np.array([1, 2, 3, 4])
        y = np.array([2.5, 4.1, 6.2, 8.0])
        """)
    assert y is not None and y.label_kind == "continuous" and y.bounds == (2.5, 8.0)


def test_zeros_and_ones_concatenated_are_binary_targets() -> None:
    _, y = fit_data("""
        import numpy as np
        X = np.random.rand(200, 3)
        y = np.concatenate([np.zeros(100), np.ones(100)])
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 2) and y.values == frozenset({0, 1})


def test_labels_filled_in_a_loop_and_relabelled() -> None:
    _, y = fit_data("""
        import numpy as np
        X = np.random.rand(100, 4)
        y = np.zeros(100)
        for i in range(100):
            if X[i, 0] > 0.5:
                y[i] = 1
        """)
    assert y is not None and y.values == frozenset({0, 1})
    _, y = fit_data("""
        import numpy as np
        X = np.random.rand(3, 4)
        y = np.array(["R", "M", "R"])
        y[y == "R"] = 0
        y[y == "M"] = 1
        """)
    assert y is not None and y.values == frozenset({0, 1}) and y.label_kind == "integer"
    _, y = fit_data("""
        import numpy as np
        X = np.random.rand(10, 4)
        labels = []
        for name in names:
            if name == "setosa":
                labels.append(0)
            elif name == "versicolor":
                labels.append(1)
            else:
                labels.append(2)
        y = np.array(labels)
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 3)


def test_random_draws_and_arithmetic_on_ranges() -> None:
    x, y = fit_data("""
        import numpy as np
        X = np.linspace(0, 10, 100)
        y = 2 * X + 1 + np.random.normal(0, 0.1, 100)
        """)
    assert x is not None and x.bounds == (0, 10)
    assert y is not None and y.bounds is not None
    assert math.isclose(y.bounds[0], 0.7) and math.isclose(y.bounds[1], 21.3)
    _, y = fit_data("""
        import numpy as np
        X = np.arange(-5, 5, 0.1)
        y = np.sin(X) * 3
        """)
    assert y is not None and y.bounds == (-3.0, 3.0)
    x, y = fit_data("""
        import numpy as np
        X = np.random.randint(0, 1000, size=(100, 5))
        y = np.random.randint(0, 3, 100)
        """)
    assert x is not None and x.bounds == (0, 999)
    assert y is not None and (y.label_kind, y.num_classes) == ("integer", 3)


def test_scaler_ranges_and_unknown_operations_forget_the_range() -> None:
    _, y = fit_data("""
        import numpy as np
        from sklearn.preprocessing import MinMaxScaler
        X = np.random.rand(100, 3)
        y = MinMaxScaler(feature_range=(-1, 1)).fit_transform(np.random.rand(100, 1) * 50)
        """)
    assert y is not None and y.bounds == (-1, 1)
    _, y = fit_data("""
        import numpy as np
        X = np.random.rand(100, 3)
        y = np.cumsum(np.random.rand(100))
        """)
    assert y is None or y.bounds is None


def test_random_choice_of_one_element_is_that_element() -> None:
    _, y = fit_data("""
        import random
        import numpy as np
        X = np.random.rand(6, 2)
        y = np.array([random.choice([1]) for _ in range(6)])
        """)
    assert y is not None and y.values == frozenset({1})


def test_keras_dataset_pixels_and_housing_targets_have_ranges() -> None:
    x, y = fit_data("""
        from tensorflow import keras
        (X, y), _ = keras.datasets.boston_housing.load_data()
        """)
    assert y is not None and y.bounds == (5.0, 50.0)
    x, y = fit_data("""
        from tensorflow import keras
        (X, _), _ = keras.datasets.mnist.load_data()
        X = X.astype("float32") / 255.0
        y = X
        """)
    assert x is not None and x.bounds == (0.0, 1.0)


def test_a_filled_table_of_rank_two_is_not_class_indexes() -> None:
    """np.zeros((n, k)) filled with ones at class positions is one-hot (char-RNN targets)."""
    _, y = fit_data("""
        import numpy as np
        X = np.zeros((len(sentences), maxlen, len(chars)), dtype="bool")
        y = np.zeros((len(sentences), len(chars)), dtype="bool")
        for i, sentence in enumerate(sentences):
            y[i, char_indices[next_chars[i]]] = 1
        """)
    assert y is not None and y.label_kind is None and y.num_classes is None


def test_a_frame_column_read_as_an_attribute_has_its_name() -> None:
    _, y = fit_data("""
        import pandas as pd
        df = pd.read_csv("train.csv")
        X = df.drop("SalePrice", axis=1).values
        y = df.SalePrice.values
        shape = df.shape
        """)
    assert y is not None and (y.role, y.column_name) == ("column", "SalePrice")


def test_one_hot_encoder_through_a_frame_and_a_column_block() -> None:
    _, y = fit_data("""
        import pandas as pd
        from sklearn.preprocessing import OneHotEncoder
        df = pd.read_csv("iris.csv")
        X = df.iloc[:, 0:4].values
        encoded = OneHotEncoder().fit_transform(df[["species"]]).toarray()
        y = pd.DataFrame(encoded).iloc[:, 0:3].values
        """)
    assert y is not None and (y.label_kind, y.num_classes) == ("onehot", 3)


def test_literal_lists_given_to_from_tensor_slices_are_arrays() -> None:
    program = textwrap.dedent("""
        import tensorflow as tf
        features = [[1.0, 1.5], [2.0, 2.5], [3.0, 3.5]]
        labels = [0, 0, 1]
        dataset = tf.data.Dataset.from_tensor_slices((features, labels)).batch(1)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
        model.fit(dataset, epochs=5)
        """)
    fit = extract_facts(cst.parse_module(program)).models[-1].fits[-1]
    assert fit.y is not None and fit.y.values == frozenset({0, 1})
    assert fit.x is not None and fit.x.bounds == (1.0, 3.5)
