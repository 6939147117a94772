"""KC103: from_logits=True on outputs that already are probabilities."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.fixes.intents import DeleteArgument, intent
from kerascheck.rules._outputs import PROBABILITY_OUTPUTS, compiled, describe
from kerascheck.rules.base import Finding, Rule, RuleContext


class FromLogitsOnProbabilities(Rule):
    """`from_logits=True` while the last layer already applies softmax or sigmoid.

    ## What it flags
    A loss created with `from_logits=True` (`SparseCategoricalCrossentropy(from_logits=True)`,
    `BinaryCrossentropy(True)`...) for a model whose last layer ends in `softmax` or `sigmoid`
    (given as `activation=`, as a separate `Activation`/`Softmax` layer or as `tf.nn.softmax`).

    Also custom code that hands such a model's output, unchanged but for a reshape or cast, to a
    loss that applies softmax or sigmoid itself (`tf.nn.softmax_cross_entropy_with_logits`,
    `tf.nn.sigmoid_cross_entropy_with_logits`, a Keras loss with `from_logits=True`): in a training
    step (`probs = model(x)` then the loss on `probs`) or in a loss function passed to that model's
    `compile`.

    ## Why it breaks training
    `from_logits=True` makes the loss apply softmax (or sigmoid) itself. On outputs that already are
    probabilities in [0, 1] it squashes them a second time: the predicted distribution is almost
    uniform whatever the model outputs, the gradients shrink, and the loss stalls near `log(n_classes)`
    while the accuracy learns slowly or not at all.

    ## Example
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    ```

    ## Fix
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    ```
    Keep one of the two: a linear last layer with `from_logits=True` (numerically the most stable), or
    the softmax/sigmoid activation with the loss's default `from_logits=False`.

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    """

    code = "KC103"
    name = "from-logits-on-probabilities"
    severity = Severity.WARNING
    fixable = "unsafe"
    fix_doc = ("Unsafe fix: `from_logits=True` is deleted from the loss object, so the loss reads the "
               "probabilities the model outputs (the model and its predictions stay as they are). No fix "
               "for `from_logits` given positionally or held in a variable, nor for custom training steps.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.from_logits is not True:
                continue
            head = model.head
            if head is None or head.activation not in PROBABILITY_OUTPUTS:
                continue
            yield Finding(
                loss.loc,
                f"from_logits=True but {describe(head)} already outputs probabilities: the loss "
                f"applies {head.activation} a second time, so gradients shrink and training stalls; "
                f"drop from_logits=True or remove the {head.activation} from the last layer",
                fix=intent("Remove from_logits=True (the model already outputs probabilities)",
                           DeleteArgument(loss.loc, keyword="from_logits"), safe=False),
            )
        # Custom training steps and loss functions handing the model's output to a logits loss.
        for model in facts.models:
            if not model.logits_uses:
                continue
            head = model.head
            if head is None or head.activation not in PROBABILITY_OUTPUTS:
                continue
            for use in model.logits_uses:
                yield Finding(
                    use.loc,
                    f"{_short(use.callee)} applies {use.applies} to its logits, but they are the "
                    f"output of {describe(head)}, which already applies {head.activation}: the "
                    f"probabilities are squashed a second time, so gradients shrink and training "
                    f"stalls; pass logits (remove the {head.activation} from the last layer) or "
                    f"use a loss on probabilities (from_logits=False)",
                )


def _short(callee: str) -> str:
    """``tf.nn.softmax_cross_entropy_with_logits`` -> ``tf.nn.softmax_cross_entropy_with_logits``;
    ``keras.losses.CategoricalCrossentropy`` -> ``CategoricalCrossentropy(from_logits=True)``."""
    if callee.startswith(("tf.nn.", "tf.compat.v1.")):
        return callee
    return f"{callee.rsplit('.', 1)[-1]}(from_logits=True)"
