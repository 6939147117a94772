"""KC412: a hidden Dense(1, activation="relu") that everything after it depends on."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.rules._arch import chain_models, describe, hidden_indices, is_unit_layer
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext

_DYING = frozenset({"relu", "relu6"})


class SingleUnitReluBottleneck(Rule):
    """A hidden `Dense(1, activation="relu")`: once its one unit dies, the model's output is constant.

    ## What it flags
    A hidden (not output) `Dense` layer with a single unit and a relu activation in a sequential or
    functional chain, whose output the next layers read directly: the whole model then depends on
    one non-negative number per sample.

    ## Why it breaks training
    A relu unit whose pre-activation is negative for every sample outputs 0 and gets no gradient,
    so it never recovers (a "dead" relu). With many units a few dead ones do not matter; with one,
    it is the whole layer: every later layer then sees the constant 0, the model predicts the same
    value for every input (the mean target, or the majority class), and the loss stops moving.
    Such a unit dies easily: one large update or an unlucky initialisation is enough. Even alive,
    a one-unit bottleneck throws away everything but one non-negative feature.

    ## Example
    ```python
    import numpy as np
    from tensorflow import keras
    from tensorflow.keras import layers

    x = np.random.rand(1000, 8)
    y = x.sum(axis=1) + np.random.normal(0, 0.1, 1000)

    model = keras.Sequential([
        layers.Dense(32, activation="relu", input_shape=(8,)),
        layers.Dense(1, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=50, batch_size=32)
    ```

    ## Fix
    ```python
    import numpy as np
    from tensorflow import keras
    from tensorflow.keras import layers

    x = np.random.rand(1000, 8)
    y = x.sum(axis=1) + np.random.normal(0, 0.1, 1000)

    model = keras.Sequential([
        layers.Dense(32, activation="relu", input_shape=(8,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=50, batch_size=32)
    ```
    Give hidden layers several units; if a one-unit layer is really meant (a learned score), leave
    it linear or use a bounded activation such as `sigmoid`.

    ## References
    - Lu et al., "Dying ReLU and Initialization: Theory and Numerical Examples":
      https://arxiv.org/abs/1903.06733
    - https://keras.io/api/layers/activations/#relu-function
    """

    code = "KC412"
    name = "single-unit-relu-bottleneck"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        once = OncePerLocation()
        for model in chain_models(facts):
            layers = model.layers
            for i in hidden_indices(layers):
                layer = layers[i]
                if layer.kind != "Dense" or layer.units != 1 or layer.activation not in _DYING:
                    continue
                nxt = next((later for later in layers[i + 1:] if is_unit_layer(later)
                            or later.follows_op), None)
                if nxt is None or nxt.follows_op or not once(layer.loc):
                    continue
                yield Finding(
                    layer.loc,
                    f"hidden {describe(layer)} with relu passes one non-negative number to "
                    f"{describe(nxt)}: once that single unit dies (negative for every input) it "
                    f"outputs 0 with no gradient and the model predicts a constant; give the layer "
                    f"more units, or leave a one-unit score linear",
                )
