"""Measurements on the live model: the ONE module that touches TensorFlow tensors, tapes and model copies.

Everything backend-specific lives here so a JAX or PyTorch backend means a second version of this file,
not changes across the runtime pass. It turns a captured model and its first batch into plain numbers
(``RunMeasurements``) the runtime rules read:

- initialization: each layer's kernel std, fans and the He/Glorot std for them;
- forward: one eager pass with every layer's ``call`` (and sigmoid/tanh ``activation``) temporarily
  wrapped, so Sequential, functional and subclassed models are all observed the same way;
- backward: one ``GradientTape`` over the *compiled* loss (``model.compute_loss``), per-layer norms;
- probe: a few real training steps (``fit`` itself, so a custom ``train_step`` runs too) on one
  repeated batch, on a copy of the model with a fresh copy of the real optimizer; the first step also
  gives each layer's update ratio (the update actually taken, which for Adam is not ``lr*|g|/|w|``).

The user's model is left exactly as it was: weights are snapshotted and restored, the user's optimizer is
never stepped, and when a model cannot be cloned its compile state is put back after the in-place probe.
Failures become data: an exception at a step is ``StepError``; a check that cannot be done is
``Unavailable``; nothing here raises to the caller.
"""

from __future__ import annotations

import math
import statistics
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from kerascheck.runtime import live_names
from kerascheck.runtime.capture import Capture, compile_args_of, compile_site_of, site_of
from kerascheck.runtime.measurements import (
    LayerStats, ProbeStats, RunMeasurements, StepError, Unavailable,
)
from kerascheck.runtime.thresholds import Thresholds

__all__ = ["measure", "leaf_layers", "forward_stats", "first_nonfinite_weights", "chance_loss"]

RELU_FAMILY = frozenset({"relu", "relu6"})  # zero output with zero gradient: units can die
SATURATING = frozenset({"sigmoid", "tanh"})
HE_FAMILY = frozenset({"relu", "relu6", "leaky_relu", "elu", "gelu", "silu", "swish", "mish"})
_KERNEL_NAMES = ("kernel", "depthwise_kernel", "pointwise_kernel")
_FOLDED_HEADS = frozenset({"Activation", "Softmax"})
_PROBE_MIN_STEPS = 5  # the time budget never cuts the loss curve shorter than this


# -- the model's structure -----------------------------------------------------------------------

def keras_package(model: Any) -> Any:
    """The Keras package the model belongs to: ``tf_keras`` (legacy Keras 2) or Keras 3.

    Scripts written for Keras 2 on TensorFlow >= 2.16 import ``tf_keras`` (or set
    ``TF_USE_LEGACY_KERAS=1``); its classes, ``clone_model`` and callbacks are not Keras 3's.
    """
    if (type(model).__module__ or "").startswith("tf_keras"):
        import tf_keras

        return tf_keras
    import keras

    return keras


def is_compiled(model: Any) -> bool:
    """Keras 3 says ``compiled``; tf_keras ``_is_compiled``."""
    flag = getattr(model, "compiled", None)
    return bool(flag if flag is not None else getattr(model, "_is_compiled", False))


def leaf_layers(model: Any) -> list[Any]:
    """The model's layers in model order, nested models flattened, each layer once, inputs skipped."""
    keras = keras_package(model)

    found: list[Any] = []
    seen: set[int] = set()

    def walk(container: Any) -> None:
        for layer in getattr(container, "layers", []):
            if id(layer) in seen or type(layer).__name__ == "InputLayer":
                continue
            seen.add(id(layer))
            if isinstance(layer, keras.Model):
                walk(layer)
            else:
                found.append(layer)

    walk(model)
    return found


def layer_activation(layer: Any) -> str | None:
    """The activation a layer applies (a standalone ReLU/Activation/Softmax layer included)."""
    kind = type(layer).__name__
    if kind == "ReLU":
        return "relu" if not getattr(layer, "negative_slope", 0) else "leaky_relu"
    if kind == "Softmax":
        return "softmax"
    if kind == "Activation" or hasattr(layer, "activation"):
        return live_names.activation_name(getattr(layer, "activation", None))
    return None


def _model_kind(model: Any) -> str:
    keras = keras_package(model)
    if isinstance(model, keras.Sequential):
        return "sequential"
    functional = any(cls.__name__ == "Functional" for cls in type(model).__mro__)
    return "functional" if functional else "subclassed"


