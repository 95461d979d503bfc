"""Libraries' data files kept in a form that loads several times faster.

``tmkit extract`` proofreads the English with pyspellchecker's dictionary
(160,000 words in gzipped JSON: 0.24 s to load) and pyphen's hyphenation
patterns (parsed from text: 0.1 s); both load before extract's workers fork,
on the path every run waits for.  :func:`cached` keeps such data, once built,
as a :mod:`marshal` file (plain strings, numbers, tuples and dicts: loading it
runs no code, unlike a pickle) in the user's cache folder, and builds it
again whenever the files it comes from change (path, size, modification
time), Python changes (marshal's format is Python's own) or the file is
damaged.  The cache is only ever a copy: without it (no cache folder, not
writable, ``TMKIT_CACHE_DIR=""``) the data is built as before.

The folder: ``$TMKIT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/tmkit``,
else ``~/.cache/tmkit``.  Each virtual environment keeps its own copy (~3 MB);
a copy in use is touched once a day, and writing a new one removes those of
the same data nobody used for :data:`UNUSED_DAYS` (deleted environments).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from pathlib import Path
from typing import Callable, Optional, Sequence, TypeVar

from toolkit.project.fsutil import atomic_write_bytes

T = TypeVar("T")

#: Changes when what a cache file holds changes shape: older files are then ignored.
FORMAT = 1
#: A copy not read for this many days is removed when another copy of the same data is written.
UNUSED_DAYS = 30
_DAY = 86_400


def cache_dir() -> Optional[Path]:
    """The folder for cached data, or None when caching is switched off (``TMKIT_CACHE_DIR=""``)."""
    chosen = os.environ.get("TMKIT_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "tmkit"
    try:
        return Path.home() / ".cache" / "tmkit"
    except RuntimeError:              # no home folder
        return None


def _key(name: str, sources: Sequence[Path]) -> Optional[str]:
    parts = [name, str(FORMAT), sys.version, str(marshal.version)]
    for source in sources:
        try:
            found = os.stat(source)
        except OSError:
            return None
        parts.append(f"{os.path.abspath(source)}\0{found.st_size}\0{found.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def cached(name: str, sources: Sequence[Path], build: Callable[[], T]) -> T:
    """``build()``, or the copy of it kept for these ``sources`` (see the module's docstring).

    ``build`` must return data :mod:`marshal` can write (dict, list, tuple,
    str, int...); anything else is simply not cached.
    """
    folder = cache_dir()
    key = _key(name, sources) if folder is not None else None
    if folder is None or key is None:
        return build()
    # The sources' places name the copy: installs in several virtual environments
    # each keep theirs (only a copy of the same files, since changed, is removed).
    where = hashlib.sha256("\0".join(os.path.abspath(p) for p in sources).encode(
        "utf-8", "surrogateescape")).hexdigest()[:8]
    path = folder / f"{name}-{where}-{key}.marshal"
    try:
        with open(path, "rb") as handle:
            value, read = marshal.loads(handle.read()), os.fstat(handle.fileno()).st_mtime
    except (OSError, EOFError, ValueError, TypeError):
        pass                           # missing or damaged: built again
    else:
        if read < time.time() - _DAY:
            try:
                os.utime(path)         # in use: kept by _remove_unused
            except OSError:
                pass
        return value
    value = build()
    try:
        data = marshal.dumps(value)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        for older in folder.glob(f"{name}-{where}-*.marshal"):     # copies of files since changed
            if older != path:
                older.unlink(missing_ok=True)
        _remove_unused(folder, name)
    except (OSError, ValueError):
        pass                           # not writable, or not marshal data: no copy kept
    return value


def _remove_unused(folder: Path, name: str) -> None:
    """Remove the copies of ``name`` not read for :data:`UNUSED_DAYS` (their environment is gone)."""
    oldest = time.time() - UNUSED_DAYS * _DAY
    for copy in folder.glob(f"{name}-*.marshal"):
        try:
            if copy.stat().st_mtime < oldest:
                copy.unlink()
        except OSError:
            pass                       # removed meanwhile, or not ours to remove
