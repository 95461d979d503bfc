"""The ``spelling`` source check: English words no dictionary knows.

Three word lists are consulted, in this order:

* pyspellchecker's bundled English dictionary (about 160,000 words with
  their frequency), installed from PyPI with tmkit, so the check works on a
  fresh machine without system dictionaries;
* tmkit's medical vocabulary, ``toolkit/checks/vocabulary/medical.txt``:
  spine anatomy, conditions, procedures, imaging and drug names
  (``spondylolisthesis``, ``radiculopathy``, ``laminectomy``,
  ``arachnoiditis``, ``gabapentin``) that general dictionaries lack;
* the project's own words, ``[checks] words`` in ``tmkit.toml``
  (``words.txt`` by default): the association's names and coinages
  (``spinecare``).

Not spelt: addresses, words next to digits (``5mg``, ``L5``), single letters,
abbreviations the sentence splitter knows when a full stop follows (``etc.``),
acronyms in capitals (``MRI``, ``MRIs``), words with inner capitals
(``iPhone``), and the words of ``do_not_translate`` and of glossary terms.
Hyphenated words are spelt part by part (``post-laminectomy``).  The
dictionary is American; British spellings are accepted by reading them
through the regular correspondences (:func:`american`: ``tumour``,
``paediatric``, ``oedema``, ``centre``, ``organisation``), so a house style
of either kind passes.

Suggestions are the dictionary words closest to the unknown one (optimal
string alignment distance, at most 2, computed by rapidfuzz over the whole
word list: pyspellchecker's own ``correction`` takes seconds on a long
unknown word), the most frequent first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

from toolkit.checks.base import register
from toolkit.checks.findings import WARNING
from toolkit.checks.source import ABBREVIATIONS, SOURCE_CHECKS, SourceEnv, SourceProblem, SourceText
from toolkit.project.fsutil import read_text

#: A word: letters (any script) joined by apostrophes; digits, hyphens and
#: other punctuation separate words.
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE_RE = re.compile(r"['’]s$", re.IGNORECASE)
#: Suggestions further than this (edits) are not worth showing.
MAX_DISTANCE = 2
MAX_SUGGESTIONS = 3


def read_word_list(text: str) -> list[str]:
    """Lower-case words of a word list: one term per line, ``#`` comments.

    A line of several words (``Spine Care Plus``) adds each of them.
    """
    words: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        words.extend(w.casefold().replace("’", "'") for w in WORD_RE.findall(line))
    return words


@lru_cache(maxsize=1)
def medical_words() -> frozenset[str]:
    """tmkit's medical vocabulary (shipped with the package)."""
    text = (resources.files("toolkit.checks") / "vocabulary" / "medical.txt").read_text(encoding="utf-8")
    return frozenset(read_word_list(text))


def project_words(path: Path) -> frozenset[str]:
    """The project's word list (``words.txt``); read errors name the file and line."""
    return frozenset(read_word_list(read_text(path)))


#: The regular correspondences of British and American spelling, to read a
#: British form with the (American) dictionary: tumour, paediatric, oedema,
#: centre, organisation, analyse, programme, travelled, licence.
_BRITISH = [(re.compile(pattern), american) for pattern, american in (
    (r"our(s|ed|ing|ite|ites|able)?$", r"or\1"), (r"our(?=[a-z])", "or"),
    (r"(?:^|(?<=[hpnkfcm]))ae(?=[a-z])", "e"), (r"(?:^|(?<=[fhc]))oe(?=[a-z])", "e"),
    (r"(?<=[bcdfghklmnpstv])re(s|d)?$", r"er\1"),
    (r"is(e|es|ed|ing|ation|ations|er|ers|able)$", r"iz\1"), (r"ys(e|es|ed|ing|er|ers)$", r"yz\1"),
    (r"amme(s)?$", r"am\1"), (r"(?<=[aeiou])ll(ed|ing|er|ers|or|ors)$", r"l\1"), (r"ence$", "ense"),
)]


#: British words no regular correspondence covers (a patient leaflet's usual ones).
BRITISH_WORDS = {
    "jewellery": "jewelry", "grey": "gray", "greys": "grays", "aluminium": "aluminum",
    "mould": "mold", "moulds": "molds", "mouldy": "moldy", "tyre": "tire", "tyres": "tires",
    "ageing": "aging", "judgement": "judgment", "judgements": "judgments",
    "acknowledgement": "acknowledgment", "sceptical": "skeptical", "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers", "pyjamas": "pajamas", "plough": "plow", "cheque": "check",
    "cheques": "checks", "draught": "draft", "draughts": "drafts", "kerb": "curb", "storey": "story",
    "storeys": "stories", "fulfil": "fulfill", "fulfils": "fulfills", "fulfilment": "fulfillment",
    "enrol": "enroll", "enrols": "enrolls", "enrolment": "enrollment", "skilful": "skillful",
    "wilful": "willful", "instalment": "installment", "instalments": "installments",
    "dyspnoea": "dyspnea", "apnoea": "apnea", "oesophagus": "esophagus", "oestrogen": "estrogen",
    "gynaecology": "gynecology", "anaemia": "anemia", "leukaemia": "leukemia", "haem": "hem",
    "practise": "practice", "practised": "practiced", "practising": "practicing",
    "whilst": "while", "amongst": "among", "towards": "toward", "learnt": "learned",
    "spelt": "spelled", "burnt": "burned",
}


