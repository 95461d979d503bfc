"""HTML article pages, read with lxml (no network, no entities beyond HTML's own).

The content area is ``<main>``, else ``<article>``, else ``<body>``.  Inside it
headings, paragraphs, lists and the text of every other element become blocks
in page order; inline ``em/i``, ``strong/b``, ``code``, ``a[href]``, ``sup`` and
``sub`` become inline markup, other inline elements give their text, ``<br>`` is
a space and ``<img alt>`` gives its alt text.  Scripts, styles, embedded objects,
``hidden`` elements and navigation menus are dropped; so are the page-level
``<header>``/``<footer>`` when there is no ``<main>``/``<article>`` (site
chrome).  A breadcrumb (``nav[aria-label*=breadcrumb]`` or ``.breadcrumb``),
wherever it is, becomes ``breadcrumb`` metadata.  See ``docs/formats.md``.

:func:`read_fragment` is the same walk over a piece of HTML; the Markdown
reader uses it for raw HTML blocks.
"""

from __future__ import annotations

import re
from lxml import etree, html as lxml_html

from toolkit.errors import SourceError
from toolkit.model import Article, Block, BlockKind, Cell, Meta
from toolkit.readers.base import InlineBuilder, mark_roles, normalise, plain, require_content

#: Elements whose content is never shown as text of the page.
DROP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "video",
                  "audio", "canvas", "svg", "math", "head", "title", "meta", "link", "nav"})
#: HTML inline element -> our inline tag.
INLINE = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code",
          "sup": "sup", "sub": "sub", "a": "a", "s": "s", "del": "s", "strike": "s"}
#: Deepest element nesting read (real pages stay far below; Python's recursion
#: limit would be hit near 300).
MAX_DEPTH = 150
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LISTS = frozenset({"ul", "ol", "menu"})
#: Elements that end a run of inline text (everything else is inline).
BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside",
                    "blockquote", "figure", "figcaption", "pre", "address", "details", "summary",
                    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "dl", "dt",
                    "dd", "li", "form", "fieldset", "legend", "center", "body", "html", "hr"}
                   | LISTS | HEADINGS.keys())
#: Meta names kept as (untranslated) metadata.
META_NAMES = {"author": "author", "description": "description", "keywords": "keywords",
              "date": "date", "article:section": "section_name", "article:published_time": "date"}
_BREADCRUMB_XPATH = ("//*[contains(translate(@aria-label, 'BREADCRUM', 'breadcrum'), 'breadcrumb')"
                     " or contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb ')"
                     " or contains(concat(' ', normalize-space(@class), ' '), ' breadcrumbs ')]")
_CRUMB_SEPARATORS = re.compile(r"\s*[>»›|]\s*|\s+/\s+")
_CRUMB_ENDS = re.compile(r"^(?:[>»›|/]\s*)+|(?:\s*[>»›|/])+$")
_LABEL_RE = re.compile(r"^(?P<label>[^:>»›]{1,40}?)\s*:\s*(?P<rest>.*)$")


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True,
                                remove_pis=True, huge_tree=True)


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None


def _page_level(el: etree._Element) -> bool:
    """A ``<header>``/``<footer>`` of the page rather than of a section: its
    nearest sectioning ancestor is ``<body>`` (the HTML outline rule)."""
    return not any(_tag(a) in ("article", "section", "aside", "nav") for a in el.iterancestors())


