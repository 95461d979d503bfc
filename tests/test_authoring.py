"""Articles as authors write them: Markdown tables, footnotes and the rest of
GitHub/Pandoc Markdown, and Word documents; their exports.

Fidelity is checked per construct: an article written for the test goes
through the real pipeline (``tmkit extract``, ``update``, an identity
translation into Spanish, ``build``), and the words of every export (HTML,
XML, text) are compared with the source's visible words, extracted
independently (Markdown rendered by markdown-it to HTML; Word's ``w:t``
elements that are not deleted).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import html5lib
import polib
import pytest
from lxml import etree, html as lxml_html
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from tests import docx_helpers as dx
from tests.conftest import REPO, run_cli, without_handouts
from toolkit.cli import cli
from toolkit.errors import SourceError
from toolkit.readers import read_article
from toolkit.segment import segment_article
from toolkit.publish.writers.xml import validate

ISSUE_ARTICLE = """\
---
title: Pain relief after spine surgery
author: ISA Content Team
date: 2024-05-01
---

After surgery you will be given pain relief[^1] for the first days.

Table: Medication

| Drug        | Dose   | When      |
|:------------|-------:|:---------:|
| Paracetamol | 500 mg | every 6 h |
| Ibuprofen   | 400 mg | every 8 h |

## Taking your tablets

1. Take the tablets with water.
2. Eat something first:
   - a slice of toast
   - a yoghurt
3. Write down each dose.

> Never take more than the dose on the label.

Call the ward on 555 0100\\
Monday to Friday, 9 am to 5 pm.

