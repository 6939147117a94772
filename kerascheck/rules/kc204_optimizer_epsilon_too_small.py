"""KC204: an optimizer epsilon of zero or far below float precision."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts
from kerascheck.rules._optimizers import fmt, single, sites
from kerascheck.rules.base import Finding, Option, Rule, RuleContext


class OptimizerEpsilonTooSmall(Rule):
    """Optimizer epsilon of 0 or below 1e-10: the adaptive update divides by (almost) zero and goes NaN.

    ## What it flags
    `epsilon=` given as a constant that is zero, negative or below `min` (1e-10) to an optimizer that
    divides by a running gradient magnitude: Adam, AdamW, Nadam, Adamax, RMSprop, Adagrad, Adadelta, Lamb
    and Adafactor (Keras' default is 1e-7, PyTorch's 1e-8).

    ## Why it breaks training
    These optimizers scale each step by `1 / (sqrt(v) + epsilon)`, where `v` tracks the squared gradient
    of the weight. For a weight whose gradient is zero (an unused embedding row, a dead ReLU unit) `v` is
    0, and with `epsilon=0` the update is 0/0 = NaN, which then spreads to every weight through the next
    forward pass. A non-zero but tiny epsilon gives no margin either: it is 0 in float16, and weights whose
    `v` underflows get steps divided by almost nothing, so the loss turns `nan`. For Adadelta a tiny
    epsilon also makes the very first steps (proportional to `sqrt(epsilon)`) vanish, so nothing learns.

    ## Example
    ```python
    import keras
    from keras import layers

    (x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

    autoencoder = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    ])
    autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, epsilon=0.0),
                        loss="binary_crossentropy")
    autoencoder.fit(x_train, x_train, epochs=10, batch_size=256, validation_data=(x_test, x_test))
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    (x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

    autoencoder = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(64, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    ])
    autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, epsilon=1e-7),
                        loss="binary_crossentropy")
    autoencoder.fit(x_train, x_train, epochs=10, batch_size=256, validation_data=(x_test, x_test))
    ```

    ## Options
    Zero and negative values are always reported; `min` itself is not.

    ## References
    - Keras `Adam` documentation (`epsilon`: "a small constant for numerical stability"):
      https://keras.io/api/optimizers/adam/
    - Kingma & Ba, "Adam: A Method for Stochastic Optimization".
    """

    code = "KC204"
    name = "optimizer-epsilon-too-small"
    severity = Severity.WARNING
    options = {
        "min": Option(1e-10, "Smallest epsilon not reported."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        limit = float(ctx.option("min"))
        for group in sites(facts):
            opt = group[0]
            if opt.kind not in api.EPSILON_OPTIMIZERS:
                continue
            epsilon = single([o.epsilon for o in group])
            if epsilon is None or (epsilon > 0 and epsilon >= limit):
                continue
            if epsilon <= 0:
                why = (f"epsilon={fmt(epsilon)} leaves nothing in 1 / (sqrt(v) + epsilon): any weight "
                       f"whose gradient is zero gets a 0/0 = NaN update and the loss turns NaN")
            elif opt.kind == "Adadelta":
                why = (f"Adadelta's steps start at sqrt(epsilon), so epsilon={fmt(epsilon)} makes them "
                       f"vanish and nothing learns")
            else:
                why = (f"epsilon={fmt(epsilon)} is no guard in 1 / (sqrt(v) + epsilon) (it is 0 in "
                       f"float16): weights with a vanishing gradient history get huge or 0/0 steps and "
                       f"the loss turns NaN")
            yield Finding(opt.epsilon_loc, f"{opt.kind}: {why}; keep the default epsilon=1e-7 "
                                           f"(or 1e-8, PyTorch's)")
