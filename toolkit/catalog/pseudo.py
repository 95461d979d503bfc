"""Pseudo-localisation: fake translations that show layout problems early.

``qps`` turns every segment into accented, ~40% longer text between
``⟦`` and ``⟧``: hard-coded English (no accents, no brackets) stands out on
the page, truncation shows as a missing ``⟧``, and the expansion approximates
German or French.  ``qps-rtl`` renders on a right-to-left page (the language
is RTL, so writers set ``dir="rtl"``) and writes every word as its letters
reversed: each word is wrapped in RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL
FORMATTING, so it *displays* mirrored like Arabic while its characters, and
hence search, copy and the checks, stay the English ones.  Layout bugs that
only RTL shows (alignment, icons, bullets, punctuation on the wrong side) are
visible without reading Arabic.  A RIGHT-TO-LEFT MARK opens each segment so
that ``dir="auto"`` contexts see it as RTL too.

What must survive translation survives pseudo-translation, so ``tmkit check
--lang qps`` passes: inline tags and link targets, numbers, URLs and e-mail
addresses, and the ``checks.do_not_translate`` terms.

Pseudo-languages are not listed in ``languages``: ``tmkit pseudo`` creates
``po/qps/<slug>.po`` and ``check``/``status`` accept ``--lang qps``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import polib

from toolkit.text import inline
from toolkit.catalog.pofile import format_po
from toolkit.catalog.rewrite import LeftFile, Rewrite, rewrite_catalogs
from toolkit.catalog.state import read_bytes
from toolkit.project.config import Config
from toolkit.errors import ConfigError
from toolkit.text.languages import PSEUDO_LANGUAGES, get_language
from toolkit.readers.sources import iter_articles
from toolkit.segment import segments_by_unit

OPEN, CLOSE = "\u27e6", "\u27e7"        # ⟦ ⟧: not brackets to translate-toolkit's checks
RLO, PDF, RLM = "\u202e", "\u202c", "\u200f"
EXPANSION = 0.4
VOWELS = "aeiouyAEIOUY"
#: Combining marks tried in turn until one composes with the letter.
_MARKS = ("\u0301", "\u0300", "\u0308", "\u0303", "\u0302", "\u030c", "\u0327", "\u0323", "\u0307")
_KEEP_RE = re.compile(r"\S*(?:://|www\.|@)\S*|\d[\d.,:%\u00a0\u202f-]*")
_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def resolve_languages(config: Config, wanted: Optional[Sequence[str]] = None) -> list[str]:
    """Languages for check/status: the configured ones, or ``--lang`` choices.

    A pseudo-language may be asked for by name although it is not configured.
    """
    if not wanted:
        return list(config.languages)
    # unknown/unconfigured tags raise; configured ones in canonical case (ES -> es)
    return list(dict.fromkeys(w if w in PSEUDO_LANGUAGES else config.target_language(w) for w in wanted))


@lru_cache(maxsize=None)
def accented(ch: str) -> str:
    """An accented form of an ASCII letter, composed from Unicode data (no table)."""
    for mark in _MARKS:
        composed = unicodedata.normalize("NFC", ch + mark)
        if len(composed) == 1:
            return composed
    return ch


def _expand(word: str, budget: list[int]) -> str:
    """Double letters while the segment's budgets last: ``[vowels, consonants]``."""
    out = []
    for ch in word:
        out.append(ch)
        kind = 0 if ch in VOWELS else 1
        if budget[kind] > 0:
            out.append(ch.lower() if out[-2:-1] and out[-2].islower() else ch)
            budget[kind] -= 1
    return "".join(out)


def _budget(markup: str, keep: re.Pattern) -> list[int]:
    """How many vowels, then consonants, to double for ~40% more characters."""
    plain = keep.sub("", inline.plain_text(markup))
    needed = round(len(inline.plain_text(markup)) * EXPANSION)
    vowels = sum(ch in VOWELS for ch in plain)
    return [min(needed, vowels), max(0, needed - vowels)]


