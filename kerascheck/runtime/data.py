"""The data of the first ``fit``, in every form ``fit`` accepts: its first batch and its statistics.

``prepare_data`` turns what the script passed (NumPy arrays, Python lists, pandas objects, dicts and
tuples of arrays, ``tf.data.Dataset``, generators, ``keras.utils.PyDataset``, ``validation_data``,
``class_weight``, ``sample_weight``) into one first batch the measurements feed the model, and one
``ArrayStats`` per array for the data checks (KC601-KC603). Arrays are scanned whole, streams up to
``Thresholds.max_scan_batches`` batches.

A continued script (``--continue``) must still see all of its data, so a Python generator or iterator
is never consumed irrecoverably: the batches taken are put back in front of the rest
(``capture.x = itertools.chain(taken, rest)``). TensorFlow is never imported here: a ``tf.data.Dataset``
can only be passed by a script that imported TensorFlow already, so ``sys.modules`` tells.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np

from kerascheck.runtime.capture import Capture
from kerascheck.runtime.data_stats import StatsAccumulator, array_stats
from kerascheck.runtime.measurements import ArrayStats, StepError, Unavailable
from kerascheck.runtime.thresholds import Thresholds

__all__ = ["PreparedData", "prepare_data"]


@dataclass
class PreparedData:
    """The first batch in the form the model takes, plus the statistics of everything given.

    ``step_error`` is set when the data itself is a form Keras 3 rejects at the first step (a plain
    Python list as ``x`` or ``y``, a ``tf.data.Dataset`` of single examples): the batch is still
    converted (batched) so the other checks can run, and the error is the one the script's own ``fit``
    would raise (checks.py copies it into ``RunMeasurements.step_error``; KC605 reports it).
    """

    x: Any = None
    y: Any = None
    sample_weight: Any = None
    arrays: list[ArrayStats] = field(default_factory=list)
    class_weight: dict[int, float] | None = None
    unavailable: list[Unavailable] = field(default_factory=list)
    source: str = "none"
    step_error: StepError | None = None
    # A stream's first element as the stream gave it (its structure untouched, cut to the batch size):
    # a custom ``train_step`` unpacks ``data`` its own way, so its probe is fed exactly this.
    element: Any = None


def _module_attr(module: str, *path: str) -> Any:
    """``sys.modules[module].<path>`` if that module is already imported, else None (never imports)."""
    value: Any = sys.modules.get(module)
    for name in path:
        value = getattr(value, name, None)
    return value


def _is_dataset(value: Any) -> bool:
    dataset = _module_attr("tensorflow", "data", "Dataset")
    return isinstance(dataset, type) and isinstance(value, dataset)


def _is_pydataset(value: Any) -> bool:
    for module in ("keras", "tf_keras"):
        cls = _module_attr(module, "utils", "PyDataset") or _module_attr(module, "utils", "Sequence")
        if isinstance(cls, type) and isinstance(value, cls):
            return True
    return False


def _is_pandas(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "pandas" and hasattr(value, "to_numpy")


def _is_plain_list(value: Any) -> bool:
    """A Python list of numbers (or of lists of numbers): not a list of per-input arrays."""
    return isinstance(value, list) and bool(value) and not any(
        isinstance(v, np.ndarray) or hasattr(v, "__array__") or _is_pandas(v) or isinstance(v, dict)
        for v in value
    )


def _to_numpy(value: Any) -> Any:
    """Leaves to NumPy arrays, keeping the dict/list/tuple structure the model takes."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {key: _to_numpy(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)) and not _is_plain_list(value):
        return type(value)(_to_numpy(v) for v in value)
    if _is_pandas(value):
        return value.to_numpy()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        if getattr(getattr(value, "dtype", None), "name", None) == "string":
            return value  # fit takes a tf.string tensor, but no NumPy form of it (object, bytes or str)
        return np.asarray(value.numpy())
    return np.asarray(value)


