"""A server TM restored from an older backup, then written to again (ids reused).

Checkout X's local index cache and fed state describe the TM before the
restore; another checkout then imports units that take the ids X's cache
knows with other sentences.  X must never return or write a match whose
source is not the unit's, and its next ``tm update`` feeds again what the
restore lost.  Real server, real ``pg_dump``/``pg_restore`` and ``psql``.
"""

from __future__ import annotations

import json

import polib
import psycopg
import pytest

from tests.conftest import run_cli
from tests.test_tm_team import _checkout
from toolkit.tm import TMUnit
from toolkit.tm.match import score
from toolkit.tm.normalize import normalize
from toolkit.tm.tmx import write_tmx

OTHER = "Completely unrelated text number {} on nutrition, sleep and daily walks."


def _tmx(path, units):
    path.write_bytes(write_tmx(units, "en")[0])
    return path


def _server_pairs(url) -> set[tuple[str, str]]:
    with psycopg.connect(url) as db:
        return {(normalize(s), t) for s, t in db.execute("SELECT source, target FROM units")}


def _honest(matches, query, pairs) -> None:
    """Every match is a unit the server holds, scored against its own source."""
    for match in matches:
        assert (normalize(match["source"]), match["target"]) in pairs, match
        if match["exact"]:
            assert normalize(match["source"]) == normalize(query), match
        assert match["similarity"] == pytest.approx(score(normalize(query), normalize(match["source"]))[1], abs=0.06), match


def _restore_scenario(project, runner, tmp_path, pg_server, monkeypatch, restore):
    for tool in ("pg_dump", "pg_restore", "psql"):
        if not (pg_server.bindir / tool).exists():
            pytest.skip(f"no {tool} beside initdb in {pg_server.bindir}; install 'postgresql-client'")
    url = pg_server.new_database()
    monkeypatch.setenv("TMKIT_TM_URL", url)
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    po_path = project / "po" / "es" / "failed-back-syndrome.po"
    msgids = [e.msgid for e in polib.pofile(str(po_path)) if e.msgid]
    filler = [TMUnit(f"Filler sentence {i} about posture at the desk.", f"Relleno {i}.", "en", "es",
                     "filler", f"b{i}") for i in range(300)]
    run_cli(runner, project, "tm", "import", str(_tmx(tmp_path / "filler.tmx", filler)))
    dump = tmp_path / "tm.dump"
    restore("dump", url, dump)
    # after the backup: X imports the article's sentences and translates three entries itself
    article = [TMUnit(m, f"ARTICLE-TM {n}", "en", "es", "article-tm", f"b{n}") for n, m in enumerate(msgids)]
    run_cli(runner, project, "tm", "import", str(_tmx(tmp_path / "article.tmx", article)))
    po = polib.pofile(str(po_path))
    own = {}
    for entry in po:
        if entry.msgid in msgids[:3]:
            entry.msgstr = own[entry.msgid] = f"X-OWN {msgids.index(entry.msgid)}"
    po.save(str(po_path))
    run_cli(runner, project, "tm", "update", "--lang", "es")
    probe = msgids[5]
    found = json.loads(run_cli(runner, project, "tm", "lookup", probe, "--lang", "es", "--json").stdout)
    assert found[0]["target"] == "ARTICLE-TM 5"         # X's index cache now knows ids up to ~330
    assert list((project / ".tmkit" / "tm-cache").glob("*/en_es.idx"))

    restore("restore", url, dump)                        # back to 300 units; the id sequence too
    other = _checkout(tmp_path, "other", project)
    unrelated = [TMUnit(OTHER.format(j), f"OTRO {j}", "en", "es", "other", f"b{j}") for j in range(80)]
    run_cli(runner, other, "tm", "import", str(_tmx(tmp_path / "other.tmx", unrelated)))
    with psycopg.connect(url) as db:   # the ids X's cache holds for the article now name other units
        reused = db.execute("SELECT count(*) FROM units WHERE source LIKE 'Completely%%' AND id <= "
                            "300 + %s", (len(msgids),)).fetchone()[0]
    assert reused == len(msgids)

    # 1. the next tm update feeds again what the restore lost, and says so
    result = run_cli(runner, project, "tm", "update", "--lang", "es")
    assert "1 catalogs fed again (the TM had lost their units)" in result.stdout, result.output
    assert "fed them again: po/es/failed-back-syndrome.po" in result.stderr
    pairs = _server_pairs(url)
    assert {(normalize(s), t) for s, t in own.items()} <= pairs

    # 2. update's pre-fill: the stale cache is noticed and rebuilt, nothing wrong is written
    result = run_cli(runner, project, "update", "--lang", "es")
    assert "the local TM index did not match the TM" in result.stderr and "rebuilt" in result.stderr
    for entry in polib.pofile(str(po_path)):
        if entry.msgid in own:
            assert entry.msgstr == own[entry.msgid]
        else:
            assert not entry.msgstr.startswith(("OTRO", "ARTICLE-TM")), (entry.msgid, entry.msgstr)

    # 3. lookups answer what the server holds, scored against the units' own sources
    for query in (probe, msgids[0], OTHER.format(3)):
        matches = json.loads(run_cli(runner, project, "tm", "lookup", query, "--lang", "es",
                                     "--json").stdout)
        _honest(matches, query, pairs)
    assert json.loads(run_cli(runner, project, "tm", "lookup", probe, "--lang", "es", "--json").stdout) == []
    mine = json.loads(run_cli(runner, project, "tm", "lookup", msgids[0], "--lang", "es", "--json").stdout)
    assert mine[0]["exact"] and mine[0]["target"] == own[msgids[0]]