def _bracket(body: str, rtl: bool) -> str:
    """``⟦body⟧`` with the segment's final punctuation left outside, where checks expect it."""
    stripped = body.rstrip()
    end = len(stripped)
    while end and unicodedata.category(stripped[end - 1]) == "Po":
        end -= 1
    text = f"{OPEN}{stripped[:end]}{CLOSE}{stripped[end:]}{body[len(stripped):]}"
    return f"{RLM}{text}" if rtl else text


def _transform_text(text: str, keep: re.Pattern, budget: list[int], rtl: bool) -> str:
    """Pseudo-translate plain text, leaving ``keep`` matches (terms, numbers, URLs) alone."""
    def word(match: re.Match) -> str:
        w = _expand(match.group(0), budget)
        w = "".join(accented(c) for c in w)
        return f"{RLO}{w}{PDF}" if rtl else w

    out, pos = [], 0
    for match in keep.finditer(text):
        out.append(_WORD_RE.sub(word, text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_WORD_RE.sub(word, text[pos:]))
    return "".join(out)


def _keep_pattern(terms: Sequence[str]) -> re.Pattern:
    alternatives = [rf"(?<![A-Za-z0-9]){re.escape(t)}(?![A-Za-z0-9])"
                    for t in sorted(terms, key=len, reverse=True)]
    return re.compile("|".join(alternatives + [_KEEP_RE.pattern]))


def pseudolocalize(markup: str, rtl: bool = False, keep: Sequence[str] = ()) -> str:
    """Pseudo-translate one segment of inline markup (tags and attributes kept)."""
    nodes = inline.parse(markup)
    pattern = _keep_pattern(keep)
    budget = _budget(markup, pattern)

    def visit(items: list[inline.Node]) -> list[inline.Node]:
        result: list[inline.Node] = []
        for node in items:
            if isinstance(node, str):
                result.append(_transform_text(node, pattern, budget, rtl))
            else:
                result.append(inline.Element(node.tag, dict(node.attrs), visit(node.children)))
        return result

    return _bracket(inline.render(visit(nodes)), rtl)


def pseudo_catalog(config: Config, article, lang: str) -> polib.POFile:
    """A complete PO file for ``article`` in pseudo-language ``lang``."""
    language = get_language(lang)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": config.name,
        "Language": language.gettext,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": language.plural_forms,
        "X-Generator": "tmkit pseudo",
    }
    entries: dict[tuple, polib.POEntry] = {}
    for _unit, segments in segments_by_unit(article, config.segmentation):
        for segment in segments:
            entry = entries.get(segment.key)
            if entry is None:  # identical labels share one entry, with all their places
                entry = entries[segment.key] = polib.POEntry(
                    msgctxt=segment.context, msgid=segment.text,
                    msgstr=pseudolocalize(segment.text, language.rtl, config.checks.do_not_translate),
                    comment=segment.comment)
                po.append(entry)
            entry.occurrences.append((article.path, str(segment.line)))
    return po


@dataclass
class PseudoReport:
    """The pseudo-language's catalogs of the articles asked for, and those left alone."""

    files: list[Path]                                      # written or already up to date
    left: list[LeftFile] = field(default_factory=list)     # saved by someone during the run: untouched


def make_pseudo(config: Config, lang: str = "qps", slugs: Optional[list[str]] = None) -> PseudoReport:
    """Write ``po/<lang>/<slug>.po`` for every article (gettext layout, atomically).

    A catalog someone saved while this ran is left as saved (it is made from
    the English alone, so there is nothing to merge) and reported.
    """
    if lang not in PSEUDO_LANGUAGES:
        raise ConfigError(f"not a pseudo-language: {lang!r} (use {' or '.join(PSEUDO_LANGUAGES)})")
    rewrites = []
    for article in iter_articles(config, slugs):
        path = config.po_file(lang, article.slug)
        rewrites.append(Rewrite(path, read_bytes(path), format_po(pseudo_catalog(config, article, lang))))
    result = rewrite_catalogs(rewrites)
    left = {item.path for item in result.left}
    return PseudoReport([r.path for r in rewrites if r.path not in left], result.left)
