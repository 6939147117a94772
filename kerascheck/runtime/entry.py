"""Entry mode: ``kerascheck run --entry pkg.module:build_model [--data pkg.module:load_batch]``.

For projects whose training script is not runnable as is (a CLI with a config system, a trainer
class), the user names a factory that returns a *compiled* ``keras.Model``. There is no ``fit`` call
to intercept, so the capture is made here: the batch comes from ``load_batch()`` (``(x, y)`` or ``x``)
when given, else it is synthesized from the model's input shapes and its loss (``batch_for_model``):
standard normal floats, integer ids within ``input_dim`` for an Embedding-first input, and targets the
loss accepts (class ids for sparse cross-entropy, one-hot rows for categorical, 0/1 for binary, normal
floats for regression). The "fit site" of findings is then the factory's ``def`` line.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Callable

import numpy as np

from kerascheck.runtime.capture import Capture
from kerascheck.runtime.harness import OnCapture, Outcome, RunOptions, Session
from kerascheck.runtime.measurements import Site

__all__ = ["run_entry", "batch_for_model", "EntryError"]

_BATCH = 32
_SPARSE = ("sparse_categorical_crossentropy", "sparse_categorical_focal_crossentropy")
_CATEGORICAL = ("categorical_crossentropy", "categorical_focal_crossentropy", "kl_divergence",
                "categorical_hinge", "poisson")
_BINARY = ("binary_crossentropy", "binary_focal_crossentropy", "hinge", "squared_hinge")


class EntryError(Exception):
    """The entry point cannot be used (message says why, for a ``setup_error``)."""


def run_entry(target: str, data_entry: str | None, on_capture: OnCapture,
              options: RunOptions | None = None, batch_size: int = _BATCH, args: tuple[str, ...] = ()) -> Outcome:
    """Build the model with the factory, make one batch, and hand both to ``on_capture``.

    ``args`` (what follows ``--``) become ``sys.argv[1:]`` while the factory runs, as for a script.
    """
    options = options or RunOptions()
    session = Session(options.cwd or os.getcwd(), [target, *args], on_capture, options)
    with session:
        try:
            import keras  # noqa: F401 - entry mode needs Keras whatever the factory imports
        except ImportError as exc:
            return session.outcome(exc)
        try:
            factory, site = _resolve(target)
            model = factory()
            _require_compiled_model(model, target)
            if data_entry is not None:
                loader, _ = _resolve(data_entry)
                x, y = _split_batch(loader(), data_entry)
            else:
                x, y = batch_for_model(model, batch_size)
        except EntryError as exc:
            return Outcome(status="setup_error", error={"type": "EntryError", "message": str(exc),
                                                        "file": None, "line": None, "traceback": ""})
        except BaseException as exc:  # noqa: BLE001 - the factory's own errors are the user's errors
            return session.outcome(exc)
        capture = Capture(model=model, method="fit", x=x, y=y, fit_site=site,
                          batch_size=min(batch_size, len(_first(x))))
        interceptor = session.interceptor
        interceptor.capture = capture
        interceptor.report = on_capture(capture)
        return session.outcome(None)


def _resolve(spec: str) -> tuple[Callable[[], Any], Site | None]:
    """``pkg.module:function`` -> the function and the site of its ``def``."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise EntryError(f"{spec!r} is not MODULE:FUNCTION (e.g. mypkg.model:build_model)")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise EntryError(f"cannot import {module_name!r}: no module named {exc.name!r} (run from the folder "
                             f"that contains it, or install the package)") from None
        raise
    function = module
    for part in attribute.split("."):
        function = getattr(function, part, None)
        if function is None:
            raise EntryError(f"{module_name!r} has no attribute {attribute!r}")
    if not callable(function):
        raise EntryError(f"{spec} is not callable")
    code = getattr(function, "__code__", None)
    site = None if code is None else Site(file=os.path.abspath(code.co_filename), line=code.co_firstlineno)
    return function, site


def _require_compiled_model(model: Any, target: str) -> None:
    import keras

    if not isinstance(model, keras.Model):
        raise EntryError(f"{target} returned {type(model).__name__}, not a keras.Model: return the model")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise EntryError(f"{target} returned a model that is not compiled: call model.compile(optimizer=..., "
                         f"loss=...) before returning it")


