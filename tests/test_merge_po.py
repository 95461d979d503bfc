"""``tmkit merge-po``: PO files merged entry by entry, by the library and as git's merge driver."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.hardening.helpers import SLUG, make_project, tmkit
from toolkit.catalog.pofile import format_po, parse_po, read_po
from toolkit.catalog.threeway import OTHER_TRANSLATION, merge_catalogs
from toolkit.project.layout import GIT_ATTRIBUTES

HEADER = ('msgid ""\nmsgstr ""\n"PO-Revision-Date: {date}\\n"\n"Language: es\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')


def po(date: str = "2026-01-01 10:00+0000", **entries: str) -> polib.POFile:
    """A catalog of ``msgid=msgstr`` entries (``_`` in a keyword stands for a space)."""
    escaped = {k.replace("_", " "): v.replace("\n", "\\n") for k, v in entries.items()}
    body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in escaped.items())
    return parse_po(HEADER.format(date=date) + body)


def merged(base, ours, theirs):
    result = merge_catalogs(base, ours, theirs)
    return result, {e.msgid: e for e in parse_po(result.text)}


def test_one_side_changes_win_and_additions_on_both_sides_are_kept():
    base = po(Home="Inicio", Back="Espalda", Neck="Cuello")
    ours = po(Home="Portada", Back="Espalda", Neck="Cuello", Ours_new="Nuevo")
    theirs = po(Home="Inicio", Back="Dorso", Theirs_new="Otro", Neck="Cuello")
    result, entries = merged(base, ours, theirs)
    assert not result.conflicts
    assert {k: e.msgstr for k, e in entries.items()} == {
        "Home": "Portada", "Back": "Dorso", "Theirs new": "Otro", "Neck": "Cuello", "Ours new": "Nuevo"}
    assert list(entries) == ["Home", "Back", "Theirs new", "Neck", "Ours new"]    # neighbours kept


def test_removed_on_one_side_goes_unless_changed_on_the_other():
    base = po(Gone="Ido", Kept="Guardado")
    ours = po(Kept="Guardado")                               # both removed on our side
    theirs = po(Gone="Ido", Kept="Guardado con cambio")      # one changed on theirs
    _, entries = merged(base, ours, theirs)
    assert list(entries) == ["Kept"] and entries["Kept"].msgstr == "Guardado con cambio"


def test_same_entry_translated_differently_is_fuzzy_with_the_other_in_a_comment():
    base = po(Home="Inicio")
    result, entries = merged(base, po(Home="Portada"), po(Home="Página de inicio\nde verdad"))
    home = entries["Home"]
    assert home.msgstr == "Portada" and "fuzzy" in home.flags
    assert home.tcomment == f"{OTHER_TRANSLATION} Página de inicio\\nde verdad"
    [conflict] = result.conflicts
    assert (conflict.msgid, conflict.kept, conflict.line) == ("Home", "Portada", 9)   # its msgid line


def test_a_translation_beats_an_emptied_one_and_a_reviewed_fuzzy_stays_reviewed():
    base = parse_po(HEADER.format(date="2026-01-01 10:00+0000")
                    + '#, fuzzy\nmsgid "Home"\nmsgstr "Inicio"\n\nmsgid "Back"\nmsgstr "Espalda"\n')
    ours = parse_po(HEADER.format(date="2026-01-01 10:00+0000")
                    + 'msgid "Home"\nmsgstr "Inicio"\n\nmsgid "Back"\nmsgstr ""\n')
    theirs = parse_po(HEADER.format(date="2026-01-01 10:00+0000")
                      + '#, fuzzy\n# checked\nmsgid "Home"\nmsgstr "Inicio"\n\nmsgid "Back"\nmsgstr "Dorso"\n')
    result, entries = merged(base, ours, theirs)
    assert not result.conflicts
    assert (entries["Home"].flags, entries["Home"].tcomment) == ([], "checked")
    assert entries["Back"].msgstr == "Dorso"


def test_a_translation_made_while_update_replaced_the_entry_moves_to_its_successor():
    """Translator on one branch, ``tmkit update`` after an English change on the other."""
    base = po(Smoking_is_a_risk="Fumar es un riesgo.", Home="Inicio")
    translator = po(Smoking_is_a_risk="Fumar es un riesgo importante.", Home="Inicio")
    updated = parse_po(HEADER.format(date="2026-01-01 10:00+0000")
                       + '#, fuzzy\n#| msgid "Smoking is a risk"\nmsgid "Smoking is a major risk"\n'
                         'msgstr "Fumar es un riesgo."\n\nmsgid "Home"\nmsgstr "Inicio"\n')
    for ours, theirs in ((translator, updated), (updated, translator)):
        result, entries = merged(base, ours, theirs)
        assert not result.conflicts and list(entries) == ["Smoking is a major risk", "Home"]
        successor = entries["Smoking is a major risk"]
        assert successor.msgstr == "Fumar es un riesgo importante." and successor.fuzzy
        assert successor.previous_msgid == "Smoking is a risk"


def test_obsolete_entries_and_headers_merge():
    base = po(Old="Viejo")
    ours = parse_po(format_po(po("2026-03-01 10:00+0100", Old="Viejo")).replace(
        'msgid "Old"\nmsgstr "Viejo"', '#~ msgid "Old"\n#~ msgstr "Viejo"'))
    theirs = po("2026-03-01 10:30+0100", Old="Viejo", New="Nuevo")
    _, entries = merged(base, ours, theirs)
    assert entries["Old"].obsolete and not entries["New"].obsolete
    result = merge_catalogs(base, ours, theirs)
    assert "PO-Revision-Date: 2026-03-01 10:30+0100" in result.text           # the later date


# -- with real git ----------------------------------------------------------------

NEEDS_GIT = pytest.mark.skipif(shutil.which("git") is None or shutil.which("msgfmt") is None,
                               reason="needs git and msgfmt")


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    run = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert not check or run.returncode == 0, (args, run.stdout, run.stderr)
    return run


def _translate(path: Path, changes: dict[str, str], date: str) -> None:
    """What a translator's PO editor saves: new translations and a new revision date."""
    catalog = read_po(path)
    for entry in catalog:
        if entry.msgid in changes:
            entry.msgstr = changes[entry.msgid]
    catalog.metadata["PO-Revision-Date"] = date
    path.write_text(format_po(catalog), "utf-8")


