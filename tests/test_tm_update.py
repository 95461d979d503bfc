"""Acceptance through the catalogs: the demo translations and the TM hook in tmkit update."""

from __future__ import annotations

import json
import shutil

import polib
import pytest

from tests.conftest import REPO, SEED, run_cli, summary_table
from tests.tm_helpers import EDITED, SEED_FIRST
from toolkit.catalog.extract import extract_project
from toolkit.catalog.update import update_project
from toolkit.project.config import load_config
from toolkit.tm.pretranslate import make_prefill_hook

pytestmark = pytest.mark.usefixtures("tm_backend")   # every test on SQLite and PostgreSQL

FOOTER_START = ("The information provided on this site", "All health information posted")


def test_demo_spanish_translation_found_for_edited_seed_sentence(project, runner):
    shutil.copytree(REPO / "po", project / "po")
    run_cli(runner, project, "tm", "update")
    found = json.loads(run_cli(runner, project, "tm", "lookup", EDITED, "--lang", "es",
                               "--json").output)
    spanish = {e.msgid: e.msgstr for e in polib.pofile(str(REPO / "po/es/failed-back-syndrome.po"))}
    assert found[0]["target"] == spanish[SEED_FIRST]
    assert not found[0]["exact"] and 86 <= found[0]["score"] <= 90


def test_footer_and_disclaimer_prefilled_in_second_article_by_update(project):
    seed = (project / "source" / SEED.name).read_text(encoding="utf-8")
    body_start = seed.index("Failed back syndrome (FBS) is defined")
    body_end = seed.index("Educational Partners")
    second = (seed[:body_start] + "Spinal stenosis is a narrowing of the spinal canal.\n\n\n"
              + seed[body_end:]).replace("Failed Back Syndrome\n", "Spinal Stenosis\n", 1)
    (project / "source" / "spinal-stenosis.txt").write_text(second, encoding="utf-8")
    config = load_config(project)
    extract_project(config)
    update_project(config, languages=["es"])
    seed_po_path = config.po_file("es", "failed-back-syndrome")
    seed_po = polib.pofile(str(seed_po_path))
    translated = {}
    for entry in seed_po:
        if entry.msgid.startswith(FOOTER_START):
            entry.msgstr = translated[entry.msgid] = f"[es] {entry.msgid}"
    assert len(translated) == 2
    seed_po.save(str(seed_po_path))

    hook = make_prefill_hook(config)
    try:
        report = update_project(config, languages=["es"], hooks=[hook])
    finally:
        hook.close()
    assert report.languages["es"].extra["tm exact"] >= 2
    second_po = polib.pofile(str(config.po_file("es", "spinal-stenosis")))
    filled = {e.msgid: e for e in second_po if e.msgid in translated}
    assert len(filled) == 2
    for msgid, entry in filled.items():
        assert entry.msgstr == translated[msgid] and not entry.fuzzy
        assert "tmkit-tm: 100% (exact) from es/failed-back-syndrome#" in entry.tcomment
    assert not [e for e in second_po if e.msgstr and e.msgid not in translated]


def test_tmkit_update_with_the_registered_factory(project, runner, monkeypatch):
    """``tmkit update`` pre-fills from the TM through the registered factory."""
    from toolkit.catalog import hooks
    assert "toolkit.tm.pretranslate:prefill_hook_factory" in hooks.HOOK_FACTORIES
    shutil.copy(project / "source" / SEED.name, project / "source" / "copy.txt")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    shutil.copy(REPO / "po/es/failed-back-syndrome.po", project / "po/es/failed-back-syndrome.po")
    result = run_cli(runner, project, "update", "--lang", "es")
    assert summary_table(result.output)["es"]["tm-exact"] == 32
    copy = polib.pofile(str(project / "po/es/copy.po"))
    demo = {e.msgid: e.msgstr for e in polib.pofile(str(REPO / "po/es/failed-back-syndrome.po"))
            if e.msgstr and not e.fuzzy}
    assert demo and all(copy.find(msgid).msgstr == msgstr for msgid, msgstr in demo.items())
