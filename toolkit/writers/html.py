"""HTML writer: one standalone HTML5 page per article and language, and the index.

Pages are rendered by Jinja2 templates (``article.html``, ``index.html`` and
the inline ``style.css`` in :mod:`toolkit.templates`) with autoescape on; a
folder named by ``[export] templates`` in ``tmkit.toml`` overrides any of them
by file name.  Translations are untrusted text: inline markup is rebuilt from
:func:`toolkit.inline.parse` nodes into a fixed set of elements, everything
else is escaped, and links keep their ``href`` only for http, https and mailto.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

from toolkit import inline
from toolkit.errors import ConfigError
from toolkit.languages import Language
from toolkit.model import BlockKind, TranslatedArticle, TranslatedBlock, TranslatedSegment
from toolkit.writers import TEMPLATE_DIR, PageContext
from toolkit.writers.text import block_text

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


def inline_html(markup: str) -> Markup:
    """Inline markup as safe HTML: only our tags, every text escaped."""
    if "<" not in markup and "&" not in markup:  # plain text: nothing to parse
        return escape(markup)
    try:
        nodes = inline.parse(markup)
    except inline.InlineError:
        return escape(inline.plain_text(markup))
    return Markup("".join(_nodes(nodes)))


def _nodes(nodes: list[inline.Node]) -> Iterable[str]:
    for node in nodes:
        if isinstance(node, str):
            yield str(escape(node))
            continue
        if node.tag not in ALLOWED_TAGS:  # pragma: no cover - parse only yields these
            yield from _nodes(node.children)
            continue
        attrs = ""
        if node.tag == "a":
            href = safe_href(node.attrs.get("href", ""))
            if href:
                attrs += f' href="{escape(href)}"'
            if node.attrs.get("title"):
                attrs += f' title="{escape(node.attrs["title"])}"'
        yield f"<{node.tag}{attrs}>"
        yield from _nodes(node.children)
        yield f"</{node.tag}>"


def segment_html(segment: TranslatedSegment, page_lang: str, rtl: bool) -> Markup:
    """One segment; a fallback is wrapped with its own language (and direction)."""
    return Markup(_segment(segment, page_lang, rtl))


def _segment(segment: TranslatedSegment, page_lang: str, rtl: bool) -> str:
    body = str(inline_html(segment.text))
    if segment.lang == page_lang and not segment.is_fallback:
        return body
    direction = ' dir="ltr"' if rtl else ""
    return (f'<span lang="{escape(segment.lang)}"{direction} class="fallback" '
            f'data-status="{escape(segment.status.value)}">{body}</span>')


def block_html(block: Optional[TranslatedBlock], page_lang: str, rtl: bool) -> Markup:
    """A block's segments joined as the language joins sentences."""
    if block is None:
        return Markup("")
    return Markup("".join(sep + _segment(seg, page_lang, rtl) for sep, seg in block.pieces()))


def page_href(tag: str, slug: str, extension: str = ".html") -> str:
    """Link from one language folder to ``slug`` in language ``tag``."""
    return f"../{quote(tag)}/{quote(slug)}{extension}"


def _language(lang: Language, current: str, slug: str) -> dict:
    return {"tag": lang.tag, "name": lang.native_name, "dir": lang.dir,
            "href": page_href(lang.tag, slug), "current": lang.tag == current}


def _nest(items: list[TranslatedBlock], lang: str, rtl: bool) -> list[dict]:
    """List items (flat, each with its nesting depth in ``level``) as a tree:
    an item deeper than the one before it goes into that item's sub-list."""
    root: list[dict] = []
    stack: list[tuple[int, list[dict]]] = [(-1, root)]
    for item in items:
        node = {"id": item.id, "html": block_html(item, lang, rtl), "children": []}
        while len(stack) > 1 and stack[-1][0] >= item.level:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((item.level, node["children"]))
    return root


def _body(article: TranslatedArticle, rtl: bool) -> list[dict]:
    """Blocks grouped by role (a run of footer or disclaimer blocks shares one box)."""
    groups: list[dict] = []
    for block in article.blocks:
        item = {"id": block.id, "kind": block.kind.value, "role": block.role,
                "level": min(max(block.level or 2, 2), 6), "ordered": block.ordered,
                "html": block_html(block, article.lang, rtl),
                "items": _nest(block.items, article.lang, rtl)}
        if block.kind is BlockKind.ITEM:
            item["kind"], item["items"] = "list", _nest([block], article.lang, rtl)
        if not groups or groups[-1]["role"] != block.role:
            groups.append({"role": block.role, "blocks": []})
        groups[-1]["blocks"].append(item)
    return groups


def render(article: TranslatedArticle, page: PageContext) -> bytes:
    """The article's standalone HTML page."""
    env = page.templates or environment()
    rtl = page.language.rtl
    lang = article.lang

    def metas(key: str) -> list[Markup]:
        return [block_html(TranslatedBlock(m.segment.id, BlockKind.PARAGRAPH, [m.segment]), lang, rtl)
                if m.segment else escape(m.value) for m in article.meta_segments(key)]

    languages = [_language(alt, lang, article.slug) for alt in page.alternates]
    context = {
        "lang": lang, "dir": page.language.dir, "slug": article.slug,
        "csp": CSP, "generator": page.generator,
        "title": block_html(article.title, lang, rtl),
        "title_text": block_text(article.title),
        "breadcrumb_label": (metas("breadcrumb_label") or [""])[0],
        "breadcrumb": metas("breadcrumb"), "section": metas("section"),
        "byline": metas("byline"), "aliases": metas("alias"),
        "languages": languages if len(languages) > 1 else [],
        "alternates": [x for x in languages],
        "x_default": page_href(page.source_language, article.slug)
        if any(a.tag == page.source_language for a in page.alternates) else None,
        "groups": _body(article, rtl),
        "fallbacks": sum(s.is_fallback for b in article.walk() for s in b.segments),
    }
    return render_template(env, "article.html", context)


def render_index(entries: list[dict], languages: list[Language], env: Optional[jinja2.Environment] = None,
                 title: str = "", generator: str = "tmkit") -> bytes:
    """``exports/index.html``: every article and language, with completeness.

    ``entries`` are dicts with ``slug``, ``title`` and ``langs`` (tag ->
    ``{"published": bool, "percent": float, "forced": bool}``).
    """
    env = env or environment()
    rows = []
    for entry in entries:
        cells = []
        for lang in languages:
            info = entry["langs"].get(lang.tag)
            cells.append({"tag": lang.tag, "info": info,
                          "href": f"{quote(lang.tag)}/{quote(entry['slug'])}.html"})
        rows.append({"slug": entry["slug"], "title": entry["title"], "cells": cells})
    columns = [{"tag": l.tag, "name": l.native_name, "english": l.english_name, "dir": l.dir}
               for l in languages]
    return render_template(env, "index.html", {"title": title, "rows": rows, "columns": columns,
                                                "csp": CSP, "generator": generator})
