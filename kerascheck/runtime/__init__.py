"""The runtime pass: run the user's training script up to its first ``fit``, measure the live model.

This package is the one boundary behind which user code runs and TensorFlow is imported:

- the parent side (``launcher``, used by ``kerascheck run``) never imports TensorFlow or the user's
  code: it spawns a child Python process with a timeout and a memory cap, and reads one JSON result;
- the child side (``child``, ``harness``, ``measure`` ...) imports TensorFlow, runs the script, captures
  the model and data at the first ``fit`` and measures them; ``measure`` is the one backend-specific
  module;
- the modules with plain data (``thresholds``, ``measurements``, ``protocol``) import nothing heavy, so
  the rules (``kerascheck/rules/kc6*``-``kc8*``) and ``kerascheck rule`` work without TensorFlow.

The static pass (``kerascheck check``), the pre-commit hook and editor integrations never import this
package's child side. The library API for notebooks, ``check_model`` and ``Monitor``, is imported lazily
from here (it needs TensorFlow, like the child).
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_model", "Monitor"]


def __getattr__(name: str) -> Any:
    # Lazy: ``import kerascheck.runtime`` must stay free of TensorFlow for the parent and the rules.
    if name in ("check_model", "Monitor"):
        from kerascheck.runtime import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
