"""KC404 constant-kernel-initializer."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, LayerFact
from kerascheck.rules._arch import (
    DENSE_CONV, FLATTENING_LAYERS, NOISE_LAYERS, chain_models, constant_value, describe,
    initializer, written,
)
from kerascheck.rules.base import Finding, Rule, RuleContext

# Between two layers these keep identical units identical (BatchNormalization treats every unit alike).
_BETWEEN = NOISE_LAYERS | api.POOL_LAYERS | FLATTENING_LAYERS | {
    "ActivityRegularization", "BatchNormalization"}
_DEAD_AT_ZERO = frozenset({"relu", "relu6"})  # f(0) = 0 and f'(0) = 0


class ConstantKernelInitializer(Rule):
    """Hidden layer weights start from a constant, so its units stay identical (or dead) forever.

    ## What it flags
    A hidden `Dense`/`Conv` layer with `kernel_initializer="zeros"`/`"ones"`/`Zeros()`/`Ones()`/
    `Constant(v)` (Keras 1/2: `init="zero"`) when
    - the next `Dense`/`Conv` layer also starts from constant weights (then no weight breaks the
      symmetry), or
    - the initializer is zeros, the activation is `relu` and the bias starts at zero (the layer
      outputs 0 with zero gradient).

    `bias_initializer` constants are fine, and a zero-initialised output layer on its own is a known
    idiom (some regressors and RL heads), so neither is reported.

    ## Why it breaks training
    With identical incoming weights every unit of the layer computes the same value; when the weights
    leaving it are identical too, every unit also receives the same gradient, so after any number of
    steps all units are still copies of one another and the layer works as a single unit (the
    symmetry is never broken; the loss plateaus). With zeros and relu it is worse: every unit outputs
    relu(0) = 0 and relu's gradient at 0 is 0, so nothing before the output layer ever learns.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(64, activation="relu", kernel_initializer="zeros"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - Goodfellow, Bengio & Courville, *Deep Learning*, section 8.4 (breaking symmetry)
    - https://keras.io/api/layers/initializers/
    """

    code = "KC404"
    name = "constant-kernel-initializer"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model in chain_models(facts):
            layers = model.layers
            for i, layer in enumerate(layers):
                if layer.kind not in DENSE_CONV:
                    continue
                found = initializer(layer)
                if found is None:
                    continue
                value, keyword = found
                fill = constant_value(value)
                if fill is None:
                    continue
                nxt = _next_unit_layer(layers, i)
                if nxt is None:
                    continue  # the output layer (or what follows is not a plain layer)
                loc = layer.arg_loc(keyword)
                nxt_init = initializer(nxt)
                if nxt_init is not None and constant_value(nxt_init[0]) is not None:
                    yield Finding(
                        loc,
                        f"{describe(layer)} ({keyword}={written(value)}) and the {describe(nxt)} "
                        f"after it ({nxt_init[1]}={written(nxt_init[0])}) both start from constant "
                        f"weights, so every unit of {describe(layer)} computes the same value and "
                        f"gets the same gradient: the units never differentiate and the layer acts "
                        f"as one unit; remove {keyword}= (default glorot_uniform) or use "
                        f"\"he_normal\"",
                    )
                elif fill == 0.0 and layer.activation in _DEAD_AT_ZERO and _zero_bias(layer):
                    yield Finding(
                        loc,
                        f"{describe(layer)} with {keyword}={written(value)} and {layer.activation} "
                        f"outputs 0 for every input and {layer.activation}'s gradient at 0 is 0, so "
                        f"the layer never learns and the model cannot fit; remove {keyword}= "
                        f"(default glorot_uniform) or use \"he_normal\"",
                    )


def _next_unit_layer(layers: tuple[LayerFact, ...], index: int) -> LayerFact | None:
    for later in layers[index + 1:]:
        if later.follows_op:
            return None
        if later.kind in _BETWEEN:
            continue
        return later if later.kind in DENSE_CONV else None
    return None


def _zero_bias(layer: LayerFact) -> bool:
    if layer.kwargs.get("use_bias", True) is False or layer.kwargs.get("bias", True) is False:
        return True
    bias: Any = layer.kwargs.get("bias_initializer", "zeros")
    return constant_value(bias) == 0.0