class _Walker:
    """Turns an element tree into blocks, in document order.

    ``line_offset`` is added to lxml's 1-based ``sourceline``, for fragments
    that start further down a file (raw HTML inside Markdown).
    """

    def __init__(self, path: str, line_offset: int = 0, drop_chrome: bool = False) -> None:
        self.blocks: list[Block] = []
        self.path = path
        self.line_offset = line_offset
        self.drop_chrome = drop_chrome
        self.depth = 0

    def enter(self, el: etree._Element) -> None:
        """Count one level of nesting; refuse absurd depths before Python's
        recursion limit turns them into a traceback."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SourceError(f"elements nested more than {MAX_DEPTH} deep", self.path, self.line(el))

    def line(self, el: etree._Element) -> int:
        return (el.sourceline or 1) + self.line_offset

    def tail_line(self, el: etree._Element) -> int:
        """The line where the text after ``el`` starts (rarely needed, so the
        element is serialised to count its lines)."""
        tail = el.tail or ""
        stripped = tail.lstrip()
        if not stripped:
            return self.line(el)
        inside = etree.tostring(el, encoding=str, with_tail=False).count("\n")
        return self.line(el) + inside + tail[:len(tail) - len(stripped)].count("\n")

    # -- containers: runs of inline content become paragraphs ---------------
    def container(self, el: etree._Element, role: str = "") -> None:
        run = InlineBuilder()
        run_line = self.line(el)
        run.text(el.text)
        for child in el:
            tag = _tag(child)
            if tag in DROP or (tag and _hidden(child)):
                pass  # no box on the page: the text around it runs on
            elif tag in BLOCKS:
                self.paragraph(run, run_line, role)
                self.block(child, role)
                run_line = self.tail_line(child)
            else:
                self.inline(child, run)
            run.text(child.tail)
        self.paragraph(run, run_line, role)

    def paragraph(self, run: InlineBuilder, line: int, role: str) -> None:
        text = run.markup()
        if text:
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, line, role=role))

    def block(self, el: etree._Element, role: str) -> None:
        tag = _tag(el)
        if tag in DROP or _hidden(el):
            return
        self.enter(el)
        self._block(el, tag, role)
        self.depth -= 1

    def _block(self, el: etree._Element, tag: str, role: str) -> None:
        if self.drop_chrome and tag in ("header", "footer") and _page_level(el):
            return
        if tag in HEADINGS:
            run = InlineBuilder()
            self.inline_children(el, run)
            text = run.markup()
            if text:
                self.blocks.append(Block(BlockKind.HEADING, text, self.line(el), level=HEADINGS[tag], role=role))
        elif tag == "table" and _is_data_table(el):
            table = self.table(el)
            if table.items:
                table.role = role
                self.blocks.append(table)
        elif tag in LISTS:
            block = Block(BlockKind.LIST, line=self.line(el), ordered=tag == "ol", role=role)
            self.list_items(el, block.items, 0)
            if block.items:
                self.blocks.append(block)
        else:
            if tag == "footer":
                role = "footer"
            elif tag == "blockquote" and not role:
                role = "quote"
            self.container(el, role)

    # -- tables: every cell an item with its row and column ------------------
    def table(self, el: etree._Element) -> Block:
        """A data table: its caption, then its cells row by row (``th`` cells are
        headers); a cell spanning rows pushes later cells of those rows right."""
        table = Block(BlockKind.TABLE, line=self.line(el))
        caption = next((c for c in el if _tag(c) == "caption" and not _hidden(c)), None)
        if caption is not None:
            text = self.cell_text(caption)
            if text:
                table.items.append(Block(BlockKind.CAPTION, text, self.line(caption)))
        taken: dict[tuple[int, int], bool] = {}   # (row, column) covered by a rowspan from above
        for row, tr in enumerate(_rows(el), 1):
            column = 0
            for cell in tr:
                tag = _tag(cell)
                if tag not in ("td", "th") or _hidden(cell):
                    continue
                column += 1
                while taken.get((row, column)):
                    column += 1
                rows, columns = _span(cell.get("rowspan")), _span(cell.get("colspan"))
                for r in range(row, row + rows):
                    for c in range(column, column + columns):
                        taken[(r, c)] = True
                table.items.append(Block(BlockKind.CELL, self.cell_text(cell), self.line(cell), cell=Cell(
                    row, column, header=tag == "th", align=_align(cell), rows=rows, columns=columns)))
                column += columns - 1
        return table

    def cell_text(self, el: etree._Element) -> str:
        run = InlineBuilder()
        self.enter(el)
        self.inline_children(el, run)
        self.depth -= 1
        return run.markup()

    # -- lists: nested lists are flattened, items keep their depth in level --
    def list_items(self, el: etree._Element, items: list[Block], depth: int) -> None:
        start = len(items)
        self._list_items(el, items, depth)
        for item in items[start:]:  # a sub-list may be numbered in a bulleted list, or the reverse
            if item.level == depth:
                item.ordered = _tag(el) == "ol"

    def _list_items(self, el: etree._Element, items: list[Block], depth: int) -> None:
        loose = InlineBuilder()
        loose_line = self.line(el)
        loose.text(el.text)
        for child in el:
            tag = _tag(child)
            if tag == "li" and not _hidden(child):
                self.item(loose, loose_line, items, depth)
                self.li(child, items, depth)
                loose_line = self.tail_line(child)
            elif tag in DROP or (tag and _hidden(child)):
                pass
            else:  # stray content in a list: an item of its own
                self.inline(child, loose)
            loose.text(child.tail)
        self.item(loose, loose_line, items, depth)

    def item(self, run: InlineBuilder, line: int, items: list[Block], depth: int) -> None:
        text = run.markup()
        if text:
            items.append(Block(BlockKind.ITEM, text, line, level=depth))

    def li(self, el: etree._Element, items: list[Block], depth: int) -> None:
        """One ``<li>``: its text up to a nested list is an item, then the nested
        items follow, and text after the nested list is a further item."""
        run, line = InlineBuilder(), self.line(el)

        def walk(node: etree._Element) -> None:
            nonlocal line
            self.enter(node)
            run.text(node.text)
            for child in node:
                tag = _tag(child)
                if tag in DROP or (tag and _hidden(child)):
                    pass
                elif tag in LISTS:
                    self.item(run, line, items, depth)
                    self.list_items(child, items, depth + 1)
                    line = self.tail_line(child)
                elif tag in BLOCKS:
                    run.text(" ")
                    walk(child)
                    run.text(" ")
                else:
                    self.inline(child, run)
                run.text(child.tail)
            self.depth -= 1

        walk(el)
        self.item(run, line, items, depth)

    # -- inline content ------------------------------------------------------
    def inline(self, el: etree._Element, run: InlineBuilder) -> None:
        tag = _tag(el)
        if not tag or tag in DROP or _hidden(el):
            return
        self.enter(el)
        self._inline(el, tag, run)
        self.depth -= 1

    def _inline(self, el: etree._Element, tag: str, run: InlineBuilder) -> None:
        if tag == "br":
            run.line_break()
        elif tag == "img":
            run.text(f" {el.get('alt') or ''} ")  # an image stands apart from the words around it
        elif tag in INLINE and (tag != "a" or el.get("href")):
            ours = INLINE[tag]
            run.open(ours, {"href": el.get("href", ""), "title": el.get("title", "")} if ours == "a" else None)
            self.inline_children(el, run)
            run.close(ours)
        else:
            if tag in BLOCKS:  # a block inside a heading or item: keep words apart
                run.text(" ")
            self.inline_children(el, run)
            if tag in BLOCKS:
                run.text(" ")

    def inline_children(self, el: etree._Element, run: InlineBuilder) -> None:
        run.text(el.text)
        for child in el:
            self.inline(child, run)
            run.text(child.tail)


#: Inside a cell, these make a table a layout grid rather than data: its
#: cells are read as containers of paragraphs, lists and headings instead.
_LAYOUT = frozenset({"p", "div", "ul", "ol", "table", "blockquote", "section", "article"}) | HEADINGS.keys()
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right|start|end)", re.IGNORECASE)


def _is_data_table(el: etree._Element) -> bool:
    """A table of data (cells of text), not a page laid out in a grid."""
    if (el.get("role") or "").lower() in ("presentation", "none"):
        return False
    return not any(_tag(d) in _LAYOUT for cell in el.iter("td", "th") for d in cell.iterdescendants())


def _rows(table: etree._Element):
    """The table's own rows in order (``thead``/``tbody``/``tfoot`` or direct)."""
    for child in table:
        tag = _tag(child)
        if tag == "tr" and not _hidden(child):
            yield child
        elif tag in ("thead", "tbody", "tfoot") and not _hidden(child):
            yield from (tr for tr in child if _tag(tr) == "tr" and not _hidden(tr))


