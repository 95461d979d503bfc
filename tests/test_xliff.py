"""XLIFF 1.2 exchange end to end: export (schemas, translate-toolkit), import by update's rules.

Every export is validated against tmkit's own schema (toolkit/schema/xliff.rng)
and against OASIS ``xliff-core-1.2-strict.xsd``, read offline from Debian's
php-symfony-translation package (dev/system-packages.sh installs it; the XSD tests skip
without it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Optional

import polib
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree
from translate.storage import xliff as ttk_xliff

from tests.conftest import REPO, run_cli
from tests.hardening.helpers import tree_hash
from toolkit.catalog.template import segment_ids
from toolkit.text.inline import ATTRS, TAGS, VOID, Element, render
from toolkit.text.inline_codes import Codes, read_xliff, structured, write_xliff
from toolkit.xliff import XLIFF_NS

NS = {"x": XLIFF_NS}
SLUG = "failed-back-syndrome"
RNG = REPO / "toolkit" / "schema" / "xliff.rng"
XSD_DIR = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
SMOKING = "Smoking is a risk for poor recovery from such an operation."
SMOKING_NEW = "Smoking is a major risk for poor recovery from such an operation."


# -- schemas ---------------------------------------------------------------------

def _rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(RNG)))


class _LocalXmlXsd(etree.Resolver):
    """The strict XSD imports http://www.w3.org/2001/xml.xsd: serve the local copy (no network)."""

    def resolve(self, url, pubid, context):
        if url and url.endswith("/xml.xsd"):
            return self.resolve_filename(str(XSD_DIR / "xml.xsd"), context)
        return None


def _strict_xsd() -> Optional[etree.XMLSchema]:
    """OASIS XLIFF 1.2 strict, or None where Debian's php-symfony-translation is not installed."""
    path = XSD_DIR / "xliff-core-1.2-strict.xsd"
    if not path.is_file():
        return None
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(path: Path) -> etree._ElementTree:
    """Valid against tmkit's RELAX NG subset and OASIS XLIFF 1.2 strict."""
    doc = etree.parse(str(path))
    rng = _rng()
    assert rng.validate(doc), rng.error_log
    xsd = _strict_xsd()
    assert xsd is None or xsd.validate(doc), xsd.error_log
    return doc


def test_oasis_strict_schema_is_there_and_refuses_what_it_should(tmp_path):
    """The XSD the exports are checked against is really loaded, and really strict."""
    xsd = _strict_xsd()
    if xsd is None:
        pytest.skip("OASIS xliff-core-1.2-strict.xsd not installed (apt-get install php-symfony-translation)")
    bad = etree.fromstring(
        f'<xliff xmlns="{XLIFF_NS}" version="1.2"><file original="a" source-language="en" '
        'datatype="po"><body><trans-unit id="1"><source>a</source>'
        '<target state="almost-done">b</target></trans-unit></body></file></xliff>')
    assert not xsd.validate(bad)


def assert_ttk_reads(path: Path, lang: str) -> int:
    """translate-toolkit's xliff storage sees our units, ids, sources and targets; returns the count."""
    ours = _units(path)
    store = ttk_xliff.xlifffile.parsefile(str(path))
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == lang
    assert len(store.units) == len(ours)
    for theirs, mine in zip(store.units, ours):
        assert theirs.getid().split("\x04")[-1] == mine.get("id")
        assert theirs.source == "".join(mine.find("x:source", NS).itertext())
        target = mine.find("x:target", NS)
        assert theirs.target == ("".join(target.itertext()) if target is not None else None)
    return len(ours)


# -- fixtures --------------------------------------------------------------------

def _edit_english(root: Path, old: str, new: str, runner) -> None:
    article = root / "source" / f"{SLUG}.txt"
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new), encoding="utf-8")
    run_cli(runner, root, "extract")
    run_cli(runner, root, "update")


