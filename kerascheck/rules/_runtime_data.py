"""Shared by the data and first-step rules (KC601-KC605): where findings point, and the label checks.

Label problems are computed here once because two rules need them: KC603 reports them, and KC605
stays silent on a first-step error that they already explain (sparse labels >= units make the loss
raise; the label statistics name the cause better than the exception does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kerascheck.facts.model import Loc
from kerascheck.runtime.locations import site_loc
from kerascheck.runtime.measurements import ArrayStats, RunMeasurements, Site
from kerascheck.runtime.thresholds import Thresholds

__all__ = ["loc", "data_loc", "compile_loc", "head_loc", "head_name", "LabelProblem", "label_problems",
           "fmt", "max_abs", "TAKES_RAW", "input_readers", "large_inputs"]

_SPARSE = frozenset({"sparse_categorical_crossentropy", "sparse_categorical_focal_crossentropy"})
_CATEGORICAL = frozenset({"categorical_crossentropy", "categorical_focal_crossentropy"})
_BINARY = frozenset({"binary_crossentropy", "binary_focal_crossentropy"})


def loc(*sites: Site | None) -> Loc:
    """The first known site, as the runtime ``Loc`` rules report on (no site at all: file unknown)."""
    return site_loc(*sites)


def data_loc(run: RunMeasurements) -> Loc:
    """Data findings point at the fit call (the data is what it was given), else the model."""
    return loc(run.fit_site, run.model_site, run.compile_site)


def compile_loc(run: RunMeasurements) -> Loc:
    """Loss/optimizer findings point at compile."""
    return loc(run.compile_site, run.fit_site, run.model_site)


def head_name(run: RunMeasurements) -> str | None:
    return run.layers[-1].name if run.layers else None


def head_loc(run: RunMeasurements) -> Loc:
    """Output-units findings point at the head layer's creation line."""
    return loc(run.layers[-1].site if run.layers else None, run.fit_site, run.model_site)


def fmt(value: float | None) -> str:
    """A measured number as users read it: integers plainly, others to 4 significant digits."""
    if value is None:
        return "?"
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    if 1e4 <= abs(value) < 1e12:
        return f"{value:.0f}"
    return f"{value:.4g}"


def max_abs(stats: ArrayStats) -> float | None:
    if stats.min is None or stats.max is None:
        return None
    return max(abs(stats.min), abs(stats.max))


# Layers that take raw values by design: they scale, normalise, look up or embed what they read, so the
# measured input is not what the first weights see (KC602 leaves such inputs alone).
TAKES_RAW = frozenset({"Rescaling", "Normalization", "BatchNormalization", "LayerNormalization",
                       "GroupNormalization", "UnitNormalization", "Embedding", "StringLookup", "IntegerLookup",
                       "Hashing", "CategoryEncoding", "Discretization", "TextVectorization", "Lambda",
                       "HashedCrossing"})


def input_readers(stats: ArrayStats, run: RunMeasurements) -> list[str]:
    """The kinds of the layers reading an input; the model's first layer when the graph is unknown."""
    if stats.input_layers is not None:
        return stats.input_layers
    first = next((layer.kind for layer in run.layers if layer.kind != "InputLayer"), None)
    if run.model_kind == "subclassed":  # no graph: any raw-taking layer may be the one reading x
        return sorted({layer.kind for layer in run.layers} & TAKES_RAW) or ([first] if first else [])
    return [first] if first else []


# keras.applications' "caffe" preprocessing (VGG, ResNet50 ...): BGR pixels minus the ImageNet channel means
# (103.939, 116.779, 123.68), so [-123.68, 151.061]; the pretrained weights expect exactly that range.
_CAFFE_MIN, _CAFFE_MAX = -123.68, 255.0 - 103.939


def _caffe_preprocessed(stats: ArrayStats) -> bool:
    return (stats.shape is not None and len(stats.shape) == 4 and stats.min is not None and stats.max is not None
            and _CAFFE_MIN - 0.5 <= stats.min < -50.0 and stats.max <= _CAFFE_MAX + 0.5)


def large_inputs(run: RunMeasurements, limit: float, bulk: float = 4.0) -> list[tuple[ArrayStats, float, list[str]]]:
    """Numeric inputs whose largest magnitude exceeds ``limit``: (stats, max |x|, the layers reading it).

    The bulk of the values must be off scale too (the overall |mean|, or some feature's std, above
    ``bulk``): standardised data with heavy tails has outliers at 40 standard deviations while every
    feature has std 1, and that trains fine. Images preprocessed the "caffe" way for a pretrained
    keras.applications model are not large either: that range is what those weights were trained on.
    """
    found = []
    for stats in run.array("x"):
        biggest = max_abs(stats) if stats.kind == "numeric" else None
        if biggest is None or biggest <= limit or _caffe_preprocessed(stats) or not _bulk_off_scale(stats, bulk):
            continue
        found.append((stats, biggest, input_readers(stats, run)))
    return found


def _bulk_off_scale(stats: ArrayStats, bulk: float) -> bool:
    spreads = [v for v in (stats.feature_std_max, stats.std) if v is not None]
    if stats.mean is None and not spreads:
        return True  # nothing but the range is known: the range decides
    return (stats.mean is not None and abs(stats.mean) > bulk) or any(v > bulk for v in spreads)


@dataclass(frozen=True)
class LabelProblem:
    """One way the targets cannot match the head and loss; ``about`` is ``"head"`` or ``"fit"``."""

    about: str
    message: str


def _where(stats: ArrayStats) -> str:
    return "validation labels" if stats.role == "validation_y" else "labels"


