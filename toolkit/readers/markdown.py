"""Markdown articles (CommonMark via markdown-it-py, optional YAML front matter).

Front matter between ``---`` lines gives the title and metadata::

    ---
    title: Spinal Stenosis
    breadcrumb: [Home, Spine Disorders, Spinal Stenosis]   # or "Home > Spine Disorders"
    section: Spine Disorders
    author: ISA Content Team          # author (kept) + byline "By: ISA Content Team"
    aliases: [Lumbar stenosis]
    date: 2024-05-01                  # any other key: kept, not translated
    ---

Without a ``title`` the first level-1 heading is the title.  Headings keep
their level; paragraphs, list items (task lists too), block quotes (role
``quote``) and code blocks become blocks; nested lists are flattened into
their list, each item keeping its depth in ``level``.  GitHub tables become
tables (a ``Table: ...`` paragraph next to one is its caption), definition
lists become terms and definitions, footnotes a footnotes block whose notes
the text refers to with ``<fn ref="n"/>``.  Inline emphasis, strong, code,
strikethrough, links, and raw ``<sup>``/``<sub>``/``<em>``... become inline
markup; an image gives its alt text; a hard line break is ``<br/>``.  Raw
HTML blocks are read by the HTML reader's walk.  See ``docs/formats.md``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Optional

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from toolkit.errors import SourceError
from toolkit.model import Article, Block, BlockKind, Cell, Meta
from toolkit.readers.base import InlineBuilder, mark_roles, normalise, plain, require_content
from toolkit.readers.html import INLINE, read_fragment

#: markdown-it stops reading, silently, below ``maxNesting`` levels of tokens
#: (a list or quote level takes one or two); the reader refuses a document that
#: comes near it rather than lose its text.
MAX_NESTING = 200
#: CommonMark plus what people write on GitHub and in Pandoc: tables and
#: strikethrough (markdown-it's own rules), footnotes, definition lists and task
#: lists (markdown-it's plugins, mdit-py-plugins).
_MD = (MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
       .enable(["table", "strikethrough"])
       .use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin))
#: A paragraph next to a table that starts like this is the table's caption
#: (Pandoc's syntax: ``Table: Medication``, or ``: Medication`` after the table).
_CAPTION = re.compile(r"^(?:Table)?:\s+")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
#: libyaml's safe loader when PyYAML was built with it (about 10x faster), else
#: the pure-Python one; both keep node marks for file lines.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_HTML_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9]*)\b([^>]*)>$", re.DOTALL)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")

#: Front-matter keys shown on the page (translatable) -> Meta key.
TRANSLATABLE = {"breadcrumb": "breadcrumb", "breadcrumb_label": "breadcrumb_label",
                "section": "section", "byline": "byline", "aliases": "alias", "alias": "alias"}


# -- front matter -------------------------------------------------------------

def split_front_matter(text: str, path: str) -> tuple[Optional[str], str]:
    """``(yaml text or None, body)``; the body keeps its line numbers (the front
    matter is replaced by as many empty lines)."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, text
    for end in range(1, len(lines)):
        if _FENCE_END.match(lines[end]):
            return "\n".join(lines[1:end]), "\n" * (end + 1) + "\n".join(lines[end + 1:])
    raise SourceError("front matter opened with '---' is never closed", path, 1)


def _scalar(value: Any) -> Optional[str]:
    """A YAML scalar as text; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _values(key: str, node: yaml.Node, value: Any, path: str) -> list[tuple[str, int]]:
    """Texts and file lines of one key's value (a scalar or a list of scalars)."""
    if value is None:
        return []
    if isinstance(value, list):
        out = []
        for item_node, item in zip(node.value, value):
            text = _scalar(item)
            if text is None:
                raise SourceError(f"front matter '{key}': list items must be text",
                                  path, item_node.start_mark.line + 2)
            out.append((text, item_node.start_mark.line + 2))
        return out
    text = _scalar(value)
    if text is None:
        raise SourceError(f"front matter '{key}': expected text or a list of text",
                          path, node.start_mark.line + 2)
    return [(text, node.start_mark.line + 2)]


