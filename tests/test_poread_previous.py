"""The lean PO reader on fuzzy entries with previous strings (``#| msgctxt``, ``#| msgid``).

Every fuzzy entry a TM prefill or an update writes carries the English it
was made for (``#| msgid``).  Such files used to leave the plain-layout path
of :mod:`toolkit.catalog.poread` for the strict parser (polib objects); they
now stay on it.  These tests hold what the lean path reads of them
(``read_checked``: ``tmkit status``, ``check``, ``review``; ``read_translations``:
the build) to polib's parse and to the strict reader, on generated files
(wrapped and multi-line previous strings, escapes, msgctxt, translator
comments, flags) and on what still takes the strict path (plural entries,
obsolete ``#~`` entries with ``#~|`` previous strings, odd spacing).
"""

from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from test_catalog_pofile import _tricky_strings
from toolkit.catalog import poread
from toolkit.catalog.pofile import format_po, read_checked, read_po, read_translations
from toolkit.checks.pofiles import msgstr_lines
from toolkit.errors import CatalogError

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _prefilled(count: int, seed: int) -> polib.POFile:
    """A catalog as a TM prefill leaves it: translated, untranslated and fuzzy entries, the
    fuzzy ones with the TM's English as ``#| msgid`` (long ones wrapped, some multi-line)."""
    rng = random.Random(seed)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    # a doubled backslash before a letter sends a file to the strict path (poread._ODD_ESCAPE)
    texts = list(dict.fromkeys(t.replace("\\", "/") for t in _tricky_strings(count)))
    for number, text in enumerate(texts):
        entry = polib.POEntry(msgid=text, msgstr=text.upper() if number % 6 else "",
                              comment=f"Paragraph {number}\nid: b{number}",
                              tcomment=["", "", "glossary: back = espalda", "#| not previous", "a\n\nb"][number % 5],
                              msgctxt=["ctx", None, None, "", "a \"ctx\"\\"][number % 5],
                              occurrences=[("source/a.txt", str(number))])
        if number % 3 == 0 and entry.msgstr:
            entry.flags = ["fuzzy"] if number % 2 else ["fuzzy", "c-format"]
            entry.previous_msgid = rng.choice(texts) + (" (old)" if number % 4 else "")
            if number % 7 == 0:
                entry.previous_msgctxt = "old ctx" if number % 2 else ""
        po.append(entry)
    return po


def _view(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgstr, sorted(entry.flags), entry.tcomment,
            entry.previous_msgctxt, entry.previous_msgid, entry.obsolete, entry.msgid_plural,
            dict(entry.msgstr_plural))


def _lines(entry) -> tuple:
    return entry.linenum, entry.msgstr_line


def _strict_lines(path: Path) -> list[tuple]:
    strict = read_po(path)
    found = msgstr_lines(path, strict)
    return [(e.linenum, found[id(e)]) for e in strict]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prefilled_file_stays_on_the_lean_path_and_reads_as_polib(tmp_path: Path, seed: int):
    po = _prefilled(160, seed)
    text = format_po(po)
    assert "\n#| msgid " in text and '\n#| "' in text and "\n#| msgctxt " in text   # wrapped previous strings
    path = tmp_path / "es.po"
    path.write_text(text, encoding="utf-8")
    assert poread._plain_translations(text, checked=True) is not None      # the lean path reads it
    lean = read_checked(path)
    assert all(type(e) is poread.CheckedEntry for e in lean)
    theirs = [e for e in polib.pofile(str(path)) if e.msgid or e.msgctxt]
    assert [_view(e) for e in lean] == [_view(e) for e in theirs]
    assert [_lines(e) for e in lean] == _strict_lines(path)
    assert sum(e.previous_msgid is not None for e in lean) >= 20
    # the build's reader: read_po's strings, flags and lines
    assert [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.linenum, e.obsolete) for e in read_translations(path)] == \
        [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.linenum, e.obsolete) for e in read_po(path)]


def test_obsolete_and_plural_entries_take_the_strict_path_with_the_same_reading(tmp_path: Path):
    po = _prefilled(80, 4)
    for number, entry in enumerate(po):
        entry.obsolete = number % 9 == 0          # written last, "#~ " and "#~| " lines
    po.append(polib.POEntry(msgid="One disc", msgid_plural="%d discs", msgstr_plural={0: "Un disco", 1: "%d discos"},
                            flags=["fuzzy"], previous_msgid="One old disc"))
    text = format_po(po)
    assert "\n#~| msgid " in text and "\nmsgstr[1] " in text
    path = tmp_path / "es.po"
    path.write_text(text, encoding="utf-8")
    assert poread._plain_translations(text, checked=True) is None
    lean = read_checked(path)
    strict = read_po(path)
    assert [_view(e) for e in lean] == [_view(e) for e in strict]
    assert [_lines(e) for e in lean] == _strict_lines(path)
    # polib drops the previous strings of obsolete entries (tmkit keeps them): compare the rest
    theirs = [e for e in polib.pofile(str(path)) if e.msgid or e.msgctxt]
    assert [_view(e)[:5] + _view(e)[7:] for e in lean] == [_view(e)[:5] + _view(e)[7:] for e in theirs]
    assert [_view(e) for e in lean if not e.obsolete] == [_view(e) for e in theirs if not e.obsolete]


