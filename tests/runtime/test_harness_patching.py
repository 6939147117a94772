"""The import hook patches a package when it is really imported, and patches are undone (no TensorFlow needed)."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

from kerascheck.runtime.patching import KerasImportHook, Patches


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = "kc_fake_keras_pkg"
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text("class Model:\n    def fit(self):\n        return 'real'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def test_callback_runs_once_when_the_package_executes_not_when_it_is_located(package: str) -> None:
    loaded: list[ModuleType] = []
    hook = KerasImportHook({package: loaded.append})
    hook.install()
    try:
        # TensorFlow locates keras with importlib.util.find_spec before importing it
        assert importlib.util.find_spec(package) is not None and loaded == []
        module = importlib.import_module(package)
        assert loaded == [module] and module.Model().fit() == "real"
        importlib.reload(module)
        assert loaded == [module]  # once
    finally:
        hook.uninstall()
    assert hook not in sys.meta_path


def test_already_imported_package_is_patched_at_install(package: str) -> None:
    module = importlib.import_module(package)
    loaded: list[ModuleType] = []
    hook = KerasImportHook({package: loaded.append})
    hook.install()
    hook.uninstall()
    assert loaded == [module]


def test_patches_restore_in_reverse_order_including_added_attributes(package: str) -> None:
    module = importlib.import_module(package)
    original = module.Model.fit
    patches = Patches()
    patches.set(module.Model, "fit", lambda self: "first")
    patches.set(module.Model, "fit", lambda self: "second")
    patches.set(module.Model, "fit_generator", lambda self: "added")
    assert module.Model().fit() == "second"
    patches.restore()
    assert module.Model.fit is original and not hasattr(module.Model, "fit_generator")
