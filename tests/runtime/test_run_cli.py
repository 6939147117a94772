"""``kerascheck run`` on the command line: options, statuses, exit codes, merged findings, table, JSON.

The child is replaced by a fake program (``launcher.child_command`` is patched) that records the
request it got and answers with a prepared result or a misbehaviour, so these tests need no TensorFlow;
the end-to-end tests with the real child are in ``test_run_e2e.py``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kerascheck.cli import cli
from kerascheck.runtime import launcher, run_command
from kerascheck.runtime.measurements import LayerStats, ProbeStats, RunMeasurements, Site
from kerascheck.runtime.outcome import RunReport
from kerascheck.runtime.run_report import finite_json, gradient_bar, json_document, layer_table

FAKE_CHILD = """\
import json, os, sys, time
from kerascheck.runtime.protocol import RunResult, read_request, write_result
request = read_request(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "request.json"), "w") as handle:
    json.dump({"mode": request.mode, "target": request.target, "args": request.args, "cwd": request.cwd,
               "user_roots": request.user_roots, "data_entry": request.data_entry,
               "continue_after": request.continue_after, "synthetic_data": request.synthetic_data,
               "max_samples": request.max_samples, "keras2_compat": request.keras2_compat,
               "enabled": list(request.settings.enabled)}, handle)
print("script output line")
action = open(os.path.join(here, "action.txt")).read().strip()
if action == "segv":
    import ctypes
    ctypes.string_at(0)
elif action == "sleep":
    time.sleep(600)
elif action == "result":
    with open(os.path.join(here, "result.json")) as handle:
        write_result(RunResult(**json.load(handle)), request.result_path)
"""

SCRIPT = textwrap.dedent("""\
    import keras
    from keras import layers
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),  # noqa: KC709
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y)
""")


def _diag(code: str, line: int, *, column: int = 1, name: str = "rule", layer: str | None = None,
          path: str = "train.py", message: str = "measured something") -> dict[str, Any]:
    found = {"code": code, "name": name, "severity": "warning", "message": message, "path": path,
             "line": line, "column": column, "end_line": line, "end_column": column + 1, "fix": None}
    if layer is not None:
        found["layer"] = layer
    return found


def _measurements() -> RunMeasurements:
    site = Site("train.py", 3)
    return RunMeasurements(
        model_name="sequential", model_kind="sequential", loss="binary_crossentropy", optimizer="adam",
        learning_rate=0.001, batch_size=16,
        layers=[
            LayerStats(index=0, name="dense", kind="Dense", site=site, activation="relu", output_shape=[None, 8],
                       act_mean=0.4, act_std=0.6, dead_fraction=0.125, grad_norm=1e-9, update_ratio=2e-3),
            LayerStats(index=1, name="dense_1", kind="Dense", site=Site("train.py", 4), activation="softmax",
                       output_shape=[None, 3], act_mean=0.33, act_std=float("nan"), grad_norm=0.5,
                       update_ratio=None),
        ],
        probe=ProbeStats(steps=3, losses=[0.69, 0.5, float("inf")], chance_loss=0.69),
    )


class Fake:
    """The fake child's directory: what it answers, and the request it recorded."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(exist_ok=True)
        (root / "fake_child.py").write_text(FAKE_CHILD, encoding="utf-8")
        self.answer("result", status="checked")

    def answer(self, action: str, **result: Any) -> None:
        (self.root / "action.txt").write_text(action, encoding="utf-8")
        if result:
            (self.root / "result.json").write_text(json.dumps(result), encoding="utf-8")

    @property
    def request(self) -> dict[str, Any]:
        return json.loads((self.root / "request.json").read_text(encoding="utf-8"))


@pytest.fixture
def fake(tmp_path, monkeypatch) -> Fake:
    project = tmp_path / "project"
    project.mkdir()
    (project / "train.py").write_text(SCRIPT, encoding="utf-8")
    monkeypatch.chdir(project)
    child = Fake(tmp_path / "child")
    monkeypatch.setattr(launcher, "child_command", lambda: [sys.executable, str(child.root / "fake_child.py")])
    monkeypatch.setattr(run_command, "tensorflow_available", lambda: True)
    return child


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["run", *args])


# -- before any child starts -------------------------------------------------------------------


