"""Revisions supersede: current vs history translations per place, on both backends."""

from __future__ import annotations

import json
import shutil
import sqlite3

import polib
import pytest
from lxml import etree

from tests.conftest import SEED, run_cli
from tests.tm_helpers import FOOTER, write_po
from toolkit.project.config import load_config
from toolkit.tm import TMUnit, TranslationMemory
from toolkit.tm.feed import feed_project
from toolkit.tm.tmx import export_tmx, import_tmx

OLD, NEW = "Socios educativos", "Colaboradores educativos"
SENTENCE = "Educational Partners"


def _unit(target, article="a", segment="b1", **kw):
    return TMUnit(SENTENCE, target, "en", "es", article, segment, **kw)


def test_a_new_translation_at_a_place_supersedes_the_old_one(tm_backend):
    with tm_backend.open() as tm:
        tm.add([_unit(OLD, changed="2026-11-01T00:00:00Z", created="2026-11-01T00:00:00Z")])
        result = tm.add([_unit(NEW, changed="2026-11-20T00:00:00Z")])
        assert (result.added, result.revised) == (1, 1)
        units = {u.target: u for u in tm.units("en", "es")}
        assert units[NEW].current and not units[OLD].current
        assert units[OLD].superseded and not units[NEW].superseded
        # history keeps its dates
        assert (units[OLD].created, units[OLD].changed) == ("2026-11-01T00:00:00Z",) * 2
        # never offered while a current one exists: exact or fuzzy
        assert [m.unit.target for m in tm.lookup(SENTENCE, "en", "es")] == [NEW]
        assert [m.unit.target for m in tm.lookup("Educational partners!", "en", "es")] == [NEW]
        # going back to the old translation makes it current again
        assert tm.add([_unit(OLD, changed="2026-11-21T00:00:00Z")]).revised == 1
        assert [m.unit.target for m in tm.lookup(SENTENCE, "en", "es")] == [OLD]


def test_an_import_never_replaces_a_newer_translation(tm_backend):
    with tm_backend.open() as tm:
        tm.add([_unit(NEW, changed="2026-11-20T00:00:00Z")])
        assert tm.add([_unit(OLD, changed="2026-01-01T00:00:00Z")]).revised == 0
        assert [m.unit.target for m in tm.lookup(SENTENCE, "en", "es")] == [NEW]
        # a catalog is the truth whatever its date
        assert tm.add([_unit(OLD, changed="2026-01-01T00:00:00Z")], ("en", "es", "a")).revised == 1
        assert [m.unit.target for m in tm.lookup(SENTENCE, "en", "es")] == [OLD]


def test_units_without_a_segment_never_replace_each_other(tm_backend):
    with tm_backend.open() as tm:
        tm.add([_unit(OLD, "compendium.po", ""), _unit(NEW, "compendium.po", "")])
        assert all(u.current for u in tm.units())
        assert len(tm.conflicts("en", "es")) == 1


@pytest.mark.parametrize("how", ["emptied", "fuzzy", "obsolete"])
def test_a_translation_deleted_from_its_catalog_stops_being_current(project, tm_backend, how):
    write_po(project, "es", "a", [(SENTENCE, OLD), ("Back pain.", "Dolor de espalda.")])
    config = load_config(project)
    with TranslationMemory.open(config.tm_location, tm_backend.index_dir) as tm:
        feed_project(config, tm)
        po_path = config.po_file("es", "a")
        po = polib.pofile(str(po_path))
        entry = po.find(SENTENCE)
        if how == "emptied":
            entry.msgstr = ""
        elif how == "fuzzy":
            entry.flags.append("fuzzy")
        else:
            entry.obsolete = True
        po.save(str(po_path))
        assert feed_project(config, tm)["es"].withdrawn == 1
        [unit] = tm.store.exact("en", "es", SENTENCE)
        assert not unit.current and not unit.superseded
        # no current translation left: the history one may still help, ranked as history
        [match] = tm.lookup(SENTENCE, "en", "es")
        assert match.unit.target == OLD and not match.unit.current
        assert tm.conflicts("en", "es") == []
        assert [u.target for u in tm.units("en", "es", history=False)] == ["Dolor de espalda."]


def _ranked(tm, query="Back pain is common."):
    return [m.unit.target for m in tm.lookup(query, "en", "es", min_score=50, limit=10)]


