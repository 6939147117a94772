"""What a rule is, and how rules are found.

A rule is a small class with a stable code (``KC`` + 3 digits), a kebab-case name, a default severity,
a user-facing docstring (it becomes ``kerascheck rule CODE`` and the page in ``rules/``) and a ``check``
that reads ``FileFacts`` and yields ``Finding``s. Rules never parse or import anything: the extractor
has already turned the source into facts.

Docstring layout (the catalogue generator and its tests rely on it)::

    One-line summary.

    ## What it flags
    ...
    ## Why it breaks training
    ...
    ## Example
    ```python
    <bad code: must trigger exactly this rule>
    ```
    ## Fix
    ```python
    <fixed code: must be clean>
    ```
    ## Options            (only when the rule has options)
    ...
    ## References
    - ...
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Mapping

from kerascheck.diagnostics import Severity
from kerascheck.facts.model import FileFacts, Loc

if TYPE_CHECKING:
    from kerascheck.fixes.intents import FixIntent
    from kerascheck.runtime.measurements import RunMeasurements
    from kerascheck.runtime.thresholds import Thresholds


@dataclass(frozen=True)
class Finding:
    """What a rule reports: where, and a one-line message (what is wrong, why, what to write)."""

    loc: Loc
    message: str
    severity: Severity | None = None  # overrides the rule's default severity for this finding
    layer: str | None = None  # runtime findings: the layer (by its Keras name) the finding is about
    # How to fix it, as edit intents on the reported nodes (``kerascheck.fixes.intents``); the engine
    # turns them into positioned edits, or drops them when the syntax is not what they expect.
    fix: "FixIntent | None" = None


@dataclass(frozen=True)
class Option:
    """A per-rule setting configurable in ``[tool.kerascheck.options.<CODE or name>]``."""

    default: Any
    doc: str


@dataclass
class RuleContext:
    """What a rule may know besides the facts: its effective options (and, at run time, the thresholds)."""

    options: Mapping[str, Any] = field(default_factory=dict)
    thresholds: "Thresholds | None" = None

    def option(self, name: str) -> Any:
        return self.options[name]


class Rule:
    """Base class of all rules; subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    default_enabled: ClassVar[bool] = True
    # Whether findings can carry a fix and how safe it is: "none", "safe", "unsafe" or "mixed" (some
    # fixes safe, some unsafe); ``fix_doc`` says what the fix does (rule pages, ``kerascheck rule``).
    fixable: ClassVar[str] = "none"
    fix_doc: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Option]] = {}
    runtime: ClassVar[bool] = False  # True for checks over runtime measurements (see ``RuntimeRule``)

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def default_options(cls) -> dict[str, Any]:
        return {key: opt.default for key, opt in cls.options.items()}

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""


class RuntimeRule(Rule):
    """A check over what the runtime pass measured on the live model (KC6xx-KC8xx).

    It is a rule like any other for selection, configuration, ``kerascheck rule CODE`` and the
    catalogue, but the static pass never runs it (``check`` finds nothing): ``kerascheck run``
    calls ``check_run`` with the measurements, and ``ctx.thresholds`` holds the configured
    ``[tool.kerascheck.runtime]`` thresholds. Like every rule it imports nothing heavy: measurements
    are plain numbers, so ``kerascheck rule KC703`` works without TensorFlow.
    """

    runtime: ClassVar[bool] = True

    def check(self, facts: FileFacts, ctx: RuleContext) -> Iterator[Finding]:
        return iter(())

    def check_run(self, run: "RunMeasurements", ctx: RuleContext) -> Iterator[Finding]:  # pragma: no cover
        raise NotImplementedError


class OncePerLocation:
    """``once(loc)`` is True the first time a rule reports at ``loc`` in a file, False after.

    One piece of source can reach a rule through several facts (a layer call is both a call and
    a layer of a model, an import is seen once per name it binds): the user should see it once.
    """

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def __call__(self, loc: Loc) -> bool:
        key = id(loc.node) if loc.node is not None else id(loc)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


_REGISTRY: dict[str, type[Rule]] | None = None


def all_rules() -> dict[str, type[Rule]]:
    """Every rule class by code, discovered from the modules of ``kerascheck.rules``.

    Discovery (rather than a hand-kept list) means adding a rule is adding one module.
    """
    global _REGISTRY
    if _REGISTRY is None:
        import kerascheck.rules as package

        found: dict[str, type[Rule]] = {}
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if info.name.startswith("_") or info.name == "base":
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, Rule)
                    and value is not Rule
                    and value is not RuntimeRule
                    and getattr(value, "code", None)
                    and value.__module__ == module.__name__
                ):
                    if value.code in found:
                        raise RuntimeError(f"duplicate rule code {value.code}")
                    found[value.code] = value
        _REGISTRY = dict(sorted(found.items()))
    return _REGISTRY


def rule_by_code_or_name(key: str) -> type[Rule] | None:
    """Look a rule up by its code (``KC101``) or its name (``single-unit-softmax``)."""
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.name == key:
            return rule
    return None