def test_without_tensorflow_it_says_how_to_install_it(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tensorflow" else real(name, *a))
    (tmp_path / "train.py").write_text("import keras\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = _run("train.py")
    assert result.exit_code == 2
    assert "kerascheck run needs TensorFlow: python -m pip install 'kerascheck[runtime]'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args, message", [
    ((), "give a script or notebook to run"),
    (("missing.py",), "no such file: missing.py"),
    (("train.py", "--data", "m:f"), "--data goes with --entry"),
    (("--entry", "not a module"), "--entry wants 'pkg.module:function'"),
    (("--entry", "pkg.mod:build", "train.py"), "not both"),
    (("train.py", "--memory-limit", "1G"), "too small"),
    (("train.py", "--memory-limit", "lots"), "cannot read memory limit"),
])
def test_usage_errors_exit_2_with_one_line(fake, args, message):
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.startswith("kerascheck: error: ")


def test_the_request_carries_every_option(fake):
    fake.answer("result", status="checked")
    result = _run("--continue", "--synthetic-data", "--max-samples", "64", "--keras2-compat",
                  "--select", "KC7", "train.py", "--", "--epochs", "3", "data.csv")
    assert result.exit_code == 0, result.stderr
    request = fake.request
    cwd = str(Path.cwd())
    assert request["mode"] == "script"
    assert request["target"] == str(Path("train.py").resolve())
    assert request["args"] == ["--epochs", "3", "data.csv"]
    assert request["cwd"] == cwd and request["user_roots"] == [cwd]
    assert (request["continue_after"], request["synthetic_data"], request["max_samples"],
            request["keras2_compat"]) == (True, True, 64, True)
    assert request["enabled"] and all(code.startswith("KC7") for code in request["enabled"])


def test_entry_mode_and_notebook_mode(fake, tmp_path):
    assert _run("--entry", "models.factory:build_model", "--data", "models.factory:batch").exit_code == 0
    assert fake.request["mode"] == "entry"
    assert fake.request["target"] == "models.factory:build_model"
    assert fake.request["data_entry"] == "models.factory:batch"
    Path("nb.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    assert _run("nb.ipynb").exit_code == 0
    assert fake.request["mode"] == "notebook"


def test_entry_arguments_after_the_double_dash(fake, tmp_path):
    assert _run("--entry", "models.factory:build_model", "--", "64", "--depth", "3").exit_code == 0
    assert (fake.request["mode"], fake.request["args"]) == ("entry", ["64", "--depth", "3"])
    assert fake.request["target"] == "models.factory:build_model"


def test_entry_module_file_is_found_without_importing_it(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("raise SystemExit('imported!')\n", encoding="utf-8")
    (package / "factory.py").write_text("raise SystemExit('imported!')\n", encoding="utf-8")
    request = run_command.make_request(run_command.RunArgs(entry="pkg.factory:build"),
                                       _settings(), str(tmp_path))
    assert run_command.static_target(request, str(tmp_path)) == str(package / "factory.py")
    missing = run_command.make_request(run_command.RunArgs(entry="nope.mod:build"), _settings(), str(tmp_path))
    assert run_command.static_target(missing, str(tmp_path)) is None


def _settings() -> Any:
    from kerascheck.config import default_settings

    return default_settings()


# -- checked ---------------------------------------------------------------------------------------


def test_findings_exit_1_with_static_and_runtime_merged(fake):
    fake.answer("result", status="checked", measurements=_measurements().to_json(), diagnostics=[
        _diag("KC104", 5, column=7),                     # the static pass reports it too: dropped
        _diag("KC703", 3, layer="dense", name="dead-relu"),  # runtime only: kept
        _diag("KC709", 3, layer="dense"),                # `# noqa: KC709` on line 3: suppressed
    ])
    result = _run("train.py")
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("train.py:3:1: KC703 ")
    assert lines[1].startswith("train.py:5:38: KC104 ")  # the static one, exact column
    assert len(lines) == 2
    assert "dense_1" in result.stderr and "grad norm" in result.stderr  # the table
    assert "Found 2 problems" in result.stderr


def test_exit_zero_and_quiet(fake):
    fake.answer("result", status="checked", measurements=_measurements().to_json(),
                diagnostics=[_diag("KC703", 3, layer="dense")])
    result = _run("--exit-zero", "-q", "train.py")
    assert result.exit_code == 0
    assert "KC703" in result.stdout
    assert result.stderr == ""


def test_notes_on_checks_not_done_are_shown_but_exit_0(fake, tmp_path):
    Path("clean.py").write_text("import keras\nprint('hi')\n", encoding="utf-8")
    note = {**_diag("KC000", 2, name="not-measured", message="gradients not done: the model overrides "
                    "train_step"), "severity": "info"}
    fake.answer("result", status="checked", measurements=_measurements().to_json(), diagnostics=[note])
    result = _run("clean.py")
    assert result.exit_code == 0, result.stdout
    assert "gradients not done" in result.stdout
    fake.answer("result", status="checked", measurements=_measurements().to_json(),
                diagnostics=[note, _diag("KC703", 3, layer="dense")])
    assert _run("clean.py").exit_code == 1


def test_a_clean_run_exits_0(fake, tmp_path):
    Path("clean.py").write_text("import keras\nprint('hi')\n", encoding="utf-8")
    fake.answer("result", status="checked", measurements=_measurements().to_json(), diagnostics=[])
    result = _run("clean.py")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_per_file_ignores_apply_to_runtime_findings(fake):
    Path("pyproject.toml").write_text('[tool.kerascheck]\nper-file-ignores = {"train.py" = ["KC7"]}\n',
                                      encoding="utf-8")
    fake.answer("result", status="checked", diagnostics=[_diag("KC703", 2, layer="dense")])
    result = _run("train.py")
    assert "KC703" not in result.stdout
    assert "KC104" in result.stdout


# -- failures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer, status, text", [
    ({"status": "no_fit"}, "no_fit",
     "the script finished without calling fit() / train_on_batch(): nothing to check (use --entry"),
    ({"status": "script_exit", "exit_code": 3}, "script_exit", "sys.exit(3) before its first fit()"),
    ({"status": "setup_error", "error": {"type": "SetupError", "message": "no module named 'models'"}},
     "setup_error", "no module named 'models'"),
    ({"status": "no_tensorflow", "error": {"type": "ImportError", "message": "TensorFlow is not importable"}},
     "no_tensorflow", "TensorFlow is not importable"),
    ({"status": "script_error", "error": {"type": "ValueError", "message": "bad shape", "file": "train.py",
                                          "line": 4, "traceback": "  File \"train.py\", line 4\n    boom()"}},
     "script_error", "train.py:4: the script raised ValueError: bad shape (before its first fit)"),
])
def test_statuses_that_checked_nothing_exit_2(fake, answer, status, text):
    fake.answer("result", **answer)
    result = _run("train.py")
    assert result.exit_code == 2
    assert text in result.stderr
    assert "KC104" in result.stdout  # the static findings are still reported
    document = json.loads(_run("--output-format", "json", "train.py").stdout)
    assert document["status"] == status
    assert text.split(" (")[0] in document["error"]["message"] or document["error"]["message"] in result.stderr


def test_script_error_shows_the_users_traceback(fake):
    fake.answer("result", status="script_error", error={
        "type": "ZeroDivisionError", "message": "division by zero", "file": "train.py", "line": 4,
        "traceback": 'Traceback (most recent call last):\n  File "train.py", line 4, in <module>\n    1 / 0'})
    result = _run("train.py")
    assert 'File "train.py", line 4, in <module>' in result.stderr
    assert "kerascheck/" not in result.stderr


def test_a_crash_is_reported_with_its_signal_and_last_output(fake):
    fake.answer("segv")
    result = _run("train.py")
    assert result.exit_code == 2
    assert "the script crashed (signal SIGSEGV) before kerascheck could report; last output:" in result.stderr
    assert "script output line" in result.stderr


def test_a_timeout_is_reported(fake):
    fake.answer("sleep")
    result = _run("--timeout", "1", "train.py")
    assert result.exit_code == 2
    assert "timed out after 1 s (raise --timeout)" in result.stderr


def test_show_output_streams_the_script_and_does_not_repeat_it(fake):
    fake.answer("segv")
    result = _run("--show-output", "train.py")
    assert result.stderr.count("script output line") == 1
    assert "last output" not in result.stderr


# -- JSON --------------------------------------------------------------------------------------------


def test_json_is_one_valid_object_on_stdout(fake):
    fake.answer("result", status="checked", measurements=_measurements().to_json(),
                diagnostics=[_diag("KC703", 3, layer="dense")])
    result = _run("--output-format", "json", "train.py")
    assert result.exit_code == 1
    document = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"bare {name} in JSON"))
    assert set(document) == {"diagnostics", "measurements", "status", "error"}
    assert document["status"] == "checked" and document["error"] is None
    codes = {(d["code"], d.get("layer")) for d in document["diagnostics"]}
    assert codes == {("KC703", "dense"), ("KC104", None)}
    layers = document["measurements"]["layers"]
    assert layers[1]["act_std"] == "NaN"
    assert document["measurements"]["probe"]["losses"] == [0.69, 0.5, "Infinity"]
    assert layers[0]["site"] == {"file": "train.py", "line": 3, "column": None, "end_line": None,
                                 "end_column": None, "cell": None}
    assert "grad norm" not in result.stderr  # no table in JSON mode