def _units(path: Path) -> list[etree._Element]:
    return etree.parse(str(path)).findall(".//x:trans-unit", NS)


def _unit(path: Path, source_start: str) -> etree._Element:
    found = [u for u in _units(path) if "".join(u.find("x:source", NS).itertext()).startswith(source_start)]
    assert len(found) == 1
    return found[0]


def _set_target(path: Path, unit_id: str, inner_xml: str, state: str = "translated") -> None:
    """What an agency's tool does: change one unit's <target>, leave the rest."""
    tree = etree.parse(str(path))
    unit = tree.find(f".//x:trans-unit[@id='{unit_id}']", NS)
    target = unit.find("x:target", NS)
    if target is None:
        target = etree.Element(f"{{{XLIFF_NS}}}target")
        unit.find("x:source", NS).addnext(target)
    for child in list(target):
        target.remove(child)
    fragment = etree.fromstring(f'<t xmlns="{XLIFF_NS}">{inner_xml}</t>')
    target.text = fragment.text
    for child in fragment:
        target.append(child)
    target.set("state", state)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _entries(po_path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


def _without_block(text: str, msgid_start: str) -> str:
    """The PO text with the entry whose msgid starts with ``msgid_start`` removed."""
    blocks = text.split("\n\n")
    kept = [b for b in blocks if f'msgid "{msgid_start}' not in b and f'"{msgid_start}' not in b]
    assert len(kept) == len(blocks) - 1
    return "\n\n".join(kept)


def _exported(demo, runner) -> Path:
    out = demo.parent / "agency"
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(out))
    return out / "es" / f"{SLUG}.xlf"


def _agency_translates_smoking(demo, runner, text: str, state: str = "translated") -> tuple[Path, str]:
    """Export Spanish, then give the smoking sentence's unit ``text``: the file and the unit id."""
    path = _exported(demo, runner)
    unit_id = _unit(path, "Smoking is a risk").get("id")
    _set_target(path, unit_id, text, state)
    return path, unit_id


# -- export ----------------------------------------------------------------------

def test_demo_export_is_valid_with_one_unit_per_entry(demo, runner):
    _edit_english(demo, SMOKING, SMOKING_NEW, runner)          # makes one entry fuzzy
    result = run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(demo.parent / "agency"))
    path = demo.parent / "agency" / "es" / f"{SLUG}.xlf"
    assert f"{SLUG}.xlf: 32 units" in result.output
    doc = assert_valid(path)
    po = _entries(demo / "po" / "es" / f"{SLUG}.po")
    units = doc.findall(".//x:trans-unit", NS)
    assert len(units) == len(po) == 32
    (file_el,) = doc.findall("x:file", NS)
    assert (file_el.get("source-language"), file_el.get("target-language")) == ("en", "es")
    assert not any(u.find("x:source", NS).text == "" for u in units)     # no header unit
    # ids are the segment ids, in PO order
    assert [u.get("id") for u in units] == [segment_ids(e)[0] for e in po]
    fuzzy = _unit(path, SMOKING_NEW)
    assert fuzzy.find("x:target", NS).get("state") == "needs-review-translation"
    notes = [n.text for n in fuzzy.findall("x:note", NS)]
    assert any(n.startswith("Paragraph") and "sentence 5 of 5" in n for n in notes), notes
    assert any(SMOKING in n for n in notes)                   # the English it was made for
    done = _unit(path, "Failed back syndrome (FBS) is defined")
    assert done.find("x:target", NS).get("state") == "translated"
    assert done.get("approved") == "yes"
    assert fuzzy.get("approved") is None
    assert any(n.text.startswith("glossary: failed back syndrome = síndrome de espalda fallida")
               and n.get("from") == "translator" for n in done.findall("x:note", NS))
    refs = done.findall("x:context-group[@purpose='location']/x:context", NS)
    assert [c.get("context-type") for c in refs] == ["sourcefile", "linenumber"]
    assert refs[0].text == f"source/{SLUG}.txt" and refs[1].text.isdigit()


