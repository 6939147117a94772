"""Fuzzing the static pass: arbitrary valid Python (hypothesmith) and mutated Keras programs.

Bounded here (seconds); ``python -m tests.fuzz.mutations --iterations N`` runs long locally.
The property in both: the engine returns diagnostics and never an internal error.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.mutations import internal_errors, mutants

hypothesmith = pytest.importorskip("hypothesmith")


@pytest.mark.parametrize("chunk", range(4))
def test_mutated_keras_programs_never_crash_the_engine(chunk: int) -> None:
    for name, source in mutants(60, seed=chunk):
        assert internal_errors(source, name) == [], source


# Derandomized: the same programs on every run, so CI is deterministic (the long local runs vary them).
_CHECKS = [HealthCheck.too_slow, HealthCheck.filter_too_much]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=_CHECKS)
@given(hypothesmith.from_grammar())
def test_arbitrary_valid_python_never_crashes_the_engine(source: str) -> None:
    assert internal_errors("import keras\n" + source, "gen.py") == []


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=_CHECKS)
@given(hypothesmith.from_node())
def test_arbitrary_libcst_generated_modules_never_crash_the_engine(source: str) -> None:
    assert internal_errors("import tensorflow as tf\nfrom tensorflow import keras\n" + source, "gen.py") == []
