"""KC901: Keras 1 keyword arguments that current Keras rejects."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import CallFact, FileFacts, Loc
from kerascheck.fixes.intents import DeleteArgument, FixIntent, RenameKeyword, intent
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext

_DROPOUTS = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                       "GaussianDropout", "AlphaDropout"})
_POOL_1D = frozenset({"MaxPooling1D", "AveragePooling1D", "MaxPool1D", "AvgPool1D"})
_UNITS = frozenset({"Dense", "SimpleRNN", "LSTM", "GRU"})
_WEIGHTED = _UNITS | frozenset(api.UNIT_ARGUMENT) | frozenset({"Embedding"})

# Keras 1 layer keyword -> (Keras 2+ spelling, layers it applies to (None: any Keras layer)).
# ``output_dim`` is only renamed on Dense and the recurrent layers: on Embedding it is still valid.
LAYER_KEYWORDS: dict[str, tuple[str | None, frozenset[str] | None]] = {
    "init": ("kernel_initializer", None),
    "inner_init": ("recurrent_initializer", None),
    "output_dim": ("units", _UNITS),
    "border_mode": ("padding", None),
    "subsample": ("strides", None),
    "subsample_length": ("strides", None),
    "filter_length": ("kernel_size", None),
    "pool_length": ("pool_size", None),
    "stride": ("strides", _POOL_1D),
    "W_regularizer": ("kernel_regularizer", None),
    "b_regularizer": ("bias_regularizer", None),
    "U_regularizer": ("recurrent_regularizer", None),
    "W_constraint": ("kernel_constraint", None),
    "b_constraint": ("bias_constraint", None),
    "U_constraint": ("recurrent_constraint", None),
    "dim_ordering": ("data_format", None),
    "nb_filter": ("filters", None),
    "nb_row": ("kernel_size", None),
    "nb_col": ("kernel_size", None),
    "p": ("rate", _DROPOUTS),
    "sigma": ("stddev", frozenset({"GaussianNoise"})),
    "dropout_W": ("dropout", None),
    "dropout_U": ("recurrent_dropout", None),
    "inner_activation": ("recurrent_activation", None),
    "consume_less": ("implementation", None),
    "bias": ("use_bias", _WEIGHTED),
    "beta_init": ("beta_initializer", None),
    "gamma_init": ("gamma_initializer", None),
    "mode": (None, frozenset({"BatchNormalization"})),
}
# Embedding's weights are "embeddings", not "kernel".
EMBEDDING_KEYWORDS = {
    "init": "embeddings_initializer",
    "W_regularizer": "embeddings_regularizer",
    "W_constraint": "embeddings_constraint",
}
# Keras 1 keywords of the training methods -> (Keras 2+ spelling or None to delete, methods).
METHOD_KEYWORDS: dict[str, tuple[str | None, frozenset[str]]] = {
    "nb_epoch": ("epochs", frozenset({"fit", "fit_generator"})),
    "samples_per_epoch": ("steps_per_epoch", frozenset({"fit_generator"})),
    "nb_val_samples": ("validation_steps", frozenset({"fit_generator"})),
    "val_samples": ("steps", frozenset({"evaluate_generator", "predict_generator"})),
    "show_accuracy": (None, frozenset({"fit", "evaluate"})),
}
# Keras 1 values that changed with the keyword.
_VALUE_RENAMES = {"dim_ordering": {"th": "channels_first", "tf": "channels_last"}}
# Keras 1's functional Model(input=..., output=...).
MODEL_KEYWORDS = {"input": "inputs", "output": "outputs"}

_WHY = ("uses a Keras 1 keyword: Keras 2.0-2.3 translated it with a warning, but tf.keras and Keras 3 "
        "reject it (TypeError/ValueError) before training starts")


class RemovedKeras2Argument(Rule):
    """Keras 1 keyword argument (`nb_epoch`, `init`, `output_dim`, `border_mode`...): tf.keras and Keras 3 reject it.

    ## What it flags
    Keyword arguments that only Keras 1 understood, at each keyword: `nb_epoch` in `fit` (now `epochs`),
    `samples_per_epoch`/`nb_val_samples` in `fit_generator`, `show_accuracy`; on layers `init`
    (`kernel_initializer`, `embeddings_initializer` on Embedding), `output_dim` on Dense and recurrent
    layers (`units`; on `Embedding` `output_dim` is still correct), `border_mode` (`padding`), `subsample`
    (`strides`), `W_regularizer`/`b_regularizer` (`kernel_regularizer`/`bias_regularizer`), `dim_ordering`
    (`data_format`), `nb_filter`/`nb_row`/`nb_col` (`filters`/`kernel_size`), `p` on Dropout (`rate`),
    `inner_init`, `inner_activation`, `dropout_W`/`dropout_U` (`dropout`/`recurrent_dropout`), `mode` on
    BatchNormalization; and `Model(input=..., output=...)` (`inputs`/`outputs`).

    ## Why it breaks training
    Keras 2.0-2.3 still translated these Keras 1 names with a deprecation warning, so old tutorials and
    answers use them everywhere. Every later Keras (tf.keras, `tf_keras`, Keras 3) rejects an unknown
    keyword: `fit(nb_epoch=10)` raises `TypeError: fit() got an unexpected keyword argument 'nb_epoch'`
    and `Dense(64, init="uniform")` raises a `TypeError`/`ValueError` about an unrecognized keyword, so the
    script stops before training. Unless you really run Keras 2.3 or older, rename the argument.

    ## Example
    ```python
    import numpy as np
    import keras
    from keras import layers

    X = np.random.rand(1000, 8).astype("float32")
    y = (X.sum(axis=1) > 4).astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(8,)),
        layers.Dense(12, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X, y, nb_epoch=150, batch_size=10)
    ```

    ## Fix
    ```python
    import numpy as np
    import keras
    from keras import layers

    X = np.random.rand(1000, 8).astype("float32")
    y = (X.sum(axis=1) > 4).astype("float32")

    model = keras.Sequential([
        keras.Input(shape=(8,)),
        layers.Dense(12, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X, y, epochs=150, batch_size=10)
    ```

    ## References
    - Keras 2.0 release notes (API changes from Keras 1): https://github.com/keras-team/keras/releases/tag/2.0.0
    - Keras layers API: https://keras.io/api/layers/
    """

    code = "KC901"
    name = "removed-keras2-argument"
    severity = Severity.WARNING
    fixable = "mixed"
    fix_doc = ("One-to-one renames are safe fixes: `nb_epoch` -> `epochs`, `init` -> `kernel_initializer` "
               "(`embeddings_initializer` on Embedding), `output_dim` -> `units`, `border_mode` -> "
               "`padding`, `subsample` -> `strides`, `nb_filter` -> `filters`, `W_regularizer` -> "
               "`kernel_regularizer`, `p` -> `rate`, `dim_ordering=\"th\"` -> `data_format=\"channels_first\"`, "
               "`Model(input=, output=)` -> `Model(inputs=, outputs=)`... Deleting `show_accuracy` is "
               "unsafe (nothing prints the accuracy any more), and so is deleting BatchNormalization's `mode` "
               "unless it is 0. No fix where the new keyword is already given, for `nb_row`/`nb_col` (they "
               "merge into `kernel_size`), for `consume_less`, and for the sample counts of "
               "`fit_generator` (they become batch counts).")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        once = OncePerLocation()

        for call in facts.calls:
            if call.name.startswith("keras.layers."):
                for finding in _layer_findings(call):
                    if once(finding.loc):
                        yield finding
            elif call.name in ("keras.Model", "keras.models.Model"):
                for old, new in MODEL_KEYWORDS.items():
                    loc = call.kwarg_locs.get(old)
                    if loc is not None and new not in call.kwargs and once(loc):
                        yield Finding(loc, f"Model({old}=...) {_WHY}; write Model({new}=...)",
                                      fix=_rename(loc, old, new))
        for method in facts.method_calls:
            short = method.name.rsplit(".", 1)[-1]
            for old, (new, methods) in METHOD_KEYWORDS.items():
                loc = method.kwarg_locs.get(old)
                if loc is None or short not in methods or not once(loc):
                    continue
                fix = None
                if new is None:
                    advice = "delete it (pass metrics=[\"accuracy\"] to compile instead)"
                    fix = intent(f"Remove `{old}=`", DeleteArgument(loc), safe=False)
                elif old in ("samples_per_epoch", "nb_val_samples", "val_samples"):
                    advice = f"write {new}= and count batches, not samples (samples // batch_size)"
                else:
                    advice = f"rename it to {new}="
                    if new not in method.keywords:
                        fix = _rename(loc, old, new)
                yield Finding(loc, f"{short}({old}=...) {_WHY}; {advice}", fix=fix)


def _layer_findings(call: CallFact) -> Iterator[Finding]:
    kind = api.canonical_layer_kind(call.short)
    for old, loc in call.kwarg_locs.items():
        spec = LAYER_KEYWORDS.get(old)
        if spec is None:
            continue
        new, kinds = spec
        if kinds is not None and kind not in kinds:
            continue
        if kind == "Embedding" and old in EMBEDDING_KEYWORDS:
            new = EMBEDDING_KEYWORDS[old]
        value = call.kwargs.get(old)
        fix = None
        if new is None:
            advice = "delete it"
            if old == "mode":  # Keras 1 mode=0 is today's (feature-wise) batch normalization
                fix = intent(f"Remove `{old}=`", DeleteArgument(loc), safe=value == 0)
        elif old in ("nb_row", "nb_col"):
            advice = f"write kernel_size={_kernel_size(call)}"
        elif new in call.kwargs:
            advice = f"delete it ({new}= is already given)"
        else:
            renames = _VALUE_RENAMES.get(old)
            if renames is None:
                fix = None if old == "consume_less" else _rename(loc, old, new)
            elif isinstance(value, str) and value in renames:
                fix = _rename(loc, old, new, ((value, renames[value]),))
            if isinstance(value, str):
                value = _VALUE_RENAMES.get(old, {}).get(value, value)
            advice = f"write {new}={_show(value, old)}"
        yield Finding(loc, f"{call.short}({old}=...) {_WHY}; {advice}", fix=fix)


def _rename(loc: Loc, old: str, new: str, values: tuple[tuple[str, str], ...] = ()) -> FixIntent:
    return intent(f"Rename `{old}` to `{new}`", RenameKeyword(loc, new, values), safe=True)


def _kernel_size(call: CallFact) -> str:
    rows, cols = call.kwargs.get("nb_row"), call.kwargs.get("nb_col")
    if isinstance(rows, int) and isinstance(cols, int):
        return f"({rows}, {cols})"
    return "(nb_row, nb_col)"


def _show(value: Any, old: str = "") -> str:
    if old == "consume_less":
        return "1 or 2"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, int, float)):
        return repr(value)
    return "..."