def test_translate_toolkit_reads_every_export_with_same_units(demo, runner):
    out = demo.parent / "agency"
    for lang in ("es", "de", "ar", "zh-Hans"):
        run_cli(runner, demo, "xliff", "export", "--lang", lang, "-o", str(out))
        path = out / lang / f"{SLUG}.xlf"
        assert_valid(path)
        assert assert_ttk_reads(path, lang) == len(_entries(demo / "po" / lang / f"{SLUG}.po"))


def test_untranslated_only_and_article_selection(demo, runner):
    out = demo.parent / "agency"
    result = run_cli(runner, demo, "xliff", "export", "--lang", "de", "--article", SLUG,
                     "--untranslated-only", "-o", str(out))
    path = out / "de" / f"{SLUG}.xlf"
    assert_valid(path)
    po = _entries(demo / "po" / "de" / f"{SLUG}.po")
    todo = [e for e in po if not e.msgstr or "fuzzy" in e.flags]
    assert len(_units(path)) == len(todo) == 14 and "14 units" in result.output
    assert all(u.find("x:target", NS) is None for u in _units(path))
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "--untranslated-only", "-o", str(out))
    assert not (out / "es" / f"{SLUG}.xlf").exists()          # nothing to do in Spanish


def test_alt_trans_for_an_untranslated_entry(project, runner):
    """An empty entry with a fuzzy TM match gets <alt-trans match-quality origin>."""
    from tests.tm_helpers import EDITED, SEED_FIRST, SEED_FIRST_ES, write_po

    settings_path = project / "tmkit.toml"
    settings_path.write_text(settings_path.read_text(encoding="utf-8").replace(
        'prefill = "fuzzy"', 'prefill = "off"'), encoding="utf-8")
    write_po(project, "es", SLUG, [(SEED_FIRST, SEED_FIRST_ES)])
    run_cli(runner, project, "tm", "update")
    (project / "source" / "other.md").write_text(f"# Other\n\n{EDITED}\n", encoding="utf-8")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    out = project.parent / "agency"
    run_cli(runner, project, "xliff", "export", "--lang", "es", "--article", "other", "-o", str(out))
    path = out / "es" / "other.xlf"
    assert_valid(path)
    unit = _unit(path, EDITED)
    assert unit.find("x:target", NS) is None
    (alt,) = unit.findall("x:alt-trans", NS)
    assert alt.get("origin") == f"es/{SLUG}#b1.s1" and 86 <= int(alt.get("match-quality")) <= 90
    assert "".join(alt.find("x:target", NS).itertext()) == SEED_FIRST_ES
    assert alt.find("x:target", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "es"


# -- import ----------------------------------------------------------------------

def test_edit_one_target_changes_that_entry_and_no_other_byte(demo, runner):
    out = demo.parent / "agency"
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(out))
    path = out / "es" / f"{SLUG}.xlf"
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    before = po_path.read_text(encoding="utf-8")
    unit = _unit(path, "Smoking is a risk")
    _set_target(path, unit.get("id"), "Fumar es un gran riesgo de mala recuperación tras una operación así.")
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert f"{path}: 1 applied, 0 fuzzy, 0 stale, 0 unknown (31 unchanged)" in result.output
    after = po_path.read_text(encoding="utf-8")
    assert after != before
    assert _without_block(after, "Smoking is a risk") == _without_block(before, "Smoking is a risk")
    entry = next(e for e in _entries(po_path) if e.msgid == SMOKING)
    assert entry.msgstr == "Fumar es un gran riesgo de mala recuperación tras una operación así."
    assert "fuzzy" not in entry.flags
    # the same file again: nothing changes
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert "0 applied, 0 fuzzy, 0 stale, 0 unknown (32 unchanged)" in result.output
    assert "0 PO files written" in result.output
    assert po_path.read_text(encoding="utf-8") == after


