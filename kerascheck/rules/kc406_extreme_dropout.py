"""KC406 extreme-dropout."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import CallFact, FileFacts, Loc
from kerascheck.rules._arch import number
from kerascheck.rules.base import Finding, Option, Rule, RuleContext

_DROPOUT_LAYERS = frozenset(
    {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
     "GaussianDropout"}
)
_RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
                        "CuDNNLSTM", "CuDNNGRU", "LSTMCell", "GRUCell", "SimpleRNNCell"})


class ExtremeDropout(Rule):
    """A dropout rate of 1 or more (or 0.9 and above) leaves nothing to learn from.

    ## What it flags
    `Dropout`, `SpatialDropout*D`, `AlphaDropout` and `GaussianDropout` layers, and the `dropout` /
    `recurrent_dropout` arguments of recurrent layers, whose rate is a constant of 1 or more (an
    error: a percentage such as `Dropout(50)`, or a keep probability of 1 taken for a drop rate), or of
    `max-rate` or more (a warning). The rate is the first positional argument, `rate=`, or Keras 1's
    `p=`.

    ## Why it breaks training
    The rate is the fraction of units *dropped*, in [0, 1). At 1 every unit is zeroed: Keras rejects
    the value, and where it is accepted the layer outputs only zeros, so nothing before it receives a
    gradient. At 0.9 and above nine in ten activations are zeroed on every step and the survivors are
    scaled by 10 or more: the gradient is so noisy that the model learns very slowly, if at all,
    and training accuracy stays near chance. The usual mistake is porting TensorFlow 1's `keep_prob`
    (probability to *keep*) as Keras' `rate`.

    ## Example
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.9),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.1),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/api/layers/regularization_layers/dropout/
    - Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", 2014
    """

    code = "KC406"
    name = "extreme-dropout"
    severity = Severity.WARNING
    options = {
        "max-rate": Option(0.9, "Dropout rates from this value up (below 1) are reported as warnings."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        max_rate = float(ctx.option("max-rate"))
        seen: set[int] = set()
        for call in facts.calls:
            if not call.name.startswith("keras.layers.") or id(call.loc.node) in seen:
                continue
            seen.add(id(call.loc.node))
            if call.short in _DROPOUT_LAYERS:
                keyword = "rate" if "rate" in call.kwargs else "p" if "p" in call.kwargs else None
                value = call.kwargs[keyword] if keyword else call.arg("rate", 0)
                yield from self._judge(call, f"{call.short}", keyword, value, max_rate)
            elif call.short in _RECURRENT:
                for keyword in ("dropout", "recurrent_dropout"):
                    if keyword in call.kwargs:
                        yield from self._judge(call, f"{call.short}({keyword}=...)", keyword,
                                               call.kwargs[keyword], max_rate)

    @staticmethod
    def _judge(call: CallFact, what: str, keyword: str | None, value: object,
               max_rate: float) -> Iterator[Finding]:
        rate = number(value)
        if rate is None or rate < max_rate:
            return
        loc: Loc = call.kwarg_locs.get(keyword, call.loc) if keyword else call.loc
        shown = repr(value)
        if rate >= 1:
            hint = (f"use {rate / 100!r} for {shown}%" if rate > 1 else
                    "if this was a keep probability, the drop rate is 1 - keep_prob")
            name = what if "(" in what else f"{what}({shown})"
            yield Finding(
                loc,
                f"{name.replace('...', shown)}: the rate is the fraction of units dropped, in "
                f"[0, 1); Keras rejects {shown} (where accepted, every unit is dropped and nothing "
                f"before the layer can learn); {hint}",
                severity=Severity.ERROR,
            )
            return
        name = what.replace("...", shown) if "(" in what else f"{what}({shown})"
        yield Finding(
            loc,
            f"{name} drops {rate:.0%} of the units on every step and scales the rest by "
            f"{1 / (1 - rate):.0f}, so the gradient is mostly noise and the model barely learns; "
            f"use a rate of 0.1-0.5 (the rate is the fraction dropped, not kept)",
        )