def _commit_on(repo: Path, branch: str, start: str, path: Path, changes: dict[str, str], date: str) -> None:
    _git(repo, "checkout", "-q", "-b", branch, start)
    _translate(path, changes, date)
    _git(repo, "commit", "-qam", f"{branch}: translations")


def _driver() -> str:
    local = Path(sys.executable).parent / "tmkit"
    return f"{local} merge-po %O %A %B %P" if local.exists() else f"{sys.executable} -m toolkit merge-po %O %A %B %P"


def _repository(root: Path) -> Path:
    """A tmkit project under git, set up as the README says (``tmkit init``, one ``git config``)."""
    repo = make_project(root)
    assert tmkit(repo, "init", str(repo)).code == 0                  # writes .gitattributes
    assert (repo / ".gitattributes").read_text("utf-8") == GIT_ATTRIBUTES
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "config", "user.name", "T")
    _git(repo, "config", "merge.tmkit-po.driver", _driver())
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "start")
    return repo


def _no_markers_and_msgfmt_passes(repo: Path) -> None:
    for path in [*(repo / "po").rglob("*.po"), *(repo / "po").rglob("*.pot")]:
        text = path.read_text("utf-8")
        assert "<<<<<<<" not in text and ">>>>>>>" not in text and "\n=======\n" not in text, path
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, (path, check.stderr)


