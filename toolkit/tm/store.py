"""Where TM units live: a small storage interface, the shared SQL, and SQLite.

The matcher, the importers and the CLI only talk to :class:`TMStore`.
:class:`SQLStore` holds everything both database backends share (the SQL of
adding, superseding, reading and listing conflicts); a backend supplies the
connection, transactions, bulk loading and its schema.  :class:`SQLiteStore`
is the embedded default: one file (``[tm] path`` in ``tmkit.toml``) in WAL
mode, written in ``BEGIN IMMEDIATE`` transactions with a busy timeout, so two
``tmkit`` processes can write at the same time without losing units.  The
PostgreSQL backend is :mod:`toolkit.tm.pgstore`.

A unit is one (source language, target language, source, target) pair; adding
the same pair again from another place (article and segment, or import file)
raises its ``count`` instead of storing it twice.  Adding it again from the
same place changes nothing, so ``tmkit tm update`` can run any number of times.

Revisions supersede.  A *place* is language pair + article + segment (a unit
without a segment is its own place, so segment-less imports never replace
each other).  Table ``live_places`` says which unit is the current translation
of each place: a new translation at a place replaces the old one there, and a
unit no place holds any more is *history* (kept, with its dates).  A history
unit whose source has a current translation elsewhere is *superseded*: it is
never offered by lookups.  Feeding a catalog (``add(..., catalog=...)``) also
withdraws the places of that article the catalog no longer translates
(msgstr emptied, entry made fuzzy or obsolete).
"""

from __future__ import annotations

import abc
import os
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from toolkit.errors import TMError
from toolkit.tm.normalize import norm_key, normalize, pair_key

SCHEMA_VERSION = 3
STATUSES = ("translated", "reviewed")   # later is stronger
BUSY_TIMEOUT_S = 60.0
_INHERITED: list = []   # connections a forked child inherited: kept, never closed


@dataclass
class StoreOptions:
    """How a store talks to a server (``[tm]`` settings; SQLite uses none of them)."""

    read_timeout: float = 30.0      # seconds a read statement may take
    write_timeout: float = 300.0    # seconds a write statement (or the wait for the write lock) may take
    client: str = ""                # who we are, for other writers' messages (application_name)


