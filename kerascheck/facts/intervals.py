"""Interval arithmetic on the known value ranges of data (``DataV.bounds``/``values``).

Targets in Stack Overflow programs are usually computed: ``y = 2 * x + 1``, ``y = np.sin(x)``,
``y = x ** 2 + noise``. Following the range of ``x`` through such arithmetic is what tells a target
in [0, 1] (fine under a sigmoid) from one in [1, 21] (that a sigmoid can never reach). Only
operations whose effect on a range is exact are followed; anything else forgets the range.
"""

from __future__ import annotations

import math
from typing import Any

from kerascheck.facts.values import UNK, DataV, Obj, Seq, const_number

INF = math.inf
Bounds = tuple[float, float]
_MAX_VALUES = 64


def _mul(a: float, b: float) -> float:
    if a == 0 or b == 0:
        return 0.0  # 0 * inf is 0 for a range's end
    return a * b


def combine(op: str, left: Bounds, right: Bounds) -> Bounds | None:
    """The range of ``left op right`` for ``+ - * /`` (division only by a range without 0)."""
    (a, b), (c, d) = left, right
    if op == "+":
        return a + c, b + d
    if op == "-":
        return a - d, b - c
    if op == "*":
        ends = [_mul(a, c), _mul(a, d), _mul(b, c), _mul(b, d)]
        return min(ends), max(ends)
    if op == "/" and (c > 0 or d < 0):
        ends = [x / y for x in (a, b) for y in (c, d) if not math.isinf(y)] or [0.0]
        if any(math.isinf(v) for v in (a, b)):
            ends += [a, b] if c > 0 else [-b, -a]
        return min(ends), max(ends)
    if op == "**" and c == d and float(c).is_integer() and 0 < c < 16:
        power = int(c)
        ends = [_pow(a, power), _pow(b, power)]
        low, high = min(ends), max(ends)
        if power % 2 == 0 and a < 0 < b:
            low = 0.0
        return low, high
    return None


def _pow(x: float, power: int) -> float:
    try:
        return x ** power
    except OverflowError:
        return INF if x > 0 or power % 2 == 0 else -INF


def bounds_of(value: Any) -> Bounds | None:
    """The range of a number or of data with a known range."""
    number = const_number(value)
    if number is not None:
        return number, number
    if isinstance(value, DataV):
        return value.bounds
    return None


def range_changes(left: Any, op: str, right: Any) -> dict[str, Any]:
    """The ``bounds``/``values`` to give ``data`` (the result of ``left op right``)."""
    lb, rb = bounds_of(left), bounds_of(right)
    if lb is None or rb is None:
        return {}
    out: dict[str, Any] = {}
    result = combine(op, lb, rb)
    if result is not None:
        out["bounds"] = result
    other = right if isinstance(left, DataV) else left
    base = left if isinstance(left, DataV) else right
    number = const_number(other)
    if isinstance(base, DataV) and base.values is not None and number is not None and (
            result is not None):
        mapped = set()
        for v in base.values:
            x = const_number(v)
            if x is None:
                return out
            pair = (x, number) if base is left else (number, x)
            r = combine(op, (pair[0], pair[0]), (pair[1], pair[1]))
            if r is None:
                return out
            mapped.add(int(r[0]) if float(r[0]).is_integer() else r[0])
        out["values"] = frozenset(mapped)
    return out


def function(short: str, data: DataV, args: tuple[Any, ...]) -> Bounds | None:
    """The range of ``np.<short>(data, *args)`` for elementwise functions with a known effect."""
    if short in ("sin", "cos"):
        return -1.0, 1.0
    if short == "tanh":
        return -1.0, 1.0
    bounds = data.bounds
    if short == "clip" and len(args) >= 3:
        low, high = const_number(args[1]), const_number(args[2])
        if low is not None and high is not None:
            if bounds is None:
                return low, high
            return max(bounds[0], low), min(bounds[1], high)
        return None
    if bounds is None:
        return None
    a, b = bounds
    if short == "exp":
        return _exp(a), _exp(b)
    if short in ("abs", "absolute", "fabs"):
        ends = sorted((abs(a), abs(b)))
        return (0.0 if a < 0 < b else ends[0]), ends[1]
    if short == "square":
        return combine("**", bounds, (2.0, 2.0))
    if short == "power" and len(args) > 1:
        exponent = const_number(args[1])
        return combine("**", bounds, (exponent, exponent)) if exponent is not None else None
    if short in ("sqrt", "log", "log1p", "log10", "log2") and a >= 0:
        f = {"sqrt": math.sqrt, "log": math.log, "log1p": math.log1p, "log10": math.log10,
             "log2": math.log2}[short]
        try:
            return (f(a) if a > 0 or short in ("sqrt", "log1p") else -INF), (
                f(b) if not math.isinf(b) else INF)
        except ValueError:
            return None
    if short in ("round", "around", "floor", "ceil", "rint"):
        return math.floor(a) if not math.isinf(a) else a, math.ceil(b) if not math.isinf(b) else b
    return None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def union(parts: list[DataV]) -> dict[str, Any]:
    """``np.concatenate`` of arrays with known ranges/values: the union of them."""
    out: dict[str, Any] = {}
    if all(p.bounds is not None for p in parts):
        out["bounds"] = (min(p.bounds[0] for p in parts),  # type: ignore[index]
                         max(p.bounds[1] for p in parts))  # type: ignore[index]
    if all(p.values is not None for p in parts):
        merged = frozenset().union(*(p.values for p in parts))  # type: ignore[arg-type]
        if len(merged) <= _MAX_VALUES:
            out["values"] = merged
    return out


