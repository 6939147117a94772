"""KC201: a learning rate far above what the optimizer tolerates."""

from __future__ import annotations

from typing import Callable, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import TRANSPARENT_LAYERS, FileFacts, ModelFacts, OptimizerFacts
from kerascheck.rules._optimizers import (
    attached, fmt, is_tf1, judged_sites, overrides_learning_rate, schedule_arg, single, site_key, written,
)
from kerascheck.rules.base import Finding, Option, Rule, RuleContext

# Adagrad's (and FTRL's) accumulators shrink the step as training goes; 0.05-0.1 are classic settings
# (TensorFlow's DNNClassifier trained with Adagrad at 0.05), so they get their own, higher ceiling.
ACCUMULATING = frozenset({"Adagrad"})
# Adaptive optimizers whose step is about ``learning_rate`` per weight whatever the gradient's scale.
ADAPTIVE = frozenset({"Adam", "AdamW", "Nadam", "Adamax", "RMSprop", "Lion", "Lamb"})
# Layers that leave a linear model linear (preprocessing, reshaping, regularisation).
_LINEAR_PASSTHROUGH = TRANSPARENT_LAYERS | frozenset(
    {"InputLayer", "Normalization", "Rescaling", "Dropout"}
)
# Not judged: Adadelta (its rate is a scale factor, 1.0 is the classic setting), Adafactor (relative
# steps capped by 1/sqrt(t)), Ftrl (linear models, 0.05-0.2 are usual), Muon, unknown kinds.


