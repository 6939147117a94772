"""Shared helpers of the loss/output/metric rules (KC101-KC110).

Private (the leading underscore keeps rule discovery out of it). Every helper answers "not known"
rather than guess, so the rules built on them stay quiet on incomplete facts.
"""

from __future__ import annotations

from typing import Iterator

from kerascheck.facts import keras_api as api
from kerascheck.facts.model import DataFact, LayerFact, LossFact, MetricFact, ModelFacts

# Activations whose outputs lie in [0, 1], as the probability losses expect.
PROBABILITY_OUTPUTS = frozenset({"softmax", "sigmoid", "hard_sigmoid"})
# Activations whose outputs are not probabilities: a cross-entropy without from_logits takes the log
# of values outside (0, 1) (log_softmax outputs are log-probabilities, all negative).
UNBOUNDED_OUTPUTS = frozenset(
    {"linear", "relu", "relu6", "tanh", "elu", "selu", "softplus", "softsign", "leaky_relu",
     "prelu", "gelu", "silu", "mish", "exponential", "log_softmax"}
)
# Regression losses whose pairing with a classification head is wrong (poisson is left out: on a
# softmax head with one-hot labels it equals cross-entropy plus a constant).
REGRESSION_LOSSES = api.REGRESSION_LOSSES
# Losses of a model that predicts continuous values (for the metric and output-range rules).
CONTINUOUS_LOSSES = REGRESSION_LOSSES | {"poisson"}
CLASS_LABEL_KINDS = frozenset({"onehot", "integer", "binary"})


def compiled(facts_models: tuple[ModelFacts, ...]) -> Iterator[tuple[ModelFacts, LossFact]]:
    """Single-output models compiled with a built-in loss (a known canonical name)."""
    for model in facts_models:
        compile_ = model.compile
        if compile_ is None or compile_.loss is None or compile_.loss.name is None:
            continue
        if model.outputs != 1:
            continue
        yield model, compile_.loss


def labels(model: ModelFacts) -> Iterator[DataFact]:
    """The labels of each ``fit`` of ``model`` made under its (last) compile."""
    for fit in model.fits:
        if fit.y is not None and fit.compile is not None and fit.compile == model.compile:
            yield fit.y


def is_onehot(y: DataFact) -> bool:
    return y.label_kind == "onehot"


def is_integer(y: DataFact) -> bool:
    """Integer class labels that were not one-hot encoded on the way to ``fit``."""
    return y.label_kind == "integer" and not y.has("onehot", "multihot", "label_scaled")


def has_class_labels(model: ModelFacts) -> bool:
    """Some ``fit`` of the model is visibly given class labels (one-hot or integer classes)."""
    return any(
        y.label_kind in CLASS_LABEL_KINDS and not y.has("label_scaled") for y in labels(model)
    )


def classifier_loss_fix(model: ModelFacts) -> str | None:
    """The classification loss to use when the model is visibly a classifier trained with a
    regression loss (KC107's case), else None. KC106 defers to KC107 exactly when this is set."""
    head = model.head
    if head is None or any(visibly_continuous(y) for y in labels(model)):
        return None  # continuous targets: the head is what is wrong (KC112), not the loss
    class_labels = has_class_labels(model)
    if head.activation == "softmax" and head.units != 1 and (
            class_labels or accuracy_metrics(model)):
        return "categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy"
    if head.activation == "sigmoid" and head.units == 1 and class_labels and not any(
            y.num_classes is not None and y.num_classes > 2 for y in labels(model)):
        # A one-unit sigmoid on 10-class labels has another problem than its loss (KC109).
        return "binary_crossentropy"
    if head.activation == "sigmoid" and head.units is not None and head.units > 1 and (
            class_labels):
        return 'activation="softmax" with categorical_crossentropy'
    return None


def visibly_continuous(y: DataFact) -> bool:
    """Targets seen to be continuous values rather than class labels or 0/1 (a regression
    generator, arithmetic on a range, a value range that is not {0, 1})."""
    if y.label_kind in CLASS_LABEL_KINDS or y.label_kind == "multilabel":
        return False
    return y.label_kind == "continuous" or (y.bounds is not None and y.values is None)


def accuracy_metrics(model: ModelFacts) -> tuple[MetricFact, ...]:
    if model.compile is None:
        return ()
    return tuple(m for m in model.compile.metrics if m.name in api.ACCURACY_METRICS)


def last_activation(model: ModelFacts) -> str | None:
    """The activation of the last visible layer that has units, even for incomplete models.

    Only used to stay quiet ("this looks like a classifier"), never to report.
    """
    for layer in reversed(model.layers):
        if layer.units is not None or layer.kind in api.UNIT_ARGUMENT:
            return layer.activation
        if layer.kind in ("Activation", "Softmax") and layer.activation:
            return layer.activation
    return None


def describe(layer: LayerFact) -> str:
    """``Dense(10, activation="softmax")`` for messages."""
    units = "" if layer.units is None else str(layer.units)
    if layer.activation is None:
        return f"{layer.kind}({units})"
    sep = ", " if units else ""
    return f'{layer.kind}({units}{sep}activation="{layer.activation}")'


def one_target_per_sample(model: ModelFacts) -> bool:
    """Some ``fit`` of the model is visibly given one target per sample, not one per timestep or
    pixel: labels of a ``keras.datasets`` loader or a scikit-learn generator, class labels encoded
    by ``LabelEncoder``/``to_categorical``, or a column of a CSV file (not reshaped on the way).
    Sequence-labelling and segmentation targets are built by hand and never look like that."""
    for fit in model.fits:
        y = fit.y
        if y is None or y.role == "features" or y.has("reshaped", "multiple"):
            continue
        if y.origin.startswith("dataset:") or y.origin == "synthetic":
            return True
        if y.origin == "runtime" and y.rank is not None and y.rank <= 2:
            return True  # measured on the live targets: one row per sample, not one per timestep
        if y.label_kind in CLASS_LABEL_KINDS and (y.has("encoded", "to_categorical")
                                                  or y.origin == "read_csv"):
            return True
    return False
