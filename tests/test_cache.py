"""The results cache: keyed by content, settings, path and version; never trusts a bad entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerascheck import cache as cache_module
from kerascheck.cache import ResultCache, settings_fingerprint
from kerascheck.cli import cli
from kerascheck.config import default_settings
from kerascheck.engine import lint_paths


def _settings(tmp_path: Path, **kw):
    return default_settings(project_root=str(tmp_path), **kw)


def _cache(tmp_path: Path, settings, version: str = "1.0") -> ResultCache:
    return ResultCache(tmp_path / "cache", settings_fingerprint(settings), version=version)


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*/*.json"))


def test_warm_run_reuses_entries_and_gives_identical_results(fake_rules, write, in_tmp):
    write("a.py", "import keras\nboom()\nbang()\n")
    write("b.py", "import keras\nwhisper()\n")
    settings = _settings(in_tmp)
    cold = lint_paths(["."], settings, cache=_cache(in_tmp, settings))
    assert len(_entries(in_tmp)) == 2
    warm = lint_paths(["."], settings, cache=_cache(in_tmp, settings))
    assert warm == cold
    assert [d.code for d in warm.diagnostics] == ["KC901", "KC902", "KC902"]


def test_hit_does_not_run_the_linter(fake_rules, write, in_tmp, monkeypatch):
    write("a.py", "import keras\nboom()\n")
    settings = _settings(in_tmp)
    lint_paths(["."], settings, cache=_cache(in_tmp, settings))

    def explode(*args, **kwargs):
        raise AssertionError("linted although cached")

    monkeypatch.setattr("kerascheck.engine._lint_item", explode)
    result = lint_paths(["."], settings, cache=_cache(in_tmp, settings))
    assert [d.code for d in result.diagnostics] == ["KC901"]


def test_content_change_invalidates(fake_rules, write, in_tmp):
    path = write("a.py", "import keras\nboom()\n")
    settings = _settings(in_tmp)
    assert len(lint_paths(["."], settings, cache=_cache(in_tmp, settings)).diagnostics) == 1
    path.write_text("import keras\n")
    assert lint_paths(["."], settings, cache=_cache(in_tmp, settings)).diagnostics == ()


def test_settings_change_invalidates(fake_rules, write, in_tmp):
    write("a.py", "import keras\nboom()\nbang()\n")
    everything = _settings(in_tmp)
    only_boom = _settings(in_tmp, select=("KC901",))
    assert len(lint_paths(["."], everything, cache=_cache(in_tmp, everything)).diagnostics) == 2
    result = lint_paths(["."], only_boom, cache=_cache(in_tmp, only_boom))
    assert [d.code for d in result.diagnostics] == ["KC901"]


def test_version_change_invalidates(fake_rules, write, in_tmp):
    write("a.py", "import keras\nboom()\n")
    settings = _settings(in_tmp)
    old = ResultCache(in_tmp / "cache", settings_fingerprint(settings), version="0.0.1")
    lint_paths(["."], settings, cache=old)
    entry = _entries(in_tmp)[0]
    # Forge the old entry to hold a result the current version would never produce.
    data = json.loads(entry.read_text())
    data["diagnostics"] = []
    entry.write_text(json.dumps(data))
    assert lint_paths(["."], settings, cache=old).diagnostics == ()  # same version: trusted
    new = ResultCache(in_tmp / "cache", settings_fingerprint(settings), version="0.0.2")
    assert len(lint_paths(["."], settings, cache=new).diagnostics) == 1


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b"[]", b'{"key": "other", "version": "1.0", "diagnostics": []}',
     b'{"key": "%s", "version": "1.0", "diagnostics": [{"line": "x"}]}',
     b'{"key": "%s", "version": "1.0", "diagnostics": "nope"}',
     b'{"key": "%s", "version": "9.9", "diagnostics": []}'],
)
def test_corrupt_or_foreign_entries_are_ignored_and_replaced(fake_rules, write, in_tmp, garbage):
    write("a.py", "import keras\nboom()\n")
    settings = _settings(in_tmp)
    lint_paths(["."], settings, cache=_cache(in_tmp, settings))
    entry = _entries(in_tmp)[0]
    key = entry.stem
    entry.write_bytes(garbage.replace(b"%s", key.encode()) if b"%s" in garbage else garbage)
    result = lint_paths(["."], settings, cache=_cache(in_tmp, settings))
    assert [d.code for d in result.diagnostics] == ["KC901"]
    assert json.loads(entry.read_text())["key"] == key  # rewritten with a good entry


def test_unwritable_cache_dir_only_costs_speed(fake_rules, write, in_tmp):
    write("a.py", "import keras\nboom()\n")
    blocker = in_tmp / "cache"
    blocker.write_text("a file where the cache folder should be")
    settings = _settings(in_tmp)
    result = lint_paths(["."], settings, cache=ResultCache(blocker, "x"))
    assert [d.code for d in result.diagnostics] == ["KC901"]


def test_unwritable_cache_says_why_once(fake_rules, write, in_tmp):
    write("a.py", "import keras\nboom()\n")
    blocker = in_tmp / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = ResultCache(blocker, "x")
    lint_paths(["."], _settings(in_tmp), cache=cache)
    assert cache.problem is not None and "cannot write the results cache" in cache.problem


def test_full_disk_degrades_to_no_cache(fake_rules, write, in_tmp, monkeypatch):
    import errno
    import tempfile

    for name in ("a.py", "b.py", "c.py"):
        write(name, "import keras\nboom()\n")
    calls = []

    def full(*args, **kwargs):
        calls.append(1)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    settings = _settings(in_tmp)
    cache = _cache(in_tmp, settings)
    result = lint_paths(["."], settings, cache=cache)
    assert [d.code for d in result.diagnostics] == ["KC901"] * 3
    assert len(calls) == 1  # gave up after the first failed write
    assert "No space left on device" in (cache.problem or "")


def test_parallel_runs_sharing_a_cache_never_mix_results(tmp_path):
    import subprocess
    import sys

    for i in range(40):
        body = "import keras\nm = keras.Sequential([keras.layers.Dense(1, activation='softmax')])\n" if i % 2 \
            else "import keras\nx = 1\n"
        (tmp_path / f"f{i:02}.py").write_text(body + f"# file {i}\n")
    cache_dir = tmp_path / "shared-cache"
    command = [sys.executable, "-m", "kerascheck", "--output-format", "json", "--cache-dir", str(cache_dir),
               "-j", "1", "."]
    procs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(4)]
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    expected = [(f"f{i:02}.py", "KC101") for i in range(1, 40, 2)]
    for out in outputs + [subprocess.run(command, cwd=tmp_path, capture_output=True).stdout]:
        assert [(d["path"], d["code"]) for d in json.loads(out)] == expected


def test_cache_folder_writes_its_own_gitignore(fake_rules, write, in_tmp):
    write("a.py", "import keras\nboom()\n")
    settings = _settings(in_tmp)
    lint_paths(["."], settings, cache=_cache(in_tmp, settings))
    assert (in_tmp / "cache" / ".gitignore").read_text().strip().endswith("*")


def test_cli_uses_project_cache_and_honours_no_cache_and_cache_dir(fake_rules, write, in_tmp,
                                                                    monkeypatch):
    monkeypatch.delenv(cache_module.ENV_CACHE_DIR, raising=False)
    write("a.py", "import keras\nboom()\n")
    runner = CliRunner()
    first = runner.invoke(cli, ["a.py", "--jobs", "1"])
    assert first.exit_code == 1
    assert list((in_tmp / ".kerascheck_cache").glob("*/*.json"))
    second = runner.invoke(cli, ["a.py", "--no-cache", "--cache-dir", "elsewhere"])
    assert second.exit_code == 1 and second.stdout == first.stdout
    assert not (in_tmp / "elsewhere").exists()
    third = runner.invoke(cli, ["a.py", "--cache-dir", "elsewhere"])
    assert third.stdout == first.stdout
    assert list((in_tmp / "elsewhere").glob("*/*.json"))


def test_environment_variable_names_the_cache_dir(fake_rules, write, in_tmp, monkeypatch):
    monkeypatch.setenv(cache_module.ENV_CACHE_DIR, str(in_tmp / "from-env"))
    write("a.py", "import keras\nboom()\n")
    result = CliRunner().invoke(cli, ["a.py"])
    assert result.exit_code == 1
    assert list((in_tmp / "from-env").glob("*/*.json"))


def test_a_fully_cached_run_does_not_import_the_parser(tmp_path):
    """Warm runs cost hashing plus reading entries: libcst (most of a cold start) is never loaded."""
    import subprocess
    import sys

    (tmp_path / "train.py").write_text("import keras\nmodel = keras.Sequential()\n")
    script = (
        "import sys\n"
        "from kerascheck.cli import main\n"
        "try:\n"
        "    main(['train.py', '--cache-dir', 'c', '--jobs', '1', '-q'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('libcst' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                           text=True, check=True)
    assert first.stdout.strip().endswith("True")
    second = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert second.stdout.strip().endswith("False")


def test_entries_keep_fixes_and_extra_keys(tmp_path):
    from kerascheck.diagnostics import Diagnostic, Edit, Fix, Severity

    found = Diagnostic("nb.ipynb", 2, 5, 2, 9, "KC205", "removed-optimizer-argument", Severity.WARNING, "lr",
                       fix=Fix("Rename", (Edit(2, 5, 2, 7, "learning_rate", cell=3),), safe=True),
                       extra=(("cell", 3),))
    settings = _settings(tmp_path)
    cache = _cache(tmp_path, settings)
    key = cache.key("nb.ipynb", b"content")
    cache.put(key, (found,))
    [back] = _cache(tmp_path, settings).get(key)
    assert back.to_json() == found.to_json()
    assert back.fix == found.fix and back.extra == (("cell", 3),)
