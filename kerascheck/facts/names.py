"""Resolving what a name in the source refers to, from the file's import statements alone.

libcst's ``QualifiedNameProvider`` costs ~9x the parse (DESIGN.md), and Keras code names its library
through a handful of import idioms, so we read the imports ourselves and then canonicalise the many
spellings of one Keras object to one name:

- ``tensorflow.keras.layers.Dense``, ``tf_keras.layers.Dense``, ``keras.layers.core.Dense``,
  ``keras.src.layers.Dense`` -> ``keras.layers.Dense``
- ``tensorflow.log``, ``tensorflow.math.log`` -> ``tf.math.log``; ``jax.numpy.log`` -> ``jnp.log``
"""

from __future__ import annotations

import libcst as cst

from kerascheck.facts.keras_api import snake  # noqa: F401  (re-exported)

# Prefixes under which the Keras API lives; all become "keras.".
_KERAS_PREFIXES = (
    "tensorflow.python.keras.",
    "tensorflow.compat.v1.keras.",
    "tensorflow.compat.v2.keras.",
    "tensorflow.keras.",
    "keras.api._v2.keras.",
    "keras._tf_keras.keras.",
    "keras.src.",
    "tf_keras.src.",
    "tf_keras.",
)
_KERAS_ROOTS = {"tensorflow.keras", "tf_keras", "tensorflow.python.keras", "tensorflow.compat.v1.keras"}

# keras.<package>.<anything>.<Name> collapses to keras.<package>.<Name>.
_FLAT_PACKAGES = (
    "layers", "losses", "metrics", "activations", "initializers", "regularizers", "constraints",
    "callbacks", "utils", "backend", "ops", "applications", "datasets",
)

# TensorFlow functions also exposed at top level or under tf.nn that we treat as tf.math.*.
_TF_MATH = frozenset(
    {
        "log", "log1p", "exp", "sqrt", "rsqrt", "pow", "square", "abs", "maximum", "minimum",
        "divide", "truediv", "divide_no_nan", "div_no_nan", "reduce_sum", "reduce_mean",
        "reduce_max", "reduce_min", "reduce_std", "reduce_variance", "reduce_logsumexp", "sigmoid",
        "softplus", "add", "multiply", "subtract", "negative", "reciprocal", "xlogy", "log_sigmoid",
        "l2_normalize", "reduce_prod", "count_nonzero", "clip_by_value", "squared_difference",
        "sign", "tanh", "erf", "softmax", "log_softmax", "reciprocal_no_nan",
    }
)


class ImportTable:
    """Maps local names bound by import statements to dotted module paths."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.imported: list[tuple[str, cst.CSTNode]] = []  # full dotted name, node (for removed-API rules)

    def add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            self.imported.append((dotted, alias.name))
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.names[alias.asname.name.value] = dotted
            else:
                top = dotted.split(".", 1)[0]
                self.names[top] = top

    def add_import_from(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        if module is None or isinstance(node.names, cst.ImportStar):
            if module is not None:
                self.imported.append((module + ".*", node.module))
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            full = f"{module}.{alias.name.value}"
            self.imported.append((full, alias.name))
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.names[local] = full

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The canonical name of ``tf.keras.layers.Dense``-like expressions, or None."""
        parts = _dotted_parts(node)
        if parts is None:
            return None
        base = self.names.get(parts[-1])
        if base is None:
            return None
        parts[-1] = base
        return canonical(".".join(reversed(parts)))

    def mentions(self, *roots: str) -> bool:
        return any(full == r or full.startswith(r + ".") for full, _ in self.imported for r in roots)


def dotted_name(node: cst.BaseExpression) -> str | None:
    parts = _dotted_parts(node)
    return None if parts is None else ".".join(reversed(parts))


def _dotted_parts(node: cst.BaseExpression) -> list[str] | None:
    """``a.b.c`` -> ``["c", "b", "a"]`` (last attribute first, the root name last), None when the
    expression is not a dotted name; ``resolve`` swaps the root for what it was imported as."""
    parts: list[str] = []
    # Exact type tests: libcst's classes are ABCs, and a failing ``isinstance`` is slow (no subclasses).
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return parts


def canonical(dotted: str) -> str:
    """One spelling per library object (see the module docstring)."""
    for prefix in _KERAS_PREFIXES:
        if dotted.startswith(prefix):
            dotted = "keras." + dotted[len(prefix):]
            break
    else:
        if dotted in _KERAS_ROOTS:
            return "keras"
    if dotted.startswith("keras."):
        return _canonical_keras(dotted)
    if dotted.startswith("tensorflow"):
        dotted = "tf" + dotted[len("tensorflow"):]
        parts = dotted.split(".")
        if len(parts) == 2 and parts[1] in _TF_MATH:
            return "tf.math." + parts[1]
        if len(parts) == 3 and parts[1] in ("nn", "math") and parts[2] in _TF_MATH:
            return "tf.math." + parts[2]
        if len(parts) == 3 and parts[1] == "experimental" and parts[2] == "numpy":
            return "tf.experimental.numpy"
        if len(parts) == 3 and parts[1] in ("losses", "metrics"):
            # TF 2's tf.losses / tf.metrics are tf.keras.losses / tf.keras.metrics.
            return _canonical_keras("keras." + parts[1] + "." + parts[2])
        return dotted
    if dotted.startswith("jax.numpy"):
        return "jnp" + dotted[len("jax.numpy"):]
    return dotted


def _canonical_keras(dotted: str) -> str:
    parts = dotted.split(".")
    if len(parts) < 2:
        return dotted
    package = parts[1]
    if package in ("engine", "models", "engine.training"):
        last = parts[-1]
        if last in ("Sequential", "Model", "Input", "load_model", "model_from_json", "clone_model"):
            return "keras." + last
        return "keras.models." + last
    if package == "optimizers":
        if "schedules" in parts[2:-1] or (len(parts) > 2 and parts[2] == "schedules"):
            return "keras.schedules." + parts[-1] if len(parts) > 3 else "keras.schedules"
        if len(parts) > 3 and parts[2] == "legacy":
            # keras.optimizers.legacy.Adam keeps "legacy": it still accepts lr=/decay= (KC205).
            return "keras.optimizers.legacy." + parts[-1]
        return "keras.optimizers." + parts[-1] if len(parts) > 2 else "keras.optimizers"
    if package == "datasets":
        return dotted
    if package == "preprocessing":
        last = parts[-1]
        if last in ("image_dataset_from_directory", "timeseries_dataset_from_array",
                    "text_dataset_from_directory"):
            return "keras.utils." + last
        return "keras.preprocessing." + last if len(parts) > 2 else dotted
    if package == "applications":
        # keras.applications.resnet50.preprocess_input keeps its family for messages
        if len(parts) > 3 and parts[-1] in ("preprocess_input", "decode_predictions"):
            return "keras.applications." + parts[-1]
        return "keras.applications." + parts[-1] if len(parts) > 2 else dotted
    if package in _FLAT_PACKAGES and len(parts) > 2:
        if package == "layers" and parts[-1] == "Input":
            return "keras.Input"
        return f"keras.{package}.{parts[-1]}"
    if package == "Input":
        return "keras.Input"
    return dotted

