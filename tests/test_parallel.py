"""--jobs: a process pool for many files, identical results whatever the number of workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import parallel
from kerascheck.cache import ResultCache, settings_fingerprint
from kerascheck.config import default_settings
from kerascheck.engine import lint_paths

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CORPUS = Path(__file__).resolve().parent / "corpus"


def _many_files(write, count: int) -> None:
    for i in range(count):
        calls = ["boom()", "bang()", "whisper()", "dup()"][: 1 + i % 4]
        write(f"pkg{i % 3}/m{i:03d}.py", "import keras\n" + "\n".join(calls) + "\n")
    write("pkg0/broken.py", "import keras\ndef (:\n")
    write("pkg1/plain.py", "print('no deep learning here')\n")


def test_jobs_do_not_change_results(fake_rules, write, in_tmp):
    _many_files(write, 40)
    settings = default_settings(project_root=str(in_tmp))
    assert parallel.worth_a_pool(41, 2)
    one = lint_paths(["."], settings, jobs=1)
    two = lint_paths(["."], settings, jobs=2)
    four = lint_paths(["."], settings, jobs=4)
    assert one == two == four
    assert one.files_checked + one.files_skipped == 42
    assert {d.code for d in one.diagnostics} == {"KC000", "KC901", "KC902", "KC903"}


def test_pool_and_cache_together_match_a_plain_run(fake_rules, write, in_tmp):
    _many_files(write, 30)
    settings = default_settings(project_root=str(in_tmp))
    plain = lint_paths(["."], settings)
    store = ResultCache(in_tmp / "c", settings_fingerprint(settings))
    cold = lint_paths(["."], settings, cache=store, jobs=2)
    warm = lint_paths(["."], settings, cache=store, jobs=2)
    assert plain == cold == warm


def test_small_runs_stay_in_process(fake_rules, write, in_tmp, monkeypatch):
    _many_files(write, 3)

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a handful of files")

    monkeypatch.setattr(parallel, "map_in_pool", no_pool)
    result = lint_paths(["."], default_settings(project_root=str(in_tmp)), jobs=8)
    assert result.files_checked + result.files_skipped == 5


@pytest.mark.parametrize("n_items,jobs,expected", [(100, 1, False), (3, 2, False), (16, 2, True)])
def test_worth_a_pool(n_items, jobs, expected):
    assert parallel.worth_a_pool(n_items, jobs) is expected


def test_usable_cores_is_positive():
    assert parallel.usable_cores() >= 1


def test_real_rules_give_identical_results_with_jobs_and_cache(tmp_path, monkeypatch):
    """The shipped examples and the test corpus, linted every way, give one answer."""
    paths = [str(p) for p in (EXAMPLES, CORPUS) if p.exists()]
    monkeypatch.chdir(tmp_path)
    settings = default_settings(project_root=str(tmp_path))
    plain = lint_paths(paths, settings, jobs=1)
    store = ResultCache(tmp_path / "c", settings_fingerprint(settings))
    assert lint_paths(paths, settings, jobs=2) == plain
    assert lint_paths(paths, settings, cache=store, jobs=2) == plain
    assert lint_paths(paths, settings, cache=store, jobs=1) == plain
    assert plain.files_checked >= 5
    assert plain.diagnostics, "the examples contain findings"
