"""Benchmark ``kerascheck server``: the re-lint after a ``didChange`` against the libcst parse floor and a CLI run.

    python benchmarks/bench_server.py [--repeat 15] [--lines 500]

Picks a real Keras training script of about ``--lines`` lines (``real_corpus.py``; the synthetic
``edge_cases.long_module`` when no mirror is present), starts the server
as editors do (``python -m kerascheck server`` over stdio, ``initializationOptions: {"debounce": 0}``),
opens the file, then, ``--repeat`` times, sends a ``didChange`` with the whole text (a comment line that
differs each time, so nothing can be reused) and times until the matching ``publishDiagnostics`` arrives:
the editor's real latency, JSON-RPC included. Interleaved with those, it times ``libcst.parse_module`` of the
same text in this process (the floor: what any libcst-based linter pays per change) and the engine's
``lint_source`` (what the server calls: the difference is the server's own cost); then a CLI process start,
``kerascheck --no-cache FILE`` (what an editor integration that runs the CLI on each change pays; the
content changed, so the result cache could not answer). Medians; the claims are the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _p in (str(REPO), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import edge_cases  # noqa: E402
import real_corpus  # noqa: E402


def pick_script(folder: Path, lines: int) -> Path:
    """The real Keras script (one that compiles and fits a model) closest to ``lines`` lines."""
    for source in real_corpus.SOURCES:
        real_corpus.assemble(source, real_corpus.DEFAULT_MIRRORS, folder, any_commit=False)
    paths = sorted(folder.rglob("*.py"))
    keras = [p for p in paths if "compile(" in p.read_text() and ".fit(" in p.read_text()]
    if not keras:
        keras = [folder / "long_module.py"]
        keras[0].write_text(edge_cases.long_module(max(1, lines // 21)), encoding="utf-8")
    return min(keras, key=lambda p: abs(p.read_text().count("\n") - lines))


def time_cli(path: Path, repeat: int) -> list[float]:
    times = []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kerascheck", "--no-cache", "-q", "--exit-zero", str(path)],
                       env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def _timed(function, *args) -> float:  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


async def time_server(path: Path, text: str, repeat: int) -> tuple[dict[str, list[float]], int]:
    """Per repeat, interleaved so machine noise hits all three alike: a server re-lint, then a libcst
    parse and an in-process ``lint_source`` of the same text in this process."""
    import libcst
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    from kerascheck.config import default_settings
    from kerascheck.engine import lint_source

    settings = default_settings(project_root=str(path.parent))
    libcst.parse_module(text)  # warm both: first calls import and set up tables
    lint_source(text, str(path), settings)

    client = LanguageClient("bench", "1")
    arrived: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        arrived.put_nowait(params)

    await client.start_io(sys.executable, "-m", "kerascheck", "server",
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    uri = path.resolve().as_uri()
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=path.parent.resolve().as_uri(),
        initialization_options={"debounce": 0}))
    client.initialized(types.InitializedParams())
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))
    first = await asyncio.wait_for(arrived.get(), 120)
    times: dict[str, list[float]] = {"server": [], "parse": [], "lint_source": []}
    for index in range(repeat):
        version = index + 2
        variant = f"# edit {index}\n" + text
        gc.collect()
        start = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=variant)]))
        while True:
            published = await asyncio.wait_for(arrived.get(), 120)
            if published.version == version:
                break
        times["server"].append(time.perf_counter() - start)
        times["parse"].append(_timed(libcst.parse_module, variant))
        times["lint_source"].append(_timed(lint_source, variant, str(path), settings))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times, len(first.diagnostics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = pick_script(Path(folder), args.lines)
        text = path.read_text()
        times, findings = asyncio.run(time_server(path, text, args.repeat))
        times["cli"] = time_cli(path, max(3, args.repeat // 3))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"script: {text.count(chr(10))} lines, {findings} finding(s) on open; medians of {args.repeat} "
          f"re-lints / parses, {len(times['cli'])} CLI runs")
    print(f"server re-lint after didChange (to publishDiagnostics): {median['server'] * 1000:7.1f} ms")
    print(f"libcst.parse_module of the same text:                   {median['parse'] * 1000:7.1f} ms")
    print(f"engine.lint_source of the same text, in process:        {median['lint_source'] * 1000:7.1f} ms")
    print(f"CLI process, kerascheck --no-cache FILE:                {median['cli'] * 1000:7.1f} ms")
    print(f"server / parse floor: {median['server'] / median['parse']:.2f}x (goal: within 1.5x)")
    print(f"server / lint_source: {median['server'] / median['lint_source']:.2f}x (what the server adds: "
          f"JSON-RPC, the thread hop, position conversion)")
    print(f"server / CLI start:   {median['server'] / median['cli']:.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
