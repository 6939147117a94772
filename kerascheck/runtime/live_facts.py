"""The live model as the static pass's facts, so every structural rule (KC1xx-KC4xx) runs on it.

A model built in a loop, from a config dict or read from a file has no layers the static extractor can
see; at the first ``fit`` the live ``keras.Model`` has them all. ``facts_from_capture`` builds the very
dataclasses of ``kerascheck.facts.model`` from it (layers in order with activations folded by the
static builder's own ``fold_activations``, compile, optimizer, fit data), and ``structural_diagnostics``
runs the enabled non-runtime rules over them. Rules never know which pass fed them.

What the facts claim is only what the live objects show: a subclassed model's layers are tracked in
attribute order, not call order, so it is marked incomplete and the rules about the head and the stack
stay quiet on it; live data claims origin ``"runtime"``, never a ``keras.datasets`` loader or a CSV
file, so the data rules that judge by origin (KC301-KC303) stay quiet (KC601/KC602 measure the values).
Every ``Loc`` carries the creation site recorded while the script ran (``capture.site_of``), and a
unique opaque ``node`` so the rules that report one source place once (``id(loc.node)``) tell two live
layers apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from kerascheck.config import PARSE_ERROR_CODE, Settings, display_path
from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.facts import keras_api as api
from kerascheck.facts.build import fold_activations
from kerascheck.facts.model import (
    ACTIVATION_LAYERS, CallFact, CompileFacts, DataFact, FileFacts, FitFacts, LayerFact, Loc, LossFact,
    MetricFact, ModelFacts, OptimizerFacts,
)
from kerascheck.runtime.locations import runtime_span
from kerascheck.runtime.capture import Capture, compile_args_of, compile_site_of, site_of
from kerascheck.runtime.live_graph import LayerStep, layer_chain
from kerascheck.runtime.live_labels import label_fact
from kerascheck.runtime.live_names import (
    activation_name, compiled_loss, compiled_metrics, is_keras_class, loss_name, metric_name, optimizer_info,
)
from kerascheck.runtime.live_values import config_of, layer_kwargs, library_call
from kerascheck.runtime.measurements import Site

__all__ = ["LiveFacts", "facts_from_capture", "live_facts", "structural_diagnostics"]


class _LiveNode:
    """The opaque ``Loc.node`` of a live location: one per created object, compared by identity."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<live {self.what}>"


@dataclass
class LiveFacts:
    """The facts of a capture, and what each ``Loc`` they hold stands for (for the diagnostics).

    ``sites`` maps ``id(loc)`` to the recorded ``Site`` (None: no site was known anywhere) and
    ``layer_names`` maps ``id(loc)`` of a layer's location to its Keras name.
    """

    facts: FileFacts
    sites: dict[int, Site | None] = field(default_factory=dict)
    layer_names: dict[int, str] = field(default_factory=dict)


