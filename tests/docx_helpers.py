"""Word documents for the tests, made with python-docx (what Word would save).

python-docx has no call for hyperlinks, tracked changes or footnotes; those
are added as the WordprocessingML elements Word itself writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def new_document(author: str = "ISA Content Team") -> docx.document.Document:
    document = docx.Document()
    document.core_properties.author = author
    return document


def _run(text: str, tag: str = "w:t") -> OxmlElement:
    run = OxmlElement("w:r")
    t = OxmlElement(tag)
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def add_hyperlink(paragraph, text: str, url: str) -> None:
    """A real ``w:hyperlink`` with an external relationship, as Word writes it."""
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    link.append(_run(text))
    paragraph._p.append(link)


def _tracked(paragraph, tag: str, run: OxmlElement) -> None:
    change = OxmlElement(tag)
    change.set(qn("w:id"), "901" if tag == "w:ins" else "902")
    change.set(qn("w:author"), "Reviewer")
    change.append(run)
    paragraph._p.append(change)


def add_insertion(paragraph, text: str) -> None:
    """Text inserted with Track Changes on."""
    _tracked(paragraph, "w:ins", _run(text))


def add_deletion(paragraph, text: str) -> None:
    """Text deleted with Track Changes on (still in the file as ``w:delText``)."""
    _tracked(paragraph, "w:del", _run(text, "w:delText"))


def add_comment_marks(paragraph) -> None:
    """A comment anchored in the paragraph (its text lives in comments.xml)."""
    for tag in ("w:commentRangeStart", "w:commentRangeEnd"):
        mark = OxmlElement(tag)
        mark.set(qn("w:id"), "0")
        paragraph._p.append(mark)
    ref = OxmlElement("w:r")
    cref = OxmlElement("w:commentReference")
    cref.set(qn("w:id"), "0")
    ref.append(cref)
    paragraph._p.append(ref)


def add_line_break(paragraph, after: str) -> None:
    run = paragraph.add_run()
    run.add_break()
    run.add_text(after)


class Footnotes:
    """A footnotes part for a document: ``ref(paragraph, text)`` adds note n
    and its reference mark at the end of ``paragraph``."""

    def __init__(self, document) -> None:
        self.document = document
        self.notes: list[str] = []

    def ref(self, paragraph, text: str) -> None:
        self.notes.append(text)
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        valign = OxmlElement("w:vertAlign")
        valign.set(qn("w:val"), "superscript")
        props.append(valign)
        run.append(props)
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), str(len(self.notes)))
        run.append(mark)
        paragraph._p.append(run)

    def attach(self) -> None:
        from xml.sax.saxutils import escape

        notes = "".join(
            f'<w:footnote w:id="{n}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
            for n, text in enumerate(self.notes, 1))
        blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                f'{notes}</w:footnotes>').encode("utf-8")
        part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, blob, self.document.part.package)
        self.document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def add_table(document, rows: list[list[str]], caption: Optional[str] = None, style: Optional[str] = None):
    if caption is not None:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    if style:
        table.style = style
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def save(document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def visible_words(path: Path) -> list[str]:
    """An independent extraction of what Word shows: every ``w:t`` that is not
    deleted, in document order, then the footnotes' text (Word shows them at
    the foot of the page)."""
    import zipfile

    from lxml import etree

    def words(xml: bytes) -> list[str]:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        body = root.find(f"{{{W_NS}}}body")
        out: list[str] = []
        for p in (body if body is not None else root).iter(f"{{{W_NS}}}p"):
            shown = p.xpath(".//w:t[not(ancestor::w:del)] | .//w:br | .//w:tab", namespaces={"w": W_NS})
            out += "".join(t.text or "" if t.tag.endswith("}t") else " " for t in shown if _inside(t, p)).split()
        return out

    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        result = words(package.read("word/document.xml"))
        if "word/footnotes.xml" in names:
            result += words(package.read("word/footnotes.xml"))
    return result


def _inside(element, paragraph) -> bool:
    parent = element.getparent()
    while parent is not None and parent.tag != f"{{{W_NS}}}p":
        parent = parent.getparent()
    return parent is paragraph

