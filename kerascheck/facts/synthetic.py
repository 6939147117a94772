"""Data made in the file itself: scikit-learn's generators and toy loaders, NumPy arrays written as
literals, ranges, constant fills and random draws, and the arithmetic that turns them into targets.

Stack Overflow questions rarely load a real dataset: they make one (``make_regression``,
``np.linspace``, ``np.array([[0, 0], [0, 1], ...])``, ``np.random.randint(0, 2, 100)``). What such
data *is* (class labels and how many classes, signed continuous targets, the interval its values lie
in) is visible in the call, and the label, loss and output-range rules need exactly that. Each
function returns ``None`` when the call is not one it models, so ``dataflow`` carries on.

Bounds are practical ranges, not mathematical ones: a Gaussian draw ``normal(loc, scale)`` counts as
``loc ± 3 scale`` (so ``3 * x + 0.1 * randn()`` stays positive when ``x`` is), while
``make_regression`` targets are ``(-inf, inf)`` (Gaussian features times coefficients up to 100).
"""

from __future__ import annotations

import math
from typing import Any

from kerascheck.facts.model import Loc
from kerascheck.facts.values import UNK, DataV, Seq, const_number

INF = math.inf
Bounds = tuple[float, float]
MAX_VALUES = 64  # value sets larger than this are forgotten (only the bounds are kept)
_MAX_LITERAL = 4096  # literal elements read from one np.array([...]) call

# sklearn classification generators -> (their class-count keyword, default count).
_CLASSIFIERS = {
    "make_classification": ("n_classes", 2),
    "make_blobs": ("centers", 3),
    "make_moons": (None, 2),
    "make_circles": (None, 2),
    "make_gaussian_quantiles": ("n_classes", 3),
    "make_multilabel_classification": ("n_classes", 5),
}
# sklearn toy loaders: class count, or None with the targets' range for a regression set.
_LOADERS: dict[str, tuple[int | None, Bounds | None]] = {
    "load_iris": (3, None), "load_digits": (10, None), "load_wine": (3, None),
    "load_breast_cancer": (2, None), "load_diabetes": (None, (25.0, 346.0)),
    "fetch_california_housing": (None, (0.15, 5.0)),
}
_RANDOM_UNIT = frozenset({"rand", "random", "random_sample", "ranf", "sample"})
_RANDOM_NORMAL = frozenset({"randn", "standard_normal"})


def library_call(short: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                 loc: Loc) -> Any:
    """The data a generator, literal array, fill or draw makes; None if not one of those."""
    root = name.split(".")[0]
    if root == "sklearn" and ".datasets." in name:
        return _sklearn(short, args, kwargs, loc)
    if root == "random" and short == "choice" and args and isinstance(args[0], Seq) and (
            len(args[0].items) == 1 and not args[0].appended):
        return args[0].items[0]  # random.choice(["spam"]): always that one value
    if root not in ("numpy", "np"):
        return None
    if ".random." in name:
        return _random(short, args, kwargs, loc)
    if short in ("array", "asarray") and args and isinstance(args[0], Seq):
        return literal_array(args[0], loc)
    if short in ("zeros", "ones", "full", "zeros_like", "ones_like", "full_like"):
        fill = 0 if short.startswith("zeros") else 1 if short.startswith("ones") else (
            args[1] if len(args) > 1 else kwargs.get("fill_value"))
        if const_number(fill) is None:
            return None
        if short.endswith("_like") and not isinstance(args[0] if args else None, DataV):
            return None
        shape = None if short.endswith("_like") else (args[0] if args else kwargs.get("shape"))
        data = _constant_fill(fill, _columns_of(shape), loc)
        if not isinstance(shape, int) and not (isinstance(shape, Seq) and len(shape.items) == 1):
            # np.zeros((n, len(chars))) filled with y[i, index[c]] = 1 is one-hot, not 0/1
            # class indexes: of an array of rank 2 or more (or unknown) the values say nothing.
            return data.derive(label_kind=None, num_classes=None, columns=data.columns,
                               bounds=data.bounds, values=data.values)
        return data
    if short in ("linspace", "arange"):
        numbers = [const_number(a) for a in args[:2]]
        if short == "arange" and len(args) == 1 and numbers[0] is not None:
            numbers = [0.0, numbers[0]]
        if len(numbers) < 2 or None in numbers:
            return None
        lo, hi = sorted(numbers)  # type: ignore[type-var]
        return DataV("generated", loc, bounds=(lo, hi), label_kind="continuous")
    return None


