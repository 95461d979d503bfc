"""tmkit's inline markup as the inline elements of exchange formats, and back.

CAT tools (OmegaT, Trados, memoQ) show an exchange format's inline elements
as protected tags the translator moves but cannot mistype; escaped markup
text (``&lt;em&gt;``) would show as words.  So a segment's tags travel as:

=============  ======================================  ===========================
tmkit          XLIFF 1.2                               TMX 1.4b
=============  ======================================  ===========================
``<em>``       ``<g id="1" ctype="italic">``           ``<bpt i="1" x="1" type="italic">&lt;em&gt;</bpt>``
``<strong>``   ``<g ctype="bold">``                    ``<bpt type="bold">``
``<a href>``   ``<g ctype="link">``                    ``<bpt type="link">&lt;a href="..."&gt;</bpt>``
``<code>``     ``<g ctype="x-code">``                  ``<bpt type="x-code">``
``<sup>``      ``<g ctype="x-sup">``                   ``<bpt type="x-sup">``
``<sub>``      ``<g ctype="x-sub">``                   ``<bpt type="x-sub">``
``<s>``        ``<g ctype="x-strike">``                ``<bpt type="x-strike">``
``<br/>``      ``<x id="2" ctype="lb"/>``              ``<ph x="2" type="lb">&lt;br/&gt;</ph>``
``<fn ref>``   ``<x id="3" ctype="x-fn"/>``            ``<ph x="3" type="x-fn">&lt;fn ref="1"/&gt;</ph>``
=============  ======================================  ===========================

Ids number a segment's tags in the order of the English
source; a translation's tags take the id of the source tag they copy (same
tag, same attributes), so tools pair them.  XLIFF carries no link target: on
import a ``<g>`` takes its tag and ``href`` from the source tag with its id
(:class:`Codes`), so a translator can move a link but not retarget it.
TMX carries the native tag text inside ``<bpt>``/``<ept>``, so it is
self-contained and its import is lossless.

Only markup that reads back exactly is structured (:func:`structured`): a
string with crossed tags, or with escapes written in an unusual way, travels
as plain text (TMX, whose text holds markup verbatim when a ``<seg>`` has no
inline element) so nothing is ever changed on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from lxml import etree

from toolkit.text import inline
from toolkit.text.inline import Element, Node

#: tmkit element -> XLIFF 1.2 ``ctype`` of its ``<g>`` (``<x/>`` for the empty ones) and
#: TMX 1.4b ``type`` of its ``<bpt>`` (``<ph>``): the specs' values, ``x-`` for the rest.
XLIFF_CTYPES = {"em": "italic", "strong": "bold", "a": "link", "code": "x-code", "sup": "x-sup",
                "sub": "x-sub", "s": "x-strike", "br": "lb", "fn": "x-fn"}
TMX_TYPES = dict(XLIFF_CTYPES)
assert set(XLIFF_CTYPES) == set(inline.TAGS), "every inline element needs an exchange form"
_TAG_TOKEN = re.compile(inline._TAG_RE.pattern)


class CodeError(ValueError):
    """An inline element that cannot become tmkit markup (the unit is refused)."""


Key = tuple  # (tag, attrs) of an element


def _key(node: Element) -> Key:
    return (node.tag, tuple(node.attrs.items()))


def structured(markup: str) -> Optional[list[Node]]:
    """The markup as nodes when it reads back exactly from them, else ``None``.

    ``None`` for crossed or unclosed tags and for escapes written in an
    unusual way (``&quot;`` in text, ``<br>`` for ``<br/>``): those travel as
    plain text.
    """
    try:
        nodes = inline.parse(markup)
    except inline.InlineError:
        return None
    return nodes if inline.render(nodes) == markup else None


def has_codes(markup: str) -> bool:
    """True when the markup holds a tag (something to turn into inline elements)."""
    return "<" in markup and bool(inline.tag_spans(markup))


@dataclass
class Codes:
    """The numbered tags of a source segment: id -> (tag, attributes)."""

    by_id: dict[str, Key] = field(default_factory=dict)

    @classmethod
    def of(cls, markup: str) -> "Codes":
        """Number the tags of ``markup`` in document order (1, 2, ...)."""
        codes = cls()
        nodes = structured(markup)
        if nodes is not None:
            _number(nodes, codes.by_id)
        return codes

    def assign(self, nodes: list[Node]) -> dict[int, str]:
        """Ids for the elements of another text of the same unit (a translation, a TM match).

        Each element takes the id of the first unused source code with the
        same tag and attributes; elements with no counterpart get new ids
        after the source's.  Keys are ``id()`` of the element nodes.
        """
        free: dict[Key, list[str]] = {}
        for code_id, key in self.by_id.items():
            free.setdefault(key, []).append(code_id)
        ids: dict[int, str] = {}
        extra = len(self.by_id)

        def visit(items: list[Node]) -> None:
            nonlocal extra
            for item in items:
                if isinstance(item, Element):
                    key = _key(item)
                    if free.get(key):
                        ids[id(item)] = free[key].pop(0)
                    else:
                        extra += 1
                        ids[id(item)] = str(extra)
                    visit(item.children)

        visit(nodes)
        return ids


def _number(nodes: list[Node], by_id: dict[str, Key]) -> None:
    for node in nodes:
        if isinstance(node, Element):
            by_id[str(len(by_id) + 1)] = _key(node)
            _number(node.children, by_id)


# -- XLIFF 1.2 ---------------------------------------------------------------------

def write_xliff(parent: etree._Element, markup: str, codes: Codes, ns: str) -> None:
    """Fill ``parent`` (``<source>``, ``<target>``) with ``markup`` as text, ``<g>`` and ``<x/>``.

    Markup that does not read back exactly (:func:`structured`) is written
    as its text, tags and all, so nothing is lost from the translator's view.
    """
    nodes = structured(markup)
    if nodes is None or not has_codes(markup):
        parent.text = inline.unescape(markup) if nodes is not None else markup
        return
    ids = codes.assign(nodes)

    def fill(holder: etree._Element, items: list[Node]) -> None:
        for item in items:
            if isinstance(item, str):
                _append_text(holder, item)
            else:
                name = "x" if item.tag in inline.VOID else "g"
                element = etree.SubElement(holder, f"{{{ns}}}{name}", id=ids[id(item)],
                                           ctype=XLIFF_CTYPES[item.tag])
                fill(element, item.children)

    fill(parent, nodes)


def read_xliff(element: etree._Element, codes: Codes, ns: str) -> str:
    """tmkit markup from ``<source>``/``<target>`` content; ``<g>`` take the tag of ``codes``.

    Raises :class:`CodeError` for an id the source does not have, a ``ctype``
    that differs from the source tag's, or an inline element tmkit does not
    write (``<bpt>``, ``<ph>``...).  ``<mrk>`` (a tool's marker) is read
    through.
    """

    def walk(holder: etree._Element) -> list[Node]:
        items: list[Node] = []
        _add_text(items, holder.text)
        for child in holder:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name in ("g", "x"):
                key = _code(codes, child)
                if (name == "x") != (key[0] in inline.VOID):
                    raise CodeError(f'<{name} id="{child.get("id")}"> stands for <{key[0]}> in '
                                    f'the source, which is {"an empty" if name == "g" else "a"} '
                                    f'<{"x/" if name == "g" else "g"}> there')
                if name == "x" and (len(child) or child.text):
                    raise CodeError(f'<x id="{child.get("id")}"/> must be empty (a placeholder '
                                    f'for <{key[0]}>): the text inside it would be lost')
                items.append(Element(key[0], dict(key[1]), walk(child) if name == "g" else []))
            elif name == "mrk":
                for item in walk(child):
                    _add_text(items, item) if isinstance(item, str) else items.append(item)
            elif name:
                raise CodeError(f"inline element <{name}> is not one tmkit writes "
                                "(expected <g> and <x/> copied from the source)")
            _add_text(items, child.tail)
        return items

    return inline.render(walk(element))


def _code(codes: Codes, child: etree._Element) -> Key:
    code_id = child.get("id")
    key = codes.by_id.get(code_id or "")
    if key is None:
        raise CodeError(f'<{etree.QName(child).localname} id="{code_id}"> is not a tag of '
                        "the source")
    ctype = child.get("ctype")
    expected = XLIFF_CTYPES[key[0]]
    if ctype and ctype != expected:
        raise CodeError(f'<{etree.QName(child).localname} id="{code_id}" ctype="{ctype}"> '
                        f'differs from the source tag (ctype "{expected}")')
    return key


def _add_text(items: list[Node], text: Optional[str]) -> None:
    if not text:
        return
    if items and isinstance(items[-1], str):
        items[-1] += text
    else:
        items.append(text)


def _append_text(holder: etree._Element, text: str) -> None:
    if not text:
        return
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + text
    else:
        holder.text = (holder.text or "") + text


# -- TMX 1.4b ----------------------------------------------------------------------

def write_tmx(seg: etree._Element, markup: str, codes: Optional[Codes] = None) -> None:
    """Fill a TMX ``<seg>``: text with ``<bpt>``/``<ept>``/``<ph>``, or the markup verbatim.

    A segment without tags keeps its markup as plain text (how tmkit always
    wrote TMX); one with tags gets inline elements only when reading them
    back gives exactly ``markup`` (checked here), so TMX stays lossless.
    """
    nodes = structured(markup) if has_codes(markup) else None
    if nodes is None:
        seg.text = markup
        return
    ids = (codes or Codes.of(markup)).assign(nodes)
    pairs = 0

    def fill(items: list[Node]) -> None:
        nonlocal pairs
        for item in items:
            if isinstance(item, str):
                _append_text(seg, item)
            elif item.tag in inline.VOID:
                ph = etree.SubElement(seg, "ph", x=ids[id(item)], type=TMX_TYPES[item.tag])
                ph.text = inline.render([item])
            else:
                pairs += 1
                number = str(pairs)
                opening, closing = inline.render([Element(item.tag, item.attrs, ["\0"])]).split("\0")
                bpt = etree.SubElement(seg, "bpt", i=number, x=ids[id(item)],
                                       type=TMX_TYPES[item.tag])
                bpt.text = opening
                fill(item.children)
                etree.SubElement(seg, "ept", i=number).text = closing

    fill(nodes)
    if read_tmx(seg) != markup:          # e.g. text that would read back as a tag: keep it verbatim
        for child in list(seg):
            seg.remove(child)
        seg.text = markup


def read_tmx(seg: etree._Element) -> str:
    """tmkit markup from a TMX ``<seg>``.

    Without inline elements the text is the markup itself (tmkit's TMX, and
    other tools' plain segments).  With them, text is escaped and each
    element's native code is kept when it is one of tmkit's tags (``<em>``,
    ``</a>``, ``<br/>``); a ``<ph type="lb">`` is a line break; other native codes
    (another tool's ``<b>``, ``{1}``) become visible text, as before.
    ``<hi>`` is read through; ``<sub>`` inside codes is part of their text.
    """
    if len(seg) == 0:
        return seg.text or ""
    out: list[str] = [inline.escape(seg.text or "")]

    def walk(holder: etree._Element) -> None:
        for child in holder:
            name = child.tag if isinstance(child.tag, str) else ""
            if name == "hi":
                out.append(inline.escape(child.text or ""))
                walk(child)
            elif name in ("bpt", "ept", "it", "ph", "ut"):
                native = "".join(child.itertext())
                if _TAG_TOKEN.fullmatch(native):
                    out.append(native)
                elif name == "ph" and child.get("type") == "lb":     # another tool's line break
                    out.append(inline.LINE_BREAK)
                else:
                    out.append(inline.escape(native))
            out.append(inline.escape(child.tail or ""))

    walk(seg)
    return "".join(out)