def test_a_po_file_saved_during_the_import_gets_the_import_again(demo, runner, monkeypatch):
    """A translator saves the catalog while the import works on it: both changes are kept."""
    from toolkit.xliff import project as xliff_project

    path, _ = _agency_translates_smoking(demo, runner, "Fumar es un gran riesgo.")
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    real, calls = xliff_project.apply_to_catalog, []

    def apply_then_save(*args):
        result = real(*args)
        if not calls:
            saved = po_path.read_text(encoding="utf-8").replace("#. Breadcrumb 1\n", "# revisado por Ana\n#. Breadcrumb 1\n")
            po_path.with_name("editor.tmp").write_text(saved, encoding="utf-8")
            po_path.with_name("editor.tmp").replace(po_path)
        calls.append(args[0])
        return result

    monkeypatch.setattr(xliff_project, "apply_to_catalog", apply_then_save)
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert f"merged again po/es/{SLUG}.po: saved by someone while tmkit ran" in result.output
    entries = {e.msgid: e for e in _entries(po_path)}
    assert entries["Home"].tcomment == "revisado por Ana"                    # the save survived
    assert entries[SMOKING].msgstr == "Fumar es un gran riesgo."             # and the import is in it


def test_agency_state_decides_translated_or_fuzzy(demo, runner):
    path, _ = _agency_translates_smoking(demo, runner, "Fumar es un riesgo.", "needs-review-translation")
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert "0 applied, 1 fuzzy" in result.output
    entry = next(e for e in _entries(demo / "po" / "es" / f"{SLUG}.po") if e.msgid == SMOKING)
    assert entry.msgstr == "Fumar es un riesgo." and "fuzzy" in entry.flags


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_a_target_with_a_newline_its_source_lacks_still_passes_msgfmt_check(demo, runner):
    """A CAT tool's target ending in a newline the English sentence lacks: without the
    fix ``msgfmt --check`` refused the imported catalog (a fatal error)."""
    path, _ = _agency_translates_smoking(demo, runner, "\nFumar es un riesgo.\n")
    run_cli(runner, demo, "xliff", "import", str(path))
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    entry = next(e for e in _entries(po_path) if e.msgid == SMOKING)
    assert entry.msgstr == "Fumar es un riesgo."
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_changed_english_is_not_applied_as_translated(demo, runner):
    path, unit_id = _agency_translates_smoking(
        demo, runner, "Fumar es un riesgo de mala recuperación tras esta operación.")
    _edit_english(demo, SMOKING, SMOKING_NEW, runner)
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    held = run_cli(runner, demo, "xliff", "import", "--stale", "hold", str(path))
    assert "0 applied, 0 fuzzy, 1 stale, 0 unknown" in held.output
    assert re.search(rf"{re.escape(str(path))}:\d+: unit '{unit_id}' \(segment {unit_id}\): "
                     r"the English changed since the export; held back", held.output)
    before = po_path.read_bytes()
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert "0 applied, 0 fuzzy, 1 stale, 0 unknown" in result.output
    assert "the English changed since the export; applied as fuzzy" in result.output
    entry = next(e for e in _entries(po_path) if e.msgid == SMOKING_NEW)
    assert "fuzzy" in entry.flags and entry.previous_msgid == SMOKING
    assert entry.msgstr == "Fumar es un riesgo de mala recuperación tras esta operación."
    assert po_path.read_bytes() != before
    again = run_cli(runner, demo, "xliff", "import", str(path))
    assert "already in the PO as fuzzy" in again.output and "0 PO files written" in again.output


