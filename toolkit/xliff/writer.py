"""One PO catalog -> one XLIFF 1.2 document, for an agency's CAT tool.

The subset written is exactly ``toolkit/schema/xliff.rng`` (and valid against
OASIS ``xliff-core-1.2-strict.xsd``):

* one ``<file>`` per article and language, ``original`` = the PO file,
  ``datatype="plaintext"`` (the segments' text; ``po`` would make
  translate-toolkit read the file as its own PO-in-XLIFF dialect, whose
  named ``po-reference`` groups the strict schema cannot hold more than one
  of per file), ``source-language``/``target-language`` as BCP 47; no
  header unit (the PO header stays home);
* one ``<trans-unit>`` per PO entry: ``id`` = the entry's first segment id
  (stable across exports), ``resname`` = all its segment ids;
  ``xml:space="preserve"``; ``approved="yes"`` for every finished
  translation (XLIFF 1.2 section 2.6.1: translate-toolkit's ``xliff2po`` and
  CAT tools take a unit without it as unconfirmed, i.e. fuzzy);
* ``<target state="translated">``, ``state="signed-off"`` where a clinical
  sign-off covers the segment (the caller says which), and
  ``state="needs-review-translation"`` for fuzzy entries (and translations
  whose tags differ from the source's, which the build would refuse); no
  ``<target>`` for untranslated ones;
* ``<note>`` as translate-toolkit's converters read them, so ``xliff2po``
  gives back the PO comments: ``from="developer"`` for the ``#.`` lines (where
  the text sits) and link targets, ``from="translator"`` for the ``#`` lines
  (translators' comments, ``glossary: ...`` terms, ``tmkit-tm:``), and
  ``from="tmkit"`` for review hints (the English a fuzzy translation was made
  for); ``<context-group purpose="location">`` per ``#:`` reference,
  ``<context-group purpose="match">`` with the msgctxt;
* ``<alt-trans match-quality="88" origin="es/other#b3.s1">`` for TM matches
  of untranslated and fuzzy entries.

The ``omegat`` flavour (:data:`FLAVOURS`) is the "source = target" XLIFF
that OmegaT 3's filter needs: it translates what is in ``<target>``, so
every unit's ``<target>`` holds the English (no ``state``, no
``approved``, no ``<alt-trans>``); the existing translations and TM matches
travel beside it as TMX (:mod:`toolkit.xliff.omegat`).
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

TRANSLATED = "translated"
NEEDS_REVIEW = "needs-review-translation"
SIGNED_OFF = "signed-off"

#: What ``tmkit xliff export --for`` accepts: standard XLIFF 1.2 (Trados,
#: memoQ, Phrase, OmegaT 4+ through Okapi, translate-toolkit) and OmegaT 3's.
FLAVOURS = ("xliff", "omegat")

#: ``<note from=...>`` of each kind of note (translate-toolkit's names, see the docstring).
FROM_DEVELOPER = "developer"
FROM_TRANSLATOR = "translator"
FROM_TMKIT = "tmkit"


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
    signed_off: bool = False        # a clinical sign-off covers every segment of the entry
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
                    target_lang: str, product: str = "", flavour: str = "xliff") -> bytes:
    """The XLIFF document (UTF-8 bytes) for the entries of one catalog (``flavour``: :data:`FLAVOURS`)."""
    E = _Maker()
    root = E("xliff", version=XLIFF_VERSION)
    attrs = {"original": original, "source-language": source_lang, "target-language": target_lang,
             "datatype": "plaintext", "tool-id": "tmkit"}
    if product:
        attrs["product-name"] = product
    file_el = E.sub(root, "file", **attrs)
    header = E.sub(file_el, "header")
    E.sub(header, "tool", **{"tool-id": "tmkit", "tool-name": "tmkit", "tool-version": __version__})
    body = E.sub(file_el, "body")
    for index, item in enumerate(entries, 1):
        body.append(_unit(E, item, index, target_lang, flavour == "omegat"))
    _indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _unit(E: "_Maker", item: ExportEntry, index: int, target_lang: str,
          source_as_target: bool) -> etree._Element:
    entry = item.entry
    ids = segment_ids(entry)
    attrs = {"id": unit_id(entry, index)}
    if ids:
        attrs["resname"] = " ".join(ids)
    state = entry_state(entry)
    if state == TRANSLATED and not source_as_target:
        attrs["approved"] = "yes"
    attrs[XML_SPACE] = "preserve"
    unit = E("trans-unit", **attrs)
    codes = Codes.of(entry.msgid)
    write_xliff(E.sub(unit, "source"), entry.msgid, codes, XLIFF_NS)
    if source_as_target:
        write_xliff(E.sub(unit, "target"), entry.msgid, codes, XLIFF_NS)
    elif state is not None:
        shown = SIGNED_OFF if state == TRANSLATED and item.signed_off else state
        write_xliff(E.sub(unit, "target", state=shown), entry.msgstr, codes, XLIFF_NS)
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
    for suggestion in [] if source_as_target else item.suggestions:
        alt = E.sub(unit, "alt-trans", origin=suggestion.origin,
                    **{"match-quality": f"{suggestion.score:.0f}"})
        write_xliff(E.sub(alt, "source"), suggestion.source, codes, XLIFF_NS)
        write_xliff(E.sub(alt, "target", **{XML_LANG: target_lang}), suggestion.target, codes,
                    XLIFF_NS)
    return unit


def _notes(item: ExportEntry, codes: Codes) -> Iterable[tuple[str, str, str]]:
    """(text, from, annotates) of every note of a unit, in a stable order.

    The PO comments keep their lines and their kind (``#.`` -> developer,
    ``#`` -> translator), so ``xliff2po`` writes them back as they were.
    """
    entry = item.entry
    for line in (entry.comment or "").split("\n"):
        if line and not line.startswith(ID_PREFIX):
            yield line, FROM_DEVELOPER, "source"
    for code_id, key in codes.by_id.items():
        attrs = dict(key[1])
        if key[0] == "a":
            title = f" ({attrs['title']})" if attrs.get("title") else ""
            yield (f"Link <g id=\"{code_id}\"> points to {attrs.get('href', '')}{title}",
                   FROM_DEVELOPER, "source")
        elif key[0] == "fn":
            yield (f"<x id=\"{code_id}\"/> is the reference to footnote {attrs.get('ref', '?')}",
                   FROM_DEVELOPER, "source")
    lines = [line for line in (entry.tcomment or "").split("\n") if line]
    for term in item.glossary:       # the glossary's terms not yet in the PO comments
        if GLOSSARY_PREFIX + term not in lines:
            lines.append(GLOSSARY_PREFIX + term)
    for line in lines:
        yield line, FROM_TRANSLATOR, "source" if line.startswith(GLOSSARY_PREFIX) else "general"
    if entry_state(entry) == NEEDS_REVIEW and entry.previous_msgid is not None:
        yield (f"Needs review: the translation was made for the English "
               f"\u201c{inline.plain_text(entry.previous_msgid)}\u201d"), FROM_TMKIT, "target"
    elif entry_state(entry) == NEEDS_REVIEW and "fuzzy" not in entry.flags:
        yield "Needs review: the translation's tags differ from the source's", FROM_TMKIT, "target"


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