def test_json_failure_document(fake):
    fake.answer("segv")
    result = _run("--output-format", "json", "train.py")
    document = json.loads(result.stdout)
    assert document["status"] == "crashed" and document["measurements"] is None
    assert document["error"]["signal"] == "SIGSEGV"
    assert "script output line" in document["error"]["output"]


def test_finite_json_replaces_every_non_finite_float():
    value = finite_json({"a": [1.0, float("nan")], "b": (float("-inf"),), "c": {"d": float("inf")}, "e": 3})
    assert value == {"a": [1.0, "NaN"], "b": ["-Infinity"], "c": {"d": "Infinity"}, "e": 3}
    json.dumps(value, allow_nan=False)
    assert json_document(RunReport(status="no_fit"))["measurements"] is None


# -- the per-layer table --------------------------------------------------------------------------------


def test_the_table_shows_each_layer_and_where_gradients_vanish():
    table = layer_table(_measurements())
    lines = table.splitlines()
    assert lines[0].startswith("model 'sequential' (sequential), loss binary_crossentropy, optimizer adam")
    assert "probe: loss 0.69 -> inf over 3 steps on one batch (chance level 0.69)" in lines[1]
    header, first, second = lines[2], lines[3], lines[4]
    assert header.split()[:4] == ["#", "layer", "kind", "line"]
    assert "dense" in first and "Dense(relu)" in first and "(None, 8)" in first and "dead 12%" in first
    assert "1e-09" in first and "0.002" in first
    assert "Dense(softmax)" in second and "nan" in second
    first_bar, second_bar = first.count("#"), second.count("#")
    assert second_bar == 10 and first_bar == 2  # 0.5 vs 1e-9: eight decades shorter