def test_finished_translation_is_never_replaced_by_a_stale_unit(demo, runner):
    path, _ = _agency_translates_smoking(demo, runner, "Texto antiguo de la agencia.")
    _edit_english(demo, SMOKING, SMOKING_NEW, runner)
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    text = po_path.read_text(encoding="utf-8").replace("#, fuzzy\n#| msgid \"Smoking is a risk for poor "
                                                       "recovery from such an operation.\"\n", "")
    po_path.write_text(text, encoding="utf-8")     # the translator already finished it
    before = tree_hash(demo / "po")
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert "1 stale" in result.output and "held back (the entry has a finished translation)" in result.output
    assert tree_hash(demo / "po") == before


def test_unknown_segment_is_reported(demo, runner):
    out = demo.parent / "agency"
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(out))
    path = out / "es" / f"{SLUG}.xlf"
    text = path.read_text(encoding="utf-8").replace('id="b2.s5" resname="b2.s5"', 'id="b99.s1" resname="b99.s1"')
    text = text.replace(SMOKING, "A sentence that is gone.")
    path.write_text(text, encoding="utf-8")
    result = run_cli(runner, demo, "xliff", "import", str(path))
    assert "0 stale, 1 unknown" in result.output
    assert "unit 'b99.s1' (segment b99.s1): no such segment" in result.output


# -- inline markup -----------------------------------------------------------------

MARKED = ("# Back pain\n\nTake *two* tablets\\\nand read [our guide](https://example.org/guide?a=1&b=2) "
          "before **any** surgery.\n")
MARKED_EN = ('Take <em>two</em> tablets<br/>and read <a href="https://example.org/guide?a=1&amp;b=2">'
             "our guide</a> before <strong>any</strong> surgery.")
MARKED_ES = ('Tome <em>dos</em> comprimidos<br/>y lea <a href="https://example.org/guide?a=1&amp;b=2">'
             "nuestra guía</a> antes de <strong>cualquier</strong> cirugía.")


@pytest.fixture
def marked(project, runner) -> Path:
    (project / "source" / "marked.md").write_text(MARKED, encoding="utf-8")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    return project


def test_inline_markup_round_trip_through_xliff_and_tmx(marked, runner):
    out = marked.parent / "agency"
    run_cli(runner, marked, "xliff", "export", "--lang", "es", "--article", "marked", "-o", str(out))
    path = out / "es" / "marked.xlf"
    assert_valid(path)
    source = _unit(path, "Take two").find("x:source", NS)
    assert assert_ttk_reads(path, "es") == 2
    assert [(g.tag.split("}")[1], g.get("id"), g.get("ctype")) for g in source] == [
        ("g", "1", "italic"), ("x", "2", "lb"), ("g", "3", "link"), ("g", "4", "bold")]
    assert "<" not in "".join(source.itertext())               # tags are elements, not text
    # the translator moves the tags (CAT tools copy <g> from the source)
    _set_target(path, "b1.s1", 'Tome <g id="1" ctype="italic">dos</g> comprimidos<x id="2" ctype="lb"/>y '
                'lea <g id="3" ctype="link">nuestra guía</g> antes de <g id="4" ctype="bold">cualquier</g> '
                'cirugía.')
    result = run_cli(runner, marked, "xliff", "import", str(path))
    assert "1 applied" in result.output
    po_path = marked / "po" / "es" / "marked.po"
    entry = next(e for e in _entries(po_path) if e.msgid == MARKED_EN)
    assert entry.msgstr == MARKED_ES
    # exported again, the translation carries the same <g> ids
    run_cli(runner, marked, "xliff", "export", "--lang", "es", "--article", "marked", "-o", str(out))
    target = _unit(out / "es" / "marked.xlf", "Take two").find("x:target", NS)
    assert [g.get("id") for g in target] == ["1", "2", "3", "4"]
    # TMX: <bpt>/<ept> with the tag as native code, and back to the same PO text
    run_cli(runner, marked, "tm", "update")
    run_cli(runner, marked, "tm", "export", "--lang", "es", "-o", str(out / "es.tmx"))
    tmx = etree.parse(str(out / "es.tmx"))
    seg = next(s for s in tmx.iter("seg") if (s.text or "").startswith("Tome"))
    assert [(b.get("type"), b.text) for b in seg.iter("bpt")] == [
        ("italic", "<em>"), ("link", '<a href="https://example.org/guide?a=1&amp;b=2">'), ("bold", "<strong>")]
    assert [e.text for e in seg.iter("ept")] == ["</em>", "</a>", "</strong>"]
    assert [(p.get("type"), p.text) for p in seg.iter("ph")] == [("lb", "<br/>")]
    other = marked.parent / "other"
    run_cli(runner, other.parent, "init", str(other), "--lang", "es")
    run_cli(runner, other, "tm", "import", str(out / "es.tmx"))
    looked = run_cli(runner, other, "tm", "lookup", MARKED_EN, "--lang", "es", "--json").output
    assert '"exact": true' in looked and MARKED_ES.replace('"', '\\"') in looked


