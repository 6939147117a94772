"""The call part of the interpreter: what calling something gives, and the objects it builds.

Separate because calls are where abstract values are born: a library call becomes an ``Obj`` (a
layer, optimizer, loss...) or, for ``Sequential``/``Model``/``Input``/``load_model``, a model under
construction; calling a layer or model on a tensor extends that tensor's layer chain. Method calls
on values go to the method part, user functions and classes to the user-code part.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts import dataflow
from kerascheck.facts.env import Env
from kerascheck.facts.interp_expressions import after_op
from kerascheck.facts.interp_numeric import LOGITS_FIRST, LOGITS_LOSSES
from kerascheck.facts.interp_state import InterpreterState
from kerascheck.facts.model import Loc
from kerascheck.facts.values import (
    UNK, ClassV, DataV, DictV, FuncV, Instance, LayerUse, ModelB, ModelOut, Obj, Ref, Seq,
    TensorV,
)


class CallsMixin(InterpreterState):
    """Calls of library code, user code, objects and models; construction of models."""

    def _call(self, node: cst.Call, env: Env) -> Any:
        func = node.func
        if isinstance(func, cst.Attribute):
            root = func.value
            while isinstance(root, cst.Attribute):
                root = root.value
            library = isinstance(root, cst.Name) and not env.binds_locally(root.value) and (
                self.imports.resolve(func) is not None
            )
            if not library:
                receiver = self.ev(func.value, env)
                if not isinstance(receiver, Ref):
                    args, kwargs, arg_nodes, kw_nodes = self._args(node, env)
                    return self._method(receiver, func.attr.value, node, args, kwargs,
                                        arg_nodes, kw_nodes, env, func.value)
        callee = self.ev(func, env)
        args, kwargs, arg_nodes, kw_nodes = self._args(node, env)
        return self._apply(callee, node, args, kwargs, arg_nodes, kw_nodes, env)

    def _args(self, node: cst.Call, env: Env) -> tuple[tuple[Any, ...], dict[str, Any],
                                                        list[cst.Arg], dict[str, cst.Arg]]:
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        arg_nodes: list[cst.Arg] = []
        kw_nodes: dict[str, cst.Arg] = {}
        for arg in node.args:
            value = self.ev(arg.value, env)
            if arg.star:
                continue
            if arg.keyword is not None:
                kwargs[arg.keyword.value] = value
                kw_nodes[arg.keyword.value] = arg
            else:
                args.append(value)
                arg_nodes.append(arg)
        return tuple(args), kwargs, arg_nodes, kw_nodes

    def _apply(self, callee: Any, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any],
               arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg], env: Env) -> Any:
        if isinstance(callee, Ref):
            return self._library_call(callee.name, node, args, kwargs, arg_nodes, kw_nodes, env)
        if isinstance(callee, FuncV):
            return self._call_function(callee, args, kwargs)
        if isinstance(callee, ClassV):
            return self._instantiate(callee, node, args, kwargs)
        if isinstance(callee, Obj):
            if callee.name.startswith("keras.losses."):
                # loss_fn = CategoricalCrossentropy(from_logits=True); loss_fn(y, model(x))
                self._record_logits_use(callee.name, callee.short, callee.kwargs.get(
                    "from_logits", callee.args[0] if callee.short in LOGITS_FIRST and callee.args
                    else None), args, kwargs, node)
            return self._call_object(callee, args, kwargs)
        if isinstance(callee, ModelB):
            first = args[0] if args else kwargs.get("inputs", UNK)
            if isinstance(first, TensorV):
                return TensorV(first.chain + (LayerUse(callee, callee.loc),),
                               first.complete and callee.complete)
            if isinstance(first, DataV):
                # A preprocessing Sequential applied to data (``ds.map(lambda x, y: (aug(x), y))``).
                result = dataflow.model_on_data(callee, first)
                if isinstance(result, DataV):
                    return result
            if isinstance(first, Seq) and any(isinstance(i, TensorV) for i in first.items):
                return UNK
            # ``logits = model(x, training=True)`` in a training step: what the model outputs.
            return ModelOut(callee)
        if isinstance(callee, Instance):
            call = callee.cls.methods.get("call") or callee.cls.methods.get("__call__")
            first = args[0] if args else UNK
            if isinstance(first, TensorV):
                return TensorV(first.chain + (LayerUse(callee, callee.loc or self.loc(node)),),
                               first.complete)
            if call is not None:
                return self._call_function(call, args, kwargs, self_value=callee)
        return UNK

    def _call_object(self, obj: Obj, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Calling a built object: a layer applied to a tensor, or a loss/metric object."""
        first = args[0] if args else kwargs.get("inputs", UNK)
        if isinstance(first, TensorV):
            return TensorV(first.chain + (LayerUse(obj, obj.loc),), first.complete)
        if isinstance(first, Seq) and first.items and isinstance(first.items[0], TensorV):
            lead = first.items[0]
            return TensorV(lead.chain + (LayerUse(obj, obj.loc),), lead.complete)
        if isinstance(first, DataV):
            # A preprocessing layer applied to data (``ds.map(lambda x, y: (rescale(x), y))``).
            return dataflow.layer_on_data(obj, first)
        if obj.name.startswith("keras.layers."):
            return TensorV((LayerUse(obj, obj.loc),), False)
        return UNK

    def _library_call(self, name: str, node: cst.Call, args: tuple[Any, ...],
                      kwargs: dict[str, Any], arg_nodes: list[cst.Arg],
                      kw_nodes: dict[str, cst.Arg], env: Env) -> Any:
        loc = self.loc(node)
        short = name.rsplit(".", 1)[-1]
        self._record_numeric_call(name, short, node, arg_nodes, kw_nodes, env)
        if short in LOGITS_LOSSES and any(isinstance(a, ModelOut) or isinstance(a, Obj)
                                           for a in (*args, *kwargs.values())):
            self._record_logits_use(name, short, kwargs.get(
                "from_logits", args[2] if len(args) > 2 else None), args, kwargs, node)
        if name == "builtins.range":
            if all(isinstance(a, int) and not isinstance(a, bool) for a in args) and 1 <= len(args) <= 3:
                try:
                    return range(*args)
                except (TypeError, ValueError):
                    return UNK
            return UNK
        if name in ("keras.Sequential", "keras.models.Sequential"):
            return self._sequential(node, args, kwargs)
        if name in ("keras.Model", "keras.models.Model"):
            # Also a CallFact, so keyword rules see Keras 1's Model(input=..., output=...) (KC901).
            self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
            return self._functional(node, args, kwargs)
        if name == "keras.Input" or short == "InputLayer" and name.startswith("keras."):
            # The Input heads its chain; build.py turns it into ModelFacts.input_layer.
            obj = self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
            return TensorV((LayerUse(obj, loc),))
        if name in ("keras.load_model", "keras.models.load_model", "keras.model_from_json",
                    "keras.models.model_from_json", "keras.clone_model", "keras.saving.load_model"):
            model = ModelB("unknown", loc, complete=False)
            self.models.append(model)
            return model
        data = dataflow.library_call(short, name, args, kwargs, loc)
        if data is not None:
            return data
        if name.startswith("keras.layers.") and short[:1].islower() and args and (
            isinstance(args[0], Seq) and args[0].items and isinstance(args[0].items[0], TensorV)
        ):
            # Functional merge helpers: concatenate([a, b]), add([a, b]).
            obj = self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
            lead = args[0].items[0]
            return TensorV(lead.chain + (LayerUse(obj, loc),), lead.complete)
        if args and isinstance(args[0], TensorV) and _is_activation_function(name):
            # tf.nn.softmax(x), keras.activations.sigmoid(x), keras.ops.softmax(x): an activation
            # layer as far as the model's output is concerned (build.py folds it like one).
            axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
            act = Obj("keras.layers.Activation", (short,), {} if axis is None else {"axis": axis},
                      loc, arg_locs=(loc,))
            return TensorV(args[0].chain + (LayerUse(act, loc),), args[0].complete)
        if name in _VARIABLE_CALLS:
            # tf.Variable(content_image): a variable the file optimises or updates (style transfer,
            # adversarial inputs) whatever its initial value; the optimizer rules look for them.
            return self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)
        if any(isinstance(a, (DataV, TensorV)) for a in args) and not name.startswith("keras."):
            first = args[0]
            if isinstance(first, TensorV):
                return after_op(first)
            return UNK
        return self._make_obj(name, node, args, kwargs, arg_nodes, kw_nodes)

    def _make_obj(self, name: str, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any],
                  arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg]) -> Obj:
        obj = Obj(
            name, args, kwargs, self.loc(node),
            kwarg_locs={k: self.loc(a) for k, a in kw_nodes.items()},
            arg_locs=tuple(self.loc(a.value) for a in arg_nodes),
        )
        if any(a.star == "**" for a in node.args):
            # Keyword arguments we cannot see (``ImageDataGenerator(**aug)``); see dataflow.
            obj.attrs[dataflow.STAR_KWARGS] = True
        self.objects.append(obj)
        return obj

    def _sequential(self, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ModelB:
        model = ModelB("sequential", self.loc(node), repeat_depth=self._repeating)
        layers = args[0] if args else kwargs.get("layers", None)
        if isinstance(layers, Seq):
            items = list(layers.items) + list(layers.appended)
            for item in items:
                item = input_obj(item)  # keras.Input(...): build.py makes it the input_layer
                model.layers.append(LayerUse(item, loc_of(item, model.loc)))
            if layers.appended or any(i is UNK for i in items):
                model.complete = False
        elif layers is not None:
            model.complete = False
        if self._uncertain > self._repeating:
            model.complete = False
        self.models.append(model)
        return model

    def _functional(self, node: cst.Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ModelB:
        outputs = kwargs.get("outputs", kwargs.get("output", args[1] if len(args) > 1 else UNK))
        model = ModelB("functional", self.loc(node))
        if isinstance(outputs, DictV):
            outputs = Seq(list(outputs.items.values()))
        if isinstance(outputs, Seq):
            model.outputs = len(outputs.items)
            if len(outputs.items) == 1:
                outputs = outputs.items[0]
        if isinstance(outputs, TensorV):
            model.layers = list(outputs.chain)
            model.complete = outputs.complete
        else:
            model.complete = False
        self.models.append(model)
        return model


def loc_of(value: Any, default: Loc) -> Loc:
    """Where a layer placed in a model is written: its own call when known, else ``default``."""
    if isinstance(value, (Obj, ModelB)):
        return value.loc
    if isinstance(value, Instance) and value.loc is not None:
        return value.loc
    return default


def input_obj(value: Any) -> Any:
    """The ``keras.Input``/``InputLayer`` object of a bare input tensor, else ``value``."""
    if isinstance(value, TensorV) and len(value.chain) == 1:
        obj = value.chain[0].obj
        if isinstance(obj, Obj) and (obj.name == "keras.Input" or obj.short == "InputLayer"):
            return obj
    return value


_ACTIVATION_FUNCTIONS = frozenset(
    {"softmax", "log_softmax", "sigmoid", "hard_sigmoid", "tanh", "relu", "relu6", "elu", "selu",
     "softplus", "softsign", "gelu", "silu", "swish", "leaky_relu", "exponential"}
)
_ACTIVATION_MODULES = ("tf.math.", "tf.nn.", "keras.activations.", "keras.backend.", "keras.ops.")


def _is_activation_function(name: str) -> bool:
    """``tf.nn.softmax``, ``keras.activations.sigmoid``, ``K.softmax``... (canonical names)."""
    module, _, short = name.rpartition(".")
    return short in _ACTIVATION_FUNCTIONS and (module + ".").startswith(_ACTIVATION_MODULES) and (
        module.count(".") <= 1)


_VARIABLE_CALLS = frozenset({"tf.Variable", "keras.Variable", "tf.compat.v1.Variable",
                             "keras.backend.variable"})
