"""Bulk work on two cores, and without the garbage collector's detours.

:func:`split_in_two` runs a function over the second half of a list in a
forked child while the process does the first half: ``tmkit update``
assembles and writes thousands of new catalogs this way, so the kernel's
work of creating the files (a large share on some file systems) and the
Python work share both cores.  Its results come back pickled through a pipe,
in order, exactly as one call over the whole list would give them.

Run it inside :func:`toolkit.project.collect.fewer_collections` (the cyclic
garbage collector walking every object over and over was a tenth of a first
``tmkit update``'s CPU): the objects frozen there stay frozen in both processes.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from typing import Callable, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are done in the process alone: a fork costs more than it saves.
SPLIT_FROM = 64


def can_split(count: int) -> bool:
    """Whether :func:`split_in_two` would fork for ``count`` items (fork exists, a core to spare)."""
    return count >= SPLIT_FROM and hasattr(os, "fork") and spare_core()


def spare_core() -> bool:
    """Whether another core is likely idle: two or more, and the load average below their number.

    A forked half costs about a fifth more CPU in all (pages copied on
    write in both processes); on cores that other programs keep busy the
    child only waits for one, and the run takes longer than in one process
    (as ``make -l`` holds back jobs on a loaded machine).
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (OSError, AttributeError):
        load = 0.0
    return cores >= 2 and load < cores


def split_in_two(items: Sequence[T], work: Callable[[Sequence[T]], list[R]],
                 undo: Optional[Callable[[list[R]], None]] = None) -> list[R]:
    """``work(items)``, its second half done in a forked child (when :func:`can_split`).

    ``work`` returns one result per item; the results must pickle; when it
    raises it must leave nothing behind.  ``undo`` removes what ``work`` left
    behind for results that will not be used (temporary files): the parent
    calls it on the child's results when its own half fails or is
    interrupted, on its own results when the child's half failed, and the
    child on its own when it cannot hand them over.  The child ignores Ctrl-C (the parent hears it, waits
    for the child and undoes its half) and exits without running the
    parent's clean-up (``os._exit``).  An exception in the child is raised
    in the parent, once the parent's own half is done and undone.
    """
    if not can_split(len(items)):
        return work(items)
    middle = (len(items) + 1) // 2
    read, write = os.pipe()
    frozen = gc.get_freeze_count() > 0      # inside fewer_collections: stay frozen after
    gc.freeze()            # collections in either process would unshare the other's pages
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:           # pragma: no cover - the child's coverage is not collected
        os.close(read)
        gc.disable()       # a short life: no collections, fewer pages copied
        _child(items[middle:], work, undo, write)
    if not frozen:
        gc.unfreeze()
    os.close(write)
    if pid < 0:
        os.close(read)
        return work(items)
    try:
        mine = work(items[:middle])
    except BaseException:
        theirs = collect(pid, read)
        if theirs[0] == "ok" and undo is not None:
            undo(theirs[1])
        raise
    kind, payload = collect(pid, read)
    if kind != "ok":
        if undo is not None:
            undo(mine)
        raise payload
    return mine + payload


def _child(items: Sequence, work: Callable, undo: Optional[Callable], out: int) -> None:
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        message, result = pickled_outcome(lambda: work(items))
        try:
            with os.fdopen(out, "wb") as pipe:
                pipe.write(message)
            status = 0
        except BaseException:
            if result is not None and undo is not None:
                undo(result)
    finally:
        os._exit(status)


def pickled_outcome(work: Callable[[], R]) -> tuple[bytes, Optional[R]]:
    """What a forked child sends its parent: ``("ok", work())`` or ``("error", the exception)``,
    pickled (an exception that does not pickle goes as a ``RuntimeError`` naming it), and
    the result itself (None if ``work`` raised), for the child to undo if it cannot send it."""
    result = None
    try:
        result = work()
        return pickle.dumps(("ok", result), pickle.HIGHEST_PROTOCOL), result
    except BaseException as exc:
        try:
            return pickle.dumps(("error", exc), pickle.HIGHEST_PROTOCOL), result
        except Exception:
            return pickle.dumps(("error", RuntimeError(repr(exc)))), result


def collect(pid: int, read: int, what: str = "worker process") -> tuple[str, object]:
    """A forked child's ``(kind, payload)`` (:func:`pickled_outcome`), read before waiting
    for it (a pipe holds only 64 KB); a child that sent nothing died: an error naming ``what``."""
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return "error", RuntimeError(f"{what} {pid} died (status {status})")
    return pickle.loads(data)
