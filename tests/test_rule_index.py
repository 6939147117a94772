"""The rule index (``kerascheck/rules/_index.py``): selection metadata without importing the rules."""

from __future__ import annotations

import subprocess
import sys

from kerascheck.rules import _index
from kerascheck.rules.base import all_rules


def test_the_table_matches_the_rules_as_discovered() -> None:
    assert list(_index.RULES) == _index.generated_rows(), (
        "kerascheck/rules/_index.py is stale (a rule was added, renamed or changed its default): "
        "regenerate it with: python -m kerascheck.rules._index --write")
    assert _index._table_is_current()


def test_infos_load_the_same_classes_and_options() -> None:
    rules = all_rules()
    index = _index.rule_index()
    assert list(index) == list(rules)
    for code, info in index.items():
        rule = rules[code]
        assert (info.name, info.default_enabled, info.runtime) == (rule.name, rule.default_enabled, rule.runtime)
        assert info.load() is rule
        assert info.default_options() == rule.default_options()
        assert _index.load_rule(code) is rule
    assert _index.load_rule("KC999") is None


def test_a_module_the_table_does_not_know_means_discovery_by_import(monkeypatch) -> None:
    import kerascheck.rules.base as base

    monkeypatch.setattr(base, "_REGISTRY", None)
    monkeypatch.setattr(_index, "_INDEX", None)
    monkeypatch.setattr(_index, "RULES", _index.RULES[:-1])
    assert not _index._table_is_current()
    assert list(_index.rule_index()) == list(all_rules())


def test_selecting_rules_imports_none_of_them_and_the_static_pass_no_runtime_check(tmp_path) -> None:
    script = tmp_path / "train.py"
    script.write_text('import keras\nm = keras.Sequential([keras.layers.Dense(1, activation="softmax")])\n')
    code = (
        "import sys\n"
        "from kerascheck.config import default_settings\n"
        "settings = default_settings(select=['ALL'])\n"
        "assert not [m for m in sys.modules if m.startswith('kerascheck.rules.kc')], 'selection imported rules'\n"
        "from kerascheck.engine import lint_paths\n"
        f"result = lint_paths([{str(script)!r}], settings)\n"
        "assert [d.code for d in result.diagnostics] == ['KC101'], result.diagnostics\n"
        "loaded = [m for m in sys.modules if m.startswith(('kerascheck.runtime', 'kerascheck.rules.kc6',"
        " 'kerascheck.rules.kc7', 'kerascheck.rules.kc8'))]\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
