"""The TM end to end through the CLI: update, lookup, pretranslate, conflicts, import/export."""

from __future__ import annotations

import json

import polib
import pytest

from tests.conftest import run_cli
from tests.tm_helpers import EDITED, FOOTER, FOOTER_ES, SEED_FIRST, SEED_FIRST_ES, write_po

pytestmark = pytest.mark.usefixtures("tm_backend")   # every test on SQLite and PostgreSQL


@pytest.fixture
def fed(project, runner):
    write_po(project, "es", "failed-back-syndrome",
             [(SEED_FIRST, SEED_FIRST_ES), (FOOTER, FOOTER_ES),
              ("Smoking is a risk for poor recovery.", "Fumar es un riesgo.", ["fuzzy"])])
    result = run_cli(runner, project, "tm", "update")
    assert "es: 2 new units" in result.output
    return project


def test_lookup_of_edited_seed_sentence_is_fuzzy_88(fed, runner):
    result = run_cli(runner, fed, "tm", "lookup", EDITED, "--lang", "es", "--json")
    matches = json.loads(result.output)
    assert len(matches) == 1
    best = matches[0]
    assert best["target"] == SEED_FIRST_ES and not best["exact"]
    assert 86 <= best["score"] <= 90
    assert best["origin"] == "es/failed-back-syndrome#b1.s1"
    assert best["translator"] == "Ana <ana@example.org>"
    text = run_cli(runner, fed, "tm", "lookup", EDITED, "--lang", "es").output
    assert "87.5% fuzzy  es/failed-back-syndrome#b1.s1" in text and SEED_FIRST_ES in text


def test_fuzzy_entries_never_enter_the_tm(fed, runner):
    result = run_cli(runner, fed, "tm", "lookup", "Smoking is a risk for poor recovery.",
                     "--lang", "es", "--json")
    assert json.loads(result.output) == []


def test_update_is_idempotent_and_counts_places(fed, runner):
    assert "es: 0 new units, 0 seen in new places, 2 unchanged" in run_cli(
        runner, fed, "tm", "update").output
    write_po(fed, "es", "second", [(FOOTER, FOOTER_ES)])
    assert "es: 0 new units, 1 seen in new places" in run_cli(runner, fed, "tm", "update").output
    best = json.loads(run_cli(runner, fed, "tm", "lookup", FOOTER, "--lang", "es",
                              "--json").output)[0]
    assert best["exact"] and best["count"] == 2


def test_pretranslate_fills_exact_and_fuzzy_without_overwriting(fed, runner):
    path = write_po(fed, "es", "second", [(FOOTER, ""), (EDITED, ""), ("Untouched.", "Mía."),
                                          ("Nothing like this sentence exists.", "")])
    result = run_cli(runner, fed, "tm", "pretranslate", "--lang", "es")
    assert "es: 1 tm exact, 1 tm fuzzy" in result.output
    po = polib.pofile(str(path))
    footer, edited, mine, other = list(po)
    assert footer.msgstr == FOOTER_ES and not footer.fuzzy
    assert "tmkit-tm: 100% (exact) from es/failed-back-syndrome#b2.s1" in footer.tcomment
    assert edited.msgstr == SEED_FIRST_ES and edited.fuzzy
    assert edited.previous_msgid == SEED_FIRST
    assert "tmkit-tm: 88% from es/failed-back-syndrome#b1.s1" in edited.tcomment
    assert mine.msgstr == "Mía." and other.msgstr == "" and not other.tcomment


def test_comment_mode_keeps_msgstr_empty(fed, runner):
    config = fed / "tmkit.toml"
    config.write_text(config.read_text().replace('prefill = "fuzzy"', 'prefill = "comment"'))
    path = write_po(fed, "es", "second", [(EDITED, "")])
    for _ in range(2):   # a second run replaces its comment instead of adding another
        assert "1 tm suggested" in run_cli(runner, fed, "tm", "pretranslate").output
    entry = polib.pofile(str(path))[0]
    assert entry.msgstr == "" and not entry.fuzzy
    assert " ".join(entry.tcomment.splitlines()) == (
        f"tmkit-tm: 88% from es/failed-back-syndrome#b1.s1: {SEED_FIRST_ES}")


