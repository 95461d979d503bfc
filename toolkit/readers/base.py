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

#: A paragraph that reads like a medical disclaimer, inside a section already
#: known to be the page's footer (its heading, or the reader, says so).
_DISCLAIMER_RE = re.compile(
    r"\b(not (to )?replace|medical advice|disclaimer|physicians?|consult (your|a) (doctor|physician))\b",
    re.IGNORECASE)
#: The same, strong enough on its own: an author's paragraph that merely
#: mentions "your physician" is not a disclaimer.
_STRONG_DISCLAIMER_RE = re.compile(
    r"\b(not (intended )?(to )?replace|(is not|does not constitute|not a substitute for) medical advice"
    r"|disclaimer|consult (your|a) (doctor|physician)|for (general )?information(al)? purposes only)\b",
    re.IGNORECASE)
#: Page furniture wherever it stands at the end: copyright lines and contact blocks.
_BOILERPLATE_RE = re.compile(
    r"(©|\(c\) ?\d{4}|\bcopyright\b|\ball rights reserved\b|\b[\w.+-]+@[\w-]+\.[\w.-]+\b"
    r"|\b(tel|phone|fax|e-?mail)\s*:|\bcontact us\b)",
    re.IGNORECASE)
#: Headings web pages put over their footer (the seed's "Educational Partners"):
#: only under one of these is a whole trailing section the footer.
FOOTER_HEADINGS = ("educational partners", "partners", "our partners", "sponsors", "contact",
                   "contact us", "about us", "about the association", "copyright", "disclaimer",
                   "medical disclaimer", "legal notice", "terms of use", "privacy policy")

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
    """Give the page's footer and medical disclaimer their roles ``footer`` / ``disclaimer``.

    Only what a web page's footer shows is taken for one, never an author's
    own section:

    * a trailing section under a footer heading (:data:`FOOTER_HEADINGS`,
      e.g. "Educational Partners") holding only paragraphs: the heading and
      the paragraphs get ``footer``, those reading like a disclaimer
      ``disclaimer``;
    * otherwise only the last paragraphs that are page furniture by their
      own words (a disclaimer such as "does not replace the advice of your
      doctor", a copyright line, a contact block) get ``disclaimer`` or
      ``footer``; the heading above them and the author's paragraphs stay
      body text ("After the operation" keeps its recovery advice).

    Blocks a reader already marked ``footer`` (an HTML ``<footer>``, a web
    copy's ``[footer]`` line) become ``disclaimer`` when they read like one.
    The publishing gate can require the disclaimers.
    """
    blocks = article.blocks
    for block in blocks:
        if block.role == "footer" and block.kind is BlockKind.PARAGRAPH and _DISCLAIMER_RE.search(block.text):
            block.role = "disclaimer"
    last = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kind is BlockKind.HEADING), None)
    tail = [b for b in blocks[(last if last is not None else -1) + 1:]
            if b.kind is not BlockKind.FOOTNOTES]  # notes sit apart
    if (last is not None and tail and all(b.kind is BlockKind.PARAGRAPH for b in tail)
            and is_footer_heading(blocks[last].text)):
        blocks[last].role = blocks[last].role or "footer"
        for block in tail:
            block.role = block.role or ("disclaimer" if _DISCLAIMER_RE.search(block.text) else "footer")
        return
    for block in reversed(tail):
        if block.kind is not BlockKind.PARAGRAPH or block.role:
            break
        if _STRONG_DISCLAIMER_RE.search(block.text):
            block.role = "disclaimer"
        elif _BOILERPLATE_RE.search(block.text):
            block.role = "footer"
        else:
            break


def is_footer_heading(markup: str) -> bool:
    """True for a heading web pages put over their footer ("Educational Partners")."""
    words = re.sub(r"<[^>]*>|&\w+;", " ", markup).replace(":", " ").split()
    return " ".join(words).casefold() in FOOTER_HEADINGS


def require_content(article: Article) -> Article:
    """Refuse an article with neither title nor text (nothing to translate)."""
    if not article.title and not article.blocks:
        raise SourceError("no title or text found", article.path)
    return article
