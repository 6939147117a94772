"""Canonical static names for live Keras objects: losses, activations, metrics and optimizers.

The static rules speak one vocabulary (``kerascheck.facts.keras_api``): ``"categorical_crossentropy"``,
``"softmax"``, ``"accuracy"``, ``"Adam"``. A live model holds the same things as strings, functions,
``keras.losses.Loss`` objects, schedules... These pure functions map a live object onto that
vocabulary so that the structural rules (through ``live_facts``) and the runtime rules (through
``measure``) name things exactly as the static pass does. They never mutate what they read and never
import TensorFlow: everything is read through attributes and ``get_config()``, so they also run on
look-alike objects in tests. ``None`` always means "not a name we know": callers stay silent on it.
"""

from __future__ import annotations

from typing import Any, Mapping

from kerascheck.facts import keras_api as api
from kerascheck.facts.model import ACTIVATION_LAYERS

__all__ = ["loss_name", "activation_name", "metric_name", "metric_names", "optimizer_info",
           "compiled_loss", "compiled_metrics", "is_keras_class", "KERAS_PACKAGES", "custom_loss_name"]

# Modules whose functions are library activations/losses (a user's own function is not one of them).
_LIBRARY_MODULES = ("keras", "tensorflow", "tf_keras", "jax", "torch")
# Python names of TensorFlow functions that differ from Keras' canonical name.
_TF_FUNCTION_NAMES = {"softmax_v2": "softmax", "log_softmax_v2": "log_softmax"}


KERAS_PACKAGES = ("keras", "tf_keras")  # Keras 3, and the legacy Keras 2 package of TensorFlow >= 2.16


def is_keras_class(cls: type) -> bool:
    """Defined by Keras itself (Keras 3 or tf_keras), not by the user or another library."""
    return (getattr(cls, "__module__", None) or "").split(".", 1)[0] in KERAS_PACKAGES


def _is_library(fn: Any) -> bool:
    """Defined by Keras/TensorFlow (a function's module, or an instance's class module)."""
    module = getattr(fn, "__module__", None) or type(fn).__module__ or ""
    return module.split(".", 1)[0] in _LIBRARY_MODULES


def _config(obj: Any) -> Mapping[str, Any]:
    """``obj.get_config()``, or ``{}`` when it has none or it fails (a half-built custom object)."""
    get_config = getattr(obj, "get_config", None)
    if not callable(get_config):
        return {}
    try:
        config = get_config()
    except Exception:  # noqa: BLE001 - a user's broken get_config must not stop the checks
        return {}
    return config if isinstance(config, Mapping) else {}


def custom_loss_name(loss: Any) -> str | None:
    """The name of a loss the user wrote (a function or a ``Loss`` subclass of their own), else None."""
    if loss is None or isinstance(loss, (str, Mapping, list, tuple)) or _is_library(loss):
        return None
    return getattr(loss, "__name__", None) or type(loss).__name__


def compiled_loss(model: Any, compile_args: Mapping[str, Any] | None = None) -> Any:
    """The loss as the compile call gave it (``"mse"`` as written), else what the model holds.

    The recorded arguments are preferred: Keras may wrap or resolve what it was given, and the
    user's spelling is what a message should quote.
    """
    if compile_args and "loss" in compile_args:
        return compile_args["loss"]
    return getattr(model, "loss", None)


def compiled_metrics(model: Any, compile_args: Mapping[str, Any] | None = None) -> Any:
    """The ``metrics`` argument of the compile call, else the one Keras kept in its compile config."""
    if compile_args and "metrics" in compile_args:
        return compile_args["metrics"]
    config = getattr(getattr(model, "_compile_config", None), "config", None)
    if isinstance(config, Mapping):
        return config.get("metrics")
    return None


def loss_name(loss: Any) -> tuple[str | None, bool | None]:
    """``(canonical name, from_logits)`` of a loss given to ``compile``.

    A string (``"mse"``) or a library loss function has no ``from_logits`` (None: Keras' default,
    False); a ``keras.losses.Loss`` object reports the value it holds. A custom function or class and
    a per-output dict/list give ``(None, None)``: which loss applies to which head is not one fact.
    """
    if isinstance(loss, str):
        name = api.canonical_loss(loss)
        return (name if name in api.KNOWN_LOSSES else None), None
    if loss is None or isinstance(loss, (Mapping, list, tuple)):
        return None, None
    if isinstance(loss, type):  # a class given uninstantiated is a mistake Keras reports itself
        return None, None
    if callable(loss) and not hasattr(loss, "get_config") and _is_library(loss):
        name = api.canonical_loss(getattr(loss, "__name__", ""))
        return (name if name in api.KNOWN_LOSSES else None), None
    if not _is_library(type(loss)):
        return None, None
    name = api.canonical_loss(type(loss).__name__)
    if name not in api.KNOWN_LOSSES:
        # A LossFunctionWrapper around a library function: its config names the function.
        name = api.canonical_loss(str(_config(loss).get("name") or ""))
        if name not in api.KNOWN_LOSSES:
            return None, None
    logits = _config(loss).get("from_logits", getattr(loss, "from_logits", None))
    return name, (logits if isinstance(logits, bool) else None)


