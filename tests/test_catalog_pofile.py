"""PO text: GNU gettext's exact layout, and bad catalogs refused with file:line."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from toolkit.catalog import poread, wrap
from toolkit.catalog.pofile import format_po, parse_po, read_checked, read_po, read_translations, write_po
from toolkit.checks.pofiles import msgstr_lines
from toolkit.catalog.wrap import format_string
from toolkit.errors import CatalogError

from conftest import SEED, run_cli

needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext not installed")


def test_short_string_stays_on_one_line():
    assert format_string("msgid", "Home") == ('msgid "Home"',)
    assert format_string("msgid", "") == ('msgid ""',)


def test_long_string_wraps_after_spaces_at_79_columns():
    text = ("Failed back syndrome (FBS) is defined as persistent or onset of low back or "
            "extremity pain after spinal surgery.")
    lines = format_string("msgid", text)
    assert lines == (
        'msgid ""',
        '"Failed back syndrome (FBS) is defined as persistent or onset of low back or "',
        '"extremity pain after spinal surgery."')
    assert all(len(line) <= 79 for line in lines)


def test_escapes_are_never_split_and_newlines_end_lines():
    lines = format_string("msgstr", 'a "quoted" word\\path\tand tab\nsecond line\n')
    assert lines == ('msgstr ""', '"a \\"quoted\\" word\\\\path\\tand tab\\n"', '"second line\\n"')
    assert format_string("msgid", "one line\n") == ('msgid "one line\\n"',)


def test_long_word_is_not_broken():
    word = "x" * 100
    assert format_string("msgid", f"see {word} here") == ('msgid ""', '"see "', f'"{word} "', '"here"')


def test_cjk_counts_two_columns_and_breaks_between_ideographs():
    text = "腰椎手术失败综合征是指在脊柱手术后出现持续性或新发的腰部或四肢疼痛。据估计，疼痛诊所中超过百分之六十的患者患有此病。"
    lines = format_string("msgstr", text)
    assert lines[0] == 'msgstr ""'
    assert len(lines) == 3
    widths = [sum(2 if ord(c) > 0x2e80 else 1 for c in line) for line in lines[1:]]
    assert max(widths) <= 79
    assert not lines[2].startswith('"。')                # no break before a full stop


def test_obsolete_and_previous_prefixes_shorten_lines():
    text = "word " * 20
    for prefix in ("#~ ", "#| ", "#~| "):
        lines = format_string("msgid", text.strip(), prefix)
        assert all(line.startswith(prefix) and len(line) <= 79 for line in lines)


def _tricky_strings(count: int) -> list[str]:
    rng = random.Random(2)
    words = ["spine", "post-operative", "and/or", "(FBS)", "60%", "2.5 mg", "e.g.", "U.S.", '"quoted"',
             "'single'", "back\\slash", "tab\there", "end.\n", "x" * 85, "—", "–", "…", "«guillemets»",
             "“curly”", "it’s", "$5", "<em>emph</em>", '<a href="https://spine.org/a-b">link</a>',
             "user@example.org", "[1]", "a|b", "10-20", "3.5%", "脊柱", "疼痛。", "手术后，", "（慢性）", "腰痛综合征",
             "día", "Rückenschmerzen", "الظهر", "الفاشلة،", "؟", "12\u00a0mg", "日本語のテキスト", "ok."]
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 30)):
            parts.append(rng.choice(words))
            parts.append(rng.choice([" ", " ", " ", "", "  ", "\n"]))
        out.append("".join(parts))
    return out


@needs_msgcat
def test_layout_matches_msgcat_byte_for_byte(tmp_path: Path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    for number, text in enumerate(dict.fromkeys(_tricky_strings(300))):
        entry = polib.POEntry(msgid=text, msgstr=text[::-1], comment=f"id: b{number}",
                              occurrences=[(f"source/a-long-article-name-{k}.txt", str(k)) for k in range(number % 9)])
        if number % 4 == 0:
            entry.msgctxt = text[:30]
        if number % 5 == 0:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = text[: len(text) // 2]
        if number % 7 == 0:
            entry.obsolete = True
            entry.occurrences, entry.comment, entry.tcomment = [], "", "note"
        po.append(entry)
    path = tmp_path / "tricky.po"
    write_po(path, po)
    out = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert out.decode("utf-8") == path.read_text(encoding="utf-8")


@needs_msgcat
def test_japanese_small_kana_wrap_as_msgcat(tmp_path: Path):
    """No break before a small kana (ュ, ッ, ェ...: libunistring's non-starters), at every column."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    words = "コンピューターのモジュールとインターフェースをチェックしてください。ちょっとまってね"
    for offset in range(60):
        po.append(polib.POEntry(msgid="a" * offset + " " + words * 2, msgstr=words[offset % 20:] * 2))
    path = tmp_path / "ja.po"
    write_po(path, po)
    out = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert out.decode("utf-8") == path.read_text(encoding="utf-8")


def test_ascii_breaks_equal_the_character_walk():
    """The regex path for printable ASCII finds exactly the breaks of the per-character
    walk (the UAX #14 rules every other text goes through, checked against msgcat above)."""
    rng = random.Random(7)
    alphabet = "aaaaaaaaaeio    --//.,;:!?()[]{}%$+\\\"'|#&*<=>@^_`~0123456789ZQ"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 240))) for _ in range(4000)]
    texts += [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.isascii()]
    for text in texts:
        escaped, forbidden = wrap._escape_portion(text)
        for width, start in ((77, 6), (77, 0), (74, 3), (20, 5), (77, -1)):
            assert wrap._ascii_line_breaks(escaped, forbidden, width, start) == \
                wrap._line_breaks(escaped, forbidden, width, start), (text, width, start)


