"""Live facts: models the static pass cannot see (built in a loop from a config dict) go through every
structural rule, and each finding points at the line that created the layer (or compile/fit)."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")

from keras import initializers, layers, losses, optimizers  # noqa: E402

from kerascheck.config import default_settings  # noqa: E402
from kerascheck.engine import lint_source  # noqa: E402
from kerascheck.rules.base import all_rules  # noqa: E402
from kerascheck.runtime.capture import (  # noqa: E402
    COMPILE_ARGS_ATTR, COMPILE_SITE_ATTR, SITE_ATTR, Capture,
)
from kerascheck.runtime.live_facts import facts_from_capture, structural_diagnostics  # noqa: E402
from kerascheck.runtime.measurements import Site  # noqa: E402

FILE = "train.py"
FIRST_LAYER_LINE = 10  # layer i of a config is "created" on line 10 + i
INPUT_LINE = 9
COMPILE_LINE = 30
FIT_LINE = 40
RNG = np.random.default_rng(0)


def _site(line: int) -> Site:
    return Site(FILE, line, 5, line, 25)


def _onehot(classes: int, n: int = 32) -> Any:
    return np.eye(classes, dtype="float32")[RNG.integers(0, classes, n)]


def build(config: dict[str, Any], *, input_shape: tuple[int, ...] = (6,), loss: Any = "mse",
          optimizer: Any = "adam", metrics: Any = None, y: Any = None, n: int = 32) -> Capture:
    """A Sequential built the way the static pass cannot follow: from a config, in a loop, with the
    creation sites the harness would record (layer i on line 10 + i)."""
    model = keras.Sequential()
    inp = layers.InputLayer(shape=input_shape)
    setattr(inp, SITE_ATTR, _site(INPUT_LINE))
    model.add(inp)
    for i, spec in enumerate(config["layers"]):
        layer = getattr(layers, spec["type"])(**spec.get("args", {}))
        setattr(layer, SITE_ATTR, _site(FIRST_LAYER_LINE + i))
        model.add(layer)
    setattr(model, SITE_ATTR, _site(5))
    args = {"optimizer": optimizer, "loss": loss, "metrics": metrics}
    model.compile(**args)
    setattr(model, COMPILE_SITE_ATTR, _site(COMPILE_LINE))
    setattr(model, COMPILE_ARGS_ATTR, args)
    x = RNG.random((n, *input_shape)).astype("float32")
    return Capture(model=model, x=x, y=y, fit_site=_site(FIT_LINE), batch_size=16)


def dense(units: int, activation: str | None = None, **kwargs: Any) -> dict[str, Any]:
    return {"type": "Dense", "args": {"units": units, "activation": activation, **kwargs}}


def spec(kind: str, **kwargs: Any) -> dict[str, Any]:
    return {"type": kind, "args": kwargs}


def codes(capture: Capture, **settings: Any) -> list[tuple[str, int]]:
    found = structural_diagnostics(capture, default_settings(**settings))
    return [(d.code, d.line) for d in found]


BINARY = RNG.integers(0, 2, 32)
CONTINUOUS = RNG.normal(size=(32, 1)).astype("float32")
L0, L1, L2, L3 = (FIRST_LAYER_LINE + i for i in range(4))

# code: (bad build kwargs, good build kwargs, line the finding must be on). Not here: KC410 (a live
# Keras 3 model with an input of the wrong rank raises while it is built, before any fit), KC205 and
# KC9xx (they read how the source is spelled), KC301-KC303 (they judge by where data came from in the
# source; live values are KC601/KC602's business); opt-in KC111/KC203/KC411 are tested below.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], int]] = {
    "KC101": (dict(config={"layers": [dense(8, "relu"), dense(1, "softmax")]},
                   loss="binary_crossentropy", y=BINARY),
              dict(config={"layers": [dense(8, "relu"), dense(1, "sigmoid")]},
                   loss="binary_crossentropy", y=BINARY), L1),
    "KC102": (dict(config={"layers": [dense(8, "relu"), dense(3)]}, loss="categorical_crossentropy",
                   y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), COMPILE_LINE),
    "KC103": (dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss=losses.CategoricalCrossentropy(from_logits=True), y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3)]},
                   loss=losses.CategoricalCrossentropy(from_logits=True), y=_onehot(3)), COMPILE_LINE),
    "KC104": (dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="binary_crossentropy", y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), COMPILE_LINE),
    "KC105": (dict(config={"layers": [dense(8, "relu"), dense(1, "sigmoid")]},
                   loss="categorical_crossentropy", y=BINARY),
              dict(config={"layers": [dense(8, "relu"), dense(1, "sigmoid")]},
                   loss="binary_crossentropy", y=BINARY), COMPILE_LINE),
    "KC106": (dict(config={"layers": [dense(8, "relu"), dense(1)]}, loss="mse", metrics=["accuracy"],
                   y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), dense(1)]}, loss="mse", metrics=["mae"],
                   y=CONTINUOUS), COMPILE_LINE),
    "KC107": (dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]}, loss="mse",
                   y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), COMPILE_LINE),
    "KC108": (dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="sparse_categorical_crossentropy", y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="sparse_categorical_crossentropy", y=RNG.integers(0, 3, 32)), FIT_LINE),
    "KC109": (dict(config={"layers": [dense(8, "relu"), dense(4, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), L1),
    "KC110": (dict(config={"layers": [dense(8, "relu"), dense(3, "sigmoid")]},
                   loss="categorical_crossentropy", y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), COMPILE_LINE),
    "KC201": (dict(config={"layers": [dense(8, "relu"), dense(1)]}, optimizer=optimizers.Adam(0.5),
                   y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), dense(1)]}, optimizer=optimizers.Adam(1e-3),
                   y=CONTINUOUS), COMPILE_LINE),
    "KC202": (dict(config={"layers": [dense(8, "relu"), dense(1)]}, optimizer=optimizers.SGD(1e-8),
                   y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), dense(1)]}, optimizer=optimizers.SGD(1e-2),
                   y=CONTINUOUS), COMPILE_LINE),
    "KC204": (dict(config={"layers": [dense(8, "relu"), dense(1)]},
                   optimizer=optimizers.Adam(epsilon=1e-12), y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), dense(1)]},
                   optimizer=optimizers.Adam(epsilon=1e-7), y=CONTINUOUS), COMPILE_LINE),
    "KC401": (dict(config={"layers": [dense(8, "sigmoid"), dense(8, "sigmoid"), dense(8, "sigmoid"),
                                      dense(1)]}, y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), dense(8, "relu"), dense(8, "relu"), dense(1)]},
                   y=CONTINUOUS), L0),
    "KC402": (dict(config={"layers": [dense(8), dense(8), dense(1)]}, y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), dense(8, "relu"), dense(1)]}, y=CONTINUOUS),
              L0),
    "KC403": (dict(config={"layers": [dense(8, "softmax"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), L0),
    "KC404": (dict(config={"layers": [dense(8, "relu", kernel_initializer="zeros"), dense(1)]},
                   y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu", kernel_initializer="he_normal"), dense(1)]},
                   y=CONTINUOUS), L0),
    "KC405": (dict(config={"layers": [
                   dense(16, "relu", kernel_initializer=initializers.RandomNormal(stddev=2.0)),
                   dense(16, "relu", kernel_initializer=initializers.RandomNormal(stddev=2.0)),
                   dense(1, kernel_initializer=initializers.RandomNormal(stddev=2.0))]}, y=CONTINUOUS),
              dict(config={"layers": [
                   dense(16, "relu", kernel_initializer=initializers.RandomNormal(stddev=0.05)),
                   dense(16, "relu", kernel_initializer=initializers.RandomNormal(stddev=0.05)),
                   dense(1, kernel_initializer=initializers.RandomNormal(stddev=0.05))]}, y=CONTINUOUS),
              L0),
    "KC406": (dict(config={"layers": [dense(8, "relu"), spec("Dropout", rate=0.95), dense(1)]},
                   y=CONTINUOUS),
              dict(config={"layers": [dense(8, "relu"), spec("Dropout", rate=0.3), dense(1)]},
                   y=CONTINUOUS), L1),
    "KC407": (dict(config={"layers": [dense(8, "relu"), dense(3, "softmax"), spec("Dropout", rate=0.5)]},
                   loss="categorical_crossentropy", y=_onehot(3)),
              dict(config={"layers": [dense(8, "relu"), spec("Dropout", rate=0.5), dense(3, "softmax")]},
                   loss="categorical_crossentropy", y=_onehot(3)), L2),
    "KC408": (dict(config={"layers": [spec("Conv2D", filters=4, kernel_size=3, activation="relu"),
                                      spec("Flatten"), dense(1)]},
                   input_shape=(3, 8, 8), y=CONTINUOUS, n=8),
              dict(config={"layers": [spec("Conv2D", filters=4, kernel_size=3, activation="relu"),
                                      spec("Flatten"), dense(1)]},
                   input_shape=(8, 8, 3), y=CONTINUOUS, n=8), INPUT_LINE),
    "KC409": (dict(config={"layers": [spec("Conv2D", filters=4, kernel_size=3, activation="relu"),
                                      spec("MaxPooling2D"), dense(3, "softmax")]},
                   input_shape=(8, 8, 1), loss="categorical_crossentropy", y=_onehot(3, 8), n=8),
              dict(config={"layers": [spec("Conv2D", filters=4, kernel_size=3, activation="relu"),
                                      spec("MaxPooling2D"), spec("Flatten"), dense(3, "softmax")]},
                   input_shape=(8, 8, 1), loss="categorical_crossentropy", y=_onehot(3, 8), n=8), L2),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_live_model_at_the_creating_line(code: str) -> None:
    bad, _, line = CASES[code]
    found = codes(build(**bad))
    assert (code, line) in found, found


@pytest.mark.parametrize("code", sorted(CASES))
def test_same_model_written_correctly_is_clean(code: str) -> None:
    _, good, _ = CASES[code]
    assert codes(build(**good)) == []


def test_opt_in_rules_fire_when_selected() -> None:
    kc411 = build({"layers": [spec("LSTM", units=4, return_sequences=True), dense(1)]},
                  input_shape=(5, 3), y=CONTINUOUS)
    assert ("KC411", L0) in codes(kc411, select=["KC411"])
    kc203 = build({"layers": [spec("LSTM", units=4), dense(1)]}, input_shape=(5, 3), y=CONTINUOUS)
    assert [c for c, _ in codes(kc203, select=["KC203"])] == ["KC203"]
    clipped = build({"layers": [spec("LSTM", units=4), dense(1)]}, input_shape=(5, 3), y=CONTINUOUS,
                    optimizer=optimizers.Adam(clipnorm=1.0))
    assert codes(clipped, select=["KC203"]) == []


def test_finding_names_the_layer_and_keeps_the_span() -> None:
    capture = build(**CASES["KC101"][0])
    (diagnostic,) = structural_diagnostics(capture, default_settings())
    assert diagnostic.path == FILE
    assert (diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column) == (L1, 5, L1, 25)
    assert dict(diagnostic.extra)["layer"] == capture.model.layers[1].name


def test_layer_without_site_falls_back_to_model_then_fit_site() -> None:
    capture = build(**CASES["KC406"][0])
    delattr(capture.model.layers[1], SITE_ATTR)
    assert ("KC406", 5) in codes(capture)
    delattr(capture.model, SITE_ATTR)
    assert ("KC406", FIT_LINE) in codes(capture)


def test_layers_built_on_one_line_in_a_loop_are_reported_once() -> None:
    capture = build({"layers": [dense(8, "relu"), spec("Dropout", rate=0.95), dense(8, "relu"),
                                spec("Dropout", rate=0.95), dense(1)]}, y=CONTINUOUS)
    for layer in capture.model.layers:
        setattr(layer, SITE_ATTR, _site(12))
    assert codes(capture).count(("KC406", 12)) == 1
    for line, layer in enumerate(capture.model.layers, FIRST_LAYER_LINE):
        setattr(layer, SITE_ATTR, _site(line))
    assert [item for item in codes(capture) if item[0] == "KC406"] == [("KC406", L1), ("KC406", L3)]


def test_static_pass_sees_nothing_in_the_config_built_script() -> None:
    """The same bugs written as a config loop are invisible statically: only the live pass sees them."""
    source = textwrap.dedent('''
        import keras
        from keras import layers
        CONFIG = {"layers": [{"type": "Dense", "args": {"units": 8, "activation": "softmax"}},
                             {"type": "Dense", "args": {"units": 8}},
                             {"type": "Dropout", "args": {"rate": 0.95}},
                             {"type": "Dense", "args": {"units": 1, "activation": "softmax"}}]}
        model = keras.Sequential([keras.Input((6,))])
        for spec in CONFIG["layers"]:
            model.add(getattr(layers, spec["type"])(**spec["args"]))
        model.compile("adam", "binary_crossentropy")
        model.fit(x, y)
    ''')
    static = lint_source(source, FILE, default_settings())
    assert [d.code for d in static if d.code[2] in "1234"] == []
    live = build({"layers": [dense(8, "softmax"), dense(8), spec("Dropout", rate=0.95), dense(1, "softmax")]},
                 loss="binary_crossentropy", y=BINARY)
    assert {"KC101", "KC403", "KC406"} <= {code for code, _ in codes(live)}


def test_functional_residual_model_is_read_as_a_graph() -> None:
    inputs = keras.Input((6,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    branch = layers.Dense(8)(hidden)
    merged = layers.add([hidden, branch])
    outputs = layers.Dense(3, activation="softmax")(merged)
    model = keras.Model(inputs, outputs)
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    capture = Capture(model=model, x=RNG.random((32, 6)).astype("float32"), y=_onehot(3),
                      fit_site=_site(FIT_LINE))
    facts = facts_from_capture(capture)
    top = facts.models[0]
    assert top.kind == "functional" and top.complete
    assert [layer.kind for layer in top.layers] == ["Dense", "Dense", "Add", "Dense"]
    assert top.head is not None and top.head.units == 3
    assert structural_diagnostics(capture, default_settings()) == []


def test_functional_output_after_an_op_has_no_head() -> None:
    inputs = keras.Input((6,))
    outputs = layers.Dense(1, activation="softmax")(inputs) * 2.0
    model = keras.Model(inputs, outputs)
    model.compile("adam", "binary_crossentropy")
    capture = Capture(model=model, y=BINARY, x=RNG.random((32, 6)).astype("float32"))
    top = facts_from_capture(capture).models[0]
    assert top.output_after_op and top.head is None


def test_nested_sequential_and_subclassed_models() -> None:
    inner = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(8, activation="relu")])
    model = keras.Sequential([keras.Input((6,)), inner, layers.Dense(1, activation="softmax")])
    model.compile("adam", "binary_crossentropy")
    capture = Capture(model=model, x=RNG.random((32, 6)).astype("float32"), y=BINARY)
    top = facts_from_capture(capture).models[0]
    assert [layer.kind for layer in top.layers] == ["Dense", "Dense", "Dense"]
    assert "KC101" in {code for code, _ in codes(capture)}

    class Net(keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.head = layers.Dense(1, activation="softmax")
            self.body = layers.Dense(8, activation="relu")

        def call(self, x: Any) -> Any:
            return self.head(self.body(x))

    net = Net()
    net.compile("adam", "binary_crossentropy")
    sub = Capture(model=net, x=RNG.random((32, 6)).astype("float32"), y=BINARY)
    facts = facts_from_capture(sub).models[0]
    assert facts.kind == "subclassed" and not facts.complete and facts.head is None
    # The chain is unknown, but the layer itself is still seen (by the per-call rules).
    assert {code for code, _ in codes(sub)} <= {"KC101"}


def test_custom_loss_and_per_output_losses_stay_silent() -> None:
    def my_loss(y_true: Any, y_pred: Any) -> Any:
        return keras.ops.mean(keras.ops.square(y_true - y_pred))

    capture = build({"layers": [dense(8, "relu"), dense(3)]}, loss=my_loss, metrics=["accuracy"],
                    y=_onehot(3))
    loss = facts_from_capture(capture).models[0].compile.loss
    assert loss is not None and loss.name is None and loss.custom
    assert codes(capture) == []


def test_syntax_rules_stay_silent_on_live_facts() -> None:
    capture = build(**CASES["KC101"][0])
    syntax_codes = [code for code in all_rules() if code[2] in "59"]
    found = structural_diagnostics(capture, default_settings(select=syntax_codes))
    assert found == []


def test_a_crashing_rule_is_one_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = all_rules()["KC402"]

    def broken(self: Any, facts: Any, ctx: Any) -> Any:
        raise ValueError("boom")

    monkeypatch.setattr(rule, "check", broken)
    capture = build(**CASES["KC101"][0])
    found = structural_diagnostics(capture, default_settings())
    assert [d.code for d in found] == ["KC000", "KC101"]
    assert "KC402" in found[0].message and "ValueError: boom" in found[0].message


def test_data_facts_do_not_claim_a_dataset_origin() -> None:
    capture = build({"layers": [spec("Flatten"), dense(10, "softmax")]}, input_shape=(8, 8),
                    loss="sparse_categorical_crossentropy", y=RNG.integers(0, 10, 32))
    capture.x = (capture.x * 255).astype("uint8")  # raw pixels: KC602's business, not KC301's
    fit = facts_from_capture(capture).models[0].fits[0]
    assert fit.x is not None and fit.x.origin == "runtime"
    assert fit.y is not None and (fit.y.label_kind, fit.y.num_classes) == ("integer", 10)
    assert codes(capture) == []


def _healthy_models() -> dict[str, tuple[Any, Any, Any]]:
    """The issue's healthy set: each must give no structural finding at all."""
    mlp = keras.Sequential([keras.Input((6,)), layers.Dense(16, activation="relu"),
                            layers.Dropout(0.2), layers.Dense(3, activation="softmax")])
    mlp.compile(optimizers.Adam(1e-3), "categorical_crossentropy", metrics=["accuracy"])
    cnn = keras.Sequential([keras.Input((8, 8, 1)), layers.Rescaling(1 / 255),
                            layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(),
                            layers.Flatten(), layers.Dense(10, activation="softmax")])
    cnn.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    lstm = keras.Sequential([keras.Input((5, 3)), layers.LSTM(8), layers.Dense(1, activation="sigmoid")])
    lstm.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    left, right = keras.Input((4,)), keras.Input((3,))
    merged = layers.concatenate([layers.Dense(8, activation="relu")(left),
                                 layers.Dense(8, activation="relu")(right)])
    two = keras.Model([left, right], layers.Dense(1)(merged))
    two.compile("adam", "mse", metrics=["mae"])
    images = (RNG.random((8, 8, 8, 1)) * 255).astype("float32")
    return {
        "mlp": (mlp, RNG.random((32, 6)).astype("float32"), _onehot(3)),
        "cnn": (cnn, images, RNG.integers(0, 10, 8)),
        "lstm": (lstm, RNG.random((32, 5, 3)).astype("float32"), BINARY),
        "two_inputs": (two, [RNG.random((32, 4)).astype("float32"), RNG.random((32, 3)).astype("float32")],
                       CONTINUOUS),
    }


