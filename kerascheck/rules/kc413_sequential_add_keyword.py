"""KC413: layer arguments given to `Sequential.add()` instead of the layer."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.fixes.intents import MoveKeywordIntoCall, intent
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext

# What Sequential.add accepts: the layer (Keras 2 and 3) and Keras 3's ``rebuild`` flag.
ADD_KEYWORDS = frozenset({"layer", "rebuild"})


class SequentialAddKeyword(Rule):
    """A layer argument (`input_shape=`, `activation=`...) is passed to `model.add()`: a TypeError.

    ## What it flags
    A keyword argument other than `layer` (and Keras 3's `rebuild`) in a call to `add` on a
    `Sequential` model, such as `model.add(Conv2D(32, (3, 3)), input_shape=(28, 28, 1))`: the
    closing parenthesis of the layer is in the wrong place.

    ## Why it breaks training
    `Sequential.add(layer)` takes the layer and nothing else, so the script stops with
    `TypeError: add() got an unexpected keyword argument 'input_shape'` before training starts.
    When the misplaced argument is `input_shape`, moving it is also what gives the model its input
    size; when it is `activation`, moving it is what makes the layer nonlinear.

    ## Example
    ```python
    from tensorflow import keras
    from tensorflow.keras import layers

    model = keras.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu"), input_shape=(28, 28, 1))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ```

    ## Fix
    ```python
    from tensorflow import keras
    from tensorflow.keras import layers

    model = keras.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ```

    ## References
    - https://keras.io/api/models/sequential/#add-method
    - https://keras.io/guides/sequential_model/
    """

    code = "KC413"
    name = "sequential-add-keyword"
    severity = Severity.ERROR
    fixable = "safe"
    fix_doc = ("Safe fix (the call raises TypeError as written): the keyword argument moves inside the "
               "layer call, `model.add(Dense(8), activation=\"relu\")` -> `model.add(Dense(8, "
               "activation=\"relu\"))`. No fix when the layer is not written in the call (a variable), "
               "already has that keyword or `**kwargs`, or the argument spans lines.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        once = OncePerLocation()
        for call in facts.method_calls:
            if call.name != "model.add":
                continue
            for keyword in call.keywords:
                if keyword in ADD_KEYWORDS:
                    continue
                loc = call.kwarg_locs.get(keyword, call.loc)
                if not once(loc):
                    continue
                yield Finding(
                    loc,
                    f"{keyword}= is passed to model.add(), which takes only the layer: this raises "
                    f"TypeError: add() got an unexpected keyword argument '{keyword}'; move it "
                    f"inside the layer's parentheses, model.add(Layer(..., {keyword}=...))",
                    fix=intent(f"Move `{keyword}=` into the layer call", MoveKeywordIntoCall(loc), safe=True),
                )