def read_front_matter(source: str, path: str, article: Article) -> None:
    """Fill the title and metadata of ``article`` from YAML front matter.

    Lines: the YAML starts on line 2 of the file; errors and metadata carry
    file lines.
    """
    loader = _YAML_LOADER(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"front matter is not valid YAML: {problem}", path, line) from None
    finally:
        loader.dispose()
    if data is None:
        return
    if not isinstance(data, dict):
        raise SourceError("front matter must be a mapping of keys to values", path, 2)
    has_byline = "byline" in data
    for key_node, value_node in node.value:
        key = str(key_node.value)
        values = _values(key, value_node, data.get(key_node.value), path)
        if key == "title":
            if not values:  # "title:" left empty: the first H1 is the title
                continue
            if len(values) != 1:
                raise SourceError("front matter 'title' must be one line of text", path,
                                  key_node.start_mark.line + 2)
            article.title, article.title_line = plain(values[0][0]), values[0][1]
        elif key == "breadcrumb" and len(values) == 1 and ">" in values[0][0]:
            text, line = values[0]
            article.meta.extend(Meta("breadcrumb", plain(step), line) for step in text.split(">") if step.strip())
        elif key in TRANSLATABLE:
            article.meta.extend(Meta(TRANSLATABLE[key], plain(text), line) for text, line in values)
        else:
            article.meta.extend(Meta(key, normalise(text), line, translatable=False) for text, line in values)
            if key == "author" and not has_byline:
                article.meta.extend(Meta("byline", plain(f"By: {text}"), line) for text, line in values)


# -- body -----------------------------------------------------------------------

def _html_inline(content: str, run: InlineBuilder) -> None:
    """Raw inline HTML: our tags become markup, ``<br>`` a space, others vanish."""
    match = _HTML_TAG.match(content.strip())
    if not match:
        return
    closing, name = match.group(1), match.group(2).lower()
    if name == "br":
        run.line_break()
    elif name in INLINE:
        tag = INLINE[name]
        if closing:
            run.close(tag)
        elif tag == "a":
            href = _HREF.search(match.group(3))
            if href:
                run.open("a", {"href": next(g for g in href.groups() if g is not None)})
        else:
            run.open(tag)


def _inline(children: list[Token], run: InlineBuilder) -> None:
    """markdown-it inline tokens -> our inline markup."""
    for tok in children:
        kind = tok.type
        if kind in ("text", "text_special"):
            run.text(tok.content)
        elif kind == "softbreak":
            run.text(" ")
        elif kind == "hardbreak":
            run.line_break()
        elif kind == "s_open":
            run.open("s")
        elif kind == "s_close":
            run.close("s")
        elif kind == "footnote_ref":  # numbered as the plugin numbers them: by first reference
            run.void("fn", {"ref": str(tok.meta["id"] + 1)})
        elif kind == "em_open":
            run.open("em")
        elif kind == "em_close":
            run.close("em")
        elif kind == "strong_open":
            run.open("strong")
        elif kind == "strong_close":
            run.close("strong")
        elif kind == "code_inline":
            run.element("code", tok.content)
        elif kind == "link_open":
            run.open("a", {"href": str(tok.attrs.get("href", "")), "title": str(tok.attrs.get("title", ""))})
        elif kind == "link_close":
            run.close("a")
        elif kind == "image":
            alt = _MD.renderer.renderInlineAsText(tok.children or [], _MD.options, {})
            run.text(f" {alt} ")  # an image stands apart from the words around it
        elif kind == "html_inline":
            _html_inline(tok.content, run)


def _line(tok: Token) -> int:
    return tok.map[0] + 1 if tok.map else 0


