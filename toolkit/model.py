"""The document model every stage shares.

A reader turns a source file into an :class:`Article`; the segmenter turns the
article's translatable text into :class:`Segment` objects (one PO entry each);
merge turns an article and a PO file into a :class:`TranslatedArticle` that the
writers render.  Everything here is plain data: no I/O, no parsing.

Inline markup (emphasis, strong, code, links) lives *inside* the text of a
block as a small tag language, described in :mod:`toolkit.inline`, so that the
same string can be a PO msgid, a TM source and a writer's input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator, Optional


class BlockKind(str, Enum):
    """What a block is on the page; writers and translator comments use it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"          # its items are blocks of kind ITEM
    ITEM = "item"


@dataclass
class Meta:
    """One piece of page metadata: breadcrumb step, section label, author, alias.

    ``translatable`` is true for what a reader sees on the page (breadcrumb,
    section, aliases, byline); things like a publication date or the source URL
    are kept but not offered to translators.
    """

    key: str
    value: str
    line: int = 0
    translatable: bool = True


@dataclass
class Block:
    """A heading, paragraph, list, or list item.

    ``text`` is inline markup (see :mod:`toolkit.inline`) for headings,
    paragraphs and items; a list keeps its items in ``items`` and has no text.
    ``line`` is the 1-based line in the source file where the block starts, so
    PO references and error messages point at it.
    """

    kind: BlockKind
    text: str = ""
    line: int = 0
    level: int = 0                       # heading level (1 = title level); list items: nesting depth (0 = top)
    ordered: bool = False                # lists only
    items: list["Block"] = field(default_factory=list)
    role: str = ""                       # optional: "disclaimer", "footer", "quote", ... set by readers

    def walk(self) -> Iterator["Block"]:
        """Yield this block and, for lists, its items (document order)."""
        yield self
        for item in self.items:
            yield from item.walk()


@dataclass
class Article:
    """One source document: title, metadata, and body blocks in page order."""

    slug: str
    path: str                            # as given to the reader, used in PO references
    format: str                          # reader name: "webtext", "markdown", "html"
    title: str = ""
    title_line: int = 0
    meta: list[Meta] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def meta_values(self, key: str) -> list[str]:
        """All values of one metadata key, in page order."""
        return [m.value for m in self.meta if m.key == key]

    def walk(self) -> Iterator[Block]:
        """Every block, list items included, in document order."""
        for block in self.blocks:
            yield from block.walk()


@dataclass(frozen=True)
class Segment:
    """One translatable unit: a sentence, or a whole block in paragraph mode.

    ``text`` is the normalised English with inline markup; ``context`` becomes
    the PO ``msgctxt`` and is set only where identical English must be told
    apart.  ``id`` is stable for the position in the article (``b3.s2`` = block
    3, sentence 2; ``m.breadcrumb.1``; ``title``) and is what the XML writer
    records.  ``comment`` tells the translator where the text sits.
    """

    id: str
    text: str
    line: int
    comment: str = ""
    context: Optional[str] = None

    @property
    def key(self) -> tuple[Optional[str], str]:
        """The identity of the segment in a catalog: (msgctxt, msgid)."""
        return (self.context, self.text)


class SegmentStatus(str, Enum):
    """How a segment appears in a translated article."""

    TRANSLATED = "translated"
    FUZZY = "fuzzy"                      # translation exists but needs review: English shown
    UNTRANSLATED = "untranslated"        # English shown
    REJECTED = "rejected"                # translation's markup did not match the source: English shown


@dataclass(frozen=True)
class TranslatedSegment:
    """A segment as published: the text to show, its language and its status."""

    id: str
    source: str
    text: str                            # the translation, or the English when falling back
    lang: str                            # BCP 47 tag of ``text``
    status: SegmentStatus

    @property
    def is_fallback(self) -> bool:
        return self.status is not SegmentStatus.TRANSLATED