def test_restore_with_pg_dump_and_pg_restore_then_reused_ids(project, runner, tmp_path, pg_server,
                                                             monkeypatch):
    def restore(step, url, dump):
        if step == "dump":
            pg_server.tool("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={url}")
        else:
            pg_server.tool("pg_restore", "--clean", "--if-exists", "--single-transaction",
                           f"--dbname={url}", str(dump))

    _restore_scenario(project, runner, tmp_path, pg_server, monkeypatch, restore)


def test_restore_of_a_plain_dump_with_psql_then_reused_ids(project, runner, tmp_path, pg_server,
                                                           monkeypatch):
    def restore(step, url, dump):
        if step == "dump":
            pg_server.tool("pg_dump", "--format=plain", "--clean", "--if-exists", f"--file={dump}",
                           f"--dbname={url}")
        else:
            pg_server.tool("psql", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
                           f"--file={dump}", f"--dbname={url}")

    _restore_scenario(project, runner, tmp_path, pg_server, monkeypatch, restore)


def test_a_unit_whose_source_changed_behind_tmkit_is_not_offered(tmp_path, pg_server):
    """The second guard: a cached source that is not the server's unit's is never returned.

    A source is edited in the database directly (no checkpoint changes), so the
    cache passes its checkpoint test; the match is checked against the unit the
    server returns, dropped, the cache rebuilt and the lookup answered again.
    """
    from toolkit.errors import TmkitWarning
    from toolkit.tm import TranslationMemory

    url = pg_server.new_database()
    cache = tmp_path / "cache"
    sentences = [f"Sentence number {i} about the lower back and the knees." for i in range(200)]
    with TranslationMemory.open(url, cache) as tm:
        tm.add(TMUnit(s, f"Frase {i}", "en", "es", "a", f"b{i}") for i, s in enumerate(sentences))
        assert tm.lookup(sentences[7] + " Today.", "en", "es")[0].unit.target == "Frase 7"
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE units SET source = 'A sentence nobody asked about, on nutrition.' "
                   "WHERE target = 'Frase 7'")
    with TranslationMemory.open(url, cache) as tm, pytest.warns(TmkitWarning, match="rebuilt"):
        matches = tm.lookup(sentences[7] + " Today.", "en", "es")
    assert "Frase 7" not in [m.unit.target for m in matches]
    assert all(score(normalize(sentences[7] + " Today."), normalize(m.unit.source)) for m in matches)


def test_a_sqlite_tm_restored_from_an_older_copy(tmp_path):
    """The same guard for the file TM: its index beside the file is a cache too."""
    import shutil

    from toolkit.errors import TmkitWarning
    from toolkit.tm import TranslationMemory

    path, backup = tmp_path / "tm.sqlite", tmp_path / "backup.sqlite"
    article = [f"Article sentence {i} on the sciatic nerve and the lumbar discs." for i in range(40)]
    with TranslationMemory.open(path) as tm:
        tm.add(TMUnit(f"Filler sentence {i} about posture at the desk.", f"Relleno {i}.", "en", "es",
                      "filler", f"b{i}") for i in range(300))
    shutil.copy(path, backup)                 # closed: the WAL is checkpointed into the file
    with TranslationMemory.open(path) as tm:
        tm.add(TMUnit(s, f"ARTICLE {i}", "en", "es", "article", f"b{i}") for i, s in enumerate(article))
        assert tm.lookup(article[5] + " Again.", "en", "es")[0].unit.target == "ARTICLE 5"
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copy(backup, path)
    with TranslationMemory.open(path) as tm:
        tm.add(TMUnit(OTHER.format(j), f"OTRO {j}", "en", "es", "other", f"b{j}") for j in range(80))
    with TranslationMemory.open(path) as tm, pytest.warns(TmkitWarning, match="did not match the TM"):
        matches = tm.lookup(article[5] + " Again.", "en", "es")
        pairs = {(normalize(u.source), u.target) for u in tm.units()}
    assert not [m for m in matches if m.unit.target.startswith(("OTRO", "ARTICLE"))]
    assert all((normalize(m.unit.source), m.unit.target) in pairs for m in matches)
