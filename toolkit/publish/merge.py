"""Source article + PO file -> :class:`~toolkit.model.TranslatedArticle`.

Merge walks the same units and segments as extraction
(:func:`toolkit.segment.segments_by_unit`), so every PO entry finds its place
by ``(msgctxt, msgid)``.  What counts as translated is decided in one place,
:func:`toolkit.catalog.translated.entry_status`: a msgstr that is not fuzzy and whose inline
markup matches the source's.  Everything else falls back to the English text,
marked with the source language and its status so each writer can show it
(the HTML writer wraps it in ``<span lang="en" class="fallback">``).
Translations with mismatched markup are listed in ``rejected`` so the build
can warn about them; they are never published.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

import polib

from toolkit.checks.findings import Finding
from toolkit.project.config import Config
from toolkit.catalog.translated import catalog_index, entry_status, rejection
from toolkit.publish.gate import evaluate_gate
from toolkit.publish.signoff import review_state, signoff_file
from toolkit.model import (Article, Block, BlockKind, RejectedTranslation, ReviewNote, Segment,
                           SegmentStatus, TranslatedArticle, TranslatedBlock, TranslatedMeta,
                           TranslatedSegment, item_id)
from toolkit.segment import Unit, segments_by_unit

Translate = Callable[[Segment], TranslatedSegment]


Units = list[tuple[Unit, list[Segment]]]


def merge(article: Article, po: Optional[Iterable[polib.POEntry]], lang: str, config: Config,
          po_path: str = "", units: Optional[Units] = None,
          check_errors: Iterable[Finding] = ()) -> TranslatedArticle:
    """``article`` in ``lang``, translated from ``po`` (``None``: nothing translated).

    ``po_path`` names the PO file in warnings about rejected translations;
    ``units`` (from :func:`toolkit.segment.segments_by_unit`) may be passed in
    when one article is merged with several languages, to segment it once;
    ``check_errors`` are the catalog's error-level check findings, which the
    gate holds back (see :mod:`toolkit.publish.gate`).
    """
    index = catalog_index(po)
    source_lang = config.source_language
    rejected: list[RejectedTranslation] = []

    def translate(segment: Segment) -> TranslatedSegment:
        entry = index.get(segment.key)
        status = entry_status(entry, segment.text)
        if status is SegmentStatus.TRANSLATED:
            return TranslatedSegment(segment.id, segment.text, entry.msgstr, lang, status)
        if status is SegmentStatus.REJECTED:
            rejected.append(RejectedTranslation(segment.id, po_path, entry.linenum,
                                                rejection(segment.text, entry.msgstr)))
        return TranslatedSegment(segment.id, segment.text, segment.text, source_lang, status)

    if units is None:
        units = segments_by_unit(article, config.segmentation)
    result = _assemble(article, units, lang, source_lang, translate)
    result.rejected = rejected
    statuses = {s.id: s.status for block in result.walk() for s in block.segments}
    statuses.update({m.segment.id: m.segment.status for m in result.meta if m.segment})
    # The sign-off is looked up when the project requires one, or when one
    # exists (the page and the handout then name the reviewer,
    # toolkit.publish.trust): one stat per article-language otherwise.
    state = (review_state(config, lang, article.slug, units, index)
             if config.publish.require_review or signoff_file(config, lang, article.slug)[0].is_file()
             else None)
    if state is not None and state.approved:
        result.review = ReviewNote(state.signoff.reviewer, state.signoff.approved_at)
    review = state   # the gate counts it only with require_review (ReviewState.required)
    result.gate = evaluate_gate(config, units, statuses, review, check_errors)
    return result


def source_article(article: Article, config: Config, units: Optional[Units] = None) -> TranslatedArticle:
    """The English original in the same shape, for the source-language export."""
    lang = config.source_language

    def original(segment: Segment) -> TranslatedSegment:
        return TranslatedSegment(segment.id, segment.text, segment.text, lang,
                                 SegmentStatus.TRANSLATED)

    if units is None:
        units = segments_by_unit(article, config.segmentation)
    return _assemble(article, units, lang, lang, original)


def _assemble(article: Article, units: Units, lang: str,
              source_lang: str, translate: Translate) -> TranslatedArticle:
    """Rebuild the article's structure with each unit's segments translated."""
    by_unit = {unit.id: [translate(s) for s in segments] for unit, segments in units}
    result = TranslatedArticle(article.slug, lang, source_lang, article.format)
    if "title" in by_unit:
        result.title = TranslatedBlock("title", BlockKind.HEADING, by_unit["title"],
                                       article.title_line, level=1)
    counters: dict[str, int] = {}
    for meta in article.meta:
        if not meta.translatable:
            result.meta.append(TranslatedMeta(meta.key, meta.value))
            continue
        counters[meta.key] = counters.get(meta.key, 0) + 1
        segments = by_unit.get(f"m.{meta.key}.{counters[meta.key]}", [])
        if segments:
            result.meta.append(TranslatedMeta(meta.key, segments[0].text, segments[0]))
    for index, block in enumerate(article.blocks, 1):
        result.blocks.append(_block(f"b{index}", block, by_unit))
    return result


def _block(bid: str, block: Block, by_unit: dict[str, list[TranslatedSegment]]) -> TranslatedBlock:
    items = [_block(item_id(bid, item, n), item, by_unit) for n, item in enumerate(block.items, 1)]
    for item in items:
        item.role = item.role or block.role
    return TranslatedBlock(bid, block.kind, by_unit.get(bid, []), block.line, block.level,
                           block.ordered, items, block.role, block.cell)
