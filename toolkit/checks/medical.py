"""Checks of our own for patient information: numbers, kept terms, markup, length.

A wrong number ("over 6%" for "over 60%"), a lost acronym or a dropped clause
is worse than no translation, so these run on every entry by default.

Numbers are compared by *value* and *what they count*, not by spelling:
:mod:`toolkit.checks.numerals` reads them the way the target language writes
them (CLDR digits and separators, percent and large-number words) and pairs
each with its unit.  A source number must find a translation number of the
same value whose unit does not contradict its own, so "2.5 mg for 6 days"
translated "6 mg durante 2,5 días" is an error although the same values are
there.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections import deque
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional, Sequence

from toolkit.text import inline
from toolkit.checks.base import Entry, LanguageEnv, Problem, register
from toolkit.checks.findings import ERROR, WARNING
from toolkit.checks.numerals import PERCENT, Number, dual_nouns, read_numbers, spelled_numbers
from toolkit.text.inline import markup_matches

#: How a translator accepts a deliberate change of number (said in every numbers error).
ACCEPT_HINT = "if intended, add the translator comment '# tmkit-ignore: numbers' to the entry"


def units_agree(source: Optional[str], target: Optional[str]) -> bool:
    """Whether a source number's unit allows a translation number's unit.

    A percentage must stay one (the sign or word is reliably recognised in
    every language); a plain number may become anything (``10-20%`` becomes
    ``10 a 20 %``).  A unit word the tables do not know leaves the number
    unpaired (None), which agrees with anything; two *known* units must be
    the same class: that is what catches a swapped quantity.
    """
    if source == PERCENT:
        return target == PERCENT
    return source is None or target is None or source == target


@dataclass
class NumberComparison:
    """What the numbers check found in one entry."""

    missing: list[Number] = field(default_factory=list)   # source numbers not in the translation
    extra: list[Number] = field(default_factory=list)     # translation numbers not in the source
    duals: list[tuple[Number, str]] = field(default_factory=list)  # a source 2 as a dual noun
    reordered: list[tuple[Number, Number]] = field(default_factory=list)  # unverified pairs out of order
    pairs: list[tuple[Number, Number]] = field(default_factory=list)


#: Above this many candidate pairs after the greedy pass, no augmenting is tried (hostile input):
#: the greedy matching can only report more numbers missing, never fewer.
PAIRING_BUDGET = 2_000_000


def _pair(wanted: list[Number], have: list[Number]) -> dict[int, int]:
    """A maximum matching source index -> target index (same value, agreeing units).

    Greedy first (each number takes its first free candidate, the very same
    unit before an unknown one, then in order), then augmenting paths for the
    numbers left over: with units that may be unknown, the first candidate
    can strand a later number ("2.5 mg ... 2.5" where the unit-less 2.5 was
    the only place for the second).  Breadth-first and iterative, so a long
    entry cannot exhaust the stack.
    """
    by_value: dict[Decimal, list[int]] = {}
    for j, number in enumerate(have):
        for value in number.values:
            by_value.setdefault(value, []).append(j)
    options = []
    for s in wanted:
        found = {j for v in s.values for j in by_value.get(v, ()) if units_agree(s.unit, have[j].unit)}
        options.append(sorted(found, key=lambda j, s=s: (have[j].unit != s.unit, j)))
    owner: dict[int, int] = {}   # target -> source
    taken: dict[int, int] = {}   # source -> target
    for i, candidates in enumerate(options):
        free = next((j for j in candidates if j not in owner), None)
        if free is not None:
            owner[free], taken[i] = i, free
    left = [i for i in range(len(wanted)) if i not in taken and options[i]]
    if len(left) * sum(map(len, options)) > PAIRING_BUDGET:
        return taken
    for i in left:
        parent: dict[int, int] = {}
        queue = deque([i])
        while queue:
            s = queue.popleft()
            free = None
            for j in options[s]:
                if j in parent:
                    continue
                parent[j] = s
                if j not in owner:
                    free = j
                    break
                queue.append(owner[j])
            if free is not None:
                j = free
                while True:  # flip the path back to i
                    s = parent[j]
                    previous = taken.get(s)
                    owner[j], taken[s] = s, j
                    if s == i:
                        break
                    j = previous
                break
    return taken


def _unverified(source: Number, target: Number) -> bool:
    """A pair the units could not confirm: one side has a unit, the other none."""
    return source.unit != target.unit and PERCENT not in (source.unit, target.unit)


@functools.lru_cache(maxsize=1 << 14)
def _source_numbers(source: str) -> tuple[Number, ...]:
    """The numbers of an English source, read once for all the languages it is translated into
    (:class:`Number` is frozen: the tuple is shared safely)."""
    return tuple(read_numbers(source, "en", side="source"))


def compare_entry(source: str, target: str, lang: str) -> NumberComparison:
    """Pair the numbers of an English ``source`` with those of its translation into ``lang``."""
    wanted = list(_source_numbers(source))
    have = read_numbers(target, lang, side="target")
    matched = _pair(wanted, have)
    result = NumberComparison()
    result.pairs = [(wanted[i], have[j]) for i, j in sorted(matched.items())]
    result.missing = [n for i, n in enumerate(wanted) if i not in matched]
    used = set(matched.values())
    result.extra = [n for j, n in enumerate(have) if j not in used]
    if result.extra:
        result.extra = _unspelled(result.extra, source)
    twos = [n for n in result.missing if n.values == {Decimal(2)} and n.unit != PERCENT]
    duals = dual_nouns(target, lang) if twos else []
    for number in twos:
        word = next((d for d in duals if units_agree(number.unit, d[0])), None)
        if word:
            duals.remove(word)
            result.missing.remove(number)
            result.duals.append((number, word[1]))
    loose = [(s, t) for s, t in result.pairs if _unverified(s, t)] if len(result.pairs) <= 50 else []
    for s1, t1 in loose:
        for s2, t2 in result.pairs:
            if s1.start < s2.start and t1.start > t2.start and not (s1.values & s2.values):
                result.reordered.append((s1, s2))
    return result


def _unspelled(extra: list[Number], source: str) -> list[Number]:
    """The translation's extra numbers less those the English spells in words.

    "Take it twice a day" has no digit, Japanese ``1日2回`` has two: "a day"
    is the 1 日 and "twice" the 2 回 (same value, agreeing units).  Spelled
    numbers only account for digits; a translation that spells them too
    (``六週間``, ``หกสัปดาห์``) is not asked for digits.
    """
    spelled = spelled_numbers(source, "en")
    if not spelled:
        return extra
    accounted = set(_pair(spelled, extra).values())
    return [n for j, n in enumerate(extra) if j not in accounted]


def compare_numbers(source: str, target: str, lang: str) -> tuple[list[Number], list[Number]]:
    """Source numbers missing from the translation, and translation numbers not in the source."""
    result = compare_entry(source, target, lang)
    return result.missing, result.extra


def _listed(numbers: Iterable[Number]) -> str:
    return ", ".join(n.label for n in numbers)


@register("numbers", ERROR, True,
          "every number, percentage, range and dose of the source is in the translation, "
          "with what it counts")
def check_numbers(entry: Entry, env: LanguageEnv) -> list[Problem]:
    found = compare_entry(inline.plain_text(entry.source), inline.plain_text(entry.target), env.lang)
    if env.localisable_numbers:
        found.missing, found.extra = _localised(found.missing, found.extra, env)
    problems: list[Problem] = []
    if found.missing:
        theirs = f"translation has {_listed(found.extra)}" if found.extra else "translation has none of them"
        swapped = any(s.values & t.values for s in found.missing for t in found.extra)
        note = " (the same numbers count other things: swapped?)" if swapped else ""
        problems.append(Problem(f"source has {_listed(found.missing)}, {theirs}{note}; {ACCEPT_HINT}"))
    elif found.extra:
        problems.append(Problem(f"translation has {_listed(found.extra)}, not in the source", WARNING))
    for number, word in found.duals:
        problems.append(Problem(f"source has {number.label}, translation says it with the dual {word}: "
                                f"check it counts the same", WARNING))
    for first, second in found.reordered[:1]:
        problems.append(Problem(f"{first.label} and {second.label} come in the other order in the "
                                f"translation: check each still counts the same thing", WARNING))
    return problems


def _localised(missing: list[Number], extra: list[Number],
               env: LanguageEnv) -> tuple[list[Number], list[Number]]:
    """What :func:`compare_entry` found, less the localised numbers of ``[checks] localisable_numbers``.

    A source number of the list missing from the translation is accepted when
    the translation has another number of the list in its place (999 -> 112),
    one for one; 999 -> 113 is still reported.  The comparison itself is the
    same with or without the setting.
    """
    allowed = {Decimal(v) for v in env.localisable_numbers}

    def listed(number: Number) -> bool:
        return not number.percent and bool(number.values & allowed)

    gone = [n for n in missing if listed(n)]
    instead = [n for n in extra if listed(n)]
    pairs = min(len(gone), len(instead))
    drop = {id(n) for n in gone[:pairs] + instead[:pairs]}
    return [n for n in missing if id(n) not in drop], [n for n in extra if id(n) not in drop]


@functools.lru_cache(maxsize=1024)
def term_pattern(term: str) -> re.Pattern:
    """``term`` as a whole word: not glued to letters or digits of the same kind.

    ASCII terms (acronyms) are bounded by ASCII letters/digits only, so
    "（FBS）" or "FBS的" in CJK text still count.  Remembered: each listed term is
    looked for in every translation (escaping and the regex cache's look-up each time
    were a tenth of a first status's checks).
    """
    if term.isascii():
        return re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])")
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")


@register("do-not-translate", ERROR, True,
          "acronyms and names listed in checks.do_not_translate stay as they are")
def check_do_not_translate(entry: Entry, env: LanguageEnv) -> list[Problem]:
    source, target = inline.plain_text(entry.source), inline.plain_text(entry.target)
    # NFKC: full-width ＭＲＩ in Japanese or Chinese text is the acronym kept.
    target = unicodedata.normalize("NFKC", target)
    lost = [t for t in env.do_not_translate
            if term_pattern(t).search(source) and not term_pattern(t).search(target)]
    return [Problem(f"'{t}' must stay as it is, translation lacks it") for t in lost]


def _describe(markup: str) -> str:
    tags = inline.signature(markup)
    if not tags:
        return "no tags"
    return ", ".join(f"<{tag}{''.join(f' {k}={v!r}' for k, v in attrs)}>" for tag, attrs in tags)


@register("markup", ERROR, True, "inline tags and link targets match the source")
def check_markup(entry: Entry, env: LanguageEnv) -> list[Problem]:
    if markup_matches(entry.source, entry.target):
        return []
    try:
        theirs = _describe(entry.target)
    except inline.InlineError as exc:
        return [Problem(f"translation markup is malformed: {exc}")]
    return [Problem(f"source has {_describe(entry.source)}; translation has {theirs}")]


#: Entries shorter than this (plain-text characters of English) are too noisy for ratios.
LENGTH_MIN_CHARS = 25
#: Fewest entries of a language before its usual ratio is trusted.
LENGTH_MIN_SAMPLES = 8
#: A translation outside [low, high] x the language's usual ratio is flagged.
LENGTH_BAND = (0.5, 2.0)


def length_ratio(entry: Entry) -> Optional[float]:
    """Target/source plain-text length, or None for entries too short to judge."""
    source = len(inline.plain_text(entry.source).strip())
    if source < LENGTH_MIN_CHARS:
        return None
    return len(inline.plain_text(entry.target).strip()) / source


def usual_ratio(entries: Iterable[Entry]) -> Optional[float]:
    """Median length ratio of a language's entries (None when too few to tell)."""
    return median_ratio(entry_ratios(entries))


def entry_ratios(entries: Iterable[Entry], said: Optional[dict] = None) -> list[float]:
    """The :func:`length_ratio` of each entry that has one, in order.

    ``said``: (source, target) -> ratio of the entries measured so far, kept by
    a caller that measures several batches (a footer in every article: measured once).
    """
    said = {} if said is None else said
    ratios = []
    for entry in entries:
        key = (entry.source, entry.target)
        ratio = said[key] if key in said else said.setdefault(key, length_ratio(entry))
        if ratio is not None:
            ratios.append(ratio)
    return ratios


def median_ratio(ratios: Sequence[float]) -> Optional[float]:
    """The usual ratio from the :func:`length_ratio` of every entry (None when too few to tell).

    Apart from :func:`usual_ratio` for ``tmkit review``'s worker processes, which
    each measure their share of the articles and send the parent the ratios.
    """
    return statistics.median(ratios) if len(ratios) >= LENGTH_MIN_SAMPLES else None


@register("length", WARNING, True,
          "translation far shorter or longer than usual for the language (a dropped clause)")
def check_length(entry: Entry, env: LanguageEnv) -> list[Problem]:
    ratio = length_ratio(entry)
    if ratio is None or not env.length_ratio:
        return []
    relative = ratio / env.length_ratio
    low, high = LENGTH_BAND
    if low <= relative <= high:
        return []
    word = "shorter" if relative < low else "longer"
    return [Problem(f"translation is {ratio:.2f}x the source length, {word} than the usual "
                    f"{env.length_ratio:.2f}x for {env.lang}")]
