"""The indexed matcher against the brute-force reference, and the penalties."""

from __future__ import annotations

import random

import pytest

from toolkit.tm import TMUnit, TranslationMemory
from toolkit.tm.index import IndexedMatcher
from toolkit.tm.match import BruteForceMatcher, penalties, score
from toolkit.tm.normalize import normalize

WORDS = ("pain back spinal surgery nerve disc the a of and with after persistent chronic "
         "leg patient doctor treatment may include therapy often severe lower upper joint "
         "muscle bone recovery risk scar tissue fusion injection relief symptoms").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 16))]
    return " ".join(words).capitalize() + "."


def _edit(rng: random.Random, text: str) -> str:
    words = text.rstrip(".").split()
    for _ in range(rng.randint(1, 2)):
        position = rng.randrange(len(words))
        if rng.random() < 0.5 and len(words) > 2:
            del words[position]
        else:
            words[position] = rng.choice(WORDS)
    return " ".join(words) + "."


def test_penalties_for_numbers_markup_and_placeholders():
    assert penalties("Take 5 mg.", "Take 50 mg.") == [("numbers differ", 5.0)]
    assert [n for n, _ in penalties("See <em>this</em>.", "See this.")] == ["inline markup differs"]
    assert [n for n, _ in penalties("Hello %s", "Hello %d")] == ["placeholders differ"]
    final, similarity, notes = score("Take 5 mg daily.", "Take 6 mg daily.")
    assert similarity > final and notes == ["numbers differ"]


@pytest.mark.parametrize("seed", [4, 5])
def test_index_finds_what_brute_force_finds(tmp_path, tm_backend, seed):
    """At least 99.5% of the brute force's best matches, never a match it would not make.

    The index is a heuristic (``toolkit.tm.index``: the trigram count cannot
    prove a 75% match), and issue 23 asks for a recall of 99% or more.  Sentences
    drawn from 40 words are its worst case: every unit shares most trigrams
    with every other, so the count tells them apart least (real text:
    ``benchmarks/tm_bench.py`` measures 100% at 300k units).
    """
    rng = random.Random(seed)
    sources = list(dict.fromkeys(_sentence(rng) for _ in range(3000)))
    with tm_backend.open() as tm:
        tm.add(TMUnit(s, f"T{i}", "en", "de") for i, s in enumerate(sources))
        indexed = IndexedMatcher(tm.store, "en", "de", tmp_path / "idx")
        brute = BruteForceMatcher(tm.store, "en", "de")
        queries = [_edit(rng, rng.choice(sources)) for _ in range(1500)]
        queries += [_sentence(rng) for _ in range(1500)]
        compared = same = 0
        for query in queries:
            expected = brute.lookup(query, 75, 1)
            got = indexed.lookup(query, 75, 1)
            if got:   # whatever the index offers is a real match, scored as the brute force scores it
                assert expected and got[0].score <= expected[0].score, query
                assert got[0].score == brute_score(brute, query, got[0].unit.source), query
            if expected:
                compared += 1
                same += bool(got) and got[0].score == expected[0].score \
                    and got[0].unit.source == expected[0].unit.source
        assert compared > 1000
        assert same >= 0.995 * compared, f"{same} of {compared}"


def brute_score(brute: BruteForceMatcher, query: str, source: str) -> float:
    """The score the brute force gives ``source`` for ``query``."""
    return score(normalize(query), normalize(source), 75)[0]


def test_index_is_saved_and_units_added_later_are_found(tm_backend):
    with tm_backend.open() as tm:
        tm.add([TMUnit("Chronic back pain after surgery.", "A", "en", "fr")])
        assert tm.lookup("Chronic back pain after a surgery.", "en", "fr")
        assert (tm_backend.index_dir / "en_fr.idx").is_file()
        tm.add([TMUnit("Chronic leg pain after surgery.", "B", "en", "fr")])
        found = tm.lookup("Chronic leg pain after a surgery.", "en", "fr")
        assert found[0].unit.target == "B"
    with tm_backend.open() as tm:   # delta over the saved index
        assert tm.matcher("en", "fr").delta_ids == [2]
        assert tm.lookup("Chronic leg pain after a surgery.", "en", "fr")[0].unit.target == "B"


@pytest.mark.parametrize("text", ["Abc", "Schmerz im Rücken und Bein", "背部手术失败综合征", "İstanbul İzmir", "x"])
def test_short_and_non_latin_sources(tm_backend, text):
    with tm_backend.open() as tm:
        tm.add([TMUnit(text, "t", "en", "de")])
        assert tm.lookup(text, "en", "de")[0].exact
        if len(text) > 1:   # a one-letter source shares no trigram with anything else
            assert tm.lookup(text + "!", "en", "de", 50)[0].unit.source == text