@pytest.mark.parametrize("entry, lean", [
    ('#, fuzzy\n#| msgid "Old"\nmsgid "New"\nmsgstr "Nuevo"\n', True),
    ('#, fuzzy\n#| msgctxt "menu"\n#| msgid ""\n#| "Old "\n#| "two lines\\n"\nmsgctxt "menu"\nmsgid "New"\n'
     'msgstr "Nuevo"\n', True),
    ('# translator\n#. extracted\n#: a.txt:1\n#, fuzzy, c-format\n#| msgid "Old \\"q\\""\nmsgid "New"\n'
     'msgstr "Nuevo"\n', True),
    ('#, fuzzy\n#|msgid "Old"\nmsgid "New"\nmsgstr "Nuevo"\n', False),            # no space after #|
    ('#, fuzzy\n#| msgid  "Old"\nmsgid "New"\nmsgstr "Nuevo"\n', False),          # two spaces
    ('#| msgid "Old"\n#, fuzzy\nmsgid "New"\nmsgstr "Nuevo"\n', False),           # gettext's order changed
    ('#| msgid "Old"\n#| msgctxt "menu"\nmsgid "New"\nmsgstr "Nuevo"\n', False),  # msgctxt after msgid
    ('#, fuzzy\n#| msgid_plural "Olds"\nmsgid "New"\nmsgstr "Nuevo"\n', False),
])
def test_hand_written_previous_strings_read_as_the_strict_reader(tmp_path: Path, entry: str, lean: bool):
    text = HEADER + 'msgid "Kept"\nmsgstr "Guardado"\n\n' + entry
    path = tmp_path / "es.po"
    path.write_text(text, encoding="utf-8")
    assert (poread._plain_translations(text, checked=True) is not None) == lean
    assert [_view(e) for e in read_checked(path)] == [_view(e) for e in read_po(path)]
    assert [_lines(e) for e in read_checked(path)] == _strict_lines(path)
    if lean:     # what gettext writes: polib reads it alike (it refuses '#|msgid', tmkit does not)
        theirs = [e for e in polib.pofile(str(path)) if e.msgid or e.msgctxt]
        assert [_view(e) for e in read_checked(path)] == [_view(e) for e in theirs]


@pytest.mark.parametrize("entry", [
    '#, fuzzy\n#| msgid "Old\nmsgid "New"\nmsgstr "Nuevo"\n',        # unterminated previous string
    '#, fuzzy\n#| bogus "Old"\nmsgid "New"\nmsgstr "Nuevo"\n',
    '#, fuzzy\n#| msgid "Old \\q"\nmsgid "New"\nmsgstr "Nuevo"\n',    # an escape msgfmt refuses
])
def test_bad_previous_lines_are_refused_as_the_strict_reader_refuses_them(tmp_path: Path, entry: str):
    path = tmp_path / "es.po"
    path.write_text(HEADER + entry, encoding="utf-8")
    with pytest.raises(CatalogError) as strict:
        read_po(path, "po/es/x.po")
    for reader in (read_checked, read_translations):
        with pytest.raises(CatalogError) as lean:
            reader(path, "po/es/x.po")
        assert (lean.value.message, lean.value.line) == (strict.value.message, strict.value.line)


@pytest.mark.parametrize("comment", ["Translators: Ana", "İsmail İnce <ii@example.org>"])
def test_a_charset_other_than_utf8_is_named_with_its_line(tmp_path: Path, comment: str):
    """The charset is found with one search of the header (lower-casing "İ" makes two letters
    of one: the line is then found line by line); every reader refuses it at its line."""
    path = tmp_path / "es.po"
    path.write_bytes((f"# {comment}\n# Second line\nmsgid \"\"\nmsgstr \"\"\n\"Language: es\\n\"\n"
                      "\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"Back\"\nmsgstr \"Atras\"\n")
                     .encode("utf-8"))
    for reader in (read_po, read_checked, read_translations):
        with pytest.raises(CatalogError) as refused:
            reader(path, "po/es/x.po")
        assert refused.value.line == 6 and "charset is ISO-8859-1" in refused.value.message


