"""Where TM units live: a small storage interface and its SQLite implementation.

The matcher, the importers and the CLI only talk to :class:`TMStore`, so a
server database can be added later as another subclass.  :class:`SQLiteStore`
is the embedded default: one file (``[tm] path`` in ``tmkit.toml``) in WAL
mode, written in short ``BEGIN IMMEDIATE`` transactions with a busy timeout,
so two ``tmkit`` processes can write at the same time without losing units.

A unit is one (source language, target language, source, target) pair; adding
the same pair again from another place (article and segment, or import file)
raises its ``count`` instead of storing it twice.  Adding it again from the
same place changes nothing, so ``tmkit tm update`` can run any number of times.
"""

from __future__ import annotations

import abc
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

from toolkit.errors import TMError
from toolkit.tm.normalize import norm_key, normalize, pair_key

SCHEMA_VERSION = 1
STATUSES = ("translated", "reviewed")   # later is stronger
BUSY_TIMEOUT_S = 60.0
_INHERITED: list = []   # connections a forked child inherited: kept, never closed


def now_iso() -> str:
    """Current UTC time as ISO 8601 without microseconds (what the TM stores)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class TMUnit:
    """One translation pair with its origin, as stored in and read from the TM."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    article: str = ""          # article slug, or the file a unit was imported from
    segment: str = ""          # msgctxt / segment id inside the article, if known
    translator: str = ""
    status: str = "translated"  # or "reviewed"
    created: str = ""
    changed: str = ""
    count: int = 1              # how many distinct places carry this pair
    id: int = 0

    @property
    def origin(self) -> str:
        """Where the pair came from, for people: ``es/other-article#b3.s1``."""
        where = f"{self.target_lang}/{self.article}" if self.article else self.target_lang
        return f"{where}#{self.segment}" if self.segment else where

    @property
    def place(self) -> str:
        """What makes two occurrences of the same pair distinct."""
        return f"{self.article}#{self.segment}"


@dataclass
class AddResult:
    """What :meth:`TMStore.add` did."""

    added: int = 0       # new units
    counted: int = 0     # existing units seen in a new place (count raised)
    unchanged: int = 0   # already known from the same place
    pairs: set = field(default_factory=set)


@dataclass
class Conflict:
    """A source translated in more than one way."""

    source: str
    units: list[TMUnit]


class TMStore(abc.ABC):
    """The storage interface the rest of the TM is written against."""

    @abc.abstractmethod
    def add(self, units: Iterable[TMUnit]) -> AddResult:
        """Store units (one transaction); identical pairs are counted, not duplicated."""

    @abc.abstractmethod
    def exact(self, source_lang: str, target_lang: str, source: str) -> list[TMUnit]:
        """Units whose normalised source equals ``normalize(source)``."""

    @abc.abstractmethod
    def get(self, ids: Iterable[int]) -> dict[int, TMUnit]:
        """Units by id."""

    @abc.abstractmethod
    def texts(self, ids: list[int]) -> list[str]:
        """The sources of units ``ids``, in the same order (what the matcher scores)."""

    @abc.abstractmethod
    def sources(self, source_lang: str, target_lang: str, after_id: int = 0) -> Iterator[tuple[int, str]]:
        """``(id, source)`` of one language pair with ``id > after_id``, in id order."""

    @abc.abstractmethod
    def identity(self) -> str:
        """A random id given to the TM when created: a saved index of another TM is ignored."""

    @abc.abstractmethod
    def generation(self, source_lang: str, target_lang: str) -> tuple[int, int]:
        """``(highest id, number of units)`` of a pair: changes whenever a unit is added."""

    @abc.abstractmethod
    def units(self, source_lang: Optional[str] = None, target_lang: Optional[str] = None) -> Iterator[TMUnit]:
        """All units, optionally of one language pair, in id order."""

    @abc.abstractmethod
    def pairs(self) -> list[tuple[str, str, int]]:
        """``(source_lang, target_lang, units)`` for every pair in the TM."""

    @abc.abstractmethod
    def conflicts(self, source_lang: str, target_lang: str) -> list[Conflict]:
        """Sources (normalised) that have more than one target."""

    def after_fork(self) -> None:
        """Make the store safe to read from in a forked child (batch lookups)."""

    def close(self) -> None:
        """Release resources."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    pair_key INTEGER NOT NULL UNIQUE,
    norm_key INTEGER NOT NULL,
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    article TEXT NOT NULL, segment TEXT NOT NULL, translator TEXT NOT NULL,
    status TEXT NOT NULL, count INTEGER NOT NULL,
    created TEXT NOT NULL, changed TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS units_norm ON units (source_lang, target_lang, norm_key);
CREATE TABLE IF NOT EXISTS places (
    unit_id INTEGER NOT NULL, place TEXT NOT NULL,
    PRIMARY KEY (unit_id, place)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    max_id INTEGER NOT NULL, units INTEGER NOT NULL,
    PRIMARY KEY (source_lang, target_lang)) WITHOUT ROWID;
"""

