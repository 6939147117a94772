"""What every rule is called and whether it is on by default, without importing the rules.

Selecting rules (``--select``, ``[tool.kerascheck] select``, per-file-ignores) needs each rule's code,
name, default and whether it is a runtime check, and nothing else; importing the 60 rule modules (and
the runtime package the runtime checks pull in) to learn it cost a one-file run more than its lint.
So this table lists them, the engine imports only the rules a run enables, and the static pass never
imports a runtime check. ``tests/test_rule_index.py`` fails when the table is stale; regenerate it with

    python -m kerascheck.rules._index --write

A rule module that the table does not know (a rule just added, the table not regenerated yet) is
noticed from the folder listing, and then every rule is discovered by import as before: stale is only
ever slower, never different.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

# code, name, module, class, default_enabled, runtime -- generated, do not edit by hand
RULES: tuple[tuple[str, str, str, str, bool, bool], ...] = (
    ('KC001', 'unused-suppression', 'kc001_unused_suppression', 'UnusedSuppression', False, False),
    ('KC101', 'single-unit-softmax', 'kc101_single_unit_softmax', 'SingleUnitSoftmax', True, False),
    ('KC102', 'crossentropy-on-unbounded-output', 'kc102_crossentropy_on_unbounded_output', 'CrossentropyOnUnboundedOutput', True, False),
    ('KC103', 'from-logits-on-probabilities', 'kc103_from_logits_on_probabilities', 'FromLogitsOnProbabilities', True, False),
    ('KC104', 'binary-loss-on-multiclass-head', 'kc104_binary_loss_on_multiclass_head', 'BinaryLossOnMulticlassHead', True, False),
    ('KC105', 'categorical-loss-on-single-unit', 'kc105_categorical_loss_on_single_unit', 'CategoricalLossOnSingleUnit', True, False),
    ('KC106', 'accuracy-with-regression-loss', 'kc106_accuracy_with_regression_loss', 'AccuracyWithRegressionLoss', True, False),
    ('KC107', 'loss-task-mismatch', 'kc107_loss_task_mismatch', 'LossTaskMismatch', True, False),
    ('KC108', 'label-encoding-mismatch', 'kc108_label_encoding_mismatch', 'LabelEncodingMismatch', True, False),
    ('KC109', 'output-units-vs-classes', 'kc109_output_units_vs_classes', 'OutputUnitsVsClasses', True, False),
    ('KC110', 'sigmoid-head-with-categorical-loss', 'kc110_sigmoid_head_with_categorical_loss', 'SigmoidHeadWithCategoricalLoss', True, False),
    ('KC111', 'accuracy-on-logits', 'kc111_accuracy_on_logits', 'AccuracyOnLogits', False, False),
    ('KC112', 'bounded-head-on-regression-targets', 'kc112_bounded_head_on_regression_targets', 'BoundedHeadOnRegressionTargets', True, False),
    ('KC113', 'relu-before-softmax', 'kc113_relu_before_softmax', 'ReluBeforeSoftmax', True, False),
    ('KC201', 'learning-rate-too-high', 'kc201_learning_rate_too_high', 'LearningRateTooHigh', True, False),
    ('KC202', 'learning-rate-too-low', 'kc202_learning_rate_too_low', 'LearningRateTooLow', True, False),
    ('KC203', 'rnn-without-gradient-clipping', 'kc203_rnn_without_gradient_clipping', 'RnnWithoutGradientClipping', False, False),
    ('KC204', 'optimizer-epsilon-too-small', 'kc204_optimizer_epsilon_too_small', 'OptimizerEpsilonTooSmall', True, False),
    ('KC205', 'removed-optimizer-argument', 'kc205_removed_optimizer_argument', 'RemovedOptimizerArgument', True, False),
    ('KC301', 'unscaled-input', 'kc301_unscaled_input', 'UnscaledInput', True, False),
    ('KC302', 'unscaled-tabular-input', 'kc302_unscaled_tabular_input', 'UnscaledTabularInput', True, False),
    ('KC303', 'missing-value-handling', 'kc303_missing_value_handling', 'MissingValueHandling', False, False),
    ('KC304', 'scaled-input-into-embedding', 'kc304_scaled_input_into_embedding', 'ScaledInputIntoEmbedding', True, False),
    ('KC305', 'fit-on-python-list-or-object-array', 'kc305_fit_on_python_list_or_object_array', 'FitOnPythonListOrObjectArray', True, False),
    ('KC306', 'predict-on-one-sample-without-batch-axis', 'kc306_predict_on_one_sample_without_batch_axis', 'PredictOnOneSampleWithoutBatchAxis', True, False),
    ('KC401', 'saturating-deep-stack', 'kc401_saturating_deep_stack', 'SaturatingDeepStack', True, False),
    ('KC402', 'missing-hidden-activation', 'kc402_missing_hidden_activation', 'MissingHiddenActivation', True, False),
    ('KC403', 'softmax-in-hidden-layer', 'kc403_softmax_in_hidden_layer', 'SoftmaxInHiddenLayer', True, False),
    ('KC404', 'constant-kernel-initializer', 'kc404_constant_kernel_initializer', 'ConstantKernelInitializer', True, False),
    ('KC405', 'oversized-random-initializer', 'kc405_oversized_random_initializer', 'OversizedRandomInitializer', True, False),
    ('KC406', 'extreme-dropout', 'kc406_extreme_dropout', 'ExtremeDropout', True, False),
    ('KC407', 'dropout-after-logits', 'kc407_dropout_after_logits', 'DropoutAfterLogits', True, False),
    ('KC408', 'channels-first-input-shape', 'kc408_channels_first_input_shape', 'ChannelsFirstInputShape', True, False),
    ('KC409', 'dense-on-feature-map', 'kc409_dense_on_feature_map', 'DenseOnFeatureMap', True, False),
    ('KC410', 'input-shape-rank', 'kc410_input_shape_rank', 'InputShapeRank', True, False),
    ('KC411', 'sequence-output-into-head', 'kc411_sequence_output_into_head', 'SequenceOutputIntoHead', True, False),
    ('KC412', 'single-unit-relu-bottleneck', 'kc412_single_unit_relu_bottleneck', 'SingleUnitReluBottleneck', True, False),
    ('KC413', 'sequential-add-keyword', 'kc413_sequential_add_keyword', 'SequentialAddKeyword', True, False),
    ('KC501', 'log-of-unclamped-value', 'kc501_log_of_unclamped_value', 'LogOfUnclampedValue', True, False),
    ('KC502', 'division-by-unguarded-denominator', 'kc502_division_by_unguarded_denominator', 'DivisionByUnguardedDenominator', True, False),
    ('KC503', 'sqrt-at-zero', 'kc503_sqrt_at_zero', 'SqrtAtZero', True, False),
    ('KC504', 'exp-overflow', 'kc504_exp_overflow', 'ExpOverflow', True, False),
    ('KC505', 'handwritten-crossentropy', 'kc505_handwritten_crossentropy', 'HandwrittenCrossentropy', False, False),
    ('KC601', 'non-finite-data', 'kc601_non_finite_data', 'NonFiniteData', True, True),
    ('KC602', 'unnormalized-data', 'kc602_unnormalized_data', 'UnnormalizedData', True, True),
    ('KC603', 'label-range-mismatch', 'kc603_label_range_mismatch', 'LabelRangeMismatch', True, True),
    ('KC604', 'initial-loss-anomaly', 'kc604_initial_loss_anomaly', 'InitialLossAnomaly', True, True),
    ('KC605', 'first-step-error', 'kc605_first_step_error', 'FirstStepError', True, True),
    ('KC701', 'constant-weights', 'kc701_constant_weights', 'ConstantWeights', True, True),
    ('KC702', 'weight-scale', 'kc702_weight_scale', 'WeightScale', True, True),
    ('KC703', 'dead-relu', 'kc703_dead_relu', 'DeadRelu', True, True),
    ('KC704', 'saturated-activations', 'kc704_saturated_activations', 'SaturatedActivations', True, True),
    ('KC705', 'non-finite-activations', 'kc705_non_finite_activations', 'NonFiniteActivations', True, True),
    ('KC706', 'vanishing-gradients', 'kc706_vanishing_gradients', 'VanishingGradients', True, True),
    ('KC707', 'exploding-gradients', 'kc707_exploding_gradients', 'ExplodingGradients', True, True),
    ('KC708', 'non-finite-gradients', 'kc708_non_finite_gradients', 'NonFiniteGradients', True, True),
    ('KC709', 'update-ratio', 'kc709_update_ratio', 'UpdateRatio', True, True),
    ('KC801', 'loss-becomes-nan', 'kc801_loss_becomes_nan', 'LossBecomesNan', True, True),
    ('KC802', 'loss-diverges', 'kc802_loss_diverges', 'LossDiverges', True, True),
    ('KC803', 'cannot-overfit-one-batch', 'kc803_cannot_overfit_one_batch', 'CannotOverfitOneBatch', True, True),
    ('KC804', 'accuracy-stuck-at-zero', 'kc804_accuracy_stuck_at_zero', 'AccuracyStuckAtZero', True, True),
    ('KC901', 'removed-keras2-argument', 'kc901_removed_keras2_argument', 'RemovedKeras2Argument', True, False),
    ('KC902', 'removed-keras2-api', 'kc902_removed_keras2_api', 'RemovedKeras2Api', True, False),
)


class RuleInfo:
    """A rule's selection metadata; ``load()`` imports its class (``options`` and ``default_options`` too)."""

    __slots__ = ("code", "name", "module", "class_name", "default_enabled", "runtime", "_class")

    def __init__(self, code: str, name: str, module: str, class_name: str, default_enabled: bool,
                 runtime: bool, rule_class: Any = None) -> None:
        self.code, self.name, self.module, self.class_name = code, name, module, class_name
        self.default_enabled, self.runtime = default_enabled, runtime
        self._class = rule_class

    def load(self) -> Any:
        if self._class is None:
            module = importlib.import_module(f"kerascheck.rules.{self.module}")
            self._class = getattr(module, self.class_name)
        return self._class

    @property
    def options(self) -> Any:
        return self.load().options

    def default_options(self) -> dict[str, Any]:
        return self.load().default_options()

    def __repr__(self) -> str:
        return f"RuleInfo({self.code!r}, {self.name!r})"