def now_iso() -> str:
    """Current UTC time as ISO 8601 without microseconds (what the TM stores)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


#: a pair's checksum is the sum of its units' marks modulo this (two fit in a signed BIGINT)
CHECK_MOD = 1 << 62
_MASK64 = (1 << 64) - 1


def unit_mark(uid: int, key: int) -> int:
    """A unit's contribution to its pair's checksum: a 62-bit mix of its id and pair hash.

    The checksum of a pair is the sum of the marks of its units up to an id,
    so it does not depend on the order the units were added in: ``tm migrate``
    can compute it again from the units alone, and a writer adds its new units'
    marks to the pair's (see :meth:`TMStore.checkpoint`).
    """
    x = (uid * 0x9E3779B97F4A7C15 + (key & _MASK64)) & _MASK64      # splitmix64's finaliser
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return (x ^ (x >> 31)) & (CHECK_MOD - 1)


@dataclass
class Checkpoint:
    """What a pair held at one moment: its highest unit id, units and checksum.

    Units are never deleted and their texts never change, so a state of the
    TM is a prefix of a later one exactly when the later TM still records the
    same checksum at the same highest id (table ``pair_log``).  A restore from
    an older backup (or a failover to a lagging replica) that is then written
    to again reuses ids for other units: the checksums differ.
    """

    max_id: int = 0
    units: int = 0
    checksum: int = 0


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
    current: bool = True        # the current translation of some place (False: history)
    superseded: bool = False    # history, and its source has a current translation

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
    revised: int = 0     # places whose current translation was replaced
    withdrawn: int = 0   # places of a fed catalog that no longer have a translation
    refed: int = 0       # unchanged catalogs fed again: the TM had lost their units (a restore)
    pairs: set = field(default_factory=set)

    def merge(self, other: "AddResult") -> None:
        """Add ``other``'s counters to these (results of several files)."""
        for name in ("added", "counted", "unchanged", "revised", "withdrawn", "refed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.pairs |= other.pairs


@dataclass
class Conflict:
    """A source with different current translations in different places."""

    source: str
    units: list[TMUnit]


class TMStore(abc.ABC):
    """The storage interface the rest of the TM is written against."""

    #: where the TM is, for messages (a path, or a URL without its password)
    location: str = ""

    @abc.abstractmethod
    def add(self, units: Iterable[TMUnit], catalog: Optional[tuple[str, str, str]] = None) -> AddResult:
        """Store units (one transaction); identical pairs are counted, not duplicated.

        Each unit becomes the current translation of its place (units with
        ``current=False`` are stored as history).  With ``catalog=(source_lang,
        target_lang, article)`` the units are everything that catalog
        translates: they replace what its places held whatever the dates, and
        the article's other places are withdrawn.  Without it (imports) a place
        takes a unit only if the unit is not older than what the place holds.
        """

    @abc.abstractmethod
    def exact(self, source_lang: str, target_lang: str, source: str) -> list[TMUnit]:
        """Units whose normalised source equals ``normalize(source)``."""

    def exact_many(self, source_lang: str, target_lang: str,
                   sources: Sequence[str]) -> list[list[TMUnit]]:
        """:meth:`exact` of each source (backends answer them in one query)."""
        return [self.exact(source_lang, target_lang, source) for source in sources]

    @abc.abstractmethod
    def get(self, ids: Iterable[int]) -> dict[int, TMUnit]:
        """Units by id."""

    @abc.abstractmethod
    def sources(self, source_lang: str, target_lang: str, after_id: int = 0) -> Iterator[tuple[int, str]]:
        """``(id, source)`` of one language pair with ``id > after_id``, in id order."""

    @abc.abstractmethod
    def identity(self) -> str:
        """A random id given to the TM when created: a saved index of another TM is ignored."""

    @abc.abstractmethod
    def generation(self, source_lang: str, target_lang: str) -> tuple[int, int]:
        """``(highest id, number of units)`` of a pair: changes whenever a unit is added."""

    def checkpoint(self, source_lang: str, target_lang: str) -> Checkpoint:
        """The pair's state now (highest id, units, checksum of every unit's id and texts)."""
        max_id, units = self.generation(source_lang, target_lang)
        return Checkpoint(max_id, units, 0)

    def holds(self, source_lang: str, target_lang: str, checkpoint: Checkpoint) -> bool:
        """True when the TM still holds every unit it held at ``checkpoint`` (nothing restored
        from an older backup since then, no id given to another unit)."""
        return True

    def has_units(self, source_lang: str, target_lang: str) -> bool:
        """Whether the pair has any unit (asked of the units themselves, not of ``pairs``)."""
        return False

    def known_pairs(self, keys: Iterable[int]) -> set[int]:
        """Which of these pair hashes (``normalize.pair_key``) the TM holds a unit of."""
        return set()

    @abc.abstractmethod
    def revision(self, source_lang: str, target_lang: str) -> int:
        """Changes whenever anything of a pair changes (units, places, statuses)."""

    @abc.abstractmethod
    def units(self, source_lang: Optional[str] = None, target_lang: Optional[str] = None,
              history: bool = True) -> Iterator[TMUnit]:
        """All units (only current ones with ``history=False``), optionally of one pair, in id order."""

    @abc.abstractmethod
    def pairs(self) -> list[tuple[str, str, int]]:
        """``(source_lang, target_lang, units)`` for every pair in the TM."""

    @abc.abstractmethod
    def conflicts(self, source_lang: str, target_lang: str) -> list[Conflict]:
        """Sources (normalised) with different *current* translations in different places."""

    @abc.abstractmethod
    def schema_version(self) -> int:
        """The schema version of the TM (after migrating it)."""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several :meth:`add` calls into one transaction (all or nothing)."""
        yield

    def after_fork(self) -> None:
        """Make the store safe to read from in a forked child (batch lookups)."""

    def close(self) -> None:
        """Release resources."""


# -- the SQL both database backends share ------------------------------------------
_COLUMNS = ("u.id, u.source, u.target, u.source_lang, u.target_lang, u.article, u.segment, "
            "u.translator, u.status, u.created, u.changed, u.count, "
            "EXISTS (SELECT 1 FROM live_places c WHERE c.unit_id = u.id), "
            "EXISTS (SELECT 1 FROM units v JOIN live_places c ON c.unit_id = v.id "
            "        WHERE v.source_lang = u.source_lang AND v.target_lang = u.target_lang "
            "        AND v.norm_key = u.norm_key)")

_PLACE_MATCH = ("{a}.source_lang = {b}.source_lang AND {a}.target_lang = {b}.target_lang AND "
                "{a}.article = {b}.article AND {a}.segment = {b}.segment AND "
                "{a}.source_key = {b}.source_key")

#: staged rows of one add (a temporary table), in this column order
INCOMING = ("ord", "pair_key", "norm_key", "source_key", "source_lang", "target_lang", "source",
            "target", "article", "segment", "place", "translator", "status", "created", "changed",
            "live", "first_pair", "first_place", "winner", "batch_places")

#: the temporary table an add stages its units in (the same SQL for every backend)
INCOMING_DDL = """
CREATE TEMP TABLE IF NOT EXISTS incoming (
    ord INTEGER PRIMARY KEY, pair_key BIGINT NOT NULL, norm_key BIGINT NOT NULL,
    source_key BIGINT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL, article TEXT NOT NULL, segment TEXT NOT NULL,
    place TEXT NOT NULL, translator TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL,
    changed TEXT NOT NULL, live INTEGER NOT NULL, first_pair INTEGER NOT NULL,
    first_place INTEGER NOT NULL, winner INTEGER NOT NULL, batch_places INTEGER NOT NULL,
    fresh INTEGER NOT NULL DEFAULT 0,
    new_place INTEGER NOT NULL DEFAULT 0, stronger INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS incoming_pair ON incoming (pair_key, place)
"""

_ADD_STEPS = {
    # which staged rows are the first of a pair new to the TM, a new place, a stronger status
    "fresh": "UPDATE incoming SET fresh = 1 WHERE NOT EXISTS "
             "(SELECT 1 FROM units u WHERE u.pair_key = incoming.pair_key)",
    "new_place": "UPDATE incoming SET new_place = 1 WHERE first_place = 1 AND NOT EXISTS "
                 "(SELECT 1 FROM places p JOIN units u ON u.id = p.unit_id WHERE "
                 "u.pair_key = incoming.pair_key AND p.place = incoming.place)",
    "stronger": "UPDATE incoming SET stronger = 1 WHERE status = 'reviewed' AND EXISTS "
                "(SELECT 1 FROM units u WHERE u.pair_key = incoming.pair_key AND "
                "u.status = 'translated')",
    "insert": "INSERT INTO units (pair_key, norm_key, source_lang, target_lang, source, target, "
              "article, segment, translator, status, count, created, changed) "
              "SELECT pair_key, norm_key, source_lang, target_lang, source, target, article, "
              "segment, translator, status, batch_places, created, changed FROM incoming "
              "WHERE fresh = 1 AND first_pair = 1 "
              "ORDER BY ord ON CONFLICT (pair_key) DO NOTHING",
    "places": "INSERT INTO places (unit_id, place) SELECT u.id, i.place FROM incoming i "
              "JOIN units u ON u.pair_key = i.pair_key WHERE i.new_place = 1 "
              "ON CONFLICT DO NOTHING",
    # pairs known before: count new places, strengthen the status (never weaken),
    # remember the latest place; pairs new to the TM only if a later row is stronger
    "touch": "UPDATE units SET count = units.count + t.new_places, "
             "status = CASE WHEN t.reviewed = 1 THEN 'reviewed' ELSE units.status END, "
             "changed = CASE WHEN t.changed > units.changed THEN t.changed ELSE units.changed END, "
             "article = t.article, segment = t.segment, "
             "translator = CASE WHEN t.translator <> '' THEN t.translator ELSE units.translator END "
             "FROM (SELECT a.pair_key, a.new_places, a.reviewed, a.changed, l.article, l.segment, "
             "      l.translator FROM (SELECT pair_key, "
             "      sum(CASE WHEN fresh = 0 THEN new_place ELSE 0 END) AS new_places, "
             "      max(CASE WHEN status = 'reviewed' THEN 1 ELSE 0 END) AS reviewed, "
             "      max(changed) AS changed, max(ord) AS last FROM incoming "
             "      WHERE (new_place = 1 AND fresh = 0) OR stronger = 1 GROUP BY pair_key) a "
             "      JOIN incoming l ON l.ord = a.last) t "
             "WHERE units.pair_key = t.pair_key",
    "revised": "SELECT count(*) FROM incoming i JOIN units u ON u.pair_key = i.pair_key "
               "JOIN live_places c ON " + _PLACE_MATCH.format(a="c", b="i") +
               " WHERE i.winner = 1 AND c.unit_id <> u.id AND (? = 1 OR i.changed >= c.changed)",
    "live": "INSERT INTO live_places (source_lang, target_lang, article, segment, source_key, "
            "unit_id, changed) SELECT i.source_lang, i.target_lang, i.article, i.segment, "
            "i.source_key, u.id, i.changed FROM incoming i JOIN units u ON u.pair_key = i.pair_key "
            "WHERE i.winner = 1 ON CONFLICT (source_lang, target_lang, article, segment, source_key) "
            "DO UPDATE SET unit_id = excluded.unit_id, changed = excluded.changed "
            "WHERE live_places.unit_id <> excluded.unit_id "
            "AND (? = 1 OR excluded.changed >= live_places.changed)",
    "withdraw": "DELETE FROM live_places WHERE source_lang = ? AND target_lang = ? AND article = ? "
                "AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.live = 1 AND " +
                _PLACE_MATCH.format(a="i", b="live_places") + ")",
}


def _row_unit(row: tuple) -> TMUnit:
    (uid, source, target, sl, tl, article, segment, translator, status, created, changed,
     count, live, source_live) = row
    return TMUnit(source, target, sl, tl, article, segment, translator, status, created,
                  changed, count, uid, bool(live), not live and bool(source_live))


def _staged(units: Iterable[TMUnit], stamp: str) -> list[list]:
    """Units as rows of the ``incoming`` table (see :data:`INCOMING`).

    The flags that need no database are set here: the first row of each pair
    and of each (pair, place) in the batch, and the row each place of the
    batch ends with (the last one given for it: ``winner``).
    """
    rows: list[list] = []
    pairs_seen: dict[int, int] = {}          # pair -> distinct places in this batch
    places_seen: set = set()
    winners: dict[tuple, int] = {}
    for number, unit in enumerate(units):
        if unit.status not in STATUSES:
            raise TMError(f"unknown unit status {unit.status!r}")
        key = pair_key(unit.source_lang, unit.target_lang, unit.source, unit.target)
        source_key = 0 if unit.segment else key
        place = unit.place
        first_pair, first_place = key not in pairs_seen, (key, place) not in places_seen
        pairs_seen[key] = pairs_seen.get(key, 0) + first_place
        places_seen.add((key, place))
        if unit.current:
            winners[(unit.source_lang, unit.target_lang, unit.article, unit.segment, source_key)] = number
        rows.append([number, key, norm_key(unit.source), source_key, unit.source_lang,
                     unit.target_lang, unit.source, unit.target, unit.article, unit.segment, place,
                     unit.translator, unit.status, unit.created or stamp,
                     unit.changed or unit.created or stamp, 1 if unit.current else 0,
                     int(first_pair), int(first_place), 0, 0])
    for number in winners.values():
        rows[number][-2] = 1
    for row in rows:
        row[-1] = pairs_seen[row[1]]
    return rows


class SQLStore(TMStore):
    """The TM in an SQL database; subclasses give the connection and the dialect.

    The SQL is written with ``?`` parameters; :meth:`_sql` turns it into the
XX
    backend makes exclusive for writers, so ids grow in commit order (the
    trigram index relies on that to find what is new: ids above its build).
    """

    db: object
    _depth = 0
    _staging_ready = False    # the temporary table exists on this connection

    # -- what a backend supplies ----------------------------------------------------
    def _sql(self, text: str) -> str:
        return text

    def _fetchall(self, text: str, args: tuple | list = ()) -> list:
        return self.db.execute(self._sql(text), args).fetchall()

    def _execute(self, text: str, args: tuple | list = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        return self.db.execute(self._sql(text), args).rowcount

    @abc.abstractmethod
    def _begin(self) -> None:
        """Start a write transaction that excludes other writers."""

    @abc.abstractmethod
    def _end(self, commit: bool) -> None:
        """Commit or roll back the write transaction."""

    @abc.abstractmethod
    def _load(self, rows: list[list]) -> None:
        """Load ``rows`` into the (empty) temporary ``incoming`` table."""

    @abc.abstractmethod
    def _in_clause(self, column: str, values: list[int]) -> tuple[str, tuple]:
        """``(SQL condition, args)`` selecting the rows whose ``column`` is one of ``values``."""

    @abc.abstractmethod
    def _error(self, exc: Exception) -> Optional[TMError]:
        """The user-facing error for a database exception, or None if it is not one."""

    # -- transactions -----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested uses (``add`` inside it) join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._begin()
        except Exception as exc:
            raise self._error(exc) or exc from None
        self._depth = 1
        try:
            yield
        except BaseException as exc:
            error = self._error(exc) if isinstance(exc, Exception) else None
            self._depth = 0
            self._staging_ready = False     # created in the transaction that is rolled back
            try:
                self._end(False)
            except Exception:   # a dead connection: the server rolls back by itself
                pass
            if error is not None:
                raise error from None
            raise
        self._depth = 0
        try:
            self._end(True)
        except Exception as exc:
            raise self._error(exc) or exc from None

    # -- writing ---------------------------------------------------------------
    def add(self, units: Iterable[TMUnit], catalog: Optional[tuple[str, str, str]] = None) -> AddResult:
        stamp = now_iso()
        try:
            rows = _staged(units, stamp)
        except TMError as exc:
            raise TMError(exc.message, self.location) from None
        result = AddResult()
        if not rows:
            return self._withdraw_all(catalog) if catalog is not None else result
        force = 1 if catalog is not None else 0
        with self.transaction():
            self._stage(rows)
            before = self._fetchall("SELECT coalesce(max(id), 0) FROM units")[0][0]
            for step in ("fresh", "new_place"):
                self._execute(_ADD_STEPS[step])
            result.added = self._execute(_ADD_STEPS["insert"])
            self._execute(_ADD_STEPS["stronger"])   # also a later row of a pair just inserted
            self._execute(_ADD_STEPS["places"])
            result.counted = self._fetchall(
                "SELECT count(*) FROM incoming WHERE NOT (fresh = 1 AND first_pair = 1) AND "
                "(new_place = 1 OR stronger = 1)")[0][0]
            self._execute(_ADD_STEPS["touch"])
            result.revised = self._fetchall(_ADD_STEPS["revised"], (force,))[0][0]
            self._execute(_ADD_STEPS["live"], (force,))
            if catalog is not None:
                result.withdrawn = self._execute(_ADD_STEPS["withdraw"], catalog)
            result.unchanged = len(rows) - result.added - result.counted
            touched = {(r[4], r[5]) for r in rows} | ({catalog[:2]} if catalog else set())
            new: dict[tuple[str, str], list[int]] = {}     # pair -> [max id, units, checksum]
            for sl, tl, uid, key in self._fetchall("SELECT source_lang, target_lang, id, pair_key "
                                                   "FROM units WHERE id > ?", (before,)):
                state = new.setdefault((sl, tl), [0, 0, 0])
                state[0], state[1] = max(state[0], uid), state[1] + 1
                state[2] = (state[2] + unit_mark(uid, key)) % CHECK_MOD
            if result.added or result.counted or result.revised or result.withdrawn:
                for sl, tl in sorted(touched):
                    top, n, checksum = new.get((sl, tl), (0, 0, 0))
                    self._execute("INSERT INTO pairs (source_lang, target_lang, max_id, units, "
                                  "changes, checksum) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT "
                                  "(source_lang, target_lang) DO UPDATE SET max_id = CASE WHEN "
                                  "excluded.max_id > pairs.max_id THEN excluded.max_id ELSE "
                                  "pairs.max_id END, units = pairs.units + excluded.units, "
                                  "changes = pairs.changes + 1, checksum = (pairs.checksum + "
                                  f"excluded.checksum) % {CHECK_MOD}", (sl, tl, top, n, checksum))
                    if n:
                        self._log_checkpoint(sl, tl)
                    result.pairs.add((sl, tl))
        return result

    def _log_checkpoint(self, source_lang: str, target_lang: str) -> None:
        """Record the pair's state after a write that added units (see :class:`Checkpoint`)."""
        self._execute("INSERT INTO pair_log (source_lang, target_lang, max_id, checksum) "
                      "SELECT source_lang, target_lang, max_id, checksum FROM pairs WHERE "
                      "source_lang = ? AND target_lang = ? ON CONFLICT (source_lang, target_lang, "
                      "max_id) DO UPDATE SET checksum = excluded.checksum",
                      (source_lang, target_lang))

    def _stage(self, rows: list[list]) -> None:
        if not self._staging_ready:
            for statement in INCOMING_DDL.split(";"):
                self._execute(statement)
            self._staging_ready = True
        self._execute("DELETE FROM incoming")
        self._load(rows)

    def _withdraw_all(self, catalog: tuple[str, str, str]) -> AddResult:
        """A catalog that translates nothing (any more): its places stop being current.

        Most catalogs of a fresh ``tmkit update`` are empty; looking first keeps
        them from taking the write lock for nothing.
        """
        result = AddResult()
        where = "source_lang = ? AND target_lang = ? AND article = ?"
        if not self._read(f"SELECT 1 FROM live_places WHERE {where} LIMIT 1", catalog):
            return result
        with self.transaction():
            result.withdrawn = self._execute(f"DELETE FROM live_places WHERE {where}", catalog)
            if result.withdrawn:
                self._execute("UPDATE pairs SET changes = changes + 1 WHERE source_lang = ? "
                              "AND target_lang = ?", catalog[:2])
                result.pairs.add(catalog[:2])
        return result

    # -- reading ---------------------------------------------------------------
    def _read(self, text: str, args: tuple | list = ()) -> list:
        try:
            return self._fetchall(text, args)
        except Exception as exc:
            raise self._error(exc) or exc from None

    def exact(self, source_lang: str, target_lang: str, source: str) -> list[TMUnit]:
        return self.exact_many(source_lang, target_lang, [source])[0]

    def exact_many(self, source_lang: str, target_lang: str,
                   sources: Sequence[str]) -> list[list[TMUnit]]:
        keys = sorted({norm_key(source) for source in sources})
        by_norm: dict[str, list[TMUnit]] = {}
        for start in range(0, len(keys), 500):
            clause, args = self._in_clause("u.norm_key", keys[start:start + 500])
            # no ORDER BY (ranking sorts): with one, PostgreSQL walked the pair's units by id
            for row in self._read(f"SELECT {_COLUMNS} FROM units u WHERE u.source_lang = ? AND "
                                  f"u.target_lang = ? AND {clause}", (source_lang, target_lang, *args)):
                unit = _row_unit(row)
                by_norm.setdefault(normalize(unit.source), []).append(unit)
        return [list(by_norm.get(normalize(source), ())) for source in sources]

    def get(self, ids: Iterable[int]) -> dict[int, TMUnit]:
        ids = [int(i) for i in ids]
        found: dict[int, TMUnit] = {}
        for start in range(0, len(ids), 5000):
            clause, args = self._in_clause("u.id", ids[start:start + 5000])
            for row in self._read(f"SELECT {_COLUMNS} FROM units u WHERE {clause}", args):
                found[row[0]] = _row_unit(row)
        return found

    def sources(self, source_lang: str, target_lang: str, after_id: int = 0) -> Iterator[tuple[int, str]]:
        yield from self._read("SELECT id, source FROM units WHERE id > ? AND source_lang = ? "
                              "AND target_lang = ? ORDER BY id", (after_id, source_lang, target_lang))

    def identity(self) -> str:
        return self._read("SELECT value FROM meta WHERE key = 'tm_id'")[0][0]

    def generation(self, source_lang: str, target_lang: str) -> tuple[int, int]:
        rows = self._read("SELECT max_id, units FROM pairs WHERE source_lang = ? AND "
                          "target_lang = ?", (source_lang, target_lang))
        return (rows[0][0], rows[0][1]) if rows else (0, 0)

    def revision(self, source_lang: str, target_lang: str) -> int:
        rows = self._read("SELECT changes FROM pairs WHERE source_lang = ? AND target_lang = ?",
                          (source_lang, target_lang))
        return rows[0][0] if rows else 0

    def checkpoint(self, source_lang: str, target_lang: str) -> Checkpoint:
        rows = self._read("SELECT max_id, units, checksum FROM pairs WHERE source_lang = ? AND "
                          "target_lang = ?", (source_lang, target_lang))
        return Checkpoint(*rows[0]) if rows else Checkpoint()

    def holds(self, source_lang: str, target_lang: str, checkpoint: Checkpoint) -> bool:
        if checkpoint.max_id == 0:
            return True
        rows = self._read("SELECT checksum FROM pair_log WHERE source_lang = ? AND target_lang = ? "
                          "AND max_id = ?", (source_lang, target_lang, checkpoint.max_id))
        return bool(rows) and rows[0][0] == checkpoint.checksum

    def has_units(self, source_lang: str, target_lang: str) -> bool:
        return bool(self._read("SELECT 1 FROM units WHERE source_lang = ? AND target_lang = ? LIMIT 1",
                               (source_lang, target_lang)))

    def known_pairs(self, keys: Iterable[int]) -> set[int]:
        keys, found = sorted(set(keys)), set()
        for start in range(0, len(keys), 5000):
            clause, args = self._in_clause("pair_key", keys[start:start + 5000])
            found.update(r[0] for r in self._read(f"SELECT pair_key FROM units WHERE {clause}", args))
        return found

    def units(self, source_lang: Optional[str] = None, target_lang: Optional[str] = None,
              history: bool = True) -> Iterator[TMUnit]:
        where, args = [], []
        if source_lang:
            where.append("u.source_lang = ?"); args.append(source_lang)
        if target_lang:
            where.append("u.target_lang = ?"); args.append(target_lang)
        if not history:
            where.append("EXISTS (SELECT 1 FROM live_places c WHERE c.unit_id = u.id)")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        for row in self._read(f"SELECT {_COLUMNS} FROM units u {clause} ORDER BY u.id", args):
            yield _row_unit(row)

    def pairs(self) -> list[tuple[str, str, int]]:
        return [tuple(r) for r in self._read(
            "SELECT source_lang, target_lang, units FROM pairs WHERE units > 0 "
            "ORDER BY source_lang, target_lang")]

    def conflicts(self, source_lang: str, target_lang: str) -> list[Conflict]:
        rows = self._read(
            f"SELECT {_COLUMNS} FROM units u WHERE u.source_lang = ? AND u.target_lang = ? "
            "AND EXISTS (SELECT 1 FROM live_places c WHERE c.unit_id = u.id) AND u.norm_key IN "
            "(SELECT v.norm_key FROM units v JOIN live_places c ON c.unit_id = v.id "
            " WHERE v.source_lang = ? AND v.target_lang = ? "
            " GROUP BY v.norm_key HAVING count(DISTINCT v.id) > 1) ORDER BY u.norm_key, u.count DESC, u.id",
            (source_lang, target_lang, source_lang, target_lang))
        groups: dict[str, list[TMUnit]] = {}
        for unit in map(_row_unit, rows):
            groups.setdefault(normalize(unit.source), []).append(unit)
        result = []
        for source, units in groups.items():
            if len({normalize(u.target) for u in units}) > 1:
                result.append(Conflict(source, units))
        return sorted(result, key=lambda c: c.source.casefold())

    def schema_version(self) -> int:
        return int(self._read("SELECT max(version) FROM schema_version")[0][0])

    # -- the schema: checked by reading, changed under the write lock ------------------
    #: table -> its CREATE statements (``;``-separated), per backend
    _TABLE_SQL: dict[str, str] = {}
    #: what :meth:`_open_schema` repaired (``tmkit tm migrate`` reports it)
    repaired: list[str] = []

    def _tables(self) -> set[str]:
        """The names of tmkit's tables that exist."""
        raise NotImplementedError

    def _columns(self, table: str) -> set[str]:
        raise NotImplementedError

    def _legacy_version(self, tables: set[str]) -> Optional[int]:
        """The version of a TM from before the ``schema_version`` table (SQLite's version 1)."""
        return None

    def _run(self, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                self._execute(statement)

    def _inspect(self) -> "SchemaState":
        """What the schema looks like, by reading only (no lock: readers never wait)."""
        tables = self._tables()
        if not tables:
            return SchemaState(tables, None, [])
        problems: list[str] = []
        # one round trip for what the tables present can answer (a server may be far away)
        asks = {"version": ("schema_version", "SELECT max(version) FROM schema_version"),
                "tm_id": ("meta", "SELECT count(*) FROM meta WHERE key = 'tm_id'"),
                "units": ("units", "SELECT count(*) FROM (SELECT 1 FROM units LIMIT 1) AS u"),
                "pairs": ("pairs", "SELECT count(*) FROM (SELECT 1 FROM pairs LIMIT 1) AS p")}
        asked = [name for name, (table, _) in asks.items() if table in tables]
        row = self._fetchall("SELECT " + ", ".join(f"({asks[name][1]})" for name in asked))[0]
        found = dict(zip(asked, row))
        if "schema_version" in tables:
            version = found["version"]
            if version is None:
                problems.append("table schema_version is empty")
        else:
            version = self._legacy_version(tables)
            if version is None:
                problems.append("table schema_version is missing")
        if version is not None and version > SCHEMA_VERSION:
            raise newer_schema_error(version, self.location)
        expected = SCHEMA_VERSION if version is None else version
        problems += [f"table {name} is missing" for name in TABLES
                     if name != "schema_version" and name not in tables and SINCE[name] <= expected]
        if "meta" in tables and not found["tm_id"]:
            problems.append("table meta has no tm_id")
        if found.get("units") and "pairs" in tables and not found["pairs"]:
            problems.append("table pairs is empty but units is not")
        return SchemaState(tables, version, problems)

    def _open_schema(self, repair: bool = False) -> None:
        """Check the schema; create, migrate or (``repair``) mend it under the write lock.

        The check only reads, so opening a TM never waits for a writer; the
        lock is taken only when there is something to change.  A damaged schema
        (a table dropped, ``meta`` or ``pairs`` emptied) is an error naming
        what is missing, unless ``repair`` (``tmkit tm migrate``).
        """
        self.repaired = []
        state = self._inspect()
        if state.tables and not state.problems and state.version == SCHEMA_VERSION and not repair:
            return
        if state.problems and not repair:
            raise damaged_error(state.problems, self.location)
        with self.transaction():
            self._upgrade(self._inspect(), repair)

    def _upgrade(self, state: "SchemaState", repair: bool) -> None:
        """Create, repair and migrate the schema (in the write transaction)."""
        notes = self.repaired
        if not state.tables:
            for name in TABLES:
                self._run(self._TABLE_SQL[name])
            self._execute("INSERT INTO meta VALUES ('tm_id', ?)", (uuid.uuid4().hex,))
            self._execute("INSERT INTO schema_version VALUES (?, ?)", (SCHEMA_VERSION, now_iso()))
            return
        if state.problems and not repair:
            raise damaged_error(state.problems, self.location)
        if not state.problems and state.version == SCHEMA_VERSION and not repair:
            return                                   # another process did it meanwhile
        tables, version = state.tables, state.version
        if version is None:   # what the tables say
            version = 3 if "pair_log" in tables else 2 if "live_places" in tables else 1
        created = [name for name in TABLES if name not in tables
                   and (SINCE[name] <= version or name == "schema_version")]
        for name in created:
            self._run(self._TABLE_SQL[name])
            notes.append(f"created the missing table {name}")
        if state.version is None:
            self._execute("INSERT INTO schema_version VALUES (?, ?)", (version, now_iso()))
            notes.append(f"recorded schema version {version}")
        if "units" in created:
            self._execute("DELETE FROM live_places")
            self._execute("DELETE FROM places")
            notes.append("the units were lost: each checkout's next 'tmkit tm update' feeds its "
                         "catalogs again")
        elif "places" in created:
            self._execute("INSERT INTO places (unit_id, place) SELECT id, article || '#' || segment "
                          "FROM units")
        if "live_places" in created and "units" not in created:
            self._fill_live_places()
        if not self._fetchall("SELECT 1 FROM meta WHERE key = 'tm_id'"):
            self._execute("INSERT INTO meta VALUES ('tm_id', ?)", (uuid.uuid4().hex,))
            notes.append("gave the TM a new identity (local index caches are rebuilt)")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self._migrate_to(target)
        if self._sync_pairs(force=version < 3):
            notes.append("rebuilt table pairs from the units")

    def _migrate_to(self, target: int) -> None:
        """One schema step (the DDL, then what it needs computed from the data)."""
        for name in TABLES:
            if SINCE[name] == target and name not in self._tables():
                self._run(self._TABLE_SQL[name])
        if target == 2:
            if "changes" not in self._columns("pairs"):
                self._execute("ALTER TABLE pairs ADD COLUMN changes BIGINT NOT NULL DEFAULT 0")
            self._fill_live_places()
        if target == 3:
            if "checksum" not in self._columns("pairs"):
                self._execute("ALTER TABLE pairs ADD COLUMN checksum BIGINT NOT NULL DEFAULT 0")
        self._execute("INSERT INTO schema_version VALUES (?, ?)", (target, now_iso()))

    def _fill_live_places(self) -> None:
        rows = self._fetchall("SELECT p.unit_id, p.place, u.source_lang, u.target_lang, "
                              "u.pair_key, u.changed FROM places p JOIN units u ON u.id = p.unit_id")
        for row in live_places_from_history(rows):
            self._execute("INSERT INTO live_places VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          row)

    def _sync_pairs(self, force: bool = False) -> bool:
        """Make table ``pairs`` agree with the units; True if it had to be rebuilt.

        Every pair's checkpoint is (re)logged; when ``pairs`` is rebuilt the old
        log goes (local index caches and fed states then check themselves
        against the server's units again).
        """
        found: dict[tuple[str, str], list[int]] = {}
        for sl, tl, uid, key in self._fetchall("SELECT source_lang, target_lang, id, pair_key "
                                               "FROM units"):
            state = found.setdefault((sl, tl), [0, 0, 0])
            state[0], state[1] = max(state[0], uid), state[1] + 1
            state[2] = (state[2] + unit_mark(uid, key)) % CHECK_MOD
        rows = self._fetchall("SELECT source_lang, target_lang, max_id, units, checksum, changes "
                              "FROM pairs")
        held = {(sl, tl): [top, n, checksum] for sl, tl, top, n, checksum, _ in rows if n}
        rebuild = force or held != found
        if rebuild:
            changes = {(sl, tl): c for sl, tl, _, _, _, c in rows}
            self._execute("DELETE FROM pairs")
            self._execute("DELETE FROM pair_log")
            for (sl, tl), (top, n, checksum) in sorted(found.items()):
                self._execute("INSERT INTO pairs (source_lang, target_lang, max_id, units, changes, "
                              "checksum) VALUES (?, ?, ?, ?, ?, ?)",
                              (sl, tl, top, n, changes.get((sl, tl), 0) + 1, checksum))
        for sl, tl in sorted(found):
            self._log_checkpoint(sl, tl)
        return rebuild and not force


#: tmkit's tables, in the order they are created
TABLES = ("schema_version", "meta", "units", "places", "live_places", "pairs", "pair_log")
#: the schema version each table came with (SQLite's version 1 kept its version in meta)
SINCE = {"schema_version": 2, "meta": 1, "units": 1, "places": 1, "live_places": 2, "pairs": 1,
         "pair_log": 3}


@dataclass
class SchemaState:
    """What :meth:`SQLStore._inspect` found: tmkit's tables, the version, what is wrong."""

    tables: set[str]
    version: Optional[int]     # None: not recorded (table missing or empty)
    problems: list[str]


def damaged_error(problems: list[str], location: str) -> TMError:
    """One line naming what is missing from a damaged TM schema."""
    return TMError(f"the TM is damaged: {'; '.join(problems)}; 'tmkit tm migrate' repairs what "
                   "can be repaired", location)


def newer_schema_error(found: int, location: str) -> TMError:
    """The error for a TM written by a newer tmkit (never touched, never downgraded)."""
    return TMError(f"TM schema version {found} is newer than this tmkit's ({SCHEMA_VERSION}); "
                   "upgrade tmkit", location)


# -- SQLite ---------------------------------------------------------------------------
_SQLITE_TABLES = {
    "schema_version": "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)",
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "units": """CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    pair_key INTEGER NOT NULL UNIQUE,
    norm_key INTEGER NOT NULL,
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    article TEXT NOT NULL, segment TEXT NOT NULL, translator TEXT NOT NULL,
    status TEXT NOT NULL, count INTEGER NOT NULL,
    created TEXT NOT NULL, changed TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS units_norm ON units (source_lang, target_lang, norm_key)""",
    "places": """CREATE TABLE places (
    unit_id INTEGER NOT NULL, place TEXT NOT NULL,
    PRIMARY KEY (unit_id, place)) WITHOUT ROWID""",
    # which unit is current at each place
    "live_places": """CREATE TABLE live_places (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, article TEXT NOT NULL,
    segment TEXT NOT NULL, source_key INTEGER NOT NULL,
    unit_id INTEGER NOT NULL, changed TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, article, segment, source_key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS live_places_unit ON live_places (unit_id)""",
    "pairs": """CREATE TABLE pairs (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    max_id INTEGER NOT NULL, units INTEGER NOT NULL,
    changes INTEGER NOT NULL DEFAULT 0, checksum INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_lang, target_lang)) WITHOUT ROWID""",
    # every state a pair was in after a write that added units (see Checkpoint)
    "pair_log": """CREATE TABLE pair_log (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, max_id INTEGER NOT NULL,
    checksum INTEGER NOT NULL,
    PRIMARY KEY (source_lang, target_lang, max_id)) WITHOUT ROWID""",
}


def live_places_from_history(rows: Iterable[tuple]) -> list[tuple]:
    """Migration to version 2: the current unit of each place a version-1 TM recorded.

    ``rows`` are ``(unit id, place "article#segment", source_lang, target_lang,
    pair_key, changed)`` of every seen place.  Version 1 kept every unit a place
    ever held; the latest one (by date, then id) is taken as its current one.
    """
    best: dict[tuple, tuple] = {}
    for uid, place, sl, tl, key, changed in rows:
        article, _, segment = place.rpartition("#")
        where = (sl, tl, article, segment, 0 if segment else key)
        if where not in best or (changed, uid) > best[where][1:]:
            best[where] = (where, changed, uid)
    return [(*where, uid, changed) for where, changed, uid in best.values()]


class SQLiteStore(SQLStore):
    """The TM in one SQLite file, safe for concurrent writers (WAL + busy timeout)."""

    _TABLE_SQL = _SQLITE_TABLES

    def __init__(self, path: os.PathLike | str, options: Optional["StoreOptions"] = None,
                 repair: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._connect()
            self._open_schema(repair)
        except sqlite3.DatabaseError as exc:
            raise TMError(f"not a usable TM database: {exc}", self.path) from None

    def _tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                } & set(TABLES)

    def _columns(self, table: str) -> set[str]:
        return {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}

    def _legacy_version(self, tables: set[str]) -> Optional[int]:
        if "meta" not in tables:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return int(row[0]) if row else None

    def _upgrade(self, state: SchemaState, repair: bool) -> None:
        if state.version == 1 and "schema_version" not in state.tables:   # version 1: in meta
            self._run(_SQLITE_TABLES["schema_version"])
            self._execute("INSERT INTO schema_version VALUES (1, ?)", (now_iso(),))
            self._execute("DELETE FROM meta WHERE key = 'schema'")
            state.tables.add("schema_version")
        super()._upgrade(state, repair)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")   # 64 MB: bulk imports touch random index pages
        return db

    def sources(self, source_lang: str, target_lang: str, after_id: int = 0) -> Iterator[tuple[int, str]]:
        # ``+``: walk the table by id from ``after_id`` on; through the (pair, norm_key)
        # index SQLite would read and sort every unit of the pair (20 ms at 300k units)
        # to find the few added since the index was built
        yield from self._read("SELECT id, source FROM units WHERE id > ? AND +source_lang = ? "
                              "AND +target_lang = ? ORDER BY id", (after_id, source_lang, target_lang))

    def after_fork(self) -> None:
        """In a forked child: read through a connection of its own.

        SQLite connections must not cross a fork.  The inherited one is kept
        referenced and never closed: closing it in the child could checkpoint
        or remove the WAL the parent still uses (POSIX locks are not inherited,
        so the child would think it is the last user).
        """
        _INHERITED.append(self.db)
        self.db = self._connect()
        self._staging_ready = False

    def _begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")   # take the write lock now: no upgrade deadlock

    def _end(self, commit: bool) -> None:
        self.db.execute("COMMIT" if commit else "ROLLBACK")

    def _load(self, rows: list[list]) -> None:
        marks = ", ".join("?" * len(INCOMING))
        self.db.executemany(f"INSERT INTO incoming ({', '.join(INCOMING)}) VALUES ({marks})", rows)

    def _in_clause(self, column: str, values: list[int]) -> tuple[str, tuple]:
        return f"{column} IN ({','.join('?' * len(values))})" if values else "0", tuple(values)

    def _error(self, exc: Exception) -> Optional[TMError]:
        if isinstance(exc, sqlite3.DatabaseError):
            return TMError(f"cannot use the TM: {exc}", self.location)
        return None

    def close(self) -> None:
        self.db.close()