class LearningRateTooHigh(Rule):
    """Learning rate far above what the optimizer tolerates: the loss diverges to NaN or training collapses.

    ## What it flags
    An optimizer built with a constant learning rate above the ceiling for its kind: above
    `adaptive-max` (0.01) for Adam, AdamW, Nadam, Adamax, RMSprop, Lion and Lamb, above `adagrad-max`
    (0.1) for Adagrad, above `sgd-max` (0.5) for SGD compiled into a model without gradient clipping.
    When the adaptive optimizer's rate is a decaying schedule (`ExponentialDecay`, `CosineDecay`,
    `PolynomialDecay`, `InverseTimeDecay`, with or without warm-up), its initial value (or warm-up
    target) is judged against `schedule-adaptive-max` (0.05) instead.
    The rate may be given positionally, as `learning_rate=` or Keras 2's `lr=`, through a variable, a
    model-factory argument, or as the initial rate (or `warmup_target`) of a schedule such as
    `ExponentialDecay`. Not reported, because the written rate is then fine or not the one that trains:

    - Adadelta, Adafactor and Ftrl (their rates are on another scale), string optimizers
      (`optimizer="adam"`, default rate);
    - files that change the rate while training (`LearningRateScheduler`, `K.set_value(...lr...)`),
      and an optimizer call built with several rates (a hyper-parameter sweep);
    - an optimizer no `compile` receives, in a file that builds `tf.Variable`s (style transfer and
      adversarial examples optimise an image, where 0.02 or 100 are normal), and an optimizer whose
      `apply_gradients`/`minimize` only ever update `tf.Variable`s the file builds (an image, a
      latent vector), unless a model compiled with it is also fit;
    - an optimizer given to the `compile` of a subclassed model whose own `train_step` never reads
      `self.optimizer` (a GAN stepping `self.d_optimizer` and `self.g_optimizer`): it trains nothing;
    - adaptive optimizers compiled only into linear models (Dense layers with no hidden nonlinearity:
      TensorFlow's regression tutorial fits them with `Adam(learning_rate=0.1)`);
    - SGD that no `compile` receives (federated server optimizers use 1.0) or that trains an autoencoder
      fit on its own input (`SGD(learning_rate=1.5)` in Hands-On ML).

    ## Why it breaks training
    Adaptive optimizers normalise each gradient, so every step moves every weight by roughly the learning
    rate whatever the gradient's size: at 0.1 or 0.5 the first few steps throw the weights far from their
    initialisation, activations saturate or explode, and the loss becomes NaN or the model settles on
    predicting a single class (accuracy stuck at the majority rate). Plain SGD overshoots the same way once
    the rate exceeds about 2 / (largest curvature of the loss), which for many networks is below 1.

    ## Example
    ```python
    import keras
    from keras import layers
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(n_samples=2000, n_features=20, random_state=0)
    X = StandardScaler().fit_transform(X)

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.5),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, validation_split=0.2)
    ```

    ## Fix
    ```python
    import keras
    from keras import layers
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(n_samples=2000, n_features=20, random_state=0)
    X = StandardScaler().fit_transform(X)

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, validation_split=0.2)
    ```

    ## Options
    The ceilings are inclusive: a rate equal to the ceiling is not reported.

    Why two ceilings for adaptive optimizers. A constant rate is the step size for the whole run,
    and Adam's update is bounded by about the rate per weight (Kingma & Ba, section 2.1), so
    constants above 0.01 (ten times Keras' default) are where reports of NaN losses and one-class
    collapse concentrate, while published recipes stay at 1e-3 to 3e-3. A schedule's initial value
    is held only briefly before it decays, and often after a warm-up that lets the second-moment
    estimates settle first (Goyal et al.; Liu et al., RAdam): recipes that train well start there at
    0.015 to 0.03 (keras.io's AdaMatch example uses `CosineDecay(0.03)`, TensorFlow's pneumonia
    X-ray tutorial `ExponentialDecay(0.015)`), so only initial values above 0.05 are reported.
    `PiecewiseConstantDecay` holds each value for whole stages, so it is judged like a constant.

    ## References
    - Kingma & Ba, "Adam: A Method for Stochastic Optimization" (step size bounded by the learning rate).
    - Keras optimizers: https://keras.io/api/optimizers/
    - Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour" (gradual warm-up):
      https://arxiv.org/abs/1706.02677
    - Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond" (why adaptive
      optimizers need warm-up at high rates): https://arxiv.org/abs/1908.03265
    - https://keras.io/examples/vision/adamatch/
    """

    code = "KC201"
    name = "learning-rate-too-high"
    severity = Severity.WARNING
    options = {
        "adaptive-max": Option(0.01, "Highest learning rate not reported for Adam, AdamW, Nadam, "
                                     "Adamax, RMSprop, Lion and Lamb."),
        "schedule-adaptive-max": Option(0.05, "Highest initial (or warm-up target) rate not "
                                              "reported for those optimizers under a decaying "
                                              "schedule (ExponentialDecay, CosineDecay...)."),
        "adagrad-max": Option(0.1, "Highest learning rate not reported for Adagrad."),
        "sgd-max": Option(0.5, "Highest learning rate not reported for SGD without gradient clipping."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        if overrides_learning_rate(facts):
            return
        linear = _sites_where(facts, _is_linear)
        autoencoders = _sites_where(facts, _is_autoencoder)
        compiled = attached(facts)
        for group in judged_sites(facts):
            opt = group[0]
            key = site_key(opt)
            if opt.kind == "SGD":
                # Plain SGD at 1.0-1.5 is the usual setting for autoencoders (Hands-On ML) and for
                # federated server optimizers, so SGD is judged only when compiled into a model that
                # is not fit to reproduce its input.
                if key not in compiled or key in autoencoders:
                    continue
            elif key in linear:
                continue
            rate = single([o.learning_rate for o in group])
            if rate is None or opt.lr_is_default or opt.from_string:
                continue
            peak = single([_peak(o) for o in group])
            if peak is None:
                continue
            limit = self._limit(opt, ctx)
            if limit is None or peak <= limit:
                continue
            yield Finding(opt.lr_loc, _message(opt, peak, limit))

    def _limit(self, opt: OptimizerFacts, ctx: RuleContext) -> float | None:
        if opt.kind in ADAPTIVE:
            if opt.schedule is not None and opt.schedule != "PiecewiseConstantDecay":
                return float(ctx.option("schedule-adaptive-max"))
            return float(ctx.option("adaptive-max"))
        if opt.kind in ACCUMULATING:
            return float(ctx.option("adagrad-max"))
        if opt.kind == "SGD" and not opt.clipping and not is_tf1(opt):
            # TF1's GradientDescentOptimizer(1.0) is usually paired with manual clipping we cannot see.
            return float(ctx.option("sgd-max"))
        return None


def _sites_where(facts: FileFacts, predicate: Callable[[ModelFacts], bool]) -> set[int]:
    """Optimizer sites every compiled model of which satisfies ``predicate``."""
    verdict: dict[int, bool] = {}
    for model in facts.models:
        opt = model.compile.optimizer if model.compile is not None else None
        if opt is None or opt.from_string or opt.loc.node is None:
            continue
        key = site_key(opt)
        verdict[key] = verdict.get(key, True) and predicate(model)
    return {key for key, holds in verdict.items() if holds}


def _is_autoencoder(model: ModelFacts) -> bool:
    """Fit to reproduce its input: ``fit(X_train, X_train)``."""
    return any(fit.x is not None and fit.y is not None and fit.x.source_name is not None
               and fit.x.source_name == fit.y.source_name for fit in model.fits)


def _is_linear(model: ModelFacts) -> bool:
    """A linear (or logistic) regression: an adaptive optimizer at 0.1 fits such convex models fine
    (TensorFlow's regression tutorial trains ``Sequential([normalizer, Dense(1)])`` with
    ``Adam(learning_rate=0.1)``). A complete model of Dense layers with no nonlinearity before the
    output layer."""
    if not model.complete or model.outputs != 1:
        return False
    dense = [layer for layer in model.layers if layer.kind not in _LINEAR_PASSTHROUGH]
    if not dense or any(layer.kind != "Dense" for layer in dense):
        return False
    return all(layer.activation == "linear" for layer in dense[:-1])


def _peak(opt: OptimizerFacts) -> float | None:
    """The highest rate the optimizer starts training at: the warm-up target of a schedule if any."""
    rate = opt.learning_rate
    if rate is None:
        return None
    target = schedule_arg(opt.schedule_call, "warmup_target",
                          4 if opt.schedule in ("CosineDecay",) else None)
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        return max(rate, float(target))
    return rate


def _message(opt: OptimizerFacts, peak: float, limit: float) -> str:
    default = api.OPTIMIZER_DEFAULT_LR.get(opt.kind or "") or 0.001
    what = written(opt)
    if opt.learning_rate is not None and peak != opt.learning_rate:
        what += f" warming up to {fmt(peak)}"
    if opt.kind == "SGD":
        return (f"{what} is above {fmt(limit)}: SGD steps this large overshoot, so the loss oscillates "
                f"and diverges to NaN; use learning_rate=0.01 to 0.1 (with momentum=0.9), or clip "
                f"gradients (clipnorm=1.0) if you really need a large rate")
    return (f"{what} is above {fmt(limit)}, the most {opt.kind} tolerates: an adaptive optimizer moves "
            f"every weight by about the learning rate ({fmt(peak)}) each step, so the loss diverges to "
            f"NaN or the model collapses to predicting one class; use learning_rate={fmt(default)} "
            f"(the default) or lower")
