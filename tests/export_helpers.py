"""Helpers for the merge/export tests: PO files written with polib from real segments."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import polib

from toolkit.project.config import Config, load_config
from toolkit.model import Article, Segment
from toolkit.readers.sources import iter_articles
from toolkit.segment import segment_article

Translate = Callable[[Segment], Optional[str]]


def make_po(article: Article, config: Config, translate: Translate, lang: str,
            fuzzy: Callable[[Segment], bool] = lambda s: False) -> polib.POFile:
    """A PO file for ``article``: msgstr from ``translate`` (None: left empty)."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang,
                   "MIME-Version": "1.0", "Content-Transfer-Encoding": "8bit"}
    seen = set()
    for segment in segment_article(article, config.segmentation):
        if segment.key in seen:
            continue
        seen.add(segment.key)
        entry = polib.POEntry(msgid=segment.text, msgctxt=segment.context,
                              msgstr=translate(segment) or "", comment=segment.comment)
        if fuzzy(segment):
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


def write_po(root: Path, lang: str, translate: Translate, slug: Optional[str] = None,
             fuzzy: Callable[[Segment], bool] = lambda s: False) -> list[Path]:
    """Write ``po/<lang>/<slug>.po`` for every article of the project (or one)."""
    config = load_config(root)
    written = []
    for article in iter_articles(config, [slug] if slug else None):
        path = config.po_file(lang, article.slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        make_po(article, config, translate, lang, fuzzy).save(str(path))
        written.append(path)
    return written


def identity(segment: Segment) -> str:
    return segment.text


def prefixed(prefix: str) -> Translate:
    return lambda segment: f"{prefix} {segment.text}"
