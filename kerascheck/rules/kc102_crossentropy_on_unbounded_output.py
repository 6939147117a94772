"""KC102: a cross-entropy loss on outputs that are not probabilities."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, LossFact
from kerascheck.fixes.intents import FixIntent, FixOp, OneOf, ReplaceWithKerasCall, SetKeyword, intent
from kerascheck.rules._outputs import UNBOUNDED_OUTPUTS, compiled, describe
from kerascheck.rules.base import Finding, Rule, RuleContext


class CrossentropyOnUnboundedOutput(Rule):
    """A cross-entropy loss on a linear/relu/tanh output without `from_logits=True`.

    ## What it flags
    `binary_crossentropy`, `categorical_crossentropy` or `sparse_categorical_crossentropy` (string,
    function or loss object, focal variants included) while the model's last layer applies no softmax or
    sigmoid (its activation is linear, relu, tanh, elu...) and `from_logits=True` is not given.

    ## Why it breaks training
    Without `from_logits=True` these losses take the outputs as probabilities and compute their log.
    A linear or relu output is anywhere in (-inf, inf): Keras clips it into (1e-7, 1 - 1e-7) (so every
    clipped output gets a zero gradient and stops learning) or renormalises it by its sum (negative or
    zero sums give a wrong loss or NaN). The loss goes flat or NaN and the accuracy stays at chance.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),
    ])
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    ```
    Either tell the loss the outputs are logits (as above, the keras.io idiom), or end the model with
    `activation="softmax"` (several classes) / `activation="sigmoid"` (one unit or multi-label).

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    - https://www.tensorflow.org/tutorials/quickstart/beginner
    """

    code = "KC102"
    name = "crossentropy-on-unbounded-output"
    severity = Severity.ERROR
    fixable = "unsafe"
    fix_doc = ("Unsafe fix: the loss is told that the outputs are logits: `from_logits=True` is added to "
               "(or set in) the loss object, and a loss string becomes the loss class, spelled with the "
               "name the file imports Keras as (`loss=\"binary_crossentropy\"` -> "
               "`loss=keras.losses.BinaryCrossentropy(from_logits=True)`). Predictions stay logits: apply "
               "the softmax/sigmoid yourself where you read probabilities.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in api.CROSSENTROPY_LOSSES or loss.from_logits not in (None, False):
                continue
            head = model.head
            if head is None or head.activation not in UNBOUNDED_OUTPUTS:
                continue
            if loss.name in api.BINARY_LOSSES:
                fix = ('activation="sigmoid" on the last layer, or '
                       f"keras.losses.{_class_name(loss.name)}(from_logits=True)")
            else:
                fix = ('activation="softmax" on the last layer, or '
                       f"keras.losses.{_class_name(loss.name)}(from_logits=True)")
            yield Finding(
                loss.loc,
                f"{loss.name} on the {head.activation} output of {describe(head)} without "
                f"from_logits=True: the loss takes the log of values outside (0, 1), so it is NaN or "
                f"stuck and nothing learns; use {fix}",
                fix=_from_logits(loss),
            )


def _from_logits(loss: LossFact) -> FixIntent:
    """``from_logits=True`` on the loss object, or the loss string replaced by the loss class."""
    options: list[FixOp] = [SetKeyword(loss.loc, "from_logits", "True", positional=0)]
    if loss.name not in _NO_CLASS:
        options.append(ReplaceWithKerasCall(loss.loc, f"losses.{_class_name(loss.name)}(from_logits=True)"))
    return intent("Compute the loss from logits (from_logits=True)", OneOf(tuple(options)), safe=False)


# Loss names without a loss class of the same name in every current Keras.
_NO_CLASS = frozenset({"sparse_categorical_focal_crossentropy"})


def _class_name(loss_name: str) -> str:
    """``sparse_categorical_crossentropy`` -> ``SparseCategoricalCrossentropy``."""
    return "".join(part.capitalize() for part in loss_name.split("_"))
