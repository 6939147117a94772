"""Framework-neutral facts about one Keras program.

These dataclasses are what rules read. They hold no libcst or TensorFlow types: a source location is an
opaque ``Loc`` that only the engine turns into line/column (positions are expensive in libcst, so they
are computed for reported facts only). The static extractor and the runtime capturer both build them,
so every structural rule runs on either.

Conventions (rules rely on them):
- Names are canonical: layer kinds are class names (``"Dense"``, ``"LSTM"``), activations, losses and
  metrics are Keras' snake-case names (``"softmax"``, ``"categorical_crossentropy"``, ``"accuracy"``),
  optimizer kinds are class names (``"Adam"``). Aliases (``"acc"``, ``"mse"``,
  ``keras.losses.MeanSquaredError()``) are already resolved by the extractor.
- ``None`` means "not known" (not a constant, built elsewhere); ``UNKNOWN`` marks a value that exists
  but could not be evaluated. Rules prefer silence when what they need is not known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


class _Unknown:
    """A value that is present in the source but could not be evaluated statically."""

    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True, eq=False, repr=False)
class Loc:
    """Opaque handle on a place in the source.

    ``node`` is the syntax node to report on, ``top`` the top-level statement that contains it and
    ``path`` the statements from ``top`` down to the innermost one (the engine uses them to compute a
    position from that statement alone). The runtime capturer fills ``file``/``line`` instead.
    Rules must treat this as opaque.
    """

    node: object = None
    top: object = None
    file: str | None = None
    line: int | None = None
    path: tuple[object, ...] = ()  # statements from ``top`` down to the innermost one holding ``node``
    # Runtime locations (``file``/``line`` set) may also know the span of the call that made the object
    # (from the frame's bytecode positions): 1-based, end exclusive.
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    cell: int | None = None  # a notebook's 1-based code cell (``line`` is then inside that cell)

    def __repr__(self) -> str:
        if self.node is None:
            return f"Loc(file={self.file!r}, line={self.line!r})"
        return f"Loc(<{type(self.node).__name__}>)"


NO_LOC = Loc()


class ArgumentLookup:
    """``arg(keyword, position, default)`` for what holds a call's ``args`` and ``kwargs``.

    One definition for the facts (``CallFact``, ``LayerFact``) and the interpreter's ``Obj``, so that
    "given by keyword, else at its position" reads the same everywhere.
    """

    __slots__ = ()
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any]

    def arg(self, keyword: str, position: int | None = None, default: Any = None) -> Any:
        """The argument given by keyword, else at ``position``, else ``default``."""
        if keyword in self.kwargs:
            return self.kwargs[keyword]
        if position is not None and position < len(self.args):
            return self.args[position]
        return default


@dataclass(frozen=True)
class CallFact(ArgumentLookup):
    """A call to a known library callable with its evaluated arguments.

    Used for argument values such as ``RandomNormal(stddev=2.0)`` or ``ExponentialDecay(...)``, and in
    ``FileFacts.calls`` for every library call of the file. A library object named without a call
    (``activation=tf.nn.softmax``) is a ``CallFact`` with no arguments and no location.
    ``name`` is the canonical dotted name (``"keras.initializers.RandomNormal"``), ``args`` the evaluated
    positional arguments and ``kwargs`` the keyword arguments (constants, ``CallFact``s or ``UNKNOWN``).
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    loc: Loc = NO_LOC
    kwarg_locs: Mapping[str, Loc] = field(default_factory=dict)  # where each keyword argument is

    @property
    def short(self) -> str:
        """The last component of ``name`` (``"RandomNormal"``)."""
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class LayerFact(ArgumentLookup):
    """One layer as written.

    ``activation`` is the canonical activation the layer applies (``"linear"`` when the layer has an
    activation argument and none is given, ``None`` when it has none or it is not a constant).
    In ``ModelFacts.layers`` a standalone ``Activation``/``Softmax``/``ReLU`` layer is folded onto the
    preceding layer: the preceding layer's ``activation`` becomes that activation and
    ``activation_loc`` points at the folded layer.
    """

    kind: str
    loc: Loc
    units: int | None = None
    activation: str | None = None
    activation_loc: Loc = NO_LOC
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    args: tuple[Any, ...] = ()
    name: str | None = None  # canonical dotted callee, e.g. "keras.layers.Dense"
    keras2_kwargs: tuple[str, ...] = ()  # Keras 2-only keyword names used (``init``, ``output_dim``...)
    nested_model: "ModelFacts | None" = None  # a Sequential/Model used as a layer
    application: str | None = None  # ``keras.applications`` constructor name, e.g. "ResNet50"
    kwarg_locs: Mapping[str, Loc] = field(default_factory=dict)  # where each keyword argument is
    # True when an operation the extractor does not model (``x + y``, a ``tf.*`` call, slicing) sits
    # between this layer and the previous one (or the model input) of a functional chain: it does not
    # consume that layer's output directly (a residual sum, an attention product, a transpose...).
    follows_op: bool = False
    # True when a ``for`` loop whose trip count is not known (``for _ in range(n_layers)``) adds the
    # layer: it stands for that many copies. Rules that count layers count it once (a lower bound).
    repeated: bool = False

    def arg_loc(self, keyword: str) -> Loc:
        """Where keyword argument ``keyword`` is written, else the layer itself."""
        return self.kwarg_locs.get(keyword, self.loc)


