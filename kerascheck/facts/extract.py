"""Static extractor: one libcst module in, ``FileFacts`` out.

The work is done by the interpreter (``interpreter.py``); this module freezes its results and
classifies numeric call sites by what the surrounding function is (a loss, a metric, a layer...), which
is only known once the whole file has been read (a function becomes "a loss" when ``compile`` uses it).
"""

from __future__ import annotations

import libcst as cst

from kerascheck.facts.build import ModelFreezer, fact_value, optimizer_from_obj
from kerascheck.facts.exprs import ExprView, function_scope
from kerascheck.facts.interpreter import Interpreter, NumericRec
from kerascheck.facts.model import CallFact, FileFacts, Loc, MethodCallFact, NumericSite
from kerascheck.facts.numeric_use import feeds_only_metrics, is_accuracy_function
from kerascheck.facts.values import FuncV

_LOSS_WORDS = ("loss", "crossentropy", "cross_entropy", "nll", "likelihood", "divergence", "elbo")
_METRIC_WORDS = ("metric", "accuracy", "acc", "score", "dice", "iou", "jaccard", "f1", "precision",
                 "recall", "auc", "psnr", "ssim", "rmse", "r2", "r_square", "coeff")
_DATA_WORDS = ("preprocess", "normalize", "normalise", "augment", "parse", "decode", "load",
               "prepare", "transform", "scale")
# Methods of layers, models, losses and metrics that run on configuration, not on tensors.
_CONFIG_METHODS = frozenset({"__init__", "build", "get_config", "from_config",
                             "compute_output_shape", "compute_output_signature",
                             "get_build_config", "build_from_config"})
_KERAS2_MARKERS = ("tf_keras", "keras.wrappers.scikit_learn", "tensorflow.compat.v1",
                   "keras.legacy")


def extract_facts(module: cst.Module) -> FileFacts:
    """Build the facts of one parsed file (never imports the user's code or Keras)."""
    interp = Interpreter(module)
    interp.run()
    freeze = ModelFreezer()
    models = tuple(freeze(m) for m in _unique(interp.models))
    optimizers = tuple(
        opt for opt in (optimizer_from_obj(o) for o in interp.objects
                        if o.name.startswith(("keras.optimizers.", "tf.compat.v1.train.")))
        if opt is not None
    )
    calls = tuple(
        CallFact(o.name, tuple(fact_value(a) for a in o.args),
                 {k: fact_value(v) for k, v in o.kwargs.items()}, o.loc, dict(o.kwarg_locs))
        for o in interp.objects
    )
    method_calls = tuple(
        MethodCallFact(f"model.{m.method}", m.loc, tuple(m.kwargs), m.kwarg_locs,
                       m.sample_of, m.sample_loc)
        for m in interp.method_calls
    )
    imports = tuple((full, _import_loc(node, interp.import_tops.get(id(node), ())))
                    for full, node in interp.imports.imported)
    return FileFacts(
        models=models,
        optimizers=optimizers,
        numeric_sites=tuple(_numeric_site(interp, rec) for rec in interp.numeric.values()),
        keras_imports=_keras_imports(interp),
        keras2_pinned=any(
            full == m or full.startswith(m + ".") for full, _ in interp.imports.imported
            for m in _KERAS2_MARKERS
        ),
        calls=calls,
        imports=imports,
        method_calls=method_calls,
    )


def _import_loc(node: cst.CSTNode, path: tuple) -> Loc:
    return Loc(node, path[0] if path else None, path=path)


def _unique(models: list) -> list:
    seen: set[int] = set()
    out = []
    for model in models:
        if id(model) not in seen:
            seen.add(id(model))
            out.append(model)
    return out


def _keras_imports(interp: Interpreter) -> tuple[str, ...]:
    found: list[str] = []
    for full, _ in interp.imports.imported:
        for root, label in (("tf_keras", "tf_keras"), ("tensorflow", "tf.keras"), ("keras", "keras")):
            if (full == root or full.startswith(root + ".")) and label not in found:
                found.append(label)
    return tuple(found)


def _numeric_site(interp: Interpreter, rec: NumericRec) -> NumericSite:
    fn = rec.function
    scope = function_scope(fn.node if fn is not None else None)  # parameters, parents (KC5xx)
    return NumericSite(
        op=rec.op,
        callee=rec.callee,
        operand=ExprView(rec.operand, interp.imports.resolve, rec.bindings, scope=scope),
        numerator=None if rec.numerator is None else ExprView(
            rec.numerator, interp.imports.resolve, rec.bindings, scope=scope),
        loc=rec.loc,
        function=_function_name(fn),
        context=_context(interp, fn),
        metric_only=is_accuracy_function(_function_name(fn)) or (
            rec.loc.node is not None and feeds_only_metrics(rec.loc.node, scope)),
    )


def _function_name(fn: FuncV | None) -> str | None:
    if fn is None or isinstance(fn.node, cst.Lambda):
        return None
    return fn.node.name.value


def _runs_as_layer(interp: Interpreter, key: int) -> bool:
    """``Lambda(euclidean_distance)``, ``Activation(my_sigmoid)``, ``Dense(8, activation=f)``: the
    function runs inside the model (its gradients matter)."""
    for obj in interp.objects:
        if not obj.name.startswith("keras.layers."):
            continue
        if obj.short == "Lambda":
            fn = obj.arg("function", 0)
        elif obj.short == "Activation":
            fn = obj.arg("activation", 0)
        else:
            fn = obj.kwargs.get("activation")
        if isinstance(fn, FuncV) and id(fn.node) == key:
            return True
    return False


def _context(interp: Interpreter, fn: FuncV | None) -> str:
    """What kind of code a numeric site sits in; see ``NumericSite.context``."""
    if fn is None:
        return "other"
    key = id(fn.node)
    if key in interp.loss_functions:
        return "loss"
    if key in interp.metric_functions:
        return "metric"
    if key in interp.map_functions:
        return "data"
    if _runs_as_layer(interp, key):
        return "layer"
    if fn.owner is not None and _function_name(fn) in _CONFIG_METHODS and fn.owner.is_subclass_of(
            "Layer", "Model", "Loss", "Metric", "Sequential"):
        return "other"  # runs once on configuration values, never on tensors
    if fn.owner is not None:
        if fn.owner.is_subclass_of("Loss"):
            return "loss"
        if fn.owner.is_subclass_of("Metric", "MeanMetricWrapper"):
            return "metric"
        if fn.owner.is_subclass_of("Layer"):
            return "layer"
        if fn.owner.is_subclass_of("Model", "Sequential"):
            return "model"
    name = (_function_name(fn) or "").lower()
    params = [p.name.value for p in fn.node.params.params]
    if any(w in name for w in _LOSS_WORDS):
        return "loss"
    if any(w in name for w in _METRIC_WORDS):
        return "metric"
    if "y_true" in params or "y_pred" in params:
        return "loss"
    if any(w in name for w in _DATA_WORDS):
        return "data"
    return "other"
