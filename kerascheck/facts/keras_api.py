"""What the extractor knows about Keras' API: aliases, defaults and argument positions.

Kept as plain tables so that supporting one more spelling is one line, and rules can share the
vocabulary (``REGRESSION_LOSSES``, ``ADAPTIVE_OPTIMIZERS``...).
"""

from __future__ import annotations

import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    """``MeanSquaredError`` -> ``mean_squared_error``; ``KLDivergence`` -> ``kl_divergence``.

    Lives here, not in ``names`` (which needs libcst), so rules can share this vocabulary without
    importing the parser: a cached run never loads libcst at all.
    """
    if name.startswith("KL"):
        return "kl_" + snake(name[2:]).lstrip("_")
    return _CAMEL.sub("_", name).lower()

LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "huber_loss": "huber",
    "logcosh": "log_cosh",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "k_l_divergence": "kl_divergence",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
    "scce": "sparse_categorical_crossentropy",
    "binary_cross_entropy": "binary_crossentropy",
    "categorical_cross_entropy": "categorical_crossentropy",
    "sparse_categorical_cross_entropy": "sparse_categorical_crossentropy",
}

KNOWN_LOSSES = frozenset(
    {
        "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error", "huber", "log_cosh", "poisson", "kl_divergence",
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
        "binary_focal_crossentropy", "categorical_focal_crossentropy",
        "sparse_categorical_focal_crossentropy", "hinge", "squared_hinge", "categorical_hinge",
        "cosine_similarity", "ctc", "tversky", "dice", "circle",
    }
)

REGRESSION_LOSSES = frozenset(
    {
        "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error", "huber", "log_cosh",
    }
)
CROSSENTROPY_LOSSES = frozenset(
    {
        "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
        "binary_focal_crossentropy", "categorical_focal_crossentropy",
        "sparse_categorical_focal_crossentropy",
    }
)
BINARY_LOSSES = frozenset({"binary_crossentropy", "binary_focal_crossentropy"})
CATEGORICAL_LOSSES = frozenset(
    {"categorical_crossentropy", "categorical_focal_crossentropy"}
)
SPARSE_LOSSES = frozenset(
    {"sparse_categorical_crossentropy", "sparse_categorical_focal_crossentropy"}
)

METRIC_ALIASES = {
    "acc": "accuracy",
    "binary_acc": "binary_accuracy",
    "categorical_acc": "categorical_accuracy",
    "sparse_categorical_acc": "sparse_categorical_accuracy",
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "a_u_c": "auc",
    "r_m_s_e": "root_mean_squared_error",
    "root_mean_squared_error": "root_mean_squared_error",
}
ACCURACY_METRICS = frozenset(
    {"accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
     "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy"}
)

ACTIVATION_ALIASES = {
    "none": "linear",
    "linear": "linear",
    "identity": "linear",
    "swish": "silu",
    "leakyrelu": "leaky_relu",
    "leaky_re_lu": "leaky_relu",
    "re_lu": "relu",
    "p_re_lu": "prelu",
    "e_l_u": "elu",
    "log_softmax": "log_softmax",
}
SATURATING_ACTIVATIONS = frozenset({"sigmoid", "tanh", "hard_sigmoid", "softsign"})
PROBABILITY_ACTIVATIONS = frozenset({"softmax", "sigmoid"})

# Optimizer kind -> Keras 3 default learning rate (used for string optimizers and omitted rates).
OPTIMIZER_DEFAULT_LR = {
    "SGD": 0.01, "Adam": 0.001, "AdamW": 0.001, "Nadam": 0.001, "Adamax": 0.001, "RMSprop": 0.001,
    "Adagrad": 0.001, "Adadelta": 0.001, "Ftrl": 0.001, "Lion": 0.001, "Adafactor": 0.001,
    "Lamb": 0.001, "Muon": 0.001, "LossScaleOptimizer": None,
}
OPTIMIZER_STRINGS = {k.lower(): k for k in OPTIMIZER_DEFAULT_LR}
ADAPTIVE_OPTIMIZERS = frozenset(
    {"Adam", "AdamW", "Nadam", "Adamax", "RMSprop", "Adagrad", "Lion", "Lamb", "Adafactor", "Ftrl"}
)
EPSILON_OPTIMIZERS = frozenset(
    {"Adam", "AdamW", "Nadam", "Adamax", "RMSprop", "Adagrad", "Adadelta", "Lamb", "Adafactor"}
)
CLIP_KEYWORDS = ("clipnorm", "clipvalue", "global_clipnorm")

