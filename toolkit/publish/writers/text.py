"""Plain-text writer: ``exports/<lang>/<slug>.txt``.

The title is underlined with ``=`` (section headings with ``-``) to its
*display* width, where East Asian wide characters count as two columns.
Paragraphs are separated by blank lines, list items get bullets (or numbers),
tables are laid out in columns of the same display width, footnotes come at
the end as ``[1] ...`` (their references ``[1]`` in the text).
With ``[export] text_width`` above zero, lines are wrapped at that many
columns where the Unicode line breaking algorithm (UAX #14, ICU's line break
iterator) allows: at spaces and after hyphens, between Thai words (found by
dictionary, as Thai has no spaces), between Chinese and Japanese characters
except before closing punctuation such as ``。`` or ``」``.  A word is never
broken; one wider than the line stands alone.
"""

from __future__ import annotations

from typing import Optional

from wcwidth import wcswidth, wcwidth

from toolkit.text import inline, scripts
from toolkit.model import BlockKind, TranslatedArticle, TranslatedBlock
from toolkit.publish.writers import PageContext

BULLET = "•"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two)."""
    if text.isascii() and text.isprintable():
        return len(text)               # what wcswidth says, without a call per character
    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(ch), 0) for ch in text)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(unbreakable piece, followed by a space) pairs, cut where UAX #14 allows.

    ICU's line break iterator finds the opportunities: between words at
    spaces, between Thai words by dictionary, between Chinese and Japanese
    characters except before closing punctuation (``。``, ``」``) or after
    opening punctuation (``「``), after a hyphen.  A run of spaces is one.
    """
    pieces = []
    for piece in scripts.line_pieces(text):
        word = piece.rstrip()
        if word:
            pieces.append((word, len(word) < len(piece)))
        elif pieces:
            pieces[-1] = (pieces[-1][0], True)
    return pieces


def wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    """Lines of ``text`` at most ``width`` columns (a longer word stands alone).

    ``indent`` starts the first line, ``hang`` the following ones (bullets).
    """
    if width <= 0:
        return [indent + text]
    lines: list[str] = []
    line, used = indent, display_width(indent)
    start = True
    for word, spaced in _pieces(text):
        size = display_width(word)
        if used + size > width and not start:
            lines.append(line.rstrip())
            line, used = hang, display_width(hang)
        line, used = line + word, used + size
        if spaced:
            line, used = line + " ", used + 1
        start = False
    lines.append(line.rstrip())
    return lines


def block_text(block: Optional[TranslatedBlock]) -> str:
    """A block's plain text, sentences joined as the language joins them; line
    breaks are newlines, footnote references ``[1]``."""
    if block is None:
        return ""
    return "".join(sep + inline.plain_text(seg.text, notes=True) for sep, seg in block.pieces())


def _paragraph(text: str, width: int, indent: str = "", hang: str = "") -> str:
    """``text`` wrapped; a line break the author made starts a new line (at ``hang``)."""
    lines: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lines += wrap(line, width, indent if number == 0 else hang, hang)
    return "\n".join(lines)


def _underlined(text: str, width: int, char: str) -> str:
    lines = _paragraph(text, width).split("\n")
    return "\n".join(lines) + "\n" + char * max(display_width(line) for line in lines)


