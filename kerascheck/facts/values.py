"""The abstract values the static interpreter computes for expressions.

The interpreter (``interpreter.py``) evaluates the statements of a file in order over these values:
constants, references to library objects, library objects built by calls (layers, optimizers, losses),
models under construction, functional-API tensors, data on its way to ``fit``, user functions and
classes. Anything else is ``UNK``. They are mutable and internal; ``build.py`` freezes models into the
public facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from kerascheck.facts.model import UNKNOWN, ArgumentLookup, FitFacts, Loc

UNK: Any = UNKNOWN


class Value:
    """Base class of interpreter values (constants are plain Python values)."""


@dataclass(eq=False)
class Ref(Value):
    """A library object named but not called: ``keras.layers.Dense``, ``np``, ``keras.losses.mse``."""

    name: str


@dataclass(eq=False)
class Obj(Value, ArgumentLookup):
    """The result of calling a library callable (a layer, optimizer, loss object, scaler...)."""

    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    loc: Loc
    kwarg_locs: dict[str, Loc] = field(default_factory=dict)
    arg_locs: tuple[Loc, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def arg_loc(self, keyword: str, position: int | None = None) -> Loc:
        if keyword in self.kwarg_locs:
            return self.kwarg_locs[keyword]
        if position is not None and position < len(self.arg_locs):
            return self.arg_locs[position]
        return self.loc


@dataclass(eq=False)
class LayerUse:
    """A layer (library ``Obj``, user layer or nested model) placed in a model."""

    obj: Any  # Obj, ModelB, UserInstance or UNK
    loc: Loc
    repeated: bool = False  # placed by a loop whose trip count is not known (see LayerFact)


@dataclass(eq=False)
class ModelB(Value):
    """A model under construction; ``build.freeze_model`` turns it into ``ModelFacts``."""

    kind: str
    loc: Loc
    layers: list[LayerUse] = field(default_factory=list)
    repeat_depth: int = 0  # unknown-count loops around the place the model was created
    complete: bool = True
    outputs: int = 1
    compile: Any = None  # the compile Obj-like record (see interpreter)
    fits: list[FitFacts] = field(default_factory=list)
    name: str | None = None
    # Custom code giving this model's output to a loss that applies softmax/sigmoid itself
    # (``tf.nn.softmax_cross_entropy_with_logits(logits=model(x))``): (callee, applies, loc).
    logits_uses: list[tuple[str, str, Loc]] = field(default_factory=list)
    # A subclassed model whose own ``train_step`` never reads ``self.optimizer`` (a GAN stepping
    # ``self.d_optimizer``/``self.g_optimizer``): an optimizer given to its ``compile`` trains nothing.
    ignores_optimizer: bool = False


@dataclass(eq=False)
class ModelOut(Value):
    """What a model returns when called on data in custom code (``probs = model(x)`` in a
    ``GradientTape`` step, or ``y_pred`` in a loss function given to that model's ``compile``)."""

    model: ModelB


@dataclass(eq=False)
class TensorV(Value):
    """A functional-API tensor and the chain of layers that produced it (first input followed)."""

    chain: tuple[LayerUse, ...]
    complete: bool = True


@dataclass(eq=False)
class OpMark(Value):
    """In a ``TensorV.chain``: an operation the interpreter does not model (``x + y``, a ``tf.*``
    call, slicing) was applied there, so the next layer does not consume the previous one directly.
    ``build.py`` drops it and sets ``LayerFact.follows_op`` on the next layer."""


# Transforms that keep every value of an array as it was (its bounds and value set stay known).
VALUE_KEEPING = frozenset({"reshaped", "cast", "nan_handled", "multiple", "image_generator",
                           "pylist", "object_dtype"})


@dataclass(eq=False)
class DataV(Value):
    """Data on its way to ``fit`` (see ``DataFact`` for the vocabulary)."""

    origin: str
    loc: Loc
    role: str = "unknown"
    transforms: tuple[str, ...] = ()
    num_classes: int | None = None
    label_kind: str | None = None
    parts: tuple[Any, ...] | None = None  # a dataset's (features, labels) when known
    # The size of the second axis of an array known to be 2-D (``y.reshape(-1, 1)``): what
    # ``y.shape[1]`` is. Only operations known to keep the shape keep it; ``derive`` drops it
    # unless it is passed again, so any other change leaves it unknown.
    columns: int | None = None
    # The interval every value lies in (``np.linspace(0, 10)``, a ``MinMaxScaler``'s
    # ``feature_range``, ``(-inf, inf)`` for ``make_regression`` targets), and the exact set of
    # values when it is small and known (``np.array([0, 1, 1])``, ``np.zeros(n)``). Like
    # ``columns`` they survive only what keeps the values (see ``VALUE_KEEPING``): any other
    # transform drops them unless it passes new ones.
    bounds: tuple[float, float] | None = None
    values: frozenset[Any] | None = None
    column_name: str | None = None  # ``df["price"]``: the frame column this data is

    def derive(self, *added: str, **changes: Any) -> "DataV":
        keeps = all(t in VALUE_KEEPING for t in added)
        values = dict(
            origin=self.origin, loc=self.loc, role=self.role, transforms=self.transforms,
            num_classes=self.num_classes, label_kind=self.label_kind, parts=self.parts,
            bounds=self.bounds if keeps else None, values=self.values if keeps else None,
            column_name=self.column_name if keeps else None,
        )
        values.update(changes)
        values["transforms"] = tuple(values["transforms"]) + tuple(
            t for t in added if t not in values["transforms"]
        )
        return DataV(**values)


@dataclass(eq=False)
class Seq(Value):
    """A tuple or list literal (or a list built by ``append``) of values."""

    items: list[Any]
    is_list: bool = False
    appended: list[Any] = field(default_factory=list)


@dataclass(eq=False)
class DictV(Value):
    items: dict[Any, Any]


@dataclass(eq=False)
class FuncV(Value):
    """A function defined in the file (or a lambda), callable by the interpreter."""

    node: cst.FunctionDef | cst.Lambda
    top: Any
    scope: Any  # the Env it closes over
    owner: "ClassV | None" = None


@dataclass(eq=False)
class ClassV(Value):
    """A class defined in the file; ``bases`` are canonical names of library bases when known."""

    node: cst.ClassDef
    top: Any
    bases: tuple[str, ...]
    methods: dict[str, FuncV] = field(default_factory=dict)

    def is_subclass_of(self, *suffixes: str) -> bool:
        return any(b.rsplit(".", 1)[-1] in suffixes for b in self.bases)


@dataclass(eq=False)
class Instance(Value):
    """An instance of a user class (``self`` inside its methods)."""

    cls: ClassV
    attrs: dict[str, Any] = field(default_factory=dict)
    loc: Loc | None = None


def const_number(value: Any) -> float | None:
    """A real number if ``value`` is one (bools excluded), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None
