"""The glossary: CSV and TBX, the check, and the catalog hook's translator comments."""

from __future__ import annotations

import re

import polib
import pytest

from conftest import run_cli
from test_checks_support import SEED_SLUG, TRANSLATIONS, copy_demo, write_po
from test_checks import _msgstr_line, _set_toml
from toolkit.catalog.pofile import read_po, write_po as write_po_file
from toolkit.checks.glossary import annotate, load_glossary, make_glossary_hook
from toolkit.project.config import load_config
from toolkit.errors import TmkitError

TERM = "failed back syndrome"
ES = "síndrome de espalda fallida"
OTHER = "El síndrome de la espalda operada (FBS) se define como un dolor lumbar o de las " \
    "extremidades que persiste o aparece después de una cirugía de columna."
SOURCE = "Failed back syndrome (FBS) is defined as persistent or onset of low back or extremity pain after spinal surgery."

TBX = f"""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>ISA</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="fbs">
  <descrip type="definition">pain after spine surgery</descrip>
  <langSet xml:lang="en"><tig><term>{TERM}</term></tig></langSet>
  <langSet xml:lang="es"><tig><term>{ES}</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def _glossary(root, kind="csv", extra_rows=""):
    if kind == "csv":
        (root / "glossary.csv").write_text(
            f"term,lang,translation,note\n{TERM},es,{ES},not 'cirugía fallida'\n{extra_rows}",
            encoding="utf-8")
    else:
        (root / "glossary.tbx").write_text(TBX, encoding="utf-8")
    _set_toml(root, f'glossary = "glossary.{kind}"')


@pytest.mark.parametrize("kind", ["csv", "tbx"])
def test_other_rendering_is_flagged_with_the_expected_term(runner, project, kind):
    _glossary(project, kind)
    path = write_po(project, "es", dict(TRANSLATIONS["es"], **{"b1.s1": OTHER}))
    result = run_cli(runner, project, "check", "--lang", "es")
    line = _msgstr_line(path, "espalda operada")
    assert f"po/es/{SEED_SLUG}.po:{line}: [glossary] warning: '{TERM}' should be rendered '{ES}'" \
        in result.output.splitlines()
    # The hand translations use the term everywhere else: that one entry only.
    assert "0 errors, 1 warning" in result.output
    write_po(project, "es", TRANSLATIONS["es"])
    assert "0 errors, 0 warnings" in run_cli(runner, project, "check", "--lang", "es").output


def test_glossary_can_gate(runner, project):
    _glossary(project)
    write_po(project, "es", dict(TRANSLATIONS["es"], **{"b1.s1": OTHER}))
    text = (project / "tmkit.toml").read_text(encoding="utf-8")
    (project / "tmkit.toml").write_text(text.replace('glossary = "glossary.csv"',
                                                     'glossary = "glossary.csv"\nseverity = {glossary = "error"}'))
    run_cli(runner, project, "check", expect=1)


def test_hook_adds_terms_as_translator_comments_idempotently(project, tmp_path):
    _glossary(project, extra_rows=f"back pain,es,dolor de espalda,\n{TERM},fr,syndrome du dos opéré,\n")
    config = load_config(project)
    hook = make_glossary_hook(config)
    po = polib.POFile()
    po.append(polib.POEntry(msgid=SOURCE, msgstr="", tcomment="tmkit-ignore: numbers"))
    po.append(polib.POEntry(msgid="Chronic post-operative back pain", msgstr=""))
    po.append(polib.POEntry(msgid="Smoking is a risk.", msgstr="Fumar es un riesgo."))
    assert hook(po, "es", SEED_SLUG) == {"glossary": 2, "glossary updated": 2}
    assert hook(po, "es", SEED_SLUG) == {"glossary": 2, "glossary updated": 0}
    path = tmp_path / "es.po"
    write_po_file(path, po)
    text = path.read_text(encoding="utf-8")
    assert f"# tmkit-ignore: numbers\n# glossary: {TERM} = {ES} (not 'cirugía fallida')\n" in text
    assert "# glossary: back pain = dolor de espalda\n" in text
    assert text.count("# glossary:") == 2 and "opéré" not in text
    # Reading the file back and running again changes nothing.
    again = read_po(path)
    assert hook(again, "es", SEED_SLUG)["glossary updated"] == 0
    # A term removed from the glossary disappears from the comments.
    _glossary(project)
    old_fingerprint = hook.fingerprint
    hook = make_glossary_hook(load_config(project))
    assert hook.fingerprint != old_fingerprint  # tells tmkit update to re-merge
    assert hook(again, "es", SEED_SLUG) == {"glossary": 1, "glossary updated": 1}
    assert again[1].tcomment == "" and again[0].tcomment.count("glossary:") == 1


def test_no_glossary_no_hook(project):
    assert make_glossary_hook(load_config(project)) is None


def test_annotate_keeps_other_comments():
    entry = polib.POEntry(msgid="x", tcomment="glossary: old = viejo\nreviewed by Ana")
    assert annotate(entry, []) and entry.tcomment == "reviewed by Ana"
    assert not annotate(entry, [])


@pytest.mark.parametrize("content, message, line", [
    ("word,language,translation\n", "glossary header must be", 1),
    (f"term,lang,translation,note\n{TERM},es,,\n", "glossary row has no translation", 2),
])
def test_bad_csv_names_file_and_line(project, content, message, line):
    (project / "glossary.csv").write_text(content, encoding="utf-8")
    _set_toml(project, 'glossary = "glossary.csv"')
    with pytest.raises(TmkitError) as info:
        load_glossary(load_config(project))
    assert message in info.value.message and info.value.line == line


def test_bad_tbx_and_missing_file_exit_2(runner, project):
    (project / "glossary.tbx").write_text("<martif><text>", encoding="utf-8")
    _set_toml(project, 'glossary = "glossary.tbx"')
    result = run_cli(runner, project, "check", expect=2)
    assert "glossary is not valid TBX" in result.output
    _set_toml(project, 'glossary = "missing.csv"')
    assert "glossary file not found" in run_cli(runner, project, "check", expect=2).output


GLOSSARY_FACTORY = "toolkit.checks.glossary:make_glossary_hook"


def test_update_writes_glossary_comments_and_check_flags_other_renderings(runner, project, monkeypatch):
    """Through the CLI: `tmkit update` annotates, `tmkit check` flags (demo PO files)."""
    from toolkit.catalog import hooks

    if GLOSSARY_FACTORY not in hooks.HOOK_FACTORIES and make_glossary_hook not in hooks.HOOK_FACTORIES:
        monkeypatch.setattr(hooks, "HOOK_FACTORIES", [*hooks.HOOK_FACTORIES, GLOSSARY_FACTORY])
    paths = copy_demo(project)
    _glossary(project)
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update")
    po = polib.pofile(str(paths["es"]))
    with_term = [e for e in po if not e.obsolete and e.msgid and re.search(TERM, e.msgid, re.I)]
    assert len(with_term) >= 5
    for entry in with_term:
        assert entry.tcomment.splitlines().count(f"glossary: {TERM} = {ES} (not 'cirugía fallida')") == 1
    assert not any("glossary:" in e.tcomment for e in po if e not in with_term)
    assert f"# glossary: {TERM} = {ES}" in paths["es"].read_text(encoding="utf-8")
    assert "# glossary:" not in paths["fr"].read_text(encoding="utf-8")  # no French terms
    before = paths["es"].read_bytes()
    run_cli(runner, project, "update")
    assert paths["es"].read_bytes() == before  # idempotent: nothing piles up
    assert "0 errors" in run_cli(runner, project, "check", "--lang", "es").output
    # A translator renders the term otherwise: flagged with the expected term.
    text = paths["es"].read_text(encoding="utf-8")
    paths["es"].write_text(text.replace("El síndrome de espalda fallida (FBS) es",
                                        "El síndrome de la espalda operada (FBS) es", 1), encoding="utf-8")
    result = run_cli(runner, project, "check", "--lang", "es")
    flagged = [l for l in result.output.splitlines() if "[glossary]" in l]
    assert flagged == [f"po/es/{SEED_SLUG}.po:{_msgstr_line(paths['es'], 'espalda operada')}: "
                       f"[glossary] warning: '{TERM}' should be rendered '{ES}'"]