@dataclass(frozen=True)
class LossFact:
    """The loss passed to ``compile``.

    ``name`` is canonical (``"mean_squared_error"``, ``"categorical_crossentropy"``) or ``None`` for a
    custom function, a loss held in a variable set elsewhere, or a per-output dict/list (``custom``
    tells which). ``from_logits`` is ``None`` when not given (Keras' default is False) and ``UNKNOWN``
    when given but not a constant (``from_logits=use_logits``): test it with ``is True``/``is None``.
    """

    name: str | None
    loc: Loc
    from_logits: Any = None  # True, False, None (not given) or UNKNOWN
    custom: bool = False
    custom_function: str | None = None  # name of a function defined in this file used as the loss
    label_smoothing: float | None = None


@dataclass(frozen=True)
class MetricFact:
    """A metric passed to ``compile``: ``name`` is canonical (``"accuracy"`` for the string
    ``"acc"``), ``call`` the metric object as constructed (``BinaryAccuracy(threshold=0.0)``), None
    for a string or a function."""

    name: str | None
    loc: Loc
    custom: bool = False
    call: CallFact | None = None


@dataclass(frozen=True)
class OptimizerFacts:
    """An optimizer as constructed (or named by string).

    ``learning_rate`` is the initial value: a constant, the ``initial_learning_rate`` of a schedule (then
    ``schedule`` names it), Keras' default for a string optimizer or an optimizer given no rate
    (``lr_is_default``), or ``None`` when not a constant; with a ``PiecewiseConstantDecay`` it is the
    first of ``values``. ``lr_loc`` is the optimizer's own learning-rate argument (also when it holds a
    schedule; the optimizer call when no rate is given); ``schedule_call`` holds the schedule's
    arguments (``warmup_target``, ``end_learning_rate``...). ``legacy`` is set for
    ``keras.optimizers.legacy.*`` and TF1 (``tf.compat.v1.train.*``) optimizers, which ``name`` tells apart.
    ``clipping`` names the clipping keywords that are set (``clipnorm``, ``clipvalue``,
    ``global_clipnorm``), whatever their value.
    """

    kind: str | None
    loc: Loc
    learning_rate: float | None = None
    lr_loc: Loc = NO_LOC
    lr_is_default: bool = False
    lr_keyword: str | None = None  # "learning_rate", "lr" or None (positional/default)
    schedule: str | None = None
    clipping: tuple[str, ...] = ()
    epsilon: float | None = None
    epsilon_loc: Loc = NO_LOC
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    from_string: bool = False
    legacy: bool = False  # keras.optimizers.legacy.* / tf.compat.v1 optimizers
    name: str | None = None  # canonical callee: "keras.optimizers.Adam", "tf.compat.v1.train.AdamOptimizer"
    kwarg_locs: Mapping[str, Loc] = field(default_factory=dict)  # where each keyword argument is
    schedule_call: "CallFact | None" = None  # the schedule object when ``schedule`` is set
    # What the optimizer is seen to train: "weights" (an ``apply_gradients``/``minimize`` updates a
    # model's ``trainable_variables``), "variables" (they only ever update ``tf.Variable``s the
    # file builds, an image or a latent), "ignored" (given to the ``compile`` of a model whose
    # ``train_step`` never reads ``self.optimizer``); None when not seen (compile/fit, unknown).
    trains: str | None = None


@dataclass(frozen=True)
class CompileFacts:
    loc: Loc
    loss: LossFact | None = None
    metrics: tuple[MetricFact, ...] = ()
    optimizer: OptimizerFacts | None = None
    loss_given: bool = False  # a loss argument is present (even if not understood)


