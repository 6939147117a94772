"""What kind of labels the live ``fit`` receives, as the static pass's ``DataFact.label_kind``.

The label rules (KC104, KC107-KC109) ask "one-hot or integer classes, and how many?". Statically that
is read off ``to_categorical`` calls and dataset loaders; at run time it is read off the values, from
the same statistics the runtime data checks use (``data.prepare_data``: whole arrays scanned, streams
up to ``max_scan_batches`` batches, never consuming a generator irrecoverably). The classification is
deliberately strict, because a wrong "these are classes" makes the rules fire on a regression:

- ``"onehot"``: 2-D (or more) targets whose values are all 0/1 and whose rows each sum to 1 (within
  ``soft_label_sum_tolerance``); ``num_classes`` is the row width;
- ``"multilabel"``: 0/1 rows that do not all sum to 1;
- ``"binary"``: one column of 0/1 values;
- ``"integer"``: one column of non-negative integers of an integer dtype, or of a float dtype with
  few distinct values (``data_stats.MAX_UNIQUE``); ``num_classes`` = max + 1 when every value was
  scanned (a stream's first batches may miss the top class, so it stays unknown there);
- ``"continuous"`` otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kerascheck.facts.model import DataFact, Loc
from kerascheck.runtime.measurements import ArrayStats

if TYPE_CHECKING:
    from kerascheck.config import Settings
    from kerascheck.runtime.capture import Capture
    from kerascheck.runtime.thresholds import Thresholds

__all__ = ["label_fact", "label_kind"]


def label_fact(capture: "Capture", loc: Loc, settings: "Settings | None" = None) -> DataFact | None:
    """The ``fit`` targets as a ``DataFact`` (``origin="runtime"``), None when there are none or
    there are several (per-output targets: the label rules judge single-output models only).
    ``settings`` gives the thresholds (``max_scan_batches``, ``soft_label_sum_tolerance``)."""
    from kerascheck.runtime.data import prepare_data
    from kerascheck.runtime.thresholds import Thresholds

    thresholds = settings.thresholds() if settings is not None else Thresholds()
    prepared = prepare_data(capture, thresholds)
    targets = [stats for stats in prepared.arrays if stats.role == "y"]
    if len(targets) != 1:
        return None
    kind, classes = label_kind(targets[0], thresholds)
    shape = targets[0].shape
    return DataFact(origin="runtime", loc=loc, role="labels", label_kind=kind, num_classes=classes,
                    rank=len(shape) if shape else None)


def label_kind(stats: ArrayStats, thresholds: "Thresholds") -> tuple[str | None, int | None]:
    """``(label_kind, num_classes)`` of one target array's statistics (see the module docstring)."""
    if stats.kind != "numeric" or stats.min is None or stats.max is None or not stats.shape:
        return None, None
    width = stats.shape[-1] if len(stats.shape) >= 2 else 1
    zero_one = bool(stats.integer_valued) and stats.min >= 0 and stats.max <= 1
    if isinstance(width, int) and width > 1:
        if not zero_one:
            return "continuous", None
        tolerance = thresholds.soft_label_sum_tolerance
        if stats.row_sum_min is not None and stats.row_sum_max is not None and (
                abs(stats.row_sum_min - 1) <= tolerance and abs(stats.row_sum_max - 1) <= tolerance):
            return "onehot", width
        return "multilabel", None
    if zero_one:
        return "binary", 2
    if not stats.integer_valued or stats.min < 0:
        return "continuous", None
    if not _integer_dtype(stats.dtype) and stats.unique_values is None:
        return "continuous", None  # integral floats with many values: counts, ages, prices
    classes = int(stats.max) + 1 if stats.scanned == "all" else None
    return "integer", classes


def _integer_dtype(dtype: Any) -> bool:
    return isinstance(dtype, str) and dtype.startswith(("int", "uint"))
