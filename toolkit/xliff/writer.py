"""One PO catalog -> one XLIFF 1.2 document, for an agency's CAT tool.

The subset written is exactly ``toolkit/schema/xliff.rng`` (and valid against
OASIS ``xliff-core-1.2-strict.xsd``):

* one ``<file>`` per article and language, ``original`` = the PO file,
  ``datatype="po"``, ``source-language``/``target-language`` as BCP 47; no
  header unit (the PO header stays home);
* one ``<trans-unit>`` per PO entry: ``id`` = the entry's first segment id
  (stable across exports), ``resname`` = all its segment ids;
  ``xml:space="preserve"``; ``approved="yes"`` for reviewed entries;
* ``<target state="translated">``, ``state="needs-review-translation"`` for
  fuzzy entries (and translations whose tags differ from the source's, which
  the build would refuse), no ``<target>`` for untranslated ones;
* ``<note>``: where the text sits (the ``#.`` comments), glossary terms,
  translators' comments, link targets, the English a fuzzy translation was
  made for; ``<context-group purpose="location">`` per ``#:`` reference,
  ``<context-group purpose="match">`` with the msgctxt;
* ``<alt-trans match-quality="88" origin="es/other#b3.s1">`` for TM matches
  of untranslated and fuzzy entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import polib
from lxml import etree

from toolkit import __version__
from toolkit.text import inline
from toolkit.catalog.template import segment_ids
from toolkit.text.inline import markup_matches
from toolkit.text.inline_codes import Codes, write_xliff
from toolkit.xliff import XLIFF_NS, XLIFF_VERSION
from toolkit.text.xmlchars import xml_safe

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
GLOSSARY_PREFIX = "glossary: "
ID_PREFIX = "id: "
TM_PREFIX = "tmkit-tm:"     # toolkit.tm.pretranslate.COMMENT_TAG: where a pre-filled text came from

TRANSLATED = "translated"
NEEDS_REVIEW = "needs-review-translation"


@dataclass
class Suggestion:
    """A TM match offered as ``<alt-trans>``."""

    source: str
    target: str
    score: float
    origin: str


@dataclass
class ExportEntry:
    """One PO entry with what the export adds to it (glossary terms, TM matches)."""

    entry: polib.POEntry
    reviewed: bool = False
    glossary: list[str] = field(default_factory=list)    # "term = translation (note)"
    suggestions: list[Suggestion] = field(default_factory=list)


def unit_id(entry: polib.POEntry, index: int) -> str:
    """The stable id of an entry's unit: its first segment id (``e<n>`` without one)."""
    ids = segment_ids(entry)
    return ids[0] if ids else f"e{index}"


def entry_state(entry: polib.POEntry) -> Optional[str]:
    """``translated``, ``needs-review-translation``, or None (no translation)."""
    if not entry.msgstr:
        return None
    if "fuzzy" in entry.flags or not markup_matches(entry.msgid, entry.msgstr):
        return NEEDS_REVIEW
    return TRANSLATED


def carries(entry: polib.POEntry) -> bool:
    """False when the entry holds characters XML 1.0 cannot carry (it is skipped)."""
    return xml_safe(entry.msgid + entry.msgstr + (entry.msgctxt or "")
                    + (entry.comment or "") + (entry.tcomment or ""))


def render_document(entries: Sequence[ExportEntry], *, original: str, source_lang: str,
                    target_lang: str, product: str = "") -> bytes:
    """The XLIFF document (UTF-8 bytes) for the entries of one catalog."""
    E = _Maker()
    root = E("xliff", version=XLIFF_VERSION)
    attrs = {"original": original, "source-language": source_lang, "target-language": target_lang,
             "datatype": "po", "tool-id": "tmkit"}
    if product:
        attrs["product-name"] = product
    file_el = E.sub(root, "file", **attrs)
    header = E.sub(file_el, "header")
    E.sub(header, "tool", **{"tool-id": "tmkit", "tool-name": "tmkit", "tool-version": __version__})
    body = E.sub(file_el, "body")
    for index, item in enumerate(entries, 1):
        body.append(_unit(E, item, index, target_lang))
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _unit(E: "_Maker", item: ExportEntry, index: int, target_lang: str) -> etree._Element:
    entry = item.entry
    ids = segment_ids(entry)
    attrs = {"id": unit_id(entry, index)}
    if ids:
        attrs["resname"] = " ".join(ids)
    state = entry_state(entry)
    if item.reviewed and state == TRANSLATED:
        attrs["approved"] = "yes"
    attrs[XML_SPACE] = "preserve"
    unit = E("trans-unit", **attrs)
    codes = Codes.of(entry.msgid)
    write_xliff(E.sub(unit, "source"), entry.msgid, codes, XLIFF_NS)
    if state is not None:
        write_xliff(E.sub(unit, "target", state=state), entry.msgstr, codes, XLIFF_NS)
    for text, author, about in _notes(item, codes):
        E.sub(unit, "note", text, **{"from": author, "annotates": about})
    for path, line in entry.occurrences:
        group = E.sub(unit, "context-group", purpose="location")
        E.sub(group, "context", path, **{"context-type": "sourcefile"})
        if line:
            E.sub(group, "context", str(line), **{"context-type": "linenumber"})
    if entry.msgctxt is not None:
        group = E.sub(unit, "context-group", purpose="match")
        E.sub(group, "context", entry.msgctxt, **{"context-type": "x-po-msgctxt"})
    for suggestion in item.suggestions:
        alt = E.sub(unit, "alt-trans", origin=suggestion.origin,
                    **{"match-quality": f"{suggestion.score:.0f}"})
        write_xliff(E.sub(alt, "source"), suggestion.source, codes, XLIFF_NS)
        write_xliff(E.sub(alt, "target", **{XML_LANG: target_lang}), suggestion.target, codes,
                    XLIFF_NS)
    return unit


