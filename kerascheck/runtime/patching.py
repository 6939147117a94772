"""Reversible monkey-patches and the import hook that applies them the moment Keras is imported.

The child must not import TensorFlow before the script does: a script that fails on its second line
should not pay seconds of ``import tensorflow``. So nothing is patched up front; a ``sys.meta_path``
finder wraps the loader of the top-level ``keras`` (and legacy ``tf_keras``) package and runs the
patch callbacks right after the package's own code has executed, before the script gets the module
back. ``tf.keras`` on TensorFlow >= 2.16 loads ``keras._tf_keras`` and therefore ``keras`` first, so
it goes through the same hook and the same classes.

Every patch is recorded in a ``Patches`` object and undone by ``restore()``: tests run many scripts in
one process, and a second script must see pristine Keras plus fresh patches.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import inspect
import sys
from types import ModuleType
from typing import Any, Callable, Sequence

__all__ = ["Patches", "KerasImportHook", "like_constructor"]

_MISSING = object()


def like_constructor(wrapper: Callable[..., Any], original: Callable[..., Any]) -> Callable[..., Any]:
    """Make an ``__init__`` wrapper look exactly like ``original`` to every kind of introspection.

    Keras's ``Operation.__new__`` reads ``cls.__init__`` with both ``inspect.signature`` (which follows
    ``__wrapped__``) and ``inspect.getfullargspec`` (which does not) and indexes one by the other's
    names; a ``*args, **kwargs`` wrapper with ``__wrapped__`` makes them disagree (``KeyError: 'args'``).
    An explicit ``__signature__`` and no ``__wrapped__`` gives both the original's parameters.
    """
    functools.update_wrapper(wrapper, original)
    del wrapper.__wrapped__  # type: ignore[attr-defined]
    wrapper.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
    return wrapper


class Patches:
    """A stack of ``setattr`` changes that ``restore`` undoes in reverse order."""

    def __init__(self) -> None:
        self._undo: list[tuple[Any, str, Any]] = []

    def set(self, owner: Any, name: str, value: Any) -> None:
        """Replace ``owner.name`` (a class or module attribute) by ``value``, remembering the old one."""
        previous = owner.__dict__.get(name, _MISSING) if hasattr(owner, "__dict__") else _MISSING
        self._undo.append((owner, name, previous))
        setattr(owner, name, value)

    def restore(self) -> None:
        while self._undo:
            owner, name, previous = self._undo.pop()
            try:
                if previous is _MISSING:
                    delattr(owner, name)
                else:
                    setattr(owner, name, previous)
            except (AttributeError, TypeError):
                pass


class _PatchingLoader(importlib.abc.Loader):
    """Delegates to the real loader, then calls ``on_loaded(module)`` once the module has executed."""

    def __init__(self, inner: importlib.abc.Loader, on_loaded: Callable[[ModuleType], None]) -> None:
        self._inner = inner
        self._on_loaded = on_loaded

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        self._on_loaded(module)

    def __getattr__(self, name: str) -> Any:  # get_resource_reader, is_package, get_code...
        return getattr(self._inner, name)


class KerasImportHook(importlib.abc.MetaPathFinder):
    """Calls ``callbacks[name](module)`` right after the top-level package ``name`` is first imported.

    If the package is already imported when the hook is installed (an in-process test that imported
    keras itself), its callback runs immediately. ``uninstall`` removes the finder; patches are undone
    by the ``Patches`` the callbacks used.
    """

    def __init__(self, callbacks: dict[str, Callable[[ModuleType], None]]) -> None:
        self._callbacks = dict(callbacks)
        self._busy: set[str] = set()

    def install(self) -> None:
        sys.meta_path.insert(0, self)
        for name in list(self._callbacks):
            module = sys.modules.get(name)
            if module is not None:
                self._callbacks.pop(name)(module)

    def uninstall(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self._callbacks or fullname in self._busy:
            return None
        self._busy.add(fullname)  # find the real spec with the other finders, not ourselves
        try:
            spec = None
            for finder in sys.meta_path:
                if finder is not self and hasattr(finder, "find_spec"):
                    spec = finder.find_spec(fullname, path, target)
                    if spec is not None:
                        break
        finally:
            self._busy.discard(fullname)
        if spec is None or spec.loader is None:
            return None
        # The callback stays pending until the module really executes: TensorFlow calls
        # ``importlib.util.find_spec("keras")`` just to locate the package, without importing it.
        spec.loader = _PatchingLoader(spec.loader, lambda module: self._loaded(fullname, module))
        return spec

    def _loaded(self, name: str, module: ModuleType) -> None:
        callback = self._callbacks.pop(name, None)
        if callback is not None:
            callback(module)
