"""Word documents (``.docx``), read through python-docx.

What Word shows becomes the same model the Markdown and HTML readers give:

* the title: the first paragraph in the ``Title`` style, else the document
  title of the file's properties, else the first ``Heading 1``; when the title
  is not a Heading 1, ``Heading N`` becomes a heading of level N+1 (Word's
  Title sits above Heading 1, as Markdown's ``#`` sits above ``##``);
* paragraphs; ``Quote``/``Intense Quote`` paragraphs get role ``quote``;
* bulleted and numbered paragraphs (list styles or Word numbering), with their
  levels, grouped into lists;
* tables: every cell an item (the first row is the header row), a ``Caption``
  paragraph right after (else right before) a table its caption;
* bold, italic, strikethrough, superscript, subscript, code character styles
  and hyperlinks as inline markup; line breaks as ``<br/>``;
* footnotes and endnotes (read from their parts of the package), numbered in
  the order the text refers to them;
* file properties: author, created date, subject, keywords as metadata that
  is not translated.

Tracked changes are accepted: inserted text is read, deleted text (and text
moved away) is not, so deleted words never reach a segment.  Comments live
in their own part and are never read.  Field codes are not text (their shown
result is).  A ``.docx`` has no lines: blocks record their paragraph number
in the document body instead, which PO references show as the line.
"""

from __future__ import annotations

import io
import re
from typing import Iterator, Optional

from lxml import etree

from toolkit.errors import SourceError
from toolkit.text.inline import footnote_ref
from toolkit.text.xmlchars import bad_control
from toolkit.model import Article, Block, BlockKind, Cell, Meta
from toolkit.readers.base import InlineBuilder, mark_roles, normalise, plain, require_content

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
#: What an old binary Word file and an encrypted (password-protected) .docx
#: both start with: an OLE compound file, not a zip package.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Elements whose content is read as if it were not wrapped: inserted text
#: (tracked changes accepted), text moved here, smart tags, content controls...
TRANSPARENT = frozenset(W + name for name in ("ins", "moveTo", "smartTag", "customXml", "fldSimple",
                                               "sdt", "sdtContent", "dir", "bdo"))
#: Elements never read: deleted or moved-away text, field codes.
SKIPPED = frozenset(W + name for name in ("del", "moveFrom", "instrText", "delText", "delInstrText"))
_HEADING = re.compile(r"^heading (\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list (bullet|number)(?: (\d))?$", re.IGNORECASE)
#: Character formatting -> inline tag, outermost first.
FORMATS = ("strong", "em", "s", "sup", "sub", "code")
ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right"}


def open_document(data: bytes, path: str):
    """The python-docx ``Document``; every way a file can fail to be one is an
    error naming it."""
    import docx

    if data.startswith(OLE_MAGIC):
        raise SourceError("password-protected (encrypted) Word file, or an old .doc renamed .docx: "
                          "remove the password or save it as .docx", path)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and zipfile raise many kinds for a damaged package
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError(f"not a readable Word document (.docx): {reason}", path) from None


def refuse_doc(data: bytes, path: str, slug: str) -> Article:
    """A Word 97-2003 ``.doc``: not read (its binary format needs a converter)."""
    raise SourceError("Word 97-2003 document (.doc) is not read: open it in Word or LibreOffice "
                      "and save it as .docx", path)


