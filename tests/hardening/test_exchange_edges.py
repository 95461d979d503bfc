"""The small doors of exchange files (CLI as a subprocess; every input generated here).

A FIFO never makes tmkit wait; an export or build folder symlinked into po/ is refused;
a unit given twice in two ``<file>``s is an error naming both; text inside
``<x/>`` is never dropped silently; a Windows PO file (BOM, CRLF) keeps every
byte but the entries an import changes; merge-po's comment never holds a raw
control character; a Latin-1 XLIFF and an empty TMX or XLIFF are errors with a
line.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from lxml import etree

from tests.hardening.helpers import (SLUG, assert_clean_error, assert_no_traceback, assert_unchanged,
                                     copy_project, make_project, tmkit, tree_hash, write)
from toolkit.catalog.pofile import parse_po, read_po
from toolkit.xliff import XLIFF_NS

PO = f"po/es/{SLUG}.po"
XLF = f"agency/es/{SLUG}.xlf"
T = f"{{{XLIFF_NS}}}"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("edges") / "proj")
    write(root / "source" / "breaks.html", "<html><head><title>Line breaks</title></head><body>"
          "<h1>Line breaks</h1>\n<p>Line one<br>line two.</p></body></html>\n")
    for command in (("extract",), ("update", "--lang", "es")):
        assert tmkit(root, *command).code == 0
    return root


@pytest.fixture
def root(template, tmp_path) -> Path:
    return copy_project(template, tmp_path / "proj")


def _export(root: Path, slug: str = SLUG) -> Path:
    run = tmkit(root, "xliff", "export", "--lang", "es", "--no-tm", "-o", "agency", "--article", slug)
    assert run.code == 0, run.err
    return root / "agency" / "es" / f"{slug}.xlf"


def _retarget(path: Path, changes: dict[str, str]) -> dict[str, int]:
    """Set the ``<target>`` text of units by id; returns every unit's line in the new file."""
    tree = etree.parse(str(path))
    for unit in tree.iter(T + "trans-unit"):
        if unit.get("id") in changes:
            target = unit.find(T + "target")
            if target is None:
                target = etree.SubElement(unit, T + "target")
            for child in list(target):
                target.remove(child)
            target.text = changes[unit.get("id")]
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return {u.get("id"): u.sourceline for u in etree.parse(str(path)).iter(T + "trans-unit")}


def _plain_units(path: Path) -> list[str]:
    return [u.get("id") for u in etree.parse(str(path)).iter(T + "trans-unit")
            if not list(u.find(T + "source")) and u.find(T + "target") is not None]


# -- FIFOs ------------------------------------------------------------------------

@pytest.mark.parametrize("command, name", [
    (("xliff", "import"), "agency.xlf"), (("tm", "import"), "memory.tmx"), (("tm", "import"), "other.po"),
])
def test_a_fifo_is_refused_at_once_never_waited_on(root, command, name):
    fifo = root.parent / name
    os.mkfifo(fifo)
    before = tree_hash(root)
    run = tmkit(root, *command, str(fifo), timeout=60)     # a hang fails here, not the suite
    assert_clean_error(run, str(fifo), "not a regular file")
    assert_unchanged(before, tree_hash(root))


def test_merge_po_refuses_a_fifo(root):
    fifo = root.parent / "theirs.po"
    os.mkfifo(fifo)
    ours = root / PO
    before = ours.read_bytes()
    run = tmkit(root, "merge-po", str(ours), str(ours), str(fifo), PO, timeout=60)
    assert_clean_error(run, f"{PO} (theirs)", "not a regular file")
    assert ours.read_bytes() == before


# -- where an export goes -----------------------------------------------------------

def test_export_into_a_language_folder_symlinked_into_po_is_refused(root):
    (root / "agency").mkdir()
    (root / "agency" / "es").symlink_to(root / "po" / "es")
    before = tree_hash(root)
    run = tmkit(root, "xliff", "export", "--lang", "es", "-o", "agency")
    assert_clean_error(run, "would overwrite the project's own files")
    assert_unchanged(before, tree_hash(root))
    assert not list((root / "po" / "es").glob("*.xlf"))



@pytest.mark.parametrize("output", [("--output", "site"), ()], ids=["named", "default"])
def test_build_into_a_language_folder_symlinked_into_po_is_refused(root, output):
    folder = root / (output[1] if output else "exports")
    folder.mkdir(exist_ok=True)
    (folder / "es").symlink_to(root / "po" / "es")
    before = tree_hash(root)
    run = tmkit(root, "build", "--lang", "es", *output)
    assert_clean_error(run, "would overwrite the project's own files")
    assert_unchanged(before, tree_hash(root))
    assert sorted(p.name for p in (root / "po" / "es").iterdir()) == sorted([f"{SLUG}.po", "breaks.po"])


# -- what an XLIFF file says ----------------------------------------------------------

def test_the_same_unit_in_two_files_is_an_error_naming_both(root):
    path = _export(root)
    unit_id = _plain_units(path)[0]
    text = path.read_text("utf-8")
    start, end = text.index("<file "), text.index("</file>") + len("</file>")
    path.write_text(text[:end] + "\n" + text[start:end] + text[end:], encoding="utf-8")
    tree = etree.parse(str(path))
    first_file, second_file = tree.iter(T + "file")
    for file_element, words in ((first_file, "Primera versión."), (second_file, "Segunda versión.")):
        for unit in file_element.iter(T + "trans-unit"):
            if unit.get("id") == unit_id:
                unit.find(T + "target").text = words
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    lines = [u.sourceline for u in etree.parse(str(path)).iter(T + "trans-unit") if u.get("id") == unit_id]
    before = tree_hash(root)
    run = tmkit(root, "xliff", "import", XLF)
    assert_clean_error(run, f"{XLF}:{lines[1]}: unit '{unit_id}'",
                       f"also translated by unit '{unit_id}' at {XLF}:{lines[0]}, in another <file>")
    assert_unchanged(before, tree_hash(root))


