"""KC205: ``lr=``/``decay=`` passed to a Keras optimizer that no longer has them."""

from __future__ import annotations

from typing import Any, Iterator

from kerascheck.diagnostics import Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.model import FileFacts, Loc, OptimizerFacts
from kerascheck.fixes.intents import DeleteArgument, RenameKeyword, intent
from kerascheck.rules._optimizers import fmt, sites
from kerascheck.rules.base import Finding, Rule, RuleContext


class RemovedOptimizerArgument(Rule):
    """`lr=` or `decay=` on a Keras optimizer: ignored or rejected since TensorFlow 2.11 and Keras 3.

    ## What it flags
    The Keras 2 keywords `lr=` and `decay=` passed to a `keras.optimizers` / `tf.keras.optimizers`
    optimizer (`Adam(lr=0.01)`, `SGD(lr=0.01, decay=1e-6, momentum=0.9)`). Not reported for
    `keras.optimizers.legacy.*` optimizers, nor in files that visibly target Keras 2 (they import
    `tf_keras`, `keras.wrappers.scikit_learn` or `tensorflow.compat.v1`), where these keywords still work.

    ## Why it breaks training
    The optimizers rewritten in TensorFlow 2.11 and Keras 3 dropped both keywords, and what happens depends
    on the version: with `lr=`, TensorFlow 2.11-2.15 only logs a warning and trains at the default rate
    (0.001), silently ignoring the rate you chose, while Keras 3 raises
    `ValueError: Argument(s) not recognized`; with `decay=`, TensorFlow 2.11-2.15 raises `ValueError` and
    Keras 3 warns and ignores it, so the learning-rate decay you asked for never happens. Either way
    the program as written fails on a current Keras, so this is an error.

    When the rate given with `lr=` is itself too high (KC201 reports it too), the message says to
    write the rate KC201 advises (`Adam(lr=0.1)`: `learning_rate=0.001`), not `learning_rate=0.1`.

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
    model.compile(optimizer=keras.optimizers.RMSprop(lr=1e-3),
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
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, validation_split=0.2)
    ```

    ## References
    - "New optimizers API accepts 'lr' as argument, but ignores it": https://github.com/keras-team/keras/issues/17338
    - Keras 3 optimizer base class (`decay` is no longer supported):
      https://github.com/keras-team/keras/blob/master/keras/src/optimizers/base_optimizer.py
    """

    code = "KC205"
    name = "removed-optimizer-argument"
    severity = Severity.ERROR
    fixable = "mixed"
    fix_doc = ("`lr=` is renamed to `learning_rate=` (safe: the same rate, now honoured). `decay=` is "
               "deleted (unsafe: the rate no longer decays, which is what TensorFlow 2.11+ and Keras 3 "
               "do anyway; the fix message spells the `InverseTimeDecay` schedule that keeps the old "
               "behaviour). No fix when the optimizer also gets `learning_rate=` or `**kwargs`.")

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        if facts.keras2_pinned:
            return
        too_high: set[int] | None = None
        for group in sites(facts):
            opt = group[0]
            if opt.legacy or not (opt.name or "").startswith("keras.optimizers."):
                continue
            if "lr" in opt.kwarg_locs:
                loc = opt.kwarg_locs["lr"]
                if too_high is None:
                    too_high = _too_high_sites(facts)
                advice = too_high_advice(opt) if _node_key(loc) in too_high else None
                yield Finding(loc, _lr_message(opt, advice), fix=intent(
                    "Rename `lr` to `learning_rate`", RenameKeyword(loc, "learning_rate"), safe=True))
            if "decay" in opt.kwarg_locs:
                loc = opt.kwarg_locs["decay"]
                yield Finding(loc, _decay_message(opt), fix=intent(
                    f"Remove `decay=` (the rate will stay constant; to keep the decay, pass {_schedule(opt)})",
                    DeleteArgument(loc), safe=False))


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _node_key(loc: Loc) -> int:
    return id(loc.node) if loc.node is not None else id(loc)


def _too_high_sites(facts: FileFacts) -> set[int]:
    """Where KC201 (learning-rate-too-high, default options) reports a rate: the two findings on
    one ``Adam(lr=0.1)`` must give one piece of advice, not "write learning_rate=0.1" and "use 0.001".
    KC201 is asked rather than imitated so that its judgement stays in one place."""
    from kerascheck.rules.kc201_learning_rate_too_high import LearningRateTooHigh

    rule = LearningRateTooHigh()
    ctx = RuleContext(options=rule.default_options())
    return {_node_key(finding.loc) for finding in rule.check(facts, ctx)}


def too_high_advice(opt: OptimizerFacts) -> str:
    """The rate to write instead of one KC201 finds too high."""
    if opt.kind == "SGD":
        return "learning_rate=0.01 (with momentum=0.9)"
    default = api.OPTIMIZER_DEFAULT_LR.get(opt.kind or "") or 0.001
    return f"learning_rate={fmt(default)}"


def _lr_message(opt: OptimizerFacts, advice: str | None = None) -> str:
    rate = _number(opt.kwargs.get("lr"))
    shown = fmt(rate) if rate is not None else "..."
    default = api.OPTIMIZER_DEFAULT_LR.get(opt.kind or "")
    fallback = f"the default rate {fmt(default)}" if default else "the default rate"
    write = (f"write learning_rate={shown}" if advice is None else
             f"write {advice}, since {shown} is also too high for {opt.kind} (KC201)")
    return (f"{opt.kind}(lr={shown}): `lr` was removed from Keras optimizers; Keras 3 raises "
            f"ValueError on it and TensorFlow 2.11-2.15 ignores it and trains at {fallback}; "
            f"{write}")


def _decay_message(opt: OptimizerFacts) -> str:
    decay = _number(opt.kwargs.get("decay"))
    if decay == 0:
        return (f"{opt.kind}(decay=0): `decay` was removed from Keras optimizers and TensorFlow "
                f"2.11-2.15 raises ValueError on it even when 0; delete it")
    shown = fmt(decay) if decay is not None else "..."
    return (f"{opt.kind}(decay={shown}): `decay` was removed from Keras optimizers; TensorFlow 2.11-2.15 "
            f"raises ValueError and Keras 3 ignores it, so the rate never decays; write "
            f"learning_rate={_schedule(opt)}")


def _schedule(opt: OptimizerFacts) -> str:
    """The schedule that reproduces Keras 2's ``decay``: ``lr / (1 + decay * step)``."""
    decay = _number(opt.kwargs.get("decay"))
    rate = opt.learning_rate if opt.learning_rate is not None and opt.schedule is None else None
    shown_rate = fmt(rate) if rate is not None else "initial_rate"
    shown = fmt(decay) if decay is not None else "..."
    return (f"keras.optimizers.schedules.InverseTimeDecay({shown_rate}, decay_steps=1, "
            f"decay_rate={shown})")