_INDEX: dict[str, RuleInfo] | None = None
_FROM_REGISTRY: tuple[Any, dict[str, RuleInfo]] = (None, {})


def rule_index() -> dict[str, RuleInfo]:
    """Every rule by code, sorted, as ``RuleInfo`` (from the table when it is current).

    Once the rules have been discovered by import (``base.all_rules``: the rule catalogue, the
    runtime checks, tests that install fake rules), that registry is the truth and is used instead.
    """
    global _INDEX, _FROM_REGISTRY
    base = sys.modules.get("kerascheck.rules.base")
    registry = getattr(base, "_REGISTRY", None)
    if registry is not None:
        if _FROM_REGISTRY[0] is not registry:
            _FROM_REGISTRY = (registry, {code: _info(rule) for code, rule in registry.items()})
        return _FROM_REGISTRY[1]
    if _INDEX is None:
        if _table_is_current():
            _INDEX = {row[0]: RuleInfo(*row) for row in RULES}
        else:
            from kerascheck.rules.base import all_rules

            _INDEX = {code: _info(rule) for code, rule in all_rules().items()}
    return _INDEX


def load_rule(code: str) -> Any:
    """The rule class of ``code`` (importing only its module), or None for an unknown code."""
    info = rule_index().get(code)
    return None if info is None else info.load()


