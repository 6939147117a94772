"""Live argument values (initializers, metrics, schedules, layer configs) as the static facts' values.

The static facts hold a constructor call as a ``CallFact`` (``keras.initializers.RandomNormal`` with
``stddev=2.0``) and a layer's arguments as ``kwargs`` of constants and ``CallFact``s. A live object
holds the same information in ``get_config()``: these helpers translate it, keeping only the layer
arguments the structural rules read, so a rule cannot mistake a default Keras filled in for a choice
it should judge (a ``CallFact`` of a metric keeps only the arguments that differ from the class's
defaults, as a call written in the source would).
"""

from __future__ import annotations

from typing import Any, Mapping

from kerascheck.facts.model import CallFact

__all__ = ["config_of", "fact_value", "library_call", "layer_kwargs"]

# Layer arguments the structural rules read (KC101 axis, KC404/KC405 initializers and bias, KC406 rates,
# KC408/KC410 data_format, KC405/KC410 kernel_size, KC411 return_sequences, KC203/KC411 layer).
RULE_KWARGS = ("rate", "dropout", "recurrent_dropout", "return_sequences", "data_format", "kernel_size",
               "kernel_initializer", "bias_initializer", "use_bias", "axis")
# Wrappers whose inner layer the rules look through (``Bidirectional(LSTM(...))``).
_WRAPPED = {"Bidirectional": "forward_layer", "TimeDistributed": "layer"}
_MAX_DEPTH = 4


def config_of(obj: Any) -> Mapping[str, Any]:
    """``obj.get_config()``, or ``{}`` when it has none or it fails (a half-built custom object)."""
    get_config = getattr(obj, "get_config", None)
    if not callable(get_config):
        return {}
    try:
        config = get_config()
    except Exception:  # noqa: BLE001 - a user's broken get_config must not stop the checks
        return {}
    return config if isinstance(config, Mapping) else {}


def fact_value(value: Any, depth: int = 0) -> Any:
    """A config value as a facts value: constants, tuples, dicts, or a ``CallFact`` for an object.

    Anything else (an array of pretrained weights given to ``Constant``, a tensor) is left out as
    ``None``: the rules treat it as "not a known constant" and stay quiet.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(fact_value(item, depth + 1) for item in value)
    if isinstance(value, Mapping):
        return {key: fact_value(item, depth + 1) for key, item in value.items() if isinstance(key, str)}
    return library_call(value, _namespace(value), depth=depth + 1)


def _namespace(obj: Any) -> str:
    """``keras.initializers`` for ``keras.src.initializers.random_initializers.RandomNormal``."""
    module = type(obj).__module__ or ""
    parts = module.split(".")
    if parts[:2] == ["keras", "src"] and len(parts) > 2:
        return f"keras.{parts[2]}"
    return parts[0]


def library_call(obj: Any, namespace: str, *, defaults_only: bool = False, depth: int = 0) -> CallFact | None:
    """A live library object as the call that would build it (``keras.metrics.BinaryAccuracy``).

    None for a user's own class or function (its arguments mean nothing to the rules). With
    ``defaults_only`` the arguments equal to a fresh instance's are dropped: ``BinaryAccuracy()``
    stays a call without ``threshold``, as written.
    """
    cls = type(obj)
    plain_function = callable(obj) and not hasattr(obj, "get_config")
    if obj is None or plain_function or not (cls.__module__ or "").startswith(("keras", "tensorflow")):
        return None
    config = dict(config_of(obj))
    config.pop("name", None)
    config.pop("dtype", None)
    if defaults_only:
        try:
            default = config_of(cls())
        except Exception:  # noqa: BLE001 - a class with required arguments: keep everything
            default = {}
        config = {k: v for k, v in config.items() if k not in default or default[k] != v}
    kwargs = {key: fact_value(value, depth + 1) for key, value in config.items()}
    return CallFact(f"{namespace}.{cls.__name__}", (), kwargs)


def layer_kwargs(layer: Any, kind: str) -> dict[str, Any]:
    """The arguments of ``layer`` that the rules read, from its config and attributes."""
    config = config_of(layer)
    kwargs: dict[str, Any] = {}
    for key in RULE_KWARGS:
        if key in ("kernel_initializer", "bias_initializer"):
            live = getattr(layer, key, None)
            if live is not None:
                kwargs[key] = library_call(live, "keras.initializers")
        elif key in config:
            kwargs[key] = fact_value(config[key])
    shape = getattr(layer, "_input_shape_arg", None)
    if shape is not None:
        kwargs["input_shape"] = fact_value(tuple(shape))
    inner_attribute = _WRAPPED.get(kind)
    inner = getattr(layer, inner_attribute, None) if inner_attribute else None
    if inner is not None:
        inner_kind = type(inner).__name__
        kwargs["layer"] = CallFact(f"keras.layers.{inner_kind}", (), layer_kwargs(inner, inner_kind))
    return kwargs
