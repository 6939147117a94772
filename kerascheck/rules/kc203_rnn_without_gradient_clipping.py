"""KC203: a recurrent model trained without gradient clipping (opt-in)."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import CallFact, FileFacts, LayerFact, ModelFacts
from kerascheck.fixes.intents import OneOf, ReplaceWithKerasCall, SetKeyword, intent
from kerascheck.rules.base import Finding, Rule, RuleContext

# Functions that clip gradients by hand (a custom train_step or training loop).
_MANUAL_CLIPPING = frozenset({"tf.clip_by_global_norm", "tf.clip_by_norm", "keras.ops.clip_by_norm"})


class RnnWithoutGradientClipping(Rule):
    """Recurrent model trained without gradient clipping: one exploding gradient can turn the weights into NaN.

    ## What it flags
    A model containing a recurrent layer (`SimpleRNN`, `LSTM`, `GRU`, `RNN`, `ConvLSTM*`, `Bidirectional`,
    also inside `TimeDistributed` or a nested model) compiled with an optimizer that has no `clipnorm`,
    `clipvalue` or `global_clipnorm`, including string optimizers (`optimizer="adam"`). Off by default:
    many correct recurrent models (most keras.io examples) train fine unclipped, so enable it
    (`select = ["KC203"]`) when a recurrent model's loss turns NaN.

    ## Why it breaks training
    Back-propagation through time multiplies the recurrent weight matrix once per time step; on long
    sequences the gradient norm can grow geometrically, and a single batch with a gradient of 1e6 moves the
    weights so far that the next forward pass overflows: the loss prints `nan` and never recovers. Clipping
    the gradient norm bounds every step and is the standard remedy (Pascanu et al.).

    ## Example
    ```python
    import keras
    from keras import layers

    max_features = 20000
    (x_train, y_train), (x_val, y_val) = keras.datasets.imdb.load_data(num_words=max_features)
    x_train = keras.utils.pad_sequences(x_train, maxlen=400)
    x_val = keras.utils.pad_sequences(x_val, maxlen=400)

    model = keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(max_features, 128),
        layers.SimpleRNN(64),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val))
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    max_features = 20000
    (x_train, y_train), (x_val, y_val) = keras.datasets.imdb.load_data(num_words=max_features)
    x_train = keras.utils.pad_sequences(x_train, maxlen=400)
    x_val = keras.utils.pad_sequences(x_val, maxlen=400)

    model = keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(max_features, 128),
        layers.SimpleRNN(64),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3, clipnorm=1.0),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val))
    ```

    ## References
    - Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks" (2013).
    - Keras optimizer arguments `clipnorm`/`clipvalue`/`global_clipnorm`: https://keras.io/api/optimizers/
    """

    code = "KC203"
    name = "rnn-without-gradient-clipping"
    severity = Severity.INFO
    default_enabled = False
    fixable = "unsafe"
    fix_doc = ("Unsafe fix: `clipnorm=1.0` is added to the optimizer call, and an optimizer string "
               "(`\"rmsprop\"`) becomes the optimizer class with `clipnorm=1.0`, spelled with the name the "
               "file imports Keras as. No fix when the optimizer gets `**kwargs` or is a variable.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        if any(call.name in _MANUAL_CLIPPING for call in facts.calls):
            return
        seen: set[int] = set()
        for model in facts.models:
            compiled = model.compile
            opt = compiled.optimizer if compiled is not None else None
            if opt is None or opt.kind is None or opt.clipping:
                continue
            if opt.name is not None and not opt.name.startswith("keras."):
                continue  # TF1 optimizers are clipped by hand, out of our sight
            layer = _recurrent_layer(model, 0)
            if layer is None:
                continue
            key = id(opt.loc.node) if opt.loc.node is not None else id(opt)
            if key in seen:
                continue
            seen.add(key)
            how = f'"{opt.kind.lower()}"' if opt.from_string else f"{opt.kind}(...)"
            yield Finding(
                opt.loc,
                f"{layer} layers trained with {how} without gradient clipping: back-propagation "
                f"through time can blow one gradient up and turn every weight into NaN; pass "
                f"clipnorm=1.0 to the optimizer, e.g. keras.optimizers.{opt.kind}(clipnorm=1.0)",
                fix=intent("Clip the gradient norm at 1.0 (clipnorm=1.0)", OneOf((
                    SetKeyword(opt.loc, "clipnorm", "1.0"),
                    ReplaceWithKerasCall(opt.loc, f"optimizers.{opt.kind}(clipnorm=1.0)"),
                )), safe=False),
            )


def _recurrent_layer(model: ModelFacts, depth: int) -> str | None:
    """The kind of the first recurrent layer of ``model`` (nested models and wrappers included)."""
    if depth > 4:
        return None
    for layer in model.raw_layers:
        found = _recurrent_kind(layer)
        if found is not None:
            return found
        if layer.nested_model is not None:
            inner = _recurrent_layer(layer.nested_model, depth + 1)
            if inner is not None:
                return inner
    return None


def _recurrent_kind(layer: LayerFact) -> str | None:
    if layer.kind == "Bidirectional":
        inner = layer.arg("layer", 0)
        if isinstance(inner, CallFact):
            return api.canonical_layer_kind(inner.short)
        return "Bidirectional"
    if layer.kind in api.RECURRENT_LAYERS:
        return layer.kind
    if layer.kind == "TimeDistributed":
        inner = layer.arg("layer", 0)
        if isinstance(inner, CallFact) and api.canonical_layer_kind(inner.short) in api.RECURRENT_LAYERS:
            return api.canonical_layer_kind(inner.short)
    return None
