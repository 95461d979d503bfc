"""English sentence splitting for inline-markup paragraphs.

Why our own rules rather than pysbd at run time: pysbd is thorough but
segments about 2,500 sentences a second, and extracting 1,000 articles must
take well under a second of segmentation.  The rules here are one compiled
regular expression that finds *candidate* boundaries (terminal punctuation,
optional closing quotes or brackets, a space) followed by a veto in Python
that looks only at the word before and the word after each candidate:
abbreviations, initials, numbered lists, and a lower-case next word all
veto.  Results are cached by paragraph text, so text repeated across
articles (footers, disclaimers) costs a dictionary look-up.

The rules, in the order they are applied, are documented in
``docs/segmentation.md``; ``tests/test_sentences.py`` holds the case table.

Input and output are inline markup (see :mod:`toolkit.text.inline`).  The text is
split only at a space outside every element, so ``<em>Dr. Smith said.
Then</em>`` stays one sentence and ``<strong>Stop.</strong> Next.`` keeps the
tags with the first sentence.  Whitespace (NBSP and the other Unicode spaces
included) is normalised to single ASCII spaces, and the sentences joined with
single spaces give back exactly the normalised input.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from toolkit.text.inline import VOID, tag_spans

# -- Word lists: the only English-specific knowledge (lower case, no final dot).

#: Never end a sentence: titles before a name and abbreviations that always
#: introduce more text (``Dr. Smith``, ``St. John's wort``, ``e.g. rest``).
NEVER_FINAL = frozenset("""
    dr mr mrs ms mx prof st sr rev hon gen capt lt col sgt mt ft pres gov sen rep
    messrs mme mlle fr
    e.g eg i.e ie cf vs viz approx ca incl esp resp
""".split())

#: Abbreviations for what is followed by a number (``Fig. 3``, ``No. 5``,
#: ``Jan. 12``, ``max. 3 tablets``); before anything else they are ordinary
#: words (``wait 30 min. Then``).
BEFORE_NUMBER = frozenset("""
    no nos fig figs vol vols p pp eq eqs ref refs tab sec ch chap para art nr op
    max min
    jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

#: Abbreviations that often end a sentence, so a capital after them starts a
#: new one (``at 5 p.m. The``, ``and so on etc. The``).  Listed so that the
#: dotted ones are not taken for initials (``U.S``), which split only before
#: a common sentence starter.
MAY_END = frozenset("a.m p.m etc al".split())

#: Function words (and the imperatives of patient advice) that commonly open
#: an English sentence and rarely follow initials inside a name: ``in the U.S. The FDA`` splits, ``the U.S. Food
#: and Drug Administration`` and ``J. R. Smith`` do not.
SENTENCE_STARTERS = frozenset("""
    a an the this that these those there here it its i we you he she they my our
    your his her their in on at for with without from by to of as if when while
    after before during since because although though however but and or so
    then thus therefore also yet still most many some all each every other
    such no not one two patients people doctors treatment
    take ask call talk see avoid do don't use try keep make eat drink get stop
    tell read learn find contact seek follow
""".split())

# -- Compiled patterns.

_CLOSERS = "\"'”’)]}»›"
_OPENERS = "\"'“‘([{«‹¿¡"
#: A sentence never starts with these: ``Wait . . . Then`` is not cut at each dot.
_NOT_OPENING = ".,;:!?…-–—"
#: Characters looked at after a candidate: enough for the openers and one word,
#: and a bound that keeps long paragraphs linear.
_LOOKAHEAD = 48

#: A candidate boundary: terminal punctuation, optional closers, one space.
_CANDIDATE = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*) ")
#: Dotted single letters such as ``U.S``, ``U.K``, ``D.C`` (before the last dot).
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_ENUMERATOR = re.compile(r"\d{1,2}|[ivxIVX]{1,4}")
_WORD_EDGE = re.compile(r"[\w'’.\-]+")


def split_sentences(text: str) -> list[str]:
    """Split inline-markup ``text`` into sentences, whitespace normalised.

    Returns a new list each call; the work is cached by paragraph text.
    """
    return list(_split_cached(text))


@lru_cache(maxsize=65536)
def _split_cached(text: str) -> tuple[str, ...]:
    normal = " ".join(text.split())
    if not normal:
        return ()
    plain, chunks = _plain_view(normal)
    cuts = list(_boundaries(plain, chunks))
    if not cuts:
        return (normal,)
    sentences = []
    start = 0
    for cut in cuts:
        sentences.append(normal[start:cut])
        start = cut + 1
    sentences.append(normal[start:])
    return tuple(sentences)