class _Runs:
    """Turns the runs of paragraphs into inline markup.

    Word splits text into runs wherever anything changes (and often where
    nothing visible does); formatting is kept open across runs that share it,
    so ``<strong>`` is not cut into pieces.  ``notes`` numbers footnote and
    endnote references in the order they are met.
    """

    def __init__(self, rels: dict[str, str], notes: dict[tuple[str, str], int],
                 path: str = "", part: str = "word/document.xml") -> None:
        self.rels = rels
        self.notes = notes
        self.path = path          # the .docx, as errors name it
        self.part = part          # the part read, e.g. word/footnotes.xml
        self.open: list[str] = []

    def paragraph(self, p: etree._Element, run: InlineBuilder) -> None:
        self.walk(p, run)
        self.format(run, set())

    def walk(self, el: etree._Element, run: InlineBuilder) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self.run(child, run)
            elif tag == W + "hyperlink":
                self.hyperlink(child, run)
            elif tag in TRANSPARENT:
                self.walk(child, run)
            elif tag == MC + "AlternateContent":  # one of its versions: the first
                choice = next(iter(child), None)
                if choice is not None:
                    self.walk(choice, run)

    def hyperlink(self, el: etree._Element, run: InlineBuilder) -> None:
        href = self.rels.get(el.get(R_ID, ""), "")
        self.format(run, set())
        if href:
            run.open("a", {"href": href})
        self.walk(el, run)
        self.format(run, set())
        if href:
            run.close("a")

    def format(self, run: InlineBuilder, wanted: set[str]) -> None:
        """Close the open tags ``wanted`` no longer has, open the ones it adds."""
        keep = 0
        while keep < len(self.open) and self.open[keep] in wanted:
            keep += 1
        if keep < len(self.open):
            run.close(self.open[keep])
            del self.open[keep:]
        for tag in FORMATS:
            if tag in wanted and tag not in self.open:
                run.open(tag)
                self.open.append(tag)

    def run(self, r: etree._Element, run: InlineBuilder) -> None:
        wanted = _formats(r)
        for child in r:
            tag = child.tag
            if tag == W + "t":
                self.format(run, wanted)
                run.text(self.text(child))
            elif tag in (W + "tab", W + "ptab"):
                run.text(" ")
            elif tag == W + "br" and child.get(W + "type") in ("page", "column"):
                run.text(" ")
            elif tag in (W + "br", W + "cr"):
                self.format(run, wanted)
                run.line_break()
            elif tag == W + "noBreakHyphen":
                self.format(run, wanted)
                run.text("\u2011")
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                number = self.notes.setdefault((kind, child.get(W + "id", "")), len(self.notes) + 1)
                self.format(run, set())  # the mark's superscript is the exports' business
                run.raw(footnote_ref(number))


    def text(self, t: etree._Element) -> Optional[str]:
        """The text of a ``<w:t>``; a control character no page may carry (XML
        allows DEL and the C1 controls) is an error naming the part and line."""
        control = bad_control(t.text) if t.text else None
        if control is not None:
            raise SourceError(f"{self.part}:{t.sourceline}: the text holds the control character "
                              f"{control}, which no page may carry; remove it in Word", self.path)
        return t.text


def _on(props: Optional[etree._Element], name: str) -> bool:
    """A toggle property (``<w:b/>``, ``<w:b w:val="false"/>``) of run properties."""
    el = props.find(W + name) if props is not None else None
    return el is not None and el.get(W + "val", "true").lower() not in ("false", "0", "off", "none")


def _formats(r: etree._Element) -> set[str]:
    props = r.find(W + "rPr")
    wanted = set()
    if _on(props, "b"):
        wanted.add("strong")
    if _on(props, "i"):
        wanted.add("em")
    if _on(props, "strike") or _on(props, "dstrike"):
        wanted.add("s")
    valign = props.find(W + "vertAlign") if props is not None else None
    if valign is not None and valign.get(W + "val") in ("superscript", "subscript"):
        wanted.add("sup" if valign.get(W + "val") == "superscript" else "sub")
    style = props.find(W + "rStyle") if props is not None else None
    if style is not None and "code" in (style.get(W + "val") or "").lower():
        wanted.add("code")
    return wanted


