"""``--keras2-compat``: let a Keras 2 script reach ``fit`` on Keras 3 where a one-to-one mapping exists.

About one real buggy script in seven dies on Keras 3 before training for a reason that has nothing to
do with its bug: ``Adam(lr=0.01)``, ``fit(nb_epoch=10)``, ``Dense(64, init="uniform")``,
``model.fit_generator(...)``, ``from keras.layers.core import Dense``. With this flag the child maps
each of those to its Keras 3 spelling so the runtime checks can run, and reports every mapping it
actually applied as the static pass's migration finding (KC205, KC901, KC902) on the user's line:
the script still has to be fixed, and a silent translation would hide that.

The tables are the static rules' own (``kc901``'s ``LAYER_KEYWORDS``/``METHOD_KEYWORDS``, ``kc902``'s
``MODULES``), so the two passes cannot disagree on what Keras 2 spelling means. Only renames are
applied: a keyword whose meaning changed (``samples_per_epoch`` counts samples, ``steps_per_epoch``
batches) or that has no Keras 3 counterpart is left alone and fails as it would.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import inspect
import sys
import types
from types import ModuleType
from typing import Any, Callable, Sequence

from kerascheck.config import display_path
from kerascheck.diagnostics import Diagnostic
from kerascheck.facts import keras_api as api
from kerascheck.rules.kc205_removed_optimizer_argument import RemovedOptimizerArgument
from kerascheck.rules.kc901_removed_keras2_argument import (EMBEDDING_KEYWORDS, LAYER_KEYWORDS, METHOD_KEYWORDS,
                                                            MODEL_KEYWORDS, RemovedKeras2Argument)
from kerascheck.rules.kc902_removed_keras2_api import MODULES, RemovedKeras2Api
from kerascheck.runtime.intercept import Interceptor
from kerascheck.runtime.measurements import Site
from kerascheck.runtime.patching import Patches, like_constructor
from kerascheck.runtime.sites import UserFiles, user_site

__all__ = ["install", "ModuleAliases", "Reporter", "ALIASED_MODULES"]

_APPLIED = "--keras2-compat mapped it for this run"
# kc902's removed module paths that have a one-to-one Keras 3 home (``keras.engine`` has none).
ALIASED_MODULES: dict[str, str] = {
    old: ("keras.utils" if old.startswith("keras.utils.") else "keras.layers")
    for old in MODULES if old.startswith(("keras.layers.", "keras.utils."))
}
# Value spellings that changed with the keyword (kc901 renames ``dim_ordering`` values the same way).
_VALUES = {"dim_ordering": {"th": "channels_first", "tf": "channels_last"}}
# Keras 2 ``fit_generator`` arguments that Keras 3's ``fit`` no longer takes (they tuned the old queue).
_QUEUE_ARGUMENTS = ("max_queue_size", "workers", "use_multiprocessing")


class Reporter:
    """Collects each applied mapping once per (code, line, what) as a ``Diagnostic``."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        self._seen: set[tuple[str, str, int, str]] = set()

    def report(self, rule: type, site: Site | None, what: str, message: str) -> None:
        if site is None:
            return  # not the user's code (a library calling the old spelling): nothing to point at
        key = (rule.code, site.file, site.line, what)
        if key in self._seen:
            return
        self._seen.add(key)
        column = site.column or 1
        extra = () if site.cell is None else (("cell", site.cell),)
        self.diagnostics.append(Diagnostic(
            path=display_path(site.file), line=site.line, column=column, end_line=site.end_line or site.line,
            end_column=site.end_column or column + 1, code=rule.code, name=rule.name, severity=rule.severity,
            message=f"{message} ({_APPLIED})", extra=extra))


def install(keras: ModuleType, patches: Patches, interceptor: Interceptor, is_user: UserFiles,
            diagnostics: list[Diagnostic]) -> None:
    """Apply the keyword and method mappings to Keras 3 (``tf_keras`` still speaks Keras 2 itself)."""
    if keras.__name__ != "keras":
        return
    reporter = Reporter(diagnostics)
    _optimizer_lr(keras, patches, is_user, reporter)
    _layer_keywords(keras, patches, is_user, reporter)
    _model_keywords(keras, patches, is_user, reporter)
    interceptor.kwargs_hook = _method_keywords(reporter)
    _fit_generator(keras, patches, interceptor, is_user, reporter)


