"""Compare before replace at the library level: a catalog saved while a command
runs is merged again from the save, or left exactly as saved, and reported."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.catalog.extract import extract_project
from toolkit.catalog.pofile import format_po, read_po
from toolkit.catalog.rewrite import RETRIES, Rewrite, rewrite_catalogs
from toolkit.catalog.state import CatalogState
from toolkit.catalog.template import settings_fingerprint
from toolkit.catalog.update import update_project
from toolkit.project.config import load_config

SLUG = "failed-back-syndrome"


def _save(path: Path, translation: str) -> bytes:
    """What a PO editor does: the file with the title translated, written beside it and renamed."""
    po = read_po(path)
    po[0].msgstr = translation
    data = format_po(po).encode("utf-8")
    path.with_name(".editor").write_bytes(data)
    os.replace(path.with_name(".editor"), path)
    return data


class SavingHook:
    """An update hook that, like a translator, saves the Spanish catalog while update works on it."""

    def __init__(self, path: Path, times: int) -> None:
        self.path, self.times, self.saves = path, times, []

    def __call__(self, po, lang, slug):
        if lang == "es" and len(self.saves) < self.times:
            self.saves.append(_save(self.path, f"Guardado {len(self.saves)}"))
        return {}


def _edited_project(project: Path):
    config = load_config(project)
    extract_project(config)
    update_project(config)
    source = project / "source" / f"{SLUG}.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("Smoking is a risk", "Smoking is a major risk"), "utf-8")
    extract_project(config)
    return config


def test_a_catalog_saved_during_update_is_merged_again(project: Path):
    config = _edited_project(project)
    es = config.po_file("es", SLUG)
    hook = SavingHook(es, times=1)
    report = update_project(config, hooks=[hook])
    assert report.redone == [es] and report.left == []
    po = read_po(es)
    assert po[0].msgstr == "Guardado 0"                                  # the save survived
    assert any(e.msgid.startswith("Smoking is a major risk") for e in po)   # and the update is in it
    assert es in report.written and len(report.written) == 5
    assert report.languages["es"].as_dict() == report.languages["fr"].as_dict()   # counted once
    assert update_project(config, hooks=[hook]).written == []          # nothing left to do


def test_a_catalog_that_keeps_changing_is_left_as_saved_and_merged_next_time(project: Path):
    config = _edited_project(project)
    es = config.po_file("es", SLUG)
    hook = SavingHook(es, times=1 + RETRIES)
    report = update_project(config, hooks=[hook])
    assert report.redone == [] and [item.path for item in report.left] == [es]
    assert "kept changing" in report.left[0].reason
    assert es.read_bytes() == hook.saves[-1]                         # exactly the last save
    assert es not in report.written and len(report.written) == 4     # the rest of the run is done
    assert report.languages["es"].as_dict() == {"kept": 0, "fuzzy": 0, "added": 0, "obsolete": 0}
    state = CatalogState(config.root, settings_fingerprint(config))
    assert state.get("po", f"es/{SLUG}") is None                      # merged again next time
    again = update_project(config)
    assert again.written == [es] and not again.left
    po = read_po(es)
    assert po[0].msgstr == f"Guardado {RETRIES}"
    assert any(e.msgid.startswith("Smoking is a major risk") for e in po)


def test_a_save_that_breaks_the_file_is_left_with_the_reason(tmp_path: Path):
    path = tmp_path / "x.po"
    path.write_bytes(b'msgid "a"\nmsgstr "b"\n')

    def redo(where, current):
        from toolkit.catalog.pofile import parse_po_bytes

        parse_po_bytes(current, "x.po")
        return "never written"

    items = [Rewrite(path, b'msgid "a"\nmsgstr "b"\n', 'msgid "a"\nmsgstr "c"\n')]
    path.write_bytes(b'msgid "a"\nmsgstr "half')            # saved meanwhile, and broken
    report = rewrite_catalogs(items, redo)
    assert report.written == [] and [item.path for item in report.left] == [path]
    assert "x.po:2: not a valid PO file" in report.left[0].reason
    assert path.read_bytes() == b'msgid "a"\nmsgstr "half'


def test_pseudo_leaves_a_saved_file(project: Path, runner, monkeypatch):
    """``tmkit pseudo`` has nothing to merge: a file saved meanwhile is left, exit 1."""
    from toolkit.catalog import pseudo
    from toolkit.cli import cli

    target = project / "po" / "qps" / f"{SLUG}.po"
    real = pseudo.pseudo_catalog

    def catalog_then_save(config, article, lang):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("# a tester's own file\n", "utf-8")
        return real(config, article, lang)

    monkeypatch.setattr(pseudo, "pseudo_catalog", catalog_then_save)
    result = runner.invoke(cli, ["-C", str(project), "pseudo"])
    assert result.exit_code == 1, result.output
    assert f"po/qps/{SLUG}.po: changed on disk while tmkit ran; left as saved; run 'tmkit pseudo' again" \
        in result.output
    assert target.read_text("utf-8") == "# a tester's own file\n"
