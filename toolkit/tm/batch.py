"""Many lookups at once, on every core: the process and forked children sharing the index.

A lookup is CPU-bound numpy and Python (trigram counting, scoring), so
threads do not help; processes do.  The batch is cut into chunks that the
process itself and ``workers - 1`` forked children take one at a time (so a
core slowed by other work simply takes fewer chunks): the chunk numbers wait in
a pipe, 4 bytes each, written before the fork, and whoever reads one answers
that chunk.  A pipe read is atomic among readers, so no chunk is taken twice,
and it needs no ``multiprocessing`` (its import and shared counter cost ~25 ms
of CPU, a tenth of a whole ``tmkit tm pretranslate`` at 300k units).
With ``fork`` the children inherit the open
:class:`~toolkit.tm.memory.TranslationMemory` with its matchers: the index is
memory-mapped and shared, ``gc.freeze`` keeps the collector from touching
(hence copying) the parent's objects, so a child costs a fork, not an index
load.  Each child opens its own store connection
(:meth:`~toolkit.tm.store.TMStore.after_fork`) and sends its chunks' answers
back through a pipe, pickled, when it is done.  Every chunk is answered by
:meth:`~toolkit.tm.memory.TranslationMemory.lookup_batch`, so the results are
exactly those of the serial lookups.  Small batches, one worker or no
``fork`` (Windows) stay serial: forking would cost more than it saves.
Other threads of the process are not copied into the children, and a
child closes its copy of the project lock's file at once (``toolkit.project.lock``
registers that with ``os.register_at_fork``), so the lock ends with the parent.
"""

from __future__ import annotations

import gc
import os
import signal
from typing import Mapping, Optional, Sequence

from toolkit.project.workers import collect, pickled_outcome
from toolkit.tm.match import Match

BATCH_MIN = 200          # fewer queries than this are answered serially
TICKET = 4               # bytes per chunk number in the pipe
MAX_TICKETS = 1024       # 4 KB: fits any pipe's buffer, so writing them never blocks
MAX_WORKERS = 4          # beyond this the shared memory bandwidth, not CPU, limits
CHUNKS_PER_WORKER = 8    # smaller chunks even out slow and fast queries and busy cores

_shared = None           # the TranslationMemory the forked children inherit


def default_workers() -> int:
    """One worker per core (the process itself is one), at most ``MAX_WORKERS``."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def can_fork() -> bool:
    """Whether ``os.fork`` exists (not on Windows)."""
    return hasattr(os, "fork")


def _after_fork() -> None:
    _shared.store.after_fork()
    _shared.map_in()


def _answer(job: tuple) -> list[list[Match]]:
    texts, source_lang, target_lang, min_score, limit = job
    return _shared.lookup_batch(texts, source_lang, target_lang, min_score, limit)


def _tickets(count: int) -> int:
    """A pipe holding the chunk numbers ``0 .. count - 1``; returns its read end.

    The write end is closed at once, so a reader finds the end of the pipe
    once every number is taken.  ``count <= MAX_TICKETS``: 4 KB fit the buffer
    of any pipe (POSIX guarantees 512 bytes atomic, Linux and macOS buffer
    16-64 KB), so the writes never wait for a reader.
    """
    read, write = os.pipe()
    try:
        data = b"".join(n.to_bytes(TICKET, "little") for n in range(count))
        while data:
            data = data[os.write(write, data):]
    finally:
        os.close(write)
    return read


def _take(jobs: list[tuple], tickets: int, answers: dict[int, list[list[Match]]]) -> None:
    """Answer chunks until none is left, taking the next chunk number from the pipe.

    Every read asks for one number; a pipe read holds the pipe's lock, so two
    processes never split or share a number, and the pipe only ever holds
    whole numbers (all written before anyone reads).
    """
    while True:
        ticket = os.read(tickets, TICKET)
        if not ticket:
            return
        number = int.from_bytes(ticket, "little")
        answers[number] = _answer(jobs[number])


def _child(jobs: list[tuple], tickets: int, out: int) -> None:
    """A forked child's life: answer chunks, send them pickled, exit without cleanup
    (the parent's ``atexit`` handlers, buffers and connections are not the child's)."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)    # the parent reports an interrupt
        answers: dict[int, list[list[Match]]] = {}

        def answer() -> dict[int, list[list[Match]]]:
            _after_fork()
            _take(jobs, tickets, answers)
            return answers

        message, _ = pickled_outcome(answer)             # an error: the parent raises it
        with os.fdopen(out, "wb") as pipe:
            pipe.write(message)
        status = 0
    finally:
        os._exit(status)