def _leaves(value: Any, name: str) -> Iterator[tuple[str, Any]]:
    """``(display name, array)`` for every array in a structure: ``x``, ``x[1]``, ``x['age']``."""
    if isinstance(value, dict):
        for key, v in value.items():
            yield from _leaves(v, f"{name}[{key!r}]")
    elif isinstance(value, (list, tuple)) and not _is_plain_list(value):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{name}[{i}]")
    elif value is not None:
        yield name, value


def _slice(value: Any, n: int) -> Any:
    if isinstance(value, dict):
        return {key: _slice(v, n) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_slice(v, n) for v in value)
    return None if value is None else value[:n]


def _split_element(element: Any) -> tuple[Any, Any, Any]:
    """A stream element ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` (a bare ``x`` otherwise)."""
    if isinstance(element, tuple) and 1 <= len(element) <= 3:
        x, y, sw = (*element, None, None)[:3]
        return x, y, sw
    return element, None, None


class _Scanner:
    """Collects ``ArrayStats``, one accumulator per (role, name), across arrays and stream batches."""

    def __init__(self) -> None:
        self.arrays: list[ArrayStats] = []
        self._streams: dict[tuple[str, str], StatsAccumulator] = {}

    def whole(self, role: str, value: Any, name: str | None = None) -> None:
        for leaf_name, leaf in _leaves(_to_numpy(value), name or role):
            self.arrays.append(array_stats(role, leaf_name, leaf))

    def batch(self, role: str, value: Any, name: str | None = None) -> None:
        for leaf_name, leaf in _leaves(_to_numpy(value), name or role):
            key = (role, leaf_name)
            if key not in self._streams:
                self._streams[key] = StatsAccumulator(role, leaf_name)
            self._streams[key].add(leaf)

    def finish_streams(self, batches: int) -> None:
        scanned = f"{batches} batch" + ("" if batches == 1 else "es")
        self.arrays.extend(acc.result(scanned) for acc in self._streams.values())
        self._streams.clear()


def _model_input_rank(model: Any) -> int | None:
    inputs = getattr(model, "inputs", None)
    try:
        return len(inputs[0].shape) if inputs else None
    except (TypeError, AttributeError, IndexError):
        return None


def _dataset_is_unbatched(dataset: Any, model: Any) -> bool:
    """An unbatched dataset yields single examples: its x lacks the batch axis the model's input has."""
    spec = dataset.element_spec
    x_spec, y_spec, _ = _split_element(spec)
    rank = _model_input_rank(model)
    x_first = next(iter(_leaves(x_spec, "x")), (None, None))[1]
    x_rank = getattr(getattr(x_first, "shape", None), "rank", None)
    if rank is not None and x_rank is not None:
        return x_rank == rank - 1
    y_first = next(iter(_leaves(y_spec, "y")), (None, None))[1]
    return getattr(getattr(y_first, "shape", None), "rank", None) == 0  # a batched label has a batch axis


def _unbatched_error(dataset: Any, model: Any) -> StepError | None:
    """What Keras 3 raises at the first step on a dataset of single examples (its message, seen in tests)."""
    if not _dataset_is_unbatched(dataset, model):
        return None
    x_spec = next(iter(_leaves(_split_element(dataset.element_spec)[0], "x")), (None, None))[1]
    found = tuple(getattr(x_spec, "shape", ()) or ())
    inputs = getattr(model, "inputs", None)
    expected = tuple(inputs[0].shape) if inputs else (None, *found)
    return StepError(type="ValueError", stage="fit",
                     message=f"Invalid input shape for input of an unbatched tf.data.Dataset. Expected shape "
                             f"{expected}, but input has incompatible shape {found}")


