"""Round-trip properties (hypothesis), run in-process for speed.

* a random article in each source format (Markdown, HTML, web copy, Word),
  with tables and footnotes among its blocks -> extract -> update -> identity
  translation (msgstr = msgid) -> build: the Spanish export equals the English
  one, and holds every unit's text; a second ``tmkit update`` changes nothing;
* a PO catalog written by tmkit and read back (by tmkit and by polib) is equal;
* TMX export -> import into an empty TM is lossless, inline markup included
  (carried as ``<bpt>``/``<ept>``/``<ph>``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polib
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.hardening.helpers import REPO, tree_hash
from toolkit.catalog.pofile import format_po, parse_po, read_po, write_po
from toolkit.cli import cli
from toolkit.text.inline import ATTRS, TAGS, VOID, Element, plain_text, render, tag_spans
from toolkit.text.inline_codes import read_tmx as read_seg, structured
from toolkit.readers import read_article
from toolkit.segment import article_units
from toolkit.tm.memory import TranslationMemory
from toolkit.tm.store import TMUnit
from toolkit.tm.tmx import export_tmx, import_tmx
from toolkit.text.xmlchars import xml_safe

FAST = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))

_letters = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéüßçñøæ") + ["ظ", "ש", "中", "🙂"])
word = st.text(_letters, min_size=1, max_size=9)
# punctuation that means something to one format or another, kept literal
_odd = st.sampled_from(["&", "<", ">", '"', "'", "%", "(", ")", "42", "3.5", "—", "\u200b"])
token = st.one_of(word, word, word, _odd.map(lambda o: o + "x"))
sentence = st.lists(token, min_size=1, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
#: "table": the paragraph's words as a two-column table (header row, then
#: rows); "fn": the paragraph with a footnote whose text is the paragraph again.
blocks = st.lists(st.tuples(st.sampled_from(["p", "p", "h", "li", "table", "fn"]), paragraph),
                  min_size=1, max_size=6)


def _cells(text: str) -> list[list[str]]:
    """Rows of two cells from a paragraph's words (the first row is the header)."""
    words = text.split()
    pairs = [words[i:i + 2] for i in range(0, len(words), 2)]
    return [pair + [""] * (2 - len(pair)) for pair in pairs] + ([["", ""]] if len(pairs) < 2 else [])
title = st.lists(word, min_size=1, max_size=5).map(lambda ws: " ".join(ws).capitalize())


def _markdown(head: str, body: list[tuple[str, str]]) -> str:
    esc = lambda t: "".join("\\" + c if c in "\\`*_[]<>#+-!|&~^:" else c for c in t)  # noqa: E731
    parts, notes = [f"# {esc(head)}"], []
    for kind, text in body:
        if kind == "table":
            rows = [f"| {esc(a)} | {esc(b)} |" for a, b in _cells(text)]
            parts.append("\n".join([rows[0], "|---|---|"] + rows[1:]))
        elif kind == "fn":
            notes.append(f"[^{len(notes) + 1}]: {esc(text)}")
            parts.append(f"{esc(text)}[^{len(notes)}]")
        else:
            parts.append({"p": esc(text), "h": f"## {esc(text)}", "li": f"- {esc(text)}"}[kind])
    return "\n\n".join(parts + notes) + "\n"


def _html(head: str, body: list[tuple[str, str]]) -> str:
    from html import escape

    def table(text: str) -> str:
        rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in _cells(text))
        return f"<table>{rows}</table>"

    tags = {"p": "<p>{}</p>", "h": "<h2>{}</h2>", "li": "<ul><li>{}</li></ul>", "fn": "<p>{}</p>"}
    inner = "\n".join(table(t) if k == "table" else tags[k].format(escape(t)) for k, t in body)
    return (f"<!DOCTYPE html><html><head><title>{escape(head)}</title></head>"
            f"<body><h1>{escape(head)}</h1>\n{inner}\n</body></html>\n")


def _webtext(head: str, body: list[tuple[str, str]]) -> str:
    parts = [head]
    for kind, text in body:
        parts.append(f"  • {text}" if kind == "li" else text)
    return "\n\n".join(parts) + "\n"


def _docx(head: str, body: list[tuple[str, str]]) -> bytes:
    import io

    from tests import docx_helpers as dx

    document = dx.new_document()
    document.add_heading(head, 0)
    notes = dx.Footnotes(document)
    for kind, text in body:
        if kind == "table":
            dx.add_table(document, _cells(text))
        elif kind == "fn":
            notes.ref(document.add_paragraph(text), text)
        elif kind == "h":
            document.add_heading(text, 1)
        else:
            document.add_paragraph(text, style="List Bullet" if kind == "li" else None)
    if notes.notes:
        notes.attach()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WRITERS = {"md": _markdown, "html": _html, "txt": _webtext, "docx": _docx}


def _project(tmp: Path) -> Path:
    root = tmp / "proj"
    (root / "source").mkdir(parents=True)
    from tests.conftest import without_handouts   # PDFs: tests/test_writers_pdf.py only
    text = without_handouts((REPO / "tmkit.toml").read_text("utf-8")).replace('required = ["disclaimer"]',
                                                                               "required = []")
    (root / "tmkit.toml").write_text(text.replace('glossary = "glossary.csv"', 'glossary = ""'), "utf-8")
    return root