[^1]: Your doctor decides which medicine is right for you.
"""


# -- the pipeline -------------------------------------------------------------

def _project(tmp_path: Path, name: str = "proj") -> Path:
    root = tmp_path / name
    (root / "source").mkdir(parents=True)
    text = without_handouts((REPO / "tmkit.toml").read_text("utf-8")).replace('required = ["disclaimer"]',
                                                                               "required = []")
    (root / "tmkit.toml").write_text(text.replace('glossary = "glossary.csv"', 'glossary = ""'), "utf-8")
    return root


def publish(runner, root: Path) -> dict[str, Path]:
    """extract, update es, identity translation, build en + es: the Spanish exports."""
    run_cli(runner, root, "extract")
    run_cli(runner, root, "update", "--lang", "es")
    for po_path in (root / "po" / "es").glob("*.po"):
        po = polib.pofile(str(po_path))
        for entry in po:
            entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(po_path))
    run_cli(runner, root, "build", "--lang", "en", "--lang", "es")
    slug = next((root / "source").iterdir()).stem
    return {fmt: root / "exports" / "es" / f"{slug}.{fmt}" for fmt in ("html", "xml", "txt")}


def pot_entries(root: Path) -> list[polib.POEntry]:
    return list(polib.pofile(str(next((root / "po" / "templates").glob("*.pot")))))


# -- the words of each export ---------------------------------------------------

BOXES = ("p", "li", "td", "th", "caption", "dt", "dd", "br", "h1", "h2", "h3", "h4", "blockquote", "tr")


def _words(element) -> list[str]:
    """Words of an HTML element; block boxes and line breaks separate words
    even where the markup puts no white space between them."""
    for el in element.iter(*BOXES):
        el.tail = " " + (el.tail or "")
        el.text = " " + (el.text or "")
    return element.text_content().split()


def html_words(path: Path) -> list[str]:
    """Words of the page's article (title and body), footnote marks, back-links and the trust
    line (translated from..., reviewed by...) left out."""
    doc = lxml_html.fromstring(path.read_bytes())
    article = doc.find(".//article")
    for el in article.xpath(".//sup[@class='fnref'] | .//a[@class='backlink'] | .//p[@class='trust']"):
        el.drop_tree()
    return _words(article)


def xml_words(path: Path) -> list[str]:
    doc = etree.parse(str(path))
    for el in doc.xpath("//fn | //br"):
        _replace(el, " " if el.tag == "br" else "")
    segs = doc.xpath("/article/metadata//seg | /article/body//seg | /article/footnotes//seg")
    return " ".join(s.xpath("string(.)") for s in segs).split()


def _replace(el, text: str) -> None:
    """Remove an empty element, leaving ``text`` in its place."""
    parent, previous = el.getparent(), el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text + (el.tail or "")
    else:
        parent.text = (parent.text or "") + text + (el.tail or "")
    parent.remove(el)


def text_words(path: Path) -> list[str]:
    """Words of the text export without its layout: underlines, table rules and
    bars, list bullets and numbers, the notes rule and ``[n]`` marks."""
    text = re.sub(r"\[\d+\]", "", path.read_text("utf-8"))
    return [w for w in text.split() if not re.fullmatch(r"[-=~|•]+|\d+\.", w)]


def markdown_words(text: str) -> list[str]:
    """What a Markdown renderer shows (markdown-it with the same plugins, not
    our reader), in page order: the front-matter title first, footnote marks,
    back-links, task boxes and Pandoc's ``Table:`` caption keyword left out.
    Front matter shows its title and, for an author, the byline "By: ..."."""
    head = [f"By: {m.group(1)}" if m.group(0).startswith("author") else m.group(1)
            for m in re.finditer(r"^(?:title|author): (.*)$", text.split("\n---\n")[0], re.MULTILINE)]
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    md = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
          .use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin))
    doc = lxml_html.fromstring(f"<div>{md.render(body)}</div>")
    for el in doc.xpath(".//sup[@class='footnote-ref'] | .//a[@class='footnote-backref']"):
        el.drop_tree()
    words = [w for w in _words(doc) if w != "Table:"]
    return " ".join(head).split() + words


def assert_faithful(exports: dict[str, Path], expected: list[str]) -> None:
    for fmt, words in (("html", html_words), ("xml", xml_words), ("txt", text_words)):
        got = words(exports[fmt])
        assert got == expected, f"{fmt}: {got} != {expected}"


# -- acceptance: the issue's Markdown article --------------------------------------

def test_issue_article_gives_an_entry_per_cell_caption_and_footnote(tmp_path, runner):
    root = _project(tmp_path)
    (root / "source" / "dosage.md").write_text(ISSUE_ARTICLE, "utf-8")
    exports = publish(runner, root)
    entries = {e.msgid: e for e in pot_entries(root)}
    for cell in ("Drug", "Dose", "When", "Paracetamol", "500 mg", "every 6 h", "Ibuprofen", "400 mg",
                 "every 8 h", "Medication", "Your doctor decides which medicine is right for you."):
        assert cell in entries, cell
    assert entries["500 mg"].comment.splitlines()[0] == "Table 'Medication', row 2, column 'Dose'"
    assert entries["Dose"].comment.splitlines()[0] == "Table 'Medication', row 1, column 2 (header)"
    assert entries["Medication"].comment.splitlines()[0] == "Caption of table 1"
    assert entries["Your doctor decides which medicine is right for you."].comment.startswith("Footnote 1 of 1")
    assert 'After surgery you will be given pain relief<fn ref="1"/> for the first days.' in entries
    assert "Call the ward on 555 0100<br/>Monday to Friday, 9 am to 5 pm." in entries
    assert not any("|" in msgid or "[^" in msgid for msgid in entries)

    page = exports["html"].read_bytes()
    html5lib.HTMLParser(strict=True).parse(page)          # valid HTML5: raises on any parse error
    doc = lxml_html.fromstring(page)
    table = doc.find(".//table")
    assert table[0].tag == "caption" and table[0].text_content() == "Medication"
    assert [th.get("scope") for th in table.iterfind("thead/tr/th")] == ["col"] * 3
    assert [[c.text_content() for c in tr] for tr in table.iterfind("tbody/tr")] == [
        ["Paracetamol", "500 mg", "every 6 h"], ["Ibuprofen", "400 mg", "every 8 h"]]
    assert [td.get("class") for td in table.find("tbody/tr")] == ["align-start", "align-end", "align-center"]
    ref = doc.find(".//sup[@class='fnref']/a")
    note = doc.find(".//section[@class='footnotes']/ol/li")
    assert ref.text == "1" and ref.get("href") == "#" + note.get("id")
    assert note.find("a[@class='backlink']").get("href") == "#" + ref.get("id")
    assert "Call the ward on 555 0100<br>Monday to Friday" in page.decode()
    assert doc.find(".//ol/li/ul/li").text_content() == "a slice of toast"   # numbered list, bulleted sub-list

    xml = exports["xml"].read_bytes()
    assert validate(xml) == []
    assert b'<br/>Monday' in xml and b'<fn ref="1"/>' in xml and b'<footnote id="b' in xml
    text = exports["txt"].read_text("utf-8")
    assert "| Paracetamol | 500 mg | every 6 h |" in text
    assert "555 0100\nMonday to Friday" in text
    assert text.rstrip().endswith("[1] Your doctor decides which medicine is right for you.")
    assert_faithful(exports, markdown_words(ISSUE_ARTICLE))


# -- fidelity per Markdown construct -------------------------------------------------

MARKDOWN_CONSTRUCTS = {
    "table": "# Doses\n\n| Drug | Dose |\n|---|--:|\n| Paracetamol | 500 mg |\n| | empty first cell |\n",
    "table-caption-after": "# Doses\n\nBefore.\n\n| A | B |\n|---|---|\n| one | two |\n\nTable: Medication\n",
    "footnotes": ("# Notes\n\nFirst[^a] and second[^b] claims, first again[^a].\n\n"
                  "[^b]: The second note.\n[^a]: The first note, with *emphasis*.\n"),
    "strikethrough": "# Changes\n\nUse ~~ice~~ heat for the first days.\n",
    "hard-breaks": "# Contact\n\nWard 4  \nMain Street 1\\\nSpringfield\n\n- one  \n  two\n",
    "definitions": "# Words\n\nSciatica\n: Pain along the sciatic nerve.\n\nStenosis\n: Narrowing.\n: Of the canal.\n",
    "tasks": "# Before surgery\n\n- [ ] Stop smoking\n- [x] Book a lift home\n",
    "nested": "# Steps\n\n1. First\n   - sub a\n   - sub b\n2. Second\n\n> Quoted *text*.\n",
}


@pytest.mark.parametrize("name", sorted(MARKDOWN_CONSTRUCTS))
def test_markdown_construct_survives_identity_translation(tmp_path, runner, name):
    text = MARKDOWN_CONSTRUCTS[name]
    root = _project(tmp_path)
    (root / "source" / f"{name}.md").write_text(text, "utf-8")
    exports = publish(runner, root)
    expected = markdown_words(text)
    if name == "table-caption-after":   # the caption is shown above its table
        expected = ["Doses", "Before.", "Medication", "A", "B", "one", "two"]
    assert_faithful(exports, expected)
    assert validate(exports["xml"].read_bytes()) == []
    html5lib.HTMLParser(strict=True).parse(exports["html"].read_bytes())


def test_markdown_constructs_become_the_right_elements(tmp_path, runner):
    root = _project(tmp_path)
    for name, text in MARKDOWN_CONSTRUCTS.items():
        (root / "source" / f"{name}.md").write_text(text, "utf-8")
    run_cli(runner, root, "extract")
    run_cli(runner, root, "build", "--lang", "en")
    page = lambda name: (root / "exports" / "en" / f"{name}.html").read_text("utf-8")  # noqa: E731
    assert "<s>ice</s>" in page("strikethrough")
    assert "Ward 4<br>Main Street 1<br>Springfield" in page("hard-breaks") and "one<br>two" in page("hard-breaks")
    defs = lxml_html.fromstring(page("definitions")).find(".//dl")
    assert [(el.tag, el.text_content()) for el in defs] == [
        ("dt", "Sciatica"), ("dd", "Pain along the sciatic nerve."), ("dt", "Stenosis"),
        ("dd", "Narrowing."), ("dd", "Of the canal.")]
    tasks = lxml_html.fromstring(page("tasks")).findall(".//ul/li")
    assert [li.text_content() for li in tasks] == ["Stop smoking", "Book a lift home"]
    notes = lxml_html.fromstring(page("footnotes"))
    refs = [a.text for a in notes.iterfind(".//sup[@class='fnref']/a")]
    assert refs == ["1", "2", "1"]      # numbered by first reference, whatever order the definitions have
    items = notes.findall(".//section[@class='footnotes']/ol/li")
    assert [li.text_content().replace("↩\ufe0e", "").strip() for li in items] == [
        "The first note, with emphasis.", "The second note."]
    assert len(items[0].findall("a[@class='backlink']")) == 2
    ids = notes.xpath("//@id")
    assert len(ids) == len(set(ids))
    table = lxml_html.fromstring(page("table")).find(".//table")
    assert [c.text_content() for c in table.find("tbody/tr[2]")] == ["", "empty first cell"]
    text = (root / "exports" / "en" / "table.txt").read_text("utf-8")
    assert "| Drug        |             Dose |\n|-------------|------------------|" in text


def test_unreferenced_footnote_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "n.md"
    path.write_text("# T\n\nText.\n\n[^x]: A note nobody refers to.\n", "utf-8")
    with pytest.raises(SourceError) as err:
        read_article(path)
    assert err.value.line == 5 and "[^x]" in err.value.message


def test_wide_characters_line_up_in_text_tables(tmp_path, runner):
    root = _project(tmp_path)
    (root / "source" / "t.md").write_text("# T\n\n| 药物 | Dose |\n|---|---|\n| 对乙酰氨基酚 | 500 mg |\n", "utf-8")
    run_cli(runner, root, "extract")
    run_cli(runner, root, "build", "--lang", "en")
    from toolkit.publish.writers.text import display_width

    lines = [l for l in (root / "exports" / "en" / "t.txt").read_text("utf-8").splitlines() if l.startswith("|")]
    assert len({display_width(line) for line in lines}) == 1, lines
    assert lines[2].index("500") > 0 and lines[0].count("|") == 3


# -- Word documents ----------------------------------------------------------------

EQUIVALENT_MARKDOWN = """\
# Pain relief after spine surgery

