"""What the runtime pass measured, as plain data: the input of the runtime rules and of the report.

No TensorFlow or NumPy types here: every value is a Python number, string, list or ``None``, so the
child can send it to the parent as JSON and the rules (``kerascheck/rules/kc6*``-``kc8*``) and reporters
run without TensorFlow. ``None`` means "not measured" (the check could not be done; ``unavailable``
says why) and rules stay silent on it.

The JSON form (``to_json``) is the documented ``measurements`` key of ``kerascheck run --output-format
json``; keep README's schema section in step with it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Site", "LayerStats", "ArrayStats", "ProbeStats", "StepError", "Unavailable", "RunMeasurements"]


@dataclass(frozen=True)
class Site:
    """A place in the user's source: 1-based line and column, end exclusive (columns may be unknown).

    In a notebook, ``file`` is the ``.ipynb`` path, ``cell`` the 1-based index among its code cells
    and ``line`` the line inside that cell (as the static pass reports notebook findings).
    """

    file: str
    line: int
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    cell: int | None = None


@dataclass
class LayerStats:
    """One layer of the live model, in model order (nested models flattened, their layers included).

    Init: ``kernel_*`` describe the main weight matrix (``kernel``/``depthwise_kernel``...), ``fan_in``/
    ``fan_out`` its fans, ``expected_std`` the He (relu family) or Glorot (otherwise) std for them.
    Forward (one batch): ``act_*`` over the layer's output, ``dead_fraction`` the fraction of units zero
    on *every* example (ReLU-family layers only), ``saturated_fraction`` the fraction of sigmoid/tanh
    pre-activations beyond ``Thresholds.saturation_preactivation``, ``nonfinite_output`` whether the output
    had NaN/Inf. Backward: ``grad_norm`` (L2 over the layer's trainable weights), ``weight_norm``,
    ``nonfinite_grad``, ``update_ratio`` = |weights after one real optimizer step - before| / |before|.
    """

    index: int
    name: str
    kind: str
    site: Site | None = None
    activation: str | None = None
    output_shape: list[int | None] | None = None
    params: int = 0
    trainable: bool = True
    kernel_shape: list[int] | None = None
    kernel_std: float | None = None
    kernel_mean: float | None = None
    fan_in: int | None = None
    fan_out: int | None = None
    expected_std: float | None = None
    act_mean: float | None = None
    act_std: float | None = None
    dead_fraction: float | None = None
    saturated_fraction: float | None = None
    nonfinite_output: bool | None = None
    grad_norm: float | None = None
    weight_norm: float | None = None
    nonfinite_grad: bool | None = None
    update_ratio: float | None = None


@dataclass
class ArrayStats:
    """One array given to ``fit`` (an input, the targets, validation data, sample weights).

    ``role`` is ``"x"``, ``"y"``, ``"validation_x"``, ``"validation_y"`` or ``"sample_weight"``; ``name``
    the input/output name or position (``"x[1]"``, ``"x['age']"``); ``scanned`` is ``"all"`` for an
    array, or ``"N batches"`` for a stream. Statistics are over the finite values; ``feature_std_*``
    (2-D inputs) over the columns that vary, so an unused one-hot column does not count as a scale.
    """

    role: str
    name: str
    shape: list[int | None] | None = None
    dtype: str | None = None
    kind: str = "numeric"  # "numeric", "string", "object"
    scanned: str = "all"
    count: int = 0
    nonfinite: int = 0
    first_nonfinite_index: int | None = None  # first row (example) holding a NaN/Inf
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    integer_valued: bool | None = None
    unique_values: list[Any] | None = None  # at most 32 distinct values, when that few
    feature_std_min: float | None = None
    feature_std_max: float | None = None
    row_sum_min: float | None = None  # 2-D targets: the range of row sums (one-hot/soft labels)
    row_sum_max: float | None = None
    # Inputs (role "x"): the kinds of the first layers that read this array, past pass-through layers
    # (augmentation, reshaping): ["Rescaling"], ["Embedding"], ["Dense"]; None when unknown (subclassed).
    input_layers: list[str] | None = None


@dataclass
class ProbeStats:
    """A few optimizer steps on one repeated batch, on a copy of the model with the real optimizer.

    ``losses[i]`` is the loss before step ``i + 1`` (``losses[0]`` the initial loss); ``metrics`` the
    compiled metrics per step; ``nan_step`` the first step whose loss was not finite and
    ``first_nonfinite_layer`` the first layer (model order) whose weights or output went non-finite.
    """

    steps: int = 0
    losses: list[float | None] = field(default_factory=list)
    metrics: dict[str, list[float | None]] = field(default_factory=dict)
    initial_loss: float | None = None
    chance_loss: float | None = None
    nan_step: int | None = None
    first_nonfinite_layer: str | None = None
    planned_steps: int = 0  # probe_steps; ``steps`` is lower when the time budget stopped the probe
    step_seconds: float | None = None  # median wall time of a step after the first (traced) one


@dataclass
class StepError:
    """The exception the model raised the first time it met the data (probe step or the script's fit)."""

    type: str
    message: str
    stage: str = "probe"  # "probe", "forward", "gradients", "fit"
    # The fit argument at fault when the data preparation knows it better than Keras's message says
    # ("sample_weight" for a plain list that Keras reports as x; "x" for a generator yielding lists).
    argument: str | None = None


@dataclass
class Unavailable:
    """A check that could not be done on this model, and why (reported as one info finding)."""

    check: str
    reason: str


@dataclass
class RunMeasurements:
    """Everything measured on one captured model: what the runtime rules read.

    Model-level facts: ``loss`` is the canonical loss name (``None`` for a custom one), ``from_logits``,
    ``head_units``/``head_activation`` the output layer's units and (folded) activation, ``num_outputs``,
    ``optimizer``/``learning_rate`` as configured, ``model_site``/``compile_site``/``fit_site`` where the
    user's code made the model and called ``compile``/``fit``.
    """

    model_name: str | None = None
    model_kind: str | None = None  # "sequential", "functional", "subclassed"
    model_site: Site | None = None
    compile_site: Site | None = None
    fit_site: Site | None = None
    fit_method: str = "fit"
    loss: str | None = None
    from_logits: bool | None = None
    custom_loss: str | None = None  # the name of the user's own loss function or Loss class, if that is it
    head_units: int | None = None
    head_activation: str | None = None
    num_outputs: int = 1
    optimizer: str | None = None
    learning_rate: float | None = None
    batch_size: int | None = None
    layers: list[LayerStats] = field(default_factory=list)
    data: list[ArrayStats] = field(default_factory=list)
    probe: ProbeStats | None = None
    step_error: StepError | None = None
    unavailable: list[Unavailable] = field(default_factory=list)

    def layer(self, name: str) -> LayerStats | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def array(self, role: str) -> list[ArrayStats]:
        return [a for a in self.data if a.role == role]

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RunMeasurements":
        def site(value: Any) -> Site | None:
            return None if value is None else Site(**value)

        values = dict(data)
        for key in ("model_site", "compile_site", "fit_site"):
            values[key] = site(values.get(key))
        values["layers"] = [LayerStats(**{**l, "site": site(l.get("site"))}) for l in values.get("layers", [])]
        values["data"] = [ArrayStats(**a) for a in values.get("data", [])]
        values["probe"] = None if values.get("probe") is None else ProbeStats(**values["probe"])
        values["step_error"] = None if values.get("step_error") is None else StepError(**values["step_error"])
        values["unavailable"] = [Unavailable(**u) for u in values.get("unavailable", [])]
        return cls(**values)
