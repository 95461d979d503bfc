"""Batch lookups: forked workers give exactly the serial results, in order."""

from __future__ import annotations

import os
import random
import time

import polib
import pytest

from toolkit.project.config import load_config
from toolkit.tm import TMUnit, TranslationMemory, batch
from toolkit.tm.backends import cache_dir
from toolkit.tm.pretranslate import prefill_po
from tests.conftest import run_cli
from tests.test_tm_match import _edit, _sentence

needs_fork = pytest.mark.skipif(not batch.can_fork(), reason="no fork start method")


def _filled_tm(location, rng: random.Random, index_dir=None) -> tuple[TranslationMemory, list[str]]:
    sources = list(dict.fromkeys(_sentence(rng) for _ in range(2000)))
    tm = TranslationMemory.open(location, index_dir)
    tm.add(TMUnit(s, f"T{i}", "en", "de") for i, s in enumerate(sources[:1800]))
    tm.matcher("en", "de")                                   # index built here ...
    tm.add(TMUnit(s, f"D{i}", "en", "de") for i, s in enumerate(sources[1800:]))  # ... delta after
    return tm, sources


@pytest.fixture
def worker_pids(tmp_path, monkeypatch):
    """A folder where each forked worker leaves a file named by its pid when it starts."""
    seen = tmp_path / "workers"
    seen.mkdir()
    original = batch._after_fork

    def recording() -> None:
        (seen / str(os.getpid())).write_text("")
        original()

    monkeypatch.setattr(batch, "_after_fork", recording)
    return seen


@needs_fork
def test_parallel_batch_equals_serial_lookups(tm_backend, worker_pids):
    rng = random.Random(11)
    tm, sources = _filled_tm(tm_backend.location, rng, tm_backend.index_dir)
    queries = [rng.choice(sources) for _ in range(100)]                  # exact matches
    queries += [_edit(rng, rng.choice(sources)) for _ in range(200)]     # fuzzy, some in the delta
    queries += [_sentence(rng) for _ in range(100)]                      # mostly nothing
    seen = worker_pids
    with tm:
        serial = [tm.lookup(q, "en", "de", 75, 3) for q in queries]
        assert tm.lookup_many(queries, "en", "de", 75, 3, workers=1) == serial
        assert not list(seen.iterdir())
        parallel = tm.lookup_many(queries, "en", "de", 75, 3, workers=2)
        assert parallel == serial
        pids = {int(p.name) for p in seen.iterdir()}
        assert len(pids) == 1 and os.getpid() not in pids      # the process itself + one child
        assert sum(1 for m in serial if m and m[0].exact) >= 100
        assert sum(1 for m in serial if m and not m[0].exact) > 100
        # the parent's own store connection still works after the workers are gone
        tm.add([TMUnit("A sentence added after the batch.", "Neu", "en", "de")])
        assert tm.lookup("A sentence added after the batch.", "en", "de")[0].unit.target == "Neu"


def test_small_batches_and_one_worker_stay_serial(tm_backend, monkeypatch):
    rng = random.Random(12)
    tm, sources = _filled_tm(tm_backend.location, rng, tm_backend.index_dir)

    def no_fork(*args, **kwargs):
        raise AssertionError("a worker was forked")

    monkeypatch.setattr(batch.os, "fork", no_fork)
    with tm:
        small = [_edit(rng, s) for s in sources[:batch.BATCH_MIN - 1]]
        assert tm.lookup_many(small, "en", "de", workers=4) == [tm.lookup(q, "en", "de") for q in small]
        assert tm.lookup_many(sources[:300], "en", "de", workers=1)[0][0].exact
        assert tm.lookup_many([], "en", "de") == []