def _values(stats: ArrayStats) -> str:
    if stats.unique_values is not None:
        shown = ", ".join(repr(v) if isinstance(v, str) else fmt(v) for v in stats.unique_values[:6])
        return "{" + shown + (", ..." if len(stats.unique_values) > 6 else "") + "}"
    return f"{fmt(stats.min)}..{fmt(stats.max)}"


def _one(stats: ArrayStats, run: RunMeasurements, t: Thresholds) -> list[LabelProblem]:
    where, units, loss = _where(stats), run.head_units, run.loss
    if stats.kind != "numeric":
        return [LabelProblem("fit", (
            f"the {where} are strings {_values(stats)}: the loss needs numbers, so training fails at the first "
            f"step; encode them as integer ids (sklearn's LabelEncoder, or keras.layers.StringLookup) and use "
            f"sparse_categorical_crossentropy"))]
    if stats.min is None or stats.max is None:
        return []
    rank = len(stats.shape) if stats.shape is not None else None
    width = stats.shape[-1] if stats.shape and rank and rank >= 2 else None
    problems: list[LabelProblem] = []
    if loss in _SPARSE:
        if rank is not None and rank >= 2 and width == units and units and units > 1 \
                and stats.min >= 0 and stats.max <= 1:
            problems.append(LabelProblem("fit", (
                f"the {where} are one-hot rows of width {width} but loss='{loss}' expects integer class ids, so "
                f"the first step fails on the shapes; use loss='categorical_crossentropy', or pass "
                f"y.argmax(axis=-1)")))
        elif stats.min < 0:
            problems.append(LabelProblem("fit", (
                f"the {where} include {fmt(stats.min)} (values {_values(stats)}): sparse class ids must be "
                f"0..{fmt(units - 1) if units else 'C-1'}, and a negative id makes the loss fail or go NaN; "
                f"re-index the labels from 0 (y - y.min(), or sklearn's LabelEncoder)")))
        elif units is not None and stats.max >= units:
            problems.append(LabelProblem("head", (
                f"the {where} go up to {fmt(stats.max)} but the head has {units} units, so sparse class ids "
                f"must be 0..{units - 1}; ids >= {units} make the loss raise (or be silently wrong on GPU); "
                f"give the head {fmt(stats.max + 1)} units if there are {fmt(stats.max + 1)} classes, or "
                f"re-index the labels from 0")))
        elif stats.integer_valued is False:
            problems.append(LabelProblem("fit", (
                f"the {where} are not whole numbers ({_values(stats)}) but loss='{loss}' takes integer class "
                f"ids, so fractional labels are truncated; for probabilities use categorical or binary "
                f"cross-entropy")))
    elif loss in _CATEGORICAL:
        class_ids = stats.integer_valued and (rank == 1 or stats.max > 1)
        if rank == 1 or class_ids:
            if class_ids and units and units > 1:
                problems.append(LabelProblem("fit", (
                    f"the {where} are integer class ids {_values(stats)} but loss='{loss}' expects one-hot "
                    f"rows of width {units}, so the shapes do not match at the first step; use "
                    f"loss='sparse_categorical_crossentropy', or keras.utils.to_categorical(y, {units})")))
        elif width is not None and units is not None and width != units and run.num_outputs == 1:
            problems.append(LabelProblem("head", (
                f"the {where} are rows of width {width} but the head has {units} units, so categorical "
                f"cross-entropy cannot compare them; give the head {width} units (one per class) or fix "
                f"the label encoding")))
        elif stats.min < 0 or stats.max > 1:
            problems.append(LabelProblem("fit", (
                f"the {where} range over {fmt(stats.min)}..{fmt(stats.max)} under loss='{loss}', which takes "
                f"one-hot or probability rows in [0, 1]; one-hot encode the classes "
                f"(keras.utils.to_categorical)")))
        elif stats.row_sum_min is not None and stats.row_sum_max is not None and max(
                abs(stats.row_sum_min - 1), abs(stats.row_sum_max - 1)) > t.soft_label_sum_tolerance:
            problems.append(LabelProblem("fit", (
                f"the {where}' rows sum to {fmt(stats.row_sum_min)}..{fmt(stats.row_sum_max)}, not 1: "
                f"categorical cross-entropy reads each row as a class distribution, so the loss is scaled "
                f"wrongly (multi-hot rows need binary_crossentropy with a sigmoid head); normalise the rows "
                f"(y / y.sum(axis=1, keepdims=True)) or change the loss")))
    elif loss in _BINARY:
        if stats.min < 0 or stats.max > 1:
            problems.append(LabelProblem("fit", (
                f"the {where} take values {_values(stats)} but binary cross-entropy needs targets in [0, 1], "
                f"so the loss is meaningless (negative or unbounded); map them to 0/1 (e.g. (y == positive)"
                f".astype('float32')), or for several classes use a softmax head with "
                f"sparse_categorical_crossentropy")))
        elif width is not None and units is not None and width != units and run.num_outputs == 1:
            problems.append(LabelProblem("head", (
                f"the {where} are rows of width {width} but the head has {units} units, so binary "
                f"cross-entropy cannot compare them; give the head {width} sigmoid units, or one unit for a "
                f"single 0/1 label")))
    return problems


def label_problems(run: RunMeasurements, thresholds: Thresholds) -> list[LabelProblem]:
    """Every way the targets cannot fit the loss and head, checked on the data before any loss runs."""
    problems: list[LabelProblem] = []
    for role in ("y", "validation_y"):
        arrays = run.array(role)
        if len(arrays) != 1:  # several targets (multi-output): the head they go to is not known here
            arrays = [a for a in arrays if a.kind != "numeric"]
        for stats in arrays:
            problems.extend(_one(stats, run, thresholds))
        if problems:
            return problems  # validation labels usually repeat the training labels' problem
    return problems
