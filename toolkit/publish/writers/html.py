"""HTML writer: one standalone HTML5 page per article and language, and the index.

Pages are rendered by Jinja2 templates (``article.html``, ``index.html`` and
the inline ``style.css`` in :mod:`toolkit.templates`) with autoescape on; a
folder named by ``[export] templates`` in ``tmkit.toml`` overrides any of them
by file name.  Translations are untrusted text: inline markup is rebuilt from
:func:`toolkit.text.inline.parse` nodes into a fixed set of elements, everything
else is escaped, and links keep their ``href`` only for http, https and mailto.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Iterable, Optional
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from toolkit.text import inline
from toolkit.errors import ConfigError
from toolkit.text.languages import PSEUDO_LANGUAGES, Language
from toolkit.model import BlockKind, TranslatedArticle, TranslatedBlock, TranslatedSegment
from toolkit.publish.trust import json_ld, medical_web_page, trust_lines, words
from toolkit.publish.writers import TEMPLATE_DIR, PageContext, site_address
from toolkit.publish.writers.text import block_text

SAFE_SCHEMES = ("http", "https", "mailto")
ALLOWED_TAGS = frozenset(inline.TAGS)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"


def environment(override: Optional[Path] = None) -> jinja2.Environment:
    """A Jinja2 environment: the user's template folder first, then ours."""
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATE_DIR)))
    # auto_reload off: a template is read once per environment (one build),
    # instead of a stat per page and include to see whether it changed.
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                             undefined=jinja2.StrictUndefined)
    return env


def render_template(env: jinja2.Environment, name: str, context: dict) -> bytes:
    """Render one template; a broken (user) template is a one-line error with its file and line."""
    try:
        return env.get_template(name).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"template error in {name}: {exc.message or exc}", _template_file(env, name),
                          _template_line(exc)) from None


def _template_file(env: jinja2.Environment, name: str) -> str:
    try:
        return env.get_template(name).filename or name
    except jinja2.TemplateError:
        return name


def _template_line(exc: BaseException) -> Optional[int]:
    """The template line of a runtime error, from Jinja2's rewritten traceback."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".css")):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def safe_href(href: str) -> Optional[str]:
    """``href`` if its scheme is http, https or mailto, else ``None`` (dropped)."""
    try:
        scheme = urlsplit(href.strip()).scheme.lower()
    except ValueError:
        return None
    return href.strip() if scheme in SAFE_SCHEMES else None


class Fields(SimpleNamespace):
    """The values a template reads of one block, cell or language.

    An object, not a dict: Jinja2 looks ``block.kind`` up with ``getattr``
    first and falls back to ``block["kind"]`` only after catching the
    ``AttributeError``, which on dicts (raised for every field of every
    block of every page) cost a tenth of a full build.  ``block["items"]``
    works too, for templates written against dicts.
    """

    def __getitem__(self, key: str):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __setitem__(self, key: str, value) -> None:
        setattr(self, key, value)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


class Notes:
    """Footnote links of one page: each reference ``<fn ref="n"/>`` links to
    note n, and note n links back to every place that refers to it.

    ``block`` is the id of the article's footnotes block (``b9``): notes are
    ``b9.fn1``..., references ``b9.ref1``, ``b9.ref1-2`` for a second one.
    Without a block (a segment shown on its own, as on the review page) a
    reference is only its number.
    """

    def __init__(self, block: Optional[str] = None) -> None:
        self.block = block
        self.backlinks: dict[int, list[str]] = {}

    def reference(self, number: str) -> str:
        if not number.isdigit():
            return ""
        n = int(number)
        if self.block is None:
            return f'<sup class="fnref">{n}</sup>'
        seen = self.backlinks.setdefault(n, [])
        ref_id = f"{self.block}.ref{n}" + (f"-{len(seen) + 1}" if seen else "")
        seen.append(ref_id)
        return (f'<sup class="fnref"><a href="#{escape(self.note_id(n))}" id="{escape(ref_id)}" '
                f'role="doc-noteref">{n}</a></sup>')

    def note_id(self, n: int) -> str:
        return f"{self.block}.fn{n}"


def inline_html(markup: str, notes: Optional[Notes] = None) -> Markup:
    """Inline markup as safe HTML: only our tags, every text escaped."""
    if "<" not in markup and "&" not in markup:  # plain text: nothing to parse
        return escape(markup)
    try:
        nodes = inline.parse(markup)
    except inline.InlineError:
        return escape(inline.plain_text(markup))
    return Markup("".join(_nodes(nodes, notes or Notes())))


def _nodes(nodes: list[inline.Node], notes: Notes) -> Iterable[str]:
    for node in nodes:
        if isinstance(node, str):
            yield str(escape(node))
            continue
        if node.tag not in ALLOWED_TAGS:  # pragma: no cover - parse only yields these
            yield from _nodes(node.children, notes)
            continue
        if node.tag == "br":
            yield "<br>"
            continue
        if node.tag == "fn":
            yield notes.reference(node.attrs.get("ref", ""))
            continue
        attrs = ""
        if node.tag == "a":
            href = safe_href(node.attrs.get("href", ""))
            if href:
                attrs += f' href="{escape(href)}"'
            if node.attrs.get("title"):
                attrs += f' title="{escape(node.attrs["title"])}"'
        yield f"<{node.tag}{attrs}>"
        yield from _nodes(node.children, notes)
        yield f"</{node.tag}>"


def segment_html(segment: TranslatedSegment, page_lang: str, rtl: bool,
                 notes: Optional[Notes] = None) -> Markup:
    """One segment; a fallback is wrapped with its own language (and direction)."""
    return Markup(_segment(segment, page_lang, rtl, notes))


def _segment(segment: TranslatedSegment, page_lang: str, rtl: bool, notes: Optional[Notes] = None) -> str:
    body = str(inline_html(segment.text, notes))
    if not _foreign(segment, page_lang):
        return body
    direction = ' dir="ltr"' if rtl else ""
    return (f'<span lang="{escape(segment.lang)}"{direction} class="fallback" '
            f'data-status="{escape(segment.status.value)}">{body}</span>')


def _foreign(segment: TranslatedSegment, page_lang: str) -> bool:
    """Shown in another language than the page's (the English fallback)."""
    return segment.lang != page_lang or segment.is_fallback


