"""Shared predicates of the numeric-safety rules (KC501-KC505), under one name.

The rules ask "can this value be 0 (or overflow), and does it come from the model's tensors?" of the
numeric sites the extractor recorded. The answer is spread over four modules, re-exported here so a
rule needs one import (``from kerascheck.rules import _numeric as num``):

- ``_numeric_domain``: the ``Range`` domain (kinds ``POS``/``NONNEG``/``ANY``/``UNKNOWN`` and tags,
  described there), the spelling of numeric library calls, ``peel``/``peel_guard``;
- ``_numeric_range``: the sign analysis (``RangeAnalyzer.range``);
- ``_numeric_bounds``: ``Analyzer``, the sign analysis plus the overflow bounds of KC504;
- ``_numeric_sites``: which sites a rule checks (the ``contexts`` option) and how a fix is spelled.

Modules starting with ``_`` are not rule modules (discovery skips them). None of them imports libcst
at import time: a cached run never loads it.
"""

from __future__ import annotations

from kerascheck.rules._numeric_bounds import Analyzer
from kerascheck.rules._numeric_domain import (
    ANY, BOUNDED_CALLS, LABEL_NAMES, NONNEG, NORM_CALLS, POS, PRED_NAMES, REDUCTIONS, SUM_CALLS,
    UNKNOWN, Range, is_eps_name, library_short, peel, peel_guard,
)
from kerascheck.rules._numeric_range import RangeAnalyzer
from kerascheck.rules._numeric_sites import (
    CLIP, CONTEXTS_DOC, DEFAULT_CONTEXTS, EPS, MAXIMUM, checked_sites, context_of, contexts_option,
    display, family, function_family, where,
)

__all__ = [
    "ANY", "BOUNDED_CALLS", "LABEL_NAMES", "NONNEG", "NORM_CALLS", "POS", "PRED_NAMES",
    "REDUCTIONS", "SUM_CALLS", "UNKNOWN", "Range", "is_eps_name", "library_short", "peel",
    "peel_guard", "Analyzer", "RangeAnalyzer", "CLIP", "CONTEXTS_DOC", "DEFAULT_CONTEXTS", "EPS",
    "MAXIMUM", "checked_sites", "context_of", "contexts_option", "display", "family",
    "function_family", "where",
]
