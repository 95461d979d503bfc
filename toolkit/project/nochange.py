"""Knowing at once that a rerun has nothing to do: a stamp of what a command saw and left.

``tmkit extract``, ``tmkit update`` and ``tmkit build`` are run again and
again on projects where nothing changed.  Their content hashes (``.tmkit/catalog-state.json``)
already avoid parsing, but reading and hashing thousands of files, loading
the settings and importing the libraries still cost most of a second.  This
module keeps, per command and arguments, a digest of the metadata of every
file the command depends on, as it was when the command finished: size,
modification and change time (nanoseconds) and inode of each file in the
watched folders (their listing too) and of the watched files.  A rerun whose
digest matches replays the stored summary without reading settings, parsing
a catalog or writing anything (``.tmkit/nochange/<key hash>.json``).

Timestamps can lie in two ways, both covered:

* a tool may set a file's modification time back (``touch -d``, ``tar``,
  ``rsync -t``): the *change* time (ctime) cannot be set and moves on every
  write, rename or ``utime`` call, so it is part of the digest;
* a file changed within the timestamp granularity after it was recorded
  keeps its times ("racy" files, as git calls them): every file whose ctime
  is not older than the moment the stamp is written (the file system's own
  clock, read from the new stamp file) is also recorded by content hash,
  and checked by content on the next run.

A run during which an input changed under it (not through the command's own
writes) leaves no stamp, so the next run does the real work.  Anything
unreadable or unexpected only means the real work is done.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Optional

from toolkit import __version__
from toolkit.project.workers import collect, pickled_outcome

STAMP_FOLDER = ".tmkit/nochange"     # one small JSON file per command and arguments
FORMAT = 2

#: A scanned-ahead child sends back only the files whose change time is this close (ns) to
#: its scan or later: a file is racy when its ctime is not older than the stamp's write, which
#: comes after the scan, and a file system's clock lags the system's by a tick at most.
RECENT_NS = 10**9

Stat = Optional[tuple[int, int, int, int]]     # size, mtime_ns, ctime_ns, inode; None: missing


def _stat(path: str) -> Stat:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def scan(root: Path, folders: Iterable[str], files: Iterable[str],
         listed: Iterable[str] = ()) -> dict[str, Any]:
    """``{relative path: stat}`` of the files directly in ``folders`` and of ``files``.

    A missing folder is recorded as such (``folder/`` -> None), so its
    appearance is a change too.  Of ``listed`` folders only the names count
    (``folder/*`` -> a hash of the sorted names): outputs whose presence is
    what matters, as the build checks its exports.
    """
    base = os.fspath(root)
    found: dict[str, Any] = {}
    for folder in listed:
        try:
            names = sorted(os.listdir(os.path.join(base, folder)))
        except OSError:
            found[folder + "/*"] = None
            continue
        found[folder + "/*"] = hashlib.sha256("\0".join(names).encode()).hexdigest()
    for folder in folders:
        where = os.path.join(base, folder)
        try:
            with os.scandir(where) as entries:
                listing = [(e.name, e) for e in entries]
        except OSError:
            found[folder + "/"] = None
            continue
        found[folder + "/"] = (len(listing), 0, 0, 0)
        for name, entry in listing:
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue
            found[f"{folder}/{name}"] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    for name in files:
        found[name] = _stat(os.path.join(base, name))
    return found


def _digest(signature: dict[str, Stat]) -> str:
    return hashlib.sha256(json.dumps(sorted(signature.items())).encode()).hexdigest()


def _file_hash(path: Path) -> Optional[str]:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the sources of tmkit's own code that shapes what it writes (``cli/`` left out).

    Version numbers do not change between commits; a better segmenter,
    reader, merge or writer must still redo the catalogs and pages it shapes
    (``tmkit extract``'s state fingerprint, every build key).  Paths count
    relative to the package, so moving a checkout changes nothing.  Hashing
    a few hundred kilobytes costs about 2 ms.
    """
    package = Path(__file__).resolve().parent.parent   # toolkit/, this file is in project/
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if "cli" not in relative.parts:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_folders() -> list[str]:
    """tmkit's own package folders (absolute, nested ones too): new code may write other catalogs."""
    package = Path(__file__).resolve().parent.parent   # toolkit/, this file is in project/
    return [os.fspath(package)] + sorted(os.fspath(p.parent) for p in package.rglob("*/__init__.py"))


def command_key(command: str, *args: Iterable[str]) -> str:
    """The stamp's key: the command, its arguments, tmkit's version and Python's."""
    parts = [command, *(",".join(a) for a in args), __version__, sys.version,
             hashlib.sha256(os.environ.get("TMKIT_TM_URL", "").encode()).hexdigest()[:12]]
    return "\0".join(parts)


class Stamp:
    """The stamp of one command and arguments in one project (a file of its own)."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = Path(root).resolve()
        name = hashlib.sha256(key.encode()).hexdigest()[:16]
        self.path = self.root / STAMP_FOLDER / f"{name}.json"
        self.key = key
        self.folders: list[str] = []
        self.files: list[str] = []
        self.listed: list[str] = []
        self.before: Optional[dict[str, int]] = None     # name -> hash of its stat
        self._ahead: Optional[tuple[int, int]] = None     # (child pid, pipe): see scan_ahead

    def _load(self) -> Optional[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != self.key:
            return None
        return data

    def replay(self) -> Optional[dict]:
        """The stored result if nothing the command depends on changed, else None."""
        stamp = self._load()
        if stamp is None:
            return None
        try:
            folders, files = list(stamp["folders"]), list(stamp["files"])
            signature = scan(self.root, folders + code_folders(), files, list(stamp.get("listed", [])))
            if _digest(signature) != stamp["digest"]:
                return None
            for name, wanted in stamp["racy"].items():
                if _file_hash(self.root / name) != wanted:
                    return None
            return stamp["result"]
        except (KeyError, TypeError, ValueError):
            return None

    def begin(self, folders: list[str], files: list[str], listed: Iterable[str] = ()) -> None:
        """Note what the inputs look like before the real run reads them (``listed``: see :func:`scan`)."""
        self.folders, self.files, self.listed = folders, files, list(listed)
        # one int per file, not its tuple: held through the whole run (thousands of files)
        self.before = {name: hash(stat) for name, stat in
                       scan(self.root, folders + code_folders(), files, self.listed).items()}

    def finish(self, result: dict, written: Iterable[Path]) -> None:
        """Store the stamp for the next run: what the files look like now, and ``result``.

        ``written``: the files the run wrote itself.  Any other file whose
        metadata moved during the run was changed by someone else after it
        was read: no stamp then, the next run does the real work.
        """
        if self.before is None:
            return
        ahead = self._scanned_ahead()
        moved, digest, after = ahead if ahead is not None else self._after()
        if moved:     # the run's own writes do not count (a build's 18,000 exports are not scanned)
            ours = {self._relative(p) for p in written}
            moved = [name for name in moved if name not in ours]
        self.forget()
        if not moved:
            self._write({"format": FORMAT, "key": self.key, "folders": self.folders, "files": self.files,
                         "listed": self.listed, "digest": digest, "racy": {}, "result": result},
                        after)

    def _after(self, recent_only: bool = False) -> tuple[list[str], str, dict[str, Any]]:
        """The after-run scan: (names whose metadata moved since :meth:`begin`, its digest,
        the scan).  ``recent_only``: of the scan, only the files changed within
        :data:`RECENT_NS` of it, all :meth:`_write` may find racy (what a child sends back)."""
        since = time.time_ns() - RECENT_NS if recent_only else None
        after = scan(self.root, self.folders + code_folders(), self.files, self.listed)
        before = self.before or {}
        moved = [name for name in set(after) | set(before)
                 if (hash(after[name]) if name in after else None) != before.get(name)
                 and not name.endswith(("/", "/*"))]
        digest = _digest(after)
        if since is not None:
            after = {name: stat for name, stat in after.items()
                     if isinstance(stat, tuple) and stat[2] >= since}
        return moved, digest, after

    def scan_ahead(self) -> None:
        """Start the after-run scan of :meth:`finish` now, in a forked process, once the run
        has read every input: the run's last steps (writing its cache, rendering) and the
        scan (15,000 files on a first ``tmkit status``) then share the two cores.

        Anything unexpected (no ``fork``, a failed child) only means :meth:`finish`
        scans itself.  Call it only when no other thread runs (a forked child has one).
        """
        if self.before is None or self._ahead is not None or not hasattr(os, "fork"):
            return
        try:
            readable, writable = os.pipe()
            pid = os.fork()
        except OSError:
            return
        if pid == 0:     # the child: scan, send, leave without running the parent's exit handlers
            code = 1
            try:
                os.close(readable)
                data, _ = pickled_outcome(lambda: self._after(recent_only=True))
                with os.fdopen(writable, "wb") as pipe:
                    pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(writable)
        self._ahead = (pid, readable)

    def settle(self) -> None:
        """Wait for a scan :meth:`scan_ahead` started and drop it (a run that writes no stamp):
        the child holds what the run holds (the project lock) until it ends."""
        self._scanned_ahead()

    def _scanned_ahead(self) -> Optional[tuple[list[str], str, dict[str, Any]]]:
        """What :meth:`scan_ahead`'s child found (None: no child, or it failed)."""
        if self._ahead is None:
            return None
        pid, readable = self._ahead
        self._ahead = None
        try:
            kind, found = collect(pid, readable, "stamp scan")
        except Exception:     # noqa: BLE001 - whatever went wrong, finish scans itself
            return None
        return found if kind == "ok" and isinstance(found, tuple) and len(found) == 3 else None

    def _relative(self, path: Path) -> str:
        """``path`` as the scan names it (relative to the project), by string:
        ``Path.relative_to`` on each of a build's 18,000 files cost 0.15 s."""
        text = os.fspath(path)
        prefix = os.path.join(os.fspath(self.root), "")
        if text.startswith(prefix):
            return text[len(prefix):].replace(os.sep, "/")
        return text

    def _write(self, stamp: dict, after: dict[str, Any]) -> None:
        """Write the stamp atomically; files as new as the write get a content hash."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            now = os.fstat(fd).st_mtime_ns     # the file system's clock, at its granularity
            stamp["racy"] = {name: _file_hash(self.root / name) for name, stat in after.items()
                             if isinstance(stat, tuple) and not name.endswith("/")
                             and not os.path.isabs(name) and stat[2] >= now}
            keep = all(value is not None for value in stamp["racy"].values())   # none vanished
            if keep:
                os.write(fd, json.dumps(stamp).encode())
        finally:
            os.close(fd)
        if keep:
            os.replace(tmp, self.path)
        else:
            os.unlink(tmp)

    def forget(self) -> None:
        """Drop this command's stamp (the next run does the real work)."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