def block_html(block: Optional[TranslatedBlock], page_lang: str, rtl: bool,
               notes: Optional[Notes] = None) -> Markup:
    """A block's segments joined as the language joins sentences.

    On a right-to-left page, consecutive fallback sentences of one block
    form one left-to-right isolate (:func:`_fallback_run`): each in a span of
    its own, the bidirectional algorithm would lay the sentences out from
    right to left, the second one first.
    """
    if block is None:
        return Markup("")
    if not rtl:
        return Markup("".join(sep + _segment(seg, page_lang, rtl, notes) for sep, seg in block.pieces()))
    out: list[str] = []
    run: list[tuple[str, TranslatedSegment]] = []
    for sep, seg in block.pieces():
        if run and not (_foreign(seg, page_lang) and seg.lang == run[0][1].lang):
            out.append(_fallback_run(run, page_lang, notes))
            run = []
        if _foreign(seg, page_lang):
            run.append((sep, seg))
        else:
            out.append(sep + _segment(seg, page_lang, rtl, notes))
    if run:
        out.append(_fallback_run(run, page_lang, notes))
    return Markup("".join(out))


def _fallback_run(run: list[tuple[str, TranslatedSegment]], page_lang: str, notes: Optional[Notes]) -> str:
    """Consecutive fallback sentences on a right-to-left page as ONE ``dir="ltr"`` span.

    The span carries the sentences' status when they share it; otherwise
    each sentence keeps its own in an inner ``<span data-status>``.
    """
    if len(run) == 1:
        return run[0][0] + _segment(run[0][1], page_lang, True, notes)
    statuses = {seg.status.value for _, seg in run}
    shared = len(statuses) == 1
    inner = "".join(
        (sep if number else "") + (str(inline_html(seg.text, notes)) if shared else
                                   f'<span data-status="{escape(seg.status.value)}">'
                                   f'{inline_html(seg.text, notes)}</span>')
        for number, (sep, seg) in enumerate(run))
    status = f' data-status="{escape(next(iter(statuses)))}"' if shared else ""
    return (f'{run[0][0]}<span lang="{escape(run[0][1].lang)}" dir="ltr" class="fallback"{status}>'
            f'{inner}</span>')


def page_href(tag: str, slug: str, extension: str = ".html") -> str:
    """Link from one language folder to ``slug`` in language ``tag``."""
    return f"../{quote(tag)}/{quote(slug)}{extension}"


def _language(lang: Language, current: str, slug: str) -> Fields:
    return Fields(tag=lang.tag, name=lang.native_name, dir=lang.dir,
                  href=page_href(lang.tag, slug), current=lang.tag == current)


