"""Benchmark the static pass of kerascheck against the libcst parse floor, in one run.

    python benchmarks/bench_static.py [--corpus DIR] [--repeat 3] [--one-file-runs 9] [--json PATH] [--quick]

The corpus is real public Keras code: ``real_corpus.py`` assembles it from the local git mirrors at
pinned commits into a temporary folder (``--corpus DIR`` lints a folder of your own instead), plus the
few synthetic edge shapes of ``edge_cases.py``. Every figure is a ratio to a floor measured in the same
run, interleaved with it (see ``benchmarks/README.md``):

- cold / floor: ``engine.lint_paths`` with ``--jobs 1`` and no cache, against ``libcst.parse_module`` of
  the same texts; warm / cold; jobs 1 / jobs 2 (the parallel speed-up), rotated within each repeat;
- one file: ``kerascheck FILE --no-cache`` processes against ``python -c 'import libcst;
  libcst.parse_module(...)'`` on the same file, alternating, ``--one-file-runs`` of each;
- scale: peak memory of ``python -m kerascheck`` processes over 500 and 5,000 small files (flat means
  results stream and trees are dropped), and a warm 5,000-file run against reading and hashing them.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (str(REPO), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import edge_cases  # noqa: E402
import real_corpus  # noqa: E402

DEFAULT_JSON = HERE / "results" / "latest.json"
MIN_REAL_FILES = 300  # below this the corpus is not the representative one: say so


class NotAvailable(Exception):
    """The engine or CLI in this checkout lacks what a measurement needs (reported as "n/a (reason)")."""


# -- the corpus ------------------------------------------------------------------------------------------


def assemble(tmp: Path, mirrors: Path, limit: int | None) -> tuple[list[Path], list[str]]:
    """The real files (every pinned source found in ``mirrors``) and the edge shapes; summary lines."""
    lines = []
    real = tmp / "real"
    for source in real_corpus.SOURCES:
        lines.append(real_corpus.assemble(source, mirrors, real, any_commit=False))
    paths = sorted(real.rglob("*.py"))
    if limit is not None:
        paths = paths[:limit]
    return paths, lines


def stats(paths: list[Path]) -> dict[str, Any]:
    counts = [p.read_bytes().count(b"\n") + 1 for p in paths]
    return {"files": len(paths), "total_lines": sum(counts), "min_lines": min(counts), "max_lines": max(counts),
            "median_lines": statistics.median(counts)}


# -- in-process runs -------------------------------------------------------------------------------------

_SETTINGS: dict[str, Any] = {}


def _settings(root: Path) -> Any:
    """Default settings (every default rule, no config file) rooted at the corpus folder."""
    key = str(root)
    if key not in _SETTINGS:
        from kerascheck.config import default_settings

        _SETTINGS[key] = default_settings(project_root=key)
    return _SETTINGS[key]


def _lint_inprocess(paths: list[Path], cache_dir: Path | None, jobs: int) -> tuple[str, ...]:
    """One in-process run over ``paths`` (reading included); returns its findings as comparable text."""
    from kerascheck.engine import lint_paths

    settings = _settings(Path(os.path.commonpath([p.parent for p in paths])))
    kwargs: dict[str, Any] = {"jobs": jobs}
    if cache_dir is not None:
        from kerascheck.cache import ResultCache, settings_fingerprint

        kwargs["cache"] = ResultCache(Path(cache_dir), settings_fingerprint(settings))
    result = lint_paths([str(p) for p in paths], settings, **kwargs)
    return tuple(f"{d.path}:{d.line}:{d.column}:{d.end_line}:{d.end_column}: {d.code} {d.message}"
                 for d in result.diagnostics)


def _floor(texts: list[str]) -> Callable[[], None]:
    import libcst

    def run() -> None:
        for text in texts:
            try:
                libcst.parse_module(text)
            except Exception:  # noqa: BLE001 - a file libcst rejects costs what the attempt costs
                pass

    return run


def _guard(texts: list[str]) -> Callable[[], None]:
    """The parser crash guard's own cost: CPython's compile check of every text."""
    from kerascheck.parse_guard import cpython_rejection

    def run() -> None:
        for text in texts:
            cpython_rejection(text, "bench.py")

    return run


# -- processes -------------------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


def _timed(cmd: list[str], cwd: Path) -> float:
    """Wall seconds of one process, start to exit (exit 0 or 1: clean or findings)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        tail = err.decode("utf-8", "replace").strip().splitlines()
        raise NotAvailable(f"{' '.join(cmd[:3])} failed: {tail[-1] if tail else proc.returncode}")
    return elapsed


# Runs the command as its child and prints the largest peak RSS (KB) among the processes it waited for.
_PEAK = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(p.returncode)")