def test_translation_with_wrong_tags_is_refused(marked, runner):
    out = marked.parent / "agency"
    run_cli(runner, marked, "xliff", "export", "--lang", "es", "--article", "marked", "-o", str(out))
    path = out / "es" / "marked.xlf"
    po_before = tree_hash(marked / "po")
    cases = {
        'Tome dos<x id="2"/>y lea <g id="3">nuestra guía</g> antes de <g id="4">cualquier</g> cirugía.':
            "tags do not pair up or differ from the source's",
        'Tome <g id="1">dos</g><x id="2"/> <g id="7">y</g> lea <g id="3">guía</g> <g id="4">x</g>.':
            'id="7"> is not a tag of the source',
        'Tome <g id="1" ctype="bold">dos</g><x id="2"/> lea <g id="3">guía</g> <g id="4">x</g>.':
            'differs from the source tag (ctype "italic")',
        'Tome <g id="1">dos</g><g id="2">y</g> lea <g id="3">guía</g> <g id="4">x</g>.':
            'stands for <br> in the source',
        'Tome <bpt id="1">&lt;em&gt;</bpt>dos<x id="2"/> lea <g id="3">guía</g> <g id="4">x</g>.':
            "inline element <bpt> is not one tmkit writes",
    }
    for inner, message in cases.items():
        _set_target(path, "b1.s1", inner)
        result = run_cli(runner, marked, "xliff", "import", str(path), expect=1)   # refused: exit 1
        assert "1 refused" in result.output and message in result.output, result.output
        assert tree_hash(marked / "po") == po_before


_text = st.lists(st.sampled_from(list("ab é<>&\"'\n中") + ["&lt;", "&amp;"]), max_size=5).map("".join)
_href = st.text(st.sampled_from(list("ab/:?&=\"<>")), max_size=6)


def _make(tag: str, value: str, kids: list) -> Element:
    attrs = {name: value for name in ATTRS.get(tag, ())[:1]}
    return Element(tag, attrs, [] if tag in VOID else kids)


