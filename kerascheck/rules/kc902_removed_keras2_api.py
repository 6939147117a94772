"""KC902: Keras 1/2 functions, methods and modules that current Keras no longer has."""

from __future__ import annotations

from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts
from kerascheck.fixes.intents import FixIntent, JoinPositional, RenameMethod, ReplaceImportModule, intent
from kerascheck.rules.base import Finding, OncePerLocation, Rule, RuleContext

# Methods of Sequential/Model that are gone: name -> (when, what to write instead).
METHODS = {
    "predict_classes": ("removed in TensorFlow 2.6 (and absent from Keras 3)",
                        "np.argmax(model.predict(x), axis=-1), or (model.predict(x) > 0.5).astype("
                        "\"int32\") for a sigmoid output"),
    "predict_proba": ("removed in TensorFlow 2.6 (and absent from Keras 3)", "model.predict(x)"),
    "fit_generator": ("deprecated since TensorFlow 2.1 and removed in Keras 3",
                      "model.fit(generator, ...), which accepts generators and datasets"),
    "evaluate_generator": ("deprecated since TensorFlow 2.1 and removed in Keras 3",
                           "model.evaluate(generator, ...)"),
    "predict_generator": ("deprecated since TensorFlow 2.1 and removed in Keras 3",
                          "model.predict(generator, ...)"),
}
# Keras 1 layers and functions that Keras 2.0 already removed (no Keras 2 pin brings them back).
KERAS1_CALLS = {
    "Merge": "keras.layers.Concatenate()/Add()/Multiply()/Dot() called on a list of tensors",
    "merge": "keras.layers.concatenate([a, b]) (or add/multiply/dot)",
    "MaxoutDense": "a Dense layer followed by a max over a reshaped axis",
    "Highway": "a custom layer (Highway was dropped in Keras 2)",
    "TimeDistributedDense": "keras.layers.TimeDistributed(keras.layers.Dense(...)) or Dense on 3D input",
    "AtrousConvolution1D": "keras.layers.Conv1D(..., dilation_rate=...)",
    "AtrousConvolution2D": "keras.layers.Conv2D(..., dilation_rate=...)",
}
# Layers removed later (TensorFlow 2 / Keras 3): only when the file does not pin Keras 2.
LATER_CALLS = {
    "CuDNNLSTM": "keras.layers.LSTM (it uses cuDNN by itself when its arguments allow)",
    "CuDNNGRU": "keras.layers.GRU (it uses cuDNN by itself when its arguments allow)",
}
# Modules of standalone Keras 2 that Keras 3 dropped (imported as written): module -> what to import.
MODULES = {
    "keras.layers.core": "keras.layers",
    "keras.layers.convolutional": "keras.layers",
    "keras.layers.convolutional_recurrent": "keras.layers",
    "keras.layers.recurrent": "keras.layers",
    "keras.layers.cudnn_recurrent": "keras.layers",
    "keras.layers.embeddings": "keras.layers",
    "keras.layers.normalization": "keras.layers",
    "keras.layers.pooling": "keras.layers",
    "keras.layers.merge": "keras.layers",
    "keras.layers.advanced_activations": "keras.layers",
    "keras.layers.wrappers": "keras.layers",
    "keras.layers.noise": "keras.layers",
    "keras.layers.local": "keras.layers",
    "keras.utils.np_utils": "keras.utils (keras.utils.to_categorical)",
    "keras.utils.vis_utils": "keras.utils (keras.utils.plot_model)",
    "keras.utils.generic_utils": "keras.utils / keras.saving",
    "keras.engine": "keras / keras.layers (keras.Model, keras.layers.Layer)",
}
# Where a removed module's names moved one-to-one: module -> (new module, the names that moved, or
# None for every public name but ``_NOT_MOVED``). No entry (``keras.engine``): no fix.
MOVED_NAMES: dict[str, tuple[str, frozenset[str] | None]] = {
    **{module: ("keras.layers", None) for module in MODULES if module.startswith("keras.layers.")},
    "keras.utils.np_utils": ("keras.utils", frozenset({"to_categorical", "normalize"})),
    "keras.utils.vis_utils": ("keras.utils", frozenset({"plot_model", "model_to_dot"})),
    "keras.utils.generic_utils": ("keras.utils", frozenset(
        {"get_custom_objects", "custom_object_scope", "CustomObjectScope", "serialize_keras_object",
         "deserialize_keras_object", "Progbar", "register_keras_serializable"})),
}
# Layers of the old modules that current keras.layers does not have (a new path would not help).
_NOT_MOVED = frozenset({"Recurrent", "LocallyConnected1D", "LocallyConnected2D", "CuDNNLSTM", "CuDNNGRU",
                        "MaxoutDense", "Highway", "TimeDistributedDense", "Merge", "merge",
                        "AtrousConvolution1D", "AtrousConvolution2D", "InputSpec"})
