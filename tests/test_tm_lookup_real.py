"""Batched lookups on real translations: the same answers as one by one and as the brute force.

The sample is what ``benchmarks/tm_bench.py`` measures, at test size: the German
catalogs installed on this machine (GNU gettext's and PostgreSQL's at least,
both installed for the tests), read with polib, sources of 20-200 characters;
queries are held-out sources, half of them with one word replaced or deleted, and
sources of the TM (exact matches).
"""

from __future__ import annotations

import glob
import random

import polib
import pytest

from toolkit.tm import TMUnit, TranslationMemory, batch
from toolkit.tm.match import BruteForceMatcher
from toolkit.tm.normalize import normalize
from tests.tm_helpers import edit_one_word as _edit

QUERIES = 600
MIN_PAIRS = 2000


@pytest.fixture(scope="module")
def real_pairs() -> list[tuple[str, str]]:
    pairs = set()
    for path in sorted(glob.glob("/usr/share/locale/de/LC_MESSAGES/*.mo")):
        try:
            catalog = polib.mofile(path)
        except (OSError, ValueError):
            continue
        pairs.update((e.msgid, e.msgstr) for e in catalog
                     if e.msgstr and not e.msgid_plural and 20 <= len(e.msgid) <= 200)
    if len(pairs) < MIN_PAIRS:
        pytest.skip("needs the German catalogs of GNU gettext and postgresql in /usr/share/locale/de")
    return sorted(pairs)[:12_000]


@pytest.fixture(scope="module")
def real_tm(real_pairs, tmp_path_factory):
    rng = random.Random(21)
    sources = sorted({s for s, _ in real_pairs})
    held = set(rng.sample(sources, QUERIES))
    queries = [s if i % 2 else _edit(rng, s) for i, s in enumerate(sorted(held))]
    queries += rng.sample([s for s in sources if s not in held], 100)      # exact matches
    folder = tmp_path_factory.mktemp("real")
    tm = TranslationMemory.open(folder / "tm.sqlite")
    tm.add(TMUnit(s, t, "en", "de", "catalogs") for s, t in real_pairs if s not in held)
    tm.matcher("en", "de")                                  # the saved, memory-mapped index ...
    tm.close()
    tm = TranslationMemory.open(folder / "tm.sqlite")       # ... as a new process opens it
    yield tm, queries
    tm.close()


def _top(matches) -> object:
    return (matches[0].score, matches[0].unit.source) if matches else None


def test_batched_lookups_equal_one_by_one(real_tm):
    tm, queries = real_tm
    one_by_one = [tm.lookup(q, "en", "de", 75, 3) for q in queries]
    assert tm.lookup_batch(queries, "en", "de", 75, 3) == one_by_one
    assert tm.lookup_many(queries, "en", "de", 75, 3, workers=1) == one_by_one
    if batch.can_fork():
        assert tm.lookup_many(queries, "en", "de", 75, 3, workers=2) == one_by_one
    assert sum(1 for m in one_by_one if m and not m[0].exact) > 100       # fuzzy matches ...
    assert sum(1 for m in one_by_one if m and m[0].exact) > 100           # ... and exact ones


def test_candidates_of_a_chunk_equal_those_of_each_query(real_tm):
    """The chunk's vectorised window search and the per-query search agree."""
    tm, queries = real_tm
    matcher = tm.matcher("en", "de")
    norms = [normalize(q) for q in queries[:200]]
    for min_score in (75.0, 50.0):
        chunked = matcher.candidate_lists(norms, min_score)
        for query, found in zip(norms, chunked):
            assert sorted(found.tolist()) == sorted(matcher.candidate_positions(query, min_score).tolist())
    ids = matcher.data.ids[chunked[0]].tolist()
    units = tm.store.get(ids)
    assert matcher.sources_at(chunked[0]) == [normalize(units[i].source) for i in ids]


def test_recall_against_the_brute_force_on_real_text(real_tm):
    tm, queries = real_tm
    brute = BruteForceMatcher(tm.store, "en", "de")
    got = tm.lookup_batch(queries, "en", "de", 75, 1)
    wanted = [(q, _top(brute.lookup(q, 75, 1))) for q in queries]
    with_match = [(g, w) for g, (_, w) in zip(got, wanted) if w is not None]
    same = sum(1 for g, w in with_match if _top(g) == w)
    assert len(with_match) > 200
    assert same >= 0.99 * len(with_match), (same, len(with_match))


def test_exact_many_equals_exact_for_each_text(tm_backend):
    variants = ["Back pain\u00a0after surgery.", "Back  pain after surgery.", "\u201cQuoted\u201d text.",
                "Nothing like it.", "Back pain after surgery.", '"Quoted" text.']
    with tm_backend.open() as tm:
        tm.add([TMUnit("Back pain after surgery.", "A", "en", "de", "one", "s1"),
                TMUnit("Back pain after surgery.", "B", "en", "de", "two", "s1"),
                TMUnit('"Quoted" text.', "C", "en", "de", "one", "s2"),
                TMUnit("Back pain after surgery.", "D", "en", "fr", "one", "s1")])
        tm.add([TMUnit("Back pain after surgery.", "A2", "en", "de", "one", "s1")],
               ("en", "de", "one"))                       # A becomes history (superseded)
        many = tm.store.exact_many("en", "de", variants)
        single = [tm.store.exact("en", "de", text) for text in variants]
        assert [sorted(u.id for u in units) for units in many] == \
            [sorted(u.id for u in units) for units in single]
        assert {u.target for u in many[0]} == {"A", "B", "A2"} and many[3] == []
        history = [u for u in many[0] if u.target == "A"][0]
        assert not history.current and history.superseded
        assert tm.lookup_batch(variants, "en", "de", 75, 5) == [tm.lookup(v, "en", "de", 75, 5)
                                                                for v in variants]
