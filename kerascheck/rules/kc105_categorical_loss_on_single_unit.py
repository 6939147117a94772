"""KC105: a categorical cross-entropy on a one-unit output."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts
from kerascheck.rules._outputs import compiled, describe
from kerascheck.rules.base import Finding, Rule, RuleContext


class CategoricalLossOnSingleUnit(Rule):
    """(Sparse) categorical cross-entropy on a model with a single output unit.

    ## What it flags
    `categorical_crossentropy` or `sparse_categorical_crossentropy` (any spelling, focal variants
    included) when the model's last layer has one unit, typically `Dense(1, activation="sigmoid")`
    in a binary classifier.

    ## Why it breaks training
    Categorical cross-entropy compares a distribution over classes with the labels. Over one unit the
    output is normalised to 1.0 (Keras divides the outputs by their sum, or applies softmax when
    `from_logits=True`), so the loss is `-y * log(1) = 0` for every sample: there is no gradient and
    the weights never change. The sparse variant reads the label as a class index into the single
    output, so a label of 1 is out of range: an error on CPU, a NaN loss on GPU.

    ## Example
    ```python
    from keras.models import Sequential
    from keras.layers import Dense

    model = Sequential()
    model.add(Dense(16, input_dim=8, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    from keras.models import Sequential
    from keras.layers import Dense

    model = Sequential()
    model.add(Dense(16, input_dim=8, activation="relu"))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    ```
    For two classes keep one sigmoid unit with `binary_crossentropy`; for more classes use
    `Dense(n_classes, activation="softmax")` with a categorical loss.

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    """

    code = "KC105"
    name = "categorical-loss-on-single-unit"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in api.CATEGORICAL_LOSSES | api.SPARSE_LOSSES:
                continue
            head = model.head
            if head is None or head.units != 1:
                continue
            if loss.name in api.SPARSE_LOSSES:
                why = ("labels are class indexes into a single output, so label 1 is out of range "
                       "(an error on CPU, NaN loss on GPU)")
            else:
                why = "the one output normalises to 1.0, so the loss is always 0 and nothing learns"
            yield Finding(
                loss.loc,
                f"{loss.name} on {describe(head)}: {why}; use binary_crossentropy with one "
                f'sigmoid unit, or Dense(n_classes, activation="softmax") for several classes',
            )
