"""KC101: softmax over a single unit."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.fixes.intents import FixIntent, ReplaceString, intent
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import CallFact, FileFacts, LayerFact, Loc, ModelFacts
from kerascheck.rules.base import Finding, Rule, RuleContext


class SingleUnitSoftmax(Rule):
    """A softmax over one unit always outputs 1.0, so nothing learns.

    ## What it flags
    A layer with one unit (or one filter) whose activation is softmax: `Dense(1, activation="softmax")`,
    or `Dense(1)` followed by `Activation("softmax")` / `Softmax()` / `tf.nn.softmax`.

    ## Why it breaks training
    Softmax normalises its inputs so that they sum to 1 along the last axis. Over a single unit that is
    `exp(z) / exp(z) = 1.0` whatever the input, so the output is constant, the gradient of the loss with
    respect to every weight below it is zero, and the model never learns: a binary classifier predicts
    class 1 for every sample and the accuracy stays at the share of positive labels.

    ## Example
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```
    Use a sigmoid for one output unit (binary classification), or `Dense(n_classes, activation="softmax")`
    with a categorical cross-entropy for several classes. A `Softmax(axis=1)` over another axis (an
    attention over time steps) is not flagged.

    ## References
    - https://keras.io/api/layers/activations/#softmax-function
    - https://stackoverflow.com/questions/45378493/why-does-a-binary-keras-cnn-always-predict-1
    """

    code = "KC101"
    name = "single-unit-softmax"
    severity = Severity.ERROR
    fixable = "unsafe"
    fix_doc = ("Unsafe fix: the string activation becomes `\"sigmoid\"`, in the layer's own `activation=` "
               "or in the separate `Activation(\"softmax\")` layer (the model then learns, but its outputs and "
               "training change). No fix for `Softmax()` layers, `tf.nn.softmax` or an activation held in a variable.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        reported: set[int] = set()  # id of the reported unit layer's Loc
        for model in facts.models:
            if model.compile is not None and not model.compile.loss_given:
                # compile() without a loss: training runs on add_loss() terms computed elsewhere
                # (the "endpoint layer" pattern), so the softmax only affects predictions.
                continue
            for layer in model.layers:
                if layer.units != 1 or layer.activation != "softmax" or id(layer.loc) in reported:
                    continue
                source = _activation_layer(model, layer)
                if source is not None and source.arg(
                        "axis", 0 if source.kind == "Softmax" else None) not in (None, -1):
                    continue  # Softmax(axis=1): a softmax over another axis (time steps...)
                reported.add(id(layer.loc))
                # The folded Activation/Softmax layer, else the layer call itself.
                if source is None:
                    fix = _sigmoid(layer.loc, layer.kind)
                else:
                    fix = _sigmoid(source.loc, "Activation") if source.kind == "Activation" else None
                yield Finding(layer.loc if source is None else source.loc, _message(layer.kind), fix=fix)
        # Layers outside any chain the extractor follows (outputs of multi-output models...).
        for call in facts.calls:
            if id(call.loc) in reported or not call.name.startswith("keras.layers."):
                continue
            kind = api.canonical_layer_kind(call.short)
            if _call_units(call, kind) == 1 and _is_softmax(
                    call.arg("activation", api.ACTIVATION_POSITION.get(kind))):
                reported.add(id(call.loc))
                yield Finding(call.loc, _message(kind), fix=_sigmoid(call.loc, kind))


def _message(kind: str) -> str:
    return (
        f"{kind}(1) with softmax always outputs 1.0, whatever its input: the prediction never changes "
        f"(under categorical cross-entropy the loss is 0 and nothing trains; under binary cross-entropy "
        f"accuracy stays at the share of class 1); use activation=\"sigmoid\" for one unit or "
        f'{kind}(n_classes, activation="softmax")'
    )


def _sigmoid(loc: Loc, kind: str) -> FixIntent:
    """The string activation of the layer call at ``loc`` becomes "sigmoid"."""
    return intent('Use activation "sigmoid" for the single unit', ReplaceString(
        loc, "sigmoid", keyword="activation", position=api.ACTIVATION_POSITION.get(kind)), safe=False)


def _activation_layer(model: ModelFacts, layer: LayerFact) -> LayerFact | None:
    """The standalone layer whose softmax was folded onto ``layer`` (None: its own argument)."""
    return next((raw for raw in model.raw_layers
                 if raw.loc is layer.activation_loc and raw is not layer), None)


def _call_units(call: CallFact, kind: str) -> int | None:
    spec = api.UNIT_ARGUMENT.get(call.short) or api.UNIT_ARGUMENT.get(kind)
    if spec is None:
        return None
    keyword, old_keywords = spec
    value = call.arg(keyword, 0)
    for old in old_keywords:
        if value is None:
            value = call.kwargs.get(old)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is_softmax(value: Any) -> bool:
    if isinstance(value, str):
        return api.canonical_activation(value) == "softmax"
    if isinstance(value, CallFact) and not value.args and not value.kwargs:
        module = value.name.rsplit(".", 1)[0]
        return value.short == "softmax" and module in (
            "keras.activations", "tf.math", "tf.nn", "keras.ops", "keras.backend")
    return False