def _kernel(layer: Any) -> Any:
    for weight in layer.weights:
        if weight.name.split("/")[-1] in _KERNEL_NAMES:
            return weight
    return None


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Keras' own fan computation (``keras.initializers``): receptive field x the last two axes."""
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return receptive * shape[-2], receptive * shape[-1]


def expected_std(fan_in: int, fan_out: int, activation: str | None) -> float:
    """He (relu family, [HE]) or Glorot ([GB]) standard deviation for a kernel with these fans."""
    if activation in HE_FAMILY:
        return math.sqrt(2.0 / fan_in)
    return math.sqrt(2.0 / (fan_in + fan_out))


def _init_stats(index: int, layer: Any) -> LayerStats:
    activation = layer_activation(layer)
    stats = LayerStats(index=index, name=layer.name, kind=type(layer).__name__, site=site_of(layer),
                       activation=activation, params=int(sum(int(np.prod(w.shape)) for w in layer.weights)),
                       trainable=bool(layer.trainable))
    kernel = _kernel(layer)
    if kernel is not None and len(kernel.shape) >= 2:
        values = np.asarray(kernel.numpy(), dtype=np.float64)
        stats.kernel_shape = [int(d) for d in kernel.shape]
        if np.isfinite(values).all():
            stats.kernel_std, stats.kernel_mean = float(values.std()), float(values.mean())
        stats.fan_in, stats.fan_out = _fans(tuple(stats.kernel_shape))
        stats.expected_std = expected_std(stats.fan_in, stats.fan_out, activation)
    stats.weight_norm = _norm([w.numpy() for w in layer.trainable_weights]) if layer.trainable_weights else None
    return stats


def _norm(arrays: list[Any]) -> float:
    return float(math.sqrt(sum(float(np.sum(np.square(np.asarray(a, dtype=np.float64)))) for a in arrays)))


# -- forward ----------------------------------------------------------------------------------------

@contextmanager
def _recording(layers: list[Any]) -> Iterator[tuple[dict[int, Any], dict[int, Any]]]:
    """Wrap each layer's ``call`` (and a sigmoid/tanh ``activation``) to record outputs and pre-activations.

    Instance attributes shadow the class's methods only for this pass and are removed afterwards, so the
    user's layers are untouched; the first call of a shared layer is the one recorded.
    """
    outputs: dict[int, Any] = {}
    pre: dict[int, Any] = {}
    undo: list[Callable[[], None]] = []

    def shadow(layer: Any, attr: str, replacement: Any) -> None:
        had = attr in layer.__dict__
        old = layer.__dict__.get(attr)
        object.__setattr__(layer, attr, replacement)
        undo.append(lambda: object.__setattr__(layer, attr, old) if had else object.__delattr__(layer, attr))

    for index, layer in enumerate(layers):
        def call(*args: Any, _i: int = index, _fn: Any = layer.call, _layer: Any = layer, **kwargs: Any) -> Any:
            if type(_layer).__name__ == "Activation" and layer_activation(_layer) in SATURATING and args:
                pre.setdefault(_i, args[0])
            result = _fn(*args, **kwargs)
            outputs.setdefault(_i, result)
            return result

        shadow(layer, "call", call)
        fn = getattr(layer, "activation", None)
        settable = not isinstance(getattr(type(layer), "activation", None), property)  # RNNs: their cell's
        if settable and type(layer).__name__ != "Activation" and callable(fn) and layer_activation(layer) in SATURATING:
            def activation(z: Any, _i: int = index, _fn: Any = fn) -> Any:
                pre.setdefault(_i, z)
                return _fn(z)

            shadow(layer, "activation", activation)
    try:
        yield outputs, pre
    finally:
        for step in reversed(undo):
            step()


def _first_tensor(value: Any) -> Any:
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    if isinstance(value, dict) and value:
        return _first_tensor(next(iter(value.values())))
    return value