def _collect(pid: int, read: int) -> dict[int, list[list[Match]]]:
    """A child's answers (:func:`toolkit.project.workers.collect`); its error raised here."""
    kind, payload = collect(pid, read, "TM lookup worker")
    if kind == "error":
        raise payload
    return payload


def lookup_many(tm, texts: Sequence[str], source_lang: str, target_lang: str,
                min_score: float = 75.0, limit: int = 5,
                workers: Optional[int] = None) -> list[list[Match]]:
    """``[tm.lookup(t, ...) for t in texts]``, on several processes when it pays."""
    return lookup_groups(tm, {(source_lang, target_lang): texts}, min_score, limit,
                         workers)[(source_lang, target_lang)]


def lookup_groups(tm, groups: Mapping[tuple[str, str], Sequence[str]], min_score: float = 75.0,
                  limit: int = 5, workers: Optional[int] = None) -> dict[tuple[str, str], list[list[Match]]]:
    """The lookups of several language pairs as ONE batch: one set of workers for all.

    ``groups`` maps ``(source_lang, target_lang)`` to texts; the answer maps
    each pair to ``[tm.lookup(t, ...) for t in texts]``.  A pair without
    units answers nothing at once (no index is opened, nothing forked).  ``tmkit
    update`` asks for every language at once, so five languages of a few
    hundred texts each still fill every core once instead of forking five times.
    """
    global _shared
    found: dict[tuple[str, str], list[list[Match]]] = {
        pair: [[] for _ in texts] for pair, texts in groups.items() if tm.is_empty(*pair)}
    groups = {pair: list(texts) for pair, texts in groups.items() if pair not in found}
    total = sum(len(texts) for texts in groups.values())
    workers = default_workers() if workers is None else max(1, workers)
    workers = min(workers, max(1, total // (BATCH_MIN // 2)))
    step = max(1, -(-total // (workers * CHUNKS_PER_WORKER)))
    jobs = [(texts[i:i + step], sl, tl, min_score, limit)
            for (sl, tl), texts in groups.items() for i in range(0, len(texts), step)]
    if (total < BATCH_MIN or workers < 2 or not can_fork() or _shared is not None
            or len(jobs) > MAX_TICKETS):            # the last: a thousand language pairs at once
        found.update({(sl, tl): tm.lookup_batch(texts, sl, tl, min_score, limit)
                      for (sl, tl), texts in groups.items()})
        return found
    for source_lang, target_lang in groups:
        tm.matcher(source_lang, target_lang)     # load or build each index once, before forking
    tm.map_in()
    tickets = _tickets(len(jobs))
    answers: dict[int, list[list[Match]]] = {}
    children: list[tuple[int, int]] = []
    _shared = tm
    gc.freeze()
    try:
        for _ in range(workers - 1):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _child(jobs, tickets, write)
            os.close(write)
            children.append((pid, read))
        _take(jobs, tickets, answers)
        while children:
            pid, read = children.pop(0)
            answers.update(_collect(pid, read))
    finally:
        for pid, read in children:             # interrupted: stop the others
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
        os.close(tickets)
        gc.unfreeze()
        _shared = None
    found.update({pair: [] for pair in groups})
    for number, (_, sl, tl, _, _) in enumerate(jobs):
        found[(sl, tl)] += answers[number]
    return found
