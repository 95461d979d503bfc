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
* :func:`line_pieces` - UAX #14 line-break opportunities from ICU's line
  break iterator (Thai by dictionary, Japanese kinsoku rules...).

ICU comes from the ``icu4py`` wheels (ICU4C bundled, no system library).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import babel
from icu4py.breakers import CharacterBreaker, LineBreaker, WordBreaker

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