def _peak_rss(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MB) of the largest process of ``cmd``'s tree (via a tiny wrapper)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _PEAK, *cmd], cwd=cwd, env=_env(), capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise NotAvailable(f"{' '.join(cmd[:3])} failed with exit {proc.returncode}")
    return elapsed, int(proc.stdout.split()[-1]) / 1024


def _one_file(path: Path, runs: int, na: dict[str, str]) -> dict[str, list[float]]:
    """Alternate the one-file processes with the floor beside them, ``runs`` times each."""
    console = shutil.which("kerascheck")
    commands: dict[str, list[str]] = {
        "floor_py_libcst_parse": [sys.executable, "-c",
                                  "import sys, libcst; libcst.parse_module(open(sys.argv[1]).read())", str(path)],
        "python_m_kerascheck": [sys.executable, "-m", "kerascheck", str(path), "--no-cache"],
        "python_start": [sys.executable, "-c", "pass"],
    }
    if console:
        commands["console"] = [console, str(path), "--no-cache"]
        cache = path.parent / ".bench-cache"
        commands["console_cached"] = [console, str(path), "--cache-dir", str(cache)]
        _timed(commands["console_cached"], path.parent)  # fill it
    else:
        na["console"] = "no 'kerascheck' console script on PATH"
    samples: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for rep in range(runs):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            if name in na:
                continue
            try:
                samples[name].append(_timed(commands[name], path.parent))
            except NotAvailable as exc:
                na[name] = str(exc)
    return samples


