"""One article in one language as a review sees it: source, catalog, sign-off state.

Shared by the review page and ``review approve`` so that both look at exactly
the same segments (:func:`toolkit.segment.segments_by_unit`, reading order)
and the same fingerprint (:func:`toolkit.publish.signoff.review_state`) as the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from toolkit.catalog.pofile import read_checked
from toolkit.catalog.poread import CheckedEntry
from toolkit.project.config import Config
from toolkit.errors import CatalogError
from toolkit.catalog.translated import catalog_index
from toolkit.publish.signoff import ReviewState, review_state, signoff_file
from toolkit.model import Article, Segment
from toolkit.project.layout import relative
from toolkit.readers.sources import article_paths
from toolkit.readers import read_article
from toolkit.segment import Unit, segments_by_unit


@dataclass
class ReviewedCatalog:
    """An article, its PO file in one language, and where its sign-off stands."""

    lang: str
    article: Article
    units: list[tuple[Unit, list[Segment]]]
    po: list[CheckedEntry]            # its entries, header left out (:func:`read_checked`)
    po_path: Path
    po_shown: str                     # "po/es/<slug>.po"
    review: ReviewState

    @property
    def index(self) -> dict[tuple[Optional[str], str], CheckedEntry]:
        return catalog_index(self.po)


def reviewed_catalog(config: Config, lang: str, slug: str, path: Optional[Path] = None) -> ReviewedCatalog:
    """Read ``source/<slug>.*`` and ``po/<lang>/<slug>.po`` (which must exist).

    ``path`` is the article's source file when the caller has listed the
    source folder already (:func:`article_paths`): listing it once per
    article made a review of N articles cost N listings of N files.
    """
    lang = config.target_language(lang)
    if path is None:
        (path,) = article_paths(config, [slug])
    article = read_article(path, relative(config, path), config.sources)
    units = segments_by_unit(article, config.segmentation)
    po_path = config.po_file(lang, slug)
    shown = relative(config, po_path)
    if not po_path.is_file():
        raise CatalogError("no PO file for this article-language; run 'tmkit update' first", shown)
    po = read_checked(po_path, shown)
    return ReviewedCatalog(lang, article, units, po, po_path, shown,
                           review_state(config, lang, slug, units, catalog_index(po)))


def signed_off_segments(config: Config, lang: str, slug: str) -> set[str]:
    """Segment ids of ``slug`` in ``lang`` that a recorded sign-off covers as they are now.

    What ``tmkit xliff export`` marks ``state="signed-off"`` (the XLIFF code
    sits below publishing and is handed this function).  Cheap without a
    sign-off file: nothing is read.
    """
    path, _ = signoff_file(config, lang, slug)
    if not path.is_file():
        return set()
    return reviewed_catalog(config, lang, slug).review.covered_segments()


def sources_with_catalogs(config: Config, lang: str, slugs: Optional[Sequence[str]] = None) -> list[Path]:
    """Source files of the articles (``slugs``, default all) that have a PO file in ``lang``.

    The language folder is resolved once (:meth:`Config.po_file` checks it
    stays inside ``po/``); the slugs come from the source listing.
    """
    lang = config.target_language(lang)
    folder = config.po_file(lang, "-").parent
    return [p for p in article_paths(config, list(slugs) if slugs else None)
            if (folder / f"{p.stem}.po").is_file()]

