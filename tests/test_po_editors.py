"""PO files that translators' tools saved: no churn when ``tmkit update`` runs after them.

* a save through polib (which wraps comments and strings at its own width)
  followed by ``tmkit update``, ten times, leaves the file byte-identical to
  the first cycle's: the glossary comment polib wrapped is recognised, not
  duplicated line by line, and the revision date does not move;
* a Poedit-style save (its ``X-Generator``, a new ``PO-Revision-Date``)
  followed by ``tmkit update`` changes nothing at all;
* ``tmkit init`` writes a ``.gitignore`` for what PO editors and tmkit leave
  beside the files; the repository's own has the same patterns.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from tests.conftest import REPO, run_cli
from toolkit.project.layout import GIT_IGNORE

SLUG = "failed-back-syndrome"
GLOSSARY_LINE = "# glossary: failed back syndrome = síndrome de espalda fallida (ISA house term)"


def _polib_save(path: Path) -> None:
    """What a polib-based tool (Virtaal, scripts, Weblate's hooks) does: read, save (polib's default width)."""
    catalog = polib.pofile(str(path))
    catalog.save(str(path))


def test_ten_polib_saves_and_updates_leave_the_file_as_the_first_cycle(demo, runner):
    path = demo / "po" / "es" / f"{SLUG}.po"
    assert len(GLOSSARY_LINE) > polib.pofile(str(path)).wrapwidth        # polib wraps it
    before = path.read_text(encoding="utf-8")
    entries_with_term = before.count(GLOSSARY_LINE + "\n")
    assert entries_with_term >= 2
    _polib_save(path)
    saved = path.read_text(encoding="utf-8")
    assert GLOSSARY_LINE not in saved and "\n# term)\n" in saved          # polib wrapped it
    run_cli(runner, demo, "update")
    first = path.read_bytes()
    for _ in range(9):
        _polib_save(path)
        run_cli(runner, demo, "update")
        assert path.read_bytes() == first
    text = first.decode("utf-8")
    assert text.count(GLOSSARY_LINE + "\n") == entries_with_term and "# term)" not in text
    revision = re.compile(r'"PO-Revision-Date: [^"]*"')
    assert revision.findall(text) == revision.findall(before)            # the date did not move


def test_poedit_style_save_then_update_changes_nothing(demo, runner):
    path = demo / "po" / "es" / f"{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    assert '"X-Generator: tmkit ' in text
    text = re.sub(r'"X-Generator: [^"]*"', r'"X-Generator: Poedit 3.2.2\\n"', text)
    text = re.sub(r'"PO-Revision-Date: [^"]*"', r'"PO-Revision-Date: 2026-12-01 09:30+0100\\n"', text)
    text = re.sub(r'"Last-Translator: [^"]*"', r'"Last-Translator: Ana Ruiz <ana@example.org>\\n"', text)
    text = text.replace('"Language-Team: Spanish', '"Language-Team: Equipo ISA')
    text = text.replace('"X-Demo-Translation: yes\\n"\n', '"X-Demo-Translation: yes\\n"\n"X-Poedit-Basepath: ..\\n"\n')
    path.write_text(text, encoding="utf-8")
    saved = path.read_bytes()
    run_cli(runner, demo, "update")
    assert path.read_bytes() == saved
    # a change of the English still updates the catalog, and still leaves the tool's fields alone
    article = demo / "source" / f"{SLUG}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Smoking is a risk", "Smoking is a major risk"), encoding="utf-8")
    run_cli(runner, demo, "extract")
    run_cli(runner, demo, "update")
    after = polib.pofile(str(path))
    assert after.metadata["X-Generator"] == "Poedit 3.2.2"
    assert after.metadata["X-Poedit-Basepath"] == ".."
    assert after.metadata["Last-Translator"] == "Ana Ruiz <ana@example.org>"
    assert after.metadata["PO-Revision-Date"] != "2026-12-01 09:30+0100"   # entries changed
    assert any(e.fuzzy and e.msgid.startswith("Smoking is a major risk") for e in after)


def test_init_writes_a_gitignore_and_keeps_an_existing_one(tmp_path, runner):
    fresh = tmp_path / "fresh"
    run_cli(runner, tmp_path, "init", str(fresh), "--lang", "es")
    lines = (fresh / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == list(GIT_IGNORE)
    assert set(GIT_IGNORE) == {".tmkit/", "exports/", "*.mo", "*.po~", ".venv/"}
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / ".gitignore").write_text("notes/\n*.mo", encoding="utf-8")
    run_cli(runner, tmp_path, "init", str(mine), "--lang", "es")
    text = (mine / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith("notes/\n*.mo\n") and text.count("*.mo") == 1
    assert all(pattern in text.splitlines() for pattern in GIT_IGNORE)
    again = text
    run_cli(runner, tmp_path, "init", str(mine), "--lang", "es")
    assert (mine / ".gitignore").read_text(encoding="utf-8") == again


def test_the_demo_project_ignores_the_same_files():
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert all(pattern in lines for pattern in GIT_IGNORE)
