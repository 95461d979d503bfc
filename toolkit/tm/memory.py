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
from toolkit.tm.store import AddResult, Conflict, TMStore, TMUnit

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
    def open(cls, location: os.PathLike | str, index_dir: Optional[Path] = None) -> "TranslationMemory":
        """Open (creating or migrating if needed) the TM at a path or database URL.

        A SQLite TM keeps its index beside the file; a server TM keeps it in
        ``index_dir`` if given (else it is built in memory for this process).
        """
        if index_dir is None and not backends.is_url(location):
            index_dir = backends.cache_dir(location, Path())
        return cls(backends.open_store(location), index_dir)

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
            self._empty[key] = self.store.generation(source_lang, target_lang)[1] == 0
        return self._empty[key]

    def matcher(self, source_lang: str, target_lang: str) -> IndexedMatcher:
        from toolkit.tm.index import IndexedMatcher

        key = (source_lang, target_lang)
        if key not in self._matchers:
            self._matchers[key] = IndexedMatcher(self.store, source_lang, target_lang,
                                                 self.index_dir)
        return self._matchers[key]

    def lookup(self, text: str, source_lang: str, target_lang: str, min_score: float = 75.0,
               limit: int = 5) -> list[Match]:
        """Exact and fuzzy matches for ``text``, best first (exact ones score 100)."""
        if self.is_empty(source_lang, target_lang):
            return []
        query = normalize(text)
        exact = make_matches(query, ((u, normalize(u.source)) for u in
                                     self.store.exact(source_lang, target_lang, text)), 100.0)
        found = {m.unit.id: m for m in exact}
        if len(found) < limit:
            for match in self.matcher(source_lang, target_lang).lookup(text, min_score, limit):
                found.setdefault(match.unit.id, match)
        return sorted(found.values(), key=rank_key)[:limit]

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