@pytest.mark.parametrize("name", ["mlp", "cnn", "lstm", "two_inputs"])
def test_healthy_models_are_clean(name: str) -> None:
    model, x, y = _healthy_models()[name]
    for layer in model.layers:
        setattr(layer, SITE_ATTR, _site(FIRST_LAYER_LINE))
    capture = Capture(model=model, x=x, y=y, fit_site=_site(FIT_LINE))
    assert facts_from_capture(capture).models[0].complete
    assert structural_diagnostics(capture, default_settings()) == []


def test_input_shape_written_on_the_first_layer_is_reported_there() -> None:
    model = keras.Sequential([layers.Conv2D(4, 3, input_shape=(3, 8, 8)), layers.Flatten(), layers.Dense(1)])
    for i, layer in enumerate(model.layers):
        setattr(layer, SITE_ATTR, _site(FIRST_LAYER_LINE + i))
    model.compile("adam", "mse")
    capture = Capture(model=model, x=RNG.random((4, 3, 8, 8)).astype("float32"), y=CONTINUOUS[:4])
    assert codes(capture) == [("KC408", L0)]


def test_unreadable_targets_leave_only_the_label_rules_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    import kerascheck.runtime.live_facts as live

    def unreadable(**kwargs: Any) -> Any:
        raise TypeError("a target prepare_data cannot read")

    monkeypatch.setattr(live, "label_fact", unreadable)
    capture = build(**CASES["KC406"][0])
    assert facts_from_capture(capture).models[0].fits[0].y is None
    assert ("KC406", L1) in codes(capture)