def _content_type_by_lines(head: str):
    """The definition ``_content_type_line`` keeps: the first line whose lower-cased text
    names a content-type (what it did line by line before one search of the text)."""
    for number, line in enumerate(head.split("\n"), 1):
        if "content-type" in line.lower():
            return number, line
    return None


@pytest.mark.parametrize("head", [
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
    '# İsmail İnce\n# K Kelvin ſ long s\nmsgstr ""\n"CONTENT-TYPE: text/plain\\n"\n',
    '# İİİİ content-type in a comment\n"Content-Type: text/plain; charset=latin1\\n"\n',
    '# Content‐Type with a Unicode hyphen\n# contenT-tYpe: here\n',
    '# ＣＯＮＴＥＮＴ-TYPE full width\n# no such line\n',
    '"Language: tr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"',
    '# nothing here\n',
])
def test_the_content_type_line_is_the_first_naming_it_in_any_ascii_case(head: str):
    """One case-insensitive search (ASCII folding) finds the line lower-casing each line finds,
    whatever letters outside ASCII the text holds (İ lower-cases to two characters)."""
    from toolkit.catalog.pofile import _content_type_line

    assert _content_type_line(head) == _content_type_by_lines(head)


@pytest.mark.parametrize("body", [
    'msgid "Back"\nmsgstr "Es\\u2019 \x00 pain"\n',           # a NUL in a string: refused at its line
    '# a NUL \x00 in a comment ’\nmsgid "Back"\nmsgstr "Espalda ’"\n',
])
def test_a_nul_in_a_file_is_read_as_the_strict_reader_reads_it(tmp_path: Path, body: str):
    """The lean readers look for NUL in the file's bytes, not its text: the same outcome."""
    path = tmp_path / "es.po"
    path.write_bytes((HEADER + body).encode("utf-8"))
    try:
        strict = [_view(e) for e in read_po(path, "po/es/x.po")]
    except CatalogError as exc:
        for reader in (read_checked, read_translations):
            with pytest.raises(CatalogError) as lean:
                reader(path, "po/es/x.po")
            assert (lean.value.message, lean.value.line) == (exc.message, exc.line)
        return
    assert [_view(e) for e in read_checked(path, "po/es/x.po")] == strict
    assert ([_brief(e) for e in read_translations(path, "po/es/x.po")]
            == [_brief(e) for e in read_po(path, "po/es/x.po")])


def _brief(entry) -> tuple:
    """What :func:`read_translations` gives of an entry."""
    return (entry.msgctxt, entry.msgid, entry.msgstr, sorted(entry.flags), entry.linenum, entry.obsolete)


def test_crlf_files_with_wide_characters_read_as_their_lf_twins(tmp_path: Path):
    """Line ends are rewritten only when the bytes hold a carriage return (looked for first)."""
    text = HEADER + '# ’ quote\nmsgid "Neck ’pain’"\nmsgstr "Dolor de cuello 腰"\n\nmsgid "Not yet"\nmsgstr ""\n'
    lf, crlf = tmp_path / "lf.po", tmp_path / "crlf.po"
    lf.write_bytes(text.encode("utf-8"))
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    for reader in (read_po, read_checked):
        assert [_view(e) for e in reader(crlf)] == [_view(e) for e in reader(lf)]
    assert [_brief(e) for e in read_translations(crlf)] == [_brief(e) for e in read_translations(lf)]


@pytest.mark.parametrize("body, line", [
    ('msgid "Home"\nmsgstr "A"\n\nmsgid "Back"\nmsgstr "B"\n\nmsgid "Home"\nmsgstr "C"\n', 11),
    ('msgctxt "menu"\nmsgid "Home"\nmsgstr "A"\n\nmsgid "Home"\nmsgstr "B"\n\n'
     'msgctxt "menu"\nmsgid "Home"\nmsgstr "C"\n', 13),
    ('msgid "Home"\nmsgstr "A"\n\n#~ msgid "Home"\n#~ msgstr "B"\n', None),   # obsolete: no duplicate
])
def test_duplicates_are_refused_at_the_second_entry_by_every_reader(tmp_path: Path, body: str, line):
    """Keys counted at once when all differ; a duplicate named at its line as before."""
    path = tmp_path / "es.po"
    path.write_text(HEADER + body, encoding="utf-8")
    for reader in (read_po, read_checked, read_translations):
        if line is None:
            assert [e.msgid for e in reader(path)] == ["Home", "Home"]
            continue
        with pytest.raises(CatalogError) as refused:
            reader(path, "po/es/x.po")
        assert refused.value.line == line and "duplicate entry 'Home' (first at line" in refused.value.message
