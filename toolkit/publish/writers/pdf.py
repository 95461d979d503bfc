"""PDF writer: printable handouts, one per language and one bilingual (English beside it).

Clinicians hand patients printed sheets; a bilingual one lets the clinician
read the English while the patient reads their own language.  Both are laid
out by WeasyPrint from the HTML writer's own templates and markup:

* ``<slug>.pdf`` is ``article.html`` itself (the page a browser shows),
  printed with its ``@media print`` rules (``print.css``);
* ``<slug>.<source>-<lang>.pdf`` is ``handout-bilingual.html``: a two-column
  table with one row per block (title, paragraph, list, table...), the English
  cell and the translated cell each with its own ``lang`` and ``dir``.

Every page has a running header (title, language) and footer (the review
line and the page number): "Medically reviewed by <name> on <date>" when a
sign-off covers exactly this version (:class:`~toolkit.model.ReviewNote`),
"Not yet reviewed by a clinician" otherwise.  Fonts are chosen per script by
``:lang()`` rules naming the Noto faces (``style.css``, ``print.css``), found
through fontconfig and embedded as subsets.

Importing this module loads WeasyPrint, which loads Pango (a C library) with
``cffi``: where Pango is missing the import fails with ``OSError``, and the
build leaves these formats out and says what to install
(:func:`toolkit.publish.writers.available`).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Optional
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from markupsafe import Markup, escape

from toolkit.model import SegmentStatus, TranslatedArticle, TranslatedBlock, TranslatedSegment
from toolkit.publish.writers import PageContext
from toolkit.publish.writers.html import (CSP, Notes, _block_html, _body, block_html, environment,
                                          page_context, render_template)
from toolkit.publish.writers.text import block_text
from toolkit.text.languages import get_language

# WeasyPrint reports every CSS property it does not know (the screen rules'
# ``gap``, ``system-ui``...) as a warning; the handout is still right.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

NOT_REVIEWED = "Not yet reviewed by a clinician"


def review_line(article: TranslatedArticle) -> str:
    """The footer's statement of the clinical review (English wording, ISO date)."""
    if article.is_source:
        return "English original"
    if article.review is None:
        return NOT_REVIEWED
    return f"Medically reviewed by {article.review.reviewer} on {article.review.date}"


def _running(article: TranslatedArticle, title: str, language: str, lang: str, direction: str) -> Markup:
    """Header and footer as running elements (``position: running()`` in ``print.css``).

    Elements rather than ``content: "..."`` strings, so each keeps its
    ``lang`` and ``dir``: an Arabic title is shaped and laid out right to
    left in an Arabic font.  Every value is escaped (translations are
    untrusted text).
    """
    return Markup(
        f'<div class="handout-head"><span class="handout-title" lang="{escape(lang)}" dir="{escape(direction)}">'
        f'{escape(title)}</span> <span class="handout-language" lang="{escape(lang)}" '
        f'dir="{escape(direction)}">{escape(language)}</span></div>\n'
        f'<div class="handout-foot" lang="en" dir="ltr"><span class="handout-review">'
        f'{escape(review_line(article))}</span></div>\n')


_FONTS: Optional[FontConfiguration] = None


def _pdf(html: bytes) -> bytes:
    """Lay out one document (no base URL: nothing is fetched, not even a local file).

    One font configuration per process, shared by every handout: made anew
    for each document it cost a quarter of a handout's time (the handouts
    declare no ``@font-face``, so nothing of one document stays in it for
    the next; the bytes are the same either way).
    """
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    document = weasyprint.HTML(string=html.decode("utf-8"), base_url=None,
                               url_fetcher=_no_fetch)
    return document.write_pdf(font_config=_FONTS)


def _no_fetch(url: str, *args, **kwargs):
    """Handouts are self-contained: a translation naming an image or stylesheet fetches nothing."""
    raise ValueError(f"handouts fetch no resources ({url[:80]})")


def render(article: TranslatedArticle, page: PageContext) -> bytes:
    """The handout in the page's language: ``article.html`` printed."""
    env = page.templates or environment()
    context = page_context(article, page)
    context["handout"] = _running(article, context["title_text"], page.language.native_name,
                                  article.lang, page.language.dir)
    return _pdf(render_template(env, "article.html", context))


def english(article: TranslatedArticle) -> TranslatedArticle:
    """The English original in the translated article's shape (from each segment's source).

    Block ids get the source language as a prefix, so that the two columns
    of the bilingual handout never share an anchor.
    """
    source = article.source_lang

    def segment(seg: TranslatedSegment) -> TranslatedSegment:
        return TranslatedSegment(seg.id, seg.source, seg.source, source, SegmentStatus.TRANSLATED)

    def block(b: TranslatedBlock) -> TranslatedBlock:
        return replace(b, id=f"{source}-{b.id}", segments=[segment(s) for s in b.segments],
                       items=[block(i) for i in b.items])

    return replace(article, lang=source, title=block(article.title) if article.title else None,
                   blocks=[block(b) for b in article.blocks],
                   meta=[replace(m, segment=segment(m.segment), value=m.segment.source) if m.segment else m
                         for m in article.meta],
                   review=None, gate=None, rejected=[])


def _cells(article: TranslatedArticle, rtl: bool) -> list[Markup]:
    """Each top-level block of ``article`` as HTML, in order (one table row each)."""
    notes = Notes(next((b.id for b in article.blocks if b.kind.value == "footnotes"), None))
    out: list[Markup] = []
    for group in _body(article, rtl, notes):
        for block in group.blocks:
            for note in block["items"] if block.kind == "footnotes" else ():
                note["backlinks"] = []
            parts: list[str] = []
            _block_html(parts, block)
            html = "".join(parts)
            if group.role == "quote":
                html = f"<blockquote>{html}</blockquote>"
            elif group.role:
                html = f'<div class="{escape(group.role)}">{html}</div>'
            out.append(Markup(html))
    return out


def render_bilingual(article: TranslatedArticle, page: PageContext) -> bytes:
    """English and the translation side by side, one row per block."""
    env = page.templates or environment()
    source = english(article)
    source_language = get_language(article.source_lang)
    language = page.language
    rtl = language.rtl

    def side(art: TranslatedArticle, lang, right_to_left: bool) -> dict:
        notes = Notes()
        return {"lang": art.lang, "dir": lang.dir, "name": lang.native_name,
                "title": block_html(art.title, art.lang, right_to_left, notes),
                "cells": _cells(art, right_to_left)}

    left, right = side(source, source_language, source_language.rtl), side(article, language, rtl)
    rows = list(zip(left["cells"], right["cells"]))
    title = block_text(article.title) if article.title else article.slug
    context = {
        "lang": article.source_lang, "dir": source_language.dir, "csp": CSP, "generator": page.generator,
        "title_text": f"{block_text(source.title) if source.title else article.slug} / {title}",
        "left": left, "right": right, "rows": rows,
        "handout": _running(article, title, language.native_name, article.lang, language.dir),
    }
    return _pdf(render_template(env, "handout-bilingual.html", context))


__all__ = ["render", "render_bilingual", "english", "review_line", "NOT_REVIEWED"]
