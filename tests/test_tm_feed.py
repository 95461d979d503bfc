"""What enters the TM from PO files: finished entries only, with translator and status."""

from __future__ import annotations

import polib
import pytest

from toolkit.errors import CatalogError
from toolkit.catalog.pofile import read_po
from toolkit.tm.feed import import_po, po_units
from toolkit.tm.memory import TranslationMemory
from tests.tm_helpers import write_po


def test_only_finished_singular_entries_with_status_and_translator(tmp_path):
    path = write_po(tmp_path, "de", "a", [
        ("Done.", "Fertig."),
        ("Checked.", "Geprüft.", [], "reviewed by Jonas"),
        ("Flagged.", "Markiert.", ["reviewed"]),
        ("Guess.", "Vermutung.", ["fuzzy"]),
        ("Empty.", ""),
    ], translator="FULL NAME <EMAIL@ADDRESS>")
    po = read_po(path)
    po.append(polib.POEntry(msgid="Old.", msgstr="Alt.", obsolete=True))
    po.append(polib.POEntry(msgid="%d file", msgid_plural="%d files",
                            msgstr_plural={0: "%d Datei", 1: "%d Dateien"}))
    units = po_units(po, "en", "de", "a")
    assert [(u.source, u.status, u.segment) for u in units] == [
        ("Done.", "translated", "b1.s1"), ("Checked.", "reviewed", "b2.s1"),
        ("Flagged.", "reviewed", "b3.s1")]
    assert {u.translator for u in units} == {""}
    assert {u.created for u in units} == {"2026-11-20T09:00:00Z"}


def test_po_without_language_needs_lang(tmp_path, tm_backend):
    path = tmp_path / "compendium.po"
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Back.", msgstr="Espalda."))
    po.save(str(path))
    with tm_backend.open() as tm:
        with pytest.raises(CatalogError, match="no Language header"):
            import_po(tm, path, "en")
        assert import_po(tm, path, "en", "pt_br").added == 1
        assert tm.pairs() == [("en", "pt-BR", 1)]


def test_broken_po_is_one_line_error_with_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nthis is not PO\n')
    with pytest.raises(CatalogError) as caught:
        read_po(path)
    assert (caught.value.path, caught.value.line) == (str(path), 4)


def test_feed_skips_po_files_unchanged_since_they_were_fed(project, monkeypatch):
    from toolkit.project.config import load_config
    from toolkit.tm import feed

    config = load_config(project)
    write_po(project, "es", "a", [("Done.", "Hecho.")])
    write_po(project, "fr", "a", [("Done.", "Fait.")])
    parsed = []
    real = feed.parse_po_bytes
    monkeypatch.setattr(feed, "parse_po_bytes", lambda data, shown: parsed.append(shown) or real(data, shown))
    with TranslationMemory.open(config.tm_path) as tm:
        first = feed.feed_project(config, tm)
        assert sorted(parsed) == ["po/es/a.po", "po/fr/a.po"] and first["es"].added == 1
        second = feed.feed_project(config, tm)
        assert len(parsed) == 2 and second["es"].unchanged == 1 and second["es"].added == 0
        write_po(project, "es", "a", [("Done.", "Terminado.")])
        third = feed.feed_project(config, tm)
        assert parsed[2:] == ["po/es/a.po"] and third["es"].added == 1
    # A new TM (another identity) is fed everything again.
    config.tm_path.unlink()
    with TranslationMemory.open(config.tm_path) as tm:
        assert feed.feed_project(config, tm)["fr"].added == 1