# -- arithmetic with data (``dataflow.binop``) --------------------------------------------------


def data_binop(left: Any, operator: str, right: Any) -> Any:
    """Arithmetic with data on one side (or both), with the range of the result when known."""
    result = _binop(left, operator, right)
    if isinstance(result, DataV) and (isinstance(left, DataV) and left.bounds is not None or (
            isinstance(right, DataV) and right.bounds is not None)):
        changes = range_changes(left, operator, right)
        if changes:
            if "values" not in changes:
                changes["values"] = None
                if result.label_kind in ("integer", "binary", "onehot"):
                    changes["label_kind"] = None
            return result.derive(**changes)
    return result


def _binop(left: Any, operator: str, right: Any) -> Any:
    if isinstance(left, DataV):
        divisor = const_number(right)
        if operator == "//" and left.role != "labels" and divisor is not None and divisor >= 128:
            # x // 255 floors every pixel to 0 or 1: not a rescaling (KC301 reports it).
            return left.derive("floor_divided")
        if operator in ("/", "//"):
            return left.derive("label_scaled" if left.role == "labels" else "scaled")
        if operator == "*":
            factor = const_number(right)
            if factor is not None and 0 < abs(factor) < 1:
                return left.derive("scaled")
            return left.derive("multiplied")
        if operator in ("-", "+"):
            if not isinstance(right, DataV):
                return left.derive("shifted")
            # x + noise: the values change, the kind of data does not (its range is recomputed).
            return left.derive() if left.bounds is None else left.derive(bounds=None, values=None)
        if operator == "**" and const_number(right) is not None:
            return left.derive("powered")
        if operator == "@" and isinstance(right, DataV):
            return _matmul(left, right)
        return UNK
    if isinstance(right, DataV):
        factor = const_number(left)
        if operator == "*":
            if factor is not None and 0 < abs(factor) < 1:
                return right.derive("scaled")
            if factor is not None and right.bounds is not None:
                return right.derive("multiplied")
        if operator in ("+", "-") and factor is not None and right.bounds is not None:
            return right.derive("shifted")
        return UNK
    return None


def _matmul(left: DataV, right: DataV) -> DataV:
    """``x @ w``: sums of products, non-negative when both sides are, else of any sign."""
    if left.bounds is None or right.bounds is None:
        return left.derive("multiplied")
    nonnegative = left.bounds[0] >= 0 and right.bounds[0] >= 0
    return left.derive("multiplied", bounds=(0.0, INF) if nonnegative else (
        -INF, INF), label_kind="continuous")


def scaler_range(obj: Obj, data: DataV) -> tuple[float, float] | None:
    """The range a scikit-learn scaler maps its input into: a ``MinMaxScaler``'s
    ``feature_range`` (default (0, 1)), about (-3, 3) for standardisation (see ``synthetic``)."""
    if not obj.name.startswith("sklearn."):
        return None
    short = obj.short
    if short == "MinMaxScaler":
        feature_range = obj.arg("feature_range", 0, Seq([0, 1]))
        if isinstance(feature_range, Seq) and len(feature_range.items) == 2:
            low, high = (const_number(v) for v in feature_range.items)
            if low is not None and high is not None:
                return low, high
        return None
    if short == "StandardScaler" and obj.kwargs.get("with_std", True) is not False and (
            obj.kwargs.get("with_mean", True) is not False):
        return -3.0, 3.0
    if short == "MaxAbsScaler":
        return (0.0, 1.0) if data.bounds is not None and data.bounds[0] >= 0 else (-1.0, 1.0)
    return None