_COLUMNS = ("id, source, target, source_lang, target_lang, article, segment, translator, "
            "status, created, changed, count")


def _row_unit(row: tuple) -> TMUnit:
    (uid, source, target, sl, tl, article, segment, translator, status, created, changed,
     count) = row
    return TMUnit(source, target, sl, tl, article, segment, translator, status, created,
                  changed, count, uid)


class SQLiteStore(TMStore):
    """The TM in one SQLite file, safe for concurrent writers (WAL + busy timeout)."""

    def __init__(self, path: os.PathLike | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._connect()
            with self._write():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is None:
                    self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                    self.db.execute("INSERT INTO meta VALUES ('tm_id', ?)", (uuid.uuid4().hex,))
                elif int(row[0]) > SCHEMA_VERSION:
                    raise TMError(f"TM schema {row[0]} is newer than this tmkit ({SCHEMA_VERSION})",
                                  self.path)
        except sqlite3.DatabaseError as exc:
            raise TMError(f"not a usable TM database: {exc}", self.path) from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")   # 64 MB: bulk imports touch random index pages
        return db

    def after_fork(self) -> None:
        """In a forked child: read through a connection of its own.

        SQLite connections must not cross a fork.  The inherited one is kept
        referenced and never closed: closing it in the child could checkpoint
        or remove the WAL the parent still uses (POSIX locks are not inherited,
        so the child would think it is the last user).
        """
        _INHERITED.append(self.db)
        self.db = self._connect()

    # -- transactions ----------------------------------------------------------
    class _Tx:
        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def __enter__(self) -> sqlite3.Connection:
            self.db.execute("BEGIN IMMEDIATE")   # take the write lock now: no upgrade deadlock
            return self.db

        def __exit__(self, kind, value, tb) -> None:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def _write(self) -> "SQLiteStore._Tx":
        return SQLiteStore._Tx(self.db)

    # -- writing ---------------------------------------------------------------
    def add(self, units: Iterable[TMUnit]) -> AddResult:
        """Insert new pairs in bulk (``executemany``), then count the known ones one by one."""
        result = AddResult()
        stamp = now_iso()
        keyed = []
        for unit in units:
            if unit.status not in STATUSES:
                raise TMError(f"unknown unit status {unit.status!r}", self.path)
            keyed.append((pair_key(unit.source_lang, unit.target_lang, unit.source, unit.target),
                          unit))
        try:
            with self._write() as db:
                known = self._known_keys(db, [key for key, _ in keyed])
                fresh, again = [], []
                for key, unit in keyed:
                    (again if key in known else fresh).append((key, unit))
                    known.add(key)
                before = db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()[0]
                db.executemany(
                    "INSERT INTO units (pair_key, norm_key, source_lang, target_lang, source, "
                    "target, article, segment, translator, status, count, created, changed) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    ((key, norm_key(u.source), u.source_lang, u.target_lang, u.source, u.target,
                      u.article, u.segment, u.translator, u.status, u.created or stamp,
                      u.changed or u.created or stamp) for key, u in fresh))
                db.executemany("INSERT INTO places SELECT id, ? FROM units WHERE pair_key = ?",
                               ((u.place, key) for key, u in fresh))
                result.added = len(fresh)
                for sl, tl, max_id, added in db.execute(
                        "SELECT source_lang, target_lang, max(id), count(*) FROM units WHERE id > ? "
                        "GROUP BY source_lang, target_lang", (before,)).fetchall():
                    result.pairs.add((sl, tl))
                    db.execute("INSERT INTO pairs VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                               "max_id = max(max_id, excluded.max_id), units = units + excluded.units",
                               (sl, tl, max_id, added))
                for key, unit in again:
                    self._count_again(db, key, unit, stamp, result)
        except sqlite3.DatabaseError as exc:
            raise TMError(f"cannot write to the TM: {exc}", self.path) from None
        return result

    @staticmethod
    def _known_keys(db: sqlite3.Connection, keys: list[int]) -> set[int]:
        known: set[int] = set()
        for start in range(0, len(keys), 50_000):
            known.update(k for (k,) in db.execute(
                "SELECT pair_key FROM units WHERE pair_key IN (SELECT value FROM json_each(?))",
                (json.dumps(keys[start:start + 50_000]),)))
        return known

    def _count_again(self, db: sqlite3.Connection, key: int, unit: TMUnit, stamp: str,
                     result: AddResult) -> None:
        """A known pair: count a new place, strengthen the status, never weaken it."""
        changed = unit.changed or unit.created or stamp
        uid, status = db.execute("SELECT id, status FROM units WHERE pair_key = ?", (key,)).fetchone()
        new_place = db.execute("INSERT OR IGNORE INTO places VALUES (?, ?)", (uid, unit.place)).rowcount
        stronger = STATUSES.index(unit.status) > STATUSES.index(status)
        if new_place or stronger:
            db.execute("UPDATE units SET count = count + ?, changed = max(changed, ?), "
                       "status = ?, article = ?, segment = ?, "
                       "translator = CASE WHEN ? != '' THEN ? ELSE translator END WHERE id = ?",
                       (1 if new_place else 0, changed,
                        unit.status if stronger else status, unit.article, unit.segment,
                        unit.translator, unit.translator, uid))
            result.counted += 1
        else:
            result.unchanged += 1

    # -- reading ---------------------------------------------------------------
    def exact(self, source_lang: str, target_lang: str, source: str) -> list[TMUnit]:
        wanted = normalize(source)
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM units WHERE source_lang = ? AND "
                               "target_lang = ? AND norm_key = ?",
                               (source_lang, target_lang, norm_key(source))).fetchall()
        return [u for u in map(_row_unit, rows) if normalize(u.source) == wanted]

    def get(self, ids: Iterable[int]) -> dict[int, TMUnit]:
        ids = [int(i) for i in ids]
        found: dict[int, TMUnit] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT {_COLUMNS} FROM units WHERE id IN ({marks})", chunk):
                found[row[0]] = _row_unit(row)
        return found

    def texts(self, ids: list[int]) -> list[str]:
        if not ids:
            return []
        found = dict(self.db.execute(
            "SELECT id, source FROM units WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),)))
        return [found[i] for i in ids]

    def sources(self, source_lang: str, target_lang: str, after_id: int = 0) -> Iterator[tuple[int, str]]:
        yield from self.db.execute("SELECT id, source FROM units WHERE id > ? AND source_lang = ? "
                                   "AND target_lang = ? ORDER BY id",
                                   (after_id, source_lang, target_lang))

    def identity(self) -> str:
        return self.db.execute("SELECT value FROM meta WHERE key = 'tm_id'").fetchone()[0]

    def generation(self, source_lang: str, target_lang: str) -> tuple[int, int]:
        row = self.db.execute("SELECT max_id, units FROM pairs WHERE source_lang = ? AND "
                              "target_lang = ?", (source_lang, target_lang)).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def units(self, source_lang: Optional[str] = None, target_lang: Optional[str] = None) -> Iterator[TMUnit]:
        where, args = [], []
        if source_lang:
            where.append("source_lang = ?"); args.append(source_lang)
        if target_lang:
            where.append("target_lang = ?"); args.append(target_lang)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        for row in self.db.execute(f"SELECT {_COLUMNS} FROM units {clause} ORDER BY id", args):
            yield _row_unit(row)

    def pairs(self) -> list[tuple[str, str, int]]:
        return [tuple(r) for r in self.db.execute(
            "SELECT source_lang, target_lang, units FROM pairs ORDER BY source_lang, target_lang")]

    def conflicts(self, source_lang: str, target_lang: str) -> list[Conflict]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM units WHERE source_lang = ? AND target_lang = ? AND norm_key IN "
            "(SELECT norm_key FROM units WHERE source_lang = ? AND target_lang = ? "
            " GROUP BY norm_key HAVING count(*) > 1) ORDER BY norm_key, count DESC, id",
            (source_lang, target_lang, source_lang, target_lang)).fetchall()
        groups: dict[str, list[TMUnit]] = {}
        for unit in map(_row_unit, rows):
            groups.setdefault(normalize(unit.source), []).append(unit)
        result = []
        for source, units in groups.items():
            if len({normalize(u.target) for u in units}) > 1:
                result.append(Conflict(source, units))
        return sorted(result, key=lambda c: c.source.casefold())

    def close(self) -> None:
        self.db.close()
