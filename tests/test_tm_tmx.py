"""TMX: lossless round trip (tmkit and translate-toolkit), hostile files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

from toolkit.errors import TMError
from toolkit.tm import TMUnit, TranslationMemory
from toolkit.tm.tmx import export_tmx, import_tmx

UNITS = [
    ("Failed back syndrome (FBS) is <em>chronic</em> pain.", "متلازمة فشل جراحة الظهر <em>مزمنة</em>.", "ar"),
    ("Take 5\u00a0mg & rest: <a href=\"https://example.org/?a=1&b=2\">guide</a>.",
     "服用5\u00a0毫克并休息：<a href=\"https://example.org/?a=1&b=2\">指南</a>。", "zh-Hans"),
    ("Quotes \"double\" and 'single' <3 & >2.", "Кавычки «двойные» и 'одинарные' <3 & >2.", "ru"),
    ("  Leading and trailing spaces kept  ", "  Ведущие пробелы  ", "ru"),
]


@pytest.fixture
def tm(tm_backend):
    with tm_backend.open() as memory:
        memory.add(TMUnit(s, t, "en", lang, "fbs", f"b{i}", "Ana <ana@example.org>",
                          "reviewed" if i == 0 else "translated")
                   for i, (s, t, lang) in enumerate(UNITS))
        yield memory


def test_round_trip_through_tmkit_and_translate_toolkit(tm, tmp_path):
    out = tmp_path / "all.tmx"
    assert export_tmx(tm, out, "en").units == len(UNITS)
    etree.parse(str(out))   # well-formed
    store = tmxfile.parsefile(str(out))
    read = [(u.source, u.target) for u in store.units]
    assert read == [(s, t) for s, t, _ in UNITS]
    with TranslationMemory.open(tmp_path / "copy.sqlite") as copy:
        result = import_tmx(copy, out)
        assert (result.units, result.added, result.skipped) == (len(UNITS), len(UNITS), 0)
        fields = ("source", "target", "source_lang", "target_lang", "article", "segment",
                  "translator", "status", "created", "changed", "count")
        original = [[getattr(u, f) for f in fields] for u in tm.units()]
        assert [[getattr(u, f) for f in fields] for u in copy.units()] == original


def test_tmx_written_by_translate_toolkit_is_imported(tmp_path, tm_backend):
    store = tmxfile(sourcelanguage="en", targetlanguage="de")
    for source, target in (("Back & neck <pain>", "Rücken & Nacken <Schmerz>"),
                           ("Ärzte\u00a0sagen", "Doctors\u00a0say")):
        store.addtranslation(source, "en", target, "de")
    path = tmp_path / "tt.tmx"
    path.write_bytes(bytes(store))
    with tm_backend.open() as tm:
        assert import_tmx(tm, path).added == 2
        assert [(u.source, u.target, u.target_lang) for u in tm.units()] == [
            ("Back & neck <pain>", "Rücken & Nacken <Schmerz>", "de"),
            ("Ärzte\u00a0sagen", "Doctors\u00a0say", "de")]


BODY = '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>{}</seg></tuv>' \
       '<tuv xml:lang="de"><seg>x</seg></tuv></tu></body></tmx>'
BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY a "aaaaaaaaaa">\n'
        + "".join(f' <!ENTITY {n} "{("&" + p + ";") * 10}">\n' for p, n in zip("abcdefgh", "bcdefghi"))
        + "]>\n" + BODY.format("&i;"))
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
       + BODY.format("&xxe;"))


@pytest.mark.parametrize("text, line", [(BOMB, 3), (XXE, 3)])
def test_entities_are_refused_never_expanded(tmp_path, text, line):
    path = tmp_path / "evil.tmx"
    path.write_text(text)
    with TranslationMemory.open(tmp_path / "tm.sqlite") as tm:
        with pytest.raises(TMError) as caught:
            import_tmx(tm, path)
        assert (caught.value.path, caught.value.line) == (str(path), line)
        assert "declares entities" in caught.value.message
        assert list(tm.units()) == []


def test_cli_reports_refused_tmx_in_one_line(project, runner, tmp_path):
    from tests.conftest import run_cli
    path = tmp_path / "evil.tmx"
    path.write_text(XXE)
    result = run_cli(runner, project, "tm", "import", str(path), expect=2)
    assert result.output == (f"tmkit: error: {path}:3: TMX declares entities (first: 'xxe'); "
                             "refused, entities are never expanded\n")