def test_ranking_among_equal_scores(tm_backend):
    """Current before history, then reviewed, then most recently changed, then most used."""
    with tm_backend.open() as tm:
        # equal scores: each source differs from the query by one letter at the end
        tm.add([TMUnit("Back pain is commonA.", "history", "en", "es", "gone", "b1",
                       changed="2026-11-29T00:00:00Z")], ("en", "es", "gone"))
        tm.add([], ("en", "es", "gone"))     # the catalog no longer has it: history
        tm.add([TMUnit("Back pain is commonB.", "old-used", "en", "es", "x", "b1",
                       changed="2026-11-01T00:00:00Z"),
                TMUnit("Back pain is commonB.", "old-used", "en", "es", "y", "b1",
                       changed="2026-11-01T00:00:00Z"),
                TMUnit("Back pain is commonC.", "old-once", "en", "es", "z", "b1",
                       changed="2026-11-01T00:00:00Z"),
                TMUnit("Back pain is commonD.", "newer", "en", "es", "w", "b1",
                       changed="2026-11-10T00:00:00Z"),
                TMUnit("Back pain is commonE.", "reviewed-old", "en", "es", "v", "b1",
                       status="reviewed", changed="2026-10-01T00:00:00Z")])
        ranked = _ranked(tm)
        assert ranked == ["reviewed-old", "newer", "old-used", "old-once", "history"]
        scores = {m.score for m in tm.lookup("Back pain is common.", "en", "es", 50, 10)}
        assert len(scores) == 1


def test_conflicts_list_only_different_current_translations(tm_backend):
    with tm_backend.open() as tm:
        tm.add([_unit(OLD, "a")])
        tm.add([_unit(NEW, "a")])                 # a revision: not a conflict
        assert tm.conflicts("en", "es") == []
        tm.add([_unit(OLD, "b")])                 # another article still says the old one
        [conflict] = tm.conflicts("en", "es")
        assert sorted(u.target for u in conflict.units) == sorted([NEW, OLD])
        assert all(u.current for u in conflict.units)
        tm.add([_unit(NEW, "b")])                 # settled
        assert tm.conflicts("en", "es") == []


def test_tmx_export_has_history_only_when_asked(tm_backend, tmp_path):
    with tm_backend.open() as tm:
        tm.add([_unit(OLD, changed="2026-11-01T00:00:00Z")])
        tm.add([_unit(NEW, changed="2026-11-20T00:00:00Z")])
        assert export_tmx(tm, tmp_path / "now.tmx", "en").units == 1
        assert export_tmx(tm, tmp_path / "all.tmx", "en", history=True).units == 2
    now = etree.parse(str(tmp_path / "now.tmx"))
    assert now.xpath("//tuv[@xml:lang='es']/seg/text()") == [NEW]
    full = etree.parse(str(tmp_path / "all.tmx"))
    states = {tu.xpath("string(tuv[2]/seg)"): tu.xpath("string(prop[@type='x-tmkit-state'])")
              for tu in full.xpath("//tu")}
    assert states == {OLD: "history", NEW: ""}
    with TranslationMemory.open(tmp_path / "copy.sqlite") as copy:
        import_tmx(copy, tmp_path / "all.tmx")
        kept = {u.target: (u.current, u.changed) for u in copy.units()}
        assert kept == {OLD: (False, "2026-11-01T00:00:00Z"), NEW: (True, "2026-11-20T00:00:00Z")}


_V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units (id INTEGER PRIMARY KEY, pair_key INTEGER NOT NULL UNIQUE,
    norm_key INTEGER NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL, article TEXT NOT NULL, segment TEXT NOT NULL,
    translator TEXT NOT NULL, status TEXT NOT NULL, count INTEGER NOT NULL,
    created TEXT NOT NULL, changed TEXT NOT NULL);
CREATE INDEX units_norm ON units (source_lang, target_lang, norm_key);
CREATE TABLE places (unit_id INTEGER NOT NULL, place TEXT NOT NULL,
    PRIMARY KEY (unit_id, place)) WITHOUT ROWID;
CREATE TABLE pairs (source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    max_id INTEGER NOT NULL, units INTEGER NOT NULL,
    PRIMARY KEY (source_lang, target_lang)) WITHOUT ROWID;