def _optimizer_lr(keras: ModuleType, patches: Patches, is_user: UserFiles, reporter: Reporter) -> None:
    """``lr=`` -> ``learning_rate=``: every Keras 3 optimizer passes unknown keywords to the base class."""
    from keras.src.optimizers.base_optimizer import BaseOptimizer

    original = BaseOptimizer.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if "lr" in kwargs:
            rate = kwargs.pop("lr")
            if args:
                args = (rate, *args[1:])
            else:
                kwargs["learning_rate"] = rate
            kind = type(self).__name__
            reporter.report(RemovedOptimizerArgument, user_site(is_user, skip_self=self, depth=2), "lr",
                            f"{kind}(lr={rate!r}): `lr` was removed from Keras optimizers and Keras 3 raises "
                            f"ValueError on it; write learning_rate={rate!r}")
        original(self, *args, **kwargs)

    patches.set(BaseOptimizer, "__init__", like_constructor(__init__, original))


def _layer_keywords(keras: ModuleType, patches: Patches, is_user: UserFiles, reporter: Reporter) -> None:
    """Keras 1 layer keywords (``init``, ``output_dim``, ``border_mode``...) renamed per layer class."""
    seen: set[int] = set()
    for value in vars(keras.layers).values():
        if not (isinstance(value, type) and issubclass(value, keras.layers.Layer)) or id(value) in seen:
            continue
        seen.add(id(value))
        if "__init__" not in value.__dict__:
            continue
        renames = _renames_for(value)
        if renames:
            patches.set(value, "__init__", _translating_init(value, renames, is_user, reporter))


def _renames_for(cls: type) -> dict[str, str]:
    """Old keyword -> new for one layer class: only where the new name is one of its parameters."""
    try:
        parameters = inspect.signature(cls.__dict__["__init__"]).parameters
    except (TypeError, ValueError):
        return {}
    kind = api.canonical_layer_kind(cls.__name__)
    renames = {}
    for old, (new, kinds) in LAYER_KEYWORDS.items():
        if kind == "Embedding" and old in EMBEDDING_KEYWORDS:
            new = EMBEDDING_KEYWORDS[old]
        elif kinds is not None and kind not in kinds:
            continue
        if new is not None and old not in parameters and new in parameters:
            renames[old] = new
    return renames


def _translating_init(cls: type, renames: dict[str, str], is_user: UserFiles,
                      reporter: Reporter) -> Callable[..., None]:
    original = cls.__dict__["__init__"]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        for old, new in renames.items():
            if old not in kwargs or new in kwargs:
                continue
            value = kwargs.pop(old)
            kwargs[new] = _VALUES.get(old, {}).get(value, value) if isinstance(value, str) else value
            shown = repr(kwargs[new]) if isinstance(kwargs[new], (str, int, float)) else "..."
            reporter.report(RemovedKeras2Argument, user_site(is_user, skip_self=self, depth=2), old,
                            f"{cls.__name__}({old}=...) is a Keras 1 keyword that tf.keras and Keras 3 reject "
                            f"(TypeError/ValueError) before training starts; write {new}={shown}")
        original(self, *args, **kwargs)

    return like_constructor(__init__, original)


def _model_keywords(keras: ModuleType, patches: Patches, is_user: UserFiles, reporter: Reporter) -> None:
    """Keras 1's ``Model(input=..., output=...)`` -> ``Model(inputs=..., outputs=...)``.

    ``Model.__new__`` decides from the keywords whether to build a functional model, and Python then
    calls ``__init__`` with the same keywords, so both are renamed: ``__new__`` silently (it only picks
    the class), ``Functional.__init__`` reporting the mapping at the user's line.
    """
    from keras.src.models.functional import Functional

    def renamed(kwargs: dict[str, Any]) -> list[str]:
        done = []
        for old, new in MODEL_KEYWORDS.items():
            if old in kwargs and new not in kwargs:
                kwargs[new] = kwargs.pop(old)
                done.append(old)
        return done

    original_new = keras.Model.__new__

    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        renamed(kwargs)
        return original_new(cls, *args, **kwargs)

    original_init = Functional.__dict__["__init__"]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        for old in renamed(kwargs):
            reporter.report(RemovedKeras2Argument, user_site(is_user, skip_self=self, depth=2), old,
                            f"Model({old}=...) is a Keras 1 keyword that tf.keras and Keras 3 reject; write "
                            f"Model({MODEL_KEYWORDS[old]}=...)")
        original_init(self, *args, **kwargs)

    patches.set(keras.Model, "__new__", staticmethod(functools.update_wrapper(__new__, original_new)))
    patches.set(Functional, "__init__", like_constructor(__init__, original_init))