# Layers whose first positional argument is a unit/filter count, and the Keras 1/2 keyword for it.
UNIT_ARGUMENT = {
    "Dense": ("units", ("output_dim",)),
    "Conv1D": ("filters", ("nb_filter",)),
    "Conv2D": ("filters", ("nb_filter",)),
    "Conv3D": ("filters", ("nb_filter",)),
    "Convolution1D": ("filters", ("nb_filter",)),
    "Convolution2D": ("filters", ("nb_filter",)),
    "Convolution3D": ("filters", ("nb_filter",)),
    "Conv1DTranspose": ("filters", ()),
    "Conv2DTranspose": ("filters", ()),
    "Conv3DTranspose": ("filters", ()),
    "SeparableConv1D": ("filters", ()),
    "SeparableConv2D": ("filters", ()),
    "SimpleRNN": ("units", ("output_dim",)),
    "LSTM": ("units", ("output_dim",)),
    "GRU": ("units", ("output_dim",)),
    "CuDNNLSTM": ("units", ()),
    "CuDNNGRU": ("units", ()),
    "ConvLSTM2D": ("filters", ()),
}
LAYER_KIND_ALIASES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU", "Deconvolution2D": "Conv2DTranspose",
    "Conv2DTranspose": "Conv2DTranspose", "InputLayer": "InputLayer",
}
# Positional index of ``activation`` where people do pass it positionally.
ACTIVATION_POSITION = {"Dense": 1, "Activation": 0, "SimpleRNN": 1, "LSTM": 1, "GRU": 1}
# The activation a layer applies when none is given (layers not listed apply none).
DEFAULT_ACTIVATION = {
    "Dense": "linear", "Conv1D": "linear", "Conv2D": "linear", "Conv3D": "linear",
    "Conv1DTranspose": "linear", "Conv2DTranspose": "linear", "Conv3DTranspose": "linear",
    "SeparableConv1D": "linear", "SeparableConv2D": "linear", "DepthwiseConv2D": "linear",
    "LocallyConnected1D": "linear", "LocallyConnected2D": "linear", "EinsumDense": "linear",
    "SimpleRNN": "tanh", "LSTM": "tanh", "GRU": "tanh", "ConvLSTM2D": "tanh",
}
RECURRENT_LAYERS = frozenset(
    {"SimpleRNN", "LSTM", "GRU", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Bidirectional",
     "LSTMCell", "GRUCell", "SimpleRNNCell"}
)
CONV_LAYERS = frozenset(
    {"Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv2D",
     "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "LocallyConnected2D"}
)
POOL_LAYERS = frozenset(
    {"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
     "AveragePooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D",
     "AvgPool3D", "UpSampling2D", "ZeroPadding2D", "Cropping2D"}
)
NORMALIZATION_LAYERS = frozenset(
    {"BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
     "SpectralNormalization"}
)
INPUT_SCALING_LAYERS = frozenset(
    {"Rescaling", "Normalization", "Lambda", "Resizing", "CenterCrop", "TextVectorization",
     "Discretization", "StringLookup", "IntegerLookup", "CategoryEncoding", "Hashing", "Embedding",
     "BatchNormalization", "LayerNormalization", "UnitNormalization", "TorchModuleWrapper"}
)
# keras.applications models that rescale raw [0, 255] pixels themselves.
SELF_RESCALING_APPLICATIONS = ("EfficientNet", "ConvNeXt", "RegNet")


def canonical_loss(name: str) -> str:
    """``"mse"``/``"MeanSquaredError"``/``"mean_squared_error"`` -> ``"mean_squared_error"``."""
    key = snake(name) if any(c.isupper() for c in name) else name.lower()
    return LOSS_ALIASES.get(key, key)


def canonical_metric(name: str) -> str:
    key = snake(name) if any(c.isupper() for c in name) else name.lower()
    return METRIC_ALIASES.get(key, key)


def canonical_activation(name: str) -> str:
    key = snake(name) if any(c.isupper() for c in name) else name.lower()
    return ACTIVATION_ALIASES.get(key, key)


def canonical_layer_kind(short: str) -> str:
    return LAYER_KIND_ALIASES.get(short, short)