# -- Markup: a plain view of the text and the nesting depth of each part.

Chunks = tuple[list[int], list[int], list[int]]  # plain starts, markup starts, depths


def _plain_view(markup: str) -> tuple[str, Chunks | None]:
    """The text with tags removed, and where each text run sits in ``markup``.

    Entities are kept as they are so that offsets map one to one inside a run.
    Text inside ``<sup>`` reads as closing brackets, so that a footnote mark
    after a full stop (``adults.<sup>1</sup> Most``) is taken like ``adults.)
    Most``.  Unbalanced markup is tolerated (depth never goes below zero): the
    segmenter must not fail on text that the checks will reject later.
    """
    spans = tag_spans(markup)
    if not spans:
        return markup, None
    plain_starts: list[int] = []
    markup_starts: list[int] = []
    depths: list[int] = []
    parts: list[str] = []
    length = depth = pos = in_sup = 0
    for start, end in spans + [(len(markup), len(markup))]:
        if start > pos:
            plain_starts.append(length)
            markup_starts.append(pos)
            depths.append(depth)
            parts.append("]" * (start - pos) if in_sup else markup[pos:start])
            length += start - pos
        if end > start and not _is_void(markup, start, end):  # <br/>, <fn/> hold nothing
            closing = markup[start + 1] == "/"
            depth = max(0, depth - 1) if closing else depth + 1
            if markup.startswith("sup", start + 1 + closing):
                in_sup = max(0, in_sup - 1) if closing else in_sup + 1
        pos = end
    return "".join(parts), (plain_starts, markup_starts, depths)


def _is_void(markup: str, start: int, end: int) -> bool:
    name = markup[start + 1:end].lstrip("/").split(" ", 1)[0].rstrip("/>")
    return name in VOID


def _to_markup(plain_at: int, chunks: Chunks | None) -> int | None:
    """Offset in the markup of the plain-text space at ``plain_at``, or
    ``None`` when that space lies inside an element."""
    if chunks is None:
        return plain_at
    plain_starts, markup_starts, depths = chunks
    index = bisect_right(plain_starts, plain_at) - 1
    if depths[index]:
        return None
    return markup_starts[index] + plain_at - plain_starts[index]


# -- The rules.

def _boundaries(plain: str, chunks: Chunks | None):
    """Markup offsets of the spaces that end a sentence, in order."""
    for match in _CANDIDATE.finditer(plain):
        space = match.end() - 1
        if _is_boundary(plain, match.start(), match.group(1), space + 1):
            cut = _to_markup(space, chunks)
            if cut is not None:
                yield cut


def _is_boundary(plain: str, punct_at: int, punct: str, next_at: int) -> bool:
    """Decide one candidate: ``punct`` at ``punct_at``, next text at ``next_at``."""
    following = plain[next_at:next_at + _LOOKAHEAD].lstrip(_OPENERS)
    if not following:
        return False
    first = following[0]
    if first.islower() or first in _NOT_OPENING:
        return False                      # "support. not replace" is one sentence
    if "…" in punct or ".." in punct:
        return first.isupper()            # an ellipsis ends a sentence only before a capital
    if punct != ".":
        return True                       # ? and ! (also ?! and .?)
    word = _word_before(plain, punct_at)
    lower = word.lower()
    if lower in NEVER_FINAL:
        return False
    if lower in BEFORE_NUMBER:
        return not first.isdigit()
    if lower in MAY_END:
        return True
    if _INITIALISM.fullmatch(word) or (len(word) == 1 and word.isupper()):
        return _next_word(following).lower() in SENTENCE_STARTERS
    if _ENUMERATOR.fullmatch(word) and _opens_item(plain, punct_at - len(word)):
        return False                      # "1. First ..." at the start or after a sentence
    return True


def _word_before(plain: str, end: int) -> str:
    """The token that ends at ``end`` (the full stop), openers stripped."""
    start = plain.rfind(" ", 0, end) + 1
    return plain[start:end].lstrip(_OPENERS)


def _next_word(following: str) -> str:
    match = _WORD_EDGE.match(following)
    return match.group(0).rstrip(".") if match else ""


def _opens_item(plain: str, word_at: int) -> bool:
    """True when the token at ``word_at`` starts the text or follows a colon
    or the end of a sentence, as a list number does (``Steps: 1. Rest.``)."""
    before = plain[:word_at].rstrip(" " + _OPENERS)
    return not before or before[-1] in ".:;!?"