_nodes = st.recursive(
    st.lists(_text, max_size=2),
    lambda inner: st.lists(st.one_of(_text, st.builds(_make, st.sampled_from(list(TAGS)), _href,
                                                      inner)), max_size=4),
    max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(nodes=_nodes)
def test_xliff_inline_elements_read_back_as_the_same_markup(nodes):
    markup = render(nodes)
    if structured(markup) is None or re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", markup):
        return
    codes = Codes.of(markup)
    source = etree.Element(f"{{{XLIFF_NS}}}source")
    write_xliff(source, markup, codes, XLIFF_NS)
    reparsed = etree.fromstring(etree.tostring(source))
    assert read_xliff(reparsed, codes, XLIFF_NS) == markup


# -- untrusted input -----------------------------------------------------------------

def _refused(runner, demo, path: Path, pattern: str, *extra: Path) -> None:
    before = tree_hash(demo / "po")
    result = run_cli(runner, demo, "xliff", "import", *map(str, extra), str(path), expect=2)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(rf"tmkit: error: {re.escape(str(path))}:\d+: {pattern}",
                                            lines[0]), result.output
    assert tree_hash(demo / "po") == before


def test_hostile_and_wrong_files_are_refused_with_nothing_changed(demo, runner, tmp_path):
    good = _exported(demo, runner)
    _set_target(good, _unit(good, "Smoking is a risk").get("id"), "Cambiado.")
    text = good.read_text(encoding="utf-8")
    bad = tmp_path / "bad.xlf"
    cases = {
        text.replace("<?xml version='1.0' encoding='UTF-8'?>",
                     "<?xml version='1.0'?>\n<!DOCTYPE xliff [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"):
            r"XLIFF with a DOCTYPE; refused.*",
        text.replace('version="1.2"', 'version="2.0"', 1): r"unsupported XLIFF version '2.0'.*",
        text.replace('target-language="es"', 'target-language="it"'):
            r"file for language 'it', which tmkit.toml does not list.*",
        text.replace('source-language="en"', 'source-language="fr"'): r"source language 'fr' is not.*",
        re.sub(r"<source>YOU are here</source>", "", text): r"unit 'm.breadcrumb_label.1' has no <source>",
        text.replace("</body>", "<body>"): r"not well-formed XML: .*",
        text.replace('original="po/es/failed-back-syndrome.po"', 'original="../../etc/passwd"'):
            r"<file original='../../etc/passwd'> does not name a PO file of the project",
        text.replace('original="po/es/failed-back-syndrome.po"', 'original="po/es/nothere.po"'):
            r"no PO file po/es/nothere.po for .*",
    }
    for content, pattern in cases.items():
        bad.write_text(content, encoding="utf-8")
        # a good file before the bad one is not applied either
        _refused(runner, demo, bad, pattern, good)


def test_oversized_file_is_refused(demo, runner, monkeypatch):
    from toolkit.xliff import reader

    path = _exported(demo, runner)
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    _refused(runner, demo, path, r"file is [\d,]+ bytes, more than the 1,000 tmkit reads.*")


def test_billion_laughs_is_refused_quickly(demo, runner, tmp_path):
    path = tmp_path / "lol.xlf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY a "aaaaaaaaaa">\n'
                    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
                    + ']>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">&i;</xliff>\n',
                    encoding="utf-8")
    _refused(runner, demo, path, r"XLIFF with a DOCTYPE; refused.*")


# -- the library on a hand-made catalog: msgctxt, reviewed, line breaks, every tag ----------

CATALOG = '''msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

# reviewed by Ana
#. Breadcrumb 1
#. id: m.crumb.1
msgctxt "breadcrumb"
msgid "Home"
msgstr "Inicio"

#. id: b1.s1
msgid "Use <code>x</code>, H<sub>2</sub>O and <s>9</s> 10<sup>3</sup><br/>per line<fn ref=\\"2\\"/>."
msgstr ""

#. id: b2.s1
msgid "Home"
msgstr "Portada"
'''


