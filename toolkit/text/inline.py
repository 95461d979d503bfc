"""Inline markup inside block text: a tiny, translator-friendly tag language.

Block text is plain English with a handful of HTML-like tags::

    Take <strong>2.5 mg</strong> daily; see <a href="https://example.org/">our guide</a>.

Recognised elements are ``em``, ``strong``, ``code``, ``sup``, ``sub``, ``s``
(strikethrough) and ``a`` (with ``href`` and optional ``title``), and two
empty ones, :data:`VOID`: ``<br/>`` (a line break the author made) and
``<fn ref="1"/>`` (a reference to footnote 1 of the article; the exports number
it).  Anything else that looks like a tag is plain text, so ``pain < 5`` or
``<3`` need no escaping.  Only a literal
``<`` that would read as one of our tags is written ``&lt;``, and a literal
``&lt;``/``&gt;``/``&amp;`` is written with its ``&`` as ``&amp;``, so that
:func:`escape` and :func:`unescape` are exact inverses.

The same string serves as PO msgid, TM source and writer input; translators
see the tags in Poedit the way po4a users are used to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

#: Every element of the markup: the one definition readers, writers, checks and
#: the XLIFF/TMX mappings share.
TAGS = ("em", "strong", "code", "sup", "sub", "s", "a", "br", "fn")
#: Empty elements: written ``<br/>``, ``<fn ref="2"/>`` (``<br>`` and ``<br />``
#: are read too); they have no closing tag and no content.
VOID = frozenset({"br", "fn"})
#: Attributes each element may carry.
ATTRS = {"a": ("href", "title"), "fn": ("ref",)}

_TAG_RE = re.compile(
    r'<(?P<close>/)?(?P<tag>em|strong|code|sup|sub|s|a|br|fn)'
    r'(?P<attrs>(?:\s+(?:href|title|ref)="[^"<>]*")*)\s*(?P<void>/)?>'
)
_ATTR_RE = re.compile(r'(href|title|ref)="([^"<>]*)"')
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class InlineError(ValueError):
    """The markup is not well formed (unclosed or crossed tags)."""


@dataclass
class Element:
    """A tag with its attributes and children."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node"] = field(default_factory=list)


Node = Union[str, Element]


def unescape(text: str) -> str:
    """Turn the entity escapes of the markup back into characters."""
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(1)], text)


def escape(text: str) -> str:
    """Escape plain text so that it reads back unchanged through :func:`parse`.

    Only what would otherwise be misread is touched: ``&`` before an entity
    name we decode, and ``<`` that starts one of our tags.
    """
    text = _ENTITY_RE.sub(lambda m: "&amp;" + m.group(0)[1:], text)
    return _TAG_RE.sub(lambda m: "&lt;" + m.group(0)[1:], text)


def escape_attr(value: str) -> str:
    """Escape an attribute value (``href`` or ``title``) for the markup."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def parse(markup: str) -> list[Node]:
    """Parse markup into text and :class:`Element` nodes.

    Raises :class:`InlineError` when tags are unclosed or crossed; a
    translation with broken markup is never published.
    """
    root = Element("#root")
    stack = [root]
    pos = 0
    for match in _TAG_RE.finditer(markup):
        if match.start() > pos:
            _append_text(stack[-1], unescape(markup[pos:match.start()]))
        pos = match.end()
        tag = match.group("tag")
        if tag in VOID:
            if match.group("close"):
                raise InlineError(f"</{tag}> closes an empty element")
            attrs = {k: unescape(v) for k, v in _ATTR_RE.findall(match.group("attrs") or "")}
            stack[-1].children.append(Element(tag, attrs))
            continue
        if match.group("void"):
            raise InlineError(f"<{tag}/> must have content")
        if match.group("close"):
            if stack[-1].tag != tag:
                raise InlineError(f"</{tag}> does not close <{stack[-1].tag}>"
                                  if len(stack) > 1 else f"</{tag}> has no opening tag")
            stack.pop()
        else:
            attrs = {k: unescape(v) for k, v in _ATTR_RE.findall(match.group("attrs") or "")}
            element = Element(tag, attrs)
            stack[-1].children.append(element)
            stack.append(element)
    if pos < len(markup):
        _append_text(stack[-1], unescape(markup[pos:]))
    if len(stack) > 1:
        raise InlineError(f"<{stack[-1].tag}> is not closed")
    return root.children


def _append_text(parent: Element, text: str) -> None:
    if parent.children and isinstance(parent.children[-1], str):
        parent.children[-1] += text
    else:
        parent.children.append(text)


def render(nodes: list[Node]) -> str:
    """Inverse of :func:`parse`: nodes back to markup."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(escape(node))
        else:
            attrs = "".join(f' {k}="{escape_attr(v)}"' for k, v in node.attrs.items())
            if node.tag in VOID:
                out.append(f"<{node.tag}{attrs}/>")
            else:
                out.append(f"<{node.tag}{attrs}>{render(node.children)}</{node.tag}>")
    return "".join(out)


def _plain_tag(match: re.Match) -> str:
    return "\n" if match.group("tag") == "br" else ""


def _marked_tag(match: re.Match) -> str:
    if match.group("tag") == "fn":
        ref = _ATTR_RE.search(match.group("attrs") or "")
        return f"[{ref.group(2)}]" if ref else ""
    return _plain_tag(match)


def plain_text(markup: str, notes: bool = False) -> str:
    """The words a reader sees, tags removed (markup assumed well formed or not).

    A line break is a newline (so the words on either side stay apart).  A
    footnote reference is left out (its number is not a word of the text, and
    checks comparing numbers must not count it), or with ``notes`` shown as
    ``[1]``, as plain-text pages show it.
    """
    if "<" not in markup:
        return unescape(markup)
    return unescape(_TAG_RE.sub(_marked_tag if notes else _plain_tag, markup))


def footnote_ref(number: int) -> str:
    """The markup of a reference to footnote ``number`` (1-based)."""
    return f'<fn ref="{number}"/>'


LINE_BREAK = "<br/>"


def signature(markup: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The sorted list of tags (with attributes) used: what a translation must keep.

    Order is not part of it, since a translation may legitimately move an
    emphasised phrase.  Raises :class:`InlineError` on malformed markup.
    """
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    if "<" not in markup:              # no tag can start: most segments, checked per language
        return found

    def visit(nodes: list[Node]) -> None:
        for node in nodes:
            if isinstance(node, Element):
                found.append((node.tag, tuple(sorted(node.attrs.items()))))
                visit(node.children)

    visit(parse(markup))
    return sorted(found)


def markup_matches(source: str, translation: str) -> bool:
    """True when ``translation`` is well formed and uses the source's tags.

    The one test of "same markup" that the gate, the checks and the XLIFF
    exchange share.
    """
    try:
        return signature(source) == signature(translation)
    except InlineError:
        return False


def tag_spans(markup: str) -> list[tuple[int, int]]:
    """Character ranges ``(start, end)`` of every tag in ``markup``.

    The segmenter uses them to avoid splitting a sentence inside an element.
    """
    return [m.span() for m in _TAG_RE.finditer(markup)]
