"""KC408 channels-first-input-shape."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, LayerFact
from kerascheck.rules._arch import chain_models, declared_input_shape
from kerascheck.rules.base import Finding, Rule, RuleContext

_CONV2D = frozenset({"Conv2D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose",
                     "LocallyConnected2D"})
# Calls that show the file chooses or queries the image layout itself.
_LAYOUT_CALLS = ("image_data_format", "set_image_data_format", "image_dim_ordering",
                 "set_image_dim_ordering")


class ChannelsFirstInputShape(Rule):
    """A Conv2D gets a channels-first input shape such as (1, 28, 28) but uses channels_last.

    ## What it flags
    The first layer of a model is a 2D convolution whose input shape (its `input_shape=` or the
    `keras.Input(shape=...)` feeding it) looks like channels first, `(1, H, W)` or `(3, H, W)` with
    `H` and `W` of 8 or more, while the layer has no `data_format="channels_first"` (Keras 1/2:
    `dim_ordering="th"`). Files that set or query the image layout (`set_image_data_format`,
    `image_data_format()`, `image_dim_ordering()`) and kernels of height 1 are not reported.

    ## Why it breaks training
    Keras' default layout is channels last: `(1, 28, 28)` is read as an image 1 pixel high and 28
    wide with 28 channels. A 3x3 convolution cannot slide over a height of 1 ("Negative dimension
    size" error); with `padding="same"` it runs but mixes pixel columns as if they were colours and
    convolves across the channel axis, so the network cannot learn spatial features and accuracy
    stays far below what the model should reach.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(1, 28, 28)),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/api/layers/convolution_layers/convolution2d/ (`data_format`)
    - https://keras.io/api/utils/config_utils/#imagedataformat-function
    """

    code = "KC408"
    name = "channels-first-input-shape"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        if any(call.short in _LAYOUT_CALLS for call in facts.calls):
            return
        for model in chain_models(facts):
            if not model.raw_layers:
                continue
            first = model.raw_layers[0]
            if first.kind not in _CONV2D or _layout_given(first):
                continue
            declared = declared_input_shape(model)
            if declared is None:
                continue
            shape, source, keyword = declared
            if not _looks_channels_first(shape) or _height_one_kernel(first):
                continue
            channels, height, width = shape
            yield Finding(
                source.arg_loc(keyword) if keyword else source.loc,
                f"{first.kind} gets input shape {tuple(shape)!r}, which channels_last (Keras' "
                f"default) reads as {channels} pixel{'s' if channels > 1 else ''} high, {height} wide "
                f"with {width} channels, so the kernel slides over the wrong axes (or fails with a "
                f"negative dimension); use shape ({height}, {width}, {channels}) and reshape the "
                f"data to (n, {height}, {width}, {channels}), or pass "
                f"data_format=\"channels_first\"",
            )


def _looks_channels_first(shape: tuple[Any, ...]) -> bool:
    if len(shape) != 3 or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
        return False
    channels, height, width = shape
    return channels in (1, 3) and height >= 8 and width >= 8


def _layout_given(layer: LayerFact) -> bool:
    """The layer chooses its layout (channels_first, Keras 1/2 ``dim_ordering``, or not a constant)."""
    if "data_format" in layer.kwargs and layer.kwargs["data_format"] != "channels_last":
        return True
    return "dim_ordering" in layer.kwargs and layer.kwargs["dim_ordering"] != "tf"


def _height_one_kernel(layer: LayerFact) -> bool:
    kernel = layer.arg("kernel_size", 1)
    return isinstance(kernel, tuple) and len(kernel) == 2 and kernel[0] == 1
