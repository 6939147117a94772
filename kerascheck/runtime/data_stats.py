"""Statistics of one array given to ``fit``, accumulated chunk by chunk: the input of KC601-KC603.

Whole arrays are scanned in row chunks (NaN rows may sit anywhere, not only in the first batch, and a
huge array must not be copied whole by ``np.isfinite``); streams (datasets, generators) feed their
batches one at a time into the same accumulator, so both end up as one ``ArrayStats`` with identical
meaning. NumPy only: no TensorFlow here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.runtime.measurements import ArrayStats

__all__ = ["StatsAccumulator", "array_stats", "CHUNK_ELEMENTS", "MAX_UNIQUE"]

CHUNK_ELEMENTS = 1 << 22  # ~32 MB of float64 temporaries per chunk, whatever the array's size
MAX_UNIQUE = 32           # ArrayStats.unique_values is kept only for arrays with this few values
_MAX_FEATURES = 4096      # per-feature scales only for tabular inputs of reasonable width
_TARGET_ROLES = frozenset({"y", "validation_y"})


def _kind(array: np.ndarray) -> str:
    if array.dtype.kind in "US":
        return "string"
    if array.dtype.kind == "O":
        sample = array.ravel()[:16]
        return "string" if any(isinstance(v, (str, bytes)) for v in sample) else "object"
    return "numeric"


def _as_numeric(array: np.ndarray) -> np.ndarray | None:
    """The array as numbers, or None for strings/objects (an object array of numbers still counts)."""
    if array.dtype.kind in "biuf":
        return array
    if array.dtype.kind == "O":
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError):
            return None
    return None


class StatsAccumulator:
    """Running statistics over the rows of one array (axis 0 = examples), fed chunk by chunk."""

    def __init__(self, role: str, name: str) -> None:
        self.role = role
        self.name = name
        self.shape: list[int | None] | None = None
        self.dtype: str | None = None
        self.kind = "numeric"
        self.rows = 0
        self.count = 0
        self.nonfinite = 0
        self.first_nonfinite_index: int | None = None
        self.min = np.inf
        self.max = -np.inf
        self.total = 0.0
        self.total_sq = 0.0
        self.integer_valued = True
        self.unique: set[Any] | None = set()
        self._col_n: np.ndarray | None = None
        self._col_sum: np.ndarray | None = None
        self._col_sq: np.ndarray | None = None
        self.row_sum_min = np.inf
        self.row_sum_max = -np.inf

    def add(self, chunk: Any) -> None:
        """Add the next rows (a batch of a stream, or a slice of a whole array)."""
        array = np.asarray(chunk)
        if self.shape is None:
            self.shape = [None, *array.shape[1:]] if array.ndim else []
            self.dtype = str(array.dtype)
            self.kind = _kind(array)
        offset = self.rows
        self.rows += int(array.shape[0]) if array.ndim else 1
        numeric = _as_numeric(array) if self.kind == "numeric" else None
        if numeric is None:
            self.kind = "object" if self.kind == "numeric" else self.kind
            self.count += int(array.size)
            self._add_unique(array.ravel())
            return
        self.count += int(numeric.size)
        if numeric.dtype.kind == "f":
            finite = np.isfinite(numeric)
            bad = int(finite.size - np.count_nonzero(finite))
            if bad:
                self.nonfinite += bad
                if self.first_nonfinite_index is None:
                    rows_bad = ~finite.reshape(finite.shape[0], -1).all(axis=1) if numeric.ndim else ~finite
                    self.first_nonfinite_index = offset + int(np.argmax(rows_bad))
                values = numeric[finite]
            else:  # the common case: no mask copies
                finite, values = None, numeric.ravel()
        else:
            finite = None
            values = numeric.ravel()
        if values.size == 0:
            return
        as64 = values.astype(np.float64, copy=False)
        self.min = min(self.min, float(as64.min()))
        self.max = max(self.max, float(as64.max()))
        self.total += float(as64.sum())
        self.total_sq += float(np.dot(as64, as64))
        if self.integer_valued and numeric.dtype.kind == "f":
            self.integer_valued = bool(np.all(as64 == np.floor(as64)))
        self._add_unique(values)
        if numeric.ndim == 2:
            self._add_columns(numeric, finite)

    def _add_unique(self, values: np.ndarray) -> None:
        if self.unique is None:
            return
        try:
            head = np.unique(values[:4096])
            found = head if len(head) > MAX_UNIQUE else np.unique(values)
        except TypeError:  # unorderable objects
            self.unique = None
            return
        self.unique.update(v.item() if hasattr(v, "item") else v for v in found[: MAX_UNIQUE + 1])
        if len(self.unique) > MAX_UNIQUE:
            self.unique = None

    def _add_columns(self, numeric: np.ndarray, finite: np.ndarray | None) -> None:
        """Per-column sums (tabular features) and, for targets, the range of row sums."""
        width = numeric.shape[1]
        if width == 0:
            return
        data = numeric.astype(np.float64, copy=False)
        if finite is not None:
            data = np.where(finite, data, 0.0)
        if width <= _MAX_FEATURES and self.role not in _TARGET_ROLES:
            if self._col_n is None:
                self._col_n = np.zeros(width)
                self._col_sum = np.zeros(width)
                self._col_sq = np.zeros(width)
            self._col_n += data.shape[0] if finite is None else finite.sum(axis=0)
            self._col_sum += data.sum(axis=0)
            self._col_sq += np.einsum("ij,ij->j", data, data)
        if self.role in _TARGET_ROLES:
            complete = np.ones(data.shape[0], bool) if finite is None else finite.all(axis=1)
            if complete.any():
                sums = data[complete].sum(axis=1)
                self.row_sum_min = min(self.row_sum_min, float(sums.min()))
                self.row_sum_max = max(self.row_sum_max, float(sums.max()))

    def result(self, scanned: str) -> ArrayStats:
        """The accumulated ``ArrayStats``; statistics are over the finite values only."""
        stats = ArrayStats(role=self.role, name=self.name, shape=self.shape, dtype=self.dtype, kind=self.kind,
                           scanned=scanned, count=self.count, nonfinite=self.nonfinite,
                           first_nonfinite_index=self.first_nonfinite_index)
        if self.unique is not None:
            stats.unique_values = sorted(self.unique, key=repr) if self.kind != "numeric" else sorted(self.unique)
        if self.kind != "numeric" or self.max < self.min:
            return stats
        finite_count = self.count - self.nonfinite
        mean = self.total / finite_count
        stats.min, stats.max, stats.mean = self.min, self.max, mean
        stats.std = float(np.sqrt(max(self.total_sq / finite_count - mean * mean, 0.0)))
        stats.integer_valued = self.integer_valued
        if self._col_n is not None and self._col_sum is not None and self._col_sq is not None:
            n = np.maximum(self._col_n, 1.0)
            col_mean = self._col_sum / n
            col_std = np.sqrt(np.maximum(self._col_sq / n - col_mean**2, 0.0))
            # Constant columns carry no scale (an unused one-hot slot): only varying ones are compared.
            varying = col_std[col_std > 1e-12 * max(1.0, float(np.abs(col_mean).max()))]
            if varying.size:
                stats.feature_std_min = float(varying.min())
                stats.feature_std_max = float(varying.max())
        if self.row_sum_max >= self.row_sum_min:
            stats.row_sum_min, stats.row_sum_max = self.row_sum_min, self.row_sum_max
        return stats


def array_stats(role: str, name: str, array: Any) -> ArrayStats:
    """Scan a whole array in bounded-memory row chunks (``scanned == "all"``)."""
    data = np.asarray(array)
    accumulator = StatsAccumulator(role, name)
    if data.ndim == 0:
        accumulator.add(data.reshape(1))
        return accumulator.result("all")
    row_elements = max(1, int(np.prod(data.shape[1:], dtype=np.int64)))
    step = max(1, CHUNK_ELEMENTS // row_elements)
    if data.shape[0] == 0:
        accumulator.add(data)
    for start in range(0, data.shape[0], step):
        accumulator.add(data[start:start + step])
    result = accumulator.result("all")
    result.shape = list(data.shape)
    return result