def _pad(text: str, width: int, align: str) -> str:
    """``text`` padded to ``width`` display columns (wide characters count two)."""
    room = width - display_width(text)
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def _table(block: TranslatedBlock) -> str:
    """The caption, then the cells in columns as wide as their widest line
    (display width), ``|`` between them, a rule under the header rows.
    Tables are not wrapped to ``text_width``; a cell's line breaks give the
    row more lines."""
    caption = next((i for i in block.items if i.kind is BlockKind.CAPTION), None)
    rows: dict[int, dict[int, TranslatedBlock]] = {}
    for item in block.items:
        if item.cell is not None:
            rows.setdefault(item.cell.row, {})[item.cell.column] = item
    columns = max((c for row in rows.values() for c in row), default=0)
    texts = {(r, c): block_text(cell).split("\n") for r, row in rows.items() for c, cell in row.items()}
    widths = [max([display_width(line) for (_, col), lines in texts.items() if col == c for line in lines]
                  or [0]) for c in range(1, columns + 1)]
    aligns = [next((cell.cell.align for row in rows.values() for col, cell in row.items()
                    if col == c and cell.cell and cell.cell.align), "") for c in range(1, columns + 1)]
    out = [block_text(caption)] if caption else []
    ordered = sorted(rows)
    for index, r in enumerate(ordered):
        height = max(len(texts.get((r, c), [""])) for c in range(1, columns + 1))
        for line in range(height):
            cells = [_pad((texts.get((r, c), []) + [""] * height)[line], widths[c - 1], aligns[c - 1])
                     for c in range(1, columns + 1)]
            out.append(("| " + " | ".join(cells) + " |").rstrip())
        header = all(cell.cell.header for cell in rows[r].values() if cell.cell)
        if header and (index + 1 == len(ordered) or not all(
                cell.cell.header for cell in rows[ordered[index + 1]].values() if cell.cell)):
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def _definitions(items: list[TranslatedBlock], width: int) -> str:
    """Terms on a line of their own, their definitions indented under them."""
    return "\n".join(_paragraph(block_text(item), width, "" if item.kind is BlockKind.TERM else "    ",
                                "" if item.kind is BlockKind.TERM else "    ") for item in items)


def _footnotes(items: list[TranslatedBlock], width: int) -> str:
    """After a short rule, ``[n] text`` for every note, in order."""
    notes = []
    for number, item in enumerate(items, 1):
        marker = f"[{number}] "
        notes.append(_paragraph(block_text(item), width, marker, " " * len(marker)))
    return "\n".join(["-----"] + notes)


def _list(items: list[TranslatedBlock], ordered: bool, width: int) -> str:
    out = []
    numbers: list[int] = []            # one counter per nesting depth
    for item in items:
        depth = max(item.level, 0)
        del numbers[depth + 1:]
        numbers.extend([0] * (depth + 1 - len(numbers)))
        numbers[depth] += 1
        indent = "  " * depth
        numbered = ordered if depth == 0 else item.ordered  # a sub-list has its own kind
        marker = f"{indent}{numbers[depth]}. " if numbered else f"{indent}{BULLET} "
        out.append(_paragraph(block_text(item), width, marker, " " * len(marker)))
    return "\n".join(out)


def render(article: TranslatedArticle, page: PageContext) -> bytes:
    """The article as UTF-8 plain text."""
    width = page.text_width
    meta = {key: [block_text(TranslatedBlock(m.key, BlockKind.PARAGRAPH, [m.segment]))
                  if m.segment else m.value for m in article.meta_segments(key)]
            for key in ("breadcrumb_label", "breadcrumb", "section", "byline", "alias")}
    parts: list[str] = []
    if meta["breadcrumb"]:
        label = (meta["breadcrumb_label"] or [""])[0]
        trail = " > ".join(meta["breadcrumb"])
        parts.append(_paragraph(f"{label}: {trail}" if label else trail, width))
    parts.extend(_paragraph(s, width) for s in meta["section"])
    if article.title is not None:
        parts.append(_underlined(block_text(article.title), width, "="))
    parts.extend(_paragraph(b, width) for b in meta["byline"])
    if meta["alias"]:
        parts.append("\n".join(_paragraph(a, width, "  " + BULLET + " ", "    ")
                               for a in meta["alias"]))
    for block in article.blocks:
        if block.kind is BlockKind.HEADING:
            parts.append(_underlined(block_text(block), width, "-" if (block.level or 2) <= 2 else "~"))
        elif block.kind is BlockKind.LIST:
            parts.append(_list(block.items, block.ordered, width))
        elif block.kind is BlockKind.ITEM:
            parts.append(_list([block], False, width))
        elif block.kind is BlockKind.TABLE:
            parts.append(_table(block))
        elif block.kind is BlockKind.DEFINITIONS:
            parts.append(_definitions(block.items, width))
        elif block.kind is BlockKind.FOOTNOTES:
            parts.append(_footnotes(block.items, width))
        else:
            parts.append(_paragraph(block_text(block), width))
    return ("\n\n".join(p for p in parts if p) + "\n").encode("utf-8")
