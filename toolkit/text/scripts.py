"""Text in any script: normalisation for matching, words and line breaks from ICU.

Python's ``str`` methods know code points, not writing systems: ``casefold``
turns Turkish ``İ`` into ``i`` + COMBINING DOT ABOVE, ``in`` finds Thai
``แผลเป็น`` (scar) inside ``แผลเป็นหนอง`` (festering wound), and
``str.split`` finds no word in a Thai or Japanese sentence.  This module is the
one place tmkit asks the Unicode algorithms instead:

* :func:`fold` - the form two texts are compared in: NFC (a Hindi ``ढ़``
  typed with a combining nukta equals the precomposed letter), no zero-width
  characters (a ZWSP inside a Thai word), the language's own case folding
  (Turkish and Azeri dotted and dotless I), spaces collapsed - or dropped for
  Korean, whose spacing of compounds varies (``척추수술`` / ``척추 수술``);
* :func:`word_bounds` - UAX #29 word boundaries from ICU's word break
  iterator, which uses dictionaries for Thai, Lao, Khmer, Burmese, Chinese
  and Japanese;
* :func:`misread` - whether a span of an unspaced text stands as words of
  its own there: on ICU's word boundaries, and (Thai) not cut by a word of
  a fuller word list that runs past its end (:mod:`toolkit.text.lexicon`);
* :func:`line_pieces` - UAX #14 line-break opportunities from ICU's line
  break iterator (Thai by dictionary, Japanese kinsoku rules...).

ICU comes from the ``icu4py`` wheels (ICU4C bundled, no system library).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import babel
from icu4py.breakers import CharacterBreaker, LineBreaker, WordBreaker

from toolkit.text.lexicon import lexicon

#: Languages written without spaces between words (ISO 639 codes): word
#: boundaries come from a dictionary, and a term found inside a word is not
#: the term.  Korean separates words (eojeol) by spaces and is not one.
UNSPACED = frozenset({"th", "lo", "km", "my", "ja", "zh", "bo", "dz", "jv", "su"})

#: Languages whose word counts say little (one "word" per character or per
#: space-free phrase): status shows characters beside words for them.
CHARACTER_COUNTED = UNSPACED

#: Zero-width and invisible format characters that do not change a word:
#: ZERO WIDTH SPACE, NON-JOINER, JOINER, WORD JOINER, BOM, SOFT HYPHEN.
#: (ZWNJ/ZWJ do change shaping in Persian and Indic scripts, but typists use
#: them inconsistently; for *matching* a term, both spellings are one.)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
_SPACES_RE = re.compile(r"\s+")

#: Languages with the Turkic dotted/dotless I: ``I``/``ı`` and ``İ``/``i``.
_TURKIC = frozenset({"tr", "az", "crh", "tt", "ba", "kk"})


@lru_cache(maxsize=512)
def base_language(tag: str) -> str:
    """The ISO 639 code of a BCP 47 or gettext tag (``pt_BR`` -> ``pt``)."""
    try:
        return babel.Locale.parse(tag.replace("-", "_")).language
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


def same_tag(tag: str) -> str:
    """A language tag in one spelling for comparisons: ``pt_BR``, ``PT-br`` -> ``pt-br``."""
    return tag.strip().replace("_", "-").lower()


def unspaced(lang: str) -> bool:
    """True for languages written without spaces between words (th, ja, zh...)."""
    return base_language(lang) in UNSPACED


def clean(text: str) -> str:
    """NFC, without zero-width characters: the same letters whichever way typed."""
    return unicodedata.normalize("NFC", _ZERO_WIDTH_RE.sub("", text))


def fold(text: str, lang: str = "") -> str:
    """``text`` in the form terms are compared in (see the module docstring)."""
    text = clean(text)
    base = base_language(lang) if lang else ""
    if base in _TURKIC:
        text = text.replace("I", "ı").replace("İ", "i")
    text = unicodedata.normalize("NFC", text.casefold())
    if base == "ko":
        return _SPACES_RE.sub("", text)
    return _SPACES_RE.sub(" ", text).strip()


def _icu_locale(lang: str) -> str:
    return lang.replace("-", "_") if lang else "en"


def word_pieces(text: str, lang: str = "") -> list[str]:
    """``text`` cut at its UAX #29 word boundaries (words, spaces, punctuation)."""
    if not text:
        return []
    return list(WordBreaker(text, _icu_locale(lang)))


