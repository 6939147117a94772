"""Generate a deterministic corpus of realistic Keras training scripts for benchmarking kerascheck.

    python benchmarks/gen_corpus.py OUT_DIR [--seed N] [--files N]

Each file is composed from templated building blocks (``corpus_blocks*.py``) with randomised names,
constants and sizes: every common Keras import spelling, Sequential/functional/subclassed models, Keras 2
spellings, custom losses and metrics, tf.data, GradientTape loops, callbacks, plots, argparse mains, and
about half ordinary Python. A realistic share of files carries a planted bug (mse + accuracy, single-unit
softmax, sigmoid head with categorical cross-entropy, a huge Adam learning rate, unscaled images, deep
sigmoid stacks, LSTMs without gradient clipping, unclipped logs); about 5% mention neither Keras nor
TensorFlow. The corpus is a pure function of ``seed`` and ``n_files``: ``random.Random(seed)`` is the only
source of randomness, and nothing depends on time or hash order.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_blocks import PROJECTS, Ctx, pick_style  # noqa: E402
from corpus_blocks_extra import (  # noqa: E402
    custom_callback,
    custom_layer,
    header,
    main_block,
    pipeline,
    plot_history,
    seed_everything,
    tfdata_files,
)
from corpus_blocks_python import (  # noqa: E402
    batching_block,
    config_dataclass,
    confusion_block,
    constants,
    decorators_block,
    file_walk,
    logging_setup,
    record_parsing,
    registry_block,
    statistics_block,
    text_cleaning,
    text_vocab,
    timer_block,
)
from corpus_blocks_python2 import (  # noqa: E402
    config_merge,
    dates_block,
    early_stop_tracker,
    feature_engineering,
    grid_search,
    kfold_block,
    least_squares,
    lr_math,
    lru_cache_class,
    numpy_augment,
    numpy_stats,
    pandas_cleaning,
    report_block,
    schema_block,
    smoothing_block,
)
from corpus_blocks_python3 import (  # noqa: E402
    batch_loader,
    checkpoint_rotation,
    correlation_report,
    groupby_report,
    ini_parser,
    matrix_utils,
    progress_bar,
    vocabulary_class,
)
from corpus_blocks_train import custom_loss, custom_metric  # noqa: E402

__all__ = ["generate", "stats", "MIN_LINES", "MAX_LINES"]

MIN_LINES, MAX_LINES = 100, 1500
PLAIN_FRACTION = 0.05
# A file stops growing once its blocks (with the two blank lines between them) reach its target; the
# largest block, ``main``, the imports and the header must still fit under MAX_LINES.
_TARGET_CAP = 1280
_FILE_RE = re.compile(r"^c\d{4}_[a-z_]+\.py$")

ORDINARY = (
    logging_setup, record_parsing, statistics_block, text_vocab, file_walk, timer_block, confusion_block,
    batching_block, decorators_block, registry_block, text_cleaning, config_dataclass, feature_engineering,
    numpy_augment, numpy_stats, pandas_cleaning, lru_cache_class, kfold_block, grid_search, smoothing_block,
    report_block, schema_block, lr_math, early_stop_tracker, config_merge, least_squares, dates_block,
    batch_loader, vocabulary_class, groupby_report, matrix_utils, checkpoint_rotation, progress_bar,
    correlation_report, ini_parser,
)
# Keras blocks after the first pipeline, with weights.
KERAS = ((pipeline, 45), (custom_loss, 14), (custom_metric, 10), (custom_callback, 8), (custom_layer, 6),
         (tfdata_files, 5), (plot_history, 4))
WHAT = ("training script", "model experiments", "baseline model", "Keras training pipeline",
        "end-to-end training and evaluation", "model definition and training loop", "hyperparameter sweep")
KINDS = ("train", "model", "experiment", "pipeline", "baseline", "run")


def _lines(text: str) -> int:
    return text.count("\n")


def _target_lines(rng: random.Random, plain: bool) -> int:
    if plain:
        return rng.randint(120, 600)
    # Log-normal: most files a few hundred lines, a tail up to the cap (mean about 450).
    return max(110, min(_TARGET_CAP, int(rng.lognormvariate(math.log(380), 0.6))))


def _make_file(rng: random.Random) -> tuple[str, str]:
    plain = rng.random() < PLAIN_FRACTION
    project = rng.choice(PROJECTS)
    ctx = Ctx(rng, pick_style(rng), plain=plain, project=project)
    target = _target_lines(rng, plain)
    blocks: list[str] = []
    ordinary_lines = keras_lines = 0

    if rng.random() < 0.7:
        blocks.append(constants(ctx))
    if rng.random() < 0.3:
        blocks.append(seed_everything(ctx))
    ordinary = list(ORDINARY)
    rng.shuffle(ordinary)
    # Keras blocks up to and including the first pipeline (so each Keras file trains something).
    pending = []
    if not plain:
        for block, p in ((custom_loss, 0.35), (custom_metric, 0.25), (plot_history, 0.3), (custom_layer, 0.1)):
            if rng.random() < p:
                pending.append(block)
        pending.append(pipeline)
    used_ordinary = 0
    while ordinary_lines + keras_lines + 3 * len(blocks) < target or pending:
        if plain or ordinary_lines <= keras_lines or (not pending and rng.random() < 0.3):
            block = ordinary[used_ordinary % len(ordinary)]
            used_ordinary += 1
            text = block(ctx)
            ordinary_lines += _lines(text)
        else:
            if pending:
                block = pending.pop(0)
            else:
                block = rng.choices([b for b, _ in KERAS], weights=[w for _, w in KERAS], k=1)[0]
                if block is plot_history and ctx.plotter:
                    block = pipeline
            text = block(ctx)
            keras_lines += _lines(text)
        blocks.append(text)
    if ctx.entry_points or rng.random() < 0.5:
        extras = []
        for name in ("configure_logging", "setup_logging", "init_logging"):
            if name in ctx._names:
                extras.append(f"{name}(args.verbose)")
                break
        blocks.append(main_block(ctx, extras))
    what = "data utilities" if plain else rng.choice(WHAT)
    head = header(ctx, what)
    body = "\n\n".join(b.rstrip("\n") + "\n" for b in blocks)
    text = head + "\n" + ctx.import_block() + "\n" + body
    kind = "utils" if plain else rng.choice(KINDS)
    if not MIN_LINES <= _lines(text) <= MAX_LINES:  # pragma: no cover - a generator bug, not bad luck
        raise AssertionError(f"generated {_lines(text)} lines, outside [{MIN_LINES}, {MAX_LINES}]")
    return f"{project}_{kind}", text


def generate(out_dir: Path, seed: int = 0, n_files: int = 320) -> list[Path]:
    """Write ``n_files`` scripts into ``out_dir`` (created if needed) and return their paths, sorted.

    Files from an earlier generation in ``out_dir`` (named ``cNNNN_*.py``) are removed first.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():
        if _FILE_RE.match(old.name):
            old.unlink()
    rng = random.Random(seed)
    paths = []
    for index in range(n_files):
        stem, text = _make_file(rng)
        path = out_dir / f"c{index:04d}_{stem}.py"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stats(paths: list[Path]) -> dict[str, int]:
    """Number of files and total/min/max/mean line counts."""
    counts = [_lines(Path(p).read_text(encoding="utf-8")) for p in paths]
    if not counts:
        return {"files": 0, "total_lines": 0, "min_lines": 0, "max_lines": 0, "mean_lines": 0}
    return {"files": len(counts), "total_lines": sum(counts), "min_lines": min(counts),
            "max_lines": max(counts), "mean_lines": round(sum(counts) / len(counts))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", type=int, default=320, help="number of files (default: 320)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = generate(args.out_dir, seed=args.seed, n_files=args.files)
    elapsed = time.perf_counter() - start
    summary = stats(paths)
    print(f"wrote {summary['files']} files, {summary['total_lines']} lines "
          f"(min {summary['min_lines']}, max {summary['max_lines']}, mean {summary['mean_lines']}) "
          f"to {args.out_dir} in {elapsed:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
