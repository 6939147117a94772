"""The library API for notebooks: ``check_model`` before training, ``Monitor`` during it.

``check_model(model, x, y)`` runs the same checks as ``kerascheck run`` on a model the user already has
in memory (no script, no child process) and returns a ``CheckReport`` that prints as text and renders
as a table in Jupyter. ``Monitor`` is a Keras callback for real training: the moment the loss or a
weight turns non-finite, or accuracy sits at zero for a number of batches, it prints one message that
names the first layer that went bad and the likely causes, instead of the bare ``loss: nan`` users
see, and can stop training.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import keras
import numpy as np

from kerascheck.config import Settings, default_settings
from kerascheck.diagnostics import Diagnostic
from kerascheck.runtime import live_names
from kerascheck.runtime.capture import Capture, site_of
from kerascheck.runtime.checks import run_checks
from kerascheck.runtime.measure import first_nonfinite_weights, forward_stats, leaf_layers
from kerascheck.runtime.measurements import LayerStats, RunMeasurements

__all__ = ["CheckReport", "check_model", "Monitor"]

_COLUMNS = ("layer", "kind", "output shape", "act mean", "act std", "dead", "saturated", "grad norm",
            "update ratio")


def _cell(value: Any, percent: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if percent:
            return f"{value:.0%}"
        return f"{value:.3g}" if math.isfinite(value) else str(value)
    if isinstance(value, list):
        return "(" + ", ".join("None" if d is None else str(d) for d in value) + ")"
    return str(value)


def _row(layer: LayerStats) -> list[str]:
    return [layer.name, layer.kind, _cell(layer.output_shape), _cell(layer.act_mean), _cell(layer.act_std),
            _cell(layer.dead_fraction, True), _cell(layer.saturated_fraction, True), _cell(layer.grad_norm),
            _cell(layer.update_ratio)]


@dataclass
class CheckReport:
    """What ``check_model`` found: the diagnostics and every measurement behind them."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    measurements: RunMeasurements = field(default_factory=RunMeasurements)

    @property
    def ok(self) -> bool:
        """No warning or error (info findings about checks that could not run do not count)."""
        return not [d for d in self.diagnostics if d.severity.value != "info"]

    def __str__(self) -> str:
        lines = [f"{d.code} {d.name} [{d.severity.value}]" + (f" ({dict(d.extra)['layer']})" if d.extra else "")
                 + f": {d.message}" for d in self.diagnostics] or ["no problem found"]
        rows = [list(_COLUMNS)] + [_row(layer) for layer in self.measurements.layers]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
        table = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        return "\n".join(lines + [""] + table)

    def _repr_html_(self) -> str:
        """Jupyter: the findings as a list, then the per-layer table."""
        items = "".join(f"<li><b>{html.escape(d.code)}</b> {html.escape(d.name)} ({d.severity.value}): "
                        f"{html.escape(d.message)}</li>" for d in self.diagnostics) or "<li>no problem found</li>"
        head = "".join(f"<th>{html.escape(c)}</th>" for c in _COLUMNS)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _row(layer)) + "</tr>"
                       for layer in self.measurements.layers)
        return f"<ul>{items}</ul><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def check_model(model: Any, x: Any, y: Any = None, *, settings: Settings | None = None,
                batch_size: int | None = None) -> CheckReport:
    """Run the runtime checks on a compiled model and data in memory; the model is left as it was."""
    capture = Capture(model=model, x=x, y=y, batch_size=batch_size, method="check_model")
    diagnostics, measurements = run_checks(capture, settings or default_settings())
    return CheckReport(diagnostics=diagnostics, measurements=measurements)


