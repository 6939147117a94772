"""Spreading files over processes, only when it pays.

libcst parsing is CPU-bound Python/Rust work that holds the GIL, so threads do not help; processes do.
A pool costs a fork and a round-trip per chunk, so it is started only for enough files (a pre-commit run
on three staged files stays in-process). Workers are forked after the parent has imported libcst and the
rules, so they start warm. ``map`` keeps input order; the engine sorts diagnostics anyway, so output is
identical whatever ``--jobs`` is.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many files per worker, the pool's start-up costs more than it saves (~25 ms per file).
MIN_FILES_PER_WORKER = 8


def usable_cores() -> int:
    """Cores this process may run on (respects affinity masks and container CPU sets)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def worth_a_pool(n_items: int, jobs: int) -> bool:
    return jobs > 1 and n_items >= MIN_FILES_PER_WORKER * 2


# Chunks per worker: small enough that the workers finish together, large enough that a round-trip
# per chunk stays cheap.
CHUNKS_PER_WORKER = 16


def map_in_pool(func: Callable[[T, Any], R], items: Sequence[T], settings: Any, jobs: int,
                weight: Callable[[T], int] | None = None) -> list[R]:
    """``[func(item, settings) for item in items]`` computed by ``jobs`` worker processes.

    With ``weight`` (an item's expected cost, e.g. its size), the heaviest items are handed out first
    and the light ones fill the gaps at the end, so one large file met last does not leave the other
    worker idle (real repositories sort their biggest notebooks anywhere). Results keep input order.
    """
    from concurrent.futures import ProcessPoolExecutor

    _warm_up()
    workers = min(jobs, max(1, len(items) // MIN_FILES_PER_WORKER))
    chunksize = max(1, len(items) // (workers * CHUNKS_PER_WORKER))
    order = list(range(len(items)))
    if weight is not None:
        order.sort(key=lambda i: -weight(items[i]))
    context = _context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = list(pool.map(partial(func, settings=settings), [items[i] for i in order], chunksize=chunksize))
    results: list[Any] = [None] * len(items)
    for index, result in zip(order, done):
        results[index] = result
    return results


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _warm_up() -> None:
    """Import what workers need before forking, so each child does not import it again."""
    import libcst  # noqa: F401

    from kerascheck.facts import extract  # noqa: F401
    from kerascheck.rules._index import rule_index

    for info in rule_index().values():
        if not info.runtime:
            info.load()
