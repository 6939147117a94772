"""Freezing the interpreter's mutable values into the public, frozen facts.

This is where Keras' vocabulary is applied: a layer ``Obj`` becomes a ``LayerFact`` with canonical kind,
units and activation; standalone activation layers are folded; ``compile`` arguments become
``LossFact``/``MetricFact``/``OptimizerFacts`` whatever their spelling (string, function, object).
"""

from __future__ import annotations

from typing import Any

from kerascheck.facts import keras_api as api
from kerascheck.facts.env import MISSING
from kerascheck.facts.model import (
    ACTIVATION_LAYERS, NO_LOC, TRANSPARENT_LAYERS, UNKNOWN, CallFact, CompileFacts, DataFact,
    FitFacts, LayerFact, Loc, LogitsUse, LossFact, MetricFact, ModelFacts, OptimizerFacts,
)
from kerascheck.facts.values import (
    UNK, DataV, DictV, FuncV, Instance, LayerUse, ModelB, Obj, OpMark, Ref, Seq, TensorV,
    const_number,
)

KERAS2_LAYER_KWARGS = frozenset(
    {"init", "output_dim", "border_mode", "subsample", "W_regularizer", "b_regularizer",
     "W_constraint", "b_constraint", "dim_ordering", "nb_filter", "nb_row", "nb_col", "p",
     "input_length_", "bias", "U_regularizer", "inner_init", "inner_activation", "dropout_W",
     "dropout_U", "consume_less", "nb_epoch"}
)
# Transparent layers an activation layer is not folded across (they move the last axis).
_AXIS_CHANGING = frozenset({"Flatten", "Reshape"})
# Loss classes whose first positional parameter is ``from_logits``.
_LOGITS_FIRST = frozenset(
    {"BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy"}
)


def fact_value(value: Any, depth: int = 0) -> Any:
    """An interpreter value as a facts value: constants, ``CallFact`` or ``UNKNOWN``."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > 4:
        return UNKNOWN
    if isinstance(value, Obj):
        return CallFact(
            value.name,
            tuple(fact_value(a, depth + 1) for a in value.args),
            {k: fact_value(v, depth + 1) for k, v in value.kwargs.items()},
            value.loc,
            dict(value.kwarg_locs),
        )
    if isinstance(value, Ref):
        return CallFact(value.name, loc=NO_LOC)
    if isinstance(value, Seq):
        return tuple(fact_value(v, depth + 1) for v in value.items)
    if isinstance(value, DictV):
        return {k: fact_value(v, depth + 1) for k, v in value.items.items()}
    return UNKNOWN


def activation_name(value: Any) -> str | None:
    """Canonical activation of an ``activation=`` value; None when not a known constant."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        return api.canonical_activation(value)
    if isinstance(value, Ref):
        short = value.name.rsplit(".", 1)[-1]
        if value.name.startswith(("keras.activations.", "tf.math.", "tf.nn.", "keras.ops.",
                                  "keras.backend.", "tf.")):
            return api.canonical_activation(short)
        return None
    if isinstance(value, Obj):
        if value.short in ACTIVATION_LAYERS:
            named = ACTIVATION_LAYERS[value.short]
            return named if named else activation_name(value.arg("activation", 0))
        return None
    return None


def layer_fact(use: LayerUse, freeze_nested: Any) -> LayerFact:
    obj = use.obj
    if isinstance(obj, ModelB):
        return LayerFact(kind="Model", loc=use.loc, nested_model=freeze_nested(obj))
    if isinstance(obj, Instance):
        return LayerFact(kind=obj.cls.node.name.value, loc=use.loc, name="user")
    if not isinstance(obj, Obj):
        return LayerFact(kind="?", loc=use.loc)
    short = obj.short
    if obj.name.startswith("keras.applications."):
        return LayerFact(kind="Application", loc=obj.loc, name=obj.name, application=short,
                         kwargs={k: fact_value(v) for k, v in obj.kwargs.items()})
    if not obj.name.startswith("keras.layers."):
        return LayerFact(kind="?", loc=obj.loc, name=obj.name)
    kind = api.canonical_layer_kind(short)
    units = None
    unit_spec = api.UNIT_ARGUMENT.get(short) or api.UNIT_ARGUMENT.get(kind)
    if unit_spec is not None:
        keyword, old_keywords = unit_spec
        raw = obj.arg(keyword, 0)
        for old in old_keywords:
            if raw is None and old in obj.kwargs:
                raw = obj.kwargs[old]
        if isinstance(raw, int) and not isinstance(raw, bool):
            units = raw
    activation: str | None = None
    activation_loc = obj.loc
    if kind in ACTIVATION_LAYERS:
        named = ACTIVATION_LAYERS[kind]
        activation = named if named else activation_name(obj.arg("activation", 0, UNK))
    elif kind in api.DEFAULT_ACTIVATION:
        position = api.ACTIVATION_POSITION.get(kind)
        raw_activation = obj.arg("activation", position, MISSING)
        if raw_activation is MISSING:
            activation = api.DEFAULT_ACTIVATION[kind]
        else:
            activation = activation_name(raw_activation)
            activation_loc = obj.arg_loc("activation", position)
    return LayerFact(
        kind=kind,
        loc=obj.loc,
        units=units,
        activation=activation,
        activation_loc=activation_loc,
        kwargs={k: fact_value(v) for k, v in obj.kwargs.items()},
        args=tuple(fact_value(a) for a in obj.args),
        name=obj.name,
        keras2_kwargs=tuple(k for k in obj.kwargs if k in KERAS2_LAYER_KWARGS),
        kwarg_locs=dict(obj.kwarg_locs),
    )


