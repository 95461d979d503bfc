"""The lean reading behind a fast first ``tmkit status`` (issue 23), held to polib and pocount.

``tmkit status`` reads PO files with ``read_checked``
(the plain-layout regex path, the full parser for anything unusual) and
computes stale article-languages in forked worker processes.  These tests
compare what it reads and counts with polib's parse and pocount's counts over
PO files with every feature that changes a count (plural entries, fuzzy,
obsolete, msgctxt, multi-line strings, CRLF, BOM, header, translator
comments), and the parallel status with the one-process status.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polib
import pytest
from translate.tools import pocount

from tests.conftest import REPO, clone_demo
from toolkit.catalog import poread
from toolkit.catalog.pofile import read_checked, read_po
from toolkit.checks.pofiles import msgstr_lines
from toolkit.status import count_entries

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')

#: name -> (PO text, whether the plain-layout path reads it)
CASES = {
    "plain": (HEADER + '#. id: a\n#: source/x.txt:1\nmsgid "Back pain"\nmsgstr "Dolor de espalda"\n\n'
              'msgid "Untranslated one"\nmsgstr ""\n', True),
    "fuzzy and flags": (HEADER + '#, fuzzy, python-format\nmsgid "Two words"\nmsgstr "Dos palabras"\n\n'
                        '#, no-wrap\n#, fuzzy\nmsgid "Three more words"\nmsgstr "Tres"\n\n'
                        '#, fuzzy\nmsgid "Empty fuzzy"\nmsgstr ""\n', True),
    "msgctxt": (HEADER + 'msgctxt "menu"\nmsgid "Open"\nmsgstr "Abrir"\n\n'
                'msgctxt "door"\nmsgid "Open"\nmsgstr "Abierta"\n\nmsgid "Open"\nmsgstr ""\n', True),
    "multi-line": (HEADER + 'msgid ""\n"A long sentence that "\n"goes on.\\n"\nmsgstr ""\n"Una frase "\n'
                   '"larga."\n\nmsgid "Escapes \\"quoted\\" \\\\ and\\ttab"\nmsgstr "Con \\"comillas\\""\n',
                   True),
    "translator comments": (HEADER + '# tmkit-ignore: numbers\n#\n#. extracted\n'
                            'msgid "Take 2 tablets"\nmsgstr "Tome dos comprimidos"\n\n'
                            '# glossary: back = espalda\nmsgid "Back"\nmsgstr "Espalda"\n', True),
    "plural": (HEADER + 'msgid "One vertebra"\nmsgid_plural "%d vertebrae"\nmsgstr[0] "Una vértebra"\n'
               'msgstr[1] "%d vértebras"\n\nmsgid "One disc"\nmsgid_plural "%d discs"\nmsgstr[0] ""\n'
               'msgstr[1] ""\n\n#, fuzzy\nmsgid "One nerve"\nmsgid_plural "%d nerves"\n'
               'msgstr[0] "Un nervio"\nmsgstr[1] "%d nervios"\n', False),
    "obsolete and previous": (HEADER + '#, fuzzy\n#| msgid "Old text"\nmsgid "New text here"\n'
                              'msgstr "Texto viejo"\n\nmsgid "Kept"\nmsgstr "Guardado"\n\n'
                              '#~ msgid "Gone entry"\n#~ msgstr "Entrada ida"\n', False),
    "CRLF": ((HEADER + 'msgid "Neck pain"\nmsgstr "Dolor de cuello"\n\nmsgid "Not yet"\nmsgstr ""\n')
             .replace("\n", "\r\n"), True),
    "BOM": ("\ufeff" + HEADER + '# a comment\nmsgid "Spine care"\nmsgstr "Cuidado de la columna"\n', True),
    "no header": ('msgid "Only entry"\nmsgstr "Única entrada"\n', True),
    "CJK": (HEADER + 'msgid "Lumbar spinal stenosis"\nmsgstr "腰椎管狭窄症"\n', True),
}


def _files(tmp_path: Path) -> list[tuple[Path, bool | None]]:
    """The cases as files, and the repository's own PO files (``None``: either path)."""
    out: list[tuple[Path, bool | None]] = []
    for name, (text, plain) in CASES.items():
        path = tmp_path / f"{name.replace(' ', '-')}.po"
        path.write_bytes(text.encode("utf-8"))
        out.append((path, plain))
    out += [(path, None) for path in sorted((REPO / "po").glob("*/*.po"))]
    assert len(out) > len(CASES)
    return out


def _polib_view(entry) -> tuple:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural, entry.msgstr,
            dict(entry.msgstr_plural), sorted(entry.flags), entry.tcomment, entry.obsolete)


def test_lean_entries_are_polibs_with_the_msgstr_lines_of_the_strict_reader(tmp_path):
    for path, plain in _files(tmp_path):
        text = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
        if plain is not None:    # the case exercises the path it was written for
            assert (poread._plain_translations(text, True) is not None) == plain, path.name
        lean = read_checked(path)
        expected = [e for e in polib.pofile(str(path)) if e.msgid or e.msgctxt]
        assert [_polib_view(e) for e in lean] == [_polib_view(e) for e in expected], path.name
        strict = read_po(path)
        lines = msgstr_lines(path, strict)
        assert [e.msgstr_line for e in lean] == [lines[id(e)] for e in strict], path.name


def test_counts_equal_pocount(tmp_path):
    for path, _plain in _files(tmp_path):
        entries, words, target_words, characters = count_entries(read_checked(path))
        stats = pocount.calcstats(str(path))
        assert (entries.translated, entries.fuzzy, entries.untranslated) == (
            stats["translated"], stats["fuzzy"], stats["untranslated"]), path.name
        assert (words.translated, words.fuzzy, words.untranslated) == (
            stats["translatedsourcewords"], stats["fuzzysourcewords"],
            stats["untranslatedsourcewords"]), path.name
        assert target_words == stats["translatedtargetwords"], path.name
        assert characters >= 0


