"""A mutation fuzzer for the static pass: real Keras programs, broken in the ways real edits break them.

Each mutant is a shipped example or corpus program with one edit applied: a line deleted, duplicated or
swapped; a Keras call with hostile arguments injected at a statement boundary (``Dense(units=None)``,
``Adam(learning_rate="x")``, ``compile(loss=lambda *a: 0)``, ``**kwargs`` everywhere, NaN/inf/huge
numbers); a number literal replaced by a hostile one. The property: ``lint_source`` returns diagnostics
and never an internal error (a KC000 ``internal-error`` means a crash inside kerascheck).

The test suite runs a bounded, seeded number of mutants (seconds). For a long local run::

    python -m tests.fuzz.mutations --iterations 20000 --seed 7

prints every crashing mutant (and writes it under ``--out``) so it can become a regression test.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_SNIPPETS = (
    "model = keras.Sequential([keras.layers.Dense(units=None)])",
    "opt = keras.optimizers.Adam(learning_rate='x')",
    "model.compile(loss=lambda *a: 0)",
    "model.compile(optimizer=keras.optimizers.SGD(lr=float('nan')), loss=None, metrics=[None])",
    "keras.layers.Dense(10**400, activation=1e999)",
    "keras.layers.Dropout(-5)(keras.layers.Dense(-1)(x))",
    "layer = keras.layers.Dense(**kwargs)",
    "model.fit(*args, **kwargs)",
    "model = keras.Sequential(*layers, **kwargs)",
    "model.add(keras.layers.Activation(activation=keras.activations.softmax, **{'a': 1}))",
    "model.compile(optimizer=keras.optimizers.Adam(1e-400), loss=['mse'] * 3, metrics={'a': 'acc'})",
    "x = keras.Input(shape=(None, -1, float('inf')))",
    "model.fit(x / 0, y ** -1, batch_size=0, epochs=-1, validation_data=(x,))",
    "keras.layers.Dense(3)(keras.layers.Dense(3))(x)",
    "model = keras.Model(inputs=None, outputs=[])",
    "tf.math.log(tf.math.sqrt(y_pred / tf.reduce_sum(y_pred, axis=None)))",
    "keras.optimizers.schedules.ExponentialDecay(initial_learning_rate='0.1', decay_steps=0, decay_rate=-1)",
    "model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=maybe), optimizer=lambda: 0)",
)
HOSTILE_NUMBERS = ("float('nan')", "float('inf')", "-0.0", "10**400", "1e-400", "-1", "0", "True", "None", "'3'")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d*)?(?:e-?\d+)?(?![\w.])")


def seeds() -> list[tuple[str, str]]:
    """(name, source) of every shipped example and corpus program."""
    files = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))
    return [(path.name, path.read_text(encoding="utf-8")) for path in files]


def mutate(source: str, rng: random.Random) -> str:
    """One random edit of ``source`` (the result may well not parse: that must be handled too)."""
    lines = source.splitlines()
    if not lines:
        return source
    kind = rng.randrange(6)
    i = rng.randrange(len(lines))
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind in (3, 4):
        indent = re.match(r"[ \t]*", lines[i]).group(0)  # type: ignore[union-attr]
        lines.insert(i, indent + rng.choice(HOSTILE_SNIPPETS))
    else:
        numbers = [(n, m) for n, line in enumerate(lines) for m in _NUMBER.finditer(line)]
        if numbers:
            n, match = rng.choice(numbers)
            line = lines[n]
            lines[n] = line[: match.start()] + rng.choice(HOSTILE_NUMBERS) + line[match.end():]
    return "\n".join(lines) + "\n"


def mutants(iterations: int, seed: int) -> Iterator[tuple[str, str]]:
    """``iterations`` (name, mutated source) pairs, deterministic for a seed; some get two edits."""
    rng = random.Random(seed)
    pool = seeds()
    for _ in range(iterations):
        name, source = rng.choice(pool)
        mutated = mutate(source, rng)
        if rng.random() < 0.3:
            mutated = mutate(mutated, rng)
        yield name, mutated


def internal_errors(source: str, name: str) -> list[str]:
    """The messages of internal-error diagnostics kerascheck gives on ``source`` (empty: no crash)."""
    from kerascheck.engine import lint_source

    diagnostics = lint_source(source, name, _all_rules())
    bad = [d.message for d in diagnostics if d.name == "internal-error"]
    bad += [f"bad position {d.line}:{d.column}" for d in diagnostics if d.line < 1 or d.column < 1]
    return bad


@functools.lru_cache(maxsize=1)
def _all_rules() -> Any:
    """Every rule, opt-in ones included: a crash in any of them counts."""
    from kerascheck.config import default_settings

    return default_settings(select=["ALL"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation-fuzz the static pass.")
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"))
    args = parser.parse_args(argv)
    crashes = 0
    for index, (name, source) in enumerate(mutants(args.iterations, args.seed)):
        errors = internal_errors(source, name)
        if errors:
            crashes += 1
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out / f"crash-{args.seed}-{index}-{name}"
            target.write_text(source, encoding="utf-8")
            print(f"{target}: {errors[0]}")
    print(f"{args.iterations} mutants, {crashes} crashing", file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