@needs_fork
def test_pretranslate_of_a_big_catalog_uses_the_batch(project, tm_backend):
    rng = random.Random(13)
    config = load_config(project)
    tm, sources = _filled_tm(config.tm_location, rng, cache_dir(config.tm_location, config.tm_path.parent))
    queries = list(dict.fromkeys([rng.choice(sources) for _ in range(150)]
                                 + [_edit(rng, rng.choice(sources)) for _ in range(250)]))
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    for query in queries:
        po.append(polib.POEntry(msgid=query, msgstr=""))
    with tm:
        expected = [tm.lookup(q, "en", "de", config.tm.min_score, 1) for q in queries]
        counters, changed = prefill_po(po, tm, "en", "de", config.tm)
    assert changed
    assert counters["tm exact"] == sum(1 for m in expected if m and m[0].exact)
    assert counters["tm fuzzy"] == sum(1 for m in expected if m and not m[0].exact)
    assert counters["tm fuzzy"] > 100
    for entry, matches in zip(po, expected):
        assert entry.msgstr == (matches[0].unit.target if matches else ""), entry.msgid
        assert entry.fuzzy == bool(matches and not matches[0].exact)


@needs_fork
def test_pretranslate_command_batches_small_catalogs_together(project, runner, worker_pids, tm_backend):
    """Two 150-entry catalogs: one 300-query batch, each file gets its own results."""
    rng = random.Random(14)
    config = load_config(project)
    tm, sources = _filled_tm(config.tm_location, rng, cache_dir(config.tm_location, config.tm_path.parent))
    queries = list(dict.fromkeys(_edit(rng, rng.choice(sources)) for _ in range(300)))
    halves = {"first": queries[:150], "second": queries[150:]}
    with tm:
        expected = {q: tm.lookup(q, "en", "de", config.tm.min_score, 1) for q in queries}
    for slug, msgids in halves.items():
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
        for msgid in msgids:
            po.append(polib.POEntry(msgid=msgid, msgstr=""))
        (project / "po" / "de").mkdir(parents=True, exist_ok=True)
        po.save(str(project / "po" / "de" / f"{slug}.po"))
    result = run_cli(runner, project, "tm", "pretranslate", "--lang", "de")
    assert len(list(worker_pids.iterdir())) == 1     # 150 + 150 entries: one batch, one child
    fuzzy = sum(1 for m in expected.values() if m and not m[0].exact)
    exact = sum(1 for m in expected.values() if m and m[0].exact)
    assert f"de: {exact} tm exact, {fuzzy} tm fuzzy" in result.output
    for slug, msgids in halves.items():
        written = polib.pofile(str(project / "po" / "de" / f"{slug}.po"))
        assert [e.msgid for e in written] == msgids
        for entry in written:
            matches = expected[entry.msgid]
            assert entry.msgstr == (matches[0].unit.target if matches else ""), entry.msgid


@needs_fork
def test_the_process_and_its_child_share_the_chunks(tmp_path, monkeypatch):
    """Both the process and the forked child answer chunks; the answers come back in order."""
    rng = random.Random(15)
    tm, sources = _filled_tm(tmp_path / "tm.sqlite", rng)
    answered = tmp_path / "answered"
    answered.mkdir()
    original = batch._answer

    def recording(job):
        (answered / f"{os.getpid()}-{job[0][0][:20]}").write_text("")
        return original(job)

    monkeypatch.setattr(batch, "_answer", recording)
    queries = [_edit(rng, rng.choice(sources)) for _ in range(400)]
    with tm:
        serial = tm.lookup_batch(queries, "en", "de", 75, 2)
        assert tm.lookup_many(queries, "en", "de", 75, 2, workers=2) == serial
    pids = {int(p.name.split("-")[0]) for p in answered.iterdir()}
    assert os.getpid() in pids and len(pids) == 2


@needs_fork
def test_a_failing_child_raises_in_the_parent(tmp_path, monkeypatch):
    rng = random.Random(16)
    tm, sources = _filled_tm(tmp_path / "tm.sqlite", rng)
    parent = os.getpid()

    def failing(job):
        if os.getpid() != parent:
            raise ValueError("lookup failed in the child")
        time.sleep(0.2)                      # leave chunks to the child
        return [[] for _ in job[0]]

    monkeypatch.setattr(batch, "_answer", failing)
    with tm, pytest.raises(ValueError, match="lookup failed in the child"):
        tm.lookup_many([_edit(rng, s) for s in sources[:400]], "en", "de", workers=2)
    assert batch._shared is None
