"""From an :class:`~toolkit.model.Article` to its POT template.

One entry per distinct (msgctxt, English text) of the article: a sentence
that occurs twice is translated once, and its entry lists every place as a
``#:`` reference.  The extracted comment (``#.``) tells the translator where
the text sits and ends with ``id: <segment ids>`` so merge, the XML writer
and checks can find the segments of an entry without re-segmenting.
"""

from __future__ import annotations

import re
import time
from typing import Iterable, Optional

import polib

from toolkit import __version__
from toolkit.catalog.poread import make_entry
from toolkit.project.config import Config
from toolkit.text.languages import plural_forms_of
from toolkit.model import Article, Segment
from toolkit.project.nochange import code_fingerprint

ID_PREFIX = "id: "
DEFAULT_DATE = "YEAR-MO-DA HO:MI+ZONE"
_DATE_FIELD = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def now_stamp() -> str:
    """A PO header date: ``2026-11-25 12:40+0000``."""
    return time.strftime("%Y-%m-%d %H:%M%z", time.localtime())


def segment_ids(entry: polib.POEntry) -> list[str]:
    """The segment ids an entry stands for, read from its ``#. id:`` line."""
    ids: list[str] = []
    for line in (entry.comment or "").split("\n"):
        if line.startswith(ID_PREFIX):
            ids += line[len(ID_PREFIX):].split()
    return ids


def template_metadata(config: Config, creation_date: str) -> dict[str, str]:
    """Header fields of a POT; update fills the language-specific ones."""
    return {
        "Project-Id-Version": config.name,
        "Report-Msgid-Bugs-To": config.bugs_address,
        "POT-Creation-Date": creation_date,
        "PO-Revision-Date": DEFAULT_DATE,
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        # msgfmt -c refuses the INTEGER/EXPRESSION placeholders: a template
        # carries the source language's rule until update sets the target's.
        "Plural-Forms": plural_forms_of(config.source_language),
        "X-Generator": f"tmkit {__version__}",
    }


def template_comment(config: Config, article: Article) -> str:
    lines = [f"{article.title or article.slug} ({article.path})"]
    if config.copyright_holder:
        lines.append(f"Copyright (C) {config.copyright_holder}")
    lines.append(f"This file is distributed under the same license as the {config.name} package.")
    return "\n".join(lines)


def build_template(article: Article, segments: Iterable[Segment], config: Config,
                   creation_date: Optional[str] = None) -> polib.POFile:
    """The POT catalog of ``article`` (entries in order of first occurrence)."""
    pot = polib.POFile(wrapwidth=79)
    pot.header = template_comment(config, article)
    pot.metadata = template_metadata(config, creation_date or now_stamp())
    pot.metadata_is_fuzzy = True
    # Ordered dicts, not lists: a sentence repeated 40,000 times in one article
    # made the "already listed?" test quadratic (100 s for a 3 MB article).
    entries: dict[tuple[Optional[str], str], tuple[dict[str, None], list[str],
                                                   dict[tuple[str, str], None]]] = {}
    for segment in segments:
        comments, ids, refs = entries.setdefault(segment.key, ({}, [], {}))
        if segment.comment:
            comments[segment.comment] = None
        ids.append(segment.id)
        refs[(article.path, str(segment.line))] = None
    for (context, text), (comments, ids, refs) in entries.items():
        comment = "\n".join([*comments, ID_PREFIX + " ".join(ids)])
        list.append(pot, make_entry(msgid=text, msgctxt=context, comment=comment,
                                    occurrences=list(refs)))
    return pot


def creation_date_of(pot_text: str) -> Optional[str]:
    """The ``POT-Creation-Date`` of an existing template, read without parsing it."""
    found = _DATE_FIELD.search(pot_text)
    return found.group(1) if found else None


# -- the project ---------------------------------------------------------------

def settings_fingerprint(config: Config) -> str:
    """Settings and code that shape catalogs: when they change, nothing is skipped.

    The code counts because a better segmenter or reader changes the
    catalogs of unchanged articles; hashing tmkit's own sources (a few
    hundred kilobytes) costs about a millisecond.
    """
    return "|".join([__version__, config.segmentation, config.name, config.bugs_address,
                     config.copyright_holder, config.source_language, code_fingerprint()])