def american(word: str) -> str:
    """``word`` with British spellings turned American (``tumours`` -> ``tumors``,
    ``jewellery`` -> ``jewelry``)."""
    exact = BRITISH_WORDS.get(word.lower())
    if exact is not None:
        return exact
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def _stems(word: str) -> Iterable[str]:
    """``word`` and the singulars it may be a plural of (``-s``, ``-es``, ``-ies``)."""
    yield word
    if word.endswith("ies"):
        yield word[:-3] + "y"
    if word.endswith("es"):
        yield word[:-2]
    if word.endswith("s"):
        yield word[:-1]


@dataclass
class Speller:
    """pyspellchecker's English plus extra vocabularies, with a cache per word."""

    extra: frozenset[str] = frozenset()
    _known: dict[str, bool] = field(default_factory=dict, repr=False)
    _suggested: dict[str, list[str]] = field(default_factory=dict, repr=False)
    #: Every word, by length, and its frequency (extra words 1): built at the first suggestion.
    _pool: Optional[tuple[dict[int, list[str]], dict[str, int]]] = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._frequency = _dictionary()

    def known(self, word: str) -> bool:
        """True when a dictionary or vocabulary has ``word`` (any case)."""
        cached = self._known.get(word)
        if cached is None:
            key = word.casefold().replace("’", "'")
            base = _POSSESSIVE_RE.sub("", key)
            cached = any(form in self._frequency or any(stem in self.extra for stem in _stems(form))
                         for form in dict.fromkeys((key, base, american(base))))
            self._known[word] = cached
        return cached

    def suggestions(self, word: str) -> list[str]:
        """Up to three words at the smallest edit distance, most frequent first, in ``word``'s case."""
        key = word.casefold()
        if key not in self._suggested:
            self._suggested[key] = self._closest(key)
        found = self._suggested[key]
        if word[:1].isupper():
            return [w[:1].upper() + w[1:] for w in found]
        return list(found)

    def _closest(self, key: str) -> list[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if self._pool is None:
            frequency = dict(self._frequency)
            for extra in self.extra:
                frequency.setdefault(extra, 1)
            by_length: dict[int, list[str]] = {}
            for word in frequency:
                by_length.setdefault(len(word), []).append(word)
            self._pool = (by_length, frequency)
        by_length, frequency = self._pool
        # Only words whose length is within the distance can be within it: a third of the
        # 160,000 words or fewer (the ranking below does not depend on the order scanned).
        words = [w for size in range(len(key) - MAX_DISTANCE, len(key) + MAX_DISTANCE + 1)
                 for w in by_length.get(size, ())]
        matches = process.extract(key, words, scorer=OSA.distance, score_cutoff=MAX_DISTANCE, limit=None)
        if not matches:
            return []
        best = min(distance for _, distance, _ in matches)
        closest = [w for w, distance, _ in matches if distance == best]
        return sorted(closest, key=lambda w: (-frequency[w], w))[:MAX_SUGGESTIONS]


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """pyspellchecker's English word -> frequency (loaded once per process).

    Kept in the user's cache folder once built (:mod:`toolkit.project.datacache`):
    reading pyspellchecker's gzipped JSON costs 0.24 s, its marshal copy a
    quarter of that, and this is on the path of every proofreading extract.
    """
    import spellchecker

    from toolkit.project.datacache import cached

    def build() -> dict[str, int]:
        return dict(spellchecker.SpellChecker(language="en", distance=1).word_frequency.dictionary)

    data = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    return cached("spelling-en", [data], build)


def _spelt(word: str, before: str, after: str, env: SourceEnv) -> bool:
    """True for words the check looks at (see the module docstring for the others)."""
    if len(word) < 2 or before.isdigit() or after.isdigit():
        return False
    if after == "." and word.casefold() in ABBREVIATIONS:
        return False                      # etc., approx., Fig.
    if word.isupper() or (word[-1] == "s" and word[:-1].isupper()):
        return False                      # acronyms: MRI, MRIs
    if word[1:] != word[1:].lower():
        return False                      # names such as iPhone, McKenzie
    return word.casefold() not in env.skip_words


def _message(word: str, suggestions: list[str]) -> str:
    if not suggestions:
        return f"'{word}' (not in the dictionary)"
    quoted = [f"'{s}'" for s in suggestions]
    options = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"'{word}' (did you mean {options}?)"


@register("spelling", WARNING, True, "a word no dictionary, the medical vocabulary or words.txt knows",
          registry=SOURCE_CHECKS)
def check_spelling(text: SourceText, env: SourceEnv) -> list[SourceProblem]:
    speller = env.speller
    if speller is None:
        return []
    prose = text.prose
    problems = []
    for match in WORD_RE.finditer(prose):
        word = match.group(0)
        if speller.known(word):
            continue
        before = prose[match.start() - 1] if match.start() else ""
        after = prose[match.end()] if match.end() < len(prose) else ""
        if _spelt(word, before, after, env):
            problems.append(SourceProblem(match.start(), word, _message(word, speller.suggestions(word))))
    return problems
