"""The web-copy text format: a web page copied from a browser as plain text.

The seed article shows its shape::

    YOU are here : Home > Spine Disorders > Spinecare     breadcrumb
    Spine Disorders                                       section label
      • By: ISA Content Team                              byline (metadata)
      • Font Size: AA                                     page chrome: dropped
    Failed Back Syndrome                                  title
      • Failed Back Surgery Syndrome (FBSS)               aliases
    Paragraphs (hard-wrapped lines are joined) ...
      • bullet lists
    Educational Partners                                  heading
    ...footer and medical disclaimer

Blocks are separated by blank lines.  A one-line block that does not end in
sentence punctuation and is followed by prose is a heading.  NBSP and double
spaces between sentences are normalised to one space.

The page footer is found as :func:`toolkit.readers.base.mark_roles` says (a
trailing section under a footer heading such as "Educational Partners", or
closing disclaimer, copyright and contact paragraphs); an author marks it
explicitly with a line ``[footer]`` on its own: every block after it is the
footer (disclaimers among them ``disclaimer``), so the publishing gate can
require them to be translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.errors import SourceError
from toolkit.model import Article, Block, BlockKind, Meta
from toolkit.readers.base import mark_roles, normalise, plain, require_content

BULLETS = "•◦▪‣●·*-"
_BULLET_RE = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s+(.*)$")
_NUMBER_RE = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_BREADCRUMB_RE = re.compile(r"^\s*(?P<label>you are here)\s*:\s*(?P<path>.+)$", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^(?P<label>by)\s*:\s*(?P<who>.+)$", re.IGNORECASE)
#: Page chrome a copy from the browser carries along; never translated.
_CHROME_RE = re.compile(r"^(font size\s*:.*|print|share|email|text size\s*:.*)$", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";", "…", '"', "”", ")")
_BLANK = " \t\u00a0"
#: A line of its own marking the rest of the article as the page footer.
FOOTER_MARK = "[footer]"

TEXT, BULLET, NUMBER = "text", "bullet", "number"


@dataclass
class _Chunk:
    """Consecutive non-blank lines of one kind, with the line number of the first.

    ``kind`` is ``text`` (a paragraph or heading), ``bullet`` or ``number``
    (a list: ``items`` holds each item's text, continuation lines joined, and
    its line).
    """

    kind: str
    line: int
    lines: list[str] = field(default_factory=list)
    items: list[tuple[str, int]] = field(default_factory=list)

    @property
    def bullets(self) -> list[tuple[str, int]] | None:
        """Item texts and lines for a list chunk, else None."""
        return self.items if self.kind != TEXT else None


def _chunks(text: str) -> list[_Chunk]:
    """Split the text at blank lines, and between prose lines and list lines.

    A line that starts with a bullet (or ``1.``/``1)``) opens a list item;
    indented lines after it continue that item; any other line is prose.  So
    "Symptoms include:" directly followed by bullets is a paragraph and a list,
    never a paragraph with bullet characters inside it.
    """
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw or raw.isspace():
            current = None
            continue
        raw = raw.rstrip()
        match = _BULLET_RE.match(raw)
        kind = BULLET
        if match is None:
            match = _NUMBER_RE.match(raw)
            kind = NUMBER
        if match is None:
            if current is not None and current.kind != TEXT and raw[0] in _BLANK:
                item, line = current.items[-1]
                current.items[-1] = (item + " " + raw, line)
                continue
            kind = TEXT
        if current is None or current.kind != kind:
            current = _Chunk(kind, number)
            chunks.append(current)
        if kind == TEXT:
            current.lines.append(raw)
        else:
            current.items.append((match.group(1), number))
    return chunks


def _is_heading(chunk: _Chunk) -> bool:
    """One short line (at most 12 words) that does not end like a sentence."""
    if chunk.kind != TEXT or len(chunk.lines) != 1:
        return False
    words = chunk.lines[0].split(None, 12)
    return 0 < len(words) <= 12 and not words[-1].endswith(_SENTENCE_END)


def read(text: str, path: str, slug: str) -> Article:
    """Parse web-copy text into an :class:`Article`."""
    article = Article(slug=slug, path=path, format="webtext")
    chunks = _chunks(text)
    if not chunks:
        raise SourceError("the article is empty", path)
    index = 0
    # Breadcrumb.
    first = chunks[0]
    match = (_BREADCRUMB_RE.match(normalise(first.lines[0]))
             if first.kind == TEXT and len(first.lines) == 1 else None)
    if match:
        article.meta.append(Meta("breadcrumb_label", plain(match.group("label")), first.line))
        for step in match.group("path").split(">"):
            if step.strip():
                article.meta.append(Meta("breadcrumb", plain(step), first.line))
        index = 1
    # The head: section label, byline and chrome bullets, title, aliases.  If a
    # byline/chrome bullet list is present, one-liners before it are section
    # labels and the title follows it; otherwise the first one-liner is the title.
    head_end = index
    while head_end < len(chunks) and (chunks[head_end].kind != TEXT or _is_heading(chunks[head_end])):
        head_end += 1
    byline_at = next((i for i in range(index, head_end)
                      if chunks[i].kind != TEXT and _is_byline_list(chunks[i])), None)
    if byline_at is not None:
        for chunk in chunks[index:byline_at]:
            if _is_heading(chunk):
                article.meta.append(Meta("section", plain(chunk.lines[0]), chunk.line))
            else:  # a list between breadcrumb and byline: keep it as text
                article.blocks.append(_block(chunk))
        for item, line in chunks[byline_at].items:
            item = normalise(item)
            if _CHROME_RE.match(item):
                continue
            by = _BYLINE_RE.match(item)
            if by:
                article.meta.append(Meta("author", by.group("who"), line, translatable=False))
            article.meta.append(Meta("byline", plain(item), line))
        index = byline_at + 1
    if index < len(chunks) and _is_heading(chunks[index]):
        article.title = plain(chunks[index].lines[0])
        article.title_line = chunks[index].line
        index += 1
        if index < len(chunks) and chunks[index].kind != TEXT:
            for item, line in chunks[index].items:
                article.meta.append(Meta("alias", plain(item), line))
            index += 1
    footer = False
    for chunk in chunks[index:]:
        if chunk.kind == TEXT and len(chunk.lines) == 1 and chunk.lines[0].strip().lower() == FOOTER_MARK:
            footer = True
            continue
        block = _block(chunk)
        if footer:
            block.role = "footer"
        article.blocks.append(block)
    mark_roles(article)
    return require_content(article)


def _block(chunk: _Chunk) -> Block:
    """A body chunk as a list, a level-2 heading or a paragraph."""
    if chunk.kind != TEXT:
        return Block(BlockKind.LIST, line=chunk.line, ordered=chunk.kind == NUMBER,
                     items=[Block(BlockKind.ITEM, plain(t), line) for t, line in chunk.items])
    if _is_heading(chunk):
        return Block(BlockKind.HEADING, plain(chunk.lines[0]), chunk.line, level=2)
    return Block(BlockKind.PARAGRAPH, plain(" ".join(chunk.lines)), chunk.line)


def _is_byline_list(chunk: _Chunk) -> bool:
    """A bullet list of page furniture: "By: ...", "Font Size: AA"."""
    return any(_BYLINE_RE.match(normalise(t)) or _CHROME_RE.match(normalise(t))
               for t, _ in chunk.items)