def _nest(items: list[TranslatedBlock], lang: str, rtl: bool, notes: Notes) -> list[Fields]:
    """List items (flat, each with its nesting depth in ``level``) as a tree:
    an item deeper than the one before it goes into that item's sub-list."""
    root: list[Fields] = []
    stack: list[tuple[int, list[Fields]]] = [(-1, root)]
    for item in items:
        node = Fields(id=item.id, html=block_html(item, lang, rtl, notes), children=[],
                      ordered=item.ordered)
        while len(stack) > 1 and stack[-1][0] >= item.level:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((item.level, node["children"]))
    return root


#: Column alignment as the author set it -> CSS class; left and right become
#: start and end, so a right-aligned dose column stays on the trailing side of
#: a right-to-left page.
ALIGN_CLASS = {"left": "align-start", "center": "align-center", "right": "align-end"}


def _table(block: TranslatedBlock, lang: str, rtl: bool, notes: Notes) -> Fields:
    """A table's caption and rows; rows made only of header cells go in ``<thead>``."""
    caption = next((i for i in block.items if i.kind is BlockKind.CAPTION), None)
    rows: dict[int, list[Fields]] = {}
    for item in block.items:
        if item.cell is not None:
            rows.setdefault(item.cell.row, []).append(Fields(
                id=item.id, header=item.cell.header, scope="row" if item.cell.header else "",
                rowspan=item.cell.rows, colspan=item.cell.columns,
                align=ALIGN_CLASS.get(item.cell.align, ""), html=block_html(item, lang, rtl, notes)))
    ordered = [rows[r] for r in sorted(rows)]
    head = 0
    while head < len(ordered) and all(c["header"] for c in ordered[head]):
        for cell in ordered[head]:   # a row of header cells heads the columns; a header cell elsewhere its row
            cell["scope"] = "col"
        head += 1
    return Fields(caption=block_html(caption, lang, rtl, notes) if caption else None,
                  head=ordered[:head], body=ordered[head:])


def _body(article: TranslatedArticle, rtl: bool, notes: Notes) -> list[Fields]:
    """Blocks grouped by role (a run of footer or disclaimer blocks shares one box)."""
    groups: list[Fields] = []
    lang = article.lang
    for block in article.blocks:
        item = Fields(id=block.id, kind=block.kind.value, role=block.role,
                      level=min(max(block.level or 2, 2), 6), ordered=block.ordered,
                      html=block_html(block, lang, rtl, notes), items=[])
        if block.kind is BlockKind.LIST:
            item["items"] = _nest(block.items, lang, rtl, notes)
        elif block.kind is BlockKind.ITEM:
            item["kind"], item["items"] = "list", _nest([block], lang, rtl, notes)
        elif block.kind is BlockKind.TABLE:
            item["table"] = _table(block, lang, rtl, notes)
        elif block.kind in (BlockKind.DEFINITIONS, BlockKind.FOOTNOTES):
            item["items"] = [Fields(id=i.id, kind=i.kind.value, number=n,
                                    html=block_html(i, lang, rtl, notes)) for n, i in enumerate(block.items, 1)]
        if not groups or groups[-1]["role"] != block.role:
            groups.append(Fields(role=block.role, blocks=[]))
        groups[-1]["blocks"].append(item)
    return groups


def body_html(groups: list[Fields]) -> Markup:
    """The article's blocks as the built-in template shows them (``{{ body }}``).

    Written here rather than as a loop in ``article.html``: Jinja2 escapes
    and wraps every ``{{ }}`` of every block of every page, which made the
    template loop a third of the HTML writer's time.  A template that lays
    the blocks out itself iterates ``groups`` (the same data) instead.
    """
    out: list[str] = []
    for group in groups:
        if group.role == "quote":
            out.append("<blockquote>")
        elif group.role:
            out.append(f'<div class="{escape(group.role)}">')
        for block in group.blocks:
            _block_html(out, block)
        if group.role == "quote":
            out.append("</blockquote>")
        elif group.role:
            out.append("</div>")
    return Markup("".join(out))


