"""Which numeric sites a rule checks, and how its message spells the fix.

Separate from the analyses because it is about the sites and the rules rather than about values: the
``contexts`` option every numeric rule shares (which kinds of code are checked, with NumPy code
counted as host-side data code whatever function it sits in), and the helpers that write a fix in the
library the user already writes (``K.clip`` next to ``K.log``, ``tf.maximum`` next to ``tf.sqrt``).
Private (the leading underscore keeps rule discovery out of it).
"""

from __future__ import annotations

import functools

from typing import TYPE_CHECKING, Container, Iterable, Iterator

from kerascheck.rules.base import Option

if TYPE_CHECKING:  # libcst stays unimported until a file is parsed (cached runs)
    from kerascheck.facts.exprs import ExprView
    from kerascheck.facts.model import FileFacts, NumericSite
    from kerascheck.rules.base import RuleContext

DEFAULT_CONTEXTS = ["loss", "metric", "layer", "model"]
CONTEXTS_DOC = ('Kinds of code checked: "loss", "metric", "layer", "model", "data" (dataset maps, '
                'preprocessing functions and NumPy code), "other" (any other function or module code).')

_GRAPH_CONTEXTS = frozenset({"loss", "metric", "layer", "model"})
_HOST_LIBRARIES = ("numpy.", "math.", "scipy.")


@functools.lru_cache(maxsize=1024)  # four rules ask about the same sites; following names is costly
def context_of(site: object) -> str:
    """The site's context, except that NumPy code is host-side data code whatever its function:
    ``np.log(y_pred)`` in ``def evaluate(y_true, y_pred)`` is post-training analysis, not a loss
    (a Keras loss, metric or layer cannot call NumPy on its symbolic tensors)."""
    context = getattr(site, "context", "other")
    if context not in _GRAPH_CONTEXTS:
        return context
    callee = getattr(site, "callee", "")
    if callee.startswith(_HOST_LIBRARIES):
        return "data"
    if callee == "/":
        for view in (getattr(site, "operand", None), getattr(site, "numerator", None)):
            if view is not None and _calls_host_library(view):
                return "data"
    return context


def _calls_host_library(view: ExprView, depth: int = 0) -> bool:
    """Whether ``view`` calls NumPy/math/SciPy, directly or through the names it reads
    (``ss_tot = np.sum(...); r2 = 1 - ss_res / ss_tot``)."""
    for sub in view.walk():
        kind = sub.kind
        if kind == "call" and (sub.callee() or "").startswith(_HOST_LIBRARIES):
            return True
        if kind == "name" and depth < 2:
            followed = sub.follow()
            if followed is not None and _calls_host_library(followed, depth + 1):
                return True
    return False



def contexts_option(default: Iterable[str]) -> Option:
    """The ``contexts`` option of a numeric rule, with the kinds of code it checks by default."""
    return Option(list(default), CONTEXTS_DOC)


def checked_sites(facts: FileFacts, ctx: RuleContext, ops: Container[str]) -> Iterator[NumericSite]:
    """The file's numeric sites of one of ``ops`` in the kinds of code the rule's ``contexts``
    option selects (``context_of``), in file order, less those that cannot break training
    (``can_break_training``)."""
    contexts = set(ctx.option("contexts"))
    for site in facts.numeric_sites:
        if site.op in ops and context_of(site) in contexts and can_break_training(site):
            yield site


def can_break_training(site: NumericSite) -> bool:
    """False for a site whose value only a metric reads (``NumericSite.metric_only``), whose
    sensitive operand is not computed from the model's tensors (a shape, a count, a mask, a
    constant: ``_numeric_flow``), or that is a masked mean over the real tokens."""
    from kerascheck.rules._numeric_flow import flows_from_tensors, masked_mean

    if site.metric_only:
        return False
    if not flows_from_tensors(site):
        return False
    return not masked_mean(site)


def display(callee: str) -> str:
    """How users usually spell a canonical callee: ``keras.backend.log`` -> ``K.log``."""
    for prefix, short in (("keras.backend.", "K."), ("keras.ops.", "ops."), ("numpy.", "np."),
                          ("jnp.", "jnp."), ("tf.math.", "tf.math.")):
        if callee.startswith(prefix):
            return short + callee[len(prefix):]
    return callee


def family(callee: str) -> str:
    """``"K"``, ``"ops"``, ``"np"`` or ``"tf"``: which library spelling to suggest in a fix."""
    if callee.startswith("keras.backend."):
        return "K"
    if callee.startswith("keras.ops."):
        return "ops"
    if callee.startswith(("numpy.", "jnp.")):
        return "np"
    return "tf"


CLIP = {"K": "K.clip({x}, K.epsilon(), 1.0)", "ops": "ops.clip({x}, 1e-7, 1.0)",
        "np": "np.clip({x}, 1e-7, 1.0)", "tf": "tf.clip_by_value({x}, 1e-7, 1.0)"}
MAXIMUM = {"K": "K.maximum({x}, K.epsilon())", "ops": "ops.maximum({x}, 1e-7)",
           "np": "np.maximum({x}, 1e-7)", "tf": "tf.maximum({x}, 1e-7)"}
EPS = {"K": "K.epsilon()", "ops": "1e-7", "np": "1e-7", "tf": "1e-7"}


def function_family(sites: Iterable[object], function: str | None, default: str) -> str:
    """The library the function's own numeric calls use (for ``/``, which names none)."""
    for site in sites:
        if getattr(site, "function", None) == function and getattr(site, "callee", "/") != "/":
            return family(site.callee)  # type: ignore[attr-defined]
    return default


def where(site: object) -> str:
    """``"in custom_loss"`` or ``""``."""
    function = getattr(site, "function", None)
    return f" in {function}()" if function else ""