After surgery you get **pain relief** for the first days. See [our guide](https://www.example.org/pain).

## Taking your tablets

- Take them with water.
- Eat first.
  - Toast or a yoghurt.

### Doses

Table: Medication

| Drug | Dose |
|---|---|
| Paracetamol | 500 mg |
| Ibuprofen | 400 mg |

Ask your pharmacist.
"""


def _word_article(path: Path) -> Path:
    """The Word twin of :data:`EQUIVALENT_MARKDOWN`, made as an author would in Word."""
    document = dx.new_document()
    document.add_heading("Pain relief after spine surgery", 0)
    p = document.add_paragraph("After surgery you get ")
    p.add_run("pain relief").bold = True
    p.add_run(" for the first days. See ")
    dx.add_hyperlink(p, "our guide", "https://www.example.org/pain")
    p.add_run(".")
    document.add_heading("Taking your tablets", 1)
    document.add_paragraph("Take them with water.", style="List Bullet")
    document.add_paragraph("Eat first.", style="List Bullet")
    document.add_paragraph("Toast or a yoghurt.", style="List Bullet 2")
    document.add_heading("Doses", 2)
    dx.add_table(document, [["Drug", "Dose"], ["Paracetamol", "500 mg"], ["Ibuprofen", "400 mg"]],
                 caption="Medication")
    document.add_paragraph("Ask your pharmacist.")
    return dx.save(document, path)


def _article_html(path: Path) -> str:
    """The page's ``<article>``, serialised (what the two sources must share)."""
    return etree.tostring(lxml_html.fromstring(path.read_bytes()).find(".//article"), encoding=str)


def test_word_document_matches_its_markdown_twin(tmp_path, runner):
    word = _project(tmp_path, "word")
    md = _project(tmp_path, "md")
    _word_article(word / "source" / "pain.docx")
    (md / "source" / "pain.md").write_text(EQUIVALENT_MARKDOWN, "utf-8")
    key = lambda s: (s.id, s.text, s.comment, s.context)  # noqa: E731  (lines differ: paragraphs vs lines)
    word_segments = [key(s) for s in segment_article(read_article(word / "source" / "pain.docx"))]
    md_segments = [key(s) for s in segment_article(read_article(md / "source" / "pain.md"))]
    assert word_segments == md_segments
    assert ("b1.s1", "After surgery you get <strong>pain relief</strong> for the first days.",
            "Paragraph 1: 'After surgery you get pain relief…', sentence 1 of 2", None) in word_segments
    word_out, md_out = publish(runner, word), publish(runner, md)
    assert _article_html(word_out["html"]) == _article_html(md_out["html"])
    assert [e.msgid for e in pot_entries(word)] == [e.msgid for e in pot_entries(md)]
    assert (word / "po" / "es" / "pain.po").exists()
    pot = (word / "po" / "templates" / "pain.pot").read_text("utf-8")
    assert "#: source/pain.docx:" in pot


def test_word_constructs_survive_identity_translation(tmp_path, runner):
    root = _project(tmp_path)
    document = dx.new_document()
    document.core_properties.title = "Properties title"
    document.add_heading("Back pain at work", 0)
    notes = dx.Footnotes(document)
    p = document.add_paragraph("Sitting for long hours")
    notes.ref(p, "Eight hours or more a day.")
    p.add_run(" strains the back. ")
    p.add_run("Move").italic = True
    p.add_run(" every ")
    struck = p.add_run("two")
    struck.font.strike = True
    p.add_run(" hours.")
    dx.add_line_break(p, "Stand up often.")
    document.add_heading("Exercises", 1)
    document.add_paragraph("Stretch your arms.", style="List Number")
    document.add_paragraph("Roll your shoulders.", style="List Number")
    document.add_heading("Posture", 2)
    q = document.add_paragraph("Keep your ")
    dx.add_deletion(q, "DELETED-WORDS never shown ")
    dx.add_insertion(q, "screen at eye level")
    dx.add_comment_marks(q)
    q.add_run(".")
    notes.ref(q, "Ask your employer for a stand.")
    dx.add_table(document, [["Activity", "Minutes"], ["Walk", "10"], ["Stretch", "5"]], caption="Breaks")
    document.add_paragraph("Nothing in this article replaces the advice of your doctor.", style="Quote")
    notes.attach()
    src = dx.save(document, root / "source" / "work.docx")
    exports = publish(runner, root)
    expected = dx.visible_words(src)
    assert "DELETED-WORDS" not in expected
    assert_faithful(exports, expected)
    msgids = [e.msgid for e in pot_entries(root)]
    assert not any("DELETED" in m for m in msgids)
    assert "Keep your screen at eye level.<fn ref=\"2\"/>" in msgids
    assert 'Sitting for long hours<fn ref="1"/> strains the back.' in msgids
    assert "<em>Move</em> every <s>two</s> hours.<br/>Stand up often." in msgids
    assert "Ask your employer for a stand." in msgids and "Breaks" in msgids
    article = read_article(src)
    assert article.title == "Back pain at work"
    assert article.meta_values("document_title") == ["Properties title"]
    assert article.meta_values("author") == ["ISA Content Team"]
    page = lxml_html.fromstring(exports["html"].read_bytes())
    assert [li.text_content() for li in page.iterfind(".//ol[@id]/li")] == ["Stretch your arms.",
                                                                           "Roll your shoulders."]
    assert page.find(".//h2").text_content() == "Exercises" and page.find(".//h3").text_content() == "Posture"
    assert validate(exports["xml"].read_bytes()) == []


def test_word_tracked_deletions_never_reach_a_segment(tmp_path):
    document = dx.new_document()
    document.add_heading("Title", 0)
    p = document.add_paragraph("Take ")
    dx.add_deletion(p, "two")
    dx.add_insertion(p, "one")
    p.add_run(" tablet.")
    src = dx.save(document, tmp_path / "d.docx")
    assert b"w:delText" in zipfile.ZipFile(src).read("word/document.xml")
    assert [s.text for s in segment_article(read_article(src))] == ["Title", "Take one tablet."]


@pytest.mark.parametrize("name,content,message", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Word 97-2003 document (.doc) is not read"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "password-protected (encrypted)"),
    ("cut.docx", None, "not a readable Word document (.docx)"),
    ("text.docx", b"just text\n", "not a readable Word document (.docx)"),
])
def test_unreadable_word_files_are_one_line_errors(tmp_path, runner, name, content, message):
    root = _project(tmp_path)
    if content is None:
        whole = _word_article(tmp_path / "whole.docx").read_bytes()
        content = whole[: len(whole) // 2]
    (root / "source" / name).write_bytes(content)
    result = runner.invoke(cli, ["-C", str(root), "extract"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tmkit: error: source/{name}: ") and message in lines[0]
    assert not (root / "po" / "templates").exists() or not any((root / "po" / "templates").iterdir())


def test_registry_is_the_one_list_of_extensions():
    from toolkit.readers import READERS, REFUSED, is_source

    assert READERS[".docx"][0] == "docx" and ".doc" in REFUSED and ".doc" not in READERS
    assert is_source("x.docx") and is_source("x.DOC") and not is_source("x.odt")



# -- HTML tables ----------------------------------------------------------------------

HTML_TABLES = """<!DOCTYPE html><html><head><title>Doses</title></head><body><main><h1>Doses</h1>
<table><caption>Medication</caption>
<thead><tr><th>Drug</th><th style="text-align:right">Dose</th></tr></thead>
<tbody><tr><th rowspan="2">Para<br>cetamol</th><td>500 mg</td></tr><tr><td>1 g</td></tr>
<tr><td colspan="2">Ask <em>first</em></td></tr></tbody></table>
<table role="presentation"><tr><td>Layout cell.</td></tr></table>
<table><tr><td><p>Layout para one.</p><p>Two.</p></td></tr></table>
</main></body></html>
"""


def test_html_data_tables_are_tables_layout_tables_are_paragraphs(tmp_path, runner):
    root = _project(tmp_path)
    (root / "source" / "doses.html").write_text(HTML_TABLES, "utf-8")
    exports = publish(runner, root)
    units = {s.id: (s.text, s.comment) for s in segment_article(read_article(root / "source" / "doses.html"))}
    assert units["b1.caption"][0] == "Medication"
    assert units["b1.r2.c1"] == ("Para<br/>cetamol", "Table 'Medication', row 2, column 1 (header)")
    assert units["b1.r3.c2"] == ("1 g", "Table 'Medication', row 3, column 'Dose'")   # pushed right by the rowspan
    assert units["b1.r4.c1"][0] == "Ask <em>first</em>"
    assert [units[k][0] for k in ("b2.s1", "b3.s1", "b4.s1")] == ["Layout cell.", "Layout para one.", "Two."]
    page = exports["html"].read_bytes()
    html5lib.HTMLParser(strict=True).parse(page)
    table = lxml_html.fromstring(page).find(".//table")
    assert [(c.tag, c.get("scope"), c.get("rowspan"), c.get("colspan")) for c in table.iter("th", "td")] == [
        ("th", "col", None, None), ("th", "col", None, None), ("th", "row", "2", None), ("td", None, None, None),
        ("td", None, None, None), ("td", None, None, "2")]
    assert validate(exports["xml"].read_bytes()) == []
    assert b'<cell id="b1.r2.c1" header="true" rows="2">' in exports["xml"].read_bytes()
    assert html_words(exports["html"]) == ("Doses Medication Drug Dose Para cetamol 500 mg 1 g Ask first "
                                           "Layout cell. Layout para one. Two.").split()


def _rezip(src: Path, dst: Path, replace) -> Path:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, replace(data) if item.filename == "word/document.xml" else data)
    return dst


def test_damaged_word_parts_are_errors_or_read_never_tracebacks(tmp_path, runner):
    whole = _word_article(tmp_path / "whole.docx")
    root = _project(tmp_path)
    _rezip(whole, root / "source" / "broken.docx", lambda d: d[: len(d) // 2])
    result = runner.invoke(cli, ["-C", str(root), "extract"])
    assert result.exit_code == 2 and result.output.startswith("tmkit: error: source/broken.docx: not a readable")
    (root / "source" / "broken.docx").unlink()
    odd = (lambda d: d.replace(b"<w:tblGrid>", b"<w:tblGrid>").replace(b"<w:tc>", b'<w:tc><w:tcPr>'
           b'<w:gridSpan w:val="lots"/></w:tcPr>', 1).replace(b'<w:ilvl w:val="0"/>', b'<w:ilvl w:val="-3"/>'))
    _rezip(whole, root / "source" / "odd.docx", odd)
    run_cli(runner, root, "extract")
    assert "Paracetamol" in (root / "po" / "templates" / "odd.pot").read_text("utf-8")
