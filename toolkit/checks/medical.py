"""Checks of our own for patient information: numbers, kept terms, markup, length.

A wrong number ("over 6%" for "over 60%"), a lost acronym or a dropped clause
is worse than no translation, so these run on every entry by default.

Numbers are compared by *value*, not by spelling, so every script and
convention a correct translation may use passes: Arabic-Indic (٠-٩) and
Eastern Arabic-Indic (۰-۹) digits, full-width digits (０-９) in CJK text,
decimal commas, thousands separators including the narrow no-break space of
French, and a percent sign written ``%``, ``٪`` or ``％`` with or without a
(no-break) space (``60 %``).  The decimal and group symbols of the target
language come from CLDR (Babel); English-style ``2.5`` is accepted in a
comma-decimal language only when it cannot be read the local way.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

import babel
from babel.numbers import get_decimal_symbol, get_group_symbol

from toolkit.text import inline
from toolkit.checks.base import Entry, LanguageEnv, Problem, register
from toolkit.checks.findings import ERROR, WARNING
from toolkit.text.inline import markup_matches

_SPACES = " \u00a0\u202f"
_PERCENT = "%\u066a\uff05"          # ASCII, Arabic percent sign, full-width percent
_NUMBER_RE = re.compile(
    rf"(?P<pre>[{_PERCENT}][{_SPACES}]?)?"
    rf"(?<!\d)(?P<num>\d+(?:[.,\u066b\u066c'\u2019]\d+|[{_SPACES}]\d{{3}}(?!\d))*)"
    rf"(?P<post>[{_SPACES}]?[{_PERCENT}])?"
)
_PART_RE = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Number:
    """A number as written (``text``) and the values it can stand for."""

    text: str
    values: frozenset[Decimal]
    percent: bool


@dataclass(frozen=True)
class Symbols:
    """Decimal and group separators a language writes numbers with."""

    decimals: frozenset[str]
    groups: frozenset[str]


ENGLISH = Symbols(frozenset("."), frozenset(","))


@lru_cache(maxsize=None)
def language_symbols(tag: str) -> Symbols:
    """Decimal and group symbols of ``tag`` in its Latin and native digits (CLDR)."""
    try:
        locale = babel.Locale.parse(tag, sep="-")
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return ENGLISH  # pseudo-languages: English conventions
    decimals, groups = set(), set(_SPACES)
    systems = {"latn", "default", *dict(locale.other_numbering_systems).values()}
    for system in sorted(systems):
        try:
            decimals.add(get_decimal_symbol(locale, numbering_system=system))
            groups.add(get_group_symbol(locale, numbering_system=system))
        except Exception:  # numbering system unknown for this locale
            continue
    # U+066B/U+066C are the Arabic decimal/thousands separators in any Arabic-script text.
    if "\u066b" in decimals:
        groups.add("\u066c")
    return Symbols(frozenset(decimals), frozenset(groups - decimals))


def _digits(text: str) -> str:
    """Any script's decimal digits as ASCII digits."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text)


def _readings(token: str, symbols: Symbols) -> set[Decimal]:
    """Values ``token`` (digits and separators) can be read as with ``symbols``."""
    parts = _PART_RE.split(token)[1:-1]
    groups = [_digits(p) for p in parts[0::2]]
    seps = parts[1::2]
    if not seps:
        return {Decimal(groups[0])}
    out: set[Decimal] = set()
    if all(s in symbols.groups for s in seps) and all(len(g) == 3 for g in groups[1:]):
        out.add(Decimal("".join(groups)))
    *lead, last = seps
    if (last in symbols.decimals and all(s in symbols.groups for s in lead)
            and all(len(g) == 3 for g in groups[1:-1])):
        out.add(Decimal("".join(groups[:-1]) + "." + groups[-1]))
    return out


def find_numbers(text: str, symbols: Symbols, fallback: Optional[Symbols] = None) -> list[Number]:
    """Numbers in plain ``text``; unreadable tokens ("1.2.3") give one number per digit group."""
    found: list[Number] = []
    for match in _NUMBER_RE.finditer(text):
        token = match.group("num")
        values = _readings(token, symbols)
        if not values and fallback is not None:
            values = _readings(token, fallback)
        percent = bool(match.group("pre") or match.group("post"))
        if values:
            found.append(Number(match.group(0).strip(), frozenset(values), percent))
        else:
            for group in re.findall(r"\d+", token):
                found.append(Number(group, frozenset({Decimal(_digits(group))}), False))
    return found


def compare_numbers(source: str, target: str, lang: str) -> tuple[list[Number], list[Number]]:
    """Source numbers missing from the translation, and translation numbers not in the source.

    A percentage must stay a percentage; a plain number may become one
    (``60-70%`` is often written ``60 %-70 %``).
    """
    wanted = find_numbers(source, ENGLISH)
    have = find_numbers(target, language_symbols(lang), ENGLISH)
    missing: list[Number] = []
    for number in wanted:
        for index, candidate in enumerate(have):
            if number.values & candidate.values and (candidate.percent or not number.percent):
                del have[index]
                break
        else:
            missing.append(number)
    return missing, have


def _listed(numbers: Iterable[Number]) -> str:
    return ", ".join(n.text for n in numbers)


@register("numbers", ERROR, True,
          "every number, percentage, range and dose of the source is in the translation")
def check_numbers(entry: Entry, env: LanguageEnv) -> list[Problem]:
    missing, extra = compare_numbers(inline.plain_text(entry.source), inline.plain_text(entry.target),
                                     env.lang)
    if missing:
        theirs = f"translation has {_listed(extra)}" if extra else "translation has none of them"
        return [Problem(f"source has {_listed(missing)}, {theirs}")]
    if extra:
        return [Problem(f"translation has {_listed(extra)}, not in the source", WARNING)]
    return []


def term_pattern(term: str) -> re.Pattern:
    """``term`` as a whole word: not glued to letters or digits of the same kind.

    ASCII terms (acronyms) are bounded by ASCII letters/digits only, so
    "（FBS）" or "FBS的" in CJK text still count.
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
    ratios = [r for r in map(length_ratio, entries) if r is not None]
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