def fold_activations(raw: tuple[LayerFact, ...]) -> tuple[LayerFact, ...]:
    """Fold standalone activation layers onto the layer they apply to (skipping dropout/BN)."""
    out: list[LayerFact] = []
    for layer in raw:
        if layer.kind in ACTIVATION_LAYERS and out and not layer.follows_op:
            target = len(out) - 1
            # Flatten/Reshape change the axis the activation works on (Dense(1) -> Flatten ->
            # softmax is a softmax over time steps), so the activation is not the layer's.
            while target > 0 and out[target].kind in TRANSPARENT_LAYERS and (
                    out[target].kind not in _AXIS_CHANGING):
                target -= 1
            base = out[target]
            if layer.activation == "linear" and base.activation not in (None, "linear"):
                # ``Activation("linear", dtype="float32")`` after a softmax (the mixed-precision
                # idiom) is an identity cast: the softmax stays the layer's activation.
                continue
            if base.kind in api.DEFAULT_ACTIVATION or base.units is not None:
                out[target] = _replace(base, activation=layer.activation,
                                       activation_loc=layer.loc)
                continue
        out.append(layer)
    return tuple(out)


def _replace(layer: LayerFact, **changes: Any) -> LayerFact:
    from dataclasses import replace

    return replace(layer, **changes)


def loss_fact(value: Any, loc: Loc) -> LossFact:
    if isinstance(value, str):
        name = api.canonical_loss(value)
        return LossFact(name if name in api.KNOWN_LOSSES else None, loc,
                        custom=name not in api.KNOWN_LOSSES)
    if isinstance(value, Ref) and value.name.startswith("keras.losses."):
        name = api.canonical_loss(value.name.rsplit(".", 1)[-1])
        return LossFact(name if name in api.KNOWN_LOSSES else None, loc,
                        custom=name not in api.KNOWN_LOSSES)
    if isinstance(value, Obj) and value.name.startswith("keras.losses."):
        name = api.canonical_loss(value.short)
        # from_logits is the first positional parameter of the three cross-entropy classes.
        logits = value.arg("from_logits", 0 if value.short in _LOGITS_FIRST else None, MISSING)
        smoothing = const_number(value.kwargs.get("label_smoothing"))
        return LossFact(
            name if name in api.KNOWN_LOSSES else None, loc,
            # None: not given (Keras' default, False); UNKNOWN: given but not a constant.
            from_logits=(logits if isinstance(logits, bool) else None if logits is MISSING
                         else UNKNOWN),
            custom=name not in api.KNOWN_LOSSES,
            label_smoothing=smoothing,
        )
    if isinstance(value, FuncV):
        fn_name = getattr(getattr(value.node, "name", None), "value", None)
        return LossFact(None, loc, custom=True, custom_function=fn_name)
    return LossFact(None, loc, custom=True)


def metric_facts(value: Any, locs: tuple[Loc, ...]) -> tuple[MetricFact, ...]:
    if value is MISSING:
        return ()
    if isinstance(value, DictV):
        return tuple(MetricFact(None, locs[0] if locs else NO_LOC, custom=True)
                     for _ in value.items)
    items = value.items if isinstance(value, Seq) else [value]
    out: list[MetricFact] = []
    for i, item in enumerate(items):
        loc = locs[i] if i < len(locs) else (locs[-1] if locs else NO_LOC)
        name: str | None = None
        if isinstance(item, str):
            name = api.canonical_metric(item)
        elif isinstance(item, (Ref, Obj)) and ".metrics." in item.name or (
            isinstance(item, (Ref, Obj)) and ".losses." in item.name
        ):
            name = api.canonical_metric(item.name.rsplit(".", 1)[-1])
        call = fact_value(item) if isinstance(item, Obj) else None
        out.append(MetricFact(name, loc, custom=name is None,
                              call=call if isinstance(call, CallFact) else None))
    return tuple(out)