def forward_stats(model: Any, x: Any, stats: list[LayerStats], thresholds: Thresholds,
                  training: bool = False) -> Any:
    """One forward pass filling the forward fields of ``stats``; returns the prediction.

    ``measure`` passes ``training=True``: that is the pass the first training step makes, where an
    untrained BatchNormalization normalises with the batch's statistics; in inference mode it is the
    identity (moving mean 0, variance 1), so raw pixels behind it would read as saturating the next
    layer although training never sees them (keras.io siamese_contrastive: 94.7% against 0.0%).
    The caller restores the moving statistics. ``Monitor`` keeps the default: it must not touch them.
    """
    layers = leaf_layers(model)
    with _recording(layers) as (outputs, pre):
        prediction = model(x, training=training)
    for index, layer in enumerate(layers):
        out = _first_tensor(outputs.get(index))
        if out is None or not hasattr(out, "shape"):
            continue
        values = np.asarray(out)
        if values.dtype.kind not in "fiu":
            continue
        entry = stats[index]
        entry.output_shape = [None] + [int(d) for d in values.shape[1:]]
        finite = np.isfinite(values)
        entry.nonfinite_output = not bool(finite.all())
        if finite.any():
            kept = values[finite].astype(np.float64)
            entry.act_mean, entry.act_std = float(kept.mean()), float(kept.std())
        if entry.activation in RELU_FAMILY and values.ndim >= 2:
            axis = 1 if getattr(layer, "data_format", None) == "channels_first" and values.ndim > 2 else -1
            units = np.moveaxis(values, axis, -1).reshape(-1, values.shape[axis])
            entry.dead_fraction = float(np.mean(np.all(units <= 0, axis=0)))
        if index in pre:
            z = np.asarray(pre[index], dtype=np.float64)
            entry.saturated_fraction = float(np.mean(np.abs(z) > thresholds.saturation_preactivation))
    return prediction


def first_nonfinite_weights(model: Any) -> str | None:
    """The first layer (model order) holding a NaN/Inf weight: where a blown-up update landed first."""
    for layer in leaf_layers(model):
        if any(not np.isfinite(np.asarray(w.numpy(), dtype=np.float64)).all() for w in layer.weights
               if w.dtype not in ("int32", "int64", "bool")):
            return layer.name
    return None


# -- backward ---------------------------------------------------------------------------------------

def _has_custom_train_step(model: Any) -> bool:
    return type(model).train_step is not keras_package(model).Model.train_step


def gradient_stats(model: Any, x: Any, y: Any, sample_weight: Any, stats: list[LayerStats]) -> None:
    """Per-layer gradient norms of the compiled loss on the batch (training mode, like ``fit``)."""
    import tensorflow as tf

    variables = list(model.trainable_variables)
    with tf.GradientTape() as tape:
        prediction = model(x, training=True)
        try:
            loss = model.compute_loss(x=x, y=y, y_pred=prediction, sample_weight=sample_weight, training=True)
        except TypeError:  # tf_keras: no ``training`` argument, and its loss reads tensors' ``shape.rank``
            y, sample_weight = (None if v is None else tf.nest.map_structure(tf.convert_to_tensor, v)
                                for v in (y, sample_weight))
            loss = model.compute_loss(x=x, y=y, y_pred=prediction, sample_weight=sample_weight)
    grads = tape.gradient(loss, variables)
    by_variable = {id(v): g for v, g in zip(variables, grads)}
    for index, layer in enumerate(leaf_layers(model)):
        mine = [by_variable.get(id(w)) for w in layer.trainable_weights]
        if not mine:
            continue
        arrays = [np.zeros(1) if g is None else np.asarray(tf.convert_to_tensor(g)) for g in mine]
        stats[index].nonfinite_grad = not all(np.isfinite(a).all() for a in arrays)
        finite = [np.where(np.isfinite(a), a, 0.0) for a in arrays]
        stats[index].grad_norm = _norm(finite)


# -- probe training ---------------------------------------------------------------------------------

def chance_loss(loss: str | None, head_units: int | None) -> float | None:
    """The loss of an uninformed prediction: ln C for C-way categorical CE, ln 2 for binary CE [K]."""
    if loss in ("categorical_crossentropy", "sparse_categorical_crossentropy") and head_units and head_units > 1:
        return math.log(head_units)
    if loss == "binary_crossentropy":
        return math.log(2.0)
    return None


def _compile_arguments(model: Any) -> dict[str, Any]:
    config = getattr(getattr(model, "_compile_config", None), "config", None)
    return dict(config) if isinstance(config, dict) else {}