def _stream_batches(capture: Capture, stream: Any, limit: int, validation: bool) -> tuple[list[Any], str]:
    """Up to ``limit`` elements of a dataset, PyDataset or generator, without consuming the generator."""
    if _is_dataset(stream):
        if _dataset_is_unbatched(stream, capture.model):
            stream = stream.batch(capture.batch_size or 32)
        return list(itertools.islice(iter(stream), limit)), "dataset"
    if _is_pydataset(stream):
        count = len(stream) if hasattr(stream, "__len__") else limit
        return [stream[i] for i in range(min(limit, count))], "pydataset"
    iterator = iter(stream)
    taken = list(itertools.islice(iterator, limit))
    restored = itertools.chain(taken, iterator) if iterator is stream else stream
    if validation:
        capture.validation_data = restored
    else:
        capture.x = restored
    return taken, "generator"


def _is_stream(value: Any) -> bool:
    if value is None or isinstance(value, (np.ndarray, list, tuple, dict, str, bytes)) or _is_pandas(value):
        return False
    if hasattr(value, "__array__") or hasattr(value, "numpy"):
        return False
    return _is_dataset(value) or _is_pydataset(value) or hasattr(value, "__next__") or hasattr(value, "__iter__")


def _list_error(x: Any, argument: str | None = None) -> StepError:
    """What Keras 3's data adapter raises when x, y or sample_weight is a plain list (reproduced in tests).

    It always names ``x``, with x's type: a plain-list ``y`` or ``sample_weight`` beside an array ``x``
    reads "x=... (of type <class 'numpy.ndarray'>)", so ``argument`` says which one it really was.
    """
    kind = type(x)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return StepError(type="ValueError", stage="fit", argument=argument,
                     message=f"Unrecognized data type: x={x!r:.80} (of type <class '{name}'>)")


def _list_argument(capture: Capture) -> str | None:
    """The first of x, y, sample_weight that is a plain Python list (Keras 3's fit rejects each)."""
    for argument in ("x", "y", "sample_weight"):
        if _is_plain_list(getattr(capture, argument)):
            return argument
    return None


def _generator_list_error(element: Any) -> StepError:
    """What Keras 3 raises when a Python generator yields a list (it wants a tuple; reproduced in tests)."""
    return StepError(type="ValueError", stage="fit", argument="x", message=(
        "When passing a Python generator to a Keras model, the generator must return a tuple, either "
        "(input,) or (inputs, targets) or (inputs, targets, sample_weights). Received: "
        f"{element!r:.80}"))


def _batch_size(capture: Capture, thresholds: Thresholds) -> int:
    given = capture.batch_size if isinstance(capture.batch_size, int) and capture.batch_size > 0 else None
    return min(thresholds.batch_size, given) if given else thresholds.batch_size


def _class_weight(value: Any) -> dict[int, float] | None:
    if not isinstance(value, dict):
        return None
    try:
        return {int(k): float(v) for k, v in value.items()}
    except (TypeError, ValueError):  # keys that are not class ids: Keras itself will say so at fit
        return None


def _apply_class_weight(out: PreparedData) -> None:
    """Turn ``class_weight`` into the batch's sample weights, as Keras does, so gradients and probe see it.

    Mirrors ``keras.src.trainers.data_adapters.data_adapter_utils.class_weight_to_sample_weights``:
    one-hot rows by their argmax, ``(n, 1)`` columns squeezed, ids rounded, unlisted classes weigh 1.
    With both given, Keras 3 refuses the ``fit`` (its message, reproduced in tests).
    """
    if not out.class_weight or not isinstance(out.y, np.ndarray) or out.y.ndim == 0:
        return
    if out.sample_weight is not None:
        if out.step_error is None and out.source == "arrays":
            out.step_error = StepError(type="ValueError", stage="fit", argument="class_weight",
                                       message="You cannot `class_weight` and `sample_weight` at the same time.")
        return
    ids = out.y
    if ids.ndim > 1:
        ids = np.argmax(ids, axis=-1) if ids.shape[-1] != 1 else np.squeeze(ids, axis=-1)
    try:
        ids = np.round(ids.astype(np.float64)).astype(np.int64).reshape(-1)
    except (TypeError, ValueError):  # string labels: KC603 and the first step report them
        return
    out.sample_weight = np.array([out.class_weight.get(int(i), 1.0) for i in ids], dtype=np.float32)