def _block_html(out: list[str], block: Fields) -> None:
    kind, ident = block.kind, escape(block.id)
    if kind == "heading":
        out.append(f'<h{block.level} id="{ident}">{block.html}</h{block.level}>\n')
    elif kind == "list":
        tag = "ol" if block.ordered else "ul"
        out.append(f'<{tag} id="{ident}">\n')
        _list_items(out, block["items"])
        out.append(f"</{tag}>\n")
    elif kind == "table":
        table = block.table
        out.append(f'<table id="{ident}">\n')
        if table.caption:
            out.append(f"<caption>{table.caption}</caption>\n")
        for section, rows in (("thead", table.head), ("tbody", table.body)):
            if rows:
                out.append(f"<{section}>\n")
                for row in rows:
                    out.append("<tr>" + "".join(_cell_html(cell) for cell in row) + "</tr>\n")
                out.append(f"</{section}>\n")
        out.append("</table>\n")
    elif kind == "definitions":
        out.append(f'<dl id="{ident}">\n')
        for item in block["items"]:
            tag = "dt" if item.kind == "term" else "dd"
            out.append(f'<{tag} id="{escape(item.id)}">{item.html}</{tag}>\n')
        out.append("</dl>\n")
    elif kind == "footnotes":
        out.append(f'<section class="footnotes" id="{ident}" role="doc-endnotes">\n<hr>\n<ol>\n')
        for note in block["items"]:
            backs = "".join(f' <a href="#{escape(back)}" class="backlink" role="doc-backlink">↩&#xFE0E;</a>'
                            for back in note.backlinks)
            out.append(f'<li id="{escape(note.id)}">{note.html}{backs}</li>\n')
        out.append("</ol>\n</section>\n")
    else:
        out.append(f'<p id="{ident}">{block.html}</p>\n')


def _list_items(out: list[str], items: list[Fields]) -> None:
    """``<li>`` per item, a nested ``<ul>``/``<ol>`` for its children."""
    for item in items:
        out.append(f'<li id="{escape(item.id)}">{item.html}')
        if item.children:
            sub = "ol" if item.children[0].ordered else "ul"
            out.append(f"<{sub}>\n")
            _list_items(out, item.children)
            out.append(f"</{sub}>")
        out.append("</li>\n")


def _cell_html(cell: Fields) -> str:
    tag = "th" if cell.header else "td"
    attrs = f' id="{escape(cell.id)}"'
    if cell.scope:
        attrs += f' scope="{escape(cell.scope)}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.align:
        attrs += f' class="{escape(cell.align)}"'
    return f"<{tag}{attrs}>{cell.html}</{tag}>"


def render(article: TranslatedArticle, page: PageContext) -> bytes:
    """The article's standalone HTML page."""
    return render_template(page.templates or environment(), "article.html", page_context(article, page))


def page_context(article: TranslatedArticle, page: PageContext) -> dict:
    """What ``article.html`` reads (the PDF handout renders the same template with it)."""
    rtl = page.language.rtl
    lang = article.lang
    notes = Notes(next((b.id for b in article.blocks if b.kind is BlockKind.FOOTNOTES), "notes"))

    def metas(key: str) -> list[Markup]:
        return [block_html(TranslatedBlock(m.segment.id, BlockKind.PARAGRAPH, [m.segment]), lang, rtl, notes)
                if m.segment else escape(m.value) for m in article.meta_segments(key)]

    title = block_html(article.title, lang, rtl, notes)
    groups = _body(article, rtl, notes)
    for group in groups:  # the notes' back-links, now that every reference is numbered
        for block in group["blocks"]:
            for note in block["items"] if block["kind"] == "footnotes" else ():
                note["backlinks"] = notes.backlinks.get(note["number"], [])

    languages = [_language(alt, lang, article.slug) for alt in page.alternates]
    site = page.site_url
    absolute = [Fields(tag=alt.tag, href=site_address(site, f"{alt.tag}/{article.slug}.html") if site
                       else _language(alt, lang, article.slug).href) for alt in page.alternates]
    source = page.source_language
    has_original = lang != source and any(a.tag == source for a in page.alternates)
    original = page_href(source, article.slug) if has_original else ""
    canonical = site_address(site, f"{lang}/{article.slug}.html") if site else ""
    title_text = block_text(article.title)
    trust = page.trust if lang != source else None
    data = medical_web_page(title_text, lang, trust, canonical,
                            site_address(site, f"{source}/{article.slug}.html") if site else original,
                            source)
    context = {
        "lang": lang, "dir": page.language.dir, "slug": article.slug,
        "csp": CSP, "generator": page.generator,
        "title": title,
        "title_text": title_text,
        "breadcrumb_label": (metas("breadcrumb_label") or [""])[0],
        "breadcrumb": metas("breadcrumb"), "section": metas("section"),
        "byline": metas("byline"), "aliases": metas("alias"),
        "languages": languages if len(languages) > 1 else [],
        "alternates": absolute,
        "x_default": next((a.href for a in absolute if a.tag == source), None),
        "canonical": canonical, "words": words(lang), "original": original,
        "trust": trust_lines(trust, lang) if trust is not None else [],
        "json_ld": json_ld(data),
        # pseudo-language pages are layout tests: not in the search index
        "searchable": lang not in PSEUDO_LANGUAGES,
        "groups": groups,
        "body": body_html(groups),
        "fallbacks": sum(s.is_fallback for b in article.walk() for s in b.segments),
    }
    return context
