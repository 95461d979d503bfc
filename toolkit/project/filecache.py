"""Results computed from files, remembered by the files' identity (``.tmkit/<name>.json``).

A daily ``tmkit status`` on an unchanged project of thousands of PO files
should not parse any of them.  This cache keeps, per record, the identity of
the files the result was computed from: size, modification and change time
(nanoseconds) and inode, the same metadata as the no-change stamps
(:mod:`toolkit.project.nochange`).  A record is used only while every one of
its files still has exactly that identity and the ``settings`` digest (what
else decides the result: settings, glossary, tmkit's code) is the one the
cache was written with.

The change time cannot be set back by tools (``touch -d``, ``rsync -t``), so
a rewritten file is always seen.  A file changed within the timestamp
granularity after it was read ("racy", as git calls it) could keep its
identity: records holding a file whose change time is not older than the
moment the cache is written (the file system's own clock) are not saved,
so they are computed again next time.  The file is JSON (never pickle: a
project folder may come from someone else); anything unreadable only means
the real work is done.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional, Sequence

from toolkit.project.fsutil import atomic_write_bytes

Identity = Optional[list[int]]      # [size, mtime_ns, ctime_ns, inode]; None: the file is missing


def identity(path: os.PathLike | str) -> Identity:
    """The file's identity, or None when it does not exist (its appearance is a change too)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]


class FileCache:
    """``{"settings": ..., "records": {name: {"files": [...], "extra": ..., "value": ...}}}``."""

    FORMAT = 1

    def __init__(self, path: Path, settings: str) -> None:
        self.path = Path(path)
        self.settings = settings
        self.records: dict[str, dict] = {}
        self._encoded: dict[str, str] = {}     # name -> its record as JSON (see put)
        self.dirty = False
        try:
            loaded = json.loads(self.path.read_bytes())
            if (isinstance(loaded, dict) and loaded.get("format") == self.FORMAT
                    and loaded.get("settings") == settings and isinstance(loaded.get("records"), dict)):
                self.records = loaded["records"]
        except (OSError, ValueError):
            pass

    def get(self, name: str, files: Sequence[Identity], extra: Any = None) -> Optional[Any]:
        """The value stored for ``name`` if its files have these identities (and ``extra`` matches)."""
        record = self.records.get(name)
        if (not isinstance(record, dict) or record.get("files") != list(files)
                or record.get("extra") != extra):
            return None
        return record.get("value")

    def put(self, name: str, files: Sequence[Identity], value: Any, extra: Any = None,
            encode: bool = False) -> None:
        """Remember ``value``; ``encode``: turn the record into JSON now rather than in
        :meth:`save` (a first ``tmkit status`` puts 5,000 records while its workers compute:
        encoding each then keeps that work off the end of the run)."""
        record = self.records[name] = {"files": list(files), "extra": extra, "value": value}
        if encode:
            self._encoded[name] = _dumps(record)
        else:
            self._encoded.pop(name, None)
        self.dirty = True

    def keep_only(self, names: set[str]) -> None:
        """Forget the records not in ``names`` (files gone from the project)."""
        gone = set(self.records) - names
        for name in gone:
            del self.records[name]
            self._encoded.pop(name, None)
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write the cache atomically, without the records of racy files (see the module)."""
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        clock = self.path.parent / f".{self.path.name}.{os.getpid()}.clock"
        try:
            clock.write_bytes(b"")
            now = os.stat(clock).st_mtime_ns      # the file system's clock, at its granularity
        finally:
            clock.unlink(missing_ok=True)
        records = {name: record for name, record in self.records.items()
                   if all(f is None or f[2] < now for f in record["files"])}
        # the same text as _dumps of the whole, with the records encoded by put taken as they are
        encoded = self._encoded
        text = "".join(['{"format":', _dumps(self.FORMAT), ',"settings":', _dumps(self.settings),
                        ',"records":{',
                        ",".join(f"{_dumps(name)}:{encoded.get(name) or _dumps(record)}"
                                 for name, record in records.items()),
                        "}}"])
        atomic_write_bytes(self.path, text.encode())
        self.dirty = False


def _dumps(value: Any) -> str:
    """Compact JSON, as the cache file holds it."""
    return _ENCODER.encode(value)


#: One encoder for every value (``json.dumps`` with these options makes one per call:
#: 10,000 calls on a first status).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
