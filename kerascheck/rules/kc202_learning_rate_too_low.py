"""KC202: a learning rate so small (or zero) that the weights do not move."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, OptimizerFacts
from kerascheck.rules._optimizers import (
    fmt, judged_sites, overrides_learning_rate, schedule_arg, single, written,
)
from kerascheck.rules.base import Finding, Option, Rule, RuleContext


class LearningRateTooLow(Rule):
    """Learning rate below 1e-6 (or zero): the weights barely move and the model does not learn.

    ## What it flags
    An optimizer built with a constant learning rate below `min` (1e-6), zero or negative: given
    positionally, as `learning_rate=`/`lr=`, through a variable or a model-factory argument, or as the
    initial rate of a schedule (`ExponentialDecay(initial_learning_rate=...)`; a schedule that warms up
    to `warmup_target` is judged by that target). Only the rate training starts with is judged, never the
    decayed values a schedule reaches later. Nothing is reported when the file sets the rate from a
    callback (`LearningRateScheduler`, `K.set_value(...lr...)`), when one optimizer call is built with
    several rates (a sweep), or for an optimizer no `compile` receives in a file that builds
    `tf.Variable`s (it may be optimising an input rather than weights).

    ## Why it breaks training
    Each step changes a weight by about the learning rate times a gradient-sized quantity. At 1e-8 a few
    thousand steps move the weights by less than their initial noise, so the loss stays flat, accuracy
    stays at chance and it looks as if the model cannot learn the task; a rate of 0 changes nothing at
    all, and a negative rate climbs the loss instead of descending it. The usual cause is a typo
    (`1e-8` for `1e-3`) or a fine-tuning rate divided once too often.

    ## Example
    ```python
    import keras
    from keras import layers

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-8),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test))
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test))
    ```

    ## Options
    A rate equal to `min` is not reported.

    ## References
    - Keras optimizers: https://keras.io/api/optimizers/
    - Smith, "Cyclical Learning Rates for Training Neural Networks" (choosing a rate with an LR range test).
    """

    code = "KC202"
    name = "learning-rate-too-low"
    severity = Severity.WARNING
    options = {
        "min": Option(1e-6, "Lowest learning rate not reported."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        if overrides_learning_rate(facts):
            return
        limit = float(ctx.option("min"))
        for group in judged_sites(facts):
            opt = group[0]
            if opt.lr_is_default or opt.from_string:
                continue
            start = single([_start(o) for o in group])
            if start is None or start >= limit:
                continue
            yield Finding(opt.lr_loc, _message(opt, start, limit))


def _start(opt: OptimizerFacts) -> float | None:
    """The rate training starts with; for a warm-up schedule, the rate it warms up to."""
    rate = opt.learning_rate
    if rate is None:
        return None
    target = schedule_arg(opt.schedule_call, "warmup_target",
                          4 if opt.schedule == "CosineDecay" else None)
    if opt.schedule is not None and target is not None:
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            return max(rate, float(target))
        return None  # a warm-up target we cannot evaluate
    return rate


def _message(opt: OptimizerFacts, rate: float, limit: float) -> str:
    default = api.OPTIMIZER_DEFAULT_LR.get(opt.kind or "") or 0.001
    what = written(opt)
    if rate == 0:
        why = "a zero learning rate never changes the weights, so nothing is learned"
    elif rate < 0:
        why = "a negative learning rate climbs the loss instead of descending it"
    else:
        why = (f"below {fmt(limit)} the weights barely move, so the loss stays flat and accuracy stays "
               f"at chance")
    return f"{what}: {why}; use learning_rate={fmt(default)} (the default) or 1e-4/1e-5 for fine-tuning"
