"""Shared helpers of the architecture rules (KC401-KC411): reading layer chains, shapes, initializers.

Not a rule module (the leading underscore keeps discovery away). Everything here reads facts only.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from kerascheck.facts import keras_api as api
from kerascheck.facts.model import UNIT_LAYERS, UNKNOWN, CallFact, FileFacts, LayerFact, ModelFacts

# Layers with a weight matrix applied position-wise, whose activation is a plain function of it.
DENSE_CONV = frozenset({"Dense", "LocallyConnected1D", "LocallyConnected2D"}) | api.CONV_LAYERS
# Layers that add noise or drop units during training only.
NOISE_LAYERS = frozenset(
    {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
     "GaussianDropout", "AlphaDropout"}
)
FLATTENING_LAYERS = frozenset(
    {"Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
     "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAvgPool1D",
     "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
     "Reshape"}
)
# Model kinds whose ``layers`` are one chain in execution order.
CHAIN_MODELS = frozenset({"sequential", "functional", "subclassed"})


def chain_models(facts: FileFacts) -> Iterator[ModelFacts]:
    """Models whose layer chain is fully known (rules about the stack need all of it)."""
    for model in facts.models:
        if model.complete and model.kind in CHAIN_MODELS and model.layers:
            yield model


def nested_models(facts: FileFacts) -> set[int]:
    """``id``s of the models used as a layer of another model."""
    return {id(layer.nested_model) for model in facts.models for layer in model.raw_layers
            if layer.nested_model is not None}


def is_unit_layer(layer: LayerFact) -> bool:
    return layer.kind in UNIT_LAYERS or layer.kind in DENSE_CONV


def output_index(layers: Sequence[LayerFact]) -> int | None:
    """Index of the output layer: the last layer with units/filters (None when there is none)."""
    for i in range(len(layers) - 1, -1, -1):
        if is_unit_layer(layers[i]):
            return i
    return None


def hidden_indices(layers: Sequence[LayerFact]) -> range:
    """Indices of the layers before the output layer."""
    out = output_index(layers)
    return range(out if out is not None else 0)


def describe(layer: LayerFact) -> str:
    """``Dense(64)``, ``Conv2D(32)``, ``Dropout(0.5)``: the layer as a reader recognises it."""
    if layer.units is not None:
        return f"{layer.kind}({layer.units})"
    if layer.kind in NOISE_LAYERS:
        rate = dropout_rate(layer)
        if rate is not None:
            return f"{layer.kind}({_num(rate)})"
    return layer.kind


def _num(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() and abs(value) >= 1 else repr(value)


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def dropout_rate(layer: LayerFact) -> float | None:
    """The drop rate of a dropout-like layer (``rate`` first positional, Keras 1 ``p=``)."""
    if layer.kind == "GaussianNoise":
        return None
    value = layer.arg("rate", 0)
    if value is None:
        value = layer.kwargs.get("p")
    return number(value)


def shape_tuple(value: Any) -> tuple[Any, ...] | None:
    """A shape as a tuple (items may be ints, None or UNKNOWN); an int is a 1-tuple."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    return None


def declared_input_shape(model: ModelFacts) -> tuple[tuple[Any, ...], LayerFact, str] | None:
    """The per-sample input shape the model declares, the fact that declares it and the keyword.

    From the first layer's ``input_shape``/``batch_input_shape`` or from the model's ``keras.Input``
    (``shape``/``batch_shape``) when the first layer consumes it directly.
    """
    if not model.raw_layers:
        return None
    first = model.raw_layers[0]
    for keyword, batch in (("input_shape", False), ("batch_input_shape", True)):
        if keyword in first.kwargs:
            shape = shape_tuple(first.kwargs[keyword])
            if shape is None or (batch and not shape):
                return None
            return (shape[1:] if batch else shape), first, keyword
    source = model.input_layer
    if source is None or first.follows_op:
        return None
    for keyword, position, batch in (("shape", 0, False), ("input_shape", None, False),
                                     ("batch_shape", None, True),
                                     ("batch_input_shape", None, True)):
        value = source.arg(keyword, position) if position is not None else source.kwargs.get(keyword)
        if value is None:
            continue
        shape = shape_tuple(value)
        if shape is None or (batch and not shape):
            return None
        return (shape[1:] if batch else shape), source, keyword if keyword in source.kwargs else ""
    return None


def initializer(layer: LayerFact, keyword: str = "kernel_initializer") -> tuple[Any, str] | None:
    """The kernel initializer value and the keyword it is written with (Keras 1/2 ``init``)."""
    for key in (keyword, "init") if keyword == "kernel_initializer" else (keyword,):
        if key in layer.kwargs:
            return layer.kwargs[key], key
    return None


_CONSTANT_STRINGS = {"zeros": 0.0, "zero": 0.0, "ones": 1.0, "one": 1.0, "constant": 0.0}
_CONSTANT_CALLS = {"zeros": 0.0, "zeros_initializer": 0.0, "ones": 1.0, "ones_initializer": 1.0,
                   "constant": None, "constant_initializer": None}


def _initializer_call(value: Any) -> tuple[str, CallFact] | None:
    """``("zeros", call)`` for an initializer object from Keras or TensorFlow."""
    if not isinstance(value, CallFact):
        return None
    if not value.name.startswith(("keras.initializers.", "tf.")):
        return None
    return value.short.lower(), value


def constant_value(value: Any) -> Any:
    """The constant a kernel initializer fills with; None when it is not a constant initializer.

    ``Constant(v)`` whose value is not a known number gives None too: it may well be an array of
    pretrained weights (``Constant(W)``), which is not symmetric at all.
    """
    if isinstance(value, str):
        key = value.lower()
        return _CONSTANT_STRINGS.get(key)
    found = _initializer_call(value)
    if found is None:
        return None
    short, call = found
    if short not in _CONSTANT_CALLS:
        return None
    fill = _CONSTANT_CALLS[short]
    if fill is not None:
        return fill
    return number(call.arg("value", 0, 0.0))


_RANDOM = {
    # short lower-case name -> how its spread is given
    "randomnormal": "normal", "random_normal": "normal", "random_normal_initializer": "normal",
    "truncatednormal": "normal", "truncated_normal": "normal",
    "truncated_normal_initializer": "normal",
    "randomuniform": "uniform", "random_uniform": "uniform", "random_uniform_initializer": "uniform",
}


def random_spread(value: Any) -> tuple[float, str, str] | None:
    """``(standard deviation, keyword, written value)`` of a RandomNormal/Uniform initializer."""
    found = _initializer_call(value)
    if found is None:
        return None
    short, call = found
    family = _RANDOM.get(short)
    if family == "normal":
        stddev = number(call.arg("stddev", 1, 0.05))
        if stddev is None:
            return None
        return abs(stddev), "stddev", f"stddev={_num(stddev)}"
    if family == "uniform":
        low = number(call.arg("minval", 0, -0.05))
        high = number(call.arg("maxval", 1, 0.05))
        if low is None or high is None:
            return None
        half = max(abs(low), abs(high))
        return half / 3 ** 0.5, "maxval", f"minval={_num(low)}, maxval={_num(high)}"
    return None


def written(value: Any) -> str:
    """An argument value as written in a message (``'zeros'``, ``Constant(0.1)``)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, CallFact):
        inner = ", ".join([*(repr(a) for a in value.args if a is not UNKNOWN),
                           *(f"{k}={v!r}" for k, v in value.kwargs.items() if v is not UNKNOWN)])
        return f"{value.short}({inner})"
    return repr(value)