def _rule_modules() -> set[str]:
    folder = os.path.dirname(__file__)
    return {name[:-3] for name in os.listdir(folder)
            if name.endswith(".py") and not name.startswith("_") and name != "base.py"}


def _table_is_current() -> bool:
    return bool(RULES) and {row[2] for row in RULES} == _rule_modules()


def _info(rule: Any) -> RuleInfo:
    return RuleInfo(rule.code, rule.name, rule.__module__.rsplit(".", 1)[-1], rule.__name__,
                    bool(rule.default_enabled), bool(rule.runtime), rule)


def generated_rows() -> list[tuple[str, str, str, str, bool, bool]]:
    """The table as discovery by import finds it (what ``--write`` writes and the test compares)."""
    from kerascheck.rules.base import all_rules

    return [(i.code, i.name, i.module, i.class_name, i.default_enabled, i.runtime)
            for i in (_info(rule) for rule in all_rules().values())]


def _write() -> None:
    path = os.path.abspath(__file__)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("RULES: tuple")
    end = text.index("\n)\n", start) + 3
    rows = "".join(f"    {row!r},\n" for row in generated_rows())
    text = text[:start] + "RULES: tuple[tuple[str, str, str, str, bool, bool], ...] = (\n" + rows + ")\n" + text[end:]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        _write()
    else:
        print("usage: python -m kerascheck.rules._index --write", file=sys.stderr)
        sys.exit(2)
