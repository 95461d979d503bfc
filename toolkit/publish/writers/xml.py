"""XML writer: ``exports/<lang>/<slug>.xml`` in the tmkit article vocabulary.

The vocabulary (documented in ``docs/export.md``, schema in
``toolkit/schema/article.rng``) keeps the article's structure and, for every
segment, its id and translation status; fallback segments carry ``xml:lang``
of the source language.  The tree is built with lxml, so translated text is
escaped by construction and inline markup becomes real elements.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional

from lxml import etree

from toolkit.text import inline
from toolkit.model import BlockKind, TranslatedArticle, TranslatedBlock, TranslatedSegment
from toolkit.publish.writers import PageContext

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "article.rng"   # toolkit/schema
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VOCABULARY_VERSION = "1"


@lru_cache(maxsize=1)
def schema() -> etree.RelaxNG:
    """The shipped RELAX NG schema, parsed once."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH), parser))


def validate(data: bytes) -> list[str]:
    """Errors of an exported XML document against the schema (empty: valid)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(data, parser).getroottree()
    rng = schema()
    if rng.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in rng.error_log]


def _inline(parent: etree._Element, markup: str) -> None:
    """Append inline markup to ``parent`` as text and elements."""
    if "<" not in markup and "&" not in markup:  # plain text: nothing to parse
        parent.text = (parent.text or "") + markup
        return
    try:
        nodes = inline.parse(markup)
    except inline.InlineError:
        nodes = [inline.plain_text(markup)]
    _nodes(parent, nodes)


def _nodes(parent: etree._Element, nodes: list[inline.Node]) -> None:
    last: Optional[etree._Element] = None
    for node in nodes:
        if isinstance(node, str):
            if last is None:
                parent.text = (parent.text or "") + node
            else:
                last.tail = (last.tail or "") + node
            continue
        last = etree.SubElement(parent, node.tag)
        for key in inline.ATTRS.get(node.tag, ()):
            if key in node.attrs:
                last.set(key, node.attrs[key])
        _nodes(last, node.children)


def _segment(parent: etree._Element, segment: TranslatedSegment, page_lang: str) -> etree._Element:
    seg = etree.SubElement(parent, "seg", id=segment.id, status=segment.status.value)
    if segment.lang != page_lang:
        seg.set(XML_LANG, segment.lang)
    _inline(seg, segment.text)
    return seg


def _segments(parent: etree._Element, block: TranslatedBlock, page_lang: str) -> None:
    last = None
    for separator, segment in block.pieces():
        if separator and last is not None:
            last.tail = separator
        last = _segment(parent, segment, page_lang)


def _table(parent: etree._Element, block: TranslatedBlock, lang: str) -> etree._Element:
    """``table``: its ``caption``, then a ``row`` per row of ``cell``s."""
    element = etree.SubElement(parent, "table", id=block.id)
    rows: dict[int, etree._Element] = {}
    for item in block.items:
        if item.cell is None:
            _segments(etree.SubElement(element, "caption", id=item.id), item, lang)
            continue
        row = rows.get(item.cell.row)
        if row is None:
            row = rows[item.cell.row] = etree.SubElement(element, "row")
        attrs = {"header": "true"} if item.cell.header else {}
        if item.cell.align:
            attrs["align"] = item.cell.align
        for name, span in (("rows", item.cell.rows), ("columns", item.cell.columns)):
            if span > 1:
                attrs[name] = str(span)
        _segments(etree.SubElement(row, "cell", id=item.id, **attrs), item, lang)
    return element


def _items(parent: etree._Element, block: TranslatedBlock, lang: str, name: str) -> etree._Element:
    """A container whose items are elements named by their kind (``term``,
    ``definition``, ``footnote``)."""
    element = etree.SubElement(parent, name, id=block.id)
    for number, item in enumerate(block.items, 1):
        attrs = {"n": str(number)} if item.kind is BlockKind.FOOTNOTE else {}
        _segments(etree.SubElement(element, item.kind.value, id=item.id, **attrs), item, lang)
    return element


def _block(parent: etree._Element, block: TranslatedBlock, lang: str) -> None:
    if block.kind is BlockKind.TABLE:
        element = _table(parent, block, lang)
    elif block.kind is BlockKind.DEFINITIONS:
        element = _items(parent, block, lang, "definitions")
    elif block.kind is BlockKind.LIST or block.kind is BlockKind.ITEM:
        items = block.items if block.kind is BlockKind.LIST else [block]
        element = etree.SubElement(parent, "list", id=block.id,
                                   ordered="true" if block.ordered else "false")
        for item in items:
            attrs = {**_role(item), **({"depth": str(item.level), "ordered": "true" if item.ordered else "false"}
                                       if item.level > 0 else {})}
            _segments(etree.SubElement(element, "item", id=item.id, **attrs), item, lang)
    else:
        element = etree.SubElement(parent, "p", id=block.id)
        _segments(element, block, lang)
    if block.role:
        element.set("role", block.role)


def _role(block: TranslatedBlock) -> dict[str, str]:
    return {"role": block.role} if block.role else {}


def build_tree(article: TranslatedArticle, page: PageContext) -> etree._Element:
    """The article as an lxml element tree (root ``article``)."""
    root = etree.Element("article", version=VOCABULARY_VERSION, slug=article.slug,
                         nsmap=None)
    root.set(XML_LANG, article.lang)
    root.set("source-lang", article.source_lang)
    root.set("translated", f"{article.percent:.1f}")
    root.set("generator", page.generator)
    metadata = etree.SubElement(root, "metadata")
    if article.title is not None:
        _segments(etree.SubElement(metadata, "title"), article.title, article.lang)
    for meta in article.meta:
        element = etree.SubElement(metadata, "meta", key=meta.key)
        if meta.segment is None:
            element.set("translatable", "false")
            element.text = meta.value
        else:
            _segment(element, meta.segment, article.lang)
    body = etree.SubElement(root, "body")
    stack: list[tuple[int, etree._Element]] = [(1, body)]
    for block in article.blocks:
        if block.kind is BlockKind.FOOTNOTES:  # after the body, whatever section it closes
            _items(root, block, article.lang, "footnotes")
        elif block.kind is BlockKind.HEADING:
            level = max(block.level or 2, 2)
            while stack[-1][0] >= level:
                stack.pop()
            section = etree.SubElement(stack[-1][1], "section", id=block.id, level=str(level),
                                       **_role(block))
            _segments(etree.SubElement(section, "heading"), block, article.lang)
            stack.append((level, section))
        else:
            _block(stack[-1][1], block, article.lang)
    return root


def render(article: TranslatedArticle, page: PageContext) -> bytes:
    """The article as a UTF-8 XML document."""
    return etree.tostring(build_tree(article, page), xml_declaration=True, encoding="UTF-8",
                          pretty_print=False) + b"\n"