class _Reader:
    """Reads the body of a document into blocks, in order."""

    def __init__(self, document, path: str) -> None:
        self.document = document
        self.path = path
        self.notes: dict[tuple[str, str], int] = {}
        self.runs = _Runs(_links(document.part), self.notes, path,
                          str(document.part.partname).lstrip("/"))
        self.styles = {s.style_id: s for s in document.styles}
        self.numbering = _numbering_formats(document.part)
        self.blocks: list[Block] = []
        self.kinds: list[str] = []          # per block: "title", "caption" or ""
        self.number = 0                     # paragraph (or table) number in the body

    def body(self) -> None:
        for el in _body_elements(self.document.element.body):
            self.number += 1
            if el.tag == W + "tbl":
                self.add(self.table(el), "")
            else:
                self.paragraph(el)

    def add(self, block: Block, kind: str) -> None:
        self.blocks.append(block)
        self.kinds.append(kind)

    def markup(self, paragraphs: list[etree._Element]) -> str:
        run = InlineBuilder()
        for index, p in enumerate(paragraphs):
            if index:
                run.line_break()
            self.runs.paragraph(p, run)
        return run.markup()

    def style_name(self, p: etree._Element) -> str:
        style = p.find(f"{W}pPr/{W}pStyle")
        found = self.styles.get(style.get(W + "val")) if style is not None else None
        return (found.name or "") if found is not None else ""

    def paragraph(self, p: etree._Element) -> None:
        text = self.markup([p])
        if not text:
            return
        style = self.style_name(p)
        heading = _HEADING.match(style)
        listed = self.list_level(p, style)
        if style.lower() == "title":
            self.add(Block(BlockKind.HEADING, text, self.number, level=1), "title")
        elif heading:
            self.add(Block(BlockKind.HEADING, text, self.number, level=int(heading.group(1))), "")
        elif style.lower() == "caption":
            self.add(Block(BlockKind.PARAGRAPH, text, self.number), "caption")
        elif listed is not None:
            level, ordered = listed
            item = Block(BlockKind.ITEM, text, self.number, level=level, ordered=ordered)
            last = self.blocks[-1] if self.blocks else None
            if last is not None and last.kind is BlockKind.LIST and self.kinds[-1] == "list":
                last.items.append(item)
            else:
                self.add(Block(BlockKind.LIST, line=self.number, ordered=ordered, items=[item]), "list")
        else:
            role = "quote" if "quote" in style.lower() else ""
            self.add(Block(BlockKind.PARAGRAPH, text, self.number, role=role), "")

    def list_level(self, p: etree._Element, style: str) -> Optional[tuple[int, bool]]:
        """``(level, numbered)`` of a list paragraph; ``None`` for other paragraphs."""
        num = p.find(f"{W}pPr/{W}numPr")
        by_name = _LIST_STYLE.match(style)
        level = int(by_name.group(2)) - 1 if by_name and by_name.group(2) else 0
        if num is None:
            style_el = next((s.element for s in self.styles.values() if s.name == style), None)
            num = style_el.find(f"{W}pPr/{W}numPr") if style_el is not None else None
        elif num.find(W + "ilvl") is not None:
            level = _int(num.find(W + "ilvl").get(W + "val"), 0)
        num_id = num.find(W + "numId").get(W + "val") if num is not None and num.find(W + "numId") is not None \
            else None
        if num_id in (None, "0"):
            if by_name:
                return level, by_name.group(1).lower() == "number"
            return None
        fmt = self.numbering.get((num_id, level), self.numbering.get((num_id, 0), ""))
        ordered = fmt != "bullet" if fmt else bool(by_name and by_name.group(1).lower() == "number")
        return level, ordered

    def table(self, tbl: etree._Element) -> Block:
        """Every cell an item with its row and column (spans counted); the first
        row is the header row.  Deleted rows are not read; a cell merged into
        the one above it (``vMerge``) has no text of its own."""
        table = Block(BlockKind.TABLE, line=self.number)
        row = 0
        for tr in tbl.iterchildren(W + "tr"):
            if tr.find(f"{W}trPr/{W}del") is not None:
                continue
            row += 1
            column = 0
            for tc in _cells(tr):
                column += 1
                props = tc.find(W + "tcPr")
                span = props.find(W + "gridSpan") if props is not None else None
                merged = props.find(W + "vMerge") if props is not None else None
                paragraphs = list(tc.iter(W + "p"))
                text = "" if merged is not None and merged.get(W + "val") != "restart" \
                    else self.markup(paragraphs)
                jc = paragraphs[0].find(f"{W}pPr/{W}jc") if paragraphs else None
                align = ALIGN.get(jc.get(W + "val", ""), "") if jc is not None else ""
                table.items.append(Block(BlockKind.CELL, text, self.number, cell=Cell(
                    row, column, header=row == 1, align=align)))
                if span is not None:
                    column += max(_int(span.get(W + "val"), 1), 1) - 1
        return table

    def footnotes(self) -> Optional[Block]:
        """The notes the text refers to, in the order of their numbers."""
        if not self.notes:
            return None
        texts: dict[tuple[str, str], str] = {}
        for kind, reltype in (("footnote", RT_FOOTNOTES), ("endnote", RT_ENDNOTES)):
            part = _related_part(self.document.part, reltype)
            if part is None:
                continue
            root = _parse_part(part.blob, self.path)
            runs = _Runs(_links(part), self.notes, self.path, str(part.partname).lstrip("/"))
            for note in root.iterchildren(W + kind):
                run = InlineBuilder()
                for index, p in enumerate(note.iter(W + "p")):
                    if index:
                        run.line_break()
                    runs.paragraph(p, run)
                texts[(kind, note.get(W + "id", ""))] = run.markup()
        block = Block(BlockKind.FOOTNOTES, line=self.number + 1)
        for key, number in sorted(self.notes.items(), key=lambda kv: kv[1]):
            block.items.append(Block(BlockKind.FOOTNOTE, texts.get(key, ""), self.number + 1))
        return block