def test_counts_equal_the_full_parse(tmp_path):
    """The lean entries count exactly as polib's objects from the strict reader."""
    for path, _plain in _files(tmp_path):
        assert count_entries(read_checked(path)) == count_entries(read_po(path)), path.name


# -- worker processes ----------------------------------------------------------

SLUG = "failed-back-syndrome"


def _status(runner, root: Path) -> tuple[int, str]:
    from toolkit.cli import cli

    shutil.rmtree(root / ".tmkit" / "nochange", ignore_errors=True)       # no cache of any kind
    for name in ("status-cache.json", "proofread-cache.json"):
        (root / ".tmkit" / name).unlink(missing_ok=True)
    result = runner.invoke(cli, ["-C", str(root), "status", "--format", "json"], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def many(tmp_path: Path, runner) -> Path:
    """The demo with 12 articles (copies of the seed with their PO files), one signed off, one
    PO file broken."""
    from toolkit.cli import cli

    root = clone_demo(tmp_path / "demo")
    source = (root / "source" / f"{SLUG}.txt").read_text("utf-8")
    for number in range(1, 12):
        (root / "source" / f"{SLUG}-{number}.txt").write_text(source, "utf-8")
        for po in (root / "po").glob(f"*/{SLUG}.po"):
            shutil.copy(po, po.with_name(f"{SLUG}-{number}.po"))
    result = runner.invoke(cli, ["-C", str(root), "review", "approve", "--lang", "es", "--article",
                                 f"{SLUG}-3", "--by", "Dr Test"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    broken = root / "po" / "fr" / f"{SLUG}-5.po"
    broken.write_text(broken.read_text("utf-8") + 'msgid "unterminated\n', "utf-8")
    return root


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes are forked (not on Windows)")
def test_workers_give_the_one_process_status(runner, many, monkeypatch, tmp_path):
    import toolkit.status as status

    monkeypatch.setattr(status, "PARALLEL_FROM", 10 ** 9)
    code, alone = _status(runner, many)
    pids = tmp_path / "pids"
    segment = status.segments_by_unit

    def noted(*args):        # inherited by the forked workers: each notes its process
        with open(pids, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return segment(*args)

    monkeypatch.setattr(status, "PARALLEL_FROM", 1)
    monkeypatch.setattr(status, "segments_by_unit", noted)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    code_workers, together = _status(runner, many)
    assert os.getpid() not in {int(p) for p in pids.read_text().split()}   # the work was elsewhere
    assert (code_workers, together) == (code, alone)
    assert code == 2 and f"po/fr/{SLUG}-5.po" in alone              # the broken file is named...
    body = alone[alone.index("{"):alone.rindex("}") + 1]
    report = json.loads(body)
    fr = [a["slug"] for lang in report["languages"] if lang["lang"] == "fr" for a in lang["articles"]]
    assert len(fr) == 11 and f"{SLUG}-5" not in fr                  # ...and left out, the rest counted
    es = {a["slug"]: a for lang in report["languages"] if lang["lang"] == "es" for a in lang["articles"]}
    assert es[f"{SLUG}-3"]["review"]["state"] == "approved"
    assert es[SLUG]["review"]["state"] == "unreviewed"


# -- translate-toolkit's character tests -----------------------------------------

@pytest.mark.parametrize("source, target, fails", [
    ("Line\nbreak", "Sin salto", True), ("No break", "Con\nsalto", True), ("Ends\n", "Termina", True),
    ("A\ttab", "Sin tabulador", True), ("Back\\slash", "Sin barra", True),
    ("Carriage\r\nreturn", "Retorno\n", True), ("Plain words", "Palabras llanas", False),
    ("Same\tsame", "Igual\tigual", False), ("Entity &lt;b&gt; here", "Entidad &lt;b&gt; aquí", False),
])
@pytest.mark.parametrize("lang", ["es", "zh-Hans", "ar"])
def test_the_gates_character_tests_say_what_translate_toolkit_says(source, target, fails, lang):
    """The gate runs escapes, newlines and tabs alone, skipped where no string holds a
    backslash, line break or tab; asked together with another test, translate-toolkit runs."""
    from toolkit.checks import ttk
    from toolkit.checks.base import Entry, LanguageEnv

    wanted = {"escapes", "newlines", "tabs"}
    entry, env = Entry(source, target), LanguageEnv(lang)
    full = ttk.run_ttk(entry, env, wanted | {"blank"})
    assert ttk.run_ttk(entry, env, wanted) == {k: v for k, v in full.items() if k in wanted}
    assert bool(full) == fails, full


def test_po_bytes_are_read_whole_and_odd_files_refused_by_name(tmp_path):
    """``read_po_bytes`` reads without a file object (``fsutil.read_regular``): the whole file,
    larger than one read, and the same one-line errors as before for what is not a file."""
    from toolkit.catalog.pofile import read_po_bytes
    from toolkit.errors import CatalogError

    big = tmp_path / "big.po"
    big.write_bytes(HEADER.encode() + b'msgid "a"\nmsgstr "\xc3\xb1"\n\n' * 20000)   # 500 KB
    assert read_po_bytes(big, "po/es/big.po") == big.read_bytes()
    fifo = tmp_path / "fifo.po"
    os.mkfifo(fifo)
    for path, message in ((fifo, "not a regular file"), (tmp_path, "is a directory"),
                          (tmp_path / "gone.po", "no such file")):
        with pytest.raises(CatalogError) as caught:
            read_po_bytes(path, "po/es/x.po")
        assert caught.value.path == "po/es/x.po" and message in caught.value.message
