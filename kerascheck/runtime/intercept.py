"""Intercepting the script's first training call (``fit``, ``train_on_batch``) and its ``compile``.

``compile`` is wrapped to remember where the user called it and with what (bound by parameter name),
on the model itself (``capture.COMPILE_SITE_ATTR``/``COMPILE_ARGS_ATTR``), because the loss and
optimizer findings point at that line and ``model.loss`` alone loses e.g. a ``loss_weights`` dict's keys.

The first ``fit``/``train_on_batch`` (``fit_generator`` on ``tf_keras``) binds its arguments to the real
signature into a ``Capture`` and hands it to ``on_capture`` (the checks). Then either the script is
stopped by raising ``StopScript`` (a ``BaseException``, so a script's ``except Exception`` does not
swallow it) or, with ``continue_after``, the original method trains as asked and the script goes on.
Only the first training call is checked; later calls, and any training the checks themselves do on
copies of the model, go straight to Keras.
"""

from __future__ import annotations

import functools
import inspect
from types import ModuleType
from typing import Any, Callable, Mapping

from kerascheck.runtime.capture import COMPILE_ARGS_ATTR, COMPILE_SITE_ATTR, Capture
from kerascheck.runtime.measurements import Site
from kerascheck.runtime.patching import Patches
from kerascheck.runtime.sites import UserFiles, set_site, user_site

__all__ = ["StopScript", "Interceptor", "KwargsHook"]

# ``(method, kwargs, site) -> kwargs``: --keras2-compat renames Keras 1 keywords (``nb_epoch``) here.
KwargsHook = Callable[[str, dict[str, Any], Site | None], dict[str, Any]]

# Capture fields filled from the call's arguments; every other argument goes to ``fit_kwargs``.
_CAPTURED = ("x", "y", "sample_weight", "validation_data", "class_weight", "batch_size")
# Keras 2's ``fit_generator`` names its data argument differently.
_ALIASES = {"generator": "x"}


class StopScript(BaseException):
    """Raised at the first training call once the checks ran: ends the script without training."""