def _fresh_optimizer(model: Any) -> Any:
    optimizer = model.optimizer
    return type(optimizer).from_config(optimizer.get_config())


class ProbeUnavailable(Exception):
    """The probe cannot be set up without touching the user's optimizer: one info finding, not KC605."""


@contextmanager
def training_copy(model: Any, x: Any) -> Iterator[Any]:
    """A model to train: a clone with a fresh optimizer, or the model itself, restored exactly afterwards."""
    keras = keras_package(model)
    if type(model).compile is not keras.Model.compile:
        raise ProbeUnavailable("the model overrides compile(), so its copy cannot be given a fresh copy of the "
                               "optimizer without stepping yours")
    arguments = {**_compile_arguments(model), "optimizer": _fresh_optimizer(model), "jit_compile": False}
    weights = model.get_weights()
    clone = None
    try:
        if any(hasattr(layer, "adapt") for layer in leaf_layers(model)):
            # clone_model + set_weights loses adapted state (Normalization rebuilds its mean only in
            # finalize_state, a TextVectorization clone has an empty vocabulary): probe in place.
            raise TypeError("adapted preprocessing layers")
        clone = keras.models.clone_model(model)
        if not clone.built or len(clone.weights) != len(model.weights):
            clone(x, training=False)
        clone.set_weights(weights)
        clone.compile(**arguments)
    except Exception:  # noqa: BLE001 - an uncloneable (subclassed) model is probed in place
        clone = None
    if clone is not None:
        yield clone
        return
    # In place: a shallow snapshot of the model object's own attributes puts back exactly what compile()
    # and fit() replace (optimizer, compiled loss and metrics, train function, history, flags).
    saved = dict(model.__dict__)
    try:
        model.compile(**arguments)
        yield model
    finally:
        model.set_weights(weights)
        for key in [k for k in model.__dict__ if k not in saved]:
            object.__delattr__(model, key)
        for key, value in saved.items():
            if model.__dict__.get(key) is not value:
                object.__setattr__(model, key, value)


def _trainable_arrays(layers: list[Any]) -> list[list[np.ndarray]]:
    return [[np.array(w.numpy(), dtype=np.float64) for w in layer.trainable_weights] for layer in layers]


class _StepRecorder:
    """Collects each probe step's logs (one epoch = one step) and the first step's update ratios."""

    def __init__(self, trained: Any, x: Any, stats: list[LayerStats], result: ProbeStats,
                 budget: float = 0.0) -> None:
        self.trained, self.x, self.stats, self.result = trained, x, stats, result
        self.layers = leaf_layers(trained)
        self.before = _trainable_arrays(self.layers)
        self.budget = budget
        self.marks: list[float] = []  # monotonic time at the end of each step

    def callback(self) -> Any:
        keras = keras_package(self.trained)
        recorder = self

        class Record(keras.callbacks.Callback):
            def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
                if recorder.step(epoch, logs or {}):
                    self.model.stop_training = True

        return Record()

    def step(self, epoch: int, logs: dict[str, Any]) -> bool:
        """Record one step; True when the loss is no longer finite (training stops there)."""
        result = self.result
        result.steps = epoch + 1
        for key, value in logs.items():
            number = float(np.asarray(value))
            if key == "loss":
                result.losses.append(number)
            else:
                result.metrics.setdefault(key, []).append(number)
        if epoch == 0:
            _update_ratios(self.before, _trainable_arrays(self.layers), self.stats)
        loss = result.losses[-1] if len(result.losses) == epoch + 1 else None
        if loss is not None and not math.isfinite(loss):
            result.nan_step = epoch
            result.first_nonfinite_layer = _first_bad_layer(self.trained, self.x, self.stats)
            return True
        return self._over_budget()

    def _over_budget(self) -> bool:
        """True once the steps after the first (which pays for tracing) have used the time budget.

        A large model's steps take seconds each on a CPU; the loss curve's first few steps already show
        divergence and a stuck loss, so the probe stops there rather than costing minutes.
        """
        self.marks.append(time.monotonic())
        later = [b - a for a, b in zip(self.marks, self.marks[1:])]
        if later:
            self.result.step_seconds = statistics.median(later)
        spent = self.marks[-1] - self.marks[0]
        return bool(self.budget) and len(self.marks) >= _PROBE_MIN_STEPS and spent > self.budget