def _notes(item: ExportEntry, codes: Codes) -> Iterable[tuple[str, str, str]]:
    """(text, from, annotates) of every note of a unit, in a stable order."""
    entry = item.entry
    for line in (entry.comment or "").split("\n"):
        if line and not line.startswith(ID_PREFIX):
            yield line, "tmkit", "source"
    glossary = list(item.glossary)
    translator: list[tuple[str, str]] = []
    for line in (entry.tcomment or "").split("\n"):
        if line.startswith(GLOSSARY_PREFIX):
            if line[len(GLOSSARY_PREFIX):] not in glossary:
                glossary.append(line[len(GLOSSARY_PREFIX):])
        elif line:
            translator.append((line, "tm" if line.startswith(TM_PREFIX) else "translator"))
    for term in glossary:
        yield f"Glossary: {term}", "glossary", "source"
    for code_id, key in codes.by_id.items():
        attrs = dict(key[1])
        if key[0] == "a":
            title = f" ({attrs['title']})" if attrs.get("title") else ""
            yield f"Link <g id=\"{code_id}\"> points to {attrs.get('href', '')}{title}", "tmkit", "source"
        elif key[0] == "fn":
            yield (f"<x id=\"{code_id}\"/> is the reference to footnote {attrs.get('ref', '?')}",
                   "tmkit", "source")
    for line, author in translator:
        yield line, author, "general"
    if entry_state(entry) == NEEDS_REVIEW and entry.previous_msgid is not None:
        yield (f"Needs review: the translation was made for the English "
               f"\u201c{inline.plain_text(entry.previous_msgid)}\u201d"), "tmkit", "target"
    elif entry_state(entry) == NEEDS_REVIEW and "fuzzy" not in entry.flags:
        yield "Needs review: the translation's tags differ from the source's", "tmkit", "target"


#: Elements holding only elements: the only ones indented (text content is never touched).
_CONTAINERS = frozenset({"xliff", "file", "header", "body", "trans-unit", "context-group",
                         "alt-trans"})


def _indent(element: etree._Element, depth: int = 0) -> None:
    """Indent by one space per level, inside element-only containers alone.

    ``etree.indent`` would also indent a ``<source>`` that starts with a
    ``<g>``, adding white space to the text a translator sees.
    """
    if etree.QName(element).localname not in _CONTAINERS or not len(element):
        return
    element.text = "\n" + " " * (depth + 1)
    for child in element:
        _indent(child, depth + 1)
        child.tail = "\n" + " " * (depth + 1)
    element[-1].tail = "\n" + " " * depth


class _Maker:
    """Elements in the XLIFF namespace, attributes in the order given."""

    def __call__(self, tag: str, text: Optional[str] = None, **attrs: str) -> etree._Element:
        element = etree.Element(f"{{{XLIFF_NS}}}{tag}", nsmap={None: XLIFF_NS})
        return self._fill(element, text, attrs)

    def sub(self, parent: etree._Element, tag: str, text: Optional[str] = None,
            **attrs: str) -> etree._Element:
        return self._fill(etree.SubElement(parent, f"{{{XLIFF_NS}}}{tag}"), text, attrs)

    @staticmethod
    def _fill(element: etree._Element, text: Optional[str], attrs: dict) -> etree._Element:
        for name, value in attrs.items():
            element.set(name, value)
        if text is not None:
            element.text = text
        return element
