"""Shared predicates of the data rules (KC301-KC303): where fit's inputs come from, what the model does
to them first. Not a rule module (the leading underscore keeps it out of discovery)."""

from __future__ import annotations

from typing import Iterator

from kerascheck.facts.model import DataFact, FileFacts, FitFacts, ModelFacts

# keras.datasets loaders whose features are raw uint8 pixels in [0, 255].
IMAGE_DATASETS = {
    "dataset:mnist": "keras.datasets.mnist",
    "dataset:fashion_mnist": "keras.datasets.fashion_mnist",
    "dataset:cifar10": "keras.datasets.cifar10",
    "dataset:cifar100": "keras.datasets.cifar100",
}
# Transforms that move or cast values but keep their range: data that went only through these is
# still raw. Any other transform (scaled, shifted, log, onehot, multiple, an unknown one) means the
# values may have changed, and the data rules stay quiet.
RANGE_KEEPING = frozenset({"reshaped", "cast", "nan_handled", "image_generator"})

# Layers that rescale, standardise or re-encode what reaches them, or may (Lambda, op layers):
# a model holding one anywhere may take care of raw inputs itself.
INPUT_HANDLING_LAYERS = frozenset(
    {
        "Rescaling", "Normalization", "Lambda", "TFOpLambda", "SlicingOpLambda",
        "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
        "SyncBatchNormalization", "TorchModuleWrapper", "JaxLayer", "FlaxLayer", "DenseFeatures",
        "Discretization", "CategoryEncoding", "StringLookup", "IntegerLookup", "Hashing",
        "HashedCrossing", "TextVectorization", "Embedding", "Application",
    }
)
# Merge layers: several inputs, and we only follow the first one's branch.
MERGE_LAYERS = frozenset(
    {"concatenate", "add", "subtract", "multiply", "average", "maximum", "minimum", "dot"}
)


def fits(facts: FileFacts) -> Iterator[tuple[ModelFacts, FitFacts]]:
    """Every ``fit`` of every model, with its model."""
    for model in facts.models:
        for fit in model.fits:
            yield model, fit


def keeps_raw_range(data: DataFact) -> bool:
    """True when nothing on the way to ``fit`` may have rescaled ``data``."""
    return all(t in RANGE_KEEPING for t in data.transforms)


def model_may_handle_inputs(model: ModelFacts, depth: int = 0) -> bool:
    """True unless every layer of the model is visible and none may rescale its inputs.

    Silence is the answer whenever the model is not completely known: a layer built elsewhere, a user
    layer, a ``keras.applications`` base (many rescale internally), a ``Lambda`` or a tensor operation
    between layers (``inputs / 255.0``), a nested model that does any of these, or several inputs.
    """
    if not model.complete or depth > 4:
        return True
    if not model.raw_layers:
        return True  # a model computed by raw tensor ops only: its arithmetic is not visible as layers
    for layer in model.raw_layers:
        if layer.follows_op or layer.application is not None:
            return True
        if layer.kind in INPUT_HANDLING_LAYERS or layer.kind.lower() in MERGE_LAYERS:
            return True
        if layer.nested_model is not None:
            if model_may_handle_inputs(layer.nested_model, depth + 1):
                return True
            continue
        if not (layer.name or "").startswith("keras.layers."):
            return True  # a user layer or an object we do not know
    return False


def shown_name(data: DataFact, default: str) -> str:
    """The variable name the data is passed as, for messages."""
    return data.source_name or default
