"""How ``kerascheck run`` shows what it measured: the per-layer table (text) and the JSON document.

The table exists so the *place* where training breaks is visible at a glance: one row per layer in
model order, its creation line, output shape, activation statistics, the dead or saturated share,
and the gradient norm with a log-scale bar (one ``#`` per decade, relative to the largest norm), so a
vanishing stack shows as bars shrinking towards the input. It goes to stderr: stdout stays findings
only, as for ``kerascheck check``.

The JSON document is one object, ``{"diagnostics", "measurements", "status", "error"}``. JSON has no
NaN or Infinity, and measurements of a broken model are full of them, so non-finite floats are written
as the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (what JavaScript's ``String(x)`` gives):
every consumer gets valid JSON and still sees which value was not finite.
"""

from __future__ import annotations

import math
from typing import Any, Sequence, TextIO

from kerascheck.runtime.measurements import LayerStats, RunMeasurements
from kerascheck.runtime.outcome import RunReport

__all__ = ["layer_table", "json_document", "finite_json", "gradient_bar", "write_json_document"]

BAR_WIDTH = 10  # decades shown: a norm 1e-10 of the largest one or less gets the one-character floor


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.3g}"


def gradient_bar(norm: float | None, largest: float | None) -> str:
    """``#`` per decade: ``BAR_WIDTH`` for the largest finite norm, one fewer per decade below it."""
    if norm is None or largest is None or largest <= 0:
        return ""
    if not math.isfinite(norm):
        return "!" * BAR_WIDTH
    if norm <= 0:
        return ""
    decades = math.log10(largest / norm)
    return "#" * max(1, BAR_WIDTH - int(math.floor(decades)))


def _share(layer: LayerStats) -> str:
    if layer.dead_fraction is not None:
        return f"dead {layer.dead_fraction:.0%}"
    if layer.saturated_fraction is not None:
        return f"sat {layer.saturated_fraction:.0%}"
    return "-"


def _where(layer: LayerStats) -> str:
    if layer.site is None:
        return "-"
    return (f"c{layer.site.cell}:" if layer.site.cell is not None else "") + str(layer.site.line)


def _shape(shape: Sequence[int | None] | None) -> str:
    if shape is None:
        return "-"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _kind(layer: LayerStats) -> str:
    return f"{layer.kind}({layer.activation})" if layer.activation and layer.activation != "linear" else layer.kind


def _headline(m: RunMeasurements) -> str:
    parts = [f"model {m.model_name!r}" if m.model_name else "model"]
    if m.model_kind:
        parts[0] += f" ({m.model_kind})"
    if m.loss or m.from_logits is not None:
        parts.append(f"loss {m.loss or 'custom'}" + (", from_logits" if m.from_logits else ""))
    if m.optimizer:
        parts.append(f"optimizer {m.optimizer}" + (f" lr={_number(m.learning_rate)}" if m.learning_rate else ""))
    if m.batch_size:
        parts.append(f"batch {m.batch_size}")
    line = ", ".join(parts)
    probe = m.probe
    if probe is not None and probe.losses:
        line += (f"\nprobe: loss {_number(probe.losses[0])} -> {_number(probe.losses[-1])} over "
                 f"{probe.steps} steps on one batch")
        if probe.chance_loss is not None:
            line += f" (chance level {_number(probe.chance_loss)})"
        if probe.nan_step is None and probe.planned_steps > probe.steps and probe.step_seconds is not None:
            line += (f"; stopped at {probe.steps} of {probe.planned_steps} steps by probe-time-budget "
                     f"({_number(probe.step_seconds)} s a step)")
    return line


def layer_table(measurements: RunMeasurements) -> str:
    """The text table (with a headline) for stderr; empty when no layer was measured."""
    layers = measurements.layers
    if not layers:
        return ""
    finite = [l.grad_norm for l in layers if l.grad_norm is not None and math.isfinite(l.grad_norm)
              and l.grad_norm > 0]
    largest = max(finite) if finite else None
    header = ("#", "layer", "kind", "line", "output", "act mean", "act std", "dead/sat", "grad norm", "", "update")
    rows = [header] + [
        (str(l.index), l.name, _kind(l), _where(l), _shape(l.output_shape), _number(l.act_mean),
         _number(l.act_std), _share(l), _number(l.grad_norm), gradient_bar(l.grad_norm, largest),
         _number(l.update_ratio))
        for l in layers
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 5, 6, 7, 8, 10}  # numbers line up on their last digit
    lines = ["  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]
    return _headline(measurements) + "\n" + "\n".join(lines) + "\n"


def finite_json(value: Any) -> Any:
    """``value`` with every non-finite float replaced by ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(item) for item in value]
    return value


def json_document(report: RunReport) -> dict[str, Any]:
    """The documented ``--output-format json`` object of ``kerascheck run``."""
    from kerascheck.report.json_report import json_object

    return finite_json({
        "diagnostics": [json_object(d) for d in report.diagnostics],
        "measurements": None if report.measurements is None else report.measurements.to_json(),
        "status": report.status,
        "error": report.error,
    })


def write_json_document(report: RunReport, out: TextIO) -> None:
    from kerascheck.report.json_report import dumps

    out.write(dumps(json_document(report)) + "\n")
