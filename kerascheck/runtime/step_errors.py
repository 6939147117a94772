"""Translate the exception a model raised at its first training step into the user's terms.

On Keras 3 many real bugs surface as an exception the first time the model meets the data: its own
shape checks (``Arguments `target` and `output` must have the same rank``), TensorFlow's label range
check deep in the loss, an input layer's shape check, an unknown loss name, a Python list as ``x``. The
raw messages name Keras internals (``target``, ``output``, a graph node); users need the cause in their
own terms (their labels, their head layer, their ``compile`` call) and what to write instead.

Every pattern here was reproduced with real Keras 3.15 / TensorFlow 2.21 in
``tests/runtime/test_step_errors.py``. Plain data in, plain data out (``StepError`` ->
``Translation``): rules import this module without TensorFlow.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kerascheck.runtime.measurements import RunMeasurements, StepError

__all__ = ["Translation", "translate", "essence", "KNOWN_NAMES"]

# Names ``compile`` accepts as strings (Keras 3), for "did you mean" suggestions.
KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    "loss": ("mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
             "mean_squared_logarithmic_error", "mse", "mae", "mape", "msle", "binary_crossentropy",
             "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_focal_crossentropy",
             "categorical_focal_crossentropy", "kl_divergence", "poisson", "huber", "log_cosh", "hinge",
             "squared_hinge", "categorical_hinge", "cosine_similarity"),
    "optimizer": ("adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl",
                  "lion", "lamb"),
    "metric": ("accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
               "top_k_categorical_accuracy", "auc", "precision", "recall", "mse", "mae"),
}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NOISE = ("File ", "Detected at node", "Graph execution error", "[[", "Exception encountered when calling",
          "Arguments received by", "\u2022", "Traceback")
_SHAPE = r"\(([^()]*)\)"
_RANK = re.compile(r"must have the same rank \(ndim\)\. Received: target\.shape=" + _SHAPE
                   + r", output\.shape=" + _SHAPE)
_SPARSE_RANK = re.compile(r"Argument `output` must have rank \(ndim\) `target\.ndim - 1`\. Received: "
                          r"target\.shape=" + _SHAPE + r", output\.shape=" + _SHAPE)
_SAME_SHAPE = re.compile(r"must have the same shape\. Received: target\.shape=" + _SHAPE
                         + r", output\.shape=" + _SHAPE)
_LABEL_RANGE = re.compile(r"Received a label value of (-?\d+) which is outside the valid range of \[0, (\d+)\)")
_INPUT = re.compile(r"Input (\d+)(?: with name '([^']*)')? of layer '([^']*)' is incompatible with the layer: "
                    r"(.*?)(?:\s*$)", re.S)
_INVALID_INPUT = re.compile(r"Expected shape " + _SHAPE + r", but input has incompatible shape " + _SHAPE)
_FOUND_SHAPE = re.compile(r"(?:found shape=|received input with shape |Full shape received: )" + _SHAPE)
_UNKNOWN_NAME = re.compile(r"Could not interpret (loss|optimizer|metric) identifier: (.+)")
_DATA_TYPE = re.compile(r"Unrecognized data type: (x|y)=.*\(of type <class '([\w.]+)'>\)", re.S)
_ACCEPTED_TYPES = ("numpy.", "pandas.", "tensorflow.")  # array types fit takes as x
_STRING_DTYPE = re.compile(r"Invalid dtype: (str\d*|bytes\d*|object)|Cast (string) to \w+ is not supported")
_DIMS = re.compile(r"Dimensions must be equal, but are (\d+) and (\d+) for .*compile_loss/(\w+)/.*"
                   r"with input shapes: \[([^\]]*)\], \[([^\]]*)\]", re.S)


@dataclass(frozen=True)
class Translation:
    """One finding's worth: what the error means, and where in the user's code the cause lies.

    ``about`` is ``"head"`` (the output layer), ``"layer"`` (``layer`` names it), ``"compile"``, ``"fit"``
    or ``"model"``; ``category`` is ``"labels"`` when the labels are what is wrong (KC603 reports those
    from the data statistics when it can), else ``"shape"``, ``"input"``, ``"name"``, ``"data"`` or
    ``"unknown"``.
    """

    category: str
    about: str
    message: str
    layer: str | None = None


def essence(message: str) -> str:
    """The one informative line of an exception message (TensorFlow wraps it in graph tracebacks)."""
    for line in _ANSI.sub("", message).splitlines():
        text = line.strip()
        if text and not text.startswith(_NOISE):
            return re.sub(r"\s+Label values:.*", "", text)[:300]
    return _ANSI.sub("", message).strip()[:300]


def _dims(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _shape(text: str) -> str:
    parts = _dims(text)
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


_STRING_READERS = frozenset({"TextVectorization", "StringLookup", "Hashing"})  # layers that take strings


def _string_reader(run: RunMeasurements) -> str:
    return next(layer.kind for layer in run.layers if layer.kind in _STRING_READERS)


def _head(run: RunMeasurements) -> str:
    return f"the head layer '{run.layers[-1].name}'" if run.layers else "the output layer"


def _loss(run: RunMeasurements) -> str:
    return f"loss='{run.loss}'" if run.loss else "the loss"


def _rank(run: RunMeasurements, target: str, output: str) -> Translation:
    t, o = _dims(target), _dims(output)
    shapes = f"the targets have shape {_shape(target)} but the model outputs {_shape(output)}"
    if len(t) + 1 == len(o) and o and run.loss in (None, "categorical_crossentropy", "categorical_focal_crossentropy",
                                                    "kl_divergence"):
        classes = o[-1]
        return Translation("shape", "compile", (
            f"{shapes} under {_loss(run)}: the targets are integer class ids, while categorical cross-entropy "
            f"needs one-hot rows of width {classes}, so the first step fails; use "
            f"loss='sparse_categorical_crossentropy', or one-hot encode the labels "
            f"(keras.utils.to_categorical(y, {classes}))"))
    if len(t) + 1 == len(o):
        return Translation("shape", "fit", (
            f"{shapes}: each target lacks the output's last axis, so the loss cannot compare them; reshape the "
            f"targets to {_shape(output)} (e.g. y.reshape(-1, {o[-1] if o else 1})) or change the head"))
    return Translation("shape", "head", (
        f"{shapes} under {_loss(run)}: the loss compares them element by element, so the first step fails; "
        f"make {_head(run)} produce the targets' shape, or reshape the targets"))


def _input(run: RunMeasurements, match: re.Match[str]) -> Translation:
    layer, detail = match.group(3), " ".join(match.group(4).split())
    found = _FOUND_SHAPE.search(detail)
    data = f"a batch of x has shape {_shape(found.group(1))}" if found else "the data x does not fit the input"
    expected = re.search(r"expected (shape=\(.*?\)|axis -?\d+ of input shape to have value \d+|"
                         r"min_ndim=\d+|ndim=\d+)", detail)
    wants = expected.group(1).replace("shape=", "shape ") if expected else detail.split(",")[0]
    known = run.layer(layer) is not None
    return Translation("input", "layer" if known else "model", (
        f"{data} but layer '{layer}' expects {wants}: the data and the model's input shape disagree, so the "
        f"first step fails; give keras.Input(shape=...) the shape of one example of your data (without the "
        f"batch axis), or reshape/select the data to what the model expects"), layer if known else None)


def _label_range(run: RunMeasurements, value: int, units: int) -> Translation:
    fix = ("re-index the labels from 0 (e.g. y - y.min(), or sklearn's LabelEncoder)" if value < 0 else
           f"make {_head(run)} Dense({value + 1}) if there are {value + 1} classes, or re-index the labels to "
           f"0..{units - 1}")
    return Translation("labels", "head", (
        f"a label value {value} is outside [0, {units}): with {units} output units sparse labels must be "
        f"0..{units - 1}, and TensorFlow's loss rejects any other at the first step; {fix}"))


def _unknown_name(kind: str, name: str) -> Translation:
    name = name.strip().splitlines()[0]
    close = difflib.get_close_matches(name.lower(), KNOWN_NAMES[kind], n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(KNOWN_NAMES[kind][:6])}..."
    return Translation("name", "compile", (
        f"compile's {kind} '{name}' is not a name Keras knows, so training cannot start; {hint} "
        f"(or pass the object, e.g. keras.{'losses' if kind == 'loss' else kind + 's'}.<Class>())"))


def translate(error: StepError, run: RunMeasurements) -> Translation:
    """The user-facing meaning of ``error``, raised at ``error.stage`` on the model ``run`` describes."""
    text = _ANSI.sub("", error.message)
    if match := _SPARSE_RANK.search(text):
        target, output = match.groups()
        return Translation("labels", "compile", (
            f"the targets have shape {_shape(target)}, one-hot rows, but {_loss(run)} expects integer class "
            f"ids of shape {_shape(', '.join(_dims(output)[:-1]))}, so the first step fails; use "
            f"loss='categorical_crossentropy', or pass y.argmax(axis=-1)"))
    if match := _RANK.search(text):
        return _rank(run, *match.groups())
    if match := _SAME_SHAPE.search(text):
        target, output = (_dims(g) for g in match.groups())
        if target[:-1] == output[:-1] and target and output:
            advice = (f"for {target[-1]} classes use Dense({target[-1]}, activation='softmax') with "
                      f"categorical_crossentropy" if run.loss == "binary_crossentropy" and output[-1] == "1"
                      else f"give {_head(run)} {target[-1]} units, one per target column, or fix the label "
                      f"encoding")
            return Translation("labels", "head", (
                f"the targets have {target[-1]} columns but {_head(run)} outputs {output[-1]} units "
                f"(targets {_shape(match.group(1))}, output {_shape(match.group(2))}), so the loss cannot "
                f"compare them; {advice}"))
        return _rank(run, *match.groups())
    if match := _LABEL_RANGE.search(text):
        return _label_range(run, int(match.group(1)), int(match.group(2)))
    if match := _INVALID_INPUT.search(text):
        expected, found = match.groups()
        if len(_dims(found)) + 1 == len(_dims(expected)):
            return Translation("input", "fit", (
                f"each batch of x has shape {_shape(found)}, one axis short of the model's input "
                f"{_shape(expected)}: the data has no batch axis, so the first step fails; batch a "
                f"tf.data.Dataset before fit (dataset.batch(32)), or give a single example a batch axis "
                f"(x[None])"))
        return Translation("input", "model", (
            f"a batch of x has shape {_shape(found)} but the model's input expects {_shape(expected)}: the "
            f"data and the model's input shape disagree, so the first step fails; give keras.Input(shape=...) "
            f"the shape of one example of your data (without the batch axis), or reshape the data"))
    if match := _INPUT.search(text):
        return _input(run, match)
    if match := _UNKNOWN_NAME.search(text):
        return _unknown_name(match.group(1), match.group(2))
    if "generator must return a tuple" in text:
        return Translation("data", "fit", (
            "the generator yields a list ([x, y]) where Keras 3's fit needs a tuple, so training stops at "
            "the first batch; yield a tuple instead: `yield x_batch, y_batch`"))
    if error.argument in ("y", "sample_weight") and _DATA_TYPE.search(text):
        return Translation("data", "fit", (
            f"{error.argument} is a plain Python list, which Keras 3's fit rejects (its error names x, which is "
            f"fine); pass np.asarray({error.argument}, dtype='float32')"))
    if match := _DATA_TYPE.search(text):
        role, kind = match.groups()
        if kind.startswith(_ACCEPTED_TYPES):  # x itself is fine: Keras names x when y is what it cannot read
            return Translation("data", "fit", (
                f"fit could not read the data although {role} is a {kind}: the targets (or sample weights) are "
                f"in a form Keras 3 rejects, typically a plain Python list; pass np.asarray(y)"))
        if kind == "list":
            return Translation("data", "fit", (
                f"{role} is a plain Python list, which Keras 3's fit rejects (it takes NumPy arrays, tensors, "
                f"tf.data.Dataset or PyDataset); pass np.asarray({role}, dtype='float32')"))
        return Translation("data", "fit", (
            f"{role} is a {kind}, which Keras 3's fit does not accept; convert it to a NumPy array "
            f"(np.asarray({role})) or a tf.data.Dataset"))
    if (match := _STRING_DTYPE.search(text)) and any(layer.kind in _STRING_READERS for layer in run.layers):
        return Translation("input", "fit", (
            f"x is a NumPy array of strings (dtype {match.group(1) or match.group(2)}), which Keras 3's fit "
            f"cannot convert, although the model's {_string_reader(run)} takes strings; pass "
            f"tf.constant(x) or a tf.data.Dataset.from_tensor_slices((x, y)).batch(32) instead"))
    if match := _STRING_DTYPE.search(text):
        return Translation("labels", "fit", (
            f"the data holds strings (dtype {match.group(1) or match.group(2)}) where the model needs numbers, "
            f"so the first step fails; encode string labels as integer ids (sklearn's LabelEncoder, or keras.layers.StringLookup) "
            f"and text inputs with a TextVectorization layer"))
    if match := _DIMS.search(text):
        first, second, loss, target, output = match.groups()
        return Translation("shape", "head", (
            f"the targets have shape {_shape(target)} but the model outputs {_shape(output)}, so {loss} cannot "
            f"compare them at the first step; give {_head(run)} {_dims(target)[-1]} units or reshape the "
            f"targets"))
    return Translation("unknown", "fit" if error.stage == "fit" else "model", (
        f"the first training step raised {error.type} ({error.stage} stage): {essence(error.message)}; "
        f"training cannot start until this is fixed"))
