"""KC409 dense-on-feature-map."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts
from kerascheck.rules._arch import NOISE_LAYERS, chain_models, describe
from kerascheck.rules._outputs import one_target_per_sample
from kerascheck.rules.base import Finding, Rule, RuleContext

_CONV_2D_3D = frozenset({"Conv2D", "Conv3D", "SeparableConv2D", "DepthwiseConv2D"})
_DOWNSAMPLING = frozenset({"MaxPooling2D", "MaxPooling3D", "AveragePooling2D", "AveragePooling3D",
                           "MaxPool2D", "MaxPool3D", "AvgPool2D", "AvgPool3D"})
_UPSAMPLING = frozenset({"UpSampling2D", "UpSampling3D", "Conv2DTranspose", "Conv3DTranspose",
                         "UpSampling1D", "Conv1DTranspose"})
# 1D stacks: a Dense per timestep is a sequence labeller on purpose unless the targets are visibly
# one per sample (``_outputs.one_target_per_sample``).
_CONV_1D = frozenset({"Conv1D", "SeparableConv1D"})
_DOWNSAMPLING_1D = frozenset({"MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D"})
# Between the feature map and the Dense: layers that keep the map's shape.
_KEEP_MAP = NOISE_LAYERS | {"BatchNormalization", "LayerNormalization", "ActivityRegularization"}
_CLASSIFICATION_LOSSES = api.CROSSENTROPY_LOSSES


class DenseOnFeatureMap(Rule):
    """A Dense layer is applied to a conv/pooling feature map without Flatten or global pooling.

    ## What it flags
    In a convolutional classifier (a `Sequential`-like chain with 2D/3D convolutions and pooling,
    compiled with a cross-entropy loss, no upsampling), a `Dense` layer that comes right after a
    `Conv`/`Pooling` layer (only `Dropout`/normalization between) when no `Flatten`,
    `GlobalAveragePooling2D`/`GlobalMaxPooling2D` or `Reshape` follows anywhere after it.
    `Conv1D` stacks with 1D pooling are judged the same way when a `fit` visibly gives the model
    one target per sample (the labels of a `keras.datasets` loader or of scikit-learn,
    `LabelEncoder`/`to_categorical` class labels, a CSV column): otherwise a Dense per timestep
    may be a sequence labeller on purpose.

    ## Why it breaks training
    `Dense` on a 4D tensor `(batch, h, w, channels)` acts on the last axis only, at every spatial
    position separately. The model then outputs a `(batch, h, w, n_classes)` map instead of one
    prediction per image: `fit` fails with a shape mismatch against the labels, or (when the labels
    broadcast) the loss and accuracy are computed per pixel against a single label and mean nothing,
    so the model does not learn to classify.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/api/layers/core_layers/dense/ (input with rank greater than 2)
    - https://keras.io/examples/vision/mnist_convnet/
    """

    code = "KC409"
    name = "dense-on-feature-map"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model in chain_models(facts):
            if model.outputs != 1 or model.compile is None or model.compile.loss is None:
                continue
            if model.compile.loss.name not in _CLASSIFICATION_LOSSES:
                continue
            layers = model.layers
            kinds = {layer.kind for layer in layers}
            convs, pools = _CONV_2D_3D, _DOWNSAMPLING
            if not kinds & _CONV_2D_3D and kinds & _CONV_1D and one_target_per_sample(model):
                convs, pools = _CONV_1D, _DOWNSAMPLING_1D
            if not kinds & pools or kinds & _UPSAMPLING or not kinds & convs:
                continue
            if any(layer.follows_op for layer in layers):
                continue
            for i, layer in enumerate(layers):
                if layer.kind != "Dense":
                    continue
                before = None
                for earlier in reversed(layers[:i]):
                    if earlier.kind in _KEEP_MAP:
                        continue
                    before = earlier
                    break
                if before is None or not (before.kind in convs or before.kind in pools):
                    break  # only the first Dense matters
                if not all(later.kind == "Dense" or later.kind in _KEEP_MAP
                           for later in layers[i + 1:]):
                    break
                pooling = "GlobalAveragePooling1D" if convs is _CONV_1D else "GlobalAveragePooling2D"
                where = "timestep" if convs is _CONV_1D else "spatial position"
                yield Finding(
                    layer.loc,
                    f"{describe(layer)} follows {before.kind} without Flatten or "
                    f"{pooling}, so it is applied at every {where} and the "
                    f"model outputs a feature map instead of one prediction per sample: the loss "
                    f"compares the wrong shapes (error, or meaningless accuracy); add "
                    f"layers.Flatten() or layers.{pooling}() before it",
                )
                break