def probe(model: Any, x: Any, y: Any, sample_weight: Any, stats: list[LayerStats],
          thresholds: Thresholds, element: Any = None) -> ProbeStats | None:
    """``probe_steps`` real training steps on one repeated batch; fills ``update_ratio`` from the first.

    The steps go through ``fit`` itself (one batch per epoch, so each epoch's logs are that step's loss
    and metrics), which hands the data to ``train_step`` exactly as the user's ``fit`` does: a custom
    ``train_step`` unpacking ``x, y = data`` works, where ``train_on_batch``'s ``(x, y, None)`` breaks it.
    Returns None when the train step reports no ``loss`` (a custom step with its own names).
    """
    result = ProbeStats(planned_steps=thresholds.probe_steps)
    with training_copy(model, x) as trained:
        recorder = _StepRecorder(trained, x, stats, result, thresholds.probe_time_budget)
        if element is not None:  # a custom train_step gets the stream's element exactly as fit gives it
            import tensorflow as tf

            data = tf.data.Dataset.from_tensors(element).repeat()
            trained.fit(data, steps_per_epoch=1, epochs=thresholds.probe_steps, verbose=0,
                        callbacks=[recorder.callback()])
        else:
            rows = int(_first_tensor(x).shape[0])
            trained.fit(x, y, sample_weight=sample_weight, batch_size=rows, epochs=thresholds.probe_steps,
                        shuffle=False, verbose=0, callbacks=[recorder.callback()])
    if len(result.losses) != result.steps:
        return None
    result.initial_loss = result.losses[0] if result.losses else None
    return result


def _update_ratios(before: list[list[np.ndarray]], after: list[list[np.ndarray]], stats: list[LayerStats]) -> None:
    for index, (old, new) in enumerate(zip(before, after)):
        if not old or index >= len(stats):
            continue
        size = _norm(old)
        change = _norm([b - a for a, b in zip(old, new)])
        if size > 0 and math.isfinite(change):  # NaN weights after the step are KC801's, not a ratio
            stats[index].update_ratio = change / size


def _first_bad_layer(model: Any, x: Any, stats: list[LayerStats]) -> str | None:
    name = first_nonfinite_weights(model)
    if name is not None:
        return name
    probe_stats = [LayerStats(index=s.index, name=s.name, kind=s.kind, activation=s.activation) for s in stats]
    try:
        forward_stats(model, x, probe_stats, Thresholds())
    except Exception:  # noqa: BLE001 - a model its train_step feeds its own way: the layer stays unknown
        return None
    return next((s.name for s in probe_stats if s.nonfinite_output), None)


# -- everything ---------------------------------------------------------------------------------------

def _head(layers: list[Any]) -> tuple[int | None, str | None]:
    if not layers:
        return None, None
    last = layers[-1]
    activation = layer_activation(last)
    if type(last).__name__ in _FOLDED_HEADS and len(layers) > 1:
        last = layers[-2]
    units = getattr(last, "units", None) or getattr(last, "filters", None)
    return (int(units) if isinstance(units, int) else None), activation


def _describe(exc: BaseException, stage: str) -> StepError:
    """The exception as data, its message cut to its first lines (TensorFlow appends pages of graph dump)."""
    message = str(exc).strip().splitlines()
    return StepError(type=type(exc).__name__, message=" ".join(line.strip() for line in message[:6])[:2000],
                     stage=stage)


def measure(capture: Capture, x: Any, y: Any, sample_weight: Any, thresholds: Thresholds,
            element: Any = None) -> RunMeasurements:
    """Measure ``capture.model`` on one batch; the model is left exactly as it was.

    ``element`` is the stream's first element as the stream gave it (``None`` for arrays): a model with
    its own ``train_step`` is probed on exactly that, since it unpacks ``data`` its own way.
    """
    model = capture.model
    run = RunMeasurements(model_name=getattr(model, "name", None), model_site=site_of(model),
                          compile_site=compile_site_of(model), fit_site=capture.fit_site, fit_method=capture.method)
    args = compile_args_of(model)
    loss = live_names.compiled_loss(model, args)
    run.loss, run.from_logits = live_names.loss_name(loss)
    run.custom_loss = live_names.custom_loss_name(loss)
    info = live_names.optimizer_info(getattr(model, "optimizer", None))
    run.optimizer, run.learning_rate = info.get("kind"), info.get("learning_rate")
    first = _first_tensor(x)
    run.batch_size = int(first.shape[0]) if hasattr(first, "shape") and len(first.shape) else None
    if x is None:
        run.unavailable.append(Unavailable("forward, gradients and probe training",
                                           "no batch of input data could be read from the fit call"))
        return run
    if run.batch_size == 0:  # statistics of nothing would read as dead units and NaN shares
        run.unavailable.append(Unavailable("forward, gradients and probe training",
                                           "x has no examples (an empty slice reaches fit)"))
        return run
    _measure_into(run, model, x, y, sample_weight, thresholds, element)
    return run