def test_conflicts_lists_sources_with_two_translations(fed, runner):
    write_po(fed, "es", "second", [(FOOTER, "Otra traducción del pie de página.")])
    run_cli(runner, fed, "tm", "update")
    result = json.loads(run_cli(runner, fed, "tm", "conflicts", "--lang", "es", "--json").output)
    assert [c["source"] for c in result] == [FOOTER]
    assert {t["target"] for t in result[0]["translations"]} == {
        FOOTER_ES, "Otra traducción del pie de página."}


def test_export_then_import_into_another_project(fed, runner, tmp_path, tm_backend, request, monkeypatch):
    out = tmp_path / "es.tmx"
    assert "2 units" in run_cli(runner, fed, "tm", "export", "--lang", "es", "-o", str(out)).output
    if tm_backend.name == "postgresql":      # the other project has a TM of its own
        monkeypatch.setenv("TMKIT_TM_URL", request.getfixturevalue("pg_server").new_database())
    other = tmp_path / "other"
    other.mkdir()
    (other / "tmkit.toml").write_text((fed / "tmkit.toml").read_text())
    result = run_cli(runner, other, "tm", "import", str(out))
    assert "2 units read, 2 new" in result.output
    best = json.loads(run_cli(runner, other, "tm", "lookup", SEED_FIRST, "--lang", "es",
                              "--json").output)[0]
    assert best["exact"] and best["origin"] == "es/failed-back-syndrome#b1.s1"


def test_import_po_compendium(project, runner, tmp_path):
    path = write_po(tmp_path, "fr", "compendium", [("Back pain.", "Mal de dos.")])
    assert "1 new" in run_cli(runner, project, "tm", "import", str(path)).output
    best = json.loads(run_cli(runner, project, "tm", "lookup", "Back pain.", "--lang", "fr",
                              "--json").output)[0]
    assert best["target"] == "Mal de dos." and best["origin"] == "fr/compendium.po#b1.s1"


def test_errors_are_one_line(project, runner, tmp_path, tm_backend):
    if tm_backend.name == "sqlite":          # a server TM is created on first use
        result = run_cli(runner, project, "tm", "lookup", "x", "--lang", "es", expect=2)
        assert "no translation memory yet" in result.output
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><body><tu>\n</tmx>')
    result = run_cli(runner, project, "tm", "import", str(bad), expect=2)
    assert result.output.startswith(f"tmkit: error: {bad}:3: not well-formed XML")
    assert "Traceback" not in result.output


def test_pretranslate_fills_again_a_catalog_saved_while_it_ran(fed, runner, monkeypatch):
    from toolkit.tm import pretranslate

    path = write_po(fed, "es", "second", [(FOOTER, ""), (EDITED, ""), ("Untouched.", "Mía.")])
    real = pretranslate.prefill_catalogs
    calls = []

    def apply_then_save(*args):
        results = real(*args)
        if not calls:      # the translator saves while the TM lookups run
            saved = polib.pofile(str(path))
            saved[2].msgstr = "Mía, guardada."
            saved.save(str(path) + ".new")
            path.with_name("second.po.new").replace(path)
        calls.append(args)
        return results

    monkeypatch.setattr(pretranslate, "prefill_catalogs", apply_then_save)
    result = run_cli(runner, fed, "tm", "pretranslate", "--lang", "es")
    assert "merged again po/es/second.po: saved by someone while tmkit ran" in result.output
    assert "es: 1 tm exact, 1 tm fuzzy" in result.output          # counted once, from the last fill
    footer, edited, mine = list(polib.pofile(str(path)))
    assert mine.msgstr == "Mía, guardada."                         # the save survived
    assert footer.msgstr == FOOTER_ES and edited.msgstr == SEED_FIRST_ES   # and was filled