class Interceptor:
    """Owns the training/compile wrappers of one run and what the first training call produced.

    ``capture`` is the first training call (``None`` until it happens), ``report`` what ``on_capture``
    returned for it, ``continued`` whether the original method then trained (``continue_after``).
    """

    def __init__(self, on_capture: Callable[[Capture], Any], is_user: UserFiles, patches: Patches, *,
                 continue_after: bool = False) -> None:
        self.on_capture = on_capture
        self.is_user = is_user
        self.patches = patches
        self.continue_after = continue_after
        self.kwargs_hook: KwargsHook | None = None
        self.capture: Capture | None = None
        self.report: Any = None
        self.continued = False
        self.method_override: str | None = None  # set by compat's fit_generator -> fit translation
        self._busy = False

    # -- installation ---------------------------------------------------------------------------

    def install_keras(self, keras: ModuleType) -> None:
        """Wrap Keras 3's ``Model.compile``/``fit``/``train_on_batch`` (what ``tf.keras`` is on TF >= 2.16)."""
        self._install(keras.Model, ("fit", "train_on_batch"))

    def install_tf_keras(self, tf_keras: ModuleType) -> None:
        """Wrap the legacy ``tf_keras.Model``, which also still has ``fit_generator``."""
        self._install(tf_keras.Model, ("fit", "fit_generator", "train_on_batch"))

    def _install(self, model_class: type, methods: tuple[str, ...]) -> None:
        self.patches.set(_owner(model_class, "compile"), "compile", self._wrap_compile(model_class.compile))
        for name in methods:
            original = getattr(model_class, name, None)
            if original is not None:
                self.patches.set(_owner(model_class, name), name, self._wrap_training(original, name))

    # -- wrappers -------------------------------------------------------------------------------

    def _wrap_compile(self, original: Callable[..., Any]) -> Callable[..., Any]:
        signature = _signature(original)
        interceptor = self

        def compile(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not interceptor._busy:  # the checks may compile copies: those are not the user's call
                set_site(self, COMPILE_SITE_ATTR, user_site(interceptor.is_user, depth=2))
                set_site(self, COMPILE_ARGS_ATTR, _bind(signature, self, args, kwargs))
            return original(self, *args, **kwargs)

        return _like(compile, original)

    def _wrap_training(self, original: Callable[..., Any], name: str) -> Callable[..., Any]:
        signature = _signature(original)
        interceptor = self

        def training(self: Any, *args: Any, **kwargs: Any) -> Any:
            if interceptor._busy:
                return original(self, *args, **kwargs)
            method = interceptor.method_override or name
            interceptor.method_override = None
            site = user_site(interceptor.is_user, depth=2)
            if interceptor.kwargs_hook is not None:  # every call: a continued script fits again
                kwargs = interceptor.kwargs_hook(method, dict(kwargs), site)
            if interceptor.capture is not None:
                return original(self, *args, **kwargs)
            try:
                bound = signature.bind(self, *args, **kwargs) if signature is not None else None
            except TypeError:
                bound = None  # wrong arguments: Keras's own error is the script's error
            if bound is None:
                return original(self, *args, **kwargs)
            capture = _capture(self, method, bound.arguments, site)
            interceptor.capture = capture
            interceptor._busy = True
            try:
                interceptor.report = interceptor.on_capture(capture)
            finally:
                interceptor._busy = False
            if not interceptor.continue_after:
                raise StopScript()
            interceptor.continued = True
            _restore_streams(bound.arguments, capture)
            return original(*bound.args, **bound.kwargs)

        return _like(training, original)


def _owner(cls: type, name: str) -> type:
    """The class in ``cls``'s MRO that defines ``name``: the wrapper replaces it there.

    Keras compares ``model.__class__.compile`` with ``Trainer.compile`` to tell a user's override from
    its own (a "custom" compile is not re-applied when a model is cloned); wrapping on ``Trainer``
    itself keeps that comparison true, so copies of the model the checks make are compiled as usual.
    """
    return next((klass for klass in cls.__mro__ if name in vars(klass)), cls)


def _capture(model: Any, method: str, arguments: Mapping[str, Any], site: Site | None) -> Capture:
    values: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for key, value in arguments.items():
        if key == "self":
            continue
        if key == "kwargs" and isinstance(value, dict):
            rest.update(value)
            continue
        field = _ALIASES.get(key, key)
        (values if field in _CAPTURED else rest)[field] = value
    batch_size = values.get("batch_size")
    return Capture(model=model, method=method, x=values.get("x"), y=values.get("y"),
                   sample_weight=values.get("sample_weight"), validation_data=values.get("validation_data"),
                   class_weight=values.get("class_weight"),
                   batch_size=batch_size if isinstance(batch_size, int) else None,
                   fit_kwargs=rest, fit_site=site)


def _restore_streams(arguments: dict[str, Any], capture: Capture) -> None:
    """Give the original call what the checks left in the capture.

    Reading a generator consumes it; the data preparation puts ``itertools.chain(taken, rest)`` back
    into ``capture.x`` so the continued training still sees every batch. Keras 3's ``fit`` only takes
    real generators (``inspect.isgenerator``), not other iterators, so a plain iterator is re-wrapped.
    """
    for key in ("x", "y", "validation_data", "sample_weight"):
        name = "generator" if key == "x" and "generator" in arguments else key
        value = getattr(capture, key)
        if name in arguments and arguments[name] is not value:
            if inspect.isgenerator(arguments[name]) and _plain_iterator(value):
                value = (item for item in value)
            arguments[name] = value


def _plain_iterator(value: Any) -> bool:
    return hasattr(value, "__next__") and not inspect.isgenerator(value)


def _signature(function: Callable[..., Any]) -> inspect.Signature | None:
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None


def _bind(signature: inspect.Signature | None, model: Any, args: tuple, kwargs: dict) -> dict[str, Any]:
    """The call's arguments by parameter name (``**kwargs`` flattened), as the user wrote them."""
    if signature is None:
        return dict(kwargs)
    try:
        bound = signature.bind(model, *args, **kwargs)
    except TypeError:
        return dict(kwargs)
    values: dict[str, Any] = {}
    for key, value in bound.arguments.items():
        parameter = signature.parameters[key]
        if key == "self":
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            values.update(value)
        else:
            values[key] = value
    return values


def _like(wrapper: Callable[..., Any], original: Callable[..., Any]) -> Callable[..., Any]:
    """Give a wrapper the original's name, docs, signature and markers.

    Keras tells an overridden ``compile`` from its own by a ``_is_default`` marker on the function
    (and warns when cloning a model whose compile is "custom"): ``update_wrapper`` copies it.
    """
    return functools.update_wrapper(wrapper, original)
