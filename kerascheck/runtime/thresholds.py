"""Every number the runtime checks compare against, in one place, with where it comes from.

Users override any of them under ``[tool.kerascheck.runtime]`` (kebab-case keys, e.g.
``dead-relu-fraction = 0.8``); ``config.py`` validates the keys and types against this dataclass, so a
typo is an error rather than a silently ignored threshold. Each rule page cites the thresholds it uses.

Defaults are chosen with a wide margin on both sides: healthy models (a scaled MLP, a small CNN, an LSTM
classifier, a two-input functional model, a subclassed model; see ``tests/runtime``) sit far inside them,
and the buggy models the checks target sit far outside. References:

- [DD] DeepDiagnosis (Wardat et al., ICSE 2022), its Keras callback's thresholds.
- [AT] AUTOTRAINER (Zhang et al., ICSE 2021): vanishing/exploding gradient and dying ReLU conditions.
- [TDC] TheDeepChecker (Ben Braiek & Khomh, 2023): activation, weight and update-ratio heuristics.
- [K] Karpathy, "A Recipe for Training Neural Networks" (2019): update/weight ratio ~1e-3; initial loss
  at chance level (ln C); overfit one batch.
- [GB] Glorot & Bengio (2010), [HE] He et al. (2015): the initializer scales a kernel's std is compared to.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

__all__ = ["Thresholds", "THRESHOLD_DOCS", "threshold_key"]


@dataclass(frozen=True)
class Thresholds:
    """Runtime thresholds (see the module docstring for references; each field's doc is in ``THRESHOLD_DOCS``)."""

    # -- data (KC601-KC603) ----------------------------------------------------------------------
    max_scan_batches: int = 20
    input_abs_max: float = 20.0
    input_bulk_max: float = 4.0
    feature_scale_ratio: float = 1000.0
    soft_label_sum_tolerance: float = 0.01
    # -- initial loss (KC604) --------------------------------------------------------------------
    initial_loss_chance_factor: float = 2.0
    # -- initialization (KC701, KC702) -----------------------------------------------------------
    kernel_std_factor: float = 10.0
    # -- forward (KC703-KC705) -------------------------------------------------------------------
    dead_relu_fraction: float = 0.9
    saturation_preactivation: float = 5.0
    saturated_fraction: float = 0.5
    # -- backward (KC706-KC709) ------------------------------------------------------------------
    vanishing_gradient_ratio: float = 1e-4
    exploding_gradient_ratio: float = 1e4
    exploding_gradient_norm: float = 1e6
    update_ratio_max: float = 1.0
    update_ratio_min: float = 1e-7
    # -- probe training (KC801-KC804) ------------------------------------------------------------
    probe_steps: int = 20
    probe_time_budget: float = 10.0
    divergence_factor: float = 10.0
    overfit_min_relative_drop: float = 0.01
    batch_size: int = 32

    def with_overrides(self, pairs: Iterable[tuple[str, Any]]) -> "Thresholds":
        """A copy with ``(field name, value)`` pairs applied (validated by ``config.py`` beforehand)."""
        return dataclasses.replace(self, **dict(pairs))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


THRESHOLD_DOCS: Mapping[str, str] = {
    "max_scan_batches": "Batches of a dataset/generator scanned by the data checks (arrays are scanned whole).",
    "input_abs_max": "KC602: inputs whose largest magnitude exceeds this are unnormalized [TDC: inputs "
                     "should lie in about [-1, 1]; 20 leaves room for standardized outliers].",
    "input_bulk_max": "KC602: ...and the bulk is off scale too: overall |mean| or a feature's std above this "
                      "(standardised data with heavy tails reaches |x| = 44 with every feature's std at 1).",
    "feature_scale_ratio": "KC602: features whose standard deviations differ by more than this factor.",
    "soft_label_sum_tolerance": "KC603: soft/one-hot label rows must sum to 1 within this.",
    "initial_loss_chance_factor": "KC604: cross-entropy at step 0 above this many times chance (ln C) [K; "
                                  "healthy MLPs/CNNs measured at 0.99-1.15x, logits read as probabilities "
                                  "at 2.7-4.8x (10-way) and 1.0-9.8x (binary)].",
    "kernel_std_factor": "KC702: kernel std more than this factor above or below its He/Glorot scale [GB, HE].",
    "dead_relu_fraction": "KC703: fraction of a ReLU layer's units that are zero on every example of the "
                          "batch [AT: dying ReLU; healthy nets measured at <= 3% on centred inputs, but up "
                          "to 50% (32 filters) and 75% (8 filters) in the deeper conv layers of healthy "
                          "CNNs on uncentred [0, 1] noise images, as --synthetic-data makes; a negative "
                          "bias or zero kernel kills 100%].",
    "saturation_preactivation": "KC704: |pre-activation| beyond which sigmoid/tanh count as saturated [DD, TDC].",
    "saturated_fraction": "KC704: fraction of saturated pre-activations that flags a layer.",
    "vanishing_gradient_ratio": "KC706: first-to-last layer gradient-norm ratio below this [AT, DD; healthy "
                                "MLPs measured at 0.6-1.5, a 12-layer sigmoid stack at 1e-8].",
    "exploding_gradient_ratio": "KC707: first-to-last layer gradient-norm ratio above this [AT].",
    "exploding_gradient_norm": "KC707: a layer's gradient norm above this [DD].",
    "update_ratio_max": "KC709: |update| / |weights| of a layer after one real optimizer step above this [K].",
    "update_ratio_min": "KC709: |update| / |weights| below this: the weights barely move [K, TDC].",
    "probe_steps": "KC801-KC804: optimizer steps on one repeated batch (on a copy of the model).",
    "probe_time_budget": "KC801-KC804: seconds of probe steps after the first (traced) one; once spent, the "
                         "probe stops after at least 5 steps (a ResNet50 step takes ~3 s on one CPU core, "
                         "a small CNN's ~2 ms); 0 = always take probe_steps.",
    "divergence_factor": "KC802: the probe loss ends above this many times its first value.",
    "overfit_min_relative_drop": "KC803: the probe loss must fall by at least this fraction on one batch [K].",
    "batch_size": "Examples per measured batch (the fit's batch_size when smaller).",
}


def threshold_key(field_name: str) -> str:
    """The kebab-case config key of a field (``dead_relu_fraction`` -> ``dead-relu-fraction``)."""
    return field_name.replace("_", "-")


def field_types() -> dict[str, type]:
    """Field name -> the type its value must have (int or float)."""
    return {f.name: type(f.default) for f in dataclasses.fields(Thresholds)}