def _sklearn(short: str, args: tuple[Any, ...], kwargs: dict[str, Any], loc: Loc) -> Any:
    columns = kwargs.get("n_features")
    features = DataV("synthetic", loc, role="features",
                     columns=columns if isinstance(columns, int) and columns > 0 else None)
    if short == "make_regression":
        targets = kwargs.get("n_targets", 1)
        labels = DataV("synthetic", loc, role="labels", label_kind="continuous",
                       bounds=(-INF, INF),
                       columns=targets if isinstance(targets, int) and targets > 1 else None)
        extra = [UNK] if kwargs.get("coef") is True else []
        return Seq([features, labels] + extra)
    if short in _CLASSIFIERS:
        keyword, default = _CLASSIFIERS[short]
        given = kwargs.get(keyword, default) if keyword is not None else default
        if keyword == "centers" and isinstance(given, Seq) and not given.appended:
            given = len(given.items)
        if keyword == "centers" and given is None:
            given = default
        count = given if isinstance(given, int) and not isinstance(given, bool) and given > 0 else None
        if short == "make_multilabel_classification":
            labels = DataV("synthetic", loc, role="labels", label_kind="multilabel",
                           num_classes=count, columns=count, values=frozenset({0, 1}), bounds=(0, 1))
        else:
            labels = class_labels(count, loc, "synthetic")
        return Seq([features, labels] + ([UNK] if kwargs.get("return_centers") is True else []))
    if short in _LOADERS:
        classes, target_bounds = _LOADERS[short]
        features = DataV("synthetic", loc, role="features")
        if classes is not None:
            labels = class_labels(classes, loc, "synthetic")
        else:
            labels = DataV("synthetic", loc, role="labels", label_kind="continuous",
                           bounds=target_bounds)
        if kwargs.get("return_X_y") is True or (args and args[0] is True):
            return Seq([features, labels])
        return DataV("synthetic", loc, role="dataset", parts=(features, labels))
    return None


def class_labels(count: int | None, loc: Loc, origin: str) -> DataV:
    """Integer class labels 0..count-1 of shape (n,)."""
    values = frozenset(range(count)) if count is not None and count <= MAX_VALUES else None
    return DataV(origin, loc, role="labels", label_kind="integer", num_classes=count,
                 values=values, bounds=(0, count - 1) if count is not None else None)


def _random(short: str, args: tuple[Any, ...], kwargs: dict[str, Any], loc: Loc) -> Any:
    """``np.random.*`` draws: their practical range (see the module docstring)."""
    size = kwargs.get("size")
    if short in _RANDOM_UNIT:
        columns = args[1] if short == "rand" and len(args) == 2 else _columns_of(
            args[0] if args and short != "rand" else size)
        return _ranged((0.0, 1.0), _int_or_none(columns), loc)
    if short in _RANDOM_NORMAL:
        columns = args[1] if short == "randn" and len(args) == 2 else None
        return _ranged((-3.0, 3.0), _int_or_none(columns), loc)
    if short == "normal":
        mean = const_number(kwargs.get("loc", args[0] if args else 0.0))
        scale = const_number(kwargs.get("scale", args[1] if len(args) > 1 else 1.0))
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        if mean is None or scale is None:
            return DataV("random", loc, columns=_columns_of(size))
        return _ranged((mean - 3 * abs(scale), mean + 3 * abs(scale)), _columns_of(size), loc)
    if short == "uniform":
        low = const_number(kwargs.get("low", args[0] if args else 0.0))
        high = const_number(kwargs.get("high", args[1] if len(args) > 1 else 1.0))
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        if low is None or high is None:
            return DataV("random", loc, columns=_columns_of(size))
        return _ranged((min(low, high), max(low, high)), _columns_of(size), loc)
    if short in ("randint", "random_integers"):
        low = kwargs.get("low", args[0] if args else None)
        high = kwargs.get("high", args[1] if len(args) > 1 else None)
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        if high is None and isinstance(low, int):
            low, high = 0, low
        if not (isinstance(low, int) and isinstance(high, int)) or high <= low:
            return DataV("random", loc, columns=_columns_of(size))
        top = high if short == "random_integers" else high - 1
        return integers(low, top, _columns_of(size), loc, "random")
    if short == "choice" and args and isinstance(args[0], Seq) and not args[0].appended:
        options = args[0].items
        if options and all(_is_value(v) for v in options):
            size = kwargs.get("size", args[1] if len(args) > 1 else None)
            return from_values(frozenset(options), _columns_of(size), loc, "random")
    if short == "binomial":
        trials = kwargs.get("n", args[0] if args else None)
        size = kwargs.get("size", args[2] if len(args) > 2 else None)
        if isinstance(trials, int) and trials >= 1:
            return integers(0, trials, _columns_of(size), loc, "random")
    return None