class Monitor(keras.callbacks.Callback):
    """A callback that explains a training run going bad, the moment it does.

    It watches every batch's logs: a non-finite loss, a NaN/Inf weight (checked every
    ``weight_check_every`` batches, since reading all weights costs), and an accuracy metric exactly 0
    for ``zero_accuracy_batches`` batches in a row. It then prints one message naming the first layer
    (model order) whose weights went non-finite, or, with ``sample`` (an input batch), the first layer
    whose output does, with the likely causes from the optimizer settings; each kind of problem is
    reported once. ``stop_training=True`` also stops ``fit``.
    """

    def __init__(self, *, stop_training: bool = False, zero_accuracy_batches: int = 50,
                 weight_check_every: int = 10, sample: Any = None,
                 print_fn: Callable[[str], None] = print) -> None:
        super().__init__()
        self.stop = stop_training
        self.zero_accuracy_batches = zero_accuracy_batches
        self.weight_check_every = max(1, weight_check_every)
        self.sample = sample
        self.print_fn = print_fn
        self.messages: list[str] = []
        self._reported: set[str] = set()
        self._zero_run = 0
        self._epoch = 0

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        where = f"epoch {self._epoch + 1}, batch {batch + 1}"
        loss = _as_float(logs.get("loss"))
        if loss is not None and not math.isfinite(loss):
            self._report("loss", f"the loss became {loss} at {where}", nonfinite=True)
        elif (batch + 1) % self.weight_check_every == 0 and first_nonfinite_weights(self.model):
            self._report("weights", f"a weight became NaN/Inf by {where}", nonfinite=True)
        accuracies = [_as_float(v) for k, v in logs.items() if "acc" in k]
        self._zero_run = self._zero_run + 1 if accuracies and all(a == 0.0 for a in accuracies) else 0
        if self._zero_run >= self.zero_accuracy_batches:
            self._report("accuracy", f"accuracy has been exactly 0 for {self._zero_run} batches up to {where}: "
                                     "the predictions never match the targets; continuous targets (a "
                                     "regression measured with accuracy) or labels encoded differently from "
                                     "what the loss expects are the usual causes", nonfinite=False)

    def _report(self, kind: str, what: str, *, nonfinite: bool) -> None:
        if kind in self._reported or (nonfinite and ({"loss", "weights"} & self._reported)):
            return
        self._reported.add(kind)
        message = f"kerascheck: {what}" + (self._diagnose() if nonfinite else "")
        self.messages.append(message)
        self.print_fn(message)
        if self.stop:
            self.model.stop_training = True

    def _diagnose(self) -> str:
        """Which layer went bad first, and the likely causes from the optimizer's settings."""
        model = self.model
        layer_name = first_nonfinite_weights(model)
        found = f"; the first layer with NaN/Inf weights is {layer_name}" if layer_name else ""
        if layer_name is None and self.sample is not None:
            stats = [LayerStats(index=i, name=layer.name, kind=type(layer).__name__)
                     for i, layer in enumerate(leaf_layers(model))]
            try:
                forward_stats(model, self.sample, stats, _default_thresholds())
                bad = next((s for s in stats if s.nonfinite_output), None)
            except Exception:  # noqa: BLE001 - a diagnosis must never break the user's training
                bad = None
            found = f"; the first layer to output NaN/Inf is {bad.name} ({bad.kind})" if bad else ""
        if layer_name:
            layer = next((l for l in leaf_layers(model) if l.name == layer_name), None)
            site = site_of(layer) if layer is not None else None
            if site is not None:
                found += f" (created at {site.file}:{site.line})"
        info = live_names.optimizer_info(getattr(model, "optimizer", None))
        causes = []
        if info.get("learning_rate") is not None:
            clip = "" if info.get("clipping") else " without clipnorm"
            causes.append(f"the learning rate {info['learning_rate']:g} ({info.get('kind')}){clip} may be too "
                          "high: try 10x lower or clipnorm=1.0")
        causes.append("inputs or targets far from unit scale, or NaN in the data: run "
                      "kerascheck.runtime.check_model(model, x, y) on the training data")
        causes.append("a log/sqrt/division of a value reaching 0 in a custom loss or layer")
        return found + "; likely causes: " + "; ".join(causes)


def _default_thresholds() -> Any:
    return default_settings().thresholds()


def _as_float(value: Any) -> float | None:
    try:
        return float(np.asarray(value))
    except (TypeError, ValueError):
        return None