def _validation(capture: Capture, thresholds: Thresholds, scanner: _Scanner, out: PreparedData) -> None:
    data = capture.validation_data
    if data is None:
        return
    if isinstance(data, (tuple, list)) and 2 <= len(data) <= 3:  # Keras unpacks a list like a tuple
        scanner.whole("validation_x", data[0])
        scanner.whole("validation_y", data[1])
        if len(data) == 3 and data[2] is not None:
            scanner.whole("sample_weight", data[2], name="validation_data[2]")
        return
    if not _is_stream(data):
        out.unavailable.append(Unavailable("validation data", f"unrecognized form {type(data).__name__}"))
        return
    batches, _ = _stream_batches(capture, data, thresholds.max_scan_batches, validation=True)
    for element in batches:
        vx, vy, vsw = _split_element(element)
        scanner.batch("validation_x", vx)
        scanner.batch("validation_y", vy)
        scanner.batch("sample_weight", vsw, name="validation_data[2]")
    scanner.finish_streams(len(batches))


# Layers that pass an input's values on unchanged in scale: the layer after them is what reads the data.
_PASS_THROUGH = frozenset({"InputLayer", "Resizing", "CenterCrop", "Reshape", "Permute", "Masking", "Dropout",
                           "GaussianNoise", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
                           "Cropping2D", "Cropping3D"})


def _passes_through(layer: Any) -> bool:
    kind = type(layer).__name__
    return kind in _PASS_THROUGH or kind.startswith("Random")


def _first_kinds_of_sequential(model: Any) -> list[str]:
    for layer in getattr(model, "layers", []):
        if hasattr(layer, "layers") and hasattr(layer, "inputs"):  # a nested model: what reads its input
            kinds = _first_kinds_of_sequential(layer) if type(layer).__name__ == "Sequential" else \
                _consumer_kinds(layer, layer.inputs[0] if layer.inputs else None)
            if kinds:
                return kinds
        elif not _passes_through(layer):
            return [type(layer).__name__]
    return []


def _consumer_kinds(model: Any, tensor: Any, depth: int = 0) -> list[str]:
    """Kinds of the layers of a functional ``model`` reading ``tensor``, following pass-through layers."""
    kinds: list[str] = []
    if tensor is None or depth > 8:
        return kinds
    for layer in getattr(model, "layers", []):
        for node in getattr(layer, "_inbound_nodes", []):
            if not any(t is tensor for t in getattr(node, "input_tensors", [])):
                continue
            if hasattr(layer, "layers") and hasattr(layer, "inputs"):
                kinds += _first_kinds_of_sequential(layer) if type(layer).__name__ == "Sequential" else \
                    _consumer_kinds(layer, layer.inputs[0] if layer.inputs else None, depth + 1)
            elif _passes_through(layer):
                for out in getattr(node, "output_tensors", []):
                    kinds += _consumer_kinds(model, out, depth + 1)
            else:
                kinds.append(type(layer).__name__)
                kinds += _token_readers_inside(layer)
    return sorted(set(kinds))


# Layers that read token ids: a user layer wrapping one (a token-and-position embedding, as in keras.io's
# Transformer examples) takes integer ids too, however large they are.
_TOKEN_READERS = frozenset({"Embedding", "IntegerLookup", "StringLookup", "CategoryEncoding", "Hashing",
                            "TextVectorization"})


