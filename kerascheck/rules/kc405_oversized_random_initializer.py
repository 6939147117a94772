"""KC405 oversized-random-initializer."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, LayerFact
from kerascheck.rules._arch import (
    DENSE_CONV, NOISE_LAYERS, chain_models, declared_input_shape, describe, initializer, number,
    random_spread, written,
)
from kerascheck.rules.base import Finding, Option, Rule, RuleContext


# Layers that keep the number of features per position (the next layer's fan-in).
_KEEP_FEATURES = NOISE_LAYERS | api.POOL_LAYERS | {"BatchNormalization", "LayerNormalization",
                                                  "ActivityRegularization"}


# Per-layer growth of the activations' scale (stddev * sqrt(fan_in)) below which a layer is not counted.
_MIN_GROWTH = 4.0


class OversizedRandomInitializer(Rule):
    """Several layers draw their weights with a spread of about 1, so activations explode with depth.

    ## What it flags
    A model in which `min-layers` or more `Dense`/`Conv` layers use
    `RandomNormal`/`TruncatedNormal` with `stddev` (or `RandomUniform` with `minval`/`maxval`) of
    `min-spread` or more. Layers whose fan-in is known to be so small that such weights barely grow
    the signal (`stddev * sqrt(fan_in)` under 4, as in XOR toy networks) are not counted.

    ## Why it breaks training
    Each unit sums `fan_in` inputs times weights of standard deviation `s`, so a layer multiplies the
    scale of the activations by about `s * sqrt(fan_in)`: 8x for `stddev=1.0` and 64 inputs. Over
    three or more such layers the pre-activations reach the thousands: relu networks produce huge
    outputs and gradients (the loss is enormous and turns NaN), sigmoid/tanh networks saturate and
    stop learning. Keras' default `glorot_uniform` (and `he_normal` for relu) scales the spread by the
    fan-in to keep the signal's scale constant.

    ## Example
    ```python
    import keras
    from keras import initializers, layers

    init = initializers.RandomNormal(mean=0.0, stddev=1.0)
    model = keras.Sequential([
        keras.Input(shape=(100,)),
        layers.Dense(256, activation="relu", kernel_initializer=init),
        layers.Dense(256, activation="relu", kernel_initializer=init),
        layers.Dense(10, activation="softmax", kernel_initializer=init),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(100,)),
        layers.Dense(256, activation="relu", kernel_initializer="he_normal"),
        layers.Dense(256, activation="relu", kernel_initializer="he_normal"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - He et al., "Delving Deep into Rectifiers", 2015 (initialisation and signal scale)
    - Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks", 2010
    - https://keras.io/api/layers/initializers/
    """

    code = "KC405"
    name = "oversized-random-initializer"
    severity = Severity.WARNING
    options = {
        "min-spread": Option(1.0, "Smallest stddev (normal) or |minval|/|maxval| (uniform) counted."),
        "min-layers": Option(3, "How many layers with such an initializer make the model reported."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        min_spread = float(ctx.option("min-spread"))
        min_layers = int(ctx.option("min-layers"))
        for model in chain_models(facts):
            fan_in = _input_features(model)
            oversized: list[tuple[LayerFact, str, str, float, int | None]] = []
            for layer in model.layers:
                if layer.follows_op:
                    fan_in = None
                if layer.kind not in DENSE_CONV:
                    if layer.kind not in _KEEP_FEATURES:
                        fan_in = None
                    continue
                found = initializer(layer)
                spread = random_spread(found[0]) if found is not None else None
                layer_fan_in = _fan_in(layer, fan_in)
                fan_in = layer.units
                if found is None or spread is None:
                    continue
                std, _, text = spread
                written_spread = std * (3 ** 0.5) if "maxval" in text else std
                if written_spread < min_spread:
                    continue
                if layer_fan_in is not None and std * layer_fan_in ** 0.5 < _MIN_GROWTH:
                    continue  # a few inputs per unit: the signal barely grows
                oversized.append((layer, found[1], written(found[0]), std, layer_fan_in))
            if len(oversized) < min_layers:
                continue
            layer, keyword, text, std, layer_fan_in = oversized[0]
            known = [(s, f) for _, _, _, s, f in oversized if f is not None]
            if known:
                s, f = known[0]
                growth = (f"with {f} inputs per unit a layer multiplies the activations' scale by "
                          f"about {s * f ** 0.5:.0f}")
            else:
                growth = "each layer multiplies the activations' scale by about stddev * sqrt(fan_in)"
            yield Finding(
                layer.arg_loc(keyword),
                f"{len(oversized)} layers from {describe(layer)} on draw weights with {text}: "
                f"{growth}, so activations explode through the stack (huge loss, NaN) or saturate; "
                f"remove {keyword}= (glorot_uniform scales by fan-in) or use \"he_normal\"",
            )


def _input_features(model: Any) -> int | None:
    declared = declared_input_shape(model)
    if declared is not None and declared[0]:
        last = declared[0][-1]
        if isinstance(last, int) and not isinstance(last, bool) and last > 0:
            return last
    first = model.raw_layers[0] if model.raw_layers else None
    if first is not None:
        dim = number(first.kwargs.get("input_dim"))
        if dim is not None and dim >= 1:
            return int(dim)
    return None


def _fan_in(layer: LayerFact, channels: int | None) -> int | None:
    """Inputs per unit: incoming features (times the kernel area for convolutions)."""
    if channels is None or channels <= 0:
        return None
    if layer.kind == "Dense":
        return channels
    kernel = layer.arg("kernel_size", 1)
    if isinstance(kernel, int) and not isinstance(kernel, bool):
        dims = 3 if "3D" in layer.kind else 1 if "1D" in layer.kind else 2
        return channels * kernel ** dims
    if isinstance(kernel, tuple) and all(isinstance(k, int) for k in kernel):
        area = 1
        for k in kernel:
            area *= k
        return channels * area
    return None
