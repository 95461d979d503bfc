"""What every reader shares: whitespace rules, an inline-markup builder, roles.

Readers differ in how they find blocks; they must not differ in how block text
is normalised, how inline markup is written, or which trailing paragraphs are
the medical disclaimer, or the same English would give different PO entries
depending on the source format.
"""

from __future__ import annotations

import re
from typing import Optional

from toolkit.errors import SourceError
from toolkit.text.inline import TAGS, escape, escape_attr
from toolkit.model import Article, BlockKind

_DISCLAIMER_RE = re.compile(
    r"\b(not (to )?replace|medical advice|disclaimer|physicians?|consult (your|a) (doctor|physician))\b",
    re.IGNORECASE)

_TAG_ALT = "|".join(TAGS)
_ATTRS = r'(?:\s+(?:href|title|ref)="[^"<>]*")*'
_SPACE_AFTER_OPEN = re.compile(rf"(<(?:{_TAG_ALT}){_ATTRS}>) ")
_SPACE_BEFORE_CLOSE = re.compile(rf" (</(?:{_TAG_ALT})>)")
_EMPTY_ELEMENT = re.compile(rf"<({_TAG_ALT}){_ATTRS}></\1>")
#: Blanks next to a line break are not shown; breaks at the very start or end
#: of a block show nothing either.
_SPACE_AROUND_BREAK = re.compile(r" ?<br/> ?")
_EDGE_BREAKS = re.compile(r"^(?:<br/>)+|(?:<br/>)+$")


def normalise(text: str) -> str:
    """Collapse line breaks, NBSP and runs of blanks to one space; strip the ends.

    ``str.split()`` splits on every Unicode space (NBSP, thin and ideographic
    spaces included) and is several times faster than a regular expression on
    the long one-line paragraphs that web copies have.
    """
    return " ".join(text.split())


class InlineBuilder:
    """Collects text and tags of one block and returns well-formed inline markup.

    Readers feed it in document order.  Text is escaped once, when a run of
    text ends, so a ``<`` split over two source tokens still reads back as
    text.  Tags are always balanced: closing a tag that is not open is
    ignored, closing an outer tag closes the inner ones (as HTML does), and
    whatever is open at the end is closed.  :meth:`markup` moves blanks out of
    elements (``a<em> b</em>`` -> ``a <em>b</em>``) and drops empty elements.
    """

    __slots__ = ("_parts", "_text", "_stack")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._text: list[str] = []
        self._stack: list[str] = []

    def text(self, text: Optional[str]) -> None:
        if text:
            self._text.append(text)

    def _flush_text(self) -> None:
        if self._text:
            self._parts.append(escape("".join(self._text)))
            self._text.clear()

    def open(self, tag: str, attrs: Optional[dict[str, str]] = None) -> None:
        """Open one of :data:`toolkit.text.inline.TAGS`; ``attrs`` only ``href``/``title``."""
        self._flush_text()
        rendered = "".join(f' {k}="{escape_attr(normalise(v))}"'
                           for k, v in (attrs or {}).items() if v)
        self._parts.append(f"<{tag}{rendered}>")
        self._stack.append(tag)

    def void(self, tag: str, attrs: Optional[dict[str, str]] = None) -> None:
        """An empty element of :data:`toolkit.text.inline.VOID` (``br``, ``fn``)."""
        self._flush_text()
        rendered = "".join(f' {k}="{escape_attr(v)}"' for k, v in (attrs or {}).items() if v)
        self._parts.append(f"<{tag}{rendered}/>")

    def line_break(self) -> None:
        """A line break the author made (Markdown hard break, ``<br>``, Word's break)."""
        self.void("br")

    def raw(self, markup: str) -> None:
        """Append text that is already well-formed inline markup (not escaped again)."""
        if markup:
            self._flush_text()
            self._parts.append(markup)

    def element(self, tag: str, text: str) -> None:
        """A whole element holding plain text, e.g. a code span."""
        self.open(tag)
        self.text(text)
        self.close(tag)

    def close(self, tag: str) -> None:
        if tag not in self._stack:
            return
        self._flush_text()
        while self._stack:
            top = self._stack.pop()
            self._parts.append(f"</{top}>")
            if top == tag:
                break

    def markup(self) -> str:
        """The finished markup, normalised; the builder is reset."""
        self._flush_text()
        while self._stack:
            self._parts.append(f"</{self._stack.pop()}>")
        result = normalise("".join(self._parts))
        self._parts.clear()
        if "<" in result:
            result = tidy(result)
        return result


def tidy(markup: str) -> str:
    """Move blanks out of elements and drop empty ones, until nothing changes."""
    while True:
        new = _SPACE_AFTER_OPEN.sub(r" \1", markup)
        new = _SPACE_BEFORE_CLOSE.sub(r"\1 ", new)
        new = _EMPTY_ELEMENT.sub("", new)
        if "<br/>" in new:
            new = _EDGE_BREAKS.sub("", _SPACE_AROUND_BREAK.sub("<br/>", new))
        new = normalise(new)
        if new == markup:
            return new
        markup = new


def plain(text: str) -> str:
    """Plain text as markup: normalised and escaped (titles, labels, meta values)."""
    return escape(normalise(text))


def mark_roles(article: Article) -> None:
    """Give the trailing disclaimer section its roles ``footer`` / ``disclaimer``.

    The section after the last heading counts as the page footer when it holds
    only paragraphs and at least one of them reads like a medical disclaimer;
    the heading and the other paragraphs get ``footer``, the disclaimers
    ``disclaimer``, so that the publishing gate can require them.  Blocks a
    reader already marked ``footer`` (e.g. inside an HTML ``<footer>``) become
    ``disclaimer`` when they read like one.
    """
    blocks = article.blocks
    for block in blocks:
        if block.role == "footer" and block.kind is BlockKind.PARAGRAPH and _DISCLAIMER_RE.search(block.text):
            block.role = "disclaimer"
    last = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kind is BlockKind.HEADING), None)
    if last is None:
        return
    tail = [b for b in blocks[last + 1:] if b.kind is not BlockKind.FOOTNOTES]  # notes sit apart
    if not tail or any(b.kind is not BlockKind.PARAGRAPH for b in tail):
        return
    disclaimers = [_DISCLAIMER_RE.search(b.text) is not None for b in tail]
    if not any(disclaimers):
        return
    blocks[last].role = blocks[last].role or "footer"
    for block, disclaimer in zip(tail, disclaimers):
        block.role = "disclaimer" if disclaimer else (block.role or "footer")


def require_content(article: Article) -> Article:
    """Refuse an article with neither title nor text (nothing to translate)."""
    if not article.title and not article.blocks:
        raise SourceError("no title or text found", article.path)
    return article