def integers(low: int, high: int, columns: int | None, loc: Loc, origin: str) -> DataV:
    """Integers in [low, high]: class labels when they start at 0 and are few."""
    if high - low + 1 <= MAX_VALUES:
        return from_values(frozenset(range(low, high + 1)), columns, loc, origin)
    return DataV(origin, loc, bounds=(float(low), float(high)), columns=columns)


def _ranged(bounds: Bounds, columns: int | None, loc: Loc) -> DataV:
    return DataV("random", loc, bounds=bounds, columns=columns, label_kind="continuous")


def _constant_fill(fill: Any, columns: int | None, loc: Loc) -> DataV:
    return from_values(frozenset({fill}), columns, loc, "literal")


def from_values(values: frozenset[Any], columns: int | None, loc: Loc, origin: str) -> DataV:
    """An array whose values are exactly ``values``, with the label kind they imply."""
    numbers = [const_number(v) for v in values]
    bounds = (min(numbers), max(numbers)) if values and None not in numbers else None  # type: ignore[type-var]
    kind = label_kind_of(values, columns)
    classes = None
    if kind == "integer" and bounds is not None:
        classes = max(2, int(bounds[1]) + 1)
    return DataV(origin, loc, bounds=bounds, columns=columns, label_kind=kind,
                 values=values if len(values) <= MAX_VALUES else None, num_classes=classes)


def label_kind_of(values: frozenset[Any], columns: int | None) -> str | None:
    """What an array holding exactly ``values`` is as labels (one column or none: class labels)."""
    if not values or any(isinstance(v, str) for v in values):
        return None
    numbers = [const_number(v) if not isinstance(v, bool) else float(v) for v in values]
    if None in numbers:
        return None
    if any(not float(n).is_integer() for n in numbers):  # type: ignore[arg-type]
        return "continuous"
    if min(numbers) < 0:  # type: ignore[type-var]
        return None  # -1/+1 targets: neither class indexes nor 0/1
    if columns is not None and columns > 1:
        return "multilabel" if set(numbers) <= {0.0, 1.0} else None
    # 0/1 in one column are class indexes of two classes, as keras.datasets.imdb's labels are.
    return "integer"


def literal_array(seq: Seq, loc: Loc) -> Any:
    """``np.array([[0, 0], [0, 1]])``, also through names bound to literal lists: the values,
    their bounds and, for a 2-D table, its width; rows that are one-hot make one-hot labels."""
    rows = _flatten(seq, 0)
    if rows is None:
        return None
    leaves, width, onehot = rows
    if not leaves:
        return None
    data = from_values(frozenset(leaves), width, loc, "literal")
    if onehot and width is not None and width > 1:
        return data.derive(label_kind="onehot", num_classes=width, columns=width,
                           bounds=data.bounds, values=data.values)
    return data


def _flatten(seq: Seq, depth: int) -> tuple[list[Any], int | None, bool] | None:
    """The leaves of a (nested) literal list, the width of its rows (2-D) and whether every row
    is one-hot; None when it holds anything but numbers, bools and strings."""
    items = seq.items + seq.appended
    if depth > 3 or len(items) > _MAX_LITERAL:
        return None
    if all(_is_value(v) for v in items):
        return list(items), None, False
    if not all(isinstance(v, Seq) for v in items):
        return None
    leaves: list[Any] = []
    widths: set[int] = set()
    onehot = True
    for row in items:
        inner = _flatten(row, depth + 1)
        if inner is None:
            return None
        row_leaves, row_width, _ = inner
        widths.add(len(row.items) if row_width is None else -1)
        onehot = onehot and row_width is None and sorted(row_leaves) == [0] * (
            len(row_leaves) - 1) + [1]
        leaves.extend(row_leaves)
        if len(leaves) > _MAX_LITERAL:
            return None
    width = widths.pop() if len(widths) == 1 else None
    return leaves, width if width is not None and width > 0 else None, onehot


def _is_value(value: Any) -> bool:
    return isinstance(value, (bool, int, float, str))


def _columns_of(shape: Any) -> int | None:
    """The second axis of a shape tuple ``(n, k)``, when constant."""
    if isinstance(shape, Seq) and not shape.appended and len(shape.items) == 2:
        return _int_or_none(shape.items[1])
    return None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
