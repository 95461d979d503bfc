"""A cleared translation stays cleared (issue 20), on SQLite and on the real PostgreSQL server.

A translator clears (or makes fuzzy) a wrong French translation and saves the
way Poedit does: the whole file written to a temporary file, then renamed
over the PO.  The next ``tmkit update`` (and ``tmkit tm pretranslate``)
withdraws it from the TM before pre-filling and never fills the entry with
it again; ``tmkit tm export --history`` still has it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from tests.conftest import clone_demo, run_cli

SLUG = "failed-back-syndrome"
FR = f"po/fr/{SLUG}.po"
SENTENCE = "Smoking is a risk for poor recovery from such an operation."
WRONG = "Le tabagisme est un facteur de risque de mauvaise récupération après ce type d'intervention."


@pytest.fixture
def demo(tmp_path: Path, tm_backend) -> Path:
    """The demo project (settings, article, PO files) with its TM on ``tm_backend``."""
    return clone_demo(tmp_path / "demo")


def poedit_save(path: Path, po: polib.POFile) -> None:
    """Save as Poedit does: write a temporary file beside it, then rename it over the PO."""
    temp = path.with_name(path.name + ".temp~")
    temp.write_text(po.__unicode__() + "\n", encoding="utf-8")
    os.replace(temp, path)


def _entry(root: Path) -> polib.POEntry:
    return polib.pofile(str(root / FR)).find(SENTENCE)


def _take_back(root: Path, how: str) -> None:
    path = root / FR
    po = polib.pofile(str(path), wrapwidth=79)
    entry = po.find(SENTENCE)
    assert entry.msgstr == WRONG and "fuzzy" not in entry.flags
    if how == "cleared":
        entry.msgstr = ""
    else:
        entry.flags.append("fuzzy")
    poedit_save(path, po)


def _history(runner, root: Path, tmp: Path) -> dict[str, str]:
    """French target -> x-tmkit-state of ``tm export --history`` for the sentence."""
    out = tmp / "history.tmx"
    run_cli(runner, root, "tm", "export", "--history", "--lang", "fr", "-o", str(out))
    tree = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True))
    found = {}
    for tu in tree.xpath("//tu"):
        if tu.xpath("string(tuv[1]/seg)") == SENTENCE:
            found[tu.xpath("string(tuv[2]/seg)")] = tu.xpath("string(prop[@type='x-tmkit-state'])")
    return found


@pytest.mark.parametrize("how", ["cleared", "fuzzy"])
def test_a_translation_taken_back_is_not_filled_again(runner, demo, tmp_path, tm_backend, how):
    run_cli(runner, demo, "update")                       # the TM learns the demo's translations
    assert _history(runner, demo, tmp_path) == {WRONG: ""}
    _take_back(demo, how)

    out = run_cli(runner, demo, "update").output
    entry = _entry(demo)
    if how == "cleared":
        assert entry.msgstr == "" and "fuzzy" not in entry.flags
        assert "tmkit-tm" not in (entry.tcomment or "")
    else:                                                # left as the translator left it
        assert entry.msgstr == WRONG and "fuzzy" in entry.flags
    fr = [line.split() for line in out.splitlines() if line.startswith("fr ")][0]
    assert fr[5] == "0"                                  # tm-exact: nothing filled from the TM
    # withdrawn, and kept as history
    assert _history(runner, demo, tmp_path) == {WRONG: "history"}

    # a second update, and tm pretranslate, leave it alone too
    run_cli(runner, demo, "update")
    run_cli(runner, demo, "tm", "pretranslate", "--lang", "fr")
    again = _entry(demo)
    assert (again.msgstr, again.flags) == (entry.msgstr, entry.flags)
    assert "tmkit-tm" not in (again.tcomment or "")


def test_the_same_sentence_elsewhere_still_gets_the_current_translation(runner, demo, tmp_path, tm_backend):
    """Only the entry's own withdrawn translation is skipped; another article's current one fills."""
    run_cli(runner, demo, "update")
    _take_back(demo, "cleared")
    run_cli(runner, demo, "update")
    # a second article with the same English: the withdrawn translation is history with no
    # current one, and it is not this new place's own: offered there as before
    shutil.copy(demo / "source" / f"{SLUG}.txt", demo / "source" / "copy.txt")
    run_cli(runner, demo, "extract", "--no-source-checks")
    run_cli(runner, demo, "update")
    copy = polib.pofile(str(demo / "po" / "fr" / "copy.po")).find(SENTENCE)
    assert copy.msgstr == WRONG and f"from fr/{SLUG}#b2.s5" in copy.tcomment
    assert _entry(demo).msgstr == ""                      # and the original place stays cleared


def test_a_new_translation_at_the_place_is_learnt(runner, demo, tmp_path, tm_backend):
    run_cli(runner, demo, "update")
    _take_back(demo, "cleared")
    run_cli(runner, demo, "update")
    path = demo / FR
    po = polib.pofile(str(path), wrapwidth=79)
    po.find(SENTENCE).msgstr = "Fumer nuit à la guérison après une telle opération."
    poedit_save(path, po)
    run_cli(runner, demo, "update")
    assert _history(runner, demo, tmp_path) == {WRONG: "history",
                                                "Fumer nuit à la guérison après une telle opération.": ""}


def test_a_translation_cleared_while_pretranslate_runs_is_not_filled_again(runner, demo, tmp_path,
                                                                              tm_backend, monkeypatch):
    """Saved (renamed over) during the run: the catalog is filled again from the saved file,
    and what that save took back is withdrawn first."""
    from toolkit.tm import pretranslate

    run_cli(runner, demo, "update")
    # a compendium gives another French rendering of a heading, so the catalog has work to do
    compendium = polib.POFile()
    compendium.metadata = {"Language": "fr", "Content-Type": "text/plain; charset=UTF-8"}
    compendium.append(polib.POEntry(msgid="Spine Disorders", msgstr="Affections du rachis"))
    compendium.save(str(tmp_path / "compendium.po"))
    run_cli(runner, demo, "tm", "import", str(tmp_path / "compendium.po"), "--lang", "fr")
    path = demo / FR
    po = polib.pofile(str(path), wrapwidth=79)
    for entry in po:
        if entry.msgid == "Spine Disorders":
            entry.msgstr = ""
    poedit_save(path, po)
    real = pretranslate.prefill_catalogs
    saves = []

    def fill_while_the_translator_saves(*args):
        results = real(*args)
        if not saves:
            _take_back(demo, "cleared")
            saves.append(path)
        return results

    monkeypatch.setattr(pretranslate, "prefill_catalogs", fill_while_the_translator_saves)
    out = run_cli(runner, demo, "tm", "pretranslate", "--lang", "fr").output
    assert f"merged again {FR}" in out
    entries = {e.msgid: e for e in polib.pofile(str(path))}
    assert entries["Spine Disorders"].msgstr == "Affections du rachis"     # filled from the saved file
    assert entries[SENTENCE].msgstr == "" and "tmkit-tm" not in (entries[SENTENCE].tcomment or "")
    assert _history(runner, demo, tmp_path) == {WRONG: "history"}
