"""KC505: cross-entropy written by hand instead of the built-in loss."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, NumericSite
from kerascheck.rules import _numeric as num
from kerascheck.rules.base import Finding, Rule, RuleContext

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView

_PEEL_CALLS = frozenset({"clip", "clip_by_value", "maximum", "minimum", "cast", "clamp"})


class HandwrittenCrossentropy(Rule):
    """Cross-entropy written by hand (`-sum(y_true * log(y_pred))`): the built-in loss is more stable.

    ## What it flags
    A custom loss that multiplies the labels by the log of the predictions --
    `-K.sum(y_true * K.log(y_pred))`, `-tf.reduce_mean(y_true * tf.math.log(y_pred) + (1 - y_true) *
    tf.math.log(1 - y_pred))`, class-weighted and focal variants -- even when the log is clipped.
    This rule is opt-in and informational: when the log is not clipped, KC501 already reports the
    NaN.

    ## Why it breaks training
    A hand-written cross-entropy works on probabilities, so it has to clip them, and the clipping
    flattens the gradient of confidently wrong predictions (they sit on the clip boundary and stop
    learning). The built-in losses compute the same quantity from logits when given
    `from_logits=True` (log-softmax / log-sigmoid in one stable step) and handle clipping, label
    smoothing, class weights and reductions consistently.

    ## Example
    ```python
    from tensorflow import keras
    from tensorflow.keras import backend as K

    def categorical_loss(y_true, y_pred):
        y_pred = K.clip(y_pred, K.epsilon(), 1.0 - K.epsilon())
        return -K.sum(y_true * K.log(y_pred), axis=-1)

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss=categorical_loss, metrics=["accuracy"])
    ```

    ## Fix
    ```python
    from tensorflow import keras

    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(
        optimizer="adam",
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    ```
    For class weights pass `class_weight=` to `fit` (or `sample_weight`); for focal loss use
    `keras.losses.CategoricalFocalCrossentropy` / `BinaryFocalCrossentropy` (Keras >= 2.13).

    ## References
    - https://keras.io/api/losses/probabilistic_losses/
    - https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits
    """

    code = "KC505"
    name = "handwritten-crossentropy"
    severity = Severity.INFO
    default_enabled = False

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        by_function: dict[str | None, list[NumericSite]] = {}
        for site in facts.numeric_sites:
            if site.op == "log" and num.context_of(site) == "loss":
                by_function.setdefault(site.function, []).append(site)
        for function, sites in by_function.items():
            analyzer = num.Analyzer("loss")
            found = [(s, kind) for s in sites
                     for kind in [_crossentropy_term(analyzer, s.operand)] if kind is not None]
            if not found:
                continue
            binary = any(kind == "binary" for _, kind in found)
            focal = any(s.op == "pow" and s.function == function for s in facts.numeric_sites)
            yield Finding(found[0][0].loc, _message(found[0][0], binary, focal))


def _core(analyzer: num.Analyzer, view: ExprView) -> ExprView:
    """Strip clipping, epsilon offsets and casts: ``K.clip(y_pred + eps, ...)`` -> ``y_pred``."""
    for _ in range(8):
        view = num.peel_guard(view)
        if view.kind == "call" and num.library_short(view) in _PEEL_CALLS:
            first = view.arg(0, "x", "t", "a")
            if first is None:
                return view
            view = first
            continue
        return view
    return view


def _is_pred(analyzer: num.Analyzer, view: ExprView) -> bool:
    view = _core(analyzer, view)
    if view.kind == "name":
        return analyzer.is_param(view, "pred", strict=False)
    if view.kind == "subscript":
        return _is_pred(analyzer, view.operands()[0])
    return view.kind == "call" and view.callee() == "local.self"


def _crossentropy_term(analyzer: num.Analyzer, operand: ExprView) -> str | None:
    """``"categorical"``/``"binary"`` when ``log(operand)`` is multiplied by the labels."""
    core = _core(analyzer, operand)
    if _is_pred(analyzer, core):
        kind = "categorical"
    elif core.kind == "binop" and core.operator() == "-" and core.operands()[0].number() == 1 and (
        _is_pred(analyzer, core.operands()[1])
    ):
        kind = "binary"
    else:
        return None
    chain = list(operand.ancestors())  # the log call first, then what encloses it
    for child, ancestor in zip(chain, chain[1:]):
        if ancestor.kind == "binop" and ancestor.operator() in ("-", "+"):
            others = [o for o in ancestor.operands() if o.node is not child.node]
            if any(_is_pred(analyzer, o) for o in others):
                return None  # y_pred - y_true * log(y_pred): a Poisson likelihood, not a CE
    for child, ancestor in zip(chain, chain[1:]):
        if ancestor.kind == "binop" and ancestor.operator() == "*":
            others = [o for o in ancestor.operands() if o.node is not child.node]
        elif ancestor.kind == "call" and num.library_short(ancestor) == "multiply":
            others = [o for o in ancestor.args() if o.node is not child.node]
        else:
            continue
        if any(_mentions_label(analyzer, o) for o in others):
            return kind
    return None


def _mentions_label(analyzer: num.Analyzer, view: ExprView) -> bool:
    for sub in view.walk():
        if sub.kind == "name":
            if analyzer.is_param(sub, "label", strict=False):
                return True
            followed = sub.follow()
            if followed is not None and any(
                s.kind == "name" and analyzer.is_param(s, "label", strict=False)
                for s in followed.walk()
            ):
                return True
    return False


def _message(site: NumericSite, binary: bool, focal: bool) -> str:
    if focal:
        builtin = ("keras.losses.BinaryFocalCrossentropy" if binary
                   else "keras.losses.CategoricalFocalCrossentropy")
    else:
        builtin = ("keras.losses.BinaryCrossentropy(from_logits=True)" if binary
                   else "keras.losses.CategoricalCrossentropy(from_logits=True)")
    kind = "binary" if binary else "categorical"
    return (f"{site.function or 'this loss'}() computes {kind} cross-entropy by hand with "
            f"{num.display(site.callee)}({site.operand.text()}); the built-in {builtin} is "
            f"numerically stable (clipping, log-sum-exp from logits); use it")
