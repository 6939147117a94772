"""Shared fixtures: a tiny, test-only rule set and fact extractor.

Engine, CLI, config and suppression tests must not depend on the real rules or on the real extractor
(both are written concurrently and change). ``fake_rules`` swaps in rules that fire on calls to made-up
functions (``boom()``, ``bang()``...) and an extractor that reports exactly those calls with real libcst
nodes, so positions go through the real ``PositionResolver``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import CallFact, FileFacts, Loc
from kerascheck.rules.base import Finding, Option, Rule, RuleContext

TEST_CALLS = ("boom", "bang", "whisper", "optin", "crash", "dup")


def fake_extract_facts(module: Any) -> FileFacts:
    """Report every call to one of ``TEST_CALLS`` as a ``CallFact`` located on the call node."""
    import libcst as cst

    calls: list[CallFact] = []

    class Finder(cst.CSTVisitor):
        def __init__(self, top: cst.CSTNode) -> None:
            self.top = top

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value in TEST_CALLS:
                calls.append(CallFact(name=node.func.value, loc=Loc(node=node, top=self.top)))

    for statement in module.body:
        statement.visit(Finder(statement))
    return FileFacts(calls=tuple(calls))


def _calls(facts: FileFacts, name: str) -> Iterator[CallFact]:
    return (call for call in facts.calls if call.name == name)


class BoomRule(Rule):
    """Calls to boom() make the loss NaN.

    ## What it flags
    A call to `boom()`.

    ## Why it breaks training
    It is a test rule.

    ## Example
    ```python
    import keras
    boom()
    ```

    ## Fix
    ```python
    import keras
    ```
    """

    code = "KC901"
    name = "boom-call"
    severity = Severity.ERROR

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for call in _calls(facts, "boom"):
            yield Finding(call.loc, "boom() makes the loss NaN")


class BangRule(Rule):
    """Calls to bang() are reported with the configured options.

    ## What it flags
    A call to `bang()`; `whisper()` is reported with info severity.

    ## Why it breaks training
    It is a test rule.

    ## Options
    Both options only change the message.

    ## Example
    ```python
    import keras
    bang()
    ```

    ## Fix
    ```python
    import keras
    ```

    ## References
    - nowhere
    """

    code = "KC902"
    name = "bang-call"
    severity = Severity.WARNING
    options = {
        "threshold": Option(0.5, "A float option."),
        "label": Option("bang", "A string option."),
        "count": Option(3, "An integer option."),
        "strict": Option(False, "A boolean option."),
    }

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for call in _calls(facts, "bang"):
            yield Finding(call.loc, f"{ctx.option('label')} threshold={ctx.option('threshold')!r} "
                                    f"count={ctx.option('count')!r} strict={ctx.option('strict')!r}")
        for call in _calls(facts, "whisper"):
            yield Finding(call.loc, "whisper", severity=Severity.INFO)


class OptInRule(Rule):
    """An opt-in test rule."""

    code = "KC950"
    name = "opt-in-call"
    default_enabled = False

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for call in _calls(facts, "optin"):
            yield Finding(call.loc, "optin() is discouraged")


class CrashRule(Rule):
    """A test rule that crashes on crash()."""

    code = "KC960"
    name = "crashing-rule"

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for call in _calls(facts, "crash"):
            yield Finding(call.loc, "never reported: the rule fails right after")
            raise ZeroDivisionError("division by zero in the rule")


class DupRule(Rule):
    """A test rule that reports the same place twice."""

    code = "KC903"
    name = "dup-call"

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        for call in _calls(facts, "dup"):
            yield Finding(call.loc, "dup() once")
            yield Finding(call.loc, "dup() twice")


FAKE_RULES: dict[str, type[Rule]] = {
    rule.code: rule for rule in sorted((BoomRule, BangRule, OptInRule, CrashRule, DupRule), key=lambda r: r.code)
}


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> dict[str, type[Rule]]:
    """Replace the rule registry and the extractor with the test doubles above."""
    import kerascheck.facts.extract
    import kerascheck.rules.base

    monkeypatch.setattr(kerascheck.rules.base, "_REGISTRY", dict(FAKE_RULES))
    monkeypatch.setattr(kerascheck.facts.extract, "extract_facts", fake_extract_facts)
    return FAKE_RULES


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write("pkg/a.py", source)``: create a (dedented) file under ``tmp_path``; bytes are written as is."""

    def _write(relative: str, content: str | bytes = "import keras\n") -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test with ``tmp_path`` as the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
