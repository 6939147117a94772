"""Stress runs of the static pass: the inputs that used to kill or stall a run, timed with peak memory.

    python benchmarks/stress.py                 # all cases (several minutes: the 10 MB parse dominates)
    python benchmarks/stress.py --only deep,tree

Cases (each a fresh ``python -m kerascheck --no-cache`` process; wall time and its peak RSS via wait4):

- ``deep``: ``v = ---...-1`` with 200,000 minus signs (used to segfault libcst) next to a buggy file:
  both must be reported, exit 1.
- ``huge-default``: a 10 MB generated file under the default ``max-file-size``: skipped with an info
  finding before it is read.
- ``huge-unlimited``: the same file with ``max-file-size = 0``: parsed and linted (the parser's own cost).
- ``tree``: a directory of 50,000 small files.
- ``precommit``: 5,000 small Keras training scripts (``edge_cases.write_many``) passed by name, as pre-commit does (``--force-exclude``),
  with its peak memory (results stream; trees are dropped per file).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
CANARY = 'import keras\nm = keras.Sequential([keras.layers.Dense(1, activation="softmax")])\n'


def _run(args: list[str], cwd: Path) -> dict[str, object]:
    """Run ``python -m kerascheck ARGS``; wall seconds, peak RSS (MB), exit status, number of findings."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kerascheck", "--no-cache", "--output-format", "json", *args],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    try:
        findings = json.loads(out)
    except ValueError:
        findings = None
    return {"seconds": round(elapsed, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": proc.returncode, "findings": None if findings is None else len(findings),
            "valid_json": findings is not None}


def case_deep(tmp: Path) -> dict[str, object]:
    (tmp / "deep.py").write_text("import keras\nv = " + "-" * 200_000 + "1\n")
    (tmp / "buggy.py").write_text(CANARY)
    return _run(["deep.py", "buggy.py"], tmp)


def _huge(tmp: Path) -> Path:
    path = tmp / "generated.py"
    if not path.exists():
        lines = ["import keras\n"] + [f"l{i} = keras.layers.Dense({i % 512 + 1}, activation='sigmoid')\n"
                                      for i in range(190_000)]
        path.write_text("".join(lines))
    return path


def case_huge_default(tmp: Path) -> dict[str, object]:
    path = _huge(tmp)
    return {"size_mb": round(path.stat().st_size / 1e6, 1), **_run([path.name], tmp)}


def case_huge_unlimited(tmp: Path) -> dict[str, object]:
    path = _huge(tmp)
    (tmp / "nolimit.toml").write_text("max-file-size = 0\n")
    return {"size_mb": round(path.stat().st_size / 1e6, 1), **_run(["--config", "nolimit.toml", path.name], tmp)}


def case_tree(tmp: Path) -> dict[str, object]:
    tree = tmp / "tree"
    tree.mkdir(exist_ok=True)
    for i in range(50_000):
        (tree / f"m{i:05}.py").write_text(f"x = {i}\n")
    (tree / "z_buggy.py").write_text(CANARY)
    return _run(["tree"], tmp)


def case_precommit(tmp: Path) -> dict[str, object]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from edge_cases import write_many  # type: ignore[import-not-found]

    corpus = tmp / "corpus"
    names = sorted(str(p.relative_to(tmp)) for p in write_many(corpus, 5000))
    return {"files": len(names), **_run(["--force-exclude", "-j", "2", *names], tmp)}


CASES: dict[str, Callable[[Path], dict[str, object]]] = {
    "deep": case_deep, "huge-default": case_huge_default, "huge-unlimited": case_huge_unlimited,
    "tree": case_tree, "precommit": case_precommit,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(CASES), help="comma-separated cases: " + ", ".join(CASES))
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="kerascheck-stress-") as name:
        tmp = Path(name)
        for case in args.only.split(","):
            results[case] = CASES[case](tmp)
            print(f"{case:15} {results[case]}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