@dataclass(frozen=True)
class DataFact:
    """What is known about an array or dataset on its way to ``fit``.

    ``origin`` says where it came from: ``"dataset:mnist"`` (a ``keras.datasets`` loader; ``role`` tells
    features from labels), ``"image_files"`` (decoded image files, raw pixels),
    ``"image_directory"`` (``image_dataset_from_directory``/``flow_from_directory`` without rescaling),
    ``"read_csv"`` (a pandas frame from a file), ``"literal"``, ``"random"``, or ``"unknown"``.
    ``transforms`` records what happened on the way, in order: ``"scaled"`` (division by a constant,
    a scaler, ``preprocess_input``...), ``"normalized"`` (standardisation), ``"onehot"``, ``"nan_handled"``,
    ``"cast"``, ``"reshaped"``, ``"label_scaled"``, ``"multiple"`` (several arrays given together,
    e.g. a multi-input ``fit([a, b], y)``; the fact describes the first)... Any transform a rule does
    not know may have changed the values. ``num_classes`` is the class count given to
    ``to_categorical``, when constant.
    """

    origin: str
    loc: Loc
    role: str = "unknown"  # "features", "labels", "dataset" (features and labels together) or "unknown"
    transforms: tuple[str, ...] = ()
    num_classes: int | None = None
    # "onehot", "integer", "binary", "continuous", "multilabel" (MultiLabelBinarizer) or None
    label_kind: str | None = None
    source_name: str | None = None  # variable name as written at ``fit``
    # Every value lies in ``bounds`` (lo, hi; either may be infinite): ``make_regression``
    # targets are (-inf, inf), ``np.linspace(0, 10)`` is (0, 10), a ``MinMaxScaler``'s output its
    # ``feature_range``. ``values`` is the exact set of values when small and known
    # (``np.array([0, 1, 1, 0])``, ``np.zeros(n)``). None: not known.
    bounds: tuple[float, float] | None = None
    values: frozenset[Any] | None = None
    column_name: str | None = None  # the frame column it was read as (``df["price"]``)
    rank: int | None = None  # the array's rank when measured on the live data (runtime pass only)

    def has(self, *transforms: str) -> bool:
        """True if any of ``transforms`` happened on the way."""
        return any(t in self.transforms for t in transforms)


@dataclass(frozen=True)
class FitFacts:
    loc: Loc
    method: str = "fit"  # "fit", "fit_generator", "train_on_batch"
    x: DataFact | None = None
    y: DataFact | None = None
    validation: DataFact | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    # The compile in effect when fit was called (None: none seen before it). A model compiled
    # twice fits with each loss in turn: ``fit.compile == model.compile`` for the last one.
    compile: "CompileFacts | None" = None


@dataclass(frozen=True)
class LogitsUse:
    """The model's output given as logits to a loss that applies an activation itself.

    ``callee`` is the canonical loss (``"tf.nn.softmax_cross_entropy_with_logits"``,
    ``"keras.losses.CategoricalCrossentropy"``), ``applies`` what it applies (``"softmax"`` or
    ``"sigmoid"``), ``loc`` the call."""

    callee: str
    applies: str
    loc: Loc


@dataclass(frozen=True)
class ModelFacts:
    """One model: its layers, how it is compiled and what it is fit on.

    ``raw_layers`` are the layers in order as written; ``layers`` has standalone activation layers
    folded onto the layer before them (see ``LayerFact``). ``complete`` is False when some layers could
    not be seen (added in a loop, built from a config, a model passed in from elsewhere): rules that
    reason about the whole stack or the head must then stay quiet. ``outputs`` is the number of model
    outputs when known (multi-output models have per-output losses).
    ``input_layer`` is the model's declared input when it is a separate object (``keras.Input(...)``
    feeding a functional chain, ``keras.Input``/``InputLayer`` first in a Sequential): a LayerFact of
    kind ``"InputLayer"`` with the arguments as written (``shape``, ``input_shape``, ``batch_shape``);
    it is not part of ``raw_layers``/``layers``.
    ``output_after_op`` is True when an operation the extractor does not model (``x * 2``,
    ``tf.squeeze(x)``, slicing) is applied after the last layer: what the model outputs is then not
    what its last layer computes, so ``head`` is None.
    ``logits_uses`` are the places where custom code gives the model's output, unchanged but for a
    reshape or cast, as logits to a loss that applies softmax/sigmoid itself: in a training step
    (``logits = model(x)`` then ``tf.nn.softmax_cross_entropy_with_logits(y, logits)``) or in a
    loss function passed to this model's ``compile``.
    """

    loc: Loc
    kind: str  # "sequential", "functional", "subclassed", "unknown"
    raw_layers: tuple[LayerFact, ...] = ()
    layers: tuple[LayerFact, ...] = ()
    complete: bool = True
    outputs: int = 1
    compile: CompileFacts | None = None
    fits: tuple[FitFacts, ...] = ()
    name: str | None = None  # the variable it is bound to, for messages
    input_layer: LayerFact | None = None
    output_after_op: bool = False
    logits_uses: tuple["LogitsUse", ...] = ()

    @property
    def head(self) -> LayerFact | None:
        """The output layer with activations folded (the last layer that has units), if complete."""
        if not self.complete or self.outputs != 1 or self.output_after_op:
            return None
        for layer in reversed(self.layers):
            if layer.units is not None or layer.kind in UNIT_LAYERS:
                return layer
            if layer.kind not in TRANSPARENT_LAYERS:
                return None
        return None