def _span(value) -> int:
    try:
        return min(max(int(value), 1), 100) if value else 1
    except ValueError:
        return 1


def _align(cell: etree._Element) -> str:
    found = (cell.get("align") or "").lower() or next(iter(_TEXT_ALIGN.findall(cell.get("style") or "")), "")
    return {"start": "left", "end": "right"}.get(found.lower(), found.lower()) \
        if found.lower() in ("left", "center", "right", "start", "end") else ""


def _text_before(node: etree._Element, stop: etree._Element) -> list[str]:
    """The text inside ``node`` that comes before the element ``stop``."""
    parts = [node.text or ""]
    for child in node:
        if child is stop:
            break
        if any(el is stop for el in child.iterdescendants()):
            parts += _text_before(child, stop)
            break
        if _tag(child) not in DROP:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return parts


def _breadcrumb(doc: etree._Element) -> list[Meta]:
    """The first breadcrumb as metadata; the element is removed from the tree."""
    found = doc.xpath(_BREADCRUMB_XPATH)
    if not found:
        return []
    crumb = found[0]
    meta: list[Meta] = []
    steps = [li for li in crumb.iter("li")]
    if steps:
        label = normalise(" ".join(_text_before(crumb, steps[0]))).rstrip(":").strip()
        if label:
            meta.append(Meta("breadcrumb_label", plain(label), crumb.sourceline or 1))
        for li in steps:
            text = _CRUMB_ENDS.sub("", normalise(li.text_content()))
            if text:
                meta.append(Meta("breadcrumb", plain(text), li.sourceline or 1))
    else:
        text = normalise(crumb.text_content())
        match = _LABEL_RE.match(text)
        if match:
            meta.append(Meta("breadcrumb_label", plain(match.group("label")), crumb.sourceline or 1))
            text = match.group("rest")
        for step in _CRUMB_SEPARATORS.split(text):
            if step.strip():
                meta.append(Meta("breadcrumb", plain(step), crumb.sourceline or 1))
    crumb.drop_tree()
    return meta