@NEEDS_GIT
def test_git_merges_po_files_with_the_driver(tmp_path: Path):
    repo = _repository(tmp_path / "proj")
    rel = f"po/es/{SLUG}.po"
    es = repo / rel

    # two translators, different entries (their editors both moved PO-Revision-Date: a text conflict)
    _commit_on(repo, "ana", "main", es, {"Home": "Portada"}, "2026-12-01 10:00+0000")
    _commit_on(repo, "ben", "main", es, {"Spinecare": "Atención de la columna"}, "2026-12-02 09:00+0000")
    merge = _git(repo, "merge", "-q", "--no-edit", "ana", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    result = read_po(es)
    translations = {e.msgid: e.msgstr for e in result}
    assert translations["Home"] == "Portada" and translations["Spinecare"] == "Atención de la columna"
    assert result.metadata["PO-Revision-Date"] == "2026-12-02 09:00+0000"
    assert not any(e.fuzzy for e in result if e.msgid in ("Home", "Spinecare"))

    # the same entry translated differently: one translation, fuzzy, the other in a comment
    _commit_on(repo, "carla", "main", es, {"Home": "Página principal"}, "2026-12-03 08:00+0000")
    _git(repo, "checkout", "-q", "ben")
    merge = _git(repo, "merge", "--no-edit", "carla", check=False)
    assert merge.returncode == 1, merge.stdout + merge.stderr          # git reports it for review
    assert f"{rel}:" in merge.stdout + merge.stderr and "translated differently" in merge.stdout + merge.stderr
    assert _git(repo, "status", "--porcelain").stdout.startswith(f"UU {rel}")
    result = read_po(es)
    [fuzzy] = [e for e in result if e.fuzzy]
    assert fuzzy.msgid == "Home" and fuzzy.msgstr == "Portada"
    assert fuzzy.tcomment.splitlines()[-1] == f"{OTHER_TRANSLATION} Página principal"
    assert {e.msgid: e.msgstr for e in result}["Spinecare"] == "Atención de la columna"

    _no_markers_and_msgfmt_passes(repo)


@NEEDS_GIT
def test_git_merges_a_translators_branch_with_an_update_branch(tmp_path: Path):
    """The English changed and ``tmkit update`` ran on one branch; a translator worked on another."""
    repo = _repository(tmp_path / "proj")
    assert tmkit(repo, "extract").code == 0 and tmkit(repo, "update").code == 0
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "catalogs as update writes them")   # .tmkit/ is ignored
    es = repo / "po" / "es" / f"{SLUG}.po"
    sentence = next(e for e in read_po(es) if e.msgid.startswith("Smoking is a risk"))
    _commit_on(repo, "translator", "main", es, {sentence.msgid: "Fumar es un riesgo grave.", "Home": "Portada"},
               "2026-12-05 10:00+0000")
    _git(repo, "checkout", "-q", "-b", "english", "main")
    source = repo / "source" / f"{SLUG}.txt"
    source.write_text(source.read_text("utf-8").replace("Smoking is a risk", "Smoking is a major risk"), "utf-8")
    assert tmkit(repo, "extract").code == 0 and tmkit(repo, "update").code == 0
    _git(repo, "commit", "-qam", "English edited, catalogs updated")
    merge = _git(repo, "merge", "-q", "--no-edit", "translator", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    result = read_po(es)
    by_id = {e.msgid: e for e in result}
    assert by_id["Home"].msgstr == "Portada"
    assert sentence.msgid not in by_id                                   # the old English is gone...
    successor = by_id[sentence.msgid.replace("Smoking is a risk", "Smoking is a major risk")]
    assert successor.msgstr == "Fumar es un riesgo grave." and successor.fuzzy   # ...its new translation moved
    assert successor.previous_msgid == sentence.msgid
    _no_markers_and_msgfmt_passes(repo)
    again = tmkit(repo, "update")                                       # and update agrees with the result
    assert again.code == 0 and "0 files written" in again.out, again.out


def test_merge_po_refuses_a_broken_version_and_leaves_ours(tmp_path: Path):
    good = format_po(po(Home="Inicio"))
    base, ours, theirs = (tmp_path / n for n in ("base.po", "ours.po", "theirs.po"))
    base.write_text(good, "utf-8")
    ours.write_text(good.replace("Inicio", "Portada"), "utf-8")
    theirs.write_text(good + 'msgid "Back"\nmsgstr "Espalda\n', "utf-8")      # unterminated string
    before = ours.read_bytes()
    run = tmkit(tmp_path, "merge-po", str(base), str(ours), str(theirs), "po/es/x.po")
    assert run.code == 2 and run.err.strip() == (
        "tmkit: error: po/es/x.po (theirs):10: not a valid PO file: unterminated or malformed string"), run.err
    assert ours.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "base.po", "ours.po", "theirs.po"]
    merged_ok = tmkit(tmp_path, "merge-po", str(base), str(ours), str(base))
    assert merged_ok.code == 0 and merged_ok.out == "" and ours.read_bytes() == before
