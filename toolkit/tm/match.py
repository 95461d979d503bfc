"""Scoring a TM source against a query, and the brute-force reference matcher.

The score is the normalised Levenshtein similarity of the two normal forms
(:func:`toolkit.tm.normalize.normalize`) in percent, minus penalties a
translator would expect: a match whose numbers, inline markup or placeholders
differ from the query's needs more than the edit distance says, because the
pre-filled translation would carry the wrong ones.  Penalties are reported
with the match so the translator sees why a 96% is only 86%.

:class:`BruteForceMatcher` scores every unit; it is slow on purpose and is the
ground truth the indexed matcher (:mod:`toolkit.tm.index`) is tested against.
Both rank with :func:`rank_key`, so ties are broken the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from toolkit.text.inline import tag_spans
from toolkit.tm.normalize import normalize
from toolkit.tm.store import TMUnit

PENALTY_NUMBERS = 5.0
PENALTY_MARKUP = 5.0
PENALTY_PLACEHOLDERS = 5.0

_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_PLACEHOLDER_RE = re.compile(
    r"%(?:\d+\$|\([A-Za-z_]\w*\))?[-+ #0]*\d*(?:\.\d+)?(?:l|ll|h|z)?[sdiufFeEgGxXocpr]"
    r"|\{[A-Za-z_0-9.]*\}|\$\{?[A-Za-z_]\w*\}?")
#: what every number, tag and placeholder above starts with
_SPECIAL_RE = re.compile(r"[\d<%{$]")


@dataclass
class Match:
    """One TM unit offered for a query."""

    unit: TMUnit
    score: float                    # percent, after penalties
    similarity: float               # percent, edit distance only
    exact: bool                     # same normalised source
    penalties: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"score": round(self.score, 1), "similarity": round(self.similarity, 1),
                "exact": self.exact, "penalties": self.penalties, "source": self.unit.source,
                "target": self.unit.target, "origin": self.unit.origin,
                "translator": self.unit.translator, "status": self.unit.status,
                "count": self.unit.count, "changed": self.unit.changed,
                "current": self.unit.current}


def _markup(text: str) -> list[str]:
    return sorted(text[a:b] for a, b in tag_spans(text))


def penalties(query: str, candidate: str) -> list[tuple[str, float]]:
    """Why ``candidate``'s translation needs more work than its edit distance says."""
    if not _SPECIAL_RE.search(query) and not _SPECIAL_RE.search(candidate):
        return []             # no number, tag or placeholder on either side: nothing differs
    found = []      # each compares multisets: sorted lists (a Counter costs several times more)
    if sorted(_NUMBER_RE.findall(query)) != sorted(_NUMBER_RE.findall(candidate)):
        found.append(("numbers differ", PENALTY_NUMBERS))
    if _markup(query) != _markup(candidate):
        found.append(("inline markup differs", PENALTY_MARKUP))
    if sorted(_PLACEHOLDER_RE.findall(query)) != sorted(_PLACEHOLDER_RE.findall(candidate)):
        found.append(("placeholders differ", PENALTY_PLACEHOLDERS))
    return found


def score(query_norm: str, cand_norm: str, min_score: float = 0.0,
          similarity: Optional[float] = None) -> Optional[tuple[float, float, list[str]]]:
    """``(score, similarity, penalty notes)`` of two normal forms, or None below ``min_score``.

    ``similarity``: the normalised Levenshtein similarity (0-1) when the caller
    already has it (rapidfuzz's ``process.extract`` computed it with the same cut-off).
    """
    sim = similarity if similarity is not None else \
        Levenshtein.normalized_similarity(query_norm, cand_norm, score_cutoff=min_score / 100.0)
    if not sim and min_score > 0:
        return None
    sim *= 100.0
    notes = penalties(query_norm, cand_norm) if sim < 100.0 else []
    final = max(0.0, sim - sum(p for _, p in notes))
    if final < min_score:
        return None
    return final, sim, [n for n, _ in notes]


def rank_key(match: Match) -> tuple:
    """Best first: score, then current before history, reviewed before translated,
    more recently changed, more uses, lower id."""
    unit = match.unit
    return (-match.score, not unit.current, unit.status != "reviewed", _neg(unit.changed),
            -unit.count, unit.id)


@lru_cache(maxsize=4096)
def _neg(stamp: str) -> tuple:      # cached: units imported together share their stamp
    return tuple(-ord(c) for c in stamp)


def make_matches(query_norm: str, units: Iterable[tuple], min_score: float) -> list[Match]:
    """Score ``(unit, normalised source[, similarity])`` candidates; the ranked matches.

    Superseded units (history whose source has a current translation) are
    never offered: a corrected translation must not come back.  A similarity
    (0-1) in the tuple is the one rapidfuzz already computed for the pair.
    """
    found = []
    for unit, cand_norm, *known in units:
        if unit.superseded:
            continue
        result = score(query_norm, cand_norm, min_score, known[0] if known else None)
        if result is not None:
            final, sim, notes = result
            found.append(Match(unit, final, sim, cand_norm == query_norm, notes))
    if len(found) > 1:
        found.sort(key=rank_key)
    return found


class BruteForceMatcher:
    """The reference: score the query against every source of a language pair.

    Keeps only normal forms and ids in memory; units are fetched for the hits.
    Uses rapidfuzz's C loop (``process.extract``) with the same cut-off, then
    :func:`make_matches` for penalties and ranking, exactly like the index.
    """

    def __init__(self, store, source_lang: str, target_lang: str) -> None:
        self.store = store
        self.ids: list[int] = []
        self.norms: list[str] = []
        for uid, source in store.sources(source_lang, target_lang):
            self.ids.append(uid)
            self.norms.append(normalize(source))

    def lookup(self, text: str, min_score: float = 75.0, limit: int = 5) -> list[Match]:
        return match_texts(self.store, normalize(text), self.ids, self.norms, min_score)[:limit]


def match_texts(store, query: str, ids: list[int], norms: list[str], min_score: float) -> list[Match]:
    """Matches among candidate ``(ids, normalised sources)``: the one scoring path."""
    return match_many(store, [query], [ids], [norms], min_score)[0]


def match_many(store, queries: Sequence[str], ids: Sequence[Sequence[int]],
               norms: Sequence[Sequence[str]], min_score: float,
               stale: Optional[set[int]] = None) -> list[list[Match]]:
    """:func:`match_texts` of many queries, each with its own candidates.

    rapidfuzz's C loop drops what is below ``min_score`` by edit distance
    alone (penalties only lower a score); only the survivors are fetched
    from the store (one query for the whole batch), given penalties and ranked.
    A survivor whose unit the store no longer has, or whose source is not the
    normalised source it was scored with (a stale local index after a restore),
    is never offered; its id is added to ``stale``.
    """
    cutoff = min_score / 100.0
    hits = [process.extract(query, texts, scorer=Levenshtein.normalized_similarity,
                            score_cutoff=cutoff, limit=None) if texts else []
            for query, texts in zip(queries, norms)]
    units = store.get({some[i] for found, some in zip(hits, ids) for _, _, i in found})
    bad = {some[i] for found, some, texts in zip(hits, ids, norms) for _, _, i in found
           if some[i] not in units or normalize(units[some[i]].source) != texts[i]}
    if stale is not None:
        stale |= bad
    return [make_matches(query, ((units[some[i]], texts[i], sim) for _, sim, i in found
                                 if some[i] not in bad), min_score)
            for query, found, some, texts in zip(queries, hits, ids, norms)]
