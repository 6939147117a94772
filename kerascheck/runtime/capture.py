"""What the child captured at the script's first ``fit``: the live objects the checks measure.

Child side only (it holds a live ``keras.Model``), but this module itself imports nothing heavy. The
harness fills a ``Capture`` when it intercepts training; ``checks.run_checks`` measures it and
``live_facts`` turns its model into the static pass's facts. Creation sites are recorded on the live
objects themselves while the script runs (``SITE_ATTR`` on every layer and model, the compile call's
site and arguments on the model), so any layer reachable from the model knows its source line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kerascheck.runtime.measurements import Site

__all__ = ["Capture", "SITE_ATTR", "COMPILE_SITE_ATTR", "COMPILE_ARGS_ATTR", "site_of", "compile_site_of",
           "compile_args_of"]

SITE_ATTR = "_kerascheck_site"                  # Site of the user line that created the layer/model
COMPILE_SITE_ATTR = "_kerascheck_compile_site"  # Site of the user line of the last compile() call
COMPILE_ARGS_ATTR = "_kerascheck_compile_args"  # that call's arguments, bound by parameter name


@dataclass
class Capture:
    """The model and data of the first training call, exactly as the script passed them.

    ``method`` is ``"fit"``, ``"train_on_batch"`` or ``"fit_generator"`` (Keras 2 spelling, with
    ``--keras2-compat``). ``x``/``y``/``sample_weight``/``validation_data``/``class_weight``/``batch_size``
    are the call's arguments (any of the forms ``fit`` accepts: arrays, lists, dicts, pandas objects,
    ``tf.data.Dataset``, generators, ``keras.utils.PyDataset``). ``fit_kwargs`` holds the remaining
    arguments. ``fit_site`` is the user's line of the call.
    """

    model: Any
    method: str = "fit"
    x: Any = None
    y: Any = None
    sample_weight: Any = None
    validation_data: Any = None
    class_weight: Any = None
    batch_size: int | None = None
    fit_kwargs: Mapping[str, Any] = field(default_factory=dict)
    fit_site: Site | None = None

    @property
    def compile_site(self) -> Site | None:
        return compile_site_of(self.model)

    @property
    def compile_args(self) -> Mapping[str, Any]:
        return compile_args_of(self.model)

    @property
    def model_site(self) -> Site | None:
        return site_of(self.model)


def site_of(obj: Any) -> Site | None:
    """Where the user's code created ``obj`` (a layer or model), if that was recorded."""
    site = getattr(obj, SITE_ATTR, None)
    return site if isinstance(site, Site) else None


def compile_site_of(model: Any) -> Site | None:
    site = getattr(model, COMPILE_SITE_ATTR, None)
    return site if isinstance(site, Site) else None


def compile_args_of(model: Any) -> Mapping[str, Any]:
    args = getattr(model, COMPILE_ARGS_ATTR, None)
    return args if isinstance(args, dict) else {}