def _method_keywords(reporter: Reporter) -> Callable[[str, dict[str, Any], Site | None], dict[str, Any]]:
    """The interceptor's hook for ``fit(nb_epoch=...)``: kc901's renames of training-method keywords."""

    def hook(method: str, kwargs: dict[str, Any], site: Site | None) -> dict[str, Any]:
        for old, (new, methods) in METHOD_KEYWORDS.items():
            # only renames that keep their meaning (samples_per_epoch counts samples, not batches)
            if old in kwargs and new is not None and method in methods and old == "nb_epoch" and new not in kwargs:
                kwargs[new] = kwargs.pop(old)
                reporter.report(RemovedKeras2Argument, site, old,
                                f"{method}({old}={kwargs[new]!r}) is a Keras 1 keyword that Keras 3 rejects "
                                f"(TypeError); rename it to {new}=")
        return kwargs

    return hook


def _fit_generator(keras: ModuleType, patches: Patches, interceptor: Interceptor, is_user: UserFiles,
                   reporter: Reporter) -> None:
    """``model.fit_generator(gen, ...)`` -> ``model.fit(gen, ...)`` (Keras 3 removed the method)."""
    if hasattr(keras.Model, "fit_generator"):
        return

    def fit_generator(self: Any, generator: Any, *args: Any, **kwargs: Any) -> Any:
        names = ("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data", "validation_steps",
                 "validation_freq", "class_weight", "max_queue_size", "workers", "use_multiprocessing",
                 "shuffle", "initial_epoch")
        kwargs.update(zip(names, args))  # Keras 2's positional order
        for name in _QUEUE_ARGUMENTS:
            kwargs.pop(name, None)
        reporter.report(RemovedKeras2Api, user_site(is_user, depth=2), "fit_generator",
                        "model.fit_generator() was deprecated since TensorFlow 2.1 and removed in Keras 3: on a "
                        "current install this line raises AttributeError; use model.fit(generator, ...), which "
                        "accepts generators and datasets")
        interceptor.method_override = "fit_generator"
        try:
            return self.fit(generator, **kwargs)
        finally:
            interceptor.method_override = None

    patches.set(keras.Model, "fit_generator", fit_generator)


class ModuleAliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import keras.layers.core`` (and kc902's other moved paths) served by their Keras 3 module.

    Only when no other finder has the module (a real Keras 2 install keeps its own). The alias is a
    new module object that forwards to the target, so the target's ``__spec__``/``__name__`` stay intact.
    """

    def __init__(self, is_user: UserFiles, diagnostics: list[Diagnostic]) -> None:
        self.is_user = is_user
        self.reporter = Reporter(diagnostics)

    def install(self) -> None:
        sys.meta_path.insert(0, self)

    def uninstall(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for name in ALIASED_MODULES:
            module = sys.modules.get(name)
            if module is not None and getattr(module, "__loader__", None) is self:
                del sys.modules[name]

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in ALIASED_MODULES:
            return None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec") and finder.find_spec(fullname, path, target):
                return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return types.ModuleType(spec.name)

    def exec_module(self, module: ModuleType) -> None:
        name = module.__name__
        target = importlib.import_module(ALIASED_MODULES[name])
        module.__dict__.update({k: v for k, v in vars(target).items() if not k.startswith("__")})
        module.__getattr__ = lambda attribute: getattr(target, attribute)  # type: ignore[attr-defined]
        self.reporter.report(RemovedKeras2Api, user_site(self.is_user, depth=2), name,
                             f"`{name}` is a Keras 2 module path that Keras 3 no longer has: this import fails; "
                             f"import from {MODULES[name]} instead")