def test_live_argument_values_reach_the_rules() -> None:
    """Metric objects keep only non-default arguments; wrapped and recurrent layers keep theirs."""
    logits = dict(config={"layers": [dense(8, "relu"), dense(1)]}, y=BINARY,
                  loss=losses.BinaryCrossentropy(from_logits=True))
    assert [c for c, _ in codes(build(**logits, metrics=["accuracy"]), select=["KC111"])] == ["KC111"]
    assert codes(build(**logits, metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)]),
                 select=["KC111"]) == []
    rnn = build({"layers": [spec("LSTM", units=4, dropout=0.95), dense(1)]}, input_shape=(5, 3),
                y=CONTINUOUS)
    assert ("KC406", L0) in codes(rnn)
    wrapped = build({"layers": [spec("Bidirectional", layer=layers.LSTM(4)), dense(1)]},
                    input_shape=(5, 3), y=CONTINUOUS)
    assert [c for c, _ in codes(wrapped, select=["KC203"])] == ["KC203"]


def test_optimizer_findings_use_its_construction_site_when_recorded() -> None:
    capture = build(**CASES["KC201"][0])
    setattr(capture.model.optimizer, SITE_ATTR, _site(25))
    assert ("KC201", 25) in codes(capture)


def test_a_model_that_cannot_be_read_is_one_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import kerascheck.runtime.live_facts as live

    def unreadable(model: Any) -> Any:
        raise AttributeError("no layers")

    monkeypatch.setattr(live, "layer_chain", unreadable)
    (diagnostic,) = structural_diagnostics(build(**CASES["KC101"][0]), default_settings())
    assert (diagnostic.code, diagnostic.path, diagnostic.line) == ("KC000", FILE, 5)
    assert "AttributeError: no layers" in diagnostic.message