def _not_callable(exc: BaseException, what: str) -> Unavailable:
    """With its own ``train_step`` a model need not take the batch directly (a GAN without ``call``,
    a step that splits ``data`` itself): kerascheck's own call failing is not the user's error."""
    return Unavailable(what, f"calling the model directly on the batch raised {type(exc).__name__}, and its "
                             "train_step feeds it its own way")


def _measure_into(run: RunMeasurements, model: Any, x: Any, y: Any, sample_weight: Any,
                  thresholds: Thresholds, element: Any = None) -> None:
    try:
        run.model_kind = _model_kind(model)
        custom = _has_custom_train_step(model)
    except Exception as exc:  # noqa: BLE001 - an object Keras itself would refuse
        run.step_error = _describe(exc, "forward")
        return
    callable_ = True
    try:
        if not model.built:
            model(x, training=False)
    except Exception as exc:  # noqa: BLE001 - the model meeting the data is the user's first-step error
        if not custom:
            run.step_error = _describe(exc, "forward")
            return
        run.unavailable.append(_not_callable(exc, "forward pass"))
        callable_ = False
    # Training-mode passes move BatchNormalization statistics: put every variable back afterwards.
    saved = [(variable, np.array(variable.numpy())) for variable in model.weights]
    try:
        _measure_built(run, model, x, y, sample_weight, thresholds, element if custom else None, callable_)
    finally:
        for variable, value in saved:
            variable.assign(value)


def _measure_built(run: RunMeasurements, model: Any, x: Any, y: Any, sample_weight: Any,
                   thresholds: Thresholds, element: Any = None, callable_: bool = True) -> None:
    layers = leaf_layers(model)
    run.layers = [_init_stats(i, layer) for i, layer in enumerate(layers)]
    run.head_units, run.head_activation = _head(layers)
    outputs = getattr(model, "outputs", None) if run.model_kind != "subclassed" else None
    custom = _has_custom_train_step(model)
    prediction = None
    if callable_:
        try:
            prediction = forward_stats(model, x, run.layers, thresholds, training=True)
        except Exception as exc:  # noqa: BLE001
            if not custom:
                run.step_error = _describe(exc, "forward")
                return
            run.unavailable.append(_not_callable(exc, "forward pass"))
    run.num_outputs = len(outputs) if outputs else (len(prediction) if isinstance(prediction, (list, tuple, dict))
                                                   else 1)
    if not is_compiled(model) or getattr(model, "optimizer", None) is None:
        run.unavailable.append(Unavailable("gradients and probe training", "the model is not compiled"))
        return
    if custom:
        run.unavailable.append(Unavailable("gradients", "the model overrides train_step: its loss is not "
                                           "the compiled loss, so per-layer gradients would be a wrong number"))
    else:
        try:
            gradient_stats(model, x, y, sample_weight, run.layers)
        except Exception as exc:  # noqa: BLE001
            run.step_error = _describe(exc, "gradients")
            return
    try:
        run.probe = probe(model, x, y, sample_weight, run.layers, thresholds, element=element)
    except ProbeUnavailable as why:
        run.unavailable.append(Unavailable("probe training", str(why)))
        return
    except Exception as exc:  # noqa: BLE001
        run.step_error = _describe(exc, "probe")
        return
    if run.probe is None:
        run.unavailable.append(Unavailable("probe training", "the model's train_step reports no 'loss', so "
                                           "the loss curve cannot be read"))
        return
    run.probe.chance_loss = chance_loss(run.loss, run.head_units)