def optimizer_fact(value: Any, loc: Loc) -> OptimizerFacts | None:
    if isinstance(value, str):
        kind = api.OPTIMIZER_STRINGS.get(value.lower())
        if kind is None:
            return OptimizerFacts(None, loc, from_string=True)
        return OptimizerFacts(kind, loc, learning_rate=api.OPTIMIZER_DEFAULT_LR.get(kind),
                              lr_loc=loc, lr_is_default=True, from_string=True)
    if isinstance(value, Obj):
        return optimizer_from_obj(value)
    return None


def optimizer_from_obj(obj: Obj) -> OptimizerFacts | None:
    short = obj.short
    legacy = False
    if obj.name.startswith("tf.compat.v1.train.") or obj.name.startswith("tf.train."):
        short = short.replace("Optimizer", "").replace("GradientDescent", "SGD")
        short = {"RMSProp": "RMSprop", "Momentum": "SGD"}.get(short, short)
        legacy = True
    elif not obj.name.startswith("keras.optimizers."):
        return None
    elif obj.name.startswith("keras.optimizers.legacy."):
        legacy = True
    if short == "LossScaleOptimizer":
        inner = obj.arg("inner_optimizer", 0)
        return optimizer_from_obj(inner) if isinstance(inner, Obj) else None
    kind = short if short in api.OPTIMIZER_DEFAULT_LR else short
    lr_keyword = None
    raw: Any = MISSING
    for keyword in ("learning_rate", "lr"):
        if keyword in obj.kwargs:
            raw, lr_keyword = obj.kwargs[keyword], keyword
            lr_loc = obj.kwarg_locs.get(keyword, obj.loc)
            break
    else:
        if obj.args:
            raw, lr_loc = obj.args[0], obj.arg_loc("", 0)
        else:
            lr_loc = obj.loc
    schedule = None
    lr_is_default = False
    if raw is MISSING:
        learning_rate = api.OPTIMIZER_DEFAULT_LR.get(kind)
        lr_is_default = True
    elif isinstance(raw, Obj) and raw.name.startswith(("keras.schedules.", "keras.optimizers.")):
        schedule = raw.short
        initial = raw.arg("initial_learning_rate", 0)
        if schedule == "PiecewiseConstantDecay":
            values = raw.arg("values", 1)
            initial = values.items[0] if isinstance(values, Seq) and values.items else None
        learning_rate = const_number(initial)
        # lr_loc stays on the optimizer's own learning-rate argument (the schedule is named there).
    else:
        learning_rate = const_number(raw)
    epsilon_raw = obj.kwargs.get("epsilon")
    return OptimizerFacts(
        kind=kind,
        loc=obj.loc,
        learning_rate=learning_rate,
        lr_loc=lr_loc,
        lr_is_default=lr_is_default,
        lr_keyword=lr_keyword,
        schedule=schedule,
        clipping=tuple(k for k in api.CLIP_KEYWORDS if k in obj.kwargs and obj.kwargs[k] is not None),
        epsilon=const_number(epsilon_raw) if epsilon_raw is not None else None,
        epsilon_loc=obj.kwarg_locs.get("epsilon", obj.loc),
        kwargs={k: fact_value(v) for k, v in obj.kwargs.items()},
        legacy=legacy,
        name=obj.name,
        kwarg_locs=dict(obj.kwarg_locs),
        schedule_call=fact_value(raw) if schedule is not None else None,
        trains=_trains(obj),
    )


def _trains(obj: Obj) -> str | None:
    """``OptimizerFacts.trains`` from what the interpreter saw the optimizer used on."""
    targets = obj.attrs.get("targets")
    if targets:
        if "weights" in targets:
            return "weights"
        return "variables" if targets == {"variables"} else None
    return "ignored" if obj.attrs.get("trains") == "ignored" else None