def test_msgctxt_reviewed_and_line_breaks_round_trip(tmp_path):
    from toolkit.catalog.pofile import parse_po
    from toolkit.xliff.apply import CatalogImport, apply_file
    from toolkit.xliff.reader import read_document
    from toolkit.xliff.writer import ExportEntry, render_document

    po = parse_po(CATALOG, "t.po")
    data = render_document([ExportEntry(e, signed_off=e.msgctxt == "breadcrumb") for e in po],
                           original="po/es/t.po", source_lang="en", target_lang="es")
    path = tmp_path / "t.xlf"
    path.write_bytes(data)
    doc = assert_valid(path)
    crumb, marked, home = doc.findall(".//x:trans-unit", NS)
    # every finished translation is approved; a sign-off makes it signed-off
    assert crumb.get("approved") == home.get("approved") == "yes" and marked.get("approved") is None
    assert crumb.find("x:target", NS).get("state") == "signed-off"
    assert home.find("x:target", NS).get("state") == "translated"
    assert crumb.find("x:context-group[@purpose='match']/x:context", NS).text == "breadcrumb"
    assert home.find("x:context-group[@purpose='match']", NS) is None
    source = marked.find("x:source", NS)
    assert [(e.tag.split("}")[1], e.get("id"), e.get("ctype")) for e in source] == [
        ("g", "1", "x-code"), ("g", "2", "x-sub"), ("g", "3", "x-strike"), ("g", "4", "x-sup"),
        ("x", "5", "lb"), ("x", "6", "x-fn")]
    assert any("reference to footnote 2" in n.text for n in marked.findall("x:note", NS))
    # the agency translates the marked unit and swaps the two "Home" translations' texts
    text = data.decode("utf-8")
    source_xml = ('<source>Use <g id="1" ctype="x-code">x</g>, H<g id="2" ctype="x-sub">2</g>O and '
                  '<g id="3" ctype="x-strike">9</g> 10<g id="4" ctype="x-sup">3</g><x id="5" ctype="lb"/>'
                  'per line<x id="6" ctype="x-fn"/>.</source>')
    assert source_xml in text
    text = text.replace(source_xml, source_xml + '<target>Use <g id="1">x</g>, H<g id="2">2</g>O y '
                        '<g id="3">9</g> 10<g id="4">3</g><x id="5"/>por línea<x id="6"/>.</target>')
    text = text.replace("<target state=\"signed-off\">Inicio</target>",
                        "<target state=\"translated\">Página de inicio</target>")
    path.write_text(text, encoding="utf-8")
    (xfile,) = read_document(path)
    catalog = CatalogImport("t.po", CATALOG, po)
    counts, messages = apply_file(xfile, catalog, "t.xlf")
    assert (counts.applied, counts.unchanged, messages) == (2, 1, [])
    back = {(e.msgctxt, e.msgid): e.msgstr for e in parse_po(catalog.render(), "t.po")}
    assert back[("breadcrumb", "Home")] == "Página de inicio"
    assert back[(None, "Home")] == "Portada"
    assert back[(None, 'Use <code>x</code>, H<sub>2</sub>O and <s>9</s> 10<sup>3</sup><br/>per line'
                       '<fn ref="2"/>.')] == \
        'Use <code>x</code>, H<sub>2</sub>O y <s>9</s> 10<sup>3</sup><br/>por línea<fn ref="2"/>.'
    # an <x/> where the source has a <g> (or the other way round) is refused
    path.write_text(text.replace('<x id="5"/>por', '<g id="5">por</g>'), encoding="utf-8")
    (xfile,) = read_document(path)
    counts, messages = apply_file(xfile, CatalogImport("t.po", CATALOG, parse_po(CATALOG, "t.po")), "t.xlf")
    assert counts.refused == 1 and "stands for <br> in the source" in messages[0]
    assert '(missing <x id="5"/>; extra <g id="5">)' in messages[0]


def test_export_never_writes_into_the_project_inputs(demo, runner):
    before = tree_hash(demo / "po")
    result = run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(demo / "po"), expect=2)
    assert "would overwrite the project's own files" in result.output
    result = run_cli(runner, demo, "xliff", "export", "--lang", "it", "-o", str(demo.parent / "a"), expect=2)
    assert "language not configured" in result.output or "unknown language" in result.output
    assert tree_hash(demo / "po") == before and not (demo.parent / "a").exists()


def test_text_xml_cannot_carry_is_skipped_and_counted(demo, runner):
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    text = po_path.read_text(encoding="utf-8")
    po_path.write_text(text.replace('msgstr "Inicio"', 'msgstr "Ini\\bcio"'), encoding="utf-8")
    result = run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(demo.parent / "a"))
    assert "31 units (1 skipped: characters XML cannot carry)" in result.output
    assert_valid(demo.parent / "a" / "es" / f"{SLUG}.xlf")
