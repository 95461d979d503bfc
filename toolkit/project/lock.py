"""One writer at a time per project: an advisory lock on ``.tmkit/lock``.

Every command that writes project files (extract, update, build, pseudo,
status, tm update/import/pretranslate) holds this lock for its whole run, so
two of them started at once never interleave: the second waits (up to
``TMKIT_LOCK_TIMEOUT`` seconds, default 120) and then fails with a clear
message naming the process that holds it.  ``flock`` locks are released by the
kernel when a process dies, so a killed tmkit never leaves a stale lock.

The lock also checks the folders it guards: a project folder that is a
symlink leading out of the project (``po/es -> /elsewhere``) is refused
before anything is written through it.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from toolkit.project.config import Config
from toolkit.errors import TmkitError

LOCK_NAME = ".tmkit/lock"
DEFAULT_TIMEOUT_S = 120.0
_POLL_S = 0.05


#: Lock file descriptors this process holds: closed in forked children (build's
#: render workers), which would otherwise keep the lock alive after their
#: parent was killed and make every later command wait.
_HELD: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


class LockError(TmkitError):
    """Another tmkit process is writing the project."""


def _timeout() -> float:
    try:
        return float(os.environ.get("TMKIT_LOCK_TIMEOUT", DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S


@contextmanager
def project_lock(config: Config, timeout: Optional[float] = None) -> Iterator[Path]:
    """Hold the project's write lock (waiting up to ``timeout`` seconds)."""
    check_folders(config)
    path = config.root / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _HELD.add(fd)
    try:
        deadline = time.monotonic() + (_timeout() if timeout is None else timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
                    raise LockError(f"another tmkit command (pid {holder}) is writing this project; "
                                    "try again when it has finished", LOCK_NAME) from None
                time.sleep(_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        _HELD.discard(fd)
        os.close(fd)   # releases the flock


def check_folders(config: Config) -> None:
    """Refuse project folders (and their language folders) that resolve outside the project.

    Files are replaced by rename, which replaces a symlinked *file* rather than
    writing through it; a symlinked *folder* would lead writes elsewhere.
    """
    root = config.root.resolve()
    folders = [config.root / ".tmkit", config.source_path, config.po_path, config.template_path,
               config.export_path, config.export_path / "review"]
    for parent in (config.po_path, config.export_path, config.export_path / "review"):
        folders += [parent / tag for tag in [config.source_language, *config.languages, "qps", "qps-rtl"]]
    for folder in folders:
        if os.path.islink(folder) or folder.exists():
            resolved = folder.resolve()
            if resolved != root and root not in resolved.parents:
                raise TmkitError(f"folder leads out of the project (symlink to {resolved}); refused",
                                 folder.relative_to(config.root) if folder.is_relative_to(config.root)
                                 else folder)