def test_write_po_does_not_rewrite_equal_content(tmp_path: Path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Home", msgstr="Inicio"))
    path = tmp_path / "a.po"
    assert write_po(path, po) is True
    assert write_po(path, po) is False
    assert parse_po(path.read_text(encoding="utf-8")).find("Home").msgstr == "Inicio"


# -- bad input ---------------------------------------------------------------------

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_syntax_error_names_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.po"
    path.write_text(HEADER + 'msgid "Home"\nmsgstr "Inicio"\n\nmsgid "Back\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_po(path, "po/es/bad.po")
    assert info.value.path == "po/es/bad.po" and info.value.line == 8


def test_duplicate_entry_names_the_second_one(tmp_path: Path):
    path = tmp_path / "dup.po"
    path.write_text(HEADER + 'msgid "Home"\nmsgstr "A"\n\nmsgid "Home"\nmsgstr "B"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_po(path)
    assert "duplicate" in info.value.message and info.value.line == 8


def test_wrong_charset_is_refused(tmp_path: Path):
    path = tmp_path / "latin.po"
    path.write_bytes(HEADER.replace("UTF-8", "ISO-8859-1").encode() + 'msgid "Niño"\nmsgstr "Niño"\n'.encode("latin-1"))
    with pytest.raises(CatalogError) as info:
        read_po(path)
    assert "ISO-8859-1" in info.value.message and info.value.line == 3


def test_invalid_utf8_names_the_line(tmp_path: Path):
    path = tmp_path / "bytes.po"
    path.write_bytes(HEADER.encode() + b'msgid "Home"\nmsgstr "\xff"\n')
    with pytest.raises(CatalogError) as info:
        read_po(path)
    assert info.value.line == 6 and "UTF-8" in info.value.message


@pytest.mark.parametrize("damage, what", [
    ('msgid "Home"\nmsgstr "A"\n\nmsgid "Home"\nmsgstr "B"\n', "duplicate"),
    ('msgid "Home\nmsgstr ""\n', "not a valid PO file"),
    ("charset", "charset"),
])
def test_update_leaves_a_bad_po_as_it_is_and_updates_the_rest(runner, project, damage, what):
    """Issue 26: a broken catalog fails its own file only (it was: nothing written at all)."""
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update")
    before = {p: p.read_bytes() for p in (project / "po").rglob("*.po")}
    target = project / "po" / "fr" / f"{SEED.stem}.po"
    if damage == "charset":
        target.write_bytes(target.read_bytes().replace(b"charset=UTF-8", b"charset=ISO-8859-1"))
    else:
        target.write_text(target.read_text(encoding="utf-8") + "\n" + damage, encoding="utf-8")
    before[target] = target.read_bytes()
    (project / "source" / SEED.name).write_text(
        SEED.read_text(encoding="utf-8").replace("Smoking is a risk", "Smoking is a major risk"), encoding="utf-8")
    run_cli(runner, project, "extract")
    result = run_cli(runner, project, "update", expect=2)
    assert result.stderr.startswith(f"tmkit: error: po/fr/{SEED.stem}.po:")
    assert what in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    after = {p: p.read_bytes() for p in (project / "po").rglob("*.po")}
    assert after[target] == before[target]                              # left exactly as it was
    changed = sorted(p.parent.name for p in before if after[p] != before[p])
    assert changed == ["ar", "de", "es", "zh-Hans"]                     # the others were updated
    assert "Smoking is a major risk" in after[project / "po" / "es" / f"{SEED.stem}.po"].decode()


def test_parser_agrees_with_polib_and_keeps_obsolete_previous_strings(tmp_path: Path):
    po = polib.POFile()
    po.header = "Demo translation.\nSecond line."
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for number, text in enumerate(dict.fromkeys(_tricky_strings(120))):
        entry = polib.POEntry(msgid=text, msgstr=text.upper(), comment=f"Paragraph {number}\nid: b{number}",
                              tcomment="note" if number % 3 else "", msgctxt="ctx" if number % 4 == 0 else None,
                              occurrences=[("source/a.txt", str(number)), ("source/b c.txt", "")][: number % 3])
        if number % 5 == 0:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = "old " + text
        entry.obsolete = number % 7 == 0
        po.append(entry)
    text = format_po(po)
    mine = parse_po(text)
    theirs = polib.pofile(text)
    assert mine.metadata == theirs.metadata == po.metadata and mine.header == po.header
    fields = ["msgid", "msgstr", "msgctxt", "obsolete", "tcomment", "comment", "occurrences", "flags"]
    originals = {(e.msgctxt, e.msgid): e for e in po}
    assert len(mine) == len(theirs) == len(po)
    for a, b in zip(mine, theirs):
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
        # polib drops previous strings of obsolete entries; tmkit keeps them.
        assert a.previous_msgid == originals[(a.msgctxt, a.msgid)].previous_msgid
    assert format_po(mine) == text


def _lean(entries) -> list[tuple]:
    return [(e.msgctxt, e.msgid, e.msgstr, list(e.flags), e.linenum, e.obsolete) for e in entries]


@pytest.mark.parametrize("plain", [True, False])
def test_lean_reader_agrees_with_read_po(tmp_path: Path, plain: bool):
    """The build's reader gives read_po's strings, flags and lines, on the plain
    layout it parses itself and on anything else (obsolete, previous, plural)."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for number, text in enumerate(dict.fromkeys(_tricky_strings(150))):
        entry = polib.POEntry(msgid=text, msgstr=text.upper() if number % 6 else "",
                              comment=f"Paragraph {number}", tcomment="#, not a flag" if number % 9 == 0 else "",
                              msgctxt=["ctx", "", None, None][number % 4],
                              occurrences=[("source/a.txt", str(number))])
        if number % 5 == 0:
            entry.flags = ["fuzzy", "c-format"]
        if not plain:
            entry.obsolete = number % 7 == 0
            entry.previous_msgid = "old " + text if number % 5 == 0 else None
        po.append(entry)
    if not plain:
        po.append(polib.POEntry(msgid="one", msgid_plural="many", msgstr_plural={0: "uno", 1: "muchos"}))
    path = tmp_path / "es.po"
    path.write_text(format_po(po), encoding="utf-8")
    assert (poread._plain_translations(path.read_text(encoding="utf-8")) is not None) == plain
    assert _lean(read_translations(path)) == _lean(read_po(path))
    # the checks' and review page's reader: the same, plus comments, #| msgid and msgstr lines
    full = read_po(path)
    lines = msgstr_lines(path, full)
    checked = read_checked(path)
    assert _lean(checked) == _lean(full)
    assert [(e.tcomment, e.previous_msgid, e.msgstr_line) for e in checked] == \
        [(e.tcomment, e.previous_msgid, lines[id(e)]) for e in full]
    assert any(e.tcomment for e in checked) and (plain or any(e.previous_msgid for e in checked))


@pytest.mark.parametrize("damage", [
    'msgid "Home"\nmsgstr "A"\n\nmsgid "Home"\nmsgstr "B"\n',
    'msgid "Home\nmsgstr ""\n',
    'msgid "Home"\n',
    'msgid "Home" x\nmsgstr ""\n',
    'msgctxt "a"\nmsgctxt "b"\nmsgid "Home"\nmsgstr ""\n',
])
def test_lean_reader_refuses_what_read_po_refuses(tmp_path: Path, damage: str):
    path = tmp_path / "bad.po"
    path.write_text(HEADER + 'msgid "Back"\nmsgstr "Atrás"\n\n' + damage, encoding="utf-8")
    with pytest.raises(CatalogError) as strict:
        read_po(path, "po/es/bad.po")
    for reader in (read_translations, read_checked):
        with pytest.raises(CatalogError) as lean:
            reader(path, "po/es/bad.po")
        assert (lean.value.message, lean.value.path, lean.value.line) == \
            (strict.value.message, strict.value.path, strict.value.line)