def _split_batch(batch: Any, spec: str) -> tuple[Any, Any]:
    if isinstance(batch, tuple):
        if len(batch) == 2:
            return batch
        if len(batch) == 1:
            return batch[0], None
        raise EntryError(f"{spec} returned a tuple of {len(batch)} items: return (x, y) or x")
    return batch, None


def _first(x: Any) -> Any:
    if isinstance(x, dict):
        return next(iter(x.values()))
    if isinstance(x, (list, tuple)):
        return x[0]
    return x


def batch_for_model(model: Any, count: int = _BATCH, seed: int = 0) -> tuple[Any, Any]:
    """Inputs from the model's input shapes and targets matching its loss (see the module docstring)."""
    rng = np.random.default_rng(seed)
    inputs = list(getattr(model, "inputs", None) or [])
    if not inputs:
        raise EntryError("the model has no known input shape (build it with keras.Input(shape=...)), so no "
                         "batch can be synthesized: give --data MODULE:load_batch")
    xs = [_input_array(rng, model, tensor, count) for tensor in inputs]
    outputs = list(getattr(model, "outputs", None) or [])
    losses = _losses(model, len(outputs))
    ys = [_target_array(rng, tuple(out.shape), loss, count) for out, loss in zip(outputs, losses)]
    x: Any = xs[0] if len(xs) == 1 else xs
    y: Any = None if not ys else ys[0] if len(ys) == 1 else ys
    return x, y


def _input_array(rng: np.random.Generator, model: Any, tensor: Any, count: int) -> np.ndarray:
    shape = [count, *[d if d is not None else 8 for d in tuple(tensor.shape)[1:]]]
    dtype = str(getattr(tensor, "dtype", "float32"))
    embedding = _embedding_after(model, tensor)
    if embedding is not None:
        return rng.integers(0, int(embedding.input_dim), shape).astype("int32")
    if "int" in dtype:
        return rng.integers(0, 10, shape).astype(dtype)
    return rng.standard_normal(shape).astype("float32")


def _embedding_after(model: Any, tensor: Any) -> Any:
    """The Embedding layer that first consumes ``tensor``, if that is what the input feeds."""
    import keras

    for layer in getattr(model, "layers", []):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        try:
            consumed = [getattr(node, "input_tensors", []) for node in layer._inbound_nodes]
        except AttributeError:
            consumed = []
        feeds = any(any(t is tensor for t in group) for group in consumed)
        if isinstance(layer, keras.layers.Embedding) and (feeds or not consumed):
            return layer
        if feeds or not consumed:
            return None
    return None


def _losses(model: Any, outputs: int) -> list[str | None]:
    """The canonical loss name per output (``None``: unknown, treated as regression)."""
    loss = getattr(model, "loss", None)
    if isinstance(loss, dict):
        names = getattr(model, "output_names", None) or []
        per_output = [loss.get(name) for name in names] or list(loss.values())
    elif isinstance(loss, (list, tuple)):
        per_output = list(loss)
    else:
        per_output = [loss] * max(outputs, 1)
    return [_loss_name(item) for item in per_output][:max(outputs, 1)]


def _loss_name(loss: Any) -> str | None:
    try:
        from kerascheck.runtime.live_names import loss_name
    except ImportError:  # H4's module not there: a string loss still has its own name
        return loss if isinstance(loss, str) else None
    return loss_name(loss)[0]


def _target_array(rng: np.random.Generator, output_shape: tuple, loss: str | None, count: int) -> np.ndarray:
    dims = [d if d is not None else 8 for d in output_shape[1:]]
    units = dims[-1] if dims else 1
    if loss in _SPARSE:
        return rng.integers(0, max(units, 2), [count, *dims[:-1]]).astype("int64")
    if loss in _CATEGORICAL:
        ids = rng.integers(0, units, [count, *dims[:-1]])
        return np.eye(units, dtype="float32")[ids]
    if loss in _BINARY:
        return rng.integers(0, 2, [count, *dims]).astype("float32")
    return rng.standard_normal([count, *dims]).astype("float32")
