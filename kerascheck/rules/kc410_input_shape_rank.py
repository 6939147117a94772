"""KC410 input-shape-rank."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import UNKNOWN, FileFacts, LayerFact
from kerascheck.rules._arch import chain_models, declared_input_shape
from kerascheck.rules.base import Finding, Rule, RuleContext

# Per-sample rank (batch axis excluded) each layer expects, and what the axes are.
_RANK = {
    "Conv1D": (2, "(steps, channels)"), "SeparableConv1D": (2, "(steps, channels)"),
    "Conv1DTranspose": (2, "(steps, channels)"), "LocallyConnected1D": (2, "(steps, channels)"),
    "MaxPooling1D": (2, "(steps, channels)"), "AveragePooling1D": (2, "(steps, channels)"),
    "MaxPool1D": (2, "(steps, channels)"), "AvgPool1D": (2, "(steps, channels)"),
    "LSTM": (2, "(timesteps, features)"), "GRU": (2, "(timesteps, features)"),
    "SimpleRNN": (2, "(timesteps, features)"), "Bidirectional": (2, "(timesteps, features)"),
    "Conv2D": (3, "(height, width, channels)"), "SeparableConv2D": (3, "(height, width, channels)"),
    "DepthwiseConv2D": (3, "(height, width, channels)"),
    "Conv2DTranspose": (3, "(height, width, channels)"),
    "LocallyConnected2D": (3, "(height, width, channels)"),
    "MaxPooling2D": (3, "(height, width, channels)"), "AveragePooling2D": (3, "(height, width, channels)"),
    "MaxPool2D": (3, "(height, width, channels)"), "AvgPool2D": (3, "(height, width, channels)"),
    "Conv3D": (4, "(depth, height, width, channels)"),
    "Conv3DTranspose": (4, "(depth, height, width, channels)"),
    "MaxPooling3D": (4, "(depth, height, width, channels)"),
    "ConvLSTM2D": (4, "(timesteps, height, width, channels)"),
}


class InputShapeRank(Rule):
    """The declared input shape has the wrong number of axes for the first layer.

    ## What it flags
    The first layer's `input_shape=` (or the `keras.Input(shape=...)` feeding it directly) has a rank
    that layer cannot take: a `Conv2D` needs `(height, width, channels)`, a `Conv1D`/`LSTM`/`GRU`
    `(timesteps, features)`, a `Conv3D` four axes. The usual causes are a batch axis included in the
    shape (`input_shape=(None, 64, 64, 1)`, `X.shape` instead of `X.shape[1:]`) and a missing channel
    axis (`input_shape=(28, 28)` for grayscale images). `Dense`, whose input may have any rank, and
    `input_dim=` are not checked; `batch_input_shape=` is checked without its batch axis.

    ## Why it breaks training
    `input_shape` describes one sample; Keras prepends the batch axis itself. One axis too many or too
    few and the layer receives a tensor of the wrong rank: building the model fails with
    "expected ndim=4, found ndim=5" (or 3), so the script never trains. Patching the shapes elsewhere
    to make it run usually leaves the data's axes misread.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(None, 64, 64, 1)),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(64, 64, 1)),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/guides/sequential_model/#specifying-the-input-shape-in-advance
    - https://keras.io/api/layers/core_layers/input/
    """

    code = "KC410"
    name = "input-shape-rank"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model in chain_models(facts):
            if not model.raw_layers:
                continue
            first = model.raw_layers[0]
            expected = _RANK.get(first.kind)
            if expected is None or _channels_first(first):
                continue
            declared = declared_input_shape(model)
            if declared is None:
                continue
            shape, source, keyword = declared
            rank, axes = expected
            if len(shape) == rank:
                continue
            loc = source.arg_loc(keyword) if keyword else source.loc
            batch: tuple[object, ...] = ()
            if keyword.startswith("batch"):
                batch = (source.kwargs[keyword][0],)  # shown as written, batch axis first
            written = _shape_text((*batch, *shape))
            if len(shape) == rank + 1:
                cause = ("it includes the batch axis, which Keras adds itself" if shape[0] is None
                         else "it has one axis too many (the batch axis included?)")
                fix = f"drop the extra axis: {keyword or 'shape'}={_shape_text((*batch, *shape[1:]))}"
            elif len(shape) == rank - 1:
                cause = "it lacks an axis (the channel/feature axis?)"
                fix = (f"add it, e.g. {keyword or 'shape'}={_shape_text((*batch, *shape, 1))}, and "
                       f"reshape the data to match")
            else:
                cause = f"it has {len(shape)} axes"
                fix = f"give one sample's shape {axes}"
            yield Finding(
                loc,
                f"{first.kind} needs a per-sample input of {rank} axes {axes} but "
                f"{keyword or 'shape'} is {written}: {cause}, so building the model fails with an "
                f"ndim error; {fix}",
            )


def _channels_first(layer: LayerFact) -> bool:
    return layer.kwargs.get("data_format") == "channels_first"


def _shape_text(shape: tuple[object, ...]) -> str:
    items = ["?" if item is UNKNOWN else repr(item) for item in shape]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
