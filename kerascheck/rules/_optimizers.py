"""Helpers shared by the optimizer rules (KC201-KC205); not a rule module (discovery skips ``_`` names).

``FileFacts.optimizers`` holds every optimizer object the interpreter built, including the one passed to
``compile``: an optimizer written once but built several times (a model factory called twice, a
hyper-parameter sweep unrolled over a list) appears once per build, all pointing at the same call.
``sites`` groups them by that call so each source place is judged, and reported, once.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from kerascheck.facts.model import CallFact, FileFacts, OptimizerFacts

# Callbacks and helpers that overwrite the optimizer's learning rate while training runs: with one of
# them in the file, the rate written in the constructor is not the rate that trains.
LR_OVERRIDES = frozenset({"keras.callbacks.LearningRateScheduler", "keras.backend.set_value"})


def sites(facts: FileFacts) -> Iterator[list[OptimizerFacts]]:
    """The optimizers of the file grouped by the call that builds them, in source order."""
    groups: dict[int, list[OptimizerFacts]] = {}
    for opt in facts.optimizers:
        groups.setdefault(site_key(opt), []).append(opt)
    yield from groups.values()


def site_key(opt: OptimizerFacts) -> int:
    """What identifies the call an optimizer is built by."""
    return id(opt.loc.node) if opt.loc.node is not None else id(opt)


def judged_sites(facts: FileFacts) -> Iterator[list[OptimizerFacts]]:
    """``sites``, less those that optimise something other than network weights: optimizers seen
    to update only ``tf.Variable``s (an image, a latent), optimizers given only to a model whose
    ``train_step`` never reads ``self.optimizer`` (``OptimizerFacts.trains``), and optimizers no
    ``compile`` receives in a file that builds ``tf.Variable``s (see ``optimizes_variables``)."""
    skip_free = optimizes_variables(facts)
    linked = attached(facts)
    fitted = attached(facts, fitted=True)
    for group in sites(facts):
        key = site_key(group[0])
        if key not in fitted and all(o.trains in ("variables", "ignored") for o in group):
            continue  # (a model compiled with it but never fit is a feature extractor)
        if skip_free and key not in linked and not any(o.trains == "weights" for o in group):
            continue
        yield group


def attached(facts: FileFacts, fitted: bool = False) -> set[int]:
    """Keys (as in ``sites``) of the optimizers some ``compile`` receives (of a model that is then
    fit, with ``fitted``)."""
    keys: set[int] = set()
    for model in facts.models:
        if fitted and not model.fits:
            continue
        opt = model.compile.optimizer if model.compile is not None else None
        if opt is not None and opt.loc.node is not None:
            keys.add(site_key(opt))
    return keys


def optimizes_variables(facts: FileFacts) -> bool:
    """True when the file builds ``tf.Variable``s: an optimizer that no ``compile`` receives may then
    be optimizing an image or an input (style transfer, adversarial examples), not network weights,
    where rates like 0.02 or 100 are normal."""
    return any(call.name in _VARIABLES for call in facts.calls)


_VARIABLES = frozenset({"tf.Variable", "keras.Variable", "tf.compat.v1.Variable"})


def single(values: list[Any]) -> Any:
    """The one value all builds of a site agree on, else None (a sweep over several values)."""
    first = values[0]
    if any(v != first for v in values[1:]):
        return None
    return first


def overrides_learning_rate(facts: FileFacts) -> bool:
    """True when the file sets the learning rate from a callback (``LearningRateScheduler``...)."""
    return any(call.name in LR_OVERRIDES for call in facts.calls)


def is_tf1(opt: OptimizerFacts) -> bool:
    """A TensorFlow 1 ``tf.compat.v1.train``/``tf.train`` optimizer (not a Keras one)."""
    return bool(opt.name) and not opt.name.startswith("keras.")


def fmt(value: float) -> str:
    """A learning rate as people write it: 0.5, 1.0, 1e-8, 0.001."""
    if value == int(value) and abs(value) < 1e6:
        return f"{value:.1f}"
    return re.sub(r"e([+-])0(\d)", r"e\1\2", f"{value:g}")


def written(opt: OptimizerFacts) -> str:
    """``Adam(learning_rate=0.5)`` or ``ExponentialDecay(initial_learning_rate=0.3)`` for messages."""
    lr = fmt(opt.learning_rate) if opt.learning_rate is not None else "?"
    if opt.schedule:
        if opt.schedule == "PiecewiseConstantDecay":
            return f"{opt.kind} with PiecewiseConstantDecay starting at {lr}"
        return f"{opt.kind} with {opt.schedule}(initial_learning_rate={lr})"
    keyword = opt.lr_keyword or "learning_rate"
    return f"{opt.kind}({keyword}={lr})"


def schedule_arg(call: CallFact | None, keyword: str, position: int | None = None) -> Any:
    """An argument of the optimizer's schedule object, or None."""
    if call is None:
        return None
    return call.arg(keyword, position)
