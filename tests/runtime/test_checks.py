"""run_checks / evaluate: rule selection, where findings point, unavailable checks, crashing rules."""

from __future__ import annotations

import dataclasses
import os
from typing import Iterator

import pytest

from kerascheck.config import default_settings
from kerascheck.diagnostics import Severity
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule, all_rules
from kerascheck.runtime import checks
from kerascheck.runtime.checks import NO_SITE_PATH, UNAVAILABLE_NAME, evaluate
from kerascheck.runtime.measurements import LayerStats, RunMeasurements, Site, Unavailable


def dead_layer_run(layer_site: Site | None, fit_site: Site | None = None) -> RunMeasurements:
    layer = LayerStats(0, "hidden", "Dense", site=layer_site, activation="relu", dead_fraction=1.0,
                       output_shape=[None, 4])
    return RunMeasurements(layers=[layer], fit_site=fit_site)


def test_a_layer_finding_points_at_the_layer_and_names_it(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))
    site = Site(os.path.join(str(tmp_path), "train.py"), 5, 9, 5, 30)
    (diagnostic,) = [d for d in evaluate(dead_layer_run(site), default_settings()) if d.code == "KC703"]
    assert (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.end_column) == ("train.py", 5, 9, 30)
    assert diagnostic.to_json()["layer"] == "hidden" and diagnostic.severity is Severity.ERROR


def test_a_notebook_site_keeps_its_cell() -> None:
    site = Site("/nb/train.ipynb", 2, 1, 2, 20, cell=3)
    (diagnostic,) = [d for d in evaluate(dead_layer_run(site), default_settings()) if d.code == "KC703"]
    assert diagnostic.to_json()["cell"] == 3 and diagnostic.line == 2


def test_unknown_sites_fall_back_to_the_fit_call_then_to_no_source() -> None:
    fit = Site("/elsewhere/fit.py", 40)
    (at_fit,) = [d for d in evaluate(dead_layer_run(None, fit), default_settings()) if d.code == "KC703"]
    assert (at_fit.path, at_fit.line) == ("/elsewhere/fit.py", 40)
    (nowhere,) = [d for d in evaluate(dead_layer_run(None), default_settings()) if d.code == "KC703"]
    assert (nowhere.path, nowhere.line, nowhere.column) == (NO_SITE_PATH, 1, 1)


def test_only_enabled_runtime_rules_run() -> None:
    settings = dataclasses.replace(default_settings(), enabled=tuple(c for c in default_settings().enabled
                                                                      if c != "KC703"))
    assert [d for d in evaluate(dead_layer_run(None), settings) if d.code == "KC703"] == []


def test_each_unavailable_check_is_one_info_finding() -> None:
    run = RunMeasurements(fit_site=Site("/x/t.py", 3), unavailable=[
        Unavailable("gradients", "custom train_step"), Unavailable("gradients", "custom train_step"),
        Unavailable("probe training", "not compiled")])
    infos = [d for d in evaluate(run, default_settings()) if d.name == UNAVAILABLE_NAME]
    assert [(d.code, d.severity, d.line) for d in infos] == [("KC000", Severity.INFO, 3)] * 2
    assert sorted(d.message for d in infos) == ["gradients not done: custom train_step",
                                                "probe training not done: not compiled"]


class Crashes(RuntimeRule):
    """A rule with a bug."""

    code = "KC799"
    name = "crashes"

    def check_run(self, run: RunMeasurements, ctx: RuleContext) -> Iterator[Finding]:
        raise ZeroDivisionError("boom")


def test_a_crashing_rule_is_one_internal_error_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = {**all_rules(), "KC799": Crashes}
    monkeypatch.setattr(checks, "all_rules", lambda: rules)
    settings = dataclasses.replace(default_settings(), enabled=default_settings().enabled + ("KC799",))
    diagnostics = evaluate(dead_layer_run(None, Site("/x/t.py", 8)), settings)
    (crash,) = [d for d in diagnostics if d.name == "internal-error"]
    assert crash.code == "KC000" and crash.severity is Severity.ERROR and crash.line == 8
    assert "rule KC799 (crashes) crashed" in crash.message and "ZeroDivisionError: boom" in crash.message
    assert any(d.code == "KC703" for d in diagnostics)


def test_run_checks_merges_the_data_preparation() -> None:
    pytest.importorskip("tensorflow")
    import keras
    import numpy as np

    from kerascheck.runtime.capture import Capture

    x = np.random.default_rng(7).normal(size=(40, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    settings = dataclasses.replace(default_settings(), runtime=(("probe_steps", 2), ("batch_size", 16)))
    diagnostics, run = checks.run_checks(Capture(model=model, x=x, y=y), settings)
    assert diagnostics == []
    assert run.batch_size == 16 and {a.role for a in run.data} == {"x", "y"}
    assert run.probe is not None and run.probe.steps == 2 and run.probe.chance_loss is not None
    _, no_data = checks.run_checks(Capture(model=model), settings)
    assert no_data.layers == [] and no_data.unavailable
