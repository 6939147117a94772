"""Helpers for testing rules on source snippets (used by the test suite; handy for rule authors).

``lint_snippet`` runs the static pass on a string exactly as the engine does for a file (extract facts,
run rules, compute positions), without configuration files or suppressions, so a rule test states
only the code and the findings it expects.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Iterable

import libcst as cst

from kerascheck.facts.extract import extract_facts
from kerascheck.positions import PositionResolver
from kerascheck.rules.base import RuleContext, all_rules


@dataclass(frozen=True)
class SnippetFinding:
    code: str
    line: int
    column: int
    message: str
    severity: str


def lint_snippet(source: str, select: Iterable[str] | None = None,
                 options: dict[str, dict] | None = None) -> list[SnippetFinding]:
    """Findings of the rules in ``select`` (codes; default: every rule, opt-in ones included).

    ``source`` is dedented first, so tests can indent snippets naturally.
    """
    text = textwrap.dedent(source)
    module = cst.parse_module(text)
    facts = extract_facts(module)
    resolver = PositionResolver(module, text)
    codes = set(select) if select is not None else None
    found: list[SnippetFinding] = []
    for code, rule_cls in all_rules().items():
        if codes is not None and code not in codes:
            continue
        opts = rule_cls.default_options()
        opts.update((options or {}).get(code, {}))
        for finding in rule_cls().check(facts, RuleContext(opts)):
            line, column, _, _ = resolver.span(finding.loc)
            severity = (finding.severity or rule_cls.severity).value
            found.append(SnippetFinding(code, line, column, finding.message, severity))
    unique = {(f.code, f.line, f.column): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.line, f.column, f.code))


def codes_and_lines(source: str, select: Iterable[str] | None = None,
                    options: dict[str, dict] | None = None) -> list[tuple[str, int]]:
    """``[(code, line), ...]`` for compact assertions."""
    return [(f.code, f.line) for f in lint_snippet(source, select, options)]