def word_bounds(text: str, lang: str = "") -> frozenset[int]:
    """Offsets (Python string indices) of the word boundaries of ``text``.

    ICU reports UTF-16 offsets; the pieces' lengths give Python's instead.
    """
    bounds, at = {0}, 0
    for piece in word_pieces(text, lang):
        at += len(piece)
        bounds.add(at)
    return frozenset(bounds)


@dataclass(frozen=True)
class Reading:
    """How a reader cuts the text around a span that is not a word of its own there."""

    start: int
    end: int
    pieces: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def __str__(self) -> str:
        return "|".join(self.pieces)


def misread(text: str, start: int, end: int, lang: str,
            bounds: Optional[frozenset[int]] = None) -> Optional[Reading]:
    """None when ``text[start:end]`` stands as a word (or words) of its own; else how it reads.

    Only languages written without spaces are asked (elsewhere a span is
    whatever the letters say, affixes and all).  The span must start and end
    on ICU's word boundaries (``手術`` inside ``手術室`` reads ``手術室``).
    Where tmkit has a fuller word list than ICU's (Thai), the span's last
    word must also not bind to the word after it: ``แผลเป็น`` (scar) followed
    by ``หนอง`` (pus) reads ``แผล|เป็นหนอง`` (wound | festers), because
    ``เป็นหนอง`` is a word.  A function word after the span (``ที่``, ``ได้``,
    ``และ``...: prepositions, particles, conjunctions) is what normally
    follows a noun and binds to nothing: ``แผลเป็น|ที่|หลัง`` is a scar on the
    back although ``เป็นที่`` is a word too.  Nor does the binding count when
    the span with it is one word of the list (``ความเจ็บ`` in ``ความเจ็บปวด``,
    pain) or when what it leaves of the span is a function word (``การสูบ``
    in ``การ|สูบบุหรี่``: the prefix governs the longer word).  Words that
    start before the span are not looked for: ``รอยแผล`` (wound mark) is a
    word, yet ``รอยแผลเป็น`` is a scar mark; ICU's dictionary catches the
    clear cases (``บาดแผล|เป็น``).
    ``bounds``: :func:`word_bounds` of ``text``, when the caller has them.
    """
    if not unspaced(lang):
        return None
    cuts = sorted(word_bounds(text, lang) if bounds is None else bounds)
    if start not in cuts or end not in cuts:
        first = max(b for b in cuts if b <= start)
        last = min(b for b in cuts if b >= end)
        return Reading(first, last, _between(text, cuts, first, last))
    words = lexicon(base_language(lang))
    after = [b for b in cuts if b > end]
    if words is None or not after:
        return None
    following = text[end:after[0]]
    if following in words.function_words or not following[0].isalpha():
        return None
    for inner in (b for b in cuts if start < b < end):
        if text[start:inner] in words.function_words:
            continue            # การ|สูบบุหรี่: the prefix governs the longer word too
        for stop in reversed(after):
            if (stop - inner <= words.longest and text[inner:stop] in words.words
                    and text[start:stop] not in words.words):   # ความเจ็บ in ความเจ็บปวด: one word
                return Reading(start, stop, _between(text, cuts, start, inner) + (text[inner:stop],))
    return None


def _between(text: str, cuts: list[int], first: int, last: int) -> tuple[str, ...]:
    """The pieces of ``text`` between two of its word boundaries."""
    inside = [b for b in cuts if first <= b <= last]
    return tuple(text[a:b] for a, b in zip(inside, inside[1:]))


def _hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def line_pieces(text: str, lang: str = "") -> list[str]:
    """``text`` cut at its UAX #14 line-break opportunities.

    Each piece is what may stand at the end of a line, with the spaces that
    follow it (a line is never broken inside a piece).  Korean is kept whole
    between spaces (CSS ``word-break: keep-all``): UAX #14 lets Hangul break
    between any two syllables, which splits words (ICU4C offers no keep-all
    option), while Korean separates words by spaces.
    """
    if not text:
        return []
    pieces: list[str] = []
    for piece in LineBreaker(text, _icu_locale(lang)):
        if pieces and _hangul(pieces[-1][-1]) and _hangul(piece[0]):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


@lru_cache(maxsize=1 << 16)
def character_count(text: str) -> int:
    """Letters, marks and digits as a reader counts them: grapheme clusters,
    not spaces or punctuation (Thai ``ที่`` is one, not three code points).

    Remembered per text (a footer's translation is counted once for a
    thousand articles); ASCII text has one code point per cluster, so its
    letters and digits are counted without ICU."""
    if not text:
        return 0
    if text.isascii():
        return sum(map(str.isalnum, text))
    return sum(1 for g in CharacterBreaker(text, "en") if unicodedata.category(g[0])[0] in "LMN")