class _Builder:
    """Builds the facts of one capture; memoised per model so a nested model is built once."""

    def __init__(self, capture: Capture, settings: Settings | None) -> None:
        self.capture = capture
        self.settings = settings
        self.fallback = site_of(capture.model) or capture.fit_site
        self.out = LiveFacts(FileFacts())
        self.models: dict[int, ModelFacts] = {}
        self.order: list[ModelFacts] = []
        self.calls: list[CallFact] = []
        self.optimizers: list[OptimizerFacts] = []

    # -- locations ---------------------------------------------------------------------------------

    def loc(self, site: Site | None, what: str, layer: str | None = None) -> Loc:
        """A runtime ``Loc`` at ``site``, else at the model's (then the fit's) site."""
        site = site or self.fallback
        if site is None:
            loc = Loc(node=_LiveNode(what))
        else:
            loc = Loc(node=_LiveNode(what), file=site.file, line=site.line, column=site.column,
                      end_line=site.end_line, end_column=site.end_column)
        self.out.sites[id(loc)] = site
        if layer is not None:
            self.out.layer_names[id(loc)] = layer
        return loc

    # -- models ------------------------------------------------------------------------------------

    def model(self, model: Any, depth: int = 0) -> ModelFacts:
        key = id(model)
        if key in self.models:
            return self.models[key]
        loc = self.loc(site_of(model), f"model {getattr(model, 'name', '?')}")
        chain = layer_chain(model)
        self.models[key] = ModelFacts(loc=loc, kind=chain.kind, complete=False)  # a cycle: incomplete
        raw = tuple(self.step(step, depth) for step in chain.steps)
        # ``input_shape=`` written on the first layer is read there by the rules, as in the source;
        # otherwise the model's ``Input`` declares the shape, at the line that made it.
        on_first_layer = bool(raw) and chain.input_site is None and "input_shape" in raw[0].kwargs
        input_layer = None
        if chain.input_shape is not None and not on_first_layer:
            input_layer = LayerFact(kind="InputLayer", loc=self.loc(chain.input_site, "input"),
                                    name="keras.Input", kwargs={"shape": chain.input_shape})
        compile_ = self.compile(model) if depth == 0 else None
        facts = ModelFacts(
            loc=loc, kind=chain.kind, raw_layers=raw, layers=fold_activations(raw),
            complete=chain.complete and all(layer.kind != "?" for layer in raw),
            outputs=chain.outputs, compile=compile_,
            fits=(self.fit(compile_),) if depth == 0 else (),
            name=getattr(model, "name", None), input_layer=input_layer,
            output_after_op=chain.output_after_op,
        )
        self.models[key] = facts
        self.order.append(facts)
        return facts

    def step(self, step: LayerStep, depth: int) -> LayerFact:
        fact = self.layer(step.layer, depth, nested=step.nested)
        return replace(fact, follows_op=True) if step.follows_op else fact

    def layer(self, layer: Any, depth: int, nested: bool = False) -> LayerFact:
        name = getattr(layer, "name", None)
        loc = self.loc(site_of(layer), f"layer {name}", name)
        if nested:
            return LayerFact(kind="Model", loc=loc, nested_model=self.model(layer, depth + 1))
        cls = type(layer)
        if not is_keras_class(cls):
            return LayerFact(kind=cls.__name__, loc=loc, name="user")
        kind = api.canonical_layer_kind(cls.__name__)
        units = _units(layer)
        kwargs = layer_kwargs(layer, kind)
        activation = _layer_activation(layer, kind)
        call_kwargs = dict(kwargs)
        if units is not None:
            keyword = (api.UNIT_ARGUMENT.get(kind) or ("units", ()))[0]
            call_kwargs[keyword] = units
        if activation is not None and kind not in ACTIVATION_LAYERS:
            call_kwargs["activation"] = activation
        self.calls.append(CallFact(f"keras.layers.{kind}", (), call_kwargs, loc))
        return LayerFact(kind=kind, loc=loc, units=units, activation=activation, activation_loc=loc,
                         kwargs=kwargs, name=f"keras.layers.{kind}")

    # -- compile and fit ---------------------------------------------------------------------------

    def compile(self, model: Any) -> CompileFacts | None:
        args = compile_args_of(model)
        if not args and getattr(model, "optimizer", None) is None:
            return None  # never compiled: nothing the loss rules could read
        loc = self.loc(compile_site_of(model), "compile")
        raw_loss = compiled_loss(model, args)
        name, logits = loss_name(raw_loss)
        smoothing = config_of(raw_loss).get("label_smoothing")
        loss = None if raw_loss is None else LossFact(
            name, loc, from_logits=logits, custom=name is None,
            label_smoothing=float(smoothing) if isinstance(smoothing, (int, float)) and smoothing else None)
        optimizer = self.optimizer(args.get("optimizer", getattr(model, "optimizer", None)), loc)
        metrics = tuple(MetricFact(metric_name(m), loc, custom=metric_name(m) is None,
                                   call=library_call(m, "keras.metrics", defaults_only=True))
                        for m in _flatten(compiled_metrics(model, args)))
        return CompileFacts(loc=loc, loss=loss, metrics=metrics, optimizer=optimizer,
                            loss_given=raw_loss is not None)

    def optimizer(self, opt: Any, compile_loc: Loc) -> OptimizerFacts | None:
        """The optimizer's facts, located where it was constructed when that was recorded (so a
        static and a live KC2xx finding share a line), else at the compile call."""
        if opt is None:
            return None
        info = optimizer_info(opt)
        site = site_of(opt) if not isinstance(opt, str) else None
        loc = self.loc(site, "optimizer") if site is not None else compile_loc
        kind, rate, schedule = info["kind"], info["learning_rate"], info["schedule"]
        if kind is None:
            return None
        schedule_call = None
        if schedule is not None:
            rate_holder = getattr(getattr(opt, "inner_optimizer", opt), "_learning_rate", None)
            schedule_call = library_call(rate_holder, "keras.optimizers.schedules")
        facts = OptimizerFacts(
            kind=kind, loc=loc, learning_rate=rate, lr_loc=loc,
            lr_is_default=info["from_string"] or (
                schedule is None and rate is not None and rate == api.OPTIMIZER_DEFAULT_LR.get(kind)),
            schedule=schedule, clipping=tuple(info["clipping"]), epsilon=info["epsilon"],
            epsilon_loc=loc, from_string=info["from_string"], name=f"keras.optimizers.{kind}",
            schedule_call=schedule_call,
        )
        self.optimizers.append(facts)
        return facts

    def fit(self, compile_: CompileFacts | None) -> FitFacts:
        capture = self.capture
        loc = self.loc(capture.fit_site, capture.method)
        x = DataFact(origin="runtime", loc=loc, role="features")
        try:
            y = label_fact(capture=capture, settings=self.settings, loc=loc)
        except Exception:  # noqa: BLE001 - unreadable targets leave the label rules silent, not the rest
            y = None
        for callback in _flatten(capture.fit_kwargs.get("callbacks")):
            call = library_call(callback, "keras.callbacks")
            if call is not None:
                self.calls.append(call)
        return FitFacts(loc=loc, method=capture.method, x=x, y=y, compile=compile_)

    def build(self) -> LiveFacts:
        top = self.model(self.capture.model)
        models = (top, *(m for m in self.order if m is not top))
        self.out.facts = FileFacts(models=models, optimizers=tuple(self.optimizers),
                                   calls=tuple(self.calls))
        return self.out


