"""The runtime checks of one captured model: prepare its data, measure it, run the runtime rules.

``run_checks`` is the one entry point the child (``kerascheck run``) and the library API
(``check_model``) share, so both report exactly the same findings for the same model and data. The
rules are plain functions of ``RunMeasurements`` (they import nothing heavy); this module turns their
``Finding``s into positioned ``Diagnostic``s on the user's source lines:

- a finding's ``Loc`` comes from a recorded ``Site`` (the rule picks the layer's, the compile call's or
  the fit call's); a notebook site keeps its cell as the ``cell`` extra key, like static notebook findings;
- a finding about a layer carries ``("layer", name)`` in ``extra`` (the documented JSON key);
- each ``Unavailable`` (a check that could not be done, and why) becomes one info diagnostic
  ``KC000 check-unavailable`` at the fit call, so a silent rule is never mistaken for a clean model;
- a rule that raises becomes one ``KC000 internal-error`` diagnostic, as in the static engine, and the
  other rules still run.

The user's model is left exactly as it was (``measure`` guarantees it), so ``--continue`` trains it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from kerascheck.config import display_path
from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.facts.model import Loc
from kerascheck.runtime.locations import runtime_span, site_loc
from kerascheck.rules.base import Finding, RuleContext, RuntimeRule, all_rules
from kerascheck.runtime.measurements import RunMeasurements, Site, Unavailable

if TYPE_CHECKING:
    from kerascheck.config import Settings
    from kerascheck.runtime.capture import Capture

__all__ = ["run_checks", "evaluate", "site_loc", "UNAVAILABLE_NAME", "NO_SITE_PATH"]

INTERNAL_CODE = "KC000"
UNAVAILABLE_NAME = "check-unavailable"
INTERNAL_NAME = "internal-error"
NO_SITE_PATH = "<model>"  # a model handed to check_model whose creation was never recorded


def run_checks(capture: "Capture", settings: "Settings") -> tuple[list[Diagnostic], RunMeasurements]:
    """Prepare the data (first batch + statistics), measure the model on it, run every enabled runtime rule."""
    from kerascheck.runtime.data import prepare_data
    from kerascheck.runtime.measure import measure

    thresholds = settings.thresholds()
    prepared = prepare_data(capture, thresholds)
    run = measure(capture, prepared.x, prepared.y, prepared.sample_weight, thresholds, element=prepared.element)
    run.data = list(prepared.arrays)
    run.unavailable = list(prepared.unavailable) + run.unavailable
    if prepared.step_error is not None:
        run.step_error = prepared.step_error
    return evaluate(run, settings), run


def evaluate(run: RunMeasurements, settings: "Settings") -> list[Diagnostic]:
    """The diagnostics of the enabled runtime rules over ``run`` (plus its unavailable checks), sorted."""
    thresholds = settings.thresholds()
    fallback = run.fit_site or run.model_site
    diagnostics: list[Diagnostic] = []
    for code, rule_class in all_rules().items():
        if not issubclass(rule_class, RuntimeRule) or code not in settings.enabled:
            continue
        rule = rule_class()
        ctx = RuleContext(options=settings.rule_options(code), thresholds=thresholds)
        try:
            findings = list(rule.check_run(run, ctx))
        except Exception as exc:  # a bug in one rule must cost that rule, never the run
            where = site_loc(fallback)
            diagnostics.append(_diagnostic(where, INTERNAL_CODE, INTERNAL_NAME, Severity.ERROR,
                                           f"rule {code} ({rule.name}) crashed on this model "
                                           f"({type(exc).__name__}: {exc}); please report this"))
            continue
        diagnostics.extend(_from_finding(f, rule_class) for f in findings)
    diagnostics.extend(_unavailable(run.unavailable, fallback))
    return sorted(diagnostics)


def _from_finding(finding: Finding, rule: type[RuntimeRule]) -> Diagnostic:
    extra = (("layer", finding.layer),) if finding.layer else ()
    return _diagnostic(finding.loc, rule.code, rule.name, finding.severity or rule.severity, finding.message,
                       extra)


def _unavailable(items: Iterable[Unavailable], fallback: Site | None) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    found: list[Diagnostic] = []
    for item in items:
        if (item.check, item.reason) in seen:
            continue
        seen.add((item.check, item.reason))
        found.append(_diagnostic(site_loc(fallback), INTERNAL_CODE, UNAVAILABLE_NAME, Severity.INFO,
                                 f"{item.check} not done: {item.reason}"))
    return found


def _diagnostic(loc: Loc, code: str, name: str, severity: Severity, message: str,
                extra: tuple[tuple[str, Any], ...] = ()) -> Diagnostic:
    line, column, end_line, end_column = runtime_span(loc)
    cell = loc.cell
    if cell is not None:
        extra = tuple(sorted({**dict(extra), "cell": cell}.items()))
    return Diagnostic(path=display_path(loc.file) if loc.file else NO_SITE_PATH, line=line, column=column,
                      end_line=end_line, end_column=end_column, code=code, name=name, severity=severity,
                      message=message, extra=extra)
