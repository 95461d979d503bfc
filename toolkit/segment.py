"""From an :class:`Article` to :class:`Segment` objects, one per PO entry.

Two steps, both shared by extraction and merge so that they always agree:

1. :func:`article_units` lists every translatable place of the article in page
   order (title, metadata, headings, paragraphs, list items, table captions and
   cells, definition terms and definitions, footnotes) with a stable id and a
   description for translators.
2. :func:`segment_article` splits units into sentences (``sentence`` mode,
   through :func:`toolkit.text.sentences.split_sentences`) or keeps them whole
   (``paragraph`` mode), and sets ``msgctxt`` where identical English must be
   told apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Callable, Optional

from toolkit.text.inline import plain_text
from toolkit.model import Article, Block, BlockKind, Segment, item_id
from toolkit.text.sentences import split_sentences

#: Unit kinds that are split into sentences in sentence mode; the others
#: (titles, headings, metadata, table captions and cells, terms, footnotes)
#: are always one segment.
SPLITTABLE = {"paragraph", "item", "definition"}

#: Metadata keys that are labels on the page rather than prose; when their
#: English also appears elsewhere in the article they get a ``msgctxt``.
LABEL_KINDS = {"breadcrumb", "breadcrumb_label", "section", "byline"}


@dataclass(frozen=True)
class Unit:
    """One translatable place in an article before sentence splitting."""

    id: str           # "title", "m.breadcrumb.2", "b4", "b6.i2"
    kind: str         # "title", a Meta key, or a BlockKind value
    text: str         # inline markup
    line: int
    comment: str      # where it sits, for translators
    role: str = ""    # the block's role ("disclaimer", ...), if any
    shape: str = ""   # how the page shows it beside kind and role: heading level, list type and depth, cell


def _first_words(markup: str, count: int = 6) -> str:
    words = plain_text(markup).split()
    head = " ".join(words[:count])
    return head + ("…" if len(words) > count else "")


def article_units(article: Article) -> list[Unit]:
    """Every translatable place of ``article``, in page order."""
    units: list[Unit] = []
    if article.title:
        units.append(Unit("title", "title", article.title, article.title_line, "Article title"))
    counters: dict[str, int] = defaultdict(int)
    for meta in article.meta:
        if not meta.translatable:
            continue
        counters[meta.key] += 1
        n = counters[meta.key]
        label = meta.key.replace("_", " ").capitalize()
        units.append(Unit(f"m.{meta.key}.{n}", meta.key, meta.value, meta.line,
                          f"{label} {n}" if meta.key in ("breadcrumb", "alias") else label))
    heading = ""
    counts: dict[str, int] = defaultdict(int)
    placed: dict[str, int] = {}      # unit id -> the line it sorts by, when not its own
    top = min((b.level for b in article.blocks if b.kind is BlockKind.HEADING), default=0)
    parents: dict[int, str] = {}     # heading level -> the last heading of that level
    in_section = 0                   # paragraphs since the last heading (numbered per section)
    for index, block in enumerate(article.blocks, 1):
        bid = f"b{index}"
        if block.kind is BlockKind.HEADING:
            counts["heading"] += 1
            heading = plain_text(block.text)
            in_section = 0
            parent = next((parents[level] for level in sorted(parents, reverse=True)
                           if level < block.level), "")
            parents = {level: text for level, text in parents.items() if level < block.level}
            parents[block.level] = heading
            where = f" (under '{_first_words(parent)}')" if block.level > top and parent else ""
            units.append(Unit(bid, "heading", block.text, block.line,
                              f"Heading {counts['heading']}{where}", block.role,
                              f"level {block.level}"))
        elif block.kind is BlockKind.PARAGRAPH:
            counts["paragraph"] += 1
            in_section += 1
            label = (f"Paragraph {in_section} under '{heading}'" if heading
                     else f"Paragraph {counts['paragraph']}")
            units.append(Unit(bid, "paragraph", block.text, block.line,
                              f"{label}: '{_first_words(block.text)}'", block.role))
        elif block.kind is BlockKind.LIST:
            counts["list"] += 1
            owner = f"'{heading}'" if heading else f"list {counts['list']}"
            total = len(block.items)
            for number, item in enumerate(block.items, 1):
                units.append(Unit(item_id(bid, item, number), "item", item.text, item.line,
                                  f"List item {number} of {total} in {owner}",
                                  item.role or block.role,
                                  f"{'ordered' if block.ordered else 'bulleted'}, depth {item.level}"))
        elif block.kind is BlockKind.ITEM:  # a stray item outside a list
            units.append(Unit(bid, "item", block.text, block.line, "List item", block.role,
                              f"no list, depth {block.level}"))
        elif block.kind in _DESCRIBE:
            counts[block.kind.value] += 1
            describe = _DESCRIBE[block.kind](block, counts[block.kind.value], heading)
            for number, item in enumerate(block.items, 1):
                if item.text:  # an empty cell has nothing to translate
                    units.append(Unit(item_id(bid, item, number), item.kind.value, item.text, item.line,
                                      describe(item, number), item.role or block.role, _cell_shape(item)))
                    placed[units[-1].id] = block.line
    # Page order: metadata such as the breadcrumb comes before the title.  The
    # items of a table or definition list stay together in their order (a
    # caption written after its table is shown first), and footnotes are shown
    # at the end wherever their definitions were written.
    return sorted(units, key=lambda u: (u.kind == "footnote", placed.get(u.id, u.line)))


def _cell_shape(item: Block) -> str:
    cell = item.cell
    return "" if cell is None else f"row {cell.row}, column {cell.column}{', header' if cell.header else ''}"


# -- translator comments for the items of tables, definition lists, footnotes --

Describe = Callable[[Block, int], str]


def _table_comments(table: Block, number: int, heading: str) -> Describe:
    """"Table 'Medication', row 2, column 'Dose'": the table is named by its
    caption (else its number), a column by its header cell (else its number)."""
    caption = next((i for i in table.items if i.kind is BlockKind.CAPTION), None)
    name = f"'{_first_words(caption.text)}'" if caption else str(number)
    columns = {i.cell.column: _first_words(i.text, 4) for i in table.items
               if i.cell is not None and i.cell.header and i.cell.row == 1 and i.text}

    def describe(item: Block, _: int) -> str:
        if item.cell is None:
            return f"Caption of table {number}" + (f" under '{heading}'" if heading else "")
        column = item.cell.column
        label = f"'{columns[column]}'" if column in columns and not item.cell.header else str(column)
        return (f"Table {name}, row {item.cell.row}, column {label}"
                + (" (header)" if item.cell.header else ""))
    return describe


def _definition_comments(block: Block, number: int, heading: str) -> Describe:
    terms = sum(i.kind is BlockKind.TERM for i in block.items)
    owner = f"under '{heading}'" if heading else f"{number}"
    state = {"term": "", "count": 0}

    def describe(item: Block, _: int) -> str:
        if item.kind is BlockKind.TERM:
            state["count"] += 1
            state["term"] = _first_words(item.text)
            return f"Term {state['count']} of {terms} in definition list {owner}"
        return f"Definition of '{state['term']}'" if state["term"] else f"Definition in list {owner}"
    return describe


def _footnote_comments(block: Block, number: int, heading: str) -> Describe:
    total = len(block.items)
    return lambda item, n: f"Footnote {n} of {total} (marked <fn ref=\"{n}\"/> in the text): '{_first_words(item.text)}'"


_DESCRIBE: dict[BlockKind, Callable[[Block, int, str], Describe]] = {
    BlockKind.TABLE: _table_comments,
    BlockKind.DEFINITIONS: _definition_comments,
    BlockKind.FOOTNOTES: _footnote_comments,
}


def segment_unit(unit: Unit, granularity: str = "sentence") -> list[Segment]:
    """The segments of one unit, in order."""
    if granularity == "sentence" and unit.kind in SPLITTABLE:
        sentences = split_sentences(unit.text)
    else:
        sentences = [" ".join(unit.text.split())] if unit.text.strip() else []
    result = []
    total = len(sentences)
    for number, sentence in enumerate(sentences, 1):
        comment = unit.comment
        if total > 1:
            comment += f", sentence {number} of {total}"
        if unit.role:
            comment += f" [{unit.role}]"
        seg_id = f"{unit.id}.s{number}" if unit.kind in SPLITTABLE else unit.id
        result.append(Segment(id=seg_id, text=sentence, line=unit.line, comment=comment))
    return result


def segment_article(article: Article, granularity: str = "sentence",
                    units: Optional[list[Unit]] = None) -> list[Segment]:
    """All segments of ``article`` in page order, with ``msgctxt`` where needed.

    A label (breadcrumb step, section name, byline) whose English also occurs
    in the article's text (title, heading, paragraph, list item, alias) gets its
    kind as context, because a short label and the same words in running text
    are often translated differently.  Identical labels share one entry.
    """
    return [s for _, segs in segments_by_unit(article, granularity, units) for s in segs]


def segments_by_unit(article: Article, granularity: str = "sentence",
                     units: Optional[list[Unit]] = None) -> list[tuple[Unit, list[Segment]]]:
    """Units paired with their segments (contexts applied): what merge walks.

    ``units``: :func:`article_units` of the article when the caller has them
    (extract shares them with the proofreading)."""
    units = article_units(article) if units is None else units
    split = [segment_unit(unit, granularity) for unit in units]
    kinds_by_text: dict[str, set[str]] = defaultdict(set)
    for unit, segments in zip(units, split):
        for segment in segments:
            kinds_by_text[segment.text].add(unit.kind)
    pairs = []
    for unit, segments in zip(units, split):
        if unit.kind in LABEL_KINDS:
            segments = [replace(s, context=unit.kind) if kinds_by_text[s.text] - LABEL_KINDS else s
                        for s in segments]
        pairs.append((unit, segments))
    return pairs