def test_text_inside_x_is_refused_naming_the_unit(root):
    path = _export(root, "breaks")
    tree = etree.parse(str(path))
    unit = next(u for u in tree.iter(T + "trans-unit") if u.find(T + "source").find(T + "x") is not None)
    x_id = unit.find(T + "source").find(T + "x").get("id")
    target = unit.find(T + "target")
    if target is None:
        target = etree.SubElement(unit, T + "target")
    target.text = "Línea uno"
    x = etree.SubElement(target, T + "x", id=x_id)
    x.text = "texto que se perdería"
    x.tail = "línea dos."
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    line = next(u.sourceline for u in etree.parse(str(path)).iter(T + "trans-unit")
                if u.get("id") == unit.get("id"))
    before = tree_hash(root / "po")
    run = tmkit(root, "xliff", "import", "agency/es/breaks.xlf")
    assert_no_traceback(run)
    assert run.code == 1, (run.code, run.err)
    assert (f"agency/es/breaks.xlf:{line}: unit '{unit.get('id')}'" in run.err
            and f'<x id="{x_id}"/> must be empty' in run.err and "would be lost" in run.err), run.err
    assert "1 refused" in run.out
    assert tree_hash(root / "po") == before


# -- a translator's Windows file ------------------------------------------------------------

@pytest.mark.parametrize("bom, eol", [("\ufeff", "\r\n"), ("", "\r\n"), ("\ufeff", "\n")])
def test_import_keeps_a_windows_po_file_byte_for_byte_but_the_changed_entry(root, bom, eol):
    po_path = root / PO
    original = bom + po_path.read_text("utf-8").replace("\n", eol)
    po_path.write_bytes(original.encode("utf-8"))
    path = _export(root)
    unit_id = _plain_units(path)[3]
    _retarget(path, {unit_id: "Una traducción distinta, de la agencia."})
    run = tmkit(root, "xliff", "import", XLF)
    assert run.code == 0 and "1 PO files written" in run.out, (run.out, run.err)
    new = po_path.read_bytes().decode("utf-8")
    assert new.startswith(bom) and not new[len(bom):].startswith("\ufeff")
    assert new.count(eol) == new.count("\n")                          # every line ends as before
    diff = [line for line in difflib.unified_diff(original.split("\n"), new.split("\n"), n=0, lineterm="")
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert diff and all("msgstr" in line or line[1:].startswith('"') for line in diff), diff
    assert "de la agencia" in "".join(diff)
    assert {e.msgid: e.msgstr for e in parse_po(new[len(bom):].replace("\r\n", "\n"))}  # still valid PO
    again = tmkit(root, "xliff", "import", XLF)
    assert again.code == 0 and "0 PO files written" in again.out
    assert po_path.read_bytes().decode("utf-8") == new


def test_merge_po_comment_holds_no_raw_control_character(tmp_path):
    head = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    base, ours, theirs = (tmp_path / n for n in ("base.po", "ours.po", "theirs.po"))
    base.write_text(head + 'msgid "Home"\nmsgstr "Inicio"\n', "utf-8")
    ours.write_text(head + 'msgid "Home"\nmsgstr "Portada"\n', "utf-8")
    theirs.write_text(head + 'msgid "Home"\nmsgstr "Inicio\\r\x1b[2Jnuevo\\tya"\n', "utf-8")
    run = tmkit(tmp_path, "merge-po", str(base), str(ours), str(theirs), "po/es/x.po")
    assert run.code == 1 and "\x1b" not in run.out + run.err, (run.out, run.err)
    data = ours.read_bytes()
    comments = [line for line in data.split(b"\n") if line.startswith(b"#")]
    assert b"# merge: other translation: Inicio\\r\\x1b[2Jnuevo\\tya" in comments, comments
    assert not any(byte < 0x20 and byte != 0x0A for byte in data), data
    [home] = [e for e in read_po(ours) if e.msgid == "Home"]
    assert home.msgstr == "Portada" and "fuzzy" in home.flags


# -- errors with a line ----------------------------------------------------------------------

def test_latin1_xliff_names_the_line(root):
    path = _export(root)
    text = path.read_text("utf-8")
    unit_id = _plain_units(path)[2]
    lines = _retarget(path, {unit_id: "Traducción @@"})
    data = path.read_bytes().replace("Traducción @@".encode("utf-8"), "Traducción".encode("latin-1"))
    path.write_bytes(data)
    target_line = data[:data.index("Traducci".encode())].count(b"\n") + 1
    assert target_line >= lines[unit_id] and text
    before = tree_hash(root)
    assert_clean_error(tmkit(root, "xliff", "import", XLF), XLF, "not well-formed XML",
                       line=target_line)
    assert_unchanged(before, tree_hash(root))


@pytest.mark.parametrize("command, name, message", [
    (("tm", "import"), "empty.tmx", "empty file, not a TMX document"),
    (("xliff", "import"), "empty.xlf", "empty file, not an XLIFF document"),
])
def test_empty_exchange_files_name_line_1(root, command, name, message):
    path = write(root.parent / name, b"")
    assert_clean_error(tmkit(root, *command, str(path)), str(path), message, line=1)
