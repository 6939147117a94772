"""Benchmark ``kerascheck run`` against running the same script to its first training step, in one run.

    python benchmarks/bench_runtime.py [--repeat 3] [--json PATH] [--skip-resnet] [--image-size 224]

Two pairs, each timed as whole processes (start to exit) with the peak memory of the largest process
of the tree (``ru_maxrss`` of the children, read by a tiny wrapper process per measurement):

(a) a small CNN script (random data, no downloads): ``kerascheck run cnn.py`` versus ``python
    cnn_floor.py``, the same script whose ``fit`` trains one step (one batch, one epoch) and exits;
(b) ``keras.applications.ResNet50(weights=None)`` with a batch of 8: ``kerascheck run resnet.py`` versus
    ``python resnet_floor.py``, which imports TensorFlow, builds the model and runs one training step.

The floor includes the TensorFlow import, the model build and one step: what a user waits for anyway
before the first loss appears. The claims are the ratios (aims: (a) within 1.5x, (b) within 3x), medians
over ``--repeat`` repeats whose order rotates so machine noise hits every figure alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_JSON = HERE / "results" / "runtime_latest.json"

CNN = """\
import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(0)
x = rng.random((512, 28, 28, 1), dtype=np.float32)
y = rng.integers(0, 10, size=512)
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
{fit}
"""

RESNET = """\
import numpy as np
import keras

rng = np.random.default_rng(0)
x = rng.random((8, {size}, {size}, 3), dtype=np.float32)
y = rng.integers(0, 10, size=8)
model = keras.applications.ResNet50(weights=None, input_shape=({size}, {size}, 3), classes=10)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
{fit}
"""

# The checked script trains for real (kerascheck stops it at fit); the floor trains one step and exits.
FULL_FIT = "model.fit(x, y, batch_size={batch}, epochs=5)"
ONE_STEP = "model.fit(x[:{batch}], y[:{batch}], batch_size={batch}, epochs=1, verbose=0)\nraise SystemExit(0)"

# Runs one command and prints its wall time and the peak RSS (KiB) of the largest process it waited for.
WRAPPER = textwrap.dedent("""\
    import resource, subprocess, sys, time
    start = time.perf_counter()
    with open(sys.argv[1], "wb") as out:
        code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
""")


def _write_scripts(folder: Path, image_size: int) -> dict[str, Path]:
    scripts = {
        "cnn": CNN.format(fit=FULL_FIT.format(batch=32)),
        "cnn_floor": CNN.format(fit=ONE_STEP.format(batch=32)),
        "resnet": RESNET.format(size=image_size, fit=FULL_FIT.format(batch=8)),
        "resnet_floor": RESNET.format(size=image_size, fit=ONE_STEP.format(batch=8)),
    }
    paths = {}
    for name, text in scripts.items():
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _measure(command: list[str], cwd: Path, ok_codes: tuple[int, ...]) -> dict[str, float]:
    """One timed run; a ``kerascheck run`` must also have *checked* the model (not failed early)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = cwd / "stdout.txt"
    done = subprocess.run([sys.executable, "-c", WRAPPER, str(out), *command], cwd=cwd, env=env,
                          capture_output=True, text=True, check=True)
    wall, rss, code = done.stdout.split()
    if int(code) not in ok_codes:
        raise RuntimeError(f"{' '.join(command)} exited {code}")
    if "run" in command:
        status = json.loads(out.read_text(encoding="utf-8"))["status"]
        if status != "checked":
            raise RuntimeError(f"{' '.join(command)} ended with status {status!r}, not 'checked'")
    return {"seconds": float(wall), "peak_rss_mb": int(rss) / 1024}


def _commands(paths: dict[str, Path], pairs: list[str]) -> dict[str, tuple[list[str], tuple[int, ...]]]:
    commands: dict[str, tuple[list[str], tuple[int, ...]]] = {}
    for pair in pairs:
        # kerascheck run exits 1 when it has findings (ResNet50 on random data may have some): both count.
        commands[f"{pair}:run"] = ([sys.executable, "-m", "kerascheck", "run", "--output-format", "json",
                                      paths[pair].name], (0, 1))
        commands[f"{pair}:floor"] = ([sys.executable, paths[f"{pair}_floor"].name], (0,))
    return commands


def run(args: argparse.Namespace) -> dict[str, Any]:
    pairs = ["cnn"] + ([] if args.skip_resnet else ["resnet"])
    samples: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="kerascheck-bench-runtime-") as tmp:
        folder = Path(tmp)
        paths = _write_scripts(folder, args.image_size)
        commands = _commands(paths, pairs)
        names = list(commands)
        for repeat in range(args.repeat):
            order = names[repeat % len(names):] + names[:repeat % len(names)]
            for name in order:
                command, ok = commands[name]
                sample = _measure(command, folder, ok)
                samples.setdefault(name, []).append(sample)
                print(f"  repeat {repeat + 1}: {name:14s} {sample['seconds']:7.2f} s  "
                      f"{sample['peak_rss_mb']:7.0f} MB", file=sys.stderr)
    medians = {name: {key: statistics.median(s[key] for s in runs) for key in ("seconds", "peak_rss_mb")}
               for name, runs in samples.items()}
    ratios = {pair: {"time": medians[f"{pair}:run"]["seconds"] / medians[f"{pair}:floor"]["seconds"],
                     "memory": medians[f"{pair}:run"]["peak_rss_mb"] / medians[f"{pair}:floor"]["peak_rss_mb"]}
              for pair in pairs}
    return {"medians": medians, "ratios": ratios, "samples": samples, "meta": _meta(args)}


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    versions = {}
    for module in ("tensorflow", "keras"):
        done = subprocess.run([sys.executable, "-c", f"import {module}; print({module}.__version__)"],
                              capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        versions[module] = done.stdout.strip() or None
    return {"repeat": args.repeat, "image_size": args.image_size, "python": platform.python_version(),
            "machine": platform.machine(), "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                          time.gmtime()),
            **versions}


def _table(result: dict[str, Any]) -> str:
    aims = {"cnn": 1.5, "resnet": 3.0}
    rows = [("figure", "kerascheck run", "floor", "ratio", "aim", "peak MB run/floor")]
    for pair, ratio in result["ratios"].items():
        checked, floor = result["medians"][f"{pair}:run"], result["medians"][f"{pair}:floor"]
        rows.append((pair, f"{checked['seconds']:.2f} s", f"{floor['seconds']:.2f} s", f"{ratio['time']:.2f}x",
                     f"<= {aims[pair]}x", f"{checked['peak_rss_mb']:.0f} / {floor['peak_rss_mb']:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeats; medians are reported (default: 3)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help=f"where to write every figure (default: {DEFAULT_JSON.relative_to(HERE.parent)})")
    parser.add_argument("--skip-resnet", action="store_true", help="only the small CNN (a quick run)")
    parser.add_argument("--image-size", type=int, default=224, help="ResNet50 input size (default: 224)")
    args = parser.parse_args(argv)
    result = run(args)
    print(_table(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
