"""Benchmark the static pass of kerascheck against the libcst parse floor, in one run.

    python benchmarks/bench_static.py [--corpus DIR] [--repeat 5] [--json PATH] [--quick]

Generates the corpus (``gen_corpus.py``) into a temporary folder unless ``--corpus`` is given, then reports
medians over ``--repeat`` repeats. Within a repeat every measurement runs once, in an order rotated from
repeat to repeat, with ``gc.collect()`` before each, so machine noise hits all figures alike. The claims are
the ratios (cold/floor, warm/cold, jobs2/jobs1), not the absolute seconds: see ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import compileall
import gc
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

import gen_corpus  # noqa: E402

DEFAULT_JSON = HERE / "results" / "latest.json"


class NotAvailable(Exception):
    """The engine or CLI in this checkout lacks what a measurement needs (reported as "n/a (reason)")."""


# -- the two places that call kerascheck ---------------------------------------------------------------

_SETTINGS: dict[str, Any] = {}


def _settings(root: Path) -> Any:
    """Default settings (every default rule, no config file) rooted at the corpus folder."""
    key = str(root)
    if key not in _SETTINGS:
        from kerascheck.config import default_settings

        _SETTINGS[key] = default_settings(project_root=key)
    return _SETTINGS[key]


def _lint_inprocess(paths: list[Path], cache_dir: Path | None, jobs: int) -> int:
    """One in-process kerascheck run over ``paths`` (reading included); returns the number of diagnostics.

    ``cache_dir=None`` runs without a cache. Raises ``NotAvailable`` if the engine lacks the option asked for.
    """
    import inspect

    from kerascheck.engine import lint_paths

    settings = _settings(Path(os.path.commonpath([p.parent for p in paths])))
    params = inspect.signature(lint_paths).parameters
    kwargs: dict[str, Any] = {}
    if cache_dir is not None:
        if "cache" not in params:
            raise NotAvailable("engine.lint_paths() has no cache parameter")
        from kerascheck.cache import ResultCache, settings_fingerprint

        kwargs["cache"] = ResultCache(Path(cache_dir), settings_fingerprint(settings))
    if "jobs" in params:
        kwargs["jobs"] = jobs
    elif jobs != 1:
        raise NotAvailable("engine.lint_paths() has no jobs parameter")
    result = lint_paths([str(p) for p in paths], settings, **kwargs)
    return len(result.diagnostics)


def _process(command: list[str]) -> float:
    """Wall time of a bare Python process (the start-up floors the one-file figures sit on)."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _cli_one_file(path: Path, command: list[str] | None = None, cache_dir: Path | None = None) -> float:
    """Wall time of one ``kerascheck FILE`` process, start to exit (module form by default).

    Without ``cache_dir`` the run is cold (``--no-cache``); with it, the result is already cached (the
    default behaviour on a file that has not changed since the last run).
    """
    flags = ["--no-cache"] if cache_dir is None else ["--cache-dir", str(cache_dir)]
    cmd = (command or [sys.executable, "-m", "kerascheck"]) + [str(path), *flags]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=path.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        last = err[-1] if err else f"exit status {proc.returncode}"
        if "no such option" in last.lower():
            raise NotAvailable(f"the CLI does not accept --no-cache ({last})")
        raise NotAvailable(f"{' '.join(cmd[:3])} failed: {last}")
    return elapsed


# -- measurements ---------------------------------------------------------------------------------------


def _floor(texts: list[str]) -> Callable[[], None]:
    import libcst

    def run() -> None:
        for text in texts:
            libcst.parse_module(text)

    return run


def _guard(texts: list[str]) -> Callable[[], None]:
    """The parser crash guard's own cost: CPython's compile check plus parsing on the big-stack thread,
    minus nothing (compare with the floor, which parses on the calling thread)."""
    from kerascheck.parse_guard import cpython_rejection

    def run() -> None:
        for text in texts:
            cpython_rejection(text, "bench.py")

    return run