def _cli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@FAST
@given(fmt=st.sampled_from(sorted(WRITERS)), head=title, body=blocks)
def test_identity_translation_rebuilds_the_article(fmt, head, body):
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp))
        src = root / "source" / f"art.{fmt}"
        content = WRITERS[fmt](head, body)
        src.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        _cli(root, "extract")
        _cli(root, "update", "--lang", "es")
        po_path = root / "po" / "es" / "art.po"
        po = read_po(po_path)
        for entry in po:
            entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        write_po(po_path, po)
        before = tree_hash(root / "po")
        _cli(root, "update", "--lang", "es")
        assert tree_hash(root / "po") == before, "second update changed a PO file"
        _cli(root, "build", "--lang", "en", "--lang", "es", "--format", "txt", "--format", "xml")
        out = root / "exports"
        en, es = (out / "en" / "art.txt").read_text("utf-8"), (out / "es" / "art.txt").read_text("utf-8")
        assert es == en
        en_xml, es_xml = ((out / lang / "art.xml").read_bytes() for lang in ("en", "es"))
        assert es_xml.replace(b'xml:lang="es"', b'xml:lang="en"') == en_xml
        flat = " ".join(en.split())
        for unit in article_units(read_article(src, f"source/art.{fmt}")):
            assert " ".join(plain_text(unit.text).split()) in flat, unit.id
        for _, text in body:   # every word the author wrote is in the export
            for w in text.split():
                assert w.strip("\u200b") in flat or not w.strip("\u200b"), w


# Control characters other than \n and \t are left out: tmkit writes \a, \b, \f, \v as gettext
# does, and polib (the other reader checked here) reads those escapes back literally.
_po_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", "\t", '"', "\\"])
po_text = st.text(_po_chars, max_size=60)
# extracted comments are tmkit's own, one stripped line each (trailing blanks are not kept)
comment_text = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)
                        .map(str.strip), max_size=3).map(lambda ls: "\n".join(l for l in ls if l))
entries = st.lists(st.tuples(st.text(_po_chars, min_size=1, max_size=40),
                             po_text, st.one_of(st.none(), st.text("abc.-_", min_size=1, max_size=8)),
                             st.booleans(), comment_text),
                   max_size=12, unique_by=lambda e: (e[2], e[0]))


@FAST
@given(items=entries)
def test_po_written_by_tmkit_reads_back_equal(items):
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Project-Id-Version": "t", "Language": "es", "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for msgid, msgstr, ctx, fuzzy, comment in items:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=ctx, flags=["fuzzy"] if fuzzy else [],
                                comment=comment.replace("\r", ""), occurrences=[("source/a.txt", "3")]))
    text = format_po(po)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.po"
        path.write_text(text, "utf-8")
        # polib reads the file (from a string it would split lines at U+2028 and U+001E too)
        for back in (read_po(path), polib.pofile(str(path))):
            assert len(back) == len(po)
            for a, b in zip(po, back):
                assert (a.msgid, a.msgstr, a.msgctxt, a.occurrences) == (b.msgid, b.msgstr, b.msgctxt, b.occurrences)
                # gettext's rule: a fuzzy flag on an untranslated entry means nothing and is dropped
                assert a.flags == b.flags or not a.msgstr
                assert a.comment == b.comment
    assert format_po(parse_po(text, "t.po")) == text


xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=50).filter(
    lambda s: s.strip() and "\ufffe" not in s and "\uffff" not in s)
# Texts: anything XML carries, and tmkit inline markup (tags, links, line breaks, escapes),
# which TMX carries as <bpt>/<ept>/<ph>.
_markup_chars = st.sampled_from(list("ab é<>&\"'\n中") + ["&lt;", "&amp;", "<em>", "</a>", "&quot;"])
_markup_text = st.lists(_markup_chars, max_size=6).map("".join)
_href = st.text(st.sampled_from(list("abc/:?&=\"<> é")), min_size=0, max_size=10)


def _element(children):
    def build(tag, first, second, kids):
        names = ATTRS.get(tag, ())
        attrs = dict(zip(names, (first, second))) if names else {}
        if "title" in attrs and not attrs["title"]:
            del attrs["title"]
        return Element(tag, attrs, [] if tag in VOID else kids)
    return st.builds(build, st.sampled_from(list(TAGS)), _href, _href, children)


_nodes = st.recursive(st.lists(_markup_text, max_size=2),
                      lambda inner: st.lists(st.one_of(_markup_text, _element(inner)), max_size=4),
                      max_leaves=8)
markup = st.one_of(_nodes.map(render), xml_text).filter(
    lambda s: s.strip() and xml_safe(s) and "\r" not in s)
units = st.lists(st.tuples(markup, markup, st.sampled_from(["es", "fr", "zh-Hans", "ar"]),
                           st.sampled_from(["translated", "reviewed"]), st.text("abc <>&'\"", max_size=10)),
                 min_size=1, max_size=15, unique_by=lambda u: (u[0], u[1], u[2]))


@FAST
@given(items=units)
def test_tmx_export_import_is_lossless(items):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with TranslationMemory.open(tmp / "a.sqlite") as tm:
            tm.add([TMUnit(s, t, "en", lang, "art", "b1.s1", who, status) for s, t, lang, status, who in items])
            # one place per language: the last unit of each is current, the others history
            export_tmx(tm, tmp / "x.tmx", "en", history=True)
            original = sorted((u.source, u.target, u.target_lang, u.status, u.translator, u.article,
                               u.segment, u.created, u.current) for u in tm.units("en"))
        with TranslationMemory.open(tmp / "b.sqlite") as tm:
            result = import_tmx(tm, tmp / "x.tmx")
            assert result.skipped == 0 and result.units == len(items)
            back = sorted((u.source, u.target, u.target_lang, u.status, u.translator, u.article,
                           u.segment, u.created, u.current) for u in tm.units("en"))
        assert back == original
        # well-formed markup with tags travels as inline elements, not as escaped text
        from lxml import etree
        for seg in etree.parse(str(tmp / "x.tmx")).iter("seg"):
            text = read_seg(seg)
            if structured(text) is not None and tag_spans(text):
                assert len(seg) and {c.tag for c in seg} <= {"bpt", "ept", "ph"}