def _int(value: Optional[str], default: int) -> int:
    """A number from an attribute of a file that may be damaged or hostile."""
    try:
        return min(max(int(value), 0), 1000) if value is not None else default
    except ValueError:
        return default


def _body_elements(body: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of the body in order, inside content controls too."""
    for el in body:
        if el.tag in (W + "p", W + "tbl"):
            yield el
        elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
            yield from _body_elements(el)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for el in tr:
        if el.tag == W + "tc":
            yield el
        elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _cells(el)


def _links(part) -> dict[str, str]:
    """Relationship id -> URL of a part's external hyperlinks."""
    return {rid: rel.target_ref for rid, rel in part.rels.items()
            if rel.is_external and rel.reltype.endswith("/hyperlink")}


def _related_part(part, reltype: str):
    return next((rel.target_part for rel in part.rels.values()
                 if rel.reltype == reltype and not rel.is_external), None)


def _parse_part(blob: bytes, path: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not a readable Word document (.docx): {exc}", path) from None


def _numbering_formats(part) -> dict[tuple[str, int], str]:
    """``(numId, level) -> numFmt`` (``bullet``, ``decimal``...) of the numbering part."""
    try:
        numbering = part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract: dict[Optional[str], dict[int, str]] = {}
    for definition in numbering.iterchildren(W + "abstractNum"):
        levels = abstract.setdefault(definition.get(W + "abstractNumId"), {})
        for lvl in definition.iterchildren(W + "lvl"):
            fmt = lvl.find(W + "numFmt")
            levels[_int(lvl.get(W + "ilvl"), 0)] = fmt.get(W + "val", "") if fmt is not None else ""
    formats = {}
    for num in numbering.iterchildren(W + "num"):
        ref = num.find(W + "abstractNumId")
        levels = abstract.get(ref.get(W + "val") if ref is not None else None, {})
        for level, fmt in levels.items():
            formats[(num.get(W + "numId"), level)] = fmt
    return formats


def _captions(blocks: list[Block], kinds: list[str]) -> list[Block]:
    """A ``Caption`` paragraph right after (else right before) a table is its caption."""
    taken: set[int] = set()
    for index, block in enumerate(blocks):
        if block.kind is not BlockKind.TABLE:
            continue
        for near in (index + 1, index - 1):
            if 0 <= near < len(blocks) and near not in taken and kinds[near] == "caption":
                block.items.insert(0, Block(BlockKind.CAPTION, blocks[near].text, blocks[near].line))
                taken.add(near)
                break
    return [b for i, b in enumerate(blocks) if i not in taken]


def _properties(document, article: Article) -> None:
    """Author, date, subject, keywords, language: metadata, not translated."""
    props = document.core_properties
    created = props.created
    for key, value in (("author", props.author), ("date", created.date().isoformat() if created else ""),
                       ("subject", props.subject), ("keywords", props.keywords),
                       ("language", props.language)):
        if value and normalise(value):
            article.meta.append(Meta(key, normalise(value), 1, translatable=False))


def read(data: bytes, path: str, slug: str) -> Article:
    """Read a ``.docx`` file's bytes into an :class:`Article`."""
    if not data:
        raise SourceError("the article is empty", path)
    document = open_document(data, path)
    article = Article(slug=slug, path=path, format="docx")
    reader = _Reader(document, path)
    reader.body()
    notes = reader.footnotes()
    blocks, kinds = reader.blocks, reader.kinds
    core_title = normalise(document.core_properties.title or "")
    title_at = next((i for i, k in enumerate(kinds) if k == "title"), None)
    shift = 1
    if title_at is not None:
        article.title, article.title_line = blocks[title_at].text, blocks[title_at].line
    elif core_title:
        article.title, article.title_line = plain(core_title), 1
    else:
        title_at = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING and b.level == 1), None)
        if title_at is not None:
            article.title, article.title_line = blocks[title_at].text, blocks[title_at].line
        shift = 0
    if core_title and title_at is not None and plain(core_title) != article.title:
        article.meta.append(Meta("document_title", core_title, 1, translatable=False))
    for index, (block, kind) in enumerate(zip(blocks, kinds)):
        if index == title_at:
            continue
        if block.kind is BlockKind.HEADING:
            block.level = min(block.level + shift, 6)
        article.blocks.append(block)
    kinds = [k for i, k in enumerate(kinds) if i != title_at]
    article.blocks = _captions(article.blocks, kinds)
    if notes is not None:
        article.blocks.append(notes)
    _properties(document, article)
    mark_roles(article)
    return require_content(article)
