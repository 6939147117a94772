"""KC112: a bounded output activation under a regression loss, on targets outside its range."""

from __future__ import annotations

import math
import re
from typing import Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import NO_LOC, DataFact, FileFacts, LayerFact
from kerascheck.rules._data_inputs import keeps_raw_range
from kerascheck.rules._outputs import (
    CLASS_LABEL_KINDS, CONTINUOUS_LOSSES, compiled, describe, labels,
)
from kerascheck.rules.base import Finding, Rule, RuleContext

# The interval each bounded activation maps into.
ACTIVATION_RANGES: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0), "hard_sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0),
    "tanh": (-1.0, 1.0), "softsign": (-1.0, 1.0), "hard_tanh": (-1.0, 1.0),
    "relu": (0.0, math.inf), "softplus": (0.0, math.inf), "exponential": (0.0, math.inf),
    "relu6": (0.0, 6.0),
}
LOSSES = CONTINUOUS_LOSSES  # poisson too: it fits counts, of any non-negative size
# Share of the targets' range the head cannot reach from which the rule reports.
UNREACHABLE_SHARE = 0.5
_HUGE = 1e9  # infinite range ends are measured as this far out
# Frame columns that hold a quantity in raw units (prices, sales, temperatures...): more than 1.
_QUANTITY_COLUMN = re.compile(
    r"(^|_)(price|saleprice|cost|value|salary|income|revenue|sales|amount|charges|medv|temp|"
    r"temperature|rent|fare|distance|area|weight|height|duration|consumption|load|demand|"
    r"count|volume|close|open|high|low)s?($|_)", re.IGNORECASE)


class BoundedHeadOnRegressionTargets(Rule):
    """A sigmoid/tanh/relu/softmax output under a regression loss, on targets it cannot reach.

    ## What it flags
    A model whose last layer applies sigmoid, tanh, relu, softplus or softmax (over more than one
    unit), compiled with a regression loss (`mse`, `mae`, `mape`, `msle`, `huber`, `log_cosh`,
    `poisson`), and fit on targets that visibly lie mostly outside that activation's range:
    - signed or unbounded targets: scikit-learn's `make_regression`, standardised targets
      (`StandardScaler` on `y`), `MinMaxScaler(feature_range=(-1, 1))`, arithmetic on
      `np.linspace`/`np.arange`/random draws (`y = 3 * x + 2`, `np.sin(x)`), under sigmoid,
      relu or softplus;
    - targets above 1 under a sigmoid, softmax or tanh: the same arithmetic, the keras.datasets
      housing prices, raw `[0, 255]` images as autoencoder targets, a CSV column holding a
      quantity in raw units (`df["price"]`) while only the inputs are scaled.

    The rule reports only with range evidence: sigmoid autoencoders on images scaled to `[0, 1]`,
    sigmoid regression onto targets scaled with `MinMaxScaler()`, and relu or softplus heads on
    counts and prices are correct and stay quiet, as do class labels (KC107's case).

    ## Why it breaks training
    A sigmoid outputs values in (0, 1), tanh in (-1, 1), relu and softplus only non-negative
    values, and a softmax vector sums to 1. Targets outside that range can never be predicted:
    the loss falls a little and then plateaus, the activation saturates (its gradient goes to 0)
    and the predictions stick to the edge of the range (every price predicted as 1.0, every
    negative target as 0). The model looks like it "does not learn".

    ## Example
    ```python
    from sklearn.datasets import make_regression
    from tensorflow import keras

    X, y = make_regression(n_samples=1000, n_features=10, noise=0.1)

    model = keras.Sequential([
        keras.Input(shape=(10,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, y, epochs=50)
    ```

    ## Fix
    ```python
    from sklearn.datasets import make_regression
    from tensorflow import keras

    X, y = make_regression(n_samples=1000, n_features=10, noise=0.1)

    model = keras.Sequential([
        keras.Input(shape=(10,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(X, y, epochs=50)
    ```
    Give a regression model a linear output (no activation on the last layer), or scale the
    targets into the activation's range first (`MinMaxScaler()` on `y` for a sigmoid) and invert
    the scaling on the predictions.

    ## References
    - https://keras.io/examples/structured_data/ (regression heads are linear)
    - https://www.tensorflow.org/tutorials/keras/regression
    - https://stackoverflow.com/questions/48251943/keras-regression-model-predicts-the-same-value-for-all-inputs
    """

    code = "KC112"
    name = "bounded-head-on-regression-targets"
    severity = Severity.WARNING

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for model, loss in compiled(facts.models):
            if loss.name not in LOSSES:
                continue
            head = model.head
            if head is None or head.activation not in ACTIVATION_RANGES:
                continue
            if head.activation == "softmax" and (head.units is None or head.units < 2):
                continue  # a one-unit softmax is KC101's
            reach = ACTIVATION_RANGES[head.activation]
            for y in labels(model):
                evidence = _evidence(y, reach)
                if evidence is None:
                    continue
                where = head.activation_loc if head.activation_loc is not NO_LOC else head.loc
                yield Finding(where, _message(head, loss.name or "loss", reach, evidence))
                break


def _evidence(y: DataFact, reach: tuple[float, float]) -> str | None:
    """What shows the targets lie mostly outside ``reach``, in words; None without evidence."""
    if y.label_kind in CLASS_LABEL_KINDS or y.label_kind == "multilabel":
        return None  # class labels under a regression loss are KC107's
    if y.bounds is not None:
        if _unreachable_share(y.bounds, reach) < UNREACHABLE_SHARE:
            return None
        return _describe_bounds(y)
    if y.column_name is not None and y.origin == "read_csv" and reach[1] <= 1.0 and (
            keeps_raw_range(y) and _QUANTITY_COLUMN.search(y.column_name.replace(" ", "_"))):
        return f'are the "{y.column_name}" column read from a file in raw units, never scaled'
    return None


def _unreachable_share(bounds: tuple[float, float], reach: tuple[float, float]) -> float:
    """The share of the interval ``bounds`` that lies outside ``reach`` (infinite ends capped)."""
    low, high = (max(-_HUGE, min(_HUGE, v)) for v in bounds)
    if high <= low:
        return 0.0 if reach[0] <= low <= reach[1] else 1.0
    top, bottom = min(reach[1], _HUGE), max(reach[0], -_HUGE)
    inside = max(0.0, min(high, top) - max(low, bottom))
    return 1.0 - inside / (high - low)


def _number(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:g}"


def _describe_bounds(y: DataFact) -> str:
    low, high = y.bounds  # type: ignore[misc]
    if y.origin == "synthetic" and math.isinf(low) and math.isinf(high):
        return "from make_regression are signed and unbounded"
    if y.origin.startswith("dataset:"):
        return f"from keras.datasets.{y.origin[8:]} lie in [{_number(low)}, {_number(high)}]"
    if math.isinf(low) and math.isinf(high):
        return "are signed and unbounded"
    return f"lie in [{_number(low)}, {_number(high)}]"


def _message(head: LayerFact, loss: str, reach: tuple[float, float], evidence: str) -> str:
    span = (f"[{_number(reach[0])}, {_number(reach[1])}]" if not math.isinf(reach[1])
            else "[0, inf)")
    linear = f"use a linear output ({head.kind}(units) with no activation)"
    fix = (f"{linear}, or scale the targets into {span} (MinMaxScaler() on y)"
           if reach[1] <= 1.0 else linear)
    return (f"{describe(head)} can only output values in {span} but the {loss} targets "
            f"{evidence}: the model can never predict most of them, so the loss plateaus and the "
            f"predictions stick to the edge of the range; {fix}")
