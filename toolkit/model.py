"""The document model every stage shares.

A reader turns a source file into an :class:`Article`; the segmenter turns the
article's translatable text into :class:`Segment` objects (one PO entry each);
merge turns an article and a PO file into a :class:`TranslatedArticle` that the
writers render.  Everything here is plain data: no I/O, no parsing.

Inline markup (emphasis, strong, code, links) lives *inside* the text of a
block as a small tag language, described in :mod:`toolkit.text.inline`, so that the
same string can be a PO msgid, a TM source and a writer's input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator, Optional, Protocol


class BlockKind(str, Enum):
    """What a block is on the page; writers and translator comments use it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"          # its items are blocks of kind ITEM
    ITEM = "item"
    TABLE = "table"        # its items: an optional CAPTION, then every CELL, row by row
    CAPTION = "caption"
    CELL = "cell"          # ``cell`` says where it sits
    DEFINITIONS = "definitions"  # a definition list: its items are TERMs, each followed by its DEFINITIONs
    TERM = "term"
    DEFINITION = "definition"
    FOOTNOTES = "footnotes"  # the article's notes, its last block; item n is what ``<fn ref="n"/>`` points at
    FOOTNOTE = "footnote"


#: Blocks that hold items instead of text.  Items stay one level deep (a flat
#: list with a depth, a table's cells with their row and column), so every
#: stage walks them the same way.
CONTAINERS = frozenset({BlockKind.LIST, BlockKind.TABLE, BlockKind.DEFINITIONS, BlockKind.FOOTNOTES})


@dataclass(frozen=True)
class Cell:
    """Where a table cell sits: 1-based row (header rows counted) and column.

    ``header`` cells are column headings (``<th scope="col">``); ``align`` is
    the alignment the author gave the column (``left``, ``center``,
    ``right``; empty: none), kept for the exports.
    """

    row: int
    column: int
    header: bool = False
    align: str = ""
    rows: int = 1                        # how many rows and columns the cell spans (HTML rowspan, colspan)
    columns: int = 1


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

    ``text`` is inline markup (see :mod:`toolkit.text.inline`) for headings,
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
    cell: Optional[Cell] = None          # table cells only

    def walk(self) -> Iterator["Block"]:
        """Yield this block and, for lists, its items (document order)."""
        yield self
        for item in self.items:
            yield from item.walk()


def item_id(parent: str, item: Block, number: int) -> str:
    """The id of the ``number``-th item (1-based) of the container ``parent``.

    ``b4.i2`` (list item, term, definition), ``b5.caption``, ``b5.r2.c3`` (table
    cell in row 2, column 3), ``b9.fn1`` (footnote 1).  Extraction and merge
    both name items through this, so they always agree.
    """
    if item.kind is BlockKind.CAPTION:
        return f"{parent}.caption"
    if item.kind is BlockKind.CELL and item.cell is not None:
        return f"{parent}.r{item.cell.row}.c{item.cell.column}"
    if item.kind is BlockKind.FOOTNOTE:
        return f"{parent}.fn{number}"
    return f"{parent}.i{number}"


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


@dataclass
class TranslatedBlock:
    """A block of a translated article: the source block's shape, translated segments.

    ``segments`` are the block's sentences (or its one segment) in order;
    writers render them one by one so that a fallback sentence can carry its own
    language.  ``id`` is the unit id the segments come from (``b3``, ``b6.i2``),
    and a list keeps its items in ``items``.
    """

    id: str
    kind: BlockKind
    segments: list[TranslatedSegment] = field(default_factory=list)
    line: int = 0
    level: int = 0
    ordered: bool = False
    items: list["TranslatedBlock"] = field(default_factory=list)
    role: str = ""
    cell: Optional[Cell] = None

    def pieces(self) -> Iterator[tuple[str, TranslatedSegment]]:
        """``(separator, segment)`` pairs: what goes before each segment.

        Sentences are joined with a space, except after a sentence that ends in
        an East Asian wide character (a full-width stop ``。``, a Han character,
        kana): Chinese and Japanese put no space between sentences.  Hangul is
        wide too but Korean does use spaces, so it is left out.
        """
        previous: Optional[TranslatedSegment] = None
        for segment in self.segments:
            yield ("" if previous is None else sentence_separator(previous.text)), segment
            previous = segment


def sentence_separator(left: str) -> str:
    """The space (or nothing) that follows a sentence ending like ``left``."""
    tail = left.rstrip()[-1:]
    if tail and unicodedata.east_asian_width(tail) in ("W", "F") \
            and not unicodedata.name(tail, "").startswith("HANGUL"):
        return ""
    return " "


@dataclass
class TranslatedMeta:
    """One piece of metadata as published.

    ``segment`` is ``None`` for metadata that is not offered to translators
    (author, date): ``value`` is then shown as it is in the source.
    """

    key: str
    value: str
    segment: Optional[TranslatedSegment] = None


@dataclass(frozen=True)
class ReviewNote:
    """A clinician's sign-off that covers exactly the version being published.

    What a page or handout may say of its review ("medically reviewed by
    <reviewer> on <date>"); set by the merge only when the sign-off file's
    fingerprint matches the current English and translation, so a page never
    claims a review of text the reviewer did not see.
    """

    reviewer: str
    approved_at: str                     # UTC, ISO 8601 (``2026-11-30T17:40:02Z``)

    @property
    def date(self) -> str:
        return self.approved_at[:10]


@dataclass
class RejectedTranslation:
    """A translation that cannot be published (English used): its inline markup
    does not match the source, or it holds a character no export may contain."""

    segment_id: str
    po_path: str
    line: int
    reason: str = "translation markup does not match the source"

    def __str__(self) -> str:
        return f"{self.po_path}:{self.line}: {self.reason}, English used"


class PublishVerdict(Protocol):
    """What a translated article carries of the publishing decision.

    :class:`toolkit.publish.gate.GateResult` is the one implementation; the
    model names only this shape, so the ground floor never refers to the gate
    built on top of it (not even in a type hint).
    """

    @property
    def percent(self) -> float: ...

    @property
    def passed(self) -> bool: ...

    @property
    def reasons(self) -> list[str]: ...


@dataclass
class TranslatedArticle:
    """An article in one language, ready for the writers.

    It has the source article's structure; every segment says which language
    its text is in and why (see :class:`TranslatedSegment`).  ``gate`` is the
    publishing decision (``None`` for the source language, always published);
    ``rejected`` lists translations dropped for broken markup so the build can
    warn about them.
    """

    slug: str
    lang: str                            # the page language (BCP 47)
    source_lang: str
    format: str
    title: Optional[TranslatedBlock] = None
    meta: list[TranslatedMeta] = field(default_factory=list)
    blocks: list[TranslatedBlock] = field(default_factory=list)
    rejected: list[RejectedTranslation] = field(default_factory=list)
    gate: Optional[PublishVerdict] = None
    review: Optional[ReviewNote] = None  # a sign-off covering exactly this version, if any

    @property
    def is_source(self) -> bool:
        return self.lang == self.source_lang

    @property
    def percent(self) -> float:
        """Share of segments translated (100 for the source language)."""
        return 100.0 if self.gate is None else self.gate.percent

    def meta_segments(self, key: str) -> list[TranslatedMeta]:
        """The metadata entries with one key, in page order."""
        return [m for m in self.meta if m.key == key]

    def walk(self) -> Iterator[TranslatedBlock]:
        """The title, then every body block and list item, in page order."""
        if self.title is not None:
            yield self.title
        for block in self.blocks:
            yield block
            yield from block.items