def activation_name(fn: Any) -> str | None:
    """Canonical name of a layer's ``activation`` attribute (``keras.activations.softmax`` -> "softmax").

    ``None`` as an attribute is Keras' linear activation. A layer object used as an activation
    (``activation=layers.LeakyReLU()``) is named as the static pass names standalone activation
    layers. A custom function gives None.
    """
    if fn is None:
        return "linear"
    if isinstance(fn, str):
        return api.canonical_activation(fn)
    kind = type(fn).__name__
    if kind in ACTIVATION_LAYERS and _is_library(type(fn)):
        named = ACTIVATION_LAYERS[kind]
        return named if named else activation_name(getattr(fn, "activation", None))
    if not callable(fn) or not _is_library(fn):
        return None
    raw = getattr(fn, "__name__", None)
    if not isinstance(raw, str) or raw.startswith("<"):
        return None
    return api.canonical_activation(_TF_FUNCTION_NAMES.get(raw, raw))


def metric_name(metric: Any) -> str | None:
    """Canonical name of one metric as given to ``compile`` (``"acc"`` -> "accuracy"); None if custom."""
    if isinstance(metric, str):
        return api.canonical_metric(metric)
    if metric is None or not _is_library(metric):
        return None
    if hasattr(metric, "get_config"):  # a Metric object is named by its class (``AUC`` -> "auc")
        return api.canonical_metric(type(metric).__name__)
    raw = getattr(metric, "__name__", None)
    return api.canonical_metric(raw) if isinstance(raw, str) else None


def metric_names(source: Any) -> list[str]:
    """Canonical names of the known metrics of a compile call's arguments or of a compiled model.

    ``source`` is ``capture.compile_args_of(model)`` (a mapping with ``metrics``) or the model itself.
    Per-output dicts/lists of lists are flattened; custom metrics are left out.
    """
    metrics = source.get("metrics") if isinstance(source, Mapping) else compiled_metrics(source)
    names: list[str] = []
    for metric in _flatten(metrics):
        name = metric_name(metric)
        if name is not None:
            names.append(name)
    return names


def _flatten(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        out: list[Any] = []
        for item in value:
            out.extend(_flatten(item) if isinstance(item, (list, tuple, Mapping)) else [item])
        return out
    return [value]


def optimizer_info(opt: Any) -> dict[str, Any]:
    """What the optimizer rules read, from a live optimizer (or the string given to ``compile``).

    Keys: ``kind`` (class name, "Adam"; a ``LossScaleOptimizer`` reports its inner optimizer),
    ``learning_rate`` (float, a schedule's initial value, None when it cannot be read), ``schedule``
    (the schedule's class name or None), ``clipping`` (tuple of the set keywords among clipnorm,
    clipvalue, global_clipnorm), ``epsilon`` (float or None), ``from_string`` (True for a string:
    its rate is Keras' default, not a choice the user made).
    """
    if isinstance(opt, str):
        kind = api.OPTIMIZER_STRINGS.get(opt.lower())
        return {"kind": kind, "learning_rate": api.OPTIMIZER_DEFAULT_LR.get(kind) if kind else None,
                "schedule": None, "clipping": (), "epsilon": None, "from_string": True}
    inner = getattr(opt, "inner_optimizer", None)
    if type(opt).__name__ == "LossScaleOptimizer" and inner is not None:
        return optimizer_info(inner)
    if opt is None:
        return {"kind": None, "learning_rate": None, "schedule": None, "clipping": (), "epsilon": None,
                "from_string": False}
    rate = getattr(opt, "_learning_rate", None)
    if rate is None:
        rate = getattr(opt, "learning_rate", None)
    schedule = None
    if _is_schedule(rate):
        schedule = type(rate).__name__
        learning_rate = _schedule_initial(rate)
    else:
        learning_rate = _float32_value(rate)
    clipping = tuple(k for k in api.CLIP_KEYWORDS if getattr(opt, k, None) is not None)
    return {"kind": type(opt).__name__, "learning_rate": learning_rate, "schedule": schedule,
            "clipping": clipping, "epsilon": _float32_value(getattr(opt, "epsilon", None)),
            "from_string": False}


def _is_schedule(rate: Any) -> bool:
    """A ``LearningRateSchedule``: callable on the step, with a config (a variable is neither)."""
    return any(cls.__name__ == "LearningRateSchedule" for cls in type(rate).__mro__)


def _schedule_initial(schedule: Any) -> float | None:
    """The rate a schedule starts at (``PiecewiseConstantDecay``: its first value)."""
    config = _config(schedule)
    if "initial_learning_rate" in config:
        return _as_float(config["initial_learning_rate"])
    values = config.get("values")
    if isinstance(values, (list, tuple)) and values:
        return _as_float(values[0])
    try:
        return _as_float(schedule(0))
    except Exception:  # noqa: BLE001 - a custom schedule that cannot be called at step 0
        return None


def _float32_value(value: Any) -> float | None:
    """A rate or epsilon as the user wrote it: Keras stores them as float32 variables, so 1e-3 reads
    back as 0.0010000000474974513; seven significant digits is what float32 holds."""
    number = _as_float(value)
    return None if number is None else float(f"{number:.7g}")


def _as_float(value: Any) -> float | None:
    """A Python float from a number, NumPy scalar or 0-d tensor/variable; None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    for attribute in ("numpy", "item"):
        method = getattr(value, attribute, None)
        if callable(method):
            try:
                return _as_float(method())
            except Exception:  # noqa: BLE001 - not a scalar
                return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
