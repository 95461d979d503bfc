"""The SQLite store: counted pairs, statuses, two writing processes at once."""

from __future__ import annotations

import multiprocessing

from toolkit.tm import TMUnit, TranslationMemory
from toolkit.tm.normalize import normalize


def test_normalize_ignores_spaces_nbsp_and_quotes():
    assert normalize("  It\u2019s\u00a0a  \u201cback\u201d\tpain ") == "It's a \"back\" pain"


def test_identical_pairs_are_stored_once_and_counted(tm_backend):
    with tm_backend.open() as tm:
        unit = TMUnit("Back pain.", "Dolor de espalda.", "en", "es", "a", "b1")
        assert tm.add([unit, unit]).added == 1
        tm.add([TMUnit("Back pain.", "Dolor de espalda.", "en", "es", "b", "b1",
                       status="reviewed")])
        [stored] = tm.units("en", "es")
        assert (stored.count, stored.status, stored.article) == (2, "reviewed", "b")
        # a weaker status never downgrades
        tm.add([TMUnit("Back pain.", "Dolor de espalda.", "en", "es", "c", "b1")])
        assert next(tm.units()).status == "reviewed"
        assert tm.pairs() == [("en", "es", 1)]


def test_exact_lookup_uses_the_normal_form(tm_backend):
    with tm_backend.open() as tm:
        tm.add([TMUnit("It\u2019s  back.", "Ha vuelto.", "en", "es")])
        [match] = tm.lookup("It's back.", "en", "es")
        assert match.exact and match.score == 100


def _writer(path: str, worker: int, count: int) -> None:
    with TranslationMemory.open(path) as tm:
        for number in range(count):   # many small transactions interleave with the other process
            tm.add([TMUnit(f"Sentence {worker}-{number}.", f"Frase {worker}-{number}.", "en", "es",
                           f"w{worker}"),
                    TMUnit("Shared sentence.", "Frase común.", "en", "es", f"w{worker}", str(number))])


def test_two_processes_write_at_once(tm_backend):
    path = str(tm_backend.location)
    TranslationMemory.open(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, w, 150)) for w in (1, 2)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(120)
        assert proc.exitcode == 0
    with TranslationMemory.open(path) as tm:
        units = list(tm.units("en", "es"))
        assert len(units) == 301
        shared = [u for u in units if u.source == "Shared sentence."]
        assert shared[0].count == 300
        assert tm.pairs() == [("en", "es", 301)]
