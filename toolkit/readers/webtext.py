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

Paragraphs after the last heading that read like a medical disclaimer are given
the role ``disclaimer`` (and the rest of that trailing section ``footer``), so
the publishing gate can require them to be translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.errors import SourceError
from toolkit.inline import escape
from toolkit.model import Article, Block, BlockKind, Meta

BULLETS = "•◦▪‣●·*-"
_BULLET_RE = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s+(.*)$")
_BREADCRUMB_RE = re.compile(r"^\s*(?P<label>you are here)\s*:\s*(?P<path>.+)$", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^(?P<label>by)\s*:\s*(?P<who>.+)$", re.IGNORECASE)
#: Page chrome a copy from the browser carries along; never translated.
_CHROME_RE = re.compile(r"^(font size\s*:.*|print|share|email|text size\s*:.*)$", re.IGNORECASE)
_DISCLAIMER_RE = re.compile(
    r"\b(not (to )?replace|medical advice|disclaimer|physicians?|consult (your|a) (doctor|physician))\b",
    re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";", "…", '"', "”", ")")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass
class _Chunk:
    """Consecutive non-blank lines, with the line number of the first."""

    lines: list[str]
    line: int

    @property
    def bullets(self) -> list[tuple[str, int]] | None:
        """Item texts and lines when every line is a bullet (continuations joined)."""
        items: list[tuple[str, int]] = []
        for offset, raw in enumerate(self.lines):
            match = _BULLET_RE.match(raw)
            if match:
                items.append((match.group(1), self.line + offset))
            elif items and raw.startswith((" ", "\t")):
                items[-1] = (items[-1][0] + " " + raw, items[-1][1])
            else:
                return None
        return items


def normalise(text: str) -> str:
    """Join wrapped lines and collapse NBSP and runs of spaces to one space."""
    return _SPACES.sub(" ", " ".join(text.split("\n"))).strip()


def _chunks(text: str) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        if raw.strip(" \t\u00a0"):
            if not current:
                start = number
            current.append(raw.rstrip())
        elif current:
            chunks.append(_Chunk(current, start))
            current = []
    if current:
        chunks.append(_Chunk(current, start))
    return chunks


def _is_heading(chunk: _Chunk) -> bool:
    if len(chunk.lines) != 1 or chunk.bullets:
        return False
    text = normalise(chunk.lines[0])
    return len(text.split()) <= 12 and not text.endswith(_SENTENCE_END)


def read(text: str, path: str, slug: str) -> Article:
    """Parse web-copy text into an :class:`Article`."""
    article = Article(slug=slug, path=path, format="webtext")
    chunks = _chunks(text)
    if not chunks:
        raise SourceError("the article is empty", path)
    index = 0
    # Breadcrumb.
    first = normalise(chunks[0].lines[0])
    match = _BREADCRUMB_RE.match(first) if len(chunks[0].lines) == 1 else None
    if match:
        line = chunks[0].line
        article.meta.append(Meta("breadcrumb_label", match.group("label"), line))
        for step in match.group("path").split(">"):
            if step.strip():
                article.meta.append(Meta("breadcrumb", escape(step.strip()), line))
        index = 1
    # The head: section label, byline and chrome bullets, title, aliases.  If a
    # byline/chrome bullet list is present, one-liners before it are section
    # labels and the title follows it; otherwise the first one-liner is the title.
    head_end = index
    while head_end < len(chunks) and (chunks[head_end].bullets is not None
                                       or _is_heading(chunks[head_end])):
        head_end += 1
    byline_at = next((i for i in range(index, head_end)
                      if chunks[i].bullets and _is_byline_list(chunks[i])), None)
    if byline_at is not None:
        for chunk in chunks[index:byline_at]:
            if _is_heading(chunk):
                article.meta.append(Meta("section", escape(normalise(chunk.lines[0])), chunk.line))
        for item, line in chunks[byline_at].bullets or []:
            item = normalise(item)
            if _CHROME_RE.match(item):
                continue
            by = _BYLINE_RE.match(item)
            if by:
                article.meta.append(Meta("author", by.group("who"), line, translatable=False))
            article.meta.append(Meta("byline", escape(item), line))
        index = byline_at + 1
    if index < len(chunks) and _is_heading(chunks[index]):
        article.title = escape(normalise(chunks[index].lines[0]))
        article.title_line = chunks[index].line
        index += 1
        if index < len(chunks) and chunks[index].bullets is not None:
            for item, line in chunks[index].bullets or []:
                article.meta.append(Meta("alias", escape(normalise(item)), line))
            index += 1
    # Body.
    for chunk in chunks[index:]:
        items = chunk.bullets
        if items is not None:
            block = Block(BlockKind.LIST, line=chunk.line,
                          items=[Block(BlockKind.ITEM, escape(normalise(t)), line) for t, line in items])
            article.blocks.append(block)
        elif _is_heading(chunk):
            article.blocks.append(Block(BlockKind.HEADING, escape(normalise(chunk.lines[0])),
                                        chunk.line, level=2))
        else:
            article.blocks.append(Block(BlockKind.PARAGRAPH, escape(normalise("\n".join(chunk.lines))),
                                        chunk.line))
    if not article.title and not article.blocks:
        raise SourceError("no title or text found", path)
    _mark_footer(article)
    return article


def _is_byline_list(chunk: _Chunk) -> bool:
    """A bullet list of page furniture: "By: ...", "Font Size: AA"."""
    return any(_BYLINE_RE.match(normalise(t)) or _CHROME_RE.match(normalise(t))
               for t, _ in chunk.bullets or [])


def _mark_footer(article: Article) -> None:
    """Give the trailing section's paragraphs the roles footer / disclaimer."""
    headings = [i for i, b in enumerate(article.blocks) if b.kind is BlockKind.HEADING]
    if not headings:
        return
    last = headings[-1]
    tail = article.blocks[last + 1:]
    if not tail or any(b.kind is not BlockKind.PARAGRAPH for b in tail):
        return
    article.blocks[last].role = "footer"
    for block in tail:
        block.role = "disclaimer" if _DISCLAIMER_RE.search(block.text) else "footer"