class _Body:
    """Walks the block tokens once, in order, producing :class:`Block` objects."""

    def __init__(self, tokens: list[Token], want_title: bool, path: str) -> None:
        self.tokens = tokens
        self.path = path
        self.want_title = want_title
        self.title: Optional[tuple[str, int]] = None
        self.blocks: list[Block] = []

    def run(self) -> None:
        tokens, i, quote = self.tokens, 0, 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            role = "quote" if quote else ""
            if kind == "heading_open":
                text = self.markup(tokens[i + 1])
                level = int(tok.tag[1])
                if level == 1 and self.want_title and self.title is None and text:
                    self.title = (text, _line(tok))
                elif text:
                    self.blocks.append(Block(BlockKind.HEADING, text, _line(tok), level=level, role=role))
                i += 3
                continue
            if kind == "paragraph_open":
                text = self.markup(tokens[i + 1])
                if text:
                    self.blocks.append(Block(BlockKind.PARAGRAPH, text, _line(tok), role=role))
                i += 3
                continue
            if kind in _LIST_OPEN:
                block = Block(BlockKind.LIST, line=_line(tok), ordered=kind == "ordered_list_open", role=role)
                i = self.list(i, block.items, 0)
                if block.items:
                    self.blocks.append(block)
                continue
            if kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind in ("fence", "code_block"):
                text = _code(tok.content)
                if text:
                    self.blocks.append(Block(BlockKind.PARAGRAPH, text, _line(tok), role=role))
            elif kind == "html_block":
                for block in read_fragment(tok.content, _line(tok), self.path):
                    block.role = block.role or role
                    self.blocks.append(block)
            elif kind in self.CONTAINERS:
                block = self.CONTAINERS[kind](self, i)
                block.role = role
                if block.items:
                    self.blocks.append(block)
                i = self.close_of(i) + 1
                continue
            i += 1
        self.blocks = _captions(self.blocks)

    # -- tables, definition lists, footnotes: containers of one-level items --
    def close_of(self, i: int) -> int:
        """Index of the token closing the one opened at ``tokens[i]``."""
        tokens, level = self.tokens, self.tokens[i].level
        closing = tokens[i].type.replace("_open", "_close")
        j = i + 1
        while not (tokens[j].type == closing and tokens[j].level == level):
            j += 1
        return j

    def text_of(self, start: int, end: int) -> tuple[str, int]:
        """Everything between two tokens as one block's markup (paragraphs,
        nested lists and code joined in order) and the line it starts on."""
        run, line = InlineBuilder(), 0
        for tok in self.tokens[start:end]:
            if self.add_text(tok, run):
                line = line or _line(tok)
        return run.markup(), line

    def add_text(self, tok: Token, run: InlineBuilder) -> bool:
        """Add the text of an inline, code or raw HTML token to ``run`` (after a
        space); false for tokens without text of their own."""
        if tok.type not in ("inline", "fence", "code_block", "html_block"):
            return False
        run.text(" ")
        if tok.type == "inline":
            _inline(tok.children or [], run)
        elif tok.type == "html_block":
            for block in read_fragment(tok.content, _line(tok), self.path):
                for part in block.walk():
                    run.raw(" " + part.text)
        else:
            run.element("code", tok.content)
        return True

    def table(self, i: int) -> Block:
        """A GFM table: every cell an item, with its row, column, header flag
        and the column's alignment."""
        table = Block(BlockKind.TABLE, line=_line(self.tokens[i]))
        end, row, column, row_line = self.close_of(i), 0, 0, 0
        j = i + 1
        while j < end:
            tok = self.tokens[j]
            if tok.type == "tr_open":
                row, column, row_line = row + 1, 0, _line(tok)
            elif tok.type in ("th_open", "td_open"):
                column += 1
                close = self.close_of(j)
                text, line = self.text_of(j + 1, close)
                align = _ALIGN.search(str(tok.attrs.get("style", "")))
                table.items.append(Block(BlockKind.CELL, text, line or row_line, cell=Cell(
                    row, column, header=tok.type == "th_open", align=align.group(1) if align else "")))
                j = close
            j += 1
        return table

    def definitions(self, i: int) -> Block:
        """A definition list: terms (``dt``) and their definitions (``dd``), in order."""
        block = Block(BlockKind.DEFINITIONS, line=_line(self.tokens[i]))
        end, j = self.close_of(i), i + 1
        while j < end:
            tok = self.tokens[j]
            if tok.type in ("dt_open", "dd_open"):
                close = self.close_of(j)
                text, line = self.text_of(j + 1, close)
                kind = BlockKind.TERM if tok.type == "dt_open" else BlockKind.DEFINITION
                if text:
                    block.items.append(Block(kind, text, line or _line(tok)))
                j = close
            j += 1
        return block

    def footnotes(self, i: int) -> Block:
        """The footnote definitions markdown-it gathered at the end, numbered
        as their references are (item n is footnote n, empty or not)."""
        block = Block(BlockKind.FOOTNOTES, line=_line(self.tokens[i]))
        end, j = self.close_of(i), i + 1
        while j < end:
            if self.tokens[j].type == "footnote_open":
                close = self.close_of(j)
                text, line = self.text_of(j + 1, close)
                block.items.append(Block(BlockKind.FOOTNOTE, text, line))
                j = close
            j += 1
        return block

    CONTAINERS = {"table_open": table, "dl_open": definitions, "footnote_block_open": footnotes}

    @staticmethod
    def markup(inline: Token) -> str:
        run = InlineBuilder()
        _inline(inline.children or [], run)
        return run.markup()

    def list(self, i: int, items: list[Block], depth: int) -> int:
        """Items of the list opening at ``tokens[i]``; returns the index after its close.

        Everything inside an item except nested lists is the item's text; a
        nested list's items follow at ``depth + 1``, and text after a nested
        list within the same item is a further item, so nothing is reordered.
        """
        tokens = self.tokens
        ordered, start = tokens[i].type == "ordered_list_open", len(items)
        i += 1
        while tokens[i].type not in _LIST_CLOSE:
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            run, line = InlineBuilder(), _line(tokens[i])
            i += 1
            while tokens[i].type != "list_item_close":
                tok = tokens[i]
                if tok.type in _LIST_OPEN:
                    _item(run, line, items, depth)
                    i = self.list(i, items, depth + 1)
                    line = 0
                    continue
                if self.add_text(tok, run):
                    line = line or _line(tok)
                i += 1
            _item(run, line, items, depth)
            i += 1
        for item in items[start:]:  # a sub-list may be numbered in a bulleted list, or the reverse
            if item.level == depth:
                item.ordered = ordered
        return i + 1


