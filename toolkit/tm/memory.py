"""The translation memory as the rest of tmkit uses it: a store plus matchers.

:class:`TranslationMemory` ties a :class:`~toolkit.tm.store.TMStore` to one
:class:`~toolkit.tm.index.IndexedMatcher` per language pair, created on first
lookup.  Exact matches come straight from the store (by normalised source);
fuzzy ones from the index.  Adding units invalidates the matchers of the
pairs that changed, so a lookup always sees what was just added.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Optional, Sequence

from toolkit.tm import backends, batch
from toolkit.tm.match import Match, make_matches, rank_key
from toolkit.tm.normalize import normalize
from toolkit.tm.store import AddResult, Conflict, StoreOptions, TMStore, TMUnit, damaged_error

#: texts whose store queries and numpy work (length windows, list selection, the
#: vectorised binary search) are done together; each text's hits are still counted
#: on their own, so they stay in the CPU's caches.  128 instead of 32: ~15 % less CPU
#: for 2,000 lookups at 300k units (fewer per-chunk queries and numpy calls).
LOOKUP_CHUNK = 128

if TYPE_CHECKING:   # the index needs numpy: imported only when a lookup needs it
    from toolkit.tm.index import IndexedMatcher


class TranslationMemory:
    """Store, look up and list TM units (use as a context manager)."""

    def __init__(self, store: TMStore, index_dir: Optional[Path] = None) -> None:
        self.store = store
        self.index_dir = index_dir
        self._matchers: dict[tuple[str, str], IndexedMatcher] = {}
        self._empty: dict[tuple[str, str], bool] = {}

    @classmethod
    def open(cls, location: os.PathLike | str, index_dir: Optional[Path] = None,
             options: Optional[StoreOptions] = None, repair: bool = False) -> "TranslationMemory":
        """Open (creating or migrating if needed) the TM at a path or database URL.

        A SQLite TM keeps its index beside the file; a server TM keeps it in
        ``index_dir`` if given (else it is built in memory for this process).
        ``options``: timeouts and client name for a server; ``repair``: mend a
        damaged schema (``tmkit tm migrate``).
        """
        if index_dir is None and not backends.is_url(location):
            index_dir = backends.cache_dir(location, Path())
        return cls(backends.open_store(location, options, repair), index_dir)

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def add(self, units: Iterable[TMUnit], catalog: Optional[tuple[str, str, str]] = None) -> AddResult:
        """Store units; see :meth:`TMStore.add` (``catalog``: everything one PO file translates)."""
        result = self.store.add(units, catalog)
        for pair in result.pairs:
            self._matchers.pop(pair, None)
            self._empty.pop(pair, None)
        return result

    def is_empty(self, source_lang: str, target_lang: str) -> bool:
        """True when the pair has no unit: lookups answer nothing without opening an index."""
        key = (source_lang, target_lang)
        if key not in self._empty:
            empty = self.store.generation(source_lang, target_lang)[1] == 0
            if empty and self.store.has_units(source_lang, target_lang):   # pairs lost its row
                raise damaged_error([f"table pairs has no row for {source_lang}->{target_lang}"],
                                    self.store.location)
            self._empty[key] = empty
        return self._empty[key]

    def matcher(self, source_lang: str, target_lang: str) -> IndexedMatcher:
        from toolkit.tm.index import IndexedMatcher

        key = (source_lang, target_lang)
        if key not in self._matchers:
            self._matchers[key] = IndexedMatcher(self.store, source_lang, target_lang,
                                                 self.index_dir)
        return self._matchers[key]

    def map_in(self) -> None:
        """Map the open indexes' pages into this process before a batch (:func:`toolkit.tm.index.map_in`)."""
        from toolkit.tm.index import map_in

        for matcher in self._matchers.values():
            map_in(matcher.data)

    def lookup(self, text: str, source_lang: str, target_lang: str, min_score: float = 75.0,
               limit: int = 5) -> list[Match]:
        """Exact and fuzzy matches for ``text``, best first (exact ones score 100)."""
        return self.lookup_batch([text], source_lang, target_lang, min_score, limit)[0]

    def lookup_batch(self, texts: Sequence[str], source_lang: str, target_lang: str,
                     min_score: float = 75.0, limit: int = 5) -> list[list[Match]]:
        """:meth:`lookup` of each text, in this process, sharing the work between them.

        The exact matches of all texts come from one store query per few hundred,
        the fuzzy ones from one pass of the index over them all
        (:meth:`~toolkit.tm.index.IndexedMatcher.lookup_many`); a text with
        ``limit`` exact matches needs no fuzzy search (nothing scores above 100).
        """
        if self.is_empty(source_lang, target_lang):
            return [[] for _ in texts]
        answers = []
        for start in range(0, len(texts), LOOKUP_CHUNK):
            chunk = texts[start:start + LOOKUP_CHUNK]
            exact = self.store.exact_many(source_lang, target_lang, chunk)
            found = [{m.unit.id: m for m in make_matches(normalize(text), (
                (u, normalize(u.source)) for u in units), 100.0)}
                for text, units in zip(chunk, exact)]
            fuzzy = [i for i, matches in enumerate(found) if len(matches) < limit]
            if fuzzy:
                more = self.matcher(source_lang, target_lang).lookup_many(
                    [chunk[i] for i in fuzzy], min_score, limit)
                for i, matches in zip(fuzzy, more):
                    for match in matches:
                        found[i].setdefault(match.unit.id, match)
            answers += [(sorted(matches.values(), key=rank_key) if len(matches) > 1
                         else list(matches.values()))[:limit] for matches in found]
        return answers

    def lookup_many(self, texts: Sequence[str], source_lang: str, target_lang: str,
                    min_score: float = 75.0, limit: int = 5,
                    workers: Optional[int] = None) -> list[list[Match]]:
        """:meth:`lookup` for each of ``texts``, in order, on up to ``workers`` processes.

        Same results as the serial lookups; forked workers share the
        memory-mapped index (:mod:`toolkit.tm.batch`).  ``workers=None``: one
        per core (at most 4); batches under 200 queries run serially.
        """
        return batch.lookup_many(self, texts, source_lang, target_lang, min_score, limit, workers)

    def lookup_groups(self, groups: Mapping[tuple[str, str], Sequence[str]], min_score: float = 75.0,
                      limit: int = 5, workers: Optional[int] = None
                      ) -> dict[tuple[str, str], list[list[Match]]]:
        """:meth:`lookup_many` for several language pairs in one batch (one worker pool)."""
        return batch.lookup_groups(self, groups, min_score, limit, workers)

    def units(self, source_lang: Optional[str] = None, target_lang: Optional[str] = None,
              history: bool = True):
        return self.store.units(source_lang, target_lang, history)

    def pairs(self) -> list[tuple[str, str, int]]:
        return self.store.pairs()

    def conflicts(self, source_lang: str, target_lang: str) -> list[Conflict]:
        return self.store.conflicts(source_lang, target_lang)
