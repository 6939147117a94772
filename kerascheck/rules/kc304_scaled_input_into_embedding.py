"""KC304: scaled or normalised values fed to an Embedding first layer."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, LayerFact, ModelFacts
from kerascheck.rules._data_inputs import fits, shown_name
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext

_SCALING = ("scaled", "normalized")


class ScaledInputIntoEmbedding(Rule):
    """Token ids are scaled or normalised before an `Embedding`: every index truncates to 0.

    ## What it flags
    A `fit` whose input was divided by a constant (`x / 255`, `x / vocab_size`), normalised
    (`keras.utils.normalize`, `StandardScaler`, `MinMaxScaler`...) or otherwise rescaled on the way,
    into a model whose first layer is an `Embedding`.

    ## Why it breaks training
    An `Embedding` is a lookup table: it casts its input to integers and returns row `i` for index
    `i`. Scaled ids are fractions in [0, 1) (or small signed numbers after standardisation), which
    all truncate to 0 (or to an invalid negative index): every token of every sample reads the same
    row, the model sees identical inputs whatever the text, and accuracy stays at the majority
    class. Ids must reach the layer as the integers the tokenizer produced.

    ## Example
    ```python
    from tensorflow import keras
    from tensorflow.keras import layers

    (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    x_train = keras.utils.pad_sequences(x_train, maxlen=200)
    x_train = keras.utils.normalize(x_train)

    model = keras.Sequential([
        keras.Input(shape=(200,)),
        layers.Embedding(10000, 32),
        layers.GlobalAveragePooling1D(),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, validation_split=0.2)
    ```

    ## Fix
    ```python
    from tensorflow import keras
    from tensorflow.keras import layers

    (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
    x_train = keras.utils.pad_sequences(x_train, maxlen=200)

    model = keras.Sequential([
        keras.Input(shape=(200,)),
        layers.Embedding(10000, 32),
        layers.GlobalAveragePooling1D(),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, validation_split=0.2)
    ```

    ## References
    - https://keras.io/api/layers/core_layers/embedding/ (input: integer indices)
    - https://www.tensorflow.org/text/guide/word_embeddings
    """

    code = "KC304"
    name = "scaled-input-into-embedding"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        once = OncePerLocation()
        for model, fit in fits(facts):
            x = fit.x
            if x is None or x.role == "labels" or x.has("multiple") or not x.has(*_SCALING):
                continue
            embedding = _first_embedding(model)
            if embedding is None or not once(x.loc):
                continue
            how = "normalised" if x.has("normalized") else "scaled"
            yield Finding(
                fit.loc,
                f"{shown_name(x, 'the input')} is {how} before the {embedding.kind} first layer, "
                f"which casts its input to integer ids: fractions all truncate to index 0, so "
                f"every token reads the same vector and the model cannot tell samples apart; pass "
                f"the integer token ids unscaled",
            )


def _first_embedding(model: ModelFacts) -> LayerFact | None:
    """The model's first layer if it is an ``Embedding`` (the whole chain must be known)."""
    if not model.complete or not model.layers:
        return None
    first = model.layers[0]
    if first.kind != "Embedding" or first.follows_op:
        return None
    return first
