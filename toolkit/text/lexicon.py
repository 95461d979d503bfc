"""Word lists of languages written without spaces, for what ICU's dictionaries leave open.

ICU's word break iterator finds Thai words with a dictionary made for line
breaking: it knows ``แผล`` (wound), ``เป็น`` (to be) and ``หนอง`` (pus) but
neither ``แผลเป็น`` (scar) nor ``เป็นหนอง`` (to fester), so it cuts both
``แผลเป็น`` and ``แผลเป็นหนอง`` (festering wound) as ``แผล|เป็น(|หนอง)`` and
cannot say that the second does not hold the first.  A fuller word list can:
``เป็นหนอง`` is a word, so ``แผลเป็นหนอง`` also reads ``แผล|เป็นหนอง``.

The Thai list is PyThaiNLP's (``words_th.txt``, about 62,000 words, CC0),
with its function words (``stopwords_th.txt``: particles, prepositions,
conjunctions such as ``ที่``, ``ได้``, ``และ``).  The files are read from the
installed distribution, never imported: importing ``pythainlp.corpus``
creates ``~/pythainlp-data``, a side effect a check must not have.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

#: ISO 639 code -> (distribution, word list, function words) inside it.
_SOURCES = {
    "th": ("pythainlp", "pythainlp/corpus/words_th.txt", "pythainlp/corpus/stopwords_th.txt"),
}


@dataclass(frozen=True)
class Lexicon:
    """The words of one language, and those of them that are grammar, not content."""

    words: frozenset[str]
    function_words: frozenset[str]
    #: The longest word, in code points (bounds the search for a word at a position).
    longest: int


def _read(distribution: str, path: str) -> frozenset[str]:
    located = importlib.metadata.distribution(distribution).locate_file(path)
    text = located.read_text(encoding="utf-8")  # type: ignore[union-attr]
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=None)
def lexicon(base_language: str) -> Optional[Lexicon]:
    """The word list of ``base_language`` (an ISO 639 code), or None when tmkit has none."""
    source = _SOURCES.get(base_language)
    if source is None:
        return None
    distribution, words_path, function_path = source
    words = _read(distribution, words_path)
    return Lexicon(words, _read(distribution, function_path), max(map(len, words)))