def _importtime() -> dict[str, Any]:
    """``python -X importtime -c 'import kerascheck.cli'``: total and the five heaviest modules (self time)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kerascheck.cli"],
                          capture_output=True, text=True, env=env, cwd=REPO, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((match.group(4), int(match.group(1)) / 1000, int(match.group(2)) / 1000))
    if proc.returncode != 0 or not rows:
        raise NotAvailable(f"importtime failed (exit {proc.returncode})")
    top = sorted(rows, key=lambda r: -r[1])[:5]
    return {
        "total_ms": round(max(r[2] for r in rows), 1),
        "modules": len(rows),
        "top_self_ms": [[name, round(own, 1), round(cum, 1)] for name, own, cum in top],
        "imports_tensorflow": any(r[0].split(".")[0] == "tensorflow" for r in rows),
        "imports_libcst": any(r[0].split(".")[0] == "libcst" for r in rows),
    }


def _pick_one_file(paths: list[Path]) -> Path:
    """The median-length file among those that mention Keras (a typical single-file lint)."""
    keras = [p for p in paths if b"keras" in p.read_bytes()] or paths
    ranked = sorted(keras, key=lambda p: (p.read_bytes().count(b"\n"), p.name))
    return ranked[len(ranked) // 2]


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="kerascheck-bench-"))
    try:
        return _run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    gen_s = None
    if args.corpus:
        paths = sorted(Path(args.corpus).rglob("*.py"))
        if not paths:
            raise SystemExit(f"bench_static: no .py files under {args.corpus}")
    else:
        start = time.perf_counter()
        paths = gen_corpus.generate(tmp / "corpus", seed=args.seed, n_files=args.files)
        gen_s = time.perf_counter() - start
    corpus = gen_corpus.stats(paths)
    corpus["generation_s"] = None if gen_s is None else round(gen_s, 3)
    print(f"corpus: {corpus['files']} files, {corpus['total_lines']} lines "
          f"(min {corpus['min_lines']}, max {corpus['max_lines']})"
          + (f", generated in {gen_s:.2f}s" if gen_s is not None else f" from {args.corpus}"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    one = _pick_one_file(paths)
    cache_dir = tmp / "cache"
    na: dict[str, str] = {}
    diag_counts: dict[str, int] = {}

    # Installed packages import from bytecode (pip compiles it); make the source checkout do the same
    # even when PYTHONDONTWRITEBYTECODE is set, or every process would recompile kerascheck.
    compileall.compile_dir(str(REPO / "kerascheck"), quiet=1)
    # Warm-up (untimed): imports, rule registry, lazy imports inside the engine; fills the warm cache.
    _floor(texts[:1])()
    _lint_inprocess(paths[:2], None, 1)
    try:
        diag_counts["warm-fill"] = _lint_inprocess(paths, cache_dir, 1)
    except NotAvailable as exc:
        na["warm"] = str(exc)

    measures: dict[str, Callable[[], Any]] = {
        "floor": _floor(texts),
        "guard": _guard(texts),
        "cold": lambda: _lint_inprocess(paths, None, 1),
        "warm": lambda: _lint_inprocess(paths, cache_dir, 1),
        "jobs2": lambda: _lint_inprocess(paths, None, 2),
        "cli_module": lambda: _cli_one_file(one),
        "py_start": lambda: _process([sys.executable, "-c", "pass"]),
        "py_libcst": lambda: _process([sys.executable, "-c", "import libcst"]),
    }
    console = shutil.which("kerascheck")
    if console:
        measures["cli_console"] = lambda: _cli_one_file(one, [console])
        cli_cache = tmp / "cli-cache"
        try:
            _cli_one_file(one, [console], cli_cache)  # fill the cache for the warm figure
            measures["cli_console_warm"] = lambda: _cli_one_file(one, [console], cli_cache)
        except NotAvailable as exc:
            na["cli_console_warm"] = str(exc)
    else:
        na["cli_console"] = "no 'kerascheck' console script on PATH"
    samples: dict[str, list[float]] = {name: [] for name in measures}
    order = list(measures)
    for rep in range(args.repeat):
        rotated = order[rep % len(order):] + order[:rep % len(order)]
        for name in rotated:
            if name in na:
                continue
            gc.collect()
            try:
                if name.startswith(("cli_", "py_")):
                    value = measures[name]()  # the subprocess times itself (start to exit)
                else:
                    start = time.perf_counter()
                    out = measures[name]()
                    value = time.perf_counter() - start
                    if isinstance(out, int):
                        diag_counts[name] = out
            except NotAvailable as exc:
                na[name] = str(exc)
                continue
            samples[name].append(value)
        print(f"  repeat {rep + 1}/{args.repeat} done", file=sys.stderr)

    med = {name: (statistics.median(v) if v and name not in na else None) for name, v in samples.items()}
    med["jobs1"] = med["cold"]  # the cold run is the single-process (--jobs 1) run
    figures = {
        "floor_parse_s": med["floor"], "guard_s": med["guard"], "cold_s": med["cold"], "warm_s": med["warm"],
        "jobs1_cold_s": med["jobs1"], "jobs2_cold_s": med["jobs2"],
        "one_file_module_s": med["cli_module"], "one_file_console_s": med.get("cli_console"),
        "one_file_console_warm_s": med.get("cli_console_warm"),
        "python_start_s": med.get("py_start"), "python_import_libcst_s": med.get("py_libcst"),
    }

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a is not None and b else None

    ratios = {"cold_over_floor": ratio(med["cold"], med["floor"]),
              "guard_over_floor": ratio(med["guard"], med["floor"]),
              "warm_over_cold": ratio(med["warm"], med["cold"]),
              "jobs2_over_jobs1": ratio(med["jobs2"], med["jobs1"])}
    # The same ratios per repeat (the two figures of a pair ran back to back), then their median: more robust
    # than a ratio of medians when the machine's load changes during the run.
    def paired(a: str, b: str) -> float | None:
        xs, ys = samples.get(a, []), samples.get(b, [])
        if a in na or b in na or not xs or len(xs) != len(ys):
            return None
        return round(statistics.median(x / y for x, y in zip(xs, ys) if y), 3)

    ratios_paired = {"cold_over_floor": paired("cold", "floor"), "guard_over_floor": paired("guard", "floor"), "warm_over_cold": paired("warm", "cold"),
                     "jobs2_over_jobs1": paired("jobs2", "cold")}
    imports: dict[str, Any] | None = None
    if not args.no_importtime:
        try:
            imports = _importtime()
        except NotAvailable as exc:
            na["importtime"] = str(exc)
    counts = dict(diag_counts)
    return {
        "meta": _meta(args),
        "corpus": corpus,
        "one_file": {"path": one.name, "lines": one.read_bytes().count(b"\n")},
        "figures": {k: (None if v is None else round(v, 4)) for k, v in figures.items()},
        "ratios": ratios,
        "ratios_paired": ratios_paired,
        "samples": {k: [round(x, 4) for x in v] for k, v in samples.items()},
        "diagnostics": counts,
        "consistent": len(set(counts.values())) <= 1,
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
            "kerascheck": __version__, "libcst": libcst_version, "repeat": args.repeat, "seed": args.seed,
            "quick": args.quick, "date": time.strftime("%Y-%m-%dT%H:%M:%S")}


# -- output ---------------------------------------------------------------------------------------------


def _fmt(seconds: float | None, reason: str | None = None) -> str:
    if seconds is None:
        return f"n/a ({reason})" if reason else "n/a"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _r(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}x"


def print_table(result: dict[str, Any]) -> None:
    f, r, na = result["figures"], result["ratios"], result["na"]
    c = result["corpus"]
    rows = [
        ("(a) floor: libcst.parse_module, all files", _fmt(f["floor_parse_s"]), "1.00x (floor)"),
        ("    parser crash guard (CPython compile check)", _fmt(f.get("guard_s")),
         f"guard/floor {_r(r.get('guard_over_floor'))}"),
        ("(b) cold: in-process, 1 process, no cache", _fmt(f["cold_s"], na.get("cold")),
         f"cold/floor {_r(r['cold_over_floor'])}"),
        ("(c) warm: cache filled", _fmt(f["warm_s"], na.get("warm")), f"warm/cold {_r(r['warm_over_cold'])}"),
        ("(d) cold --jobs 2", _fmt(f["jobs2_cold_s"], na.get("jobs2")),
         f"jobs2/jobs1 {_r(r['jobs2_over_jobs1'])}"),
        ("    cold --jobs 1 (= b)", _fmt(f["jobs1_cold_s"], na.get("cold")), ""),
        (f"(e) one file ({result['one_file']['lines']} lines): python -m kerascheck",
         _fmt(f["one_file_module_s"], na.get("cli_module")), ""),
        ("    one file: kerascheck console script", _fmt(f["one_file_console_s"], na.get("cli_console")), ""),
        ("    one file: console script, result cached", _fmt(f.get("one_file_console_warm_s"),
                                                            na.get("cli_console_warm")), ""),
        ("    floor: python -c pass", _fmt(f.get("python_start_s")), ""),
        ("    floor: python -c 'import libcst'", _fmt(f.get("python_import_libcst_s")), ""),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"\n{c['files']} files, {c['total_lines']} lines; medians of {result['meta']['repeat']} repeats "
          f"on {result['meta']['usable_cores']} usable cores")
    print(f"{'figure':<{width}}  {'median':>12}  ratio")
    print("-" * (width + 34))
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:>12}  {ratio}")
    imports = result.get("importtime")
    if imports:
        top = ", ".join(f"{name} {own:.1f}" for name, own, _cum in imports["top_self_ms"])
        print(f"(f) import kerascheck.cli: {imports['total_ms']:.1f} ms over {imports['modules']} modules; "
              f"heaviest (self ms): {top}; tensorflow imported: {imports['imports_tensorflow']}")
    elif "importtime" in na:
        print(f"(f) importtime: n/a ({na['importtime']})")
    p = result["ratios_paired"]
    print(f"per-repeat ratios (median): cold/floor {_r(p['cold_over_floor'])}, warm/cold "
          f"{_r(p['warm_over_cold'])}, jobs2/jobs1 {_r(p['jobs2_over_jobs1'])}")
    if not result["consistent"]:
        print(f"WARNING: runs disagree on the number of diagnostics: {result['diagnostics']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="lint these files instead of a fresh corpus")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument("--files", type=int, default=None, help="corpus size (default: 320; --quick: 40)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats (default: 5; --quick: 2)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH",
                        help=f"where to write the results (default: {DEFAULT_JSON.relative_to(REPO)})")
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer files and repeats")
    parser.add_argument("--no-importtime", action="store_true", help="skip the -X importtime breakdown")
    args = parser.parse_args(argv)
    if args.files is None:
        args.files = 40 if args.quick else 320
    if args.repeat is None:
        args.repeat = 2 if args.quick else 5
    if args.repeat < 1 or args.files < 1:
        parser.error("--repeat and --files must be at least 1")
    result = run(args)
    print_table(result)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