"""


def _version1_tm(path):
    """A TM as tmkit's schema 1 wrote it, in the state the issue found: both at one place."""
    from toolkit.tm.normalize import norm_key, pair_key
    db = sqlite3.connect(path)
    db.executescript(_V1_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema', '1'), ('tm_id', 'abc')")
    for uid, target, changed in ((1, OLD, "2026-11-01T00:00:00Z"), (2, NEW, "2026-11-20T00:00:00Z")):
        db.execute("INSERT INTO units VALUES (?, ?, ?, 'en', 'es', ?, ?, 'fbs', 'b5', '', "
                   "'translated', 1, ?, ?)",
                   (uid, pair_key("en", "es", SENTENCE, target), norm_key(SENTENCE), SENTENCE,
                    target, changed, changed))
        db.execute("INSERT INTO places VALUES (?, 'fbs#b5')", (uid,))
    db.execute("INSERT INTO pairs VALUES ('en', 'es', 2, 2)")
    db.commit()
    db.close()


def test_a_version_1_sqlite_tm_is_migrated(tmp_path):
    path = tmp_path / "tm.sqlite"
    _version1_tm(path)
    with TranslationMemory.open(path) as tm:
        assert tm.store.schema_version() == 3
        assert tm.store.identity() == "abc"
        assert {u.target: u.current for u in tm.units()} == {OLD: False, NEW: True}
        assert [m.unit.target for m in tm.lookup(SENTENCE, "en", "es")] == [NEW]
        assert tm.conflicts("en", "es") == []
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [(1,), (2,), (3,)]
    assert db.execute("SELECT count(*) FROM meta WHERE key = 'schema'").fetchone() == (0,)


def test_tm_migrate_command_reports_the_version(project, runner, tm_backend):
    result = run_cli(runner, project, "tm", "migrate")
    assert result.output.strip().endswith("TM schema version 3")
    if tm_backend.name == "postgresql":
        assert "s3cret" not in result.output and "***@127.0.0.1" in result.output


def _revise(path, sentence, new):
    po = polib.pofile(str(path))
    po.find(sentence).msgstr = new
    po.save(str(path))


def test_issue_scenario_revision_reaches_a_new_article(project, runner, tm_backend):
    """Revise, `tm update`, add an article sharing the sentence: `update` pre-fills the
    revision and `tm lookup` shows it first (the issue's scenario, through the CLI)."""
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    seed_po = project / "po" / "es" / "failed-back-syndrome.po"
    po = polib.pofile(str(seed_po))
    footer = next(e for e in po if e.msgid.startswith(FOOTER[:30]))
    partners = po.find(SENTENCE)
    footer.msgstr, partners.msgstr = "Pie de página antiguo.", OLD
    po.save(str(seed_po))
    assert "es: 2 new units" in run_cli(runner, project, "tm", "update").output
    _revise(seed_po, SENTENCE, NEW)
    _revise(seed_po, footer.msgid, "Pie de página revisado.")
    assert "es: 2 new units, 0 seen in new places, 0 unchanged, 2 revised" in run_cli(
        runner, project, "tm", "update").output
    assert "0 source(s)" in run_cli(runner, project, "tm", "conflicts", "--lang", "es").output
    shutil.copy(project / "source" / SEED.name, project / "source" / "copy.txt")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    copy = polib.pofile(str(project / "po" / "es" / "copy.po"))
    assert copy.find(SENTENCE).msgstr == NEW and not copy.find(SENTENCE).fuzzy
    assert copy.find(footer.msgid).msgstr == "Pie de página revisado."
    found = json.loads(run_cli(runner, project, "tm", "lookup", SENTENCE, "--lang", "es",
                               "--json").output)
    assert found[0]["target"] == NEW and found[0]["current"]
    assert OLD not in [m["target"] for m in found]
    text = run_cli(runner, project, "tm", "lookup", SENTENCE, "--lang", "es").output
    assert NEW in text and OLD not in text
    # the old translations are exported only with --history
    out = project.parent / "es.tmx"
    current = run_cli(runner, project, "tm", "export", "--lang", "es", "-o", str(out)).output
    full = run_cli(runner, project, "tm", "export", "--lang", "es", "--history", "-o", str(out)).output
    assert int(full.split(": ")[1].split()[0]) == int(current.split(": ")[1].split()[0]) + 2
    assert OLD in out.read_text(encoding="utf-8")
