"""Control characters in translations and articles, from every input (CLI as a subprocess).

C0 controls other than tab and newline, DEL and the C1 controls (U+0080-U+009F)
never reach a published page: a PO translation holding one is rejected with
its file and line and English is used; an XLIFF unit is refused (exit 1); a
TMX unit is skipped with a warning; a Word document or any other article is
refused, naming the part or the line.  Inputs are generated here.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from tests.docx_helpers import Footnotes, new_document, save
from tests.hardening.helpers import (SLUG, assert_clean_error, assert_no_traceback, assert_unchanged,
                                     copy_project, make_project, tmkit, tree_hash, write)
from toolkit.catalog.pofile import read_po, write_po
from toolkit.publish.writers.xml import validate
from toolkit.xliff import XLIFF_NS

#: What no published file may hold (tab and newline are text).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The controls of the issue, each planted in its own translation.
PLANTED = {"\x85": "U+0085", "\x9b": "U+009B", "\x7f": "U+007F", "\x1b": "U+001B", "\r": "U+000D"}
#: The ones an XML file can hold at all (XML 1.0 has no way to write ESC: such a
#: file is refused as not well-formed), as character references where a raw one
#: would not survive parsing.
IN_XML = {"\x85": "U+0085", "&#x9b;": "U+009B", "\x7f": "U+007F", "&#13;": "U+000D"}
PO = f"po/es/{SLUG}.po"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("controls") / "proj")


@pytest.fixture
def root(template, tmp_path) -> Path:
    return copy_project(template, tmp_path / "proj")


def _translated(root: Path) -> list:
    return [e for e in read_po(root / PO) if e.msgid and e.msgstr and not e.obsolete
            and "fuzzy" not in e.flags and "<" not in e.msgid]


def test_po_translations_with_controls_publish_none_in_html_xml_or_text(root):
    entries = _translated(root)[:len(PLANTED)]
    po = read_po(root / PO)
    by_id = {e.msgid: e for e in po}
    for entry, char in zip(entries, PLANTED):
        target = by_id[entry.msgid]
        middle = len(target.msgstr) // 2
        target.msgstr = target.msgstr[:middle] + char + target.msgstr[middle:]
    write_po(root / PO, po)
    lines = {e.msgid: e.linenum for e in read_po(root / PO)}

    run = tmkit(root, "build", "--lang", "es", "--force")
    assert_no_traceback(run)
    assert run.code == 0, run.err
    for entry, name in zip(entries, PLANTED.values()):
        assert (f"tmkit: warning: {PO}:{lines[entry.msgid]}: translation holds a control character "
                f"({name}), English used") in run.err, run.err
    out = root / "exports" / "es"
    for ext in ("html", "xml", "txt"):
        text = (out / f"{SLUG}.{ext}").read_bytes().decode("utf-8")
        assert not FORBIDDEN.search(text), (ext, FORBIDDEN.search(text))
    assert validate((out / f"{SLUG}.xml").read_bytes()) == []
    # A strict HTML5 parser reports a C1 control as an error; the page has none.
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse((out / f"{SLUG}.html").read_bytes())
    # English stands in for each refused translation (its first words are on the page).
    page = (out / f"{SLUG}.txt").read_text("utf-8")
    for entry in entries:
        assert " ".join(entry.msgid.split()[:4]) in page, entry.msgid
    # The review page shows each refused translation, its control written visibly.
    assert tmkit(root, "review", "--lang", "es").code == 0
    review = (root / "exports" / "review" / "es" / f"{SLUG}.html").read_bytes()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(review)
    assert not FORBIDDEN.search(review.decode("utf-8"))
    assert all(shown.encode() in review for shown in ("\\x85", "\\x9b", "\\x7f", "\\x1b", "\\r"))
    # ... and the TM is never fed a translation the build refuses.
    assert tmkit(root, "tm", "update").code == 0
    with sqlite3.connect(root / ".tmkit" / "tm.sqlite") as db:
        targets = [t for (t,) in db.execute("SELECT target FROM units")]
    assert targets and not any(FORBIDDEN.search(t) for t in targets)


def _export(root: Path) -> Path:
    run = tmkit(root, "xliff", "export", "--lang", "es", "--no-tm", "-o", "agency")
    assert run.code == 0, run.err
    return root / "agency" / "es" / f"{SLUG}.xlf"


def _units(path: Path) -> tuple[etree._ElementTree, list[etree._Element]]:
    tree = etree.parse(str(path))
    units = tree.findall(f".//{{{XLIFF_NS}}}trans-unit")
    return tree, [u for u in units if u.find(f"{{{XLIFF_NS}}}target") is not None
                  and "<" not in "".join(u.find(f"{{{XLIFF_NS}}}source").itertext())
                  and not list(u.find(f"{{{XLIFF_NS}}}target"))]


def test_xliff_units_with_controls_are_refused_with_file_line_and_exit_1(root):
    path = _export(root)
    tree, units = _units(path)
    planted = IN_XML
    bad = units[:len(planted)]
    for n, unit in enumerate(bad):
        unit.find(f"{{{XLIFF_NS}}}target").text = f"Traducción @@{n}@@ nueva."
    good = units[len(planted)]
    good.find(f"{{{XLIFF_NS}}}target").text = "Una traducción nueva y correcta."
    text = etree.tostring(tree, encoding="unicode")
    for n, char in enumerate(planted):
        text = text.replace(f"@@{n}@@", char)
    path.write_text(text, encoding="utf-8")
    lines = {u.get("id"): u.sourceline for u in etree.parse(str(path)).iter(f"{{{XLIFF_NS}}}trans-unit")}
    before = {e.msgid: e.msgstr for e in read_po(root / PO)}

    run = tmkit(root, "xliff", "import", "agency/es/" + f"{SLUG}.xlf")
    assert_no_traceback(run)
    assert run.code == 1, (run.code, run.err)
    for unit, name in zip(bad, planted.values()):
        assert (f"agency/es/{SLUG}.xlf:{lines[unit.get('id')]}: unit '{unit.get('id')}'" in run.err
                and f"control character {name}" in run.err), (unit.get("id"), run.err)
    assert f"{len(planted)} refused" in run.out
    after = {e.msgid: e.msgstr for e in read_po(root / PO)}
    assert not any(FORBIDDEN.search(t) for t in after.values())
    changed = [m for m in before if before[m] != after.get(m)]
    assert changed and all(after[m] == "Una traducción nueva y correcta." for m in changed)


def test_tmx_units_with_controls_are_skipped_with_a_warning_naming_the_line(root, tmp_path):
    units = [("Back pain is common.", "El dolor de espalda es frecuente.")]
    units += [(f"Sentence number {n} about the spine.", f"Frase {char} número {n}.")
              for n, char in enumerate(IN_XML)]
    units.append(("A source with \x9b inside.", "Una fuente con algo dentro."))
    body = "".join(f'<tu>\n<tuv xml:lang="en"><seg>{s}</seg></tuv>\n'
                   f'<tuv xml:lang="es"><seg>{t}</seg></tuv>\n</tu>\n' for s, t in units)
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
            'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" '
            f'datatype="plaintext"/><body>\n{body}</body></tmx>\n')
    path = write(tmp_path / "controls.tmx", text)
    run = tmkit(root, "tm", "import", str(path))
    assert_no_traceback(run)
    assert run.code == 0, run.err
    warnings = [line for line in run.err.splitlines() if line.startswith("tmkit: warning: ")]
    assert len(warnings) == len(IN_XML) + 1, run.err
    for n, line in enumerate(warnings):
        assert re.match(rf"tmkit: warning: {re.escape(str(path))}:{9 + 4 * n}: es unit holds the "
                        r"control character U\+00[0-9A-F]{2}, which no page may carry; skipped", line), line
    assert "1 units read, 1 new" in run.out and f"{len(IN_XML) + 1} skipped" in run.out
    with sqlite3.connect(root / ".tmkit" / "tm.sqlite") as db:
        assert [t for (t,) in db.execute("SELECT target FROM units")] == ["El dolor de espalda es frecuente."]


@pytest.mark.parametrize("char", ["\x85", "\x9b", "\x7f"])
def test_word_document_with_a_control_is_refused_naming_the_part(root, char):
    document = new_document()
    document.add_paragraph("Controls in Word", style="Title")
    document.add_paragraph(f"Text with a {char} control.")
    save(document, root / "source" / "ctl.docx")
    before = tree_hash(root)
    line = assert_clean_error(tmkit(root, "extract"), "source/ctl.docx: word/document.xml:2: ",
                              f"control character U+{ord(char):04X}")
    assert "\x1b" not in line and char not in line
    assert_unchanged(before, tree_hash(root))


def test_word_footnote_with_a_control_is_refused_naming_its_part(root):
    document = new_document()
    document.add_paragraph("Controls in Word", style="Title")
    notes = Footnotes(document)
    notes.ref(document.add_paragraph("A claim."), "A source \x85 here.")
    notes.attach()
    save(document, root / "source" / "note.docx")
    assert_clean_error(tmkit(root, "extract"), "source/note.docx: word/footnotes.xml:1: ",
                       "control character U+0085")


@pytest.mark.parametrize("name, data, line", [
    ("ctl.txt", "Title\n\nFirst paragraph.\n\nWith a \x7f DEL.\n", 5),
    ("ctl.md", "# Title\n\nFirst.\n\nWith an \x1b[31m escape.\n", 5),
    ("ctl.html", "<html><body><h1>Title</h1>\n<p>First.</p>\n<p>With \x9b a CSI.</p></body></html>", 3),
])
def test_article_with_a_control_is_refused_with_its_line(root, name, data, line):
    write(root / "source" / name, data)
    before = tree_hash(root)
    for command in (("extract",), ("build", "--lang", "en")):
        assert_clean_error(tmkit(root, *command), f"source/{name}", "control character U+00",
                           line=line)
    assert_unchanged(before, tree_hash(root))
