"""Issue 2 acceptance for catalogs: ``tmkit extract`` + ``tmkit update`` end to end."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from toolkit.catalog.pofile import read_po, write_po
from toolkit.catalog.template import segment_ids
from toolkit.project.config import load_config
from toolkit.text.languages import get_language

from conftest import SEED, run_cli, summary_table

LANGS = ["es", "fr", "de", "ar", "zh-Hans"]
SLUG = SEED.stem
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")


def catalogs(root: Path) -> list[Path]:
    return [root / "po" / "templates" / f"{SLUG}.pot"] + [root / "po" / l / f"{SLUG}.po" for l in LANGS]


def extract_update(runner, root: Path):
    run_cli(runner, root, "extract")
    return run_cli(runner, root, "update")


def translate_all(root: Path) -> None:
    """Play translator: every entry of every language gets a translation."""
    for lang in LANGS:
        path = root / "po" / lang / f"{SLUG}.po"
        po = read_po(path)
        for entry in po:
            entry.msgstr = f"[{lang}] {entry.msgid}"
        po[0].tcomment = "checked by the medical reviewer"
        po.metadata["Last-Translator"] = "Ana Translator <ana@example.org>"
        po.header = "DEMO TRANSLATION: machine-made, not for publication.\n" + po.header
        write_po(path, po)


def edit_source(root: Path, old: str, new: str) -> None:
    path = root / "source" / SEED.name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def entry_blocks(path: Path) -> list[str]:
    """The entries of a catalog as text, header left out."""
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")[1:]


def translation_bytes(path: Path) -> dict[str, str]:
    """Each entry's translation exactly as written (its ``msgstr`` lines), by msgid.

    Extracted comments may change when a neighbour goes (``sentence 2 of 4``);
    what a translator wrote must not.
    """
    out = {}
    for block in entry_blocks(path):
        lines = block.split("\n")
        start = next(i for i, l in enumerate(lines) if l.startswith(("msgstr", "#~ msgstr")))
        head = "\n".join(l for l in lines[:start] if l.startswith(("msgid", '"', "#~ msgid", "#~ \"")))
        out[head] = "\n".join(l for l in lines if l.startswith("# ")) + "\n".join(lines[start:])
    return out


def test_extract_and_update_write_template_and_five_catalogs(runner, project):
    result = extract_update(runner, project)
    for path in catalogs(project):
        assert path.is_file(), path
    pot = read_po(catalogs(project)[0])
    assert len(pot) > 20
    for entry in pot:
        assert entry.occurrences and entry.occurrences[0][0] == f"source/{SEED.name}"
        assert segment_ids(entry), entry.msgid
    assert "total" in result.output and "added" in result.output
    for lang in LANGS:
        po = read_po(project / "po" / lang / f"{SLUG}.po")
        assert [e.msgid for e in po] == [e.msgid for e in pot]


def test_headers_are_complete_and_per_language(runner, project):
    extract_update(runner, project)
    pot = read_po(catalogs(project)[0])
    for key in ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
                "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
                "Content-Transfer-Encoding", "Plural-Forms", "X-Generator"):
        assert key in pot.metadata, key
    assert pot.metadata["Project-Id-Version"] == load_config(project).name
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    for lang in LANGS:
        po = read_po(project / "po" / lang / f"{SLUG}.po")
        assert po.metadata["Language"] == get_language(lang).gettext
        assert po.metadata["Plural-Forms"] == get_language(lang).plural_forms
        assert po.metadata["X-Generator"].startswith("tmkit")
    zh = read_po(project / "po" / "zh-Hans" / f"{SLUG}.po")
    assert zh.metadata["Language"] == "zh_Hans"
    assert zh.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    ar = read_po(project / "po" / "ar" / f"{SLUG}.po")
    assert ar.metadata["Plural-Forms"].startswith("nplurals=6;")


def test_first_paragraph_gives_seven_entries(runner, project):
    run_cli(runner, project, "extract")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1) if line.startswith("Failed back syndrome (FBS) is defined"))
    pot = read_po(catalogs(project)[0])
    here = [e for e in pot if (f"source/{SEED.name}", str(first)) in e.occurrences]
    assert len(here) == 7
    assert here[0].msgid.startswith("Failed back syndrome (FBS) is defined")
    assert here[-1].msgid.endswith("can often be quite complex.")


def test_identical_english_is_one_entry_with_several_references(runner, project):
    run_cli(runner, project, "extract")
    pot = read_po(catalogs(project)[0])
    keys = [(e.msgctxt, e.msgid) for e in pot]
    assert len(keys) == len(set(keys))
    shared = [e for e in pot if len(segment_ids(e)) > 1]
    for entry in shared:
        assert len(entry.occurrences) >= 1


@needs_msgfmt
def test_every_catalog_passes_msgfmt_check(runner, project):
    extract_update(runner, project)
    translate_all(project)
    edit_source(project, "Smoking is a risk", "Smoking is a major risk")
    edit_source(project, "Abnormal sensibility may include sharp, pricking, and stabbing pain in the extremities. ", "")
    extract_update(runner, project)
    for path in catalogs(project):
        result = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, (path, result.stderr)


@needs_msgcat
def test_msgcat_msgmerge_msgattrib_round_trips_change_nothing(runner, project):
    extract_update(runner, project)
    translate_all(project)
    edit_source(project, "Smoking is a risk", "Smoking is a major risk")
    extract_update(runner, project)
    for path in catalogs(project):
        out = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        assert out == path.read_bytes(), path
    pot = catalogs(project)[0]
    for path in catalogs(project)[1:]:
        # msgmerge agrees with update (fuzzy entry, #| msgid and all); msgattrib keeps it too.
        merged = subprocess.run(["msgmerge", "-q", "--previous", str(path), str(pot)],
                                capture_output=True, check=True).stdout
        assert merged == path.read_bytes(), path
        attr = subprocess.run(["msgattrib", str(path)], capture_output=True, check=True).stdout
        assert attr == path.read_bytes(), path


def test_edited_sentence_turns_exactly_that_entry_fuzzy(runner, project):
    extract_update(runner, project)
    translate_all(project)
    before = {lang: translation_bytes(project / "po" / lang / f"{SLUG}.po") for lang in LANGS}
    old = "Smoking is a risk for poor recovery from such an operation."
    new = "Smoking is a major risk for poor recovery from such an operation."
    edit_source(project, old, new)
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update")
    for lang in LANGS:
        path = project / "po" / lang / f"{SLUG}.po"
        po = read_po(path)
        fuzzy = [e for e in po if "fuzzy" in e.flags]
        assert [e.msgid for e in fuzzy] == [new]
        assert fuzzy[0].previous_msgid == old
        assert fuzzy[0].msgstr == f"[{lang}] {old}"
        assert "#| msgid \"Smoking is a risk" in path.read_text(encoding="utf-8")
        after = translation_bytes(path)
        assert len(after) == len(before[lang])
        changed = [k for k in after if after[k] != before[lang].get(k)]
        assert len(changed) == 1 and "major risk" in changed[0]
        assert after[changed[0]] == before[lang][changed[0].replace("a major risk", "a risk")]
        assert not po.obsolete_entries()
    summary = summary_table(result.output)
    assert summary["es"]["fuzzy"] == 1
    assert summary["total"]["fuzzy"] == 5


def test_deleted_sentence_becomes_obsolete_and_comes_back(runner, project):
    extract_update(runner, project)
    translate_all(project)
    before = {lang: translation_bytes(project / "po" / lang / f"{SLUG}.po") for lang in LANGS}
    gone = "Abnormal sensibility may include sharp, pricking, and stabbing pain in the extremities."
    edit_source(project, gone + " ", "")
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update")
    assert summary_table(result.output)["es"]["obsolete"] == 1
    for lang in LANGS:
        path = project / "po" / lang / f"{SLUG}.po"
        po = read_po(path)
        assert [e.msgid for e in po.obsolete_entries()] == [gone]
        assert po.obsolete_entries()[0].msgstr == f"[{lang}] {gone}"
        assert not [e for e in po if "fuzzy" in e.flags]
        after = translation_bytes(path)
        assert len(after) == len(before[lang])
        kept = {k: v for k, v in after.items() if "#~" not in k}
        assert kept == {k: v for k, v in before[lang].items() if gone[:20] not in k}
        assert entry_blocks(path)[-1].startswith(("#~ msgid", "# checked"))
    # The sentence comes back: its translation is revived, not fuzzy.
    edit_source(project, "The therapeutic approach", gone + " The therapeutic approach")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update")
    for lang in LANGS:
        po = read_po(project / "po" / lang / f"{SLUG}.po")
        assert not po.obsolete_entries()
        assert po.find(gone).msgstr == f"[{lang}] {gone}"
        assert "fuzzy" not in po.find(gone).flags


def test_moved_paragraph_keeps_translations(runner, project):
    extract_update(runner, project)
    translate_all(project)
    path = project / "source" / SEED.name
    text = path.read_text(encoding="utf-8")
    blocks = [b.strip() for b in text.split("\n\n")]
    para = next(p for p in blocks if p.startswith("Failed back syndrome (FBS) refers"))
    common = next(p for p in blocks if p.startswith("Common symptoms"))
    text = text.replace(para, "@@P@@").replace(common, para).replace("@@P@@", common)
    path.write_text(text, encoding="utf-8")
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update")
    for lang in LANGS:
        po = read_po(project / "po" / lang / f"{SLUG}.po")
        assert all(e.msgstr == f"[{lang}] {e.msgid}" for e in po)
        assert not [e for e in po if "fuzzy" in e.flags] and not po.obsolete_entries()
    total = summary_table(result.output)["total"]
    assert total["fuzzy"] == 0 and total["added"] == 0


def test_translator_comments_flags_and_header_survive(runner, project):
    extract_update(runner, project)
    translate_all(project)
    edit_source(project, "Smoking is a risk", "Smoking is a major risk")
    extract_update(runner, project)
    for lang in LANGS:
        po = read_po(project / "po" / lang / f"{SLUG}.po")
        assert po[0].tcomment == "checked by the medical reviewer"
        assert po.metadata["Last-Translator"] == "Ana Translator <ana@example.org>"
        assert po.header.startswith("DEMO TRANSLATION: machine-made")


def test_untranslated_changed_sentence_is_added_not_fuzzy(runner, project):
    extract_update(runner, project)
    edit_source(project, "Smoking is a risk", "Smoking is a major risk")
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update")
    total = summary_table(result.output)["total"]
    assert total["fuzzy"] == 0
    assert total["added"] == 5
    po = read_po(project / "po" / "es" / f"{SLUG}.po")
    assert not po.obsolete_entries()       # an empty entry carries no work


def test_second_update_changes_nothing(runner, project):
    extract_update(runner, project)
    translate_all(project)
    extract_update(runner, project)
    stamps = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in catalogs(project)}
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update")
    assert "0 files written" in result.output
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in catalogs(project)} == stamps
    # Without the state file the same result is reached the slow way.
    (project / ".tmkit" / "catalog-state.json").unlink()
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update")
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in catalogs(project)} == stamps


def test_hand_edit_of_a_po_file_is_seen(runner, project):
    extract_update(runner, project)
    path = project / "po" / "de" / f"{SLUG}.po"
    po = read_po(path)
    po[3].msgstr = "Übersetzung"
    write_po(path, po)
    run_cli(runner, project, "update")
    assert read_po(path)[3].msgstr == "Übersetzung"


def test_lang_and_article_options(runner, project):
    run_cli(runner, project, "extract", "--article", SLUG)
    result = run_cli(runner, project, "update", "--lang", "de", "--lang", "ar", "--article", SLUG)
    assert (project / "po" / "de" / f"{SLUG}.po").is_file()
    assert not (project / "po" / "es").exists()
    assert list(summary_table(result.output)) == ["de", "ar", "total"]
    run_cli(runner, project, "update", "--lang", "pt-BR", expect=2)
    run_cli(runner, project, "extract", "--article", "no-such-article", expect=2)


def test_hook_runs_and_its_counters_are_summed(runner, project, monkeypatch):
    calls = []

    def fake_prefill(po: polib.POFile, lang: str, slug: str) -> dict[str, int]:
        calls.append((lang, slug))
        entry = po.find("Home")
        entry.msgstr = f"home-{lang}"
        entry.flags.append("fuzzy")
        return {"prefilled": 1}

    from toolkit.catalog import hooks
    monkeypatch.setattr(hooks, "HOOK_FACTORIES", [lambda config: fake_prefill])
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update")
    assert sorted(calls) == sorted((lang, SLUG) for lang in LANGS)
    rows = summary_table(result.output)
    assert rows["es"]["prefilled"] == 1
    assert rows["total"]["prefilled"] == 5
    po = read_po(project / "po" / "fr" / f"{SLUG}.po")
    assert po.find("Home").msgstr == "home-fr" and "fuzzy" in po.find("Home").flags


def test_update_without_templates_is_a_clear_error(runner, project):
    result = run_cli(runner, project, "update", expect=2)
    assert f"po/templates/{SLUG}.pot" in result.output and "tmkit extract" in result.output


DEMO = Path(__file__).resolve().parent.parent / "po"


@pytest.mark.skipif(not list(DEMO.glob("*/*.po")), reason="no demo catalogs in the repository")
def test_update_keeps_every_translation_of_the_demo_catalogs(runner, project):
    shutil.copytree(DEMO, project / "po")
    demo = {path.parent.name: read_po(path) for path in DEMO.glob("*/*.po")}
    extract_update(runner, project)
    for lang, old in demo.items():
        new = read_po(project / "po" / lang / f"{SLUG}.po")
        assert new.header == old.header                      # the demo notice survives
        for key in ("Last-Translator", "Language-Team"):
            assert new.metadata.get(key) == old.metadata.get(key)
        for key in old.metadata:
            assert key in new.metadata
        kept = {(e.msgctxt, e.previous_msgid if "fuzzy" in e.flags and e.previous_msgid else e.msgid): e.msgstr
                for e in new}
        for entry in old:
            if entry.msgstr:
                assert kept.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (lang, entry.msgid)


def test_hooks_rerun_only_when_their_fingerprint_changes(project):
    from toolkit.catalog.extract import extract_project
    from toolkit.catalog.update import update_project

    calls = []

    def hook(po, lang, slug):
        calls.append(lang)
        return {"noted": 1}

    config = load_config(project)
    extract_project(config)
    hook.fingerprint = "tm-1"
    report = update_project(config, ["es"], hooks=[hook])
    assert calls == ["es"] and report.languages["es"].extra == {"noted": 1}
    update_project(config, ["es"], hooks=[hook])
    assert calls == ["es"]                            # unchanged inputs: skipped
    hook.fingerprint = "tm-2"
    update_project(config, ["es"], hooks=[hook])
    assert calls == ["es", "es"]


def test_extract_with_one_bad_article_writes_nothing(runner, project):
    (project / "source" / "zz-broken.txt").write_bytes(b"Title\n\nA paragraph \xff here.\n")
    result = run_cli(runner, project, "extract", expect=2)
    assert "source/zz-broken.txt:3" in result.output and "Traceback" not in result.output
    assert not (project / "po").exists() or not list((project / "po").rglob("*.pot"))


def test_parallel_extract_matches_serial_and_reports_errors(runner, project, monkeypatch):
    from toolkit.catalog import extract

    seed = SEED.read_text(encoding="utf-8")
    for number in range(3):
        (project / "source" / f"copy-{number}.txt").write_text(seed.replace("60%", f"{number}0%"), encoding="utf-8")
    run_cli(runner, project, "extract")
    serial = {p.name: p.read_bytes() for p in (project / "po" / "templates").iterdir()}
    shutil.rmtree(project / "po")
    (project / ".tmkit" / "catalog-state.json").unlink()
    monkeypatch.setattr(extract, "PARALLEL_FROM", 1)
    run_cli(runner, project, "extract")
    parallel = {p.name: p.read_bytes() for p in (project / "po" / "templates").iterdir()}
    assert parallel.keys() == serial.keys() and len(parallel) == 4
    strip = lambda data: [l for l in data.split(b"\n") if not l.startswith(b'"POT-Creation-Date')]
    assert all(strip(parallel[name]) == strip(serial[name]) for name in serial)
    (project / "source" / "copy-1.txt").write_bytes(b"Title\n\nBad \xff byte.\n")
    result = run_cli(runner, project, "extract", expect=2)
    assert "source/copy-1.txt:3" in result.output


def test_hook_factories_may_be_dotted_names(monkeypatch, project):
    from toolkit.catalog import hooks

    monkeypatch.setattr(hooks, "HOOK_FACTORIES", ["os.path:basename", lambda config: None])
    assert hooks.default_hooks(str(project)) == [project.name]   # any callable factory works