def _token_readers_inside(layer: Any) -> list[str]:
    """Token-reading layers held by a user-defined layer (empty for Keras' own layers)."""
    if type(layer).__module__.startswith(("keras", "tf_keras", "tensorflow")):
        return []
    try:
        inner = layer._flatten_layers(include_self=False, recursive=True)
        return [type(sub).__name__ for sub in inner if type(sub).__name__ in _TOKEN_READERS]
    except Exception:  # noqa: BLE001 - a private API: no answer is not an error
        return []


def _input_layers(model: Any, name: str) -> list[str] | None:
    """What first reads the input array ``name`` (``x``, ``x[1]``, ``x['age']``); None when unknowable."""
    if type(model).__name__ == "Sequential":
        return _first_kinds_of_sequential(model) or None
    inputs = getattr(model, "inputs", None)
    if not inputs or not hasattr(model, "layers"):
        return None  # subclassed: no graph to follow
    tensor = None
    if name == "x" and len(inputs) == 1:
        tensor = inputs[0]
    elif match := re.fullmatch(r"x\[(\d+)\]", name):
        tensor = inputs[int(match.group(1))] if int(match.group(1)) < len(inputs) else None
    elif match := re.fullmatch(r"x\[(['\"])(.*)\1\]", name):
        tensor = next((t for t in inputs if getattr(t, "name", None) == match.group(2)), None)
    if tensor is None:
        return None
    return _consumer_kinds(model, tensor) or None


def prepare_data(capture: Capture, thresholds: Thresholds) -> PreparedData:
    """The first batch of ``capture``'s data, the statistics of all of it, and what could not be read."""
    out = PreparedData(class_weight=_class_weight(capture.class_weight))
    scanner = _Scanner()
    n = _batch_size(capture, thresholds)
    try:
        if capture.x is None:
            out.unavailable.append(Unavailable("data checks", f"{capture.method} was called without x"))
        elif _is_stream(capture.x):
            if _is_dataset(capture.x):
                out.step_error = _unbatched_error(capture.x, capture.model)
            batches, out.source = _stream_batches(capture, capture.x, thresholds.max_scan_batches, False)
            if not batches:
                out.unavailable.append(Unavailable("data checks", f"the {out.source} yielded no batch"))
            elif out.source == "generator" and isinstance(batches[0], list):
                out.step_error = _generator_list_error(batches[0])
                batches = [tuple(b) if isinstance(b, list) else b for b in batches]  # still measured as meant
            for element in batches:
                x, y, sw = _split_element(element)
                scanner.batch("x", x)
                scanner.batch("y", y)
                scanner.batch("sample_weight", sw)
            scanner.finish_streams(len(batches))
            if batches:
                x, y, sw = (_to_numpy(v) for v in _split_element(batches[0]))
                out.x, out.y, out.sample_weight = _slice(x, n), _slice(y, n), _slice(sw, n)
                out.element = _slice(_to_numpy(batches[0]), n)
        else:
            out.source = "arrays"
            culprit = _list_argument(capture)
            if culprit is not None:
                out.step_error = _list_error(capture.x, culprit)
            scanner.whole("x", capture.x)
            scanner.whole("y", capture.y)
            scanner.whole("sample_weight", capture.sample_weight)
            out.x, out.y = _slice(_to_numpy(capture.x), n), _slice(_to_numpy(capture.y), n)
            out.sample_weight = _slice(_to_numpy(capture.sample_weight), n)
        _validation(capture, thresholds, scanner, out)
        _apply_class_weight(out)
    except Exception as error:  # user data of an unforeseen form: one info finding, never a crash
        out.unavailable.append(Unavailable("data checks", f"reading the data failed: {type(error).__name__}: "
                                                          f"{str(error).splitlines()[0] if str(error) else ''}"))
    out.arrays = scanner.arrays
    for stats in out.arrays:
        if stats.role == "x":
            try:
                stats.input_layers = _input_layers(capture.model, stats.name)
            except Exception:  # an unusual model graph: the consumer stays unknown, KC602 stays careful
                stats.input_layers = None
    return out