def data_fact(value: Any, loc: Loc | None, name: str | None = None) -> DataFact | None:
    if value is MISSING or value is None:
        return None
    if isinstance(value, DataV):
        return DataFact(
            origin=value.origin, loc=loc or value.loc, role=value.role,
            transforms=value.transforms, num_classes=value.num_classes,
            label_kind=value.label_kind, source_name=name, bounds=value.bounds,
            values=value.values, column_name=value.column_name,
        )
    if isinstance(value, Seq) and value.items and isinstance(value.items[0], DataV):
        # fit((x, y)) style or a tuple of inputs: judge by the first ("multiple" says there are more).
        first = data_fact(value.items[0], loc, name)
        if first is not None and len(value.items) > 1:
            first = _replace(first, transforms=first.transforms + ("multiple",))
        return first
    return DataFact(origin="unknown", loc=loc or NO_LOC, source_name=name)


def compile_fact(rec: Any) -> CompileFacts | None:
    if rec is None:
        return None
    loss = None
    if rec.loss is not MISSING:
        loss = loss_fact(rec.loss, rec.loss_loc or rec.loc)
    optimizer = None
    if rec.optimizer is not MISSING:
        optimizer = optimizer_fact(rec.optimizer, rec.optimizer_loc or rec.loc)
    return CompileFacts(
        loc=rec.loc,
        loss=loss,
        metrics=metric_facts(rec.metrics, rec.metric_locs),
        optimizer=optimizer,
        loss_given=rec.loss is not MISSING,
    )


def _written_name(loc: Loc | None) -> str | None:
    """The variable name an argument is written as (``x_train``), for messages."""
    node = loc.node if loc is not None else None
    return getattr(node, "value", None) if type(node).__name__ == "Name" else None


def fit_fact(rec: Any) -> FitFacts:
    x = data_fact(rec.x, rec.x_loc, _written_name(rec.x_loc))
    y = data_fact(rec.y, rec.y_loc, _written_name(rec.y_loc))
    if x is not None and rec.y is MISSING and isinstance(rec.x, DataV) and rec.x.parts:
        labels = rec.x.parts[1] if len(rec.x.parts) > 1 else None
        if isinstance(labels, DataV):
            y = data_fact(labels, rec.x_loc)
    return FitFacts(
        loc=rec.loc, method=rec.method, x=x, y=y,
        validation=data_fact(rec.validation, None) if rec.validation is not MISSING else None,
        kwargs={k: fact_value(v) for k, v in rec.kwargs.items()},
        compile=compile_fact(getattr(rec, "compile", None)),
    )


class ModelFreezer:
    """Freezes ``ModelB``s, memoised so a model used as a layer is frozen once."""

    def __init__(self) -> None:
        self._done: dict[int, ModelFacts] = {}

    def __call__(self, model: ModelB) -> ModelFacts:
        key = id(model)
        if key in self._done:
            return self._done[key]
        self._done[key] = ModelFacts(loc=model.loc, kind=model.kind, complete=False)  # cycles
        raw, input_layer = self._layers(model.layers)
        complete = model.complete and all(layer.kind != "?" for layer in raw)
        facts = ModelFacts(
            loc=model.loc,
            kind=model.kind,
            raw_layers=raw,
            layers=fold_activations(raw),
            complete=complete,
            outputs=model.outputs,
            compile=compile_fact(model.compile),
            fits=tuple(fit_fact(f) for f in model.fits),
            name=model.name,
            input_layer=input_layer,
            output_after_op=bool(model.layers) and isinstance(model.layers[-1].obj, OpMark),
            logits_uses=tuple(LogitsUse(callee, applies, loc)
                              for callee, applies, loc in model.logits_uses),
        )
        self._done[key] = facts
        return facts


    def _layers(self, uses: list[LayerUse]) -> tuple[tuple[LayerFact, ...], LayerFact | None]:
        """The layer facts of a chain, without its ``keras.Input`` (returned apart) and op marks."""
        out: list[LayerFact] = []
        input_layer: LayerFact | None = None
        after_op = False
        for use in uses:
            obj = use.obj
            if isinstance(obj, OpMark):
                after_op = True
                continue
            if isinstance(obj, Obj) and (obj.name == "keras.Input" or (
                    obj.short == "InputLayer" and obj.name.startswith("keras."))):
                if input_layer is None:
                    input_layer = LayerFact(
                        kind="InputLayer", loc=obj.loc, name=obj.name,
                        kwargs={k: fact_value(v) for k, v in obj.kwargs.items()},
                        args=tuple(fact_value(a) for a in obj.args), kwarg_locs=dict(obj.kwarg_locs))
                continue
            fact = layer_fact(use, self)
            if use.repeated:
                fact = _replace(fact, repeated=True)
            if after_op:
                fact = _replace(fact, follows_op=True)
                after_op = False
            out.append(fact)
        return tuple(out), input_layer


def is_tensor(value: Any) -> bool:
    return isinstance(value, TensorV)
