"""One TM on a PostgreSQL server shared by several checkouts (the issue's acceptance)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import polib
import psycopg

from tests.conftest import REPO, SEED, run_cli
from toolkit.tm import TMUnit
from toolkit.tm.tmx import write_tmx


def _checkout(tmp_path, name, project):
    """Another clone of the same project: settings and sources, none of the PO files."""
    root = tmp_path / name
    root.mkdir()
    shutil.copy(project / "tmkit.toml", root / "tmkit.toml")
    shutil.copytree(project / "source", root / "source")
    return root


def test_second_checkout_gets_the_first_ones_translations(project, runner, tmp_path, pg_server,
                                                          monkeypatch):
    monkeypatch.setenv("TMKIT_TM_URL", pg_server.new_database())
    first = project
    second = _checkout(tmp_path, "second", first)
    run_cli(runner, first, "extract")
    run_cli(runner, first, "update", "--lang", "es")
    po_path = first / "po" / "es" / "failed-back-syndrome.po"
    po = polib.pofile(str(po_path))
    translated = {}
    for number, entry in enumerate(po):
        if number % 2 == 0:
            entry.msgstr = translated[entry.msgid] = f"[es {number}] {entry.msgid}"
    po.save(str(po_path))
    run_cli(runner, first, "tm", "update")

    # the second checkout writes a new article sharing the seed's sentences
    shutil.copy(second / "source" / SEED.name, second / "source" / "new-article.txt")
    (second / "source" / SEED.name).unlink()
    run_cli(runner, second, "extract")
    run_cli(runner, second, "update", "--lang", "es")
    assert not (second / "po" / "es" / "failed-back-syndrome.po").exists()
    new = polib.pofile(str(second / "po" / "es" / "new-article.po"))
    filled = {e.msgid: e.msgstr for e in new if e.msgstr and not e.fuzzy}
    assert filled == translated
    assert all("from es/failed-back-syndrome#" in new.find(m).tcomment for m in translated)


def test_a_unit_written_from_one_checkout_is_found_from_another_in_one_command(
        project, runner, tmp_path, pg_server, monkeypatch):
    monkeypatch.setenv("TMKIT_TM_URL", pg_server.new_database())
    other = _checkout(tmp_path, "other", project)
    seed = tmp_path / "seed.tmx"
    seed.write_bytes(write_tmx([TMUnit(f"Seed sentence {i} about the spine.", f"Frase {i}.", "en",
                                       "es", "seed", f"b{i}") for i in range(300)], "en")[0])
    run_cli(runner, project, "tm", "import", str(seed))
    # the other checkout builds its local index cache...
    assert "fuzzy" in run_cli(runner, other, "tm", "lookup", "Seed sentence 7 about a spine.",
                              "--lang", "es").output
    assert list((other / ".tmkit" / "tm-cache").glob("*/en_es.idx"))
    # ...then the first checkout adds a unit, and the other's next command finds it (fuzzy)
    late = tmp_path / "late.tmx"
    late.write_bytes(write_tmx([TMUnit("Lumbar stenosis narrows the spinal canal.",
                                       "La estenosis lumbar estrecha el canal.", "en", "es",
                                       "late", "b1")], "en")[0])
    run_cli(runner, project, "tm", "import", str(late))
    found = json.loads(run_cli(runner, other, "tm", "lookup", "Lumbar stenosis narrows the canal.",
                               "--lang", "es", "--json").output)
    assert found and found[0]["target"] == "La estenosis lumbar estrecha el canal."


def test_four_imports_at_once_lose_no_unit(project, tmp_path, pg_server):
    url = pg_server.new_database()
    env = {**os.environ, "TMKIT_TM_URL": url}
    files, checkouts = [], []
    for worker in range(4):
        units = [TMUnit(f"Worker {worker} sentence {i} on back pain.", f"Obrero {worker} frase {i}.",
                        "en", "es", f"w{worker}", f"b{i}") for i in range(5000)]
        # and one sentence every worker brings, from a place of its own
        units.append(TMUnit("Shared sentence.", "Frase común.", "en", "es", f"w{worker}", "shared"))
        path = tmp_path / f"w{worker}.tmx"
        path.write_bytes(write_tmx(units, "en")[0])
        files.append(path)
        checkouts.append(_checkout(tmp_path, f"checkout{worker}", project))
    procs = [subprocess.Popen([sys.executable, "-m", "toolkit", "-C", str(root), "tm", "import",
                               str(path)], env=env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
             for root, path in zip(checkouts, files)]
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0, 0], outputs
    assert all("5001 units read" in out for out in outputs), outputs
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM units").fetchone()[0] == 20_001
        assert db.execute("SELECT count(*) FROM live_places").fetchone()[0] == 20_004
        assert db.execute("SELECT count FROM units WHERE source = 'Shared sentence.'").fetchone()[0] == 4
        assert db.execute("SELECT units FROM pairs").fetchone()[0] == 20_001
        ids = [r[0] for r in db.execute("SELECT id FROM units ORDER BY id")]
        assert len(set(ids)) == 20_001


def test_a_big_import_refreshes_the_planner_statistics(tmp_path, pg_server):
    """Right after a big import, lookups go through the indexes.

    Without fresh statistics (until autovacuum got to the tables) PostgreSQL read
    every unit of the pair per exact lookup (2.7 ms instead of 0.1 ms) and hashed
    every unit and current place to fetch a chunk's units (26 ms instead of 0.7 ms).
    """
    from toolkit.tm import TranslationMemory
    from toolkit.tm.normalize import norm_key
    from toolkit.tm.pgstore import ANALYZE_AFTER

    url = pg_server.new_database()
    sources = [f"Sentence number {i} about back pain." for i in range(ANALYZE_AFTER + 500)]
    with TranslationMemory.open(url, tmp_path / "cache") as tm:
        tm.add(TMUnit(s, f"Satz {i}", "en", "de") for i, s in enumerate(sources))
        assert [m.unit.target for m in tm.lookup_batch(sources[:3], "en", "de", 75, 1)[0]] == ["Satz 0"]
    with psycopg.connect(url, autocommit=True) as db:
        analysed = dict(db.execute("SELECT relname, last_analyze FROM pg_stat_user_tables "
                                   "WHERE relname IN ('units', 'live_places')").fetchall())
        plan = "\n".join(r[0] for r in db.execute(
            "EXPLAIN SELECT id FROM units u WHERE u.source_lang = 'en' AND u.target_lang = 'de' "
            "AND u.norm_key = ANY(%s)", ([norm_key(s) for s in sources[:32]],)))
    assert all(analysed.get(table) for table in ("units", "live_places")), analysed
    assert "units_norm" in plan, plan
