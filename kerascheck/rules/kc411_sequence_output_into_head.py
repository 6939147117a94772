"""KC411 sequence-output-into-head."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import CallFact, FileFacts, LayerFact
from kerascheck.rules._arch import NOISE_LAYERS, chain_models, describe
from kerascheck.rules._outputs import one_target_per_sample
from kerascheck.rules.base import Finding, Option, Rule, RuleContext

_RNN = frozenset({"LSTM", "GRU", "SimpleRNN"})
_KEEP_SEQUENCE = NOISE_LAYERS | {"BatchNormalization", "LayerNormalization", "ActivityRegularization"}


class SequenceOutputIntoHead(Rule):
    """The last recurrent layer returns sequences straight into a Dense head.

    ## What it flags
    In a `Sequential` model, the last `LSTM`/`GRU`/`SimpleRNN` (also inside `Bidirectional`) has
    `return_sequences=True` and is followed only by `Dense` layers (and dropout/normalization), with
    no `Flatten`, global pooling, `TimeDistributed` or further recurrent layer. A `RepeatVector`
    before it marks an encoder-decoder and is not flagged. Sequence labelling and seq2seq
    models produce one prediction per timestep on purpose, so by default a model is reported only when
    a `fit` visibly gives it one target per sequence: the labels of a `keras.datasets` loader
    (`imdb`, `reuters`) or of scikit-learn, class labels from `LabelEncoder`/`to_categorical`, or a
    column of a CSV file. With `visible-targets-only = false` every such model is reported, as
    information when its targets are not visible.

    ## Why it breaks training
    With `return_sequences=True` the layer outputs `(batch, timesteps, units)`, and `Dense` then
    predicts at every timestep: the model's output is `(batch, timesteps, n)` rather than one
    prediction per sequence. Against per-sequence labels the loss is either a shape error or is
    broadcast over all timesteps, so early timesteps, which have not seen the sequence yet, are
    trained to predict its label: the loss stays high and accuracy is meaningless.

    ## Example
    ```python
    import keras
    from keras import layers

    (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    x_train = keras.utils.pad_sequences(x_train, maxlen=200)
    model = keras.Sequential([
        keras.Input(shape=(200,)),
        layers.Embedding(10000, 32),
        layers.LSTM(64, return_sequences=True),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(clipnorm=1.0), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3, validation_split=0.2)
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    x_train = keras.utils.pad_sequences(x_train, maxlen=200)
    model = keras.Sequential([
        keras.Input(shape=(200,)),
        layers.Embedding(10000, 32),
        layers.LSTM(64),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(clipnorm=1.0), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3, validation_split=0.2)
    ```

    ## References
    - https://keras.io/api/layers/recurrent_layers/lstm/ (`return_sequences`)
    - https://keras.io/guides/working_with_rnns/
    """

    code = "KC411"
    name = "sequence-output-into-head"
    severity = Severity.WARNING
    options = {
        "visible-targets-only": Option(
            True, "Report only models fit on targets visibly one per sequence (labels of a "
                  "keras.datasets loader or scikit-learn, LabelEncoder/to_categorical class "
                  "labels, a CSV column); false reports every such model, as information when "
                  "the targets are not visible."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        visible_only = bool(ctx.option("visible-targets-only"))
        for model in chain_models(facts):
            if model.kind != "sequential" or model.outputs != 1:
                continue
            per_sample = one_target_per_sample(model)
            if visible_only and not per_sample:
                continue
            layers = model.layers
            last = None
            for i, layer in enumerate(layers):
                if _recurrent(layer) is not None:
                    last = i
            if last is None:
                continue
            if any(layer.kind == "RepeatVector" for layer in layers[:last]):
                continue  # an encoder-decoder: the decoder predicts one step per output position
            rnn = layers[last]
            inner = _recurrent(rnn)
            if inner is None or inner.kwargs.get("return_sequences") is not True:
                continue
            tail = layers[last + 1:]
            if not any(layer.kind == "Dense" for layer in tail) or not all(
                    layer.kind == "Dense" or layer.kind in _KEEP_SEQUENCE for layer in tail):
                continue
            head = [layer for layer in tail if layer.kind == "Dense"][-1]
            loc = inner.kwarg_locs.get("return_sequences", rnn.loc) if isinstance(
                inner, CallFact) else rnn.arg_loc("return_sequences")
            yield Finding(
                loc,
                f"{describe(rnn)} returns the whole sequence into {describe(head)}, so the model "
                f"predicts at every timestep instead of once per sequence (a shape error or a loss "
                f"averaged over timesteps that have not seen the sequence yet); drop "
                f"return_sequences=True on the last recurrent layer, or add GlobalAveragePooling1D()",
                severity=None if per_sample else Severity.INFO,
            )


def _recurrent(layer: LayerFact) -> Any:
    """The recurrent layer (a LayerFact, or the CallFact wrapped by Bidirectional), else None."""
    if layer.kind in _RNN:
        return layer
    if layer.kind == "Bidirectional":
        inner = layer.arg("layer", 0)
        if isinstance(inner, CallFact) and inner.short in _RNN | {"CuDNNLSTM", "CuDNNGRU"}:
            return inner
    return None