def test_gradient_bar_scale():
    assert gradient_bar(1.0, 1.0) == "#" * 10
    assert gradient_bar(0.05, 1.0) == "#" * 9  # 1.3 decades below: one whole decade fewer
    assert gradient_bar(0.005, 1.0) == "#" * 8
    assert gradient_bar(1e-30, 1.0) == "#"
    assert gradient_bar(0.0, 1.0) == ""
    assert gradient_bar(float("nan"), 1.0) == "!" * 10
    assert gradient_bar(None, 1.0) == "" and gradient_bar(1.0, None) == ""


def test_no_layers_no_table():
    assert layer_table(RunMeasurements()) == ""
    assert math.isnan(_measurements().layers[1].act_std or 0.0)


def test_suppressions_in_a_notebook_map_cells_to_lines(tmp_path, monkeypatch):
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.runtime.outcome import merge_diagnostics

    monkeypatch.chdir(tmp_path)
    cells = [{"cell_type": "code", "source": "import keras\nmodel = build()\n"},
             {"cell_type": "markdown", "source": "# text"},
             {"cell_type": "code", "source": "x = 1\nlayer = keras.layers.Dense(3)  # noqa: KC703\n"}]
    Path("nb.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}}), encoding="utf-8")

    def in_cell(cell: int, line: int) -> Diagnostic:
        return Diagnostic.from_json({**_diag("KC703", line, path="nb.ipynb", layer="dense"), "cell": cell})

    kept = merge_diagnostics([], [in_cell(2, 2), in_cell(1, 2), in_cell(2, 1)], _settings())
    assert [(dict(d.extra)["cell"], d.line) for d in kept] == [(1, 2), (2, 1)]


def test_runtime_findings_on_one_line_are_kept_per_layer():
    from kerascheck.diagnostics import Diagnostic
    from kerascheck.runtime.outcome import merge_diagnostics

    loop_built = [Diagnostic.from_json(_diag("KC703", 7, layer=name, path="nowhere.py")) for name in ("a", "b", "a")]
    kept = merge_diagnostics([], loop_built, _settings())
    assert sorted(dict(d.extra)["layer"] for d in kept) == ["a", "b"]


def test_readme_documents_every_run_option_and_status():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Runtime pass", 1)[1].split("\n## ", 1)[0]
    help_text = CliRunner().invoke(cli, ["run", "--help"]).output
    for option in ("--entry", "--data", "--continue", "--timeout", "--memory-limit", "--synthetic-data",
                   "--max-samples", "--keras2-compat", "--output-format", "--show-output", "--quiet",
                   "--select", "--ignore", "--extend-select", "--config", "--exit-zero"):
        assert option in section, option
        assert option in help_text, option
    from kerascheck.runtime.protocol import STATUSES

    for status in (*STATUSES, "timeout", "crashed", "killed"):
        assert f"`{status}`" in section, status
    assert "### Security note" in section


def test_benchmark_scripts_are_the_same_but_for_the_fit_line(tmp_path):
    import ast

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import bench_runtime
    finally:
        sys.path.pop(0)
    paths = bench_runtime._write_scripts(tmp_path, 32)
    for pair in ("cnn", "resnet"):
        checked = paths[pair].read_text(encoding="utf-8")
        floor = paths[f"{pair}_floor"].read_text(encoding="utf-8")
        ast.parse(checked), ast.parse(floor)
        assert checked.split("model.fit(")[0] == floor.split("model.fit(")[0]
        assert "epochs=1" in floor and "SystemExit(0)" in floor and "SystemExit" not in checked


def test_the_parent_never_imports_tensorflow_keras_or_the_script(tmp_path):
    """Whole ``kerascheck run`` in a fresh interpreter (real launcher, fake child): no heavy import."""
    import subprocess

    child = Fake(tmp_path / "child")
    child.answer("result", status="checked", measurements=_measurements().to_json(),
                 diagnostics=[_diag("KC703", 3, layer="dense")])
    (tmp_path / "train.py").write_text(SCRIPT + "import sys; sys.modules['__main__'].IMPORTED = True\n",
                                       encoding="utf-8")
    code = textwrap.dedent(f"""\
        import sys
        from click.testing import CliRunner
        from kerascheck.cli import cli
        from kerascheck.runtime import launcher, run_command
        launcher.child_command = lambda: [sys.executable, {str(child.root / "fake_child.py")!r}]
        run_command.tensorflow_available = lambda: True
        result = CliRunner().invoke(cli, ["run", "train.py"])
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "numpy", "train"))
        print(result.exit_code, heavy)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "1 []", done.stdout + done.stderr


@pytest.mark.parametrize("extra, shown", [((), True), (("-q",), False)])
def test_progress_goes_to_a_terminal_stderr_only(tmp_path, extra, shown):
    import pty
    import subprocess

    child = Fake(tmp_path / "child")
    child.answer("result", status="checked", diagnostics=[])
    (tmp_path / "train.py").write_text("import keras\n", encoding="utf-8")
    code = textwrap.dedent(f"""\
        import sys
        from kerascheck.cli import main
        from kerascheck.runtime import launcher, run_command
        launcher.child_command = lambda: [sys.executable, {str(child.root / "fake_child.py")!r}]
        run_command.tensorflow_available = lambda: True
        main(["run", "--output-format", "json", *{list(extra)!r}, "train.py"])
    """)
    primary, secondary = pty.openpty()
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE, stderr=secondary,
                          timeout=120)
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(primary)
    assert json.loads(done.stdout)["status"] == "checked"  # stdout: the document alone
    assert (b"running train.py (importing TensorFlow)..." in terminal) == shown
