"""The layer chain of a live Keras model, in the shape the static facts describe a model.

The structural rules read a model as an ordered chain of layers in which ``follows_op`` marks a layer
that does not directly consume the previous one (a residual ``Add``'s second branch, a ``keras.ops``
call in between), and ``complete`` says whether the chain is all there is. This module reads that from
the live object:

- ``Sequential``: its layers in order; a nested ``Sequential`` (or a nested functional model that is
  itself a plain chain) is inlined, since it computes exactly what its layers would in its place;
  any other nested model stays one opaque ``Model`` step, as in the static pass.
- functional: the graph's operations in topological order (``Function.operations``); for each layer
  call the node of *this* graph gives the operations that produced its inputs. Keras exposes no public
  API for a node's parents, so the private attributes are read defensively: if they are missing the
  chain is marked incomplete and the chain rules stay silent.
- subclassed: ``call`` can do anything with its layers, so the layers Keras tracks are listed (the
  per-layer rules such as dropout still see them) but the chain is incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kerascheck.runtime.capture import site_of
from kerascheck.runtime.live_names import is_keras_class
from kerascheck.runtime.measurements import Site

__all__ = ["LayerStep", "Chain", "layer_chain"]

_MAX_DEPTH = 4
_AFTER_OP = object()  # "the last thing in the graph was an operation, not a layer"


@dataclass(frozen=True)
class LayerStep:
    """One live layer of the chain; ``nested`` for a model used as a layer and not inlined."""

    layer: Any
    follows_op: bool = False
    nested: bool = False


@dataclass(frozen=True)
class Chain:
    """A model read as a chain (see the module docstring); ``input_shape`` is per sample."""

    kind: str  # "sequential", "functional", "subclassed"
    steps: tuple[LayerStep, ...] = ()
    complete: bool = True
    outputs: int = 1
    input_shape: tuple[Any, ...] | None = None
    input_site: Site | None = None
    output_after_op: bool = False
    inputs: int = 1

    @property
    def plain(self) -> bool:
        """A single-input, single-output chain of directly connected layers (safe to inline)."""
        return (self.complete and self.kind != "subclassed" and self.outputs == 1 and self.inputs == 1
                and not self.output_after_op and not any(s.follows_op or s.nested for s in self.steps))


def layer_chain(model: Any, depth: int = 0) -> Chain:
    """The chain of ``model``; never raises (what cannot be read makes the chain incomplete)."""
    kind = _kind(model)
    try:
        if kind == "sequential":
            chain = _sequential(model, depth)
        elif kind == "functional":
            chain = _functional(model, depth)
        else:
            chain = Chain("subclassed", tuple(LayerStep(layer) for layer in _tracked_layers(model)),
                          complete=False)
    except Exception:  # noqa: BLE001 - a Keras internal we did not expect: say "not fully known"
        return Chain(kind, tuple(LayerStep(layer) for layer in _tracked_layers(model)), complete=False)
    return chain


def _kind(model: Any) -> str:
    """``"sequential"``/``"functional"`` unless a user class between it and Keras overrides ``call``
    (then the layers need not run as the chain Keras built): ``"subclassed"``."""
    for cls in type(model).__mro__:
        if cls.__name__ in ("Sequential", "Functional") and is_keras_class(cls):
            return "sequential" if cls.__name__ == "Sequential" else "functional"
        if "call" in vars(cls):
            return "subclassed"
    return "subclassed"


def _tracked_layers(model: Any) -> list[Any]:
    try:
        return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    except Exception:  # noqa: BLE001
        return []


def _is_model(layer: Any) -> bool:
    return any(cls.__name__ in ("Model", "Functional", "Sequential") for cls in type(layer).__mro__)


def _expand(layer: Any, follows_op: bool, depth: int) -> list[LayerStep]:
    """``layer`` as steps: a plain nested chain inlined, any other model one opaque step."""
    if not _is_model(layer):
        return [LayerStep(layer, follows_op)]
    if depth < _MAX_DEPTH:
        inner = layer_chain(layer, depth + 1)
        if inner.plain and inner.steps:
            first, *rest = inner.steps
            return [replace(first, follows_op=follows_op), *rest]
    return [LayerStep(layer, follows_op, nested=True)]


def _sequential(model: Any, depth: int) -> Chain:
    steps: list[LayerStep] = []
    for layer in _tracked_layers(model):
        steps.extend(_expand(layer, False, depth))
    shape, site = _declared_input(model)
    first = _tracked_layers(model)[:1]
    if first and getattr(first[0], "_input_shape_arg", None) is not None:
        site = None  # input_shape= written on the first layer: the finding belongs there
    return Chain("sequential", tuple(steps), input_shape=shape, input_site=site)


def _declared_input(model: Any) -> tuple[tuple[Any, ...] | None, Site | None]:
    """The per-sample shape of the model's single input and where its ``InputLayer`` was made."""
    try:
        inputs = list(model.inputs or [])
    except Exception:  # noqa: BLE001 - an unbuilt Sequential has no inputs yet
        return None, None
    if len(inputs) != 1:
        return None, None
    history = getattr(inputs[0], "_keras_history", None)
    producer = getattr(history, "operation", None)
    return tuple(inputs[0].shape[1:]), site_of(producer) if producer is not None else None


def _functional(model: Any, depth: int) -> Chain:
    graph_nodes = model._nodes  # keys "<id(op)>_ib-<index>" of the nodes that belong to this graph
    steps: list[LayerStep] = []
    previous: Any = None  # the layer whose output the next layer must consume to follow directly
    for op in model.operations:
        if type(op).__name__ == "InputLayer":
            continue
        parents = _parents(op, graph_nodes)
        if not _is_layer(op):
            previous = _AFTER_OP  # a keras.ops call: no layer after it consumes a layer directly
            continue
        direct = len(parents) == 1 and (parents[0] is previous or (
            previous is None and type(parents[0]).__name__ == "InputLayer"))
        steps.extend(_expand(op, not direct, depth))
        previous = op
    outputs = list(model.outputs)
    producer = getattr(getattr(outputs[0], "_keras_history", None), "operation", None) if outputs else None
    last = steps[-1].layer if steps else None
    shape, site = _declared_input(model)
    return Chain("functional", tuple(steps), outputs=len(outputs), inputs=len(model.inputs),
                 input_shape=shape, input_site=site,
                 output_after_op=len(outputs) == 1 and producer is not None and producer is not last
                 and not _inlined_last(producer, last))


def _inlined_last(producer: Any, last: Any) -> bool:
    """The output comes from a nested chain that was inlined and ends with ``last``."""
    if not _is_model(producer):
        return False
    inner = _tracked_layers(producer)
    return bool(inner) and (inner[-1] is last or _inlined_last(inner[-1], last))


def _parents(op: Any, graph_nodes: Any) -> list[Any]:
    """The operations whose outputs ``op`` consumes in this graph (its node here, not in another
    model that shares the layer)."""
    for index, node in enumerate(op._inbound_nodes):
        if f"{id(op)}_ib-{index}" in graph_nodes:
            return [tensor._keras_history.operation for tensor in node.input_tensors]
    return []


def _is_layer(op: Any) -> bool:
    return any(cls.__name__ == "Layer" for cls in type(op).__mro__)
