"""Templated building blocks for the benchmark corpus (see ``gen_corpus.py``).

This module holds the shared machinery: the import *styles* (every common way a script spells Keras), the
``Ctx`` object a file is generated with (random source, import bookkeeping, fresh names), and small text
helpers. The blocks themselves live in ``corpus_blocks_python.py`` (ordinary Python: about half of every
file), ``corpus_blocks_keras.py`` (data loading and model building) and ``corpus_blocks_train.py``
(losses, optimizers, compile/fit, training loops, callbacks, plots, ``main``).

Every block is a function ``block(ctx) -> str`` that returns top-level source text and registers the imports
it needs with ``ctx.imp``/``ctx.ref``; the imports are emitted at the top of the file once the body is known,
so a file imports exactly what it uses. All randomness comes from ``ctx.rng`` (a ``random.Random``), so a
corpus is a pure function of its seed.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field

# Import groups, emitted in this order.
STDLIB, THIRD_PARTY, KERAS, ALIAS = 0, 1, 2, 3


def dd(text: str) -> str:
    """Dedent a template and normalise it to end with exactly one newline."""
    return textwrap.dedent(text).strip("\n") + "\n"


def ind(text: str, level: int = 1) -> str:
    """Indent every non-blank line by ``level`` × 4 spaces."""
    return textwrap.indent(text, "    " * level)


# -- import styles ------------------------------------------------------------------------------------

# A namespace is either ("prefix", "keras.layers.") — written as ``keras.layers.Dense`` — or
# ("direct", "keras.layers") — written as ``Dense`` with ``from keras.layers import Dense`` at the top.
NAMESPACES = ("layers", "models", "optimizers", "callbacks", "losses", "metrics", "schedules", "utils",
              "datasets", "preprocessing", "regularizers")


@dataclass(frozen=True)
class Style:
    key: str
    weight: int
    base: tuple[tuple[int, str], ...]
    ns: dict[str, tuple[str, str]]
    backend: tuple[int, str]  # how ``K`` is obtained
    ops: str | None = None  # ``keras.ops`` where Keras 3 is imported
    keras2: float = 0.0  # probability that a Keras 2 spelling (lr=, nb_epoch=, init=) is used
    tf_base: bool = False  # tensorflow already imported as tf by ``base``


def _prefixed(root: str, **over: tuple[str, str]) -> dict[str, tuple[str, str]]:
    ns = {
        "layers": ("prefix", f"{root}layers."),
        "models": ("prefix", root),
        "optimizers": ("prefix", f"{root}optimizers."),
        "callbacks": ("prefix", f"{root}callbacks."),
        "losses": ("prefix", f"{root}losses."),
        "metrics": ("prefix", f"{root}metrics."),
        "schedules": ("prefix", f"{root}optimizers.schedules."),
        "utils": ("prefix", f"{root}utils."),
        "datasets": ("prefix", f"{root}datasets."),
        "preprocessing": ("prefix", f"{root}preprocessing.sequence."),
        "regularizers": ("prefix", f"{root}regularizers."),
    }
    ns.update(over)
    return ns


def _direct(pkg: str, **over: tuple[str, str]) -> dict[str, tuple[str, str]]:
    ns = {
        "layers": ("direct", f"{pkg}.layers"),
        "models": ("direct", f"{pkg}.models"),
        "optimizers": ("direct", f"{pkg}.optimizers"),
        "callbacks": ("direct", f"{pkg}.callbacks"),
        "losses": ("direct", f"{pkg}.losses"),
        "metrics": ("direct", f"{pkg}.metrics"),
        "schedules": ("direct", f"{pkg}.optimizers.schedules"),
        "utils": ("direct", f"{pkg}.utils"),
        "datasets": ("direct", f"{pkg}.datasets"),
        "preprocessing": ("direct", f"{pkg}.preprocessing.sequence"),
        "regularizers": ("direct", f"{pkg}.regularizers"),
    }
    ns.update(over)
    return ns


STYLES: tuple[Style, ...] = (
    Style("keras3", 20, ((KERAS, "import keras"), (KERAS, "from keras import layers")),
          _prefixed("keras.", layers=("prefix", "layers."), preprocessing=("prefix", "keras.utils.")),
          (KERAS, "from keras import backend as K"), ops="keras.ops", keras2=0.05),
    Style("keras3_L", 6, ((KERAS, "import keras"), (KERAS, "from keras import layers as L")),
          _prefixed("keras.", layers=("prefix", "L."), preprocessing=("prefix", "keras.utils.")),
          (KERAS, "from keras import backend as K"), ops="keras.ops"),
    Style("keras_modules", 7, ((KERAS, "import keras"),
                               (KERAS, "from keras import callbacks, layers, models, optimizers")),
          _prefixed("keras.", layers=("prefix", "layers."), models=("prefix", "models."),
                    optimizers=("prefix", "optimizers."), callbacks=("prefix", "callbacks."),
                    preprocessing=("prefix", "keras.utils.")),
          (KERAS, "from keras import backend as K"), ops="keras.ops", keras2=0.1),
    Style("tf_from", 20, ((KERAS, "import tensorflow as tf"), (KERAS, "from tensorflow import keras"),
                          (KERAS, "from tensorflow.keras import layers")),
          _prefixed("keras.", layers=("prefix", "layers.")),
          (KERAS, "from tensorflow.keras import backend as K"), keras2=0.1, tf_base=True),
    Style("tf_only", 15, ((KERAS, "import tensorflow as tf"),), _prefixed("tf.keras."),
          (ALIAS, "K = tf.keras.backend"), keras2=0.1, tf_base=True),
    Style("tfk_alias", 4, ((KERAS, "import tensorflow as tf"), (ALIAS, "tfk = tf.keras"),
                           (ALIAS, "tfkl = tf.keras.layers")),
          _prefixed("tfk.", layers=("prefix", "tfkl.")), (ALIAS, "K = tfk.backend"), tf_base=True),
    Style("keras2_direct", 12, (),
          _direct("keras", losses=("prefix", "losses."), metrics=("prefix", "metrics."),
                  utils=("prefix", "np_utils.")),
          (KERAS, "from keras import backend as K"), keras2=0.7),
    Style("tfk_direct", 10, ((KERAS, "import tensorflow as tf"),),
          _direct("tensorflow.keras", losses=("prefix", "tf.keras.losses."),
                  metrics=("prefix", "tf.keras.metrics.")),
          (KERAS, "from tensorflow.keras import backend as K"), keras2=0.25, tf_base=True),
    Style("tf_keras", 6, ((KERAS, "import tf_keras"),), _prefixed("tf_keras."),
          (KERAS, "from tf_keras import backend as K"), keras2=0.3),
)

# Imports a "prefix" namespace needs beyond the style's base imports.
_PREFIX_IMPORTS = {
    "losses.": "from keras import losses",
    "metrics.": "from keras import metrics",
    "np_utils.": "from keras.utils import np_utils",
}


def pick_style(rng: random.Random) -> Style:
    return rng.choices(STYLES, weights=[s.weight for s in STYLES], k=1)[0]


# -- name pools ---------------------------------------------------------------------------------------

NOUNS = ("record", "sample", "row", "item", "entry", "event", "reading", "measurement", "image", "frame",
         "token", "sentence", "review", "customer", "order", "sensor", "signal", "patient", "user", "batch")
VERBS = ("load", "parse", "clean", "normalize", "filter", "merge", "split", "summarize", "collect",
         "validate", "transform", "encode", "prepare", "convert", "aggregate", "build", "compute", "read")
ADJ = ("raw", "clean", "valid", "train", "test", "eval", "holdout", "extra", "base", "final", "cached")
PROJECTS = ("churn", "digits", "housing", "sentiment", "fraud", "sensor", "retail", "weather", "traffic",
            "spam", "flowers", "credit", "energy", "clinic", "fashion", "reviews", "stocks", "audio")
AUTHORS = ("data team", "ML platform", "research group", "analytics", "the course staff", "J. Doe",
           "A. Student", "ops", "modeling squad")
COLUMNS = ("age", "income", "balance", "tenure", "score", "duration", "amount", "visits", "rating", "price",
           "height", "weight", "temperature", "humidity", "pressure", "speed", "distance", "count")
TARGETS = ("label", "target", "churned", "is_fraud", "outcome", "y", "class", "default", "survived")


@dataclass
class Ctx:
    """Per-file generation state."""

    rng: random.Random
    style: Style
    plain: bool = False  # a plain utility file: must not mention keras or tensorflow
    project: str = "project"
    _imports: dict[int, list[str]] = field(default_factory=lambda: {0: [], 1: [], 2: [], 3: []})
    _direct: dict[str, list[str]] = field(default_factory=dict)
    _names: set[str] = field(default_factory=set)
    entry_points: list[tuple[str, str]] = field(default_factory=list)  # (function, argument text)
    pipelines: int = 0
    bugs: list[str] = field(default_factory=list)
    custom_losses: list[tuple[str, str]] = field(default_factory=list)  # (expression, task it suits)
    custom_metrics: list[tuple[str, str]] = field(default_factory=list)
    plotter: str | None = None  # name of a plot_history-like helper, once defined
    lr_function: str | None = None  # an epoch -> learning-rate function, once defined

    def __post_init__(self) -> None:
        if not self.plain:
            for group, line in self.style.base:
                self.imp(line, group)

    # -- randomness -----------------------------------------------------------------------------------

    def choice(self, seq):  # noqa: ANN001 - tiny helper
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def randint(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def bug(self, p: float, name: str) -> bool:
        """Decide whether to plant bug ``name`` here (probability ``p``) and record it."""
        if self.rng.random() < p:
            self.bugs.append(name)
            return True
        return False

    def keras2(self) -> bool:
        return self.rng.random() < self.style.keras2

    # -- names ----------------------------------------------------------------------------------------

    def fresh(self, *candidates: str) -> str:
        """A top-level name not used yet in this file (the first free candidate, else a numbered one)."""
        for name in candidates:
            if name not in self._names:
                self._names.add(name)
                return name
        base = candidates[0]
        n = 2
        while f"{base}_{n}" in self._names:
            n += 1
        self._names.add(f"{base}_{n}")
        return f"{base}_{n}"

    def fname(self, verb: str | None = None, noun: str | None = None) -> str:
        verb = verb or self.choice(VERBS)
        noun = noun or self.choice(NOUNS)
        return self.fresh(f"{verb}_{noun}s", f"{verb}_{self.choice(ADJ)}_{noun}s")

    def cname(self, *words: str) -> str:
        return self.fresh("".join(w.capitalize() for w in words))

    # -- imports --------------------------------------------------------------------------------------

    def imp(self, line: str, group: int = THIRD_PARTY) -> None:
        if self.plain and ("keras" in line or "tensorflow" in line):
            raise AssertionError(f"plain file asked for a Keras import: {line}")
        if line not in self._imports[group]:
            self._imports[group].append(line)

    def std(self, module: str) -> None:
        self.imp(f"import {module}", STDLIB)

    def np(self) -> str:
        self.imp("import numpy as np")
        return "np"

    def tf(self) -> str:
        self.imp("import tensorflow as tf", KERAS)
        return "tf"

    def ref(self, ns: str, name: str) -> str:
        """How this file spells ``name`` from Keras namespace ``ns`` (and record the import it needs)."""
        mode, value = self.style.ns[ns]
        if mode == "direct":
            names = self._direct.setdefault(value, [])
            if name not in names:
                names.append(name)
            return name
        if value in _PREFIX_IMPORTS:
            self.imp(_PREFIX_IMPORTS[value], KERAS)
        if value.startswith("tf."):
            self.tf()
        return value + name

    def L(self, name: str) -> str:  # noqa: N802 - mirrors the ``L.Dense`` spelling
        return self.ref("layers", name)

    def backend(self) -> str:
        group, line = self.style.backend
        if line.startswith("K = tf."):
            self.tf()
        self.imp(line, group)
        return "K"

    def import_block(self) -> str:
        out: list[str] = []
        stdlib = sorted(_merge_from(self._imports[STDLIB]), key=lambda s: (s.startswith("from"), s))
        if stdlib:
            out += stdlib + [""]
        if self._imports[THIRD_PARTY]:
            out += _merge_from(self._imports[THIRD_PARTY]) + [""]
        keras_lines = list(self._imports[KERAS])
        for module, names in self._direct.items():
            line = f"from {module} import {', '.join(sorted(names))}"
            if len(line) > 100:
                body = "".join(f"    {n},\n" for n in sorted(names))
                line = f"from {module} import (\n{body})"
            keras_lines.append(line)
        if keras_lines:
            out += keras_lines + [""]
        if self._imports[ALIAS]:
            out += self._imports[ALIAS] + [""]
        return "\n".join(out)


def _merge_from(lines: list[str]) -> list[str]:
    """Merge ``from m import a`` and ``from m import b`` into one line (first position wins)."""
    merged: dict[str, list[str]] = {}
    out: list[str] = []
    for line in lines:
        if line.startswith("from ") and " import " in line and "(" not in line:
            module, names = line[5:].split(" import ", 1)
            if module not in merged:
                merged[module] = []
                out.append(module)
            for name in names.split(","):
                if name.strip() not in merged[module]:
                    merged[module].append(name.strip())
        else:
            out.append(line)
    return [f"from {m} import {', '.join(sorted(merged[m]))}" if m in merged else m for m in out]


# -- small text helpers -------------------------------------------------------------------------------

SENTENCES = (
    "Numbers below were tuned on the validation split, not on the test split.",
    "This is deliberately simple; see the notebook for the exploratory version.",
    "Keep this in sync with the preprocessing used at serving time.",
    "The defaults reproduce the run reported in the weekly summary.",
    "Inputs are expected to be already de-duplicated.",
    "Runs on CPU in a few minutes; use a GPU for the full data set.",
    "TODO: move the constants into a config file.",
    "Ported from an older script; behaviour kept identical on purpose.",
    "Edge cases (empty input, missing fields) are handled explicitly.",
    "Outputs are written next to the input unless an output directory is given.",
)


def docstring(ctx: Ctx, summary: str, level: int = 1, p: float = 0.7) -> str:
    """An (indented) docstring for a function or class, or nothing (probability ``1 - p``)."""
    if not ctx.chance(p):
        return ""
    pad = "    " * level
    if ctx.chance(0.5):
        return f'{pad}"""{summary}"""\n'
    extra = ctx.choice(SENTENCES)
    return f'{pad}"""{summary}\n\n{pad}{extra}\n{pad}"""\n'


def put(text: str, marker: str, block: str) -> str:
    """Replace the line ``<indent>#@marker`` in ``text`` with ``block`` (unindented) at that indentation.

    Multi-line values must be inserted this way, after ``dd``: interpolating them into a template before
    dedenting would break the template's common indentation.
    """
    pattern = re.compile(rf"^( *)#@{marker}\n", re.MULTILINE)
    match = pattern.search(text)
    if match is None:
        raise AssertionError(f"marker #@{marker} missing")
    block = block if not block or block.endswith("\n") else block + "\n"
    return text[:match.start()] + textwrap.indent(block, match.group(1)) + text[match.end():]


def doc(text: str, marker: str, ctx: Ctx, summary: str, p: float = 0.7) -> str:
    """Replace the line ``<indent>#@marker`` with a docstring at that indentation (or with nothing)."""
    return put(text, marker, docstring(ctx, summary, 0, p))


def comment(ctx: Ctx, p: float = 0.3) -> str:
    """A full-line comment, or nothing."""
    if not ctx.chance(p):
        return ""
    return f"# {ctx.choice(SENTENCES)}\n"


def module_docstring(ctx: Ctx, what: str) -> str:
    title = f"{ctx.project.capitalize()}: {what}."
    lines = [f'"""{title}', ""]
    lines += [ctx.choice(SENTENCES) for _ in range(ctx.randint(1, 3))]
    if ctx.chance(0.5):
        lines += ["", f"Maintained by {ctx.choice(AUTHORS)}."]
    if ctx.chance(0.4):
        lines += ["", "Usage:", f"    python {ctx.project}_{ctx.choice(VERBS)}.py --help"]
    return "\n".join(lines) + '\n"""\n'