def _captions(blocks: list[Block]) -> list[Block]:
    """Give each table the ``Table: ...`` paragraph right after it (else right
    before it) as its caption; that paragraph is then no longer a paragraph."""
    result: list[Block] = []
    taken: set[int] = set()
    for index, block in enumerate(blocks):
        if index in taken:
            continue
        if block.kind is BlockKind.TABLE:
            for near in (index + 1, index - 1):
                if 0 <= near < len(blocks) and near not in taken and _is_caption(blocks[near]):
                    caption = blocks[near]
                    block.items.insert(0, Block(BlockKind.CAPTION, _CAPTION.sub("", caption.text, count=1),
                                                caption.line))
                    taken.add(near)
                    if near < index:
                        result.remove(caption)
                    break
        result.append(block)
    return result


def _is_caption(block: Block) -> bool:
    return block.kind is BlockKind.PARAGRAPH and bool(_CAPTION.match(block.text)) \
        and bool(_CAPTION.sub("", block.text, count=1))


def _item(run: InlineBuilder, line: int, items: list[Block], depth: int) -> None:
    text = run.markup()
    if text:
        items.append(Block(BlockKind.ITEM, text, line, level=depth))


def _code(content: str) -> str:
    run = InlineBuilder()
    run.element("code", content)
    return run.markup()


def _refuse_unreferenced_notes(env: dict, body: str, path: str) -> None:
    """A footnote defined but never referenced is not shown by any Markdown
    renderer; rather than lose its text silently, the article is refused."""
    refs = env.get("footnotes", {}).get("refs", {})
    unused = [label[1:] for label, index in refs.items() if index < 0]
    if unused:
        label = unused[0]
        found = re.search(rf"^[ \t>]*\[\^{re.escape(label)}\]:", body, re.MULTILINE)
        line = body.count("\n", 0, found.start()) + 1 if found else None
        raise SourceError(f"footnote [^{label}] is defined but never referenced (add [^{label}] "
                          "where it belongs, or delete the note)", path, line)


def read(text: str, path: str, slug: str) -> Article:
    """Parse a Markdown file into an :class:`Article`."""
    if not text.strip():
        raise SourceError("the article is empty", path)
    article = Article(slug=slug, path=path, format="markdown")
    front, body = split_front_matter(text, path)
    if front is not None:
        read_front_matter(front, path, article)
    env: dict = {}
    tokens = _MD.parse(body, env)
    _refuse_unreferenced_notes(env, body, path)
    too_deep = next((t for t in tokens if t.level >= MAX_NESTING - 2 and t.map), None)
    if too_deep is not None:
        raise SourceError(f"lists or quotes nested more than {MAX_NESTING // 2 - 1} deep", path, _line(too_deep))
    walker = _Body(tokens, want_title=not article.title, path=path)
    walker.run()
    if walker.title:
        article.title, article.title_line = walker.title
    article.blocks = walker.blocks
    mark_roles(article)
    return require_content(article)
