"""Helpers of the measurement rules (KC701-KC709, KC801-KC804): where to point, how to print numbers.

Runtime findings point at the user's line: a layer finding at the layer's creation site, a loss or
optimizer finding at the ``compile`` call, a data finding at the ``fit`` call; when a site is unknown
they fall back to the fit site, then the model's. Plain data only: no TensorFlow.
"""

from __future__ import annotations

import math

from kerascheck.facts.model import Loc
from kerascheck.rules.base import RuleContext
from kerascheck.rules._runtime_data import large_inputs
from kerascheck.runtime.locations import site_loc
from kerascheck.runtime.measurements import LayerStats, RunMeasurements
from kerascheck.runtime.thresholds import Thresholds

__all__ = ["ADAPTIVE", "site_loc", "layer_loc", "compile_loc", "fit_loc", "num", "weighted", "gradient_layers",
           "input_is_unscaled", "largest_update", "limits",
           "likely_causes"]

# Optimizers that divide by a running gradient magnitude: a huge gradient does not make a huge step.
ADAPTIVE = frozenset({"Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "Adagrad", "Adadelta", "Adafactor",
                      "Lion", "Lamb"})


def layer_loc(run: RunMeasurements, layer: LayerStats) -> Loc:
    return site_loc(layer.site, run.fit_site, run.model_site)


def compile_loc(run: RunMeasurements) -> Loc:
    return site_loc(run.compile_site, run.fit_site, run.model_site)


def fit_loc(run: RunMeasurements) -> Loc:
    return site_loc(run.fit_site, run.model_site)


def num(value: float | None) -> str:
    """A measured number, short: 3 significant digits, scientific notation outside [1e-3, 1e4)."""
    if value is None:
        return "?"
    if not math.isfinite(value):
        return str(value)
    if value != 0 and not 1e-3 <= abs(value) < 1e4:
        return f"{value:.2e}"
    return f"{value:.3g}"


def weighted(run: RunMeasurements) -> list[LayerStats]:
    """Layers with a measured kernel (Dense, Conv, RNN ...), in model order."""
    return [layer for layer in run.layers if layer.kernel_shape is not None]


def gradient_layers(run: RunMeasurements) -> list[LayerStats]:
    """Trainable layers whose gradient norm was measured, in model order."""
    return [layer for layer in run.layers if layer.trainable and layer.grad_norm is not None]


def input_is_unscaled(run: RunMeasurements, limit: float, bulk: float = Thresholds.input_bulk_max) -> float | None:
    """The largest input magnitude when the inputs are off scale (KC602's condition), else None."""
    found = [biggest for _, biggest, _ in large_inputs(run, limit, bulk)]
    return max(found) if found else None


def largest_update(run: RunMeasurements) -> LayerStats | None:
    """The layer whose weights moved the most (relative) in the first real optimizer step."""
    moved = [layer for layer in run.layers if layer.update_ratio is not None]
    return max(moved, key=lambda layer: layer.update_ratio or 0.0) if moved else None


def limits(ctx: RuleContext) -> Thresholds:
    """The configured thresholds (defaults when a caller gave none)."""
    return ctx.thresholds if ctx.thresholds is not None else Thresholds()


def likely_causes(run: RunMeasurements, thresholds: Thresholds) -> list[str]:
    """The measured causes of a blown-up probe, strongest first: learning rate, data scale, log of zero."""
    causes: list[str] = []
    top = largest_update(run)
    if top is not None and (top.update_ratio or 0.0) > thresholds.update_ratio_max:
        rate = f"learning_rate={run.learning_rate:g}" if run.learning_rate is not None else "the learning rate"
        ratio = top.update_ratio or 0.0
        size = f"{ratio:.0%} of" if ratio < 10 else f"{num(ratio)} times"
        causes.append(f"{rate} makes the first update {size} {top.name}'s weights")
    if run.custom_loss:  # the usual NaN of a hand-written loss: log/division/sqrt of a prediction at 0
        causes.append(f"the custom loss {run.custom_loss} (a log, division or sqrt of predictions that reach 0 "
                      "goes infinite; clip them first, see KC501-KC503)")
    scale = input_is_unscaled(run, thresholds.input_abs_max)
    if scale is not None:
        causes.append(f"the inputs reach {num(scale)} (unscaled)")
    targets = [a for a in run.array("y") if a.max is not None and a.min is not None]
    if targets and run.loss in ("mean_squared_error", "mean_absolute_error", "huber") and \
            max(abs(targets[0].max or 0.0), abs(targets[0].min or 0.0)) > thresholds.input_abs_max:
        causes.append(f"the regression targets reach {num(max(abs(targets[0].max or 0.0), abs(targets[0].min or 0.0)))}")
    if run.loss and "crossentropy" in run.loss and run.from_logits is not True and \
            run.head_activation not in ("softmax", "sigmoid"):
        causes.append(f"the cross-entropy takes the log of a {run.head_activation or 'non-probability'} output "
                      "that reaches 0 or below")
    return causes


NO_UPDATE_WHY = ("the step never applies its gradients (a custom train_step without "
                 "self.optimizer.apply(grads, variables) or apply_gradients), or applies them to variables that "
                 "are not the model's")


def no_update_cause(run: RunMeasurements) -> str:
    """Not one weight moved in a real step at a sound learning rate: the step applies nothing."""
    rate = f"learning_rate={run.learning_rate:g}" if run.learning_rate is not None else "a non-zero learning rate"
    return f"no weight changes at all in a training step despite {rate}: {NO_UPDATE_WHY}"