def _head_meta(doc: etree._Element) -> list[Meta]:
    meta = []
    for el in doc.iter("meta"):
        name = (el.get("name") or el.get("property") or "").lower()
        content = normalise(el.get("content") or "")
        if name in META_NAMES and content:
            meta.append(Meta(META_NAMES[name], content, el.sourceline or 1, translatable=False))
    lang = doc.get("lang")
    if lang:
        meta.append(Meta("language", lang.strip(), doc.sourceline or 1, translatable=False))
    return meta


def _content_root(doc: etree._Element) -> tuple[etree._Element, bool]:
    """``<main>``, else ``<article>``, else ``<body>`` (whose chrome is dropped)."""
    for tag in ("main", "article"):
        found = doc.find(f".//{tag}")
        if found is not None:
            return found, False
    body = doc.find("body")
    return (body if body is not None else doc), True


def parse_document(text: str, path: str) -> etree._Element:
    """Parse a whole page; an empty or unparsable file is a :class:`SourceError`."""
    if not text.strip():
        raise SourceError("the article is empty", path)
    try:
        return lxml_html.document_fromstring(text.encode("utf-8"), parser=_parser())
    except etree.ParserError:  # lxml: "Document is empty" (e.g. only a comment)
        raise SourceError("no title or text found", path) from None
    except ValueError as exc:
        raise SourceError(f"cannot read HTML: {exc}", path) from None


def read(text: str, path: str, slug: str) -> Article:
    """Parse an HTML page into an :class:`Article`."""
    doc = parse_document(text, path)
    article = Article(slug=slug, path=path, format="html")
    article.meta.extend(_breadcrumb(doc))
    article.meta.extend(_head_meta(doc))
    root, in_body = _content_root(doc)
    h1 = next(root.iter("h1"), None)
    title_el = doc.find(".//title")
    page_title = normalise(title_el.text_content()) if title_el is not None else ""
    if h1 is not None and not _hidden(h1):
        run = InlineBuilder()
        walker = _Walker(path)
        walker.inline_children(h1, run)
        article.title, article.title_line = run.markup(), h1.sourceline or 1
        if page_title:
            article.meta.append(Meta("page_title", page_title, title_el.sourceline or 1, translatable=False))
        h1.drop_tree()  # keeps the text after it
    elif page_title:
        article.title, article.title_line = plain(page_title), title_el.sourceline or 1
    walker = _Walker(path, drop_chrome=in_body)
    walker.container(root)
    article.blocks = walker.blocks
    mark_roles(article)
    return require_content(article)


def read_fragment(markup: str, first_line: int, path: str) -> list[Block]:
    """Blocks of a piece of HTML that starts on line ``first_line`` of its file."""
    if not markup.strip():
        return []
    try:
        doc = lxml_html.document_fromstring(f"<html><body>{markup}</body></html>".encode("utf-8"),
                                            parser=_parser())
    except (etree.ParserError, ValueError):
        return []
    body = doc.find("body")
    if body is None:
        return []
    walker = _Walker(path, line_offset=first_line - 1)
    walker.container(body)
    return walker.blocks

