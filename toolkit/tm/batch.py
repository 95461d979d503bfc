"""Many lookups at once, on every core: forked workers sharing the index.

A lookup is CPU-bound Python (trigram counting, scoring), so threads do not
help; processes do.  With ``fork`` the workers inherit the open
:class:`~toolkit.tm.memory.TranslationMemory` with its matchers: the index
arrays are memory-mapped and the decoded sources are shared copy-on-write
(``gc.freeze`` keeps the collector from touching, hence copying, them), so a
worker costs a fork, not an index load.  Each worker opens its own store
connection (:meth:`~toolkit.tm.store.TMStore.after_fork`).  The batch is cut
into contiguous chunks answered in order, so the results are exactly those
of the serial lookups; small batches, one worker or no ``fork`` (Windows,
macOS default) stay serial because starting workers would cost more than it
saves.  Other threads of the process are not copied into the workers; the
only ones tmkit starts (``toolkit.build``'s idle write pool) forget themselves
in a forked child (``os.register_at_fork``), as they do for the build's own
process pool.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Mapping, Optional, Sequence

from toolkit.tm.match import Match

BATCH_MIN = 200          # fewer queries than this are answered serially
MAX_WORKERS = 4          # beyond this the shared memory bandwidth, not CPU, limits
CHUNKS_PER_WORKER = 4    # smaller chunks even out slow and fast queries

_shared = None           # the TranslationMemory the forked workers inherit


def default_workers() -> int:
    """One worker per core, at most ``MAX_WORKERS``."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _after_fork() -> None:
    _shared.store.after_fork()


def _answer(job: tuple) -> list[list[Match]]:
    texts, source_lang, target_lang, min_score, limit = job
    return _shared.lookup_batch(texts, source_lang, target_lang, min_score, limit)


def lookup_many(tm, texts: Sequence[str], source_lang: str, target_lang: str,
                min_score: float = 75.0, limit: int = 5,
                workers: Optional[int] = None) -> list[list[Match]]:
    """``[tm.lookup(t, ...) for t in texts]``, on several processes when it pays."""
    return lookup_groups(tm, {(source_lang, target_lang): texts}, min_score, limit,
                         workers)[(source_lang, target_lang)]


def lookup_groups(tm, groups: Mapping[tuple[str, str], Sequence[str]], min_score: float = 75.0,
                  limit: int = 5, workers: Optional[int] = None) -> dict[tuple[str, str], list[list[Match]]]:
    """The lookups of several language pairs as ONE batch: one pool for all of them.

    ``groups`` maps ``(source_lang, target_lang)`` to texts; the answer maps
    each pair to ``[tm.lookup(t, ...) for t in texts]``.  A pair without
    units answers nothing at once (no index is opened, no worker started).  ``tmkit update`` asks
    for every language at once, so five languages of a few hundred texts each
    still fill every core once instead of starting five pools.
    """
    global _shared
    found: dict[tuple[str, str], list[list[Match]]] = {
        pair: [[] for _ in texts] for pair, texts in groups.items() if tm.is_empty(*pair)}
    groups = {pair: list(texts) for pair, texts in groups.items() if pair not in found}
    total = sum(len(texts) for texts in groups.values())
    workers = default_workers() if workers is None else max(1, workers)
    workers = min(workers, max(1, total // (BATCH_MIN // 2)))
    if total < BATCH_MIN or workers < 2 or not can_fork() or _shared is not None:
        found.update({(sl, tl): tm.lookup_batch(texts, sl, tl, min_score, limit)
                      for (sl, tl), texts in groups.items()})
        return found
    for source_lang, target_lang in groups:
        tm.matcher(source_lang, target_lang)     # load or build each index once, before forking
    step = -(-total // (workers * CHUNKS_PER_WORKER))
    jobs = [(texts[i:i + step], sl, tl, min_score, limit)
            for (sl, tl), texts in groups.items() for i in range(0, len(texts), step)]
    _shared = tm
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_after_fork) as pool:
            answers = pool.map(_answer, jobs, chunksize=1)
    finally:
        gc.unfreeze()
        _shared = None
    found.update({pair: [] for pair in groups})
    for (_, sl, tl, _, _), chunk in zip(jobs, answers):
        found[(sl, tl)] += chunk
    return found
