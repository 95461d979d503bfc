"""Renaming and retiring an article: its source, template, every PO file and every sign-off.

An article's work is spread over ``source/<slug>.*``, ``po/templates/<slug>.pot``,
``po/<lang>/<slug>.po`` and ``po/<lang>/<slug>.review.toml``; moving only the
source (as a file manager would) leaves the old catalogs behind, still
counted by ``tmkit check``, and the sign-offs lost.  This module moves or
removes them together.  It lives beside the review code because the
sign-off is the part that needs judgment: a sign-off's fingerprint names
the article (:func:`toolkit.publish.signoff.fingerprint`), so a rename
re-records it under the new name only when it still covered exactly the
current text; otherwise it is moved as it is and shows ``changed`` (to be
approved again).

Before anything moves, the translation memory is fed from the project's PO
files (what ``tmkit tm update`` does), so every translation of the article
stays in the TM under its old name, whatever happens to the files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.catalog.pofile import read_po
from toolkit.catalog.translated import catalog_index
from toolkit.errors import TmkitError
from toolkit.project.config import Config
from toolkit.project.layout import relative
from toolkit.publish.signoff import (SignOff, fingerprint, read_signoff, segment_hashes, signoff_file,
                                     write_signoff)
from toolkit.readers import read_article
from toolkit.readers.sources import article_paths
from toolkit.segment import segments_by_unit

#: A slug is a file name without its extension: letters, digits, ``-``, ``_``, ``.``.
_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class ArticleChange:
    """What a rename or removal did, file by file, for the command to report."""

    moved: list[tuple[str, str]] = field(default_factory=list)       # (from, to), project-relative
    removed: list[str] = field(default_factory=list)
    signoffs_kept: list[str] = field(default_factory=list)           # languages still approved
    signoffs_to_redo: list[str] = field(default_factory=list)        # languages to approve again
    tm_units: int = 0                                                # units the TM took first


def _check_slug(slug: str) -> None:
    if not _SLUG_RE.match(slug) or slug.endswith((".po", ".pot")):
        raise TmkitError(f"'{slug}' is not a usable article name: use letters, digits, '-', '_' "
                         "and '.', starting with a letter or digit")


def _feed_tm(config: Config) -> int:
    """Every translation into the TM first, so none depends on the files about to move."""
    from toolkit.tm.project import update_tm

    return sum(result.added for result in update_tm(config).values())


def rename_article(config: Config, old: str, new: str) -> ArticleChange:
    """Rename article ``old`` to ``new``: source, template, PO files and sign-offs.

    Refused (nothing changed) when ``new`` is taken by a source, template or
    PO file.  The caller runs ``extract`` and ``update`` for ``new`` after it,
    so references and headers name the new file.
    """
    _check_slug(new)
    (source,) = article_paths(config, [old])
    if old == new:
        raise TmkitError(f"the article is already called '{new}'")
    taken = [p for p in [*config.source_path.glob(f"{new}.*"), config.pot_file(new),
                         *(config.po_file(lang, new) for lang in config.languages),
                         *(signoff_file(config, lang, new)[0] for lang in config.languages)]
             if p.exists()]
    if taken:
        raise TmkitError(f"cannot rename to '{new}': {relative(config, taken[0])} exists")
    change = ArticleChange(tm_units=_feed_tm(config))
    units = segments_by_unit(read_article(source, relative(config, source)), config.segmentation)
    moves: list[tuple[Path, Path]] = [(source, source.with_name(new + source.suffix))]
    if config.pot_file(old).exists():
        moves.append((config.pot_file(old), config.pot_file(new)))
    signoffs: list[tuple[Path, Path, SignOff]] = []
    for lang in config.languages:
        po_path = config.po_file(lang, old)
        if po_path.exists():
            moves.append((po_path, config.po_file(lang, new)))
        path, shown = signoff_file(config, lang, old)
        signoff = read_signoff(path, shown, lang, old)
        if signoff is None:
            continue
        hashes = segment_hashes(units, catalog_index(read_po(po_path, relative(config, po_path))
                                                     if po_path.exists() else None))
        still = signoff.fingerprint == fingerprint(lang, old, hashes)
        moved = replace(signoff, article=new,
                        fingerprint=fingerprint(lang, new, hashes) if still else signoff.fingerprint)
        (change.signoffs_kept if still else change.signoffs_to_redo).append(lang)
        signoffs.append((path, signoff_file(config, lang, new)[0], moved))
    # new files first, old ones last: an interrupted rename leaves both, never neither
    for old_path, new_path, signoff in signoffs:
        write_signoff(new_path, signoff)
        change.moved.append((relative(config, old_path), relative(config, new_path)))
    for old_path, new_path in moves:
        os.replace(old_path, new_path)
        change.moved.append((relative(config, old_path), relative(config, new_path)))
    for old_path, _new, _signoff in signoffs:
        old_path.unlink()
    return change


def remove_article(config: Config, slug: str) -> ArticleChange:
    """Retire article ``slug``: its source, template, PO files and sign-offs are deleted.

    The TM keeps every translation (fed first); git keeps the files.  The
    next ``tmkit build`` removes the article's exported pages.
    """
    (source,) = article_paths(config, [slug])
    change = ArticleChange(tm_units=_feed_tm(config))
    files = [source, config.pot_file(slug)]
    for lang in config.languages:
        files += [config.po_file(lang, slug), signoff_file(config, lang, slug)[0]]
    for path in files:
        if path.exists():
            path.unlink()
            change.removed.append(relative(config, path))
    return change