# Methods with a one-to-one replacement: old -> (new, most positional arguments, keywords it lacks).
_GENERATOR_ONLY = frozenset({"workers", "use_multiprocessing", "max_queue_size", "pickle_safe",
                             "nb_worker", "samples_per_epoch", "nb_val_samples", "val_samples", "nb_epoch"})
RENAMED_METHODS = {
    "fit_generator": ("fit", 1, _GENERATOR_ONLY),
    "evaluate_generator": ("evaluate", 1, _GENERATOR_ONLY),
    "predict_generator": ("predict", 1, _GENERATOR_ONLY),
    "predict_proba": ("predict", None, frozenset()),
}
SKLEARN_WRAPPERS = ("keras.wrappers.scikit_learn", "tensorflow.keras.wrappers.scikit_learn")
# What makes a file "visibly Keras 2" (mirrors the extractor's markers), minus the wrappers themselves.
_PINS = ("tf_keras", "tensorflow.compat.v1", "keras.legacy")


class RemovedKeras2Api(Rule):
    """Keras 1/2 API that no longer exists (`predict_classes`, `fit_generator`, `merge`, `keras.wrappers.scikit_learn`...).

    ## What it flags
    - model methods removed from current Keras: `predict_classes` and `predict_proba` (gone since
      TensorFlow 2.6), `fit_generator`, `evaluate_generator` and `predict_generator` (deprecated since
      TensorFlow 2.1, removed in Keras 3); only on Keras models, never on scikit-learn estimators;
    - imports of `keras.wrappers.scikit_learn` (removed after TensorFlow/Keras 2.12) and of Keras 2 module
      paths that Keras 3 dropped (`keras.layers.core`, `keras.layers.convolutional`,
      `keras.utils.np_utils`, `keras.engine`...), once per import statement;
    - Keras 1 layers Keras 2.0 already removed (`Merge`, `merge`, `MaxoutDense`, `Highway`,
      `TimeDistributedDense`, `AtrousConvolution2D`), `CuDNNLSTM`/`CuDNNGRU`, and Keras 1's
      `Convolution2D(nb_filter, nb_row, nb_col)` call, whose third number is now the stride.

    Files that visibly target Keras 2 (they import `tf_keras`, `tensorflow.compat.v1`, or
    `keras.wrappers.scikit_learn` for the findings other than that import) are only checked for the
    Keras 1 items, which no Keras 2 has.

    ## Why it breaks training
    On a current TensorFlow or Keras 3 these lines fail before or right after training:
    `AttributeError: 'Sequential' object has no attribute 'predict_classes'`,
    `ModuleNotFoundError: No module named 'keras.wrappers'`, `ImportError` for the old module paths. The
    Keras 1 `Convolution2D(32, 3, 3)` does not fail at all: since Keras 2 its third argument is `strides`,
    so it builds a 3x3 convolution with stride 3 that throws away most of each feature map.

    ## Example
    ```python
    import numpy as np
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
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=128)
    classes = model.predict_classes(x_test)
    print(np.mean(classes == y_test))
    ```

    ## Fix
    ```python
    import numpy as np
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
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, batch_size=128)
    classes = np.argmax(model.predict(x_test), axis=-1)
    print(np.mean(classes == y_test))
    ```

    ## References
    - TensorFlow 2.6 release notes (`Sequential.predict_classes`/`predict_proba` removed).
    - Keras 3 migration guide: https://keras.io/guides/migrating_to_keras_3/
    - SciKeras, the maintained scikit-learn wrapper: https://adriangb.com/scikeras/
    """

    code = "KC902"
    name = "removed-keras2-api"
    severity = Severity.WARNING
    fixable = "mixed"
    fix_doc = ("Safe fixes where the replacement is one-to-one: `from keras.layers.core import Dense` -> "
               "`from keras.layers import Dense` (every `keras.layers.*` submodule), "
               "`from keras.utils.np_utils import to_categorical` -> `from keras.utils import "
               "to_categorical` (likewise `vis_utils`, `generic_utils` names that moved), "
               "`fit_generator`/`evaluate_generator`/`predict_generator` -> `fit`/`evaluate`/`predict` "
               "(when the call passes the generator alone positionally and no worker/queue keyword) and "
               "`predict_proba` -> `predict`. No fix for `import keras.layers.core` (the bound name "
               "would change), star imports, `predict_classes`, `keras.wrappers.scikit_learn` or removed layers. "
               "Keras 1's `Convolution2D(32, 3, 3)` becomes `Convolution2D(32, (3, 3))` (unsafe: the layer "
               "then has the 3x3 kernel and stride 1 its author meant, no longer stride 3).")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        pinned = facts.keras2_pinned
        other_pins = any(_under(name, _PINS) for name, _ in facts.imports)
        once = OncePerLocation()

        # Imports, once per import statement and module.
        reported: set[tuple[int, str]] = set()
        for name, loc in facts.imports:
            fix: FixIntent | None = None
            if _under(name, SKLEARN_WRAPPERS):
                if other_pins:
                    continue
                module = next(m for m in SKLEARN_WRAPPERS if _under(name, (m,)))
                message = (f"`{module}` was removed after TensorFlow/Keras 2.12 and is not in Keras 3: "
                           f"this import fails on a current install; use `from scikeras.wrappers import "
                           f"KerasClassifier, KerasRegressor` (pip install scikeras)")
            elif not pinned and (module := _removed_module(name)) is not None:
                message = (f"`{module}` is a Keras 2 module path that Keras 3 (and recent tf.keras) no "
                           f"longer has: this import fails; import from {MODULES[module]} instead")
                if module in MOVED_NAMES:
                    new, names = MOVED_NAMES[module]
                    fix = intent(f"Import from `{new}`", ReplaceImportModule(
                        loc, module, new, names, _NOT_MOVED), safe=True)
            else:
                continue
            key = (id(loc.top) if loc.top is not None else id(loc), module)
            if key in reported or not once(loc):
                continue
            reported.add(key)
            yield Finding(loc, message, fix=fix)

        # Library calls.
        for call in facts.calls:
            if not call.name.startswith("keras.layers."):
                continue
            short = call.short
            fix = None
            if short in KERAS1_CALLS:
                message = (f"{short}(...) is Keras 1 API that Keras 2.0 removed: it fails with "
                           f"tf.keras and Keras 3; use {KERAS1_CALLS[short]}")
            elif short in LATER_CALLS and not pinned:
                message = (f"{short} was removed in TensorFlow 2 and Keras 3; use {LATER_CALLS[short]}")
            elif short == "Convolution2D" and _keras1_conv(call.args, call.kwargs):
                n, rows, cols = call.args[:3]
                effect = (f"a {rows}x{rows} kernel with stride {cols} that skips most positions of "
                          f"each feature map" if cols > 1 else
                          f"a {rows}x{rows} kernel instead of {rows}x{cols}")
                message = (f"Convolution2D({n}, {rows}, {cols}) is Keras 1's (nb_filter, nb_row, "
                           f"nb_col): since Keras 2 the third argument is strides, so this builds "
                           f"{effect}; write Conv2D({n}, ({rows}, {cols}))")
                fix = intent(f"Pass the kernel size as one tuple: ({rows}, {cols})",
                             JoinPositional(call.loc, 1, 2), safe=False)
            else:
                continue
            if once(call.loc):
                yield Finding(call.loc, message, fix=fix)

        # Model methods.
        if pinned:
            return
        for method in facts.method_calls:
            short = method.name.rsplit(".", 1)[-1]
            if short in METHODS and once(method.loc):
                when, instead = METHODS[short]
                fix = None
                if short in RENAMED_METHODS:
                    new, positional, forbidden = RENAMED_METHODS[short]
                    fix = intent(f"Call `{new}` instead of `{short}`", RenameMethod(
                        method.loc, short, new, positional, forbidden), safe=True)
                yield Finding(method.loc, f"model.{short}() was {when}: on a current install this line "
                                          f"raises AttributeError; use {instead}", fix=fix)


def _under(name: str, modules: tuple[str, ...]) -> bool:
    return any(name == m or name.startswith(m + ".") for m in modules)


def _removed_module(name: str) -> str | None:
    """The removed Keras 2 module ``name`` imports from (``keras.layers.core.Dense`` -> its module).

    A bare ``from keras.layers import merge`` is left to the call check: in Keras 1 ``merge`` is a
    function, in Keras 2 a module.
    """
    for module in MODULES:
        if name.startswith(module + ".") or (name == module and module != "keras.layers.merge"):
            return module
    return None


def _keras1_conv(args: tuple, kwargs: dict) -> bool:
    """``Convolution2D(32, 3, 3)``: three positional integers and no Keras 2 kernel/stride keyword."""
    if len(args) < 3 or "kernel_size" in kwargs or "strides" in kwargs:
        return False
    return all(isinstance(a, int) and not isinstance(a, bool) for a in args[:3])