def _scale(tmp: Path, sizes: list[int], na: dict[str, str]) -> dict[str, Any]:
    """Peak memory of cold ``--jobs 1`` processes over growing trees; warm run against read + hash."""
    out: dict[str, Any] = {}
    biggest = max(sizes)
    tree = tmp / "scale"
    paths = edge_cases.write_many(tree, biggest)
    for n in sizes:
        # The first n files: pass the folders that hold exactly them.
        folders = sorted({str(p.parent.relative_to(tmp)) for p in paths[:n]})
        cmd = [sys.executable, "-m", "kerascheck", "--no-cache", "-q", "--exit-zero", "--jobs", "1",
               "--output-format", "json", *folders]
        try:
            seconds, peak = _peak_rss(cmd, tmp)
        except NotAvailable as exc:
            na[f"scale_{n}"] = str(exc)
            continue
        out[f"cold_{n}"] = {"files": len(folders) * 100, "seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1)}
    # Warm, in-process: the cache's own work over the biggest tree against reading and hashing it.
    cache_dir = tmp / "scale-cache"
    _lint_inprocess(paths, cache_dir, 2)  # fill
    gc.collect()
    start = time.perf_counter()
    _lint_inprocess(paths, cache_dir, 1)
    warm = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    for path in paths:
        with open(path, "rb") as handle:
            hashlib.sha256(handle.read()).hexdigest()
    read_hash = time.perf_counter() - start
    out["warm"] = {"files": len(paths), "warm_s": round(warm, 3), "read_and_hash_s": round(read_hash, 3),
                   "warm_over_read_and_hash": round(warm / read_hash, 2) if read_hash else None}
    return out


def _importtime() -> dict[str, Any]:
    """``python -X importtime -m kerascheck FILE``-like: what ``import kerascheck.cli`` loads (self time)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kerascheck.cli"],
                          capture_output=True, text=True, env=_env(), cwd=REPO, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((match.group(4), int(match.group(1)) / 1000, int(match.group(2)) / 1000))
    if proc.returncode != 0 or not rows:
        raise NotAvailable(f"importtime failed (exit {proc.returncode})")
    top = sorted(rows, key=lambda r: -r[1])[:5]
    return {
        "total_ms": round(sum(r[1] for r in rows), 1),
        "modules": len(rows),
        "top_self_ms": [[name, round(own, 1), round(cum, 1)] for name, own, cum in top],
        "imports_tensorflow": any(r[0].split(".")[0] == "tensorflow" for r in rows),
        "imports_libcst": any(r[0].split(".")[0] == "libcst" for r in rows),
    }


# -- the run ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="kerascheck-bench-"))
    try:
        return _run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    na: dict[str, str] = {}
    if args.corpus:
        real = sorted(Path(args.corpus).rglob("*.py"))
        summary = [f"{args.corpus}: {len(real)} files"]
    else:
        real, summary = assemble(tmp, args.mirrors, 60 if args.quick else None)
    for line in summary:
        print(line)
    if not real:
        raise SystemExit("bench_static: no corpus files (no mirrors? see benchmarks/README.md)")
    edges = edge_cases.write(tmp / "edge")
    paths = real + edges
    corpus = {"real": stats(real), "edge": stats(edges), "sources": summary}
    print(f"corpus: {len(real)} real files, {corpus['real']['total_lines']} lines "
          f"(median {corpus['real']['median_lines']:.0f}, max {corpus['real']['max_lines']}) "
          f"+ {len(edges)} edge-shape files")
    if len(real) < MIN_REAL_FILES and not args.corpus and not args.quick:
        print(f"WARNING: fewer than {MIN_REAL_FILES} real files: fetch the mirrors listed in real_corpus.py")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    one = tmp / "one" / "train.py"
    one.parent.mkdir()
    one.write_text(edge_cases.train_small(), encoding="utf-8")
    cache_dir = tmp / "cache"
    findings: dict[str, tuple[str, ...]] = {}

    # Installed packages import from bytecode (pip compiles it); make the source checkout do the same
    # even when PYTHONDONTWRITEBYTECODE is set, or every process would recompile kerascheck.
    compileall.compile_dir(str(REPO / "kerascheck"), quiet=1)
    # Warm-up (untimed): imports, rule registry, lazy imports inside the engine; fills the warm cache.
    _floor(texts[:1])()
    _lint_inprocess(paths[:2], None, 1)
    findings["warm-fill"] = _lint_inprocess(paths, cache_dir, 1)

    measures: dict[str, Callable[[], Any]] = {
        "floor": _floor(texts),
        "guard": _guard(texts),
        "cold": lambda: _lint_inprocess(paths, None, 1),
        "warm": lambda: _lint_inprocess(paths, cache_dir, 1),
        "jobs2": lambda: _lint_inprocess(paths, None, 2),
    }
    samples: dict[str, list[float]] = {name: [] for name in measures}
    order = list(measures)
    for rep in range(args.repeat):
        for name in order[rep % len(order):] + order[:rep % len(order)]:
            gc.collect()
            start = time.perf_counter()
            out = measures[name]()
            samples[name].append(time.perf_counter() - start)
            if out is not None:
                findings[name] = out
        print(f"  repeat {rep + 1}/{args.repeat} done", file=sys.stderr, flush=True)
    one_samples = _one_file(one, args.one_file_runs, na)
    print("  one-file runs done", file=sys.stderr, flush=True)
    scale = _scale(tmp, args.scale, na) if args.scale else {}
    print("  scale runs done", file=sys.stderr, flush=True)

    med = {name: statistics.median(v) for name, v in samples.items()}
    one_med = {name: statistics.median(v) for name, v in one_samples.items() if v}

    def paired(a: str, b: str, source: dict[str, list[float]] = samples) -> float | None:
        xs, ys = source.get(a, []), source.get(b, [])
        if not xs or len(xs) != len(ys):
            return None
        return round(statistics.median(x / y for x, y in zip(xs, ys) if y), 3)

    main_cmd = "console" if "console" in one_med else "python_m_kerascheck"
    ratios = {
        "cold_over_floor": paired("cold", "floor"),
        "guard_over_floor": paired("guard", "floor"),
        "warm_over_cold": paired("warm", "cold"),
        "jobs1_over_jobs2": paired("cold", "jobs2"),
    }
    one_file = {
        "lines": one.read_text().count("\n"),
        "runs": args.one_file_runs,
        "median_s": {k: round(v, 4) for k, v in one_med.items()},
        "command": main_cmd,
        "over_floor_s": round(one_med[main_cmd] - one_med["floor_py_libcst_parse"], 4)
        if main_cmd in one_med and "floor_py_libcst_parse" in one_med else None,
    }
    imports: dict[str, Any] | None = None
    if not args.no_importtime:
        try:
            imports = _importtime()
        except NotAvailable as exc:
            na["importtime"] = str(exc)
    distinct = {name: len(f) for name, f in findings.items()}
    return {
        "meta": _meta(args),
        "corpus": corpus,
        "figures_s": {name: round(v, 4) for name, v in med.items()},
        "ratios": ratios,
        "one_file": one_file,
        "scale": scale,
        "samples": {k: [round(x, 4) for x in v] for k, v in {**samples, **one_samples}.items()},
        "findings": distinct,
        "consistent": len(set(findings.values())) <= 1,
        # Over the findings with the temporary folder's name removed: comparable between runs and checkouts.
        "findings_sha256": hashlib.sha256("\n".join(findings["cold"]).replace(str(tmp) + os.sep, "").encode())
        .hexdigest() if "cold" in findings else None,
        "importtime": imports,
        "na": na,
    }


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    try:
        from importlib.metadata import version

        libcst_version = version("libcst")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        libcst_version = "unknown"
    from kerascheck import __version__

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count()
    return {"python": platform.python_version(), "platform": platform.platform(), "usable_cores": cores,
            "kerascheck": __version__, "libcst": libcst_version, "repeat": args.repeat,
            "one_file_runs": args.one_file_runs, "quick": args.quick, "date": time.strftime("%Y-%m-%dT%H:%M:%S")}


# -- output ---------------------------------------------------------------------------------------------


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _r(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}x"


def print_table(result: dict[str, Any]) -> None:
    f, r, o, na = result["figures_s"], result["ratios"], result["one_file"], result["na"]
    c, m = result["corpus"]["real"], o["median_s"]
    rows = [
        ("(a) floor: libcst.parse_module, every file", _fmt(f["floor"]), "1.00x (floor)"),
        ("    parser crash guard (CPython compile check)", _fmt(f["guard"]), f"guard/floor {_r(r['guard_over_floor'])}"),
        ("(b) cold: in-process, --jobs 1, no cache", _fmt(f["cold"]), f"cold/floor {_r(r['cold_over_floor'])}"),
        ("(c) warm: cache filled", _fmt(f["warm"]), f"warm/cold {_r(r['warm_over_cold'])}"),
        ("(d) cold --jobs 2", _fmt(f["jobs2"]), f"jobs2 speed-up (jobs1/jobs2) {_r(r['jobs1_over_jobs2'])}"),
        (f"(e) one file ({o['lines']} lines): kerascheck --no-cache", _fmt(m.get("console")),
         na.get("console", "")),
        ("    one file: python -m kerascheck --no-cache", _fmt(m.get("python_m_kerascheck")), ""),
        ("    one file: console script, result cached", _fmt(m.get("console_cached")), ""),
        ("    floor: python -c 'import libcst; parse_module(file)'", _fmt(m.get("floor_py_libcst_parse")),
         f"one file - floor: {_fmt(o['over_floor_s'])} ({o['command']})"),
        ("    python -c pass", _fmt(m.get("python_start")), ""),
    ]
    width = max(len(row[0]) for row in rows)
    meta = result["meta"]
    print(f"\n{c['files']} real files + {result['corpus']['edge']['files']} edge shapes, {c['total_lines']} "
          f"real lines; medians of {meta['repeat']} repeats (one file: {o['runs']} runs) on "
          f"{meta['usable_cores']} usable cores; ratios are per-repeat medians")
    print(f"{'figure':<{width}}  {'median':>12}  ratio")
    print("-" * (width + 40))
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:>12}  {ratio}")
    for key, row in result["scale"].items():
        if key.startswith("cold_"):
            print(f"(f) scale: {row['files']} files, one process, --jobs 1: peak RSS {row['peak_rss_mb']:.0f} MB "
                  f"({row['seconds']:.1f} s)")
    warm = result["scale"].get("warm")
    if warm:
        print(f"(g) warm {warm['files']} files: {_fmt(warm['warm_s'])} against {_fmt(warm['read_and_hash_s'])} "
              f"for reading and hashing them ({warm['warm_over_read_and_hash']}x)")
    imports = result.get("importtime")
    if imports:
        top = ", ".join(f"{name} {own:.1f}" for name, own, _cum in imports["top_self_ms"])
        print(f"(h) import kerascheck.cli: {imports['total_ms']:.1f} ms over {imports['modules']} modules; "
              f"heaviest (self ms): {top}; libcst imported: {imports['imports_libcst']}; "
              f"tensorflow imported: {imports['imports_tensorflow']}")
    print(f"findings: {result['findings'].get('cold')} (sha256 {str(result['findings_sha256'])[:16]}); "
          f"cold, warm and jobs-2 runs agree: {result['consistent']}")
    for name, reason in na.items():
        print(f"n/a {name}: {reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="lint these files instead of the real corpus")
    parser.add_argument("--mirrors", type=Path, default=real_corpus.DEFAULT_MIRRORS,
                        help=f"where the git mirrors are (default: {real_corpus.DEFAULT_MIRRORS})")
    parser.add_argument("--repeat", type=int, default=None, help="repeats (default: 3; --quick: 2)")
    parser.add_argument("--one-file-runs", type=int, default=None, help="one-file runs of each command (default 9)")
    parser.add_argument("--scale", type=lambda s: [int(x) for x in s.split(",") if x], default=None,
                        metavar="N,N", help="scale-run sizes (default: 500,5000; --quick: 200; '' to skip)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help=f"where to write the results (default: {DEFAULT_JSON.relative_to(REPO)})")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 60 real files, fewer repeats")
    parser.add_argument("--no-importtime", action="store_true", help="skip the -X importtime breakdown")
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 2 if args.quick else 3
    if args.one_file_runs is None:
        args.one_file_runs = 7 if args.quick else 9
    if args.scale is None:
        args.scale = [200] if args.quick else [500, 5000]
    if args.repeat < 1 or args.one_file_runs < 1:
        parser.error("--repeat and --one-file-runs must be at least 1")
    result = run(args)
    print_table(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
