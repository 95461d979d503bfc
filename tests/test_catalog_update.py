"""The merge rules of ``update`` at the library level (what msgmerge would do, article-aware)."""

from __future__ import annotations

import polib

from toolkit.catalog.pofile import format_po, parse_po
from toolkit.catalog.update import merge_catalog, merge_entries
from toolkit.text.languages import get_language


def pot_of(*texts: str) -> list[polib.POEntry]:
    return [polib.POEntry(msgid=t, msgstr="", comment=f"id: b{i}", occurrences=[("source/a.txt", str(i))])
            for i, t in enumerate(texts, 1)]


def old_of(*pairs: tuple[str, str]) -> list[polib.POEntry]:
    return [polib.POEntry(msgid=m, msgstr=s) for m, s in pairs]


def test_unchanged_entries_keep_translation_flags_and_comments():
    old = old_of(("Home", "Inicio"), ("Back pain", "Dolor de espalda"))
    old[1].flags = ["fuzzy"]
    old[1].tcomment = "check with the doctor"
    entries, counts = merge_entries(pot_of("Home", "Back pain"), old)
    assert [(e.msgstr, e.flags, e.tcomment) for e in entries] == [
        ("Inicio", [], ""), ("Dolor de espalda", ["fuzzy"], "check with the doctor")]
    assert (counts.kept, counts.fuzzy, counts.added, counts.obsolete) == (2, 0, 0, 0)
    assert entries[0].comment == "id: b1" and entries[0].occurrences == [("source/a.txt", "1")]


def test_changed_entry_borrows_closest_translation_as_fuzzy():
    old = old_of(("Smoking is a risk for poor recovery.", "Fumar es un riesgo."), ("Home", "Inicio"))
    entries, counts = merge_entries(pot_of("Home", "Smoking is a major risk for poor recovery."), old)
    changed = entries[1]
    assert changed.flags == ["fuzzy"] and changed.msgstr == "Fumar es un riesgo."
    assert changed.previous_msgid == "Smoking is a risk for poor recovery."
    assert (counts.kept, counts.fuzzy, counts.added, counts.obsolete) == (1, 1, 0, 0)


def test_unrelated_new_text_is_added_and_empty_old_entries_are_not_offered():
    old = old_of(("Smoking is a risk for poor recovery.", ""), ("Home", "Inicio"))
    entries, counts = merge_entries(pot_of("Home", "Smoking is a major risk for poor recovery.",
                                           "Completely different words here."), old)
    assert [e.flags for e in entries] == [[], [], []]
    assert (counts.kept, counts.fuzzy, counts.added, counts.obsolete) == (1, 0, 2, 0)


def test_position_breaks_ties_between_equally_similar_translations():
    old = old_of(("Pain in the legs!", "first"), ("A", "a"), ("B", "b"), ("Pain in the legs?", "fourth"))
    entries, _ = merge_entries(pot_of("A", "B", "C", "Pain in the legs."), old)
    assert entries[3].msgstr == "fourth"


def test_removed_translated_entry_becomes_obsolete_forever():
    old = old_of(("Home", "Inicio"), ("Gone sentence.", "Frase ida."))
    old[1].tcomment = "keep"
    entries, counts = merge_entries(pot_of("Home"), old)
    assert counts.obsolete == 1
    gone = entries[-1]
    assert gone.obsolete and gone.msgstr == "Frase ida." and gone.tcomment == "keep"
    # The next update keeps it, without counting it again.
    again, counts = merge_entries(pot_of("Home"), entries)
    assert [e.msgid for e in again if e.obsolete] == ["Gone sentence."] and counts.obsolete == 0


def test_already_fuzzy_entry_keeps_the_english_it_was_made_for():
    old = old_of(("Pain after surgery in the back.", "Dolor tras la cirugía."))
    old[0].flags = ["fuzzy"]
    old[0].previous_msgid = "Pain after surgery."
    entries, counts = merge_entries(pot_of("Pain after surgery in the lower back."), old)
    assert entries[0].previous_msgid == "Pain after surgery." and counts.fuzzy == 1


def test_header_keeps_translator_fields_and_sets_language_fields():
    pot = polib.POFile()
    pot.metadata = {"Project-Id-Version": "p", "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
                    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>", "Language": "",
                    "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    pot.append(polib.POEntry(msgid="Home", msgstr=""))
    old = polib.POFile()
    old.header = "Demo translation, do not publish."
    old.metadata = {"Last-Translator": "Li <li@example.org>", "PO-Revision-Date": "2026-01-02 03:04+0000",
                    "X-Poedit-Basepath": "."}
    po, _ = merge_catalog(pot, old, get_language("zh-Hans"))
    assert po.header == "Demo translation, do not publish."
    assert po.metadata["Last-Translator"] == "Li <li@example.org>"
    assert po.metadata["PO-Revision-Date"] == "2026-01-02 03:04+0000"
    assert po.metadata["X-Poedit-Basepath"] == "."
    assert po.metadata["Language"] == "zh_Hans" and po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert parse_po(format_po(po)).metadata == po.metadata


def test_layout_only_change_keeps_the_revision_date():
    from toolkit.catalog.update import render_updated

    po = polib.POFile(wrapwidth=78)
    po.metadata = {"PO-Revision-Date": "2026-01-02 03:04+0000", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Long " * 30, msgstr="Largo y mucho más largo que el original " * 4))
    polib_text = str(po) + "\n"                  # polib wraps differently from gettext
    old = parse_po(polib_text)
    new, _ = merge_catalog(old, old, get_language("es"))
    text = render_updated(new, polib_text, old)
    assert text != polib_text and "2026-01-02 03:04+0000" in text
    new.append(polib.POEntry(msgid="Added", msgstr=""))
    assert "2026-01-02 03:04+0000" not in render_updated(new, polib_text, old)