# Layers with a ``units``/``filters`` count whose output can be a model head.
UNIT_LAYERS = frozenset(
    {"Dense", "Conv1D", "Conv2D", "Conv3D", "SimpleRNN", "LSTM", "GRU", "Conv2DTranspose",
     "Conv1DTranspose", "Conv3DTranspose", "SeparableConv2D", "SeparableConv1D", "EinsumDense"}
)

# Layers that do not change what the head computes (for head detection and activation folding).
TRANSPARENT_LAYERS = frozenset(
    {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
     "GaussianDropout", "AlphaDropout", "BatchNormalization", "LayerNormalization", "Flatten",
     "Reshape", "ActivityRegularization", "Masking", "Identity"}
)

# Standalone layers that apply an activation; folded onto the preceding layer.
ACTIVATION_LAYERS = {
    "Activation": None,  # activation given as the first argument
    "Softmax": "softmax",
    "ReLU": "relu",
    "LeakyReLU": "leaky_relu",
    "PReLU": "prelu",
    "ELU": "elu",
    "ThresholdedReLU": "relu",
}


@dataclass(frozen=True)
class NumericSite:
    """A numerically sensitive operation in user code: ``log``, ``sqrt``, ``exp``, ``pow`` or a division.

    ``op`` is ``"log"``, ``"log1p"``, ``"sqrt"``, ``"rsqrt"``, ``"exp"``, ``"pow"`` or ``"divide"``;
    ``callee`` the canonical callable (``"tf.math.log"``, ``"numpy.log"``, ``"/"`` for the operator);
    ``operand`` a view of the sensitive argument (the log/sqrt argument, the denominator) that numeric
    rules inspect through ``kerascheck.facts.exprs``; ``function`` the enclosing function's name, and
    ``context`` what that function is: ``"loss"``, ``"metric"``, ``"layer"``, ``"model"`` (a
    ``call``/``train_step`` method), ``"data"`` (a dataset map or preprocessing) or ``"other"``.
    """

    op: str
    callee: str
    operand: Any
    loc: Loc
    function: str | None = None
    context: str = "other"
    numerator: Any = None
    # The value only reaches metrics (an accuracy function, a ``tracker.update_state(...)``
    # argument): a NaN there shows in the logs but never reaches a gradient.
    metric_only: bool = False


@dataclass(frozen=True)
class FileFacts:
    """Everything extracted from one file."""

    models: tuple[ModelFacts, ...] = ()
    optimizers: tuple[OptimizerFacts, ...] = ()  # every optimizer constructed, attached or not
    numeric_sites: tuple[NumericSite, ...] = ()
    keras_imports: tuple[str, ...] = ()  # canonical top modules imported: "keras", "tf.keras", "tf_keras"
    keras2_pinned: bool = False  # the file visibly targets Keras 2 (``tf_keras``, ``keras.wrappers``...)
    calls: tuple[CallFact, ...] = ()  # every library call evaluated, in order (canonical names)
    imports: tuple[tuple[str, Loc], ...] = ()  # every imported dotted name as written, with its place
    method_calls: tuple["MethodCallFact", ...] = ()  # methods called on models (fit, predict_classes...)


@dataclass(frozen=True)
class MethodCallFact:
    """A method called on a model object (``model.fit_generator(...)``): ``loc`` is the method name."""

    name: str  # "model.fit_generator"
    loc: Loc
    keywords: tuple[str, ...] = ()
    kwarg_locs: Mapping[str, Loc] = field(default_factory=dict)
    # ``model.predict(x_test[0])``: the first argument is one sample of the array named here,
    # picked by an integer (so it lacks the batch axis); ``sample_loc`` is that subscript.
    sample_of: str | None = None
    sample_loc: Loc | None = None
