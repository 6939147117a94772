"""The method part of the interpreter: methods called on models, data, lists and objects.

Separate because a method call means something different for each kind of receiver: on a model it
is recorded (``compile``/``fit`` become the ``CompileRec``/``FitRec`` that rules read, ``add``
extends a ``Sequential``), on data it is a transformation (``dataflow``; ``Dataset.map`` runs the
mapped user function on the data's parts), on a list it appends, on an object it may change it
(``adapt``, a scaler's ``fit``).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from kerascheck.facts import dataflow
from kerascheck.facts.env import Env
from kerascheck.facts.interp_calls import input_obj, loc_of
from kerascheck.facts.syntax import children
from kerascheck.facts.interp_state import CompileRec, FitRec, InterpreterState, MethodCallRec
from kerascheck.facts.values import (
    UNK, DataV, DictV, FuncV, Instance, LayerUse, ModelB, Obj, Seq,
)

MODEL_METHODS = frozenset(
    {"compile", "fit", "fit_generator", "train_on_batch", "evaluate", "evaluate_generator",
     "predict", "predict_generator", "predict_classes", "predict_proba", "predict_on_batch",
     "summary", "save", "save_weights", "load_weights", "test_on_batch", "to_json", "get_layer"}
)


class MethodsMixin(InterpreterState):
    """Method calls by receiver kind; the model methods that rules read are recorded here."""

    def _method(self, receiver: Any, method: str, node: cst.Call, args: tuple[Any, ...],
                kwargs: dict[str, Any], arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg],
                env: Env, receiver_node: cst.BaseExpression) -> Any:
        loc = self.loc(node)
        # A model built elsewhere: unknown, or returned by a function of another package
        # (``from mypackage.models import build; model = build()``).
        foreign = isinstance(receiver, Obj) and not receiver.name.startswith("keras.")
        if (receiver is UNK or foreign) and method == "compile" and (
                "loss" in kwargs or "optimizer" in kwargs):
            receiver = ModelB("unknown", loc, complete=False)
            self.models.append(receiver)
            if isinstance(receiver_node, cst.Name):
                env.bind(receiver_node.value, receiver, None)
        if isinstance(receiver, ModelB):
            return self._model_method(receiver, method, node, args, kwargs, arg_nodes, kw_nodes,
                                      env)
        if isinstance(receiver, (Instance, Obj)) and method in receiver.attrs:
            return self._apply(receiver.attrs[method], node, args, kwargs, arg_nodes, kw_nodes, env)
        if isinstance(receiver, Instance):
            fn = receiver.cls.methods.get(method)
            if fn is not None:
                return self._call_function(fn, args, kwargs, self_value=receiver)
            if receiver.cls.is_subclass_of("Model", "Sequential") and method in MODEL_METHODS:
                model = receiver.attrs.get("__model__")
                if isinstance(model, ModelB):
                    return self._model_method(model, method, node, args, kwargs, arg_nodes,
                                              kw_nodes, env)
            return UNK
        if isinstance(receiver, DataV):
            if method == "map" and args:
                return self._dataset_map(receiver, args[0])
            result = dataflow.method_call(receiver, method, args, kwargs, loc)
            if kwargs.get("inplace") is True:
                # df.dropna(inplace=True), df["age"].fillna(0, inplace=True): df itself changes.
                base_node = receiver_node
                while isinstance(base_node, cst.Subscript):
                    base_node = base_node.value
                if isinstance(base_node, cst.Name) and isinstance(result, DataV):
                    base = env.lookup(base_node.value)
                    if isinstance(base, DataV):
                        self._scope_of(base_node.value, env).bind(
                            base_node.value, base.derive(*result.transforms),
                            env.nodes.get(base_node.value))
                return None
            return result
        if isinstance(receiver, Seq) and receiver.is_list:
            if method in ("append", "extend") and args:
                if self._uncertain or receiver.appended:
                    receiver.appended.append(args[0])
                elif method == "append":
                    # Code that surely runs (an unrolled loop over range(10)): the list is known.
                    receiver.items.append(args[0])
                elif isinstance(args[0], Seq) and not args[0].appended:
                    receiver.items.extend(args[0].items)
                else:
                    receiver.appended.append(args[0])
            return None
        if isinstance(receiver, Obj):
            if method in ("apply_gradients", "minimize") and receiver.name.startswith(
                    _OPTIMIZER_FAMILIES):
                _record_optimizer_target(receiver, method, arg_nodes, kw_nodes, env)
                return UNK
            if method == "adapt":
                receiver.attrs["adapted"] = True
                return None
            result = dataflow.object_method(receiver, method, args, kwargs, loc)
            if result is not None:
                return result
            if method == "fit" and receiver.short != "ImageDataGenerator":
                return receiver
            return UNK
        return UNK

    def _model_method(self, model: ModelB, method: str, node: cst.Call, args: tuple[Any, ...],
                      kwargs: dict[str, Any], arg_nodes: list[cst.Arg],
                      kw_nodes: dict[str, cst.Arg], env: Env | None = None) -> Any:
        loc = self.loc(node)
        if method in MODEL_METHODS or method == "add":
            sample = _indexed_sample(arg_nodes[0].value, env) if (
                arg_nodes and args and method in _SAMPLE_METHODS) else None
            self.method_calls.append(MethodCallRec(
                "model", method, self.loc(node.func.attr if isinstance(node.func, cst.Attribute)
                                          else node),
                kwargs, {k: self.loc(a) for k, a in kw_nodes.items()},
                sample, self.loc(arg_nodes[0].value) if sample else None))
        if method == "add":
            layer = input_obj(args[0] if args else kwargs.get("layer", UNK))
            repeated = self._repeating > model.repeat_depth
            model.layers.append(LayerUse(layer, loc_of(layer, loc), repeated=repeated))
            # Only a branch (an if on an unknown test, a while, an except) leaves the model
            # unknown; a for loop with an unknown trip count repeats what it adds.
            if self._uncertain > self._repeating or layer is UNK:
                model.complete = False
            return None
        if method == "compile":
            rec = CompileRec(loc)
            for key, position in (("optimizer", 0), ("loss", 1), ("metrics", 2)):
                found = _argument(key, position, args, kwargs, arg_nodes, kw_nodes)
                if found is None:
                    continue
                value, arg = found
                if key == "optimizer":
                    if model.ignores_optimizer:
                        # its train_step never reads self.optimizer: this one trains nothing
                        if isinstance(value, Obj):
                            value.attrs["trains"] = "ignored"
                        continue
                    rec.optimizer, rec.optimizer_loc = value, self.loc(arg.value)
                elif key == "loss":
                    rec.loss, rec.loss_loc = value, self.loc(arg.value)
                    self._mark_functions(value, self.loss_functions)
                    single = _single_entry(arg.value, value)
                    if single is not None and model.outputs == 1:
                        # loss={"out": "binary_crossentropy"} or [loss] on a one-output model:
                        # that entry is the model's loss.
                        rec.loss, rec.loss_loc = single[0], self.loc(single[1])
                else:
                    rec.metrics = value
                    elements = arg.value.elements if isinstance(arg.value, (cst.List, cst.Tuple)) else []
                    rec.metric_locs = tuple(self.loc(e.value) for e in elements) or (
                        self.loc(arg.value),)
                    self._mark_functions(value, self.metric_functions)
            model.compile = rec
            return None
        if method in ("fit", "fit_generator", "train_on_batch"):
            rec_fit = FitRec(loc, method, kwargs=dict(kwargs), compile=model.compile)
            for key, position, alias in (("x", 0, "generator"), ("y", 1, None)):
                found = _argument(key, position, args, kwargs, arg_nodes, kw_nodes, alias)
                if found is None:
                    continue
                value, arg = found
                if key == "x":
                    rec_fit.x, rec_fit.x_loc = value, self.loc(arg.value)
                else:
                    rec_fit.y, rec_fit.y_loc = value, self.loc(arg.value)
            if "validation_data" in kwargs:
                rec_fit.validation = kwargs["validation_data"]
            model.fits.append(rec_fit)  # type: ignore[arg-type]
            return UNK
        return UNK

    def _mark_functions(self, value: Any, into: set[int]) -> None:
        values = value.items if isinstance(value, Seq) else (
            list(value.items.values()) if isinstance(value, DictV) else [value])
        for item in values:
            if isinstance(item, FuncV):
                into.add(id(item.node))
            elif isinstance(item, Instance):
                call = item.cls.methods.get("call") or item.cls.methods.get("__call__")
                if call is not None:
                    into.add(id(call.node))

    def _dataset_map(self, data: DataV, fn: Any) -> Any:
        if isinstance(fn, FuncV):
            self.map_functions.add(id(fn.node))
            params = _param_names(fn.node)
            parts = data.parts or (data,)
            probe_args = tuple(
                (p.derive(role="features") if isinstance(p, DataV) else UNK) for p in parts
            )[: max(1, len(params))]
            result = self._call_function(fn, probe_args, {})
            mapped: dict[str, Any] = {}
            if isinstance(result, Seq) and result.items:
                # (features, labels) after the map: labels one-hot encoded there must show at fit.
                mapped["parts"] = tuple(
                    r.derive(role=parts[i].role)
                    if isinstance(r, DataV) and i < len(parts) and isinstance(parts[i], DataV)
                    else UNK
                    for i, r in enumerate(result.items)
                )
                result = result.items[0]
            if isinstance(result, DataV):
                return data.derive(*result.transforms, **mapped)
            return UNK
        if isinstance(fn, Obj) and fn.short in ("Rescaling", "Normalization"):
            return data.derive("scaled")
        return UNK


def _argument(key: str, position: int, args: tuple[Any, ...], kwargs: dict[str, Any],
              arg_nodes: list[cst.Arg], kw_nodes: dict[str, cst.Arg],
              alias: str | None = None) -> tuple[Any, cst.Arg] | None:
    """The value and node of a parameter given by keyword (or by another method's name for it,
    ``fit_generator(generator=...)`` for ``x``), else at ``position``; None when it is not given."""
    for keyword in (key, alias):
        if keyword is not None and keyword in kwargs:
            return kwargs[keyword], kw_nodes[keyword]
    if position < len(args):
        return args[position], arg_nodes[position]
    return None


def _single_entry(node: cst.BaseExpression, value: Any) -> tuple[Any, cst.CSTNode] | None:
    """The value and node of the only entry of a one-entry dict/list/tuple literal (``loss=``)."""
    if isinstance(node, cst.Dict) and len(node.elements) == 1 and isinstance(
            node.elements[0], cst.DictElement) and isinstance(value, DictV) and len(
            value.items) == 1:
        return next(iter(value.items.values())), node.elements[0].value
    if isinstance(node, (cst.List, cst.Tuple)) and len(node.elements) == 1 and not isinstance(
            node.elements[0], cst.StarredElement) and isinstance(value, Seq) and len(
            value.items) == 1:
        return value.items[0], node.elements[0].value
    return None



def _param_names(node: cst.FunctionDef | cst.Lambda) -> list[str]:
    return [p.name.value for p in list(node.params.posonly_params) + list(node.params.params)]


_OPTIMIZER_FAMILIES = ("keras.optimizers.", "tf.compat.v1.train.", "tf.train.")
_VARIABLE_CALLS = frozenset({"tf.Variable", "keras.Variable", "tf.compat.v1.Variable",
                             "keras.backend.variable"})
# Attributes that hold a model's weights (``model.trainable_variables``).
_WEIGHT_ATTRIBUTES = frozenset({"trainable_variables", "trainable_weights", "weights", "variables",
                                "trainable_params"})


def _record_optimizer_target(optimizer: Obj, method: str, arg_nodes: list[cst.Arg],
                             kw_nodes: dict[str, cst.Arg], env: Env) -> None:
    """What ``optimizer.apply_gradients(...)``/``minimize(...)`` updates: ``"weights"`` (a
    model's ``trainable_variables``), ``"variables"`` (only ``tf.Variable``s the file builds: an
    image or a latent in style transfer, deep dream, adversarial examples) or ``"unknown"``;
    accumulated in ``optimizer.attrs["targets"]``."""
    if method == "minimize":
        nodes = [a.value for a in arg_nodes[1:2]] + [
            kw_nodes[k].value for k in ("var_list",) if k in kw_nodes]
    else:
        nodes = [a.value for a in arg_nodes[:1]] + [
            kw_nodes[k].value for k in ("grads_and_vars",) if k in kw_nodes]
    found = "unknown"
    stack: list[cst.CSTNode] = list(nodes)
    variables = 0
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Attribute) and node.attr.value in _WEIGHT_ATTRIBUTES:
            found = "weights"
            break
        if isinstance(node, cst.Name):
            value = env.lookup(node.value)
            items = value.items if isinstance(value, Seq) else (value,)
            if any(isinstance(v, Obj) and v.name in _VARIABLE_CALLS for v in items):
                variables += 1
            continue
        stack.extend(children(node))
    if found == "unknown" and variables:
        found = "variables"
    targets = optimizer.attrs.setdefault("targets", set())
    targets.add(found)


_SAMPLE_METHODS = frozenset({"predict", "evaluate", "predict_classes", "predict_proba",
                             "predict_on_batch", "test_on_batch"})


def _indexed_sample(node: cst.BaseExpression, env: Env | None) -> str | None:
    """``x_test[0]``, ``X[-1]``: the name of an array indexed by one integer literal (one sample,
    without its batch axis); None for slices (``x[0:1]``), lists, names and anything else."""
    if not isinstance(node, cst.Subscript) or not isinstance(node.value, cst.Name):
        return None
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    index = node.slice[0].slice.value
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus):
        index = index.expression
    if not isinstance(index, cst.Integer):
        return None
    base = env.lookup(node.value.value) if env is not None else UNK
    if isinstance(base, (Seq, DictV, ModelB)):
        return None  # an element of a list of arrays (one input of several), of a dict...
    return node.value.value
