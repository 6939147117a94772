"""Keras building blocks, part 2: the head/loss decision and model architectures in four spellings.

An architecture is a list of ``Layer`` specs; ``render_*`` writes it as ``Sequential([...])``, as
``Sequential()`` + ``.add()``, with the functional API, or as a ``keras.Model`` subclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus_blocks import Ctx, dd, ind, put
from corpus_blocks_keras import Data


@dataclass
class Layer:
    kind: str
    args: list[str] = field(default_factory=list)
    kwargs: list[tuple[str, str]] = field(default_factory=list)
    wrap: str | None = None  # e.g. "Bidirectional"

    def render(self, ctx: Ctx, extra: list[tuple[str, str]] = ()) -> str:
        parts = self.args + [f"{k}={v}" for k, v in [*self.kwargs, *extra]]
        text = f"{ctx.L(self.kind)}({', '.join(parts)})"
        return f"{ctx.L(self.wrap)}({text})" if self.wrap else text


@dataclass
class Head:
    units: int
    activation: str | None  # None: logits
    loss: str  # an expression: '"binary_crossentropy"' or 'keras.losses.MSE' ...
    metrics: list[str]
    task: str


def _q(s: str) -> str:
    return f'"{s}"'


def choose_head(ctx: Ctx, data: Data) -> Head:
    """The output layer, loss and metrics for ``data.task`` (with the occasional planted mismatch)."""
    acc = _q(ctx.choice(("accuracy", "accuracy", "acc"))) if ctx.keras2() else _q("accuracy")

    def obj(name: str, *args: str) -> str:
        return f"{ctx.ref('losses', name)}({', '.join(args)})"

    if data.task == "binary":
        act = "softmax" if ctx.bug(0.12, "single-unit-softmax") else "sigmoid"
        loss = ctx.choice((_q("binary_crossentropy"), _q("binary_crossentropy"), obj("BinaryCrossentropy")))
        metrics = ctx.choice(([acc], [acc, f"{ctx.ref('metrics', 'AUC')}()"], [acc, _q("AUC")]))
        return Head(1, act, loss, metrics, "binary")
    if data.task == "regression":
        loss = ctx.choice((_q("mse"), _q("mean_squared_error"), _q("mae"), _q("huber"), obj("Huber"),
                           obj("MeanSquaredError")))
        if ctx.bug(0.12, "regression-accuracy"):
            metrics = [acc]
        else:
            metrics = ctx.choice(([_q("mae")], [_q("mae"), _q("mse")],
                                  [f"{ctx.ref('metrics', 'RootMeanSquaredError')}()"]))
        act = ctx.choice((None, None, None, "linear"))
        return Head(1, act, loss, metrics, "regression")
    n = data.n_classes
    if data.task == "sparse":
        if ctx.chance(0.3):
            return Head(n, None, obj("SparseCategoricalCrossentropy", "from_logits=True"), [acc], "sparse")
        loss = ctx.choice((_q("sparse_categorical_crossentropy"), obj("SparseCategoricalCrossentropy")))
        return Head(n, "softmax", loss, [acc], "sparse")
    if ctx.bug(0.1, "mse-accuracy"):
        return Head(n, "softmax", ctx.choice((_q("mse"), _q("mean_squared_error"))), [acc], "multiclass")
    act = "sigmoid" if ctx.bug(0.1, "sigmoid-categorical") else "softmax"
    loss = ctx.choice((_q("categorical_crossentropy"), _q("categorical_crossentropy"),
                       obj("CategoricalCrossentropy")))
    metrics = ctx.choice(([acc], [acc], [acc, f"{ctx.ref('metrics', 'TopKCategoricalAccuracy')}(k=3)"]))
    return Head(n, act, loss, metrics, "multiclass")


# -- architectures ------------------------------------------------------------------------------------


def _act(ctx: Ctx, name: str) -> list[tuple[str, str]]:
    return [("activation", _q(name))]


def _init(ctx: Ctx) -> list[tuple[str, str]]:
    if ctx.keras2() and ctx.chance(0.5):
        return [("init", _q(ctx.choice(("glorot_uniform", "he_normal", "uniform"))))]
    if ctx.chance(0.15):
        return [("kernel_initializer", _q(ctx.choice(("he_normal", "glorot_uniform", "he_uniform"))))]
    return []


def _dense(ctx: Ctx, units: int, act: str, reg: bool = False) -> list[Layer]:
    style = ctx.rng.random()
    kwargs = _init(ctx)
    if reg:
        kwargs.append(("kernel_regularizer", f"{ctx.ref('regularizers', 'l2')}({ctx.choice(('1e-4', '0.001'))})"))
    if style < 0.12:
        return [Layer("Dense", [str(units), _q(act)], kwargs)]
    if style < 0.22:
        return [Layer("Dense", [str(units)], kwargs), Layer("Activation", [_q(act)])]
    return [Layer("Dense", [str(units)], _act(ctx, act) + kwargs)]


def mlp(ctx: Ctx, data: Data) -> tuple[list[Layer], bool]:
    layers: list[Layer] = []
    if len(data.shape) > 1:
        layers.append(Layer("Flatten"))
    if ctx.bug(0.08, "deep-sigmoid"):
        units = ctx.choice((64, 100, 128, 256))
        for _ in range(ctx.randint(5, 9)):
            layers.append(Layer("Dense", [str(units)], _act(ctx, "sigmoid")))
        return layers, False
    widths = sorted(ctx.rng.sample((512, 256, 128, 64, 32, 16), ctx.randint(1, 4)), reverse=True)
    act = ctx.choice(("relu", "relu", "relu", "elu", "tanh", "selu", "gelu"))
    reg = ctx.chance(0.15)
    for w in widths:
        layers += _dense(ctx, w, act, reg)
        if ctx.chance(0.3):
            layers.append(Layer("BatchNormalization"))
        if ctx.chance(0.5):
            layers.append(Layer("Dropout", [str(ctx.choice((0.1, 0.2, 0.25, 0.3, 0.5)))]))
    return layers, False


def cnn(ctx: Ctx, data: Data) -> tuple[list[Layer], bool]:
    layers: list[Layer] = []
    if data.rescale:
        layers.append(Layer("Rescaling", [ctx.choice(("1.0 / 255", "1. / 255", "1 / 255.0"))]))
    filters = ctx.choice((16, 32, 32, 64))
    kernel = ctx.choice(("(3, 3)", "3", "(5, 5)"))
    pad = ctx.chance(0.5)
    for block in range(ctx.randint(1, 4)):
        kw = _act(ctx, ctx.choice(("relu", "relu", "elu")))
        if pad:
            kw.append(("padding", _q("same")))
        layers.append(Layer("Conv2D", [str(filters), kernel], kw))
        if ctx.chance(0.35):
            layers.append(Layer("BatchNormalization"))
        if ctx.chance(0.4):
            layers.append(Layer("Conv2D", [str(filters), kernel], list(kw)))
        if block < 2 or pad:
            layers.append(Layer(ctx.choice(("MaxPooling2D", "MaxPooling2D", "MaxPool2D")),
                                [ctx.choice(("(2, 2)", "2", "pool_size=(2, 2)"))]))
        if ctx.chance(0.4):
            layers.append(Layer("Dropout", [str(ctx.choice((0.2, 0.25, 0.3)))]))
        filters = min(filters * 2, 256)
    layers.append(Layer(ctx.choice(("Flatten", "Flatten", "GlobalAveragePooling2D"))))
    layers += _dense(ctx, ctx.choice((64, 128, 256, 512)), "relu")
    if ctx.chance(0.6):
        layers.append(Layer("Dropout", [str(ctx.choice((0.3, 0.4, 0.5)))]))
    return layers, False


def rnn(ctx: Ctx, data: Data) -> tuple[list[Layer], bool]:
    layers: list[Layer] = []
    is_rnn = True
    if data.kind == "seq":
        kw = [("input_length", str(data.shape[0]))] if ctx.keras2() else []
        if ctx.chance(0.2):
            kw.append(("mask_zero", "True"))
        layers.append(Layer("Embedding", [str(data.vocab), str(ctx.choice((16, 32, 64, 100, 128)))], kw))
    kind = ctx.choice(("LSTM", "LSTM", "GRU", "Conv1D", "SimpleRNN"))
    units = ctx.choice((16, 32, 64, 128))
    if kind == "Conv1D":
        is_rnn = False
        layers.append(Layer("Conv1D", [str(units), str(ctx.choice((3, 5, 7)))], _act(ctx, "relu")))
        layers.append(Layer(ctx.choice(("GlobalMaxPooling1D", "GlobalAveragePooling1D"))))
    else:
        wrap = "Bidirectional" if ctx.chance(0.25) else None
        stacked = ctx.chance(0.35)
        if stacked:
            layers.append(Layer(kind, [str(units)], [("return_sequences", "True")], wrap))
        kw = [("dropout", str(ctx.choice((0.1, 0.2))))] if ctx.chance(0.3) else []
        layers.append(Layer(kind, [str(units)], kw, wrap))
    if ctx.chance(0.5):
        layers += _dense(ctx, ctx.choice((16, 32, 64)), "relu")
    if ctx.chance(0.4):
        layers.append(Layer("Dropout", [str(ctx.choice((0.2, 0.3, 0.5)))]))
    return layers, is_rnn


def architecture(ctx: Ctx, data: Data) -> tuple[list[Layer], bool]:
    if data.kind in ("seq", "ts"):
        return rnn(ctx, data)
    if data.kind == "image" and len(data.shape) == 3 and ctx.chance(0.8):
        return cnn(ctx, data)
    return mlp(ctx, data)


def head_layer(ctx: Ctx, head: Head) -> list[Layer]:
    if head.activation is None:
        return [Layer("Dense", [str(head.units)])]
    if ctx.chance(0.1):
        return [Layer("Dense", [str(head.units)]), Layer("Activation", [_q(head.activation)])]
    if ctx.chance(0.15):
        return [Layer("Dense", [str(head.units), _q(head.activation)])]
    return [Layer("Dense", [str(head.units)], _act(ctx, head.activation))]


# -- renderers ----------------------------------------------------------------------------------------


def _shape(shape: tuple[int, ...]) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else "(" + ", ".join(map(str, shape)) + ")"


def _first_kwargs(ctx: Ctx, layer: Layer, shape: tuple[int, ...]) -> list[tuple[str, str]]:
    if layer.kind == "Embedding":
        return []
    if layer.kind == "Dense" and len(shape) == 1 and ctx.keras2():
        return [("input_dim", str(shape[0]))]
    return [("input_shape", _shape(shape))]


def render_sequential(ctx: Ctx, var: str, layers: list[Layer], shape: tuple[int, ...], name: str) -> str:
    seq = ctx.ref("models", "Sequential")
    items: list[str] = []
    use_input = ctx.chance(0.4) or layers[0].wrap
    if use_input:
        items.append(f"{ctx.L('Input')}(shape={_shape(shape)})")
    for i, layer in enumerate(layers):
        extra = _first_kwargs(ctx, layer, shape) if i == 0 and not use_input else []
        items.append(layer.render(ctx, extra))
    body = "".join(f"    {item},\n" for item in items)
    named = f", name={_q(name)}" if ctx.chance(0.3) else ""
    return f"{var} = {seq}([\n{body}]{named})\n"


def render_add(ctx: Ctx, var: str, layers: list[Layer], shape: tuple[int, ...], name: str) -> str:
    seq = ctx.ref("models", "Sequential")
    lines = [f"{var} = {seq}()"]
    use_input = layers[0].wrap is not None or ctx.chance(0.25)
    if use_input:
        lines.append(f"{var}.add({ctx.L('Input')}(shape={_shape(shape)}))")
    for i, layer in enumerate(layers):
        extra = _first_kwargs(ctx, layer, shape) if i == 0 and not use_input else []
        lines.append(f"{var}.add({layer.render(ctx, extra)})")
        if ctx.chance(0.05):
            lines.append(f"# {ctx.choice(('more capacity here did not help', 'see ablation notes'))}")
    return "\n".join(lines) + "\n"


def render_functional(ctx: Ctx, var: str, layers: list[Layer], shape: tuple[int, ...], name: str) -> str:
    inputs, x = ctx.choice((("inputs", "x"), ("inp", "h"), ("input_layer", "net"), ("x_in", "z")))
    named = ", name=" + _q("features") if ctx.chance(0.2) else ""
    lines = [f"{inputs} = {ctx.L('Input')}(shape={_shape(shape)}{named})"]
    prev = inputs
    for i, layer in enumerate(layers):
        target = "outputs" if i == len(layers) - 1 else x
        lines.append(f"{target} = {layer.render(ctx)}({prev})")
        prev = target
    model = ctx.ref("models", "Model")
    call = ctx.choice((f"{model}({inputs}, outputs)", f"{model}(inputs={inputs}, outputs=outputs)",
                       f"{model}(inputs={inputs}, outputs=outputs, name={_q(name)})"))
    lines.append(f"{var} = {call}")
    return "\n".join(lines) + "\n"


def render_subclass(ctx: Ctx, layers: list[Layer], shape: tuple[int, ...], name: str) -> tuple[str, str]:
    """A ``keras.Model`` subclass; returns (class source, class name)."""
    role = "Regressor" if name.endswith("_regressor") else ctx.choice(("Net", "Classifier", "Network", "Model"))
    cls = ctx.cname(name.split("_")[0], role)
    attrs: list[tuple[str, str, bool]] = []  # (attribute, construction, takes training)
    counts: dict[str, int] = {}
    for layer in layers:
        base = {"Conv2D": "conv", "Dense": "dense", "Dropout": "dropout", "BatchNormalization": "bn",
                "LSTM": "lstm", "GRU": "gru", "Embedding": "embedding"}.get(layer.kind, layer.kind.lower())
        counts[base] = counts.get(base, 0) + 1
        attrs.append((f"{base}{counts[base]}", layer.render(ctx), layer.kind in ("Dropout", "BatchNormalization")))
    init_lines = "".join(f"self.{a} = {c}\n" for a, c, _ in attrs)
    call_lines = ""
    for i, (a, _c, training) in enumerate(attrs):
        src = "inputs" if i == 0 else "x"
        arg = f"{src}, training=training" if training else src
        call_lines += (f"return self.{a}({arg})\n" if i == len(attrs) - 1 else f"x = self.{a}({arg})\n")
    base = ctx.ref("models", "Model")
    text = dd(f"""
        class {cls}({base}):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                #@INIT

            def call(self, inputs, training=False):
                #@CALL
    """)
    text = put(put(text, "INIT", init_lines), "CALL", call_lines)
    return text, cls


def build_model(ctx: Ctx, data: Data, head: Head, name: str) -> tuple[str, str, bool]:
    """Source defining the model; returns (top-level text, builder expression, uses an RNN).

    The top-level text is a builder function (or a subclass) and the expression creates the model.
    """
    layers, is_rnn = architecture(ctx, data)
    layers += head_layer(ctx, head)
    form = ctx.rng.choices(("list", "add", "functional", "subclass"), weights=(35, 25, 28, 12), k=1)[0]
    var = ctx.choice(("model", "model", "net", "clf"))
    if form == "subclass":
        text, cls = render_subclass(ctx, layers, data.shape, name)
        if ctx.chance(0.5):
            fn = ctx.fresh(f"build_{name}", "make_model", "create_model")
            text += "\n\n" + dd(f"""
                def {fn}():
                    model = {cls}(name={_q(name)})
                    model.build((None,) + {_shape(data.shape)})
                    return model
            """)
            return text, f"{fn}()", is_rnn
        return text, f"{cls}()", is_rnn
    render = {"list": render_sequential, "add": render_add, "functional": render_functional}[form]
    body = render(ctx, var, layers, data.shape, name)
    fn = ctx.fresh(f"build_{name}", "build_model", "create_model", "get_model", "make_model")
    if ctx.chance(0.4):
        body += f"{var}.summary()\n"
    text = f"def {fn}():\n" + ind(body) + f"    return {var}\n"
    return text, f"{fn}()", is_rnn