# -- reading live layers ---------------------------------------------------------------------------


def _units(layer: Any) -> int | None:
    """``units``/``filters`` as the static builder reads them from the constructor's arguments."""
    for attribute in ("units", "filters"):
        value = getattr(layer, attribute, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _layer_activation(layer: Any, kind: str) -> str | None:
    """The activation the layer applies, in the static builder's terms."""
    if kind in ACTIVATION_LAYERS:
        named = ACTIVATION_LAYERS[kind]
        return named if named else activation_name(getattr(layer, "activation", None))
    if kind in api.DEFAULT_ACTIVATION:
        return activation_name(getattr(layer, "activation", None))
    return None


def _flatten(value: Any) -> list[Any]:
    """The leaves of a per-output dict/list (``metrics={"out": ["acc"]}``, a callbacks list)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]


# -- the public entry points -----------------------------------------------------------------------


def live_facts(capture: Capture, settings: Settings | None = None) -> LiveFacts:
    """The facts of the captured model with what each location stands for (``settings`` gives the
    thresholds the label statistics use; None: the defaults)."""
    return _Builder(capture, settings).build()


def facts_from_capture(capture: Capture, settings: Settings | None = None) -> FileFacts:
    """The captured model, compile settings and fit data as the static extractor's ``FileFacts``."""
    return live_facts(capture, settings).facts


def structural_diagnostics(capture: Capture, settings: Settings) -> list[Diagnostic]:
    """Every enabled structural rule's findings on the live model, as Diagnostics on the user's lines.

    Runtime rules (KC6xx-KC8xx) are left to ``checks.run_checks``. Rules that read syntax (numeric
    KC5xx, migration KC9xx) find nothing in live facts. Building the facts or a rule failing is one
    KC000 internal-error finding, never an exception: the other checks of the run still report.
    """
    from kerascheck.rules.base import RuleContext, all_rules

    try:
        live = live_facts(capture, settings)
    except Exception as exc:  # noqa: BLE001 - a model we cannot read must not end the run
        return [_internal_error(capture, f"could not read the live model's structure ({_describe(exc)}); "
                                         "please report this")]
    rules = all_rules()
    diagnostics: list[Diagnostic] = []
    for code in settings.enabled:
        rule = rules.get(code)
        if rule is None or rule.runtime:
            continue
        try:
            findings = list(rule().check(live.facts, RuleContext(settings.rule_options(code))))
        except Exception as exc:  # noqa: BLE001 - one rule's bug costs that rule, not the run
            diagnostics.append(_internal_error(
                capture, f"rule {code} ({rule.name}) crashed on the live model ({_describe(exc)}); "
                         "please report this"))
            continue
        for finding in findings:
            diagnostics.append(_diagnostic(live, finding, code, rule.name, finding.severity or rule.severity))
    return _dedupe(sorted(diagnostics))


def _diagnostic(live: LiveFacts, finding: Any, code: str, name: str, severity: Severity) -> Diagnostic:
    loc = finding.loc
    line, column, end_line, end_column = runtime_span(loc)
    extra: dict[str, Any] = {}
    layer = finding.layer or live.layer_names.get(id(loc))
    if layer is not None:
        extra["layer"] = layer
    site = live.sites.get(id(loc))
    if site is not None and site.cell is not None:
        extra["cell"] = site.cell
    return Diagnostic(path=display_path(loc.file) if loc.file else "<unknown>", line=line, column=column,
                      end_line=end_line, end_column=end_column, code=code, name=name, severity=severity,
                      message=finding.message, extra=tuple(sorted(extra.items())))


def _internal_error(capture: Capture, message: str) -> Diagnostic:
    site = site_of(capture.model) or capture.fit_site
    path = display_path(site.file) if site is not None else "<unknown>"
    line = site.line if site is not None else 1
    return Diagnostic(path=path, line=line, column=1, end_line=line, end_column=1, code=PARSE_ERROR_CODE,
                      name="internal-error", severity=Severity.ERROR, message=message)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One finding per (code, place): layers made by one line in a loop share that line."""
    seen: set[tuple[str, str, int, int]] = set()
    unique: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.path, diagnostic.line, diagnostic.column)
        if key not in seen:
            seen.add(key)
            unique.append(diagnostic)
    return unique

