"""Every runtime rule's catalogue examples, run for real: the Example fires the rule, the Fix is clean.

The static catalogue test (tests/test_catalogue.py) cannot run these: they are scripts for
``kerascheck run``. All examples go through the child's own harness and checks in ONE child process
(one TensorFlow import), each with a fresh script file so creation sites point into it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("tensorflow")

from kerascheck import docs  # noqa: E402
from kerascheck.rules.base import all_rules  # noqa: E402

RUNTIME_RULES = [rule for rule in all_rules().values() if rule.runtime]

DRIVER = """
import json, sys
from kerascheck.config import default_settings
from kerascheck.runtime.child import checking_callback
from kerascheck.runtime.harness import RunOptions, run_script

settings = default_settings(select=["ALL"])
results = {}
for path in sys.argv[1:]:
    outcome = run_script(path, [], checking_callback(settings), RunOptions(user_roots=[sys.argv[1].rsplit("/", 1)[0]]))
    found = outcome.report[0] if outcome.report is not None else []
    results[path] = {"status": outcome.status, "error": outcome.error,
                     "found": [[d.code, d.severity.value, d.message] for d in found]}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("runtime-examples")
    paths = []
    for rule in RUNTIME_RULES:
        for title in ("Example", "Fix"):
            code = docs.first_code_block(docs.section(rule, title) or "")
            assert code, f"{rule.code}: no ```python block under ## {title}"
            path = folder / f"{rule.code}_{title.lower()}.py"
            path.write_text(code)
            paths.append(str(path))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run([sys.executable, "-c", DRIVER, *paths], capture_output=True, text=True, timeout=900,
                          cwd=folder, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    return {Path(p).stem: r for p, r in results.items()}


@pytest.mark.parametrize("rule", RUNTIME_RULES, ids=lambda r: r.code)
def test_example_fires_the_rule(rule, outcomes) -> None:
    result = outcomes[f"{rule.code}_example"]
    assert result["status"] == "checked", result
    assert rule.code in [code for code, _, _ in result["found"]], result["found"]


@pytest.mark.parametrize("rule", RUNTIME_RULES, ids=lambda r: r.code)
def test_fix_is_clean(rule, outcomes) -> None:
    result = outcomes[f"{rule.code}_fix"]
    assert result["status"] == "checked", result
    loud = [(code, message) for code, severity, message in result["found"] if severity != "info"]
    assert loud == [], loud
