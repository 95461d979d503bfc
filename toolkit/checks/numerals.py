"""Numbers as each language writes them, with what they count.

:func:`read_numbers` finds the numbers of a plain text in a language and
reads each one's *value* and *unit class*, so that the numbers check can
compare values, not spellings, and pair each number with what it counts:

* **Digits and separators come from CLDR** (Babel): the decimal and group
  symbols of every numbering system of the locale (Latin and native digits:
  Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Tamil, Thai...),
  of its base language too (``es-419`` writes ``2.5`` like Mexico and ``2,5``
  like Argentina), and the locale's grouping: ``#,##,##0`` for Hindi, Bengali,
  Tamil gives ``1,50,000``.  Persian also writes its decimal with a slash
  (``۲/۵``).  Full-width forms (``１５０，０００``) are read as ASCII and
  bidi marks (U+200E/U+200F/U+061C, embeddings, isolates) are ignored.
* **Which convention** an entry follows is decided per entry: the CLDR
  conventions that read *every* separated number of the entry win, so in
  ``es-419`` "1.500 pacientes, 2,5 mg" is 1500 and 2.5.  A token no local
  convention reads is read the way the language's other CLDR locales write
  (``2,5`` in Arabic, as ``ar_MA`` does) or the English way (``2.5`` in
  Spanish); one that cannot be read at all gives one number per digit group.
* **Words** come from :mod:`toolkit.checks.numwords`: percent words
  (``درصد``, ``yüzde``, ``ร้อยละ``...), large-number words (``15万``,
  ``15만``, ``1.5 लाख``) and units (``mg``, ``días``, ``日間``...).

A number's unit is what stands right next to it (a percent sign or word, a
unit symbol or word), or, for the first bound of a range (``6 to 8 weeks``,
``%20-40``), what the other bound has.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

import babel
from babel.localedata import locale_identifiers
from babel.numbers import get_decimal_symbol, get_group_symbol

from toolkit.checks import numwords

PERCENT = "%"  # the unit class of a percentage
_SPACES = " \u00a0\u202f\u2009"
_BIDI_RE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_PERCENT_SIGNS = "%\u066a\ufe6a"
_TOKEN_RE = re.compile(
    rf"(?<!\d)\d+(?:[.,'\u2019\u066b\u066c/]\d+|[{_SPACES}]\d{{3}}(?!\d))*")
_PART_RE = re.compile(r"(\d+)")
_DIGIT_RE = re.compile(r"[\d\uff10-\uff19]")
_GAP_RE = re.compile(rf"[{_SPACES}]*(?:-(?=\D))?[{_SPACES}]*")
_SIGN_AFTER_RE = re.compile(rf"[{_SPACES}]?[{_PERCENT_SIGNS}]")
_SIGN_BEFORE_RE = re.compile(rf"[{_PERCENT_SIGNS}][{_SPACES}]?$")
_RANGE_SYMBOLS = r"[-\u2010-\u2015\u2212~\u301c]"
_RANGE_RE = {"source": re.compile(rf"^[{_SPACES}]*(?:{_RANGE_SYMBOLS}|to)[{_SPACES}]*$"),
             "target": re.compile(rf"^[{_SPACES}]*{_RANGE_SYMBOLS}[{_SPACES}]*$")}


def normalise(text: str) -> str:
    """``text`` without bidi controls and with full-width ASCII forms as ASCII."""
    return _BIDI_RE.sub("", text).translate(_FULLWIDTH)


# --- digits and separators (CLDR) -------------------------------------------------------------

@dataclass(frozen=True)
class Convention:
    """One way of writing numbers: a decimal symbol, group symbols, Indian grouping or not."""

    decimal: str
    groups: frozenset[str]
    indian: bool = False  # CLDR pattern #,##,##0: groups of two above the thousands


ENGLISH = Convention(".", frozenset({",", *_SPACES}))


def _locale_conventions(loc: babel.Locale) -> list[Convention]:
    """The conventions of one CLDR locale, in each of its numbering systems."""
    grouping = loc.decimal_formats[None].grouping
    indian = grouping[1] == 2 and grouping[0] == 3
    systems = {loc.default_numbering_system, "latn", *dict(loc.other_numbering_systems).values()}
    found = []
    for system in sorted(systems):
        try:
            decimal = get_decimal_symbol(loc, numbering_system=system)
            group = get_group_symbol(loc, numbering_system=system)
        except Exception:  # a numbering system without symbols (Han words, Roman...)
            continue
        groups = {group, *_SPACES} | ({"\u066c"} if decimal == "\u066b" else set())
        found.append(Convention(decimal, frozenset(groups - {decimal}), indian))
    return found


@lru_cache(maxsize=None)
def conventions(lang: str) -> tuple[Convention, ...]:
    """The conventions CLDR gives ``lang`` and its base language, in all their numbering systems."""
    try:
        locale = babel.Locale.parse(lang, sep="-")
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return (ENGLISH,)  # pseudo-languages: English conventions
    found = _locale_conventions(locale)
    if str(locale) != locale.language:
        found += _locale_conventions(babel.Locale(locale.language))
    if locale.language == "fa":  # Persian also writes 2.5 as ۲/۵
        found.append(Convention("/", frozenset({"\u066c", ",", *_SPACES})))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=None)
def fallback_conventions(lang: str) -> tuple[Convention, ...]:
    """Conventions for a token the language's own cannot read: its sibling locales', then English.

    A Moroccan translator of ``ar`` writes ``2,5`` (CLDR ``ar_MA``); a
    Spanish one may keep ``2.5``.  Only *unreadable* tokens get here, so
    ``1,500`` in Spanish stays 1.5 and is reported.
    """
    own = set(conventions(lang))
    base = lang.split("-")[0].lower()
    found: list[Convention] = []
    for identifier in locale_identifiers():
        if identifier.split("_")[0] != base:
            continue
        try:
            found += [c for c in _locale_conventions(babel.Locale.parse(identifier)) if c not in own]
        except (ValueError, babel.UnknownLocaleError):
            continue
    return tuple(dict.fromkeys([*found, ENGLISH]))


def _digits(text: str) -> str:
    """Any script's decimal digits as ASCII digits."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text)


def _grouped(groups: list[str], indian: bool) -> bool:
    """Whether digit groups (left to right) are a well-formed grouped integer."""
    if len(groups) < 2:
        return True
    if 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return True
    return (indian and len(groups[-1]) == 3 and 1 <= len(groups[0]) <= 2
            and all(len(g) == 2 for g in groups[1:-1]))


@lru_cache(maxsize=65536)
def readings(token: str, convention: Convention) -> frozenset[Decimal]:
    """Values ``token`` (digits and separators) has under ``convention`` (empty: unreadable)."""
    parts = _PART_RE.split(token)[1:-1]
    groups = [_digits(p) for p in parts[0::2]]
    seps = parts[1::2]
    if not seps:
        return frozenset({Decimal(groups[0])})
    out: set[Decimal] = set()
    if len(set(seps)) == 1 and seps[0] in convention.groups and _grouped(groups, convention.indian):
        out.add(Decimal("".join(groups)))
    *lead, last = seps
    if (last == convention.decimal and len(set(lead)) <= 1 and all(s in convention.groups for s in lead)
            and _grouped(groups[:-1], convention.indian)):
        out.add(Decimal("".join(groups[:-1]) + "." + groups[-1]))
    return frozenset(out)


# --- words next to numbers (numwords) ---------------------------------------------------------

_SPACELESS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


def _spaceless(word: str) -> bool:
    return any(ch.isalpha() and unicodedata.name(ch, "").startswith(_SPACELESS) for ch in word[:1])


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def _boundary(word: str) -> str:
    """What may not touch a whole word: nothing for spaceless scripts (units glue to
    what follows: 6日間, 6주간); ASCII letters and digits for an ASCII symbol
    (Korean 2.5mg씩, Turkish 2,5 mg'ını); any letter or digit otherwise."""
    if _spaceless(word) or word.endswith("."):  # an abbreviation's dot ends it (मि.ग्रा.पेक्षा)
        return ""
    return "ascii" if word.isascii() else "letter"


def _glued(ch: str, boundary: str) -> bool:
    """Whether ``ch`` next to a whole word makes it part of a longer word."""
    if boundary == "ascii":
        return ch.isascii() and ch.isalnum()
    return boundary == "letter" and (_is_letter(ch) or ch.isdigit())


@dataclass(frozen=True)
class WordTable:
    """Words that may stand next to a number, compiled into one alternation."""

    pattern: Optional[re.Pattern]
    meta: tuple[tuple[str, bool, str], ...]  # per group: label, stem, boundary ("", "ascii", "letter")

    @classmethod
    def build(cls, words: Iterable[tuple[str, str]], before: bool = False,
              ignore_case: bool = True) -> "WordTable":
        """``words``: (word, label) pairs; a word ending in ``*`` is a stem."""
        ordered = sorted(set(words), key=lambda wl: -len(wl[0]))
        if not ordered:
            return cls(None, ())
        alts = [f"({re.escape(w.rstrip('*'))})" for w, _ in ordered]
        body = "|".join(alts)
        flags = re.IGNORECASE if ignore_case else 0
        pattern = re.compile(f"(?:{body})[{_SPACES}]*$" if before else f"(?:{body})", flags)
        meta = tuple((label, w.endswith("*"), _boundary(w)) for w, label in ordered)
        return cls(pattern, meta)

    def after(self, text: str, pos: int) -> Optional[tuple[str, int]]:
        """(label, end) of the word starting at ``pos``, or None."""
        if self.pattern is None:
            return None
        match = self.pattern.match(text, pos)
        if not match:
            return None
        label, stem, boundary = self.meta[match.lastindex - 1]
        end = match.end()
        if stem:
            while end < len(text) and _is_letter(text[end]):
                end += 1
        elif end < len(text) and _glued(text[end], boundary):
            return None
        return label, end

    def before(self, text: str, end: int) -> Optional[tuple[str, int]]:
        """(label, start) of the word ending (with spaces) at ``end``, or None."""
        if self.pattern is None:
            return None
        match = self.pattern.search(text, max(0, end - 40), end)
        if not match:
            return None
        label, _stem, boundary = self.meta[match.lastindex - 1]
        start = match.start()
        if start > 0 and _glued(text[start - 1], boundary):
            return None
        return label, start


def _base(lang: str) -> str:
    return lang.split("-")[0].lower()


@dataclass(frozen=True)
class Words:
    """The compiled word tables of one language."""

    units_after: WordTable
    universal_units: WordTable
    units_before: WordTable
    percent_after: WordTable
    percent_before: WordTable
    multipliers_after: WordTable
    multipliers_before: WordTable
    duals: WordTable


@lru_cache(maxsize=None)
def language_words(lang: str) -> Words:
    """The word tables for ``lang`` (its base language's entries in :mod:`numwords`)."""
    base = _base(lang)

    def pairs(table: dict) -> list[tuple[str, str]]:
        return [(w, str(label)) for label, words in table.get(base, {}).items() for w in words]

    def percent(table: dict) -> list[tuple[str, str]]:
        return [(w, PERCENT) for w in table.get(base, ())]

    def multipliers(table: dict) -> list[tuple[str, str]]:
        return [(w, str(v)) for w, v in table.get(base, {}).items()]

    universal = [(w, c) for c, ws in numwords.UNIVERSAL_UNITS.items() for w in ws]
    return Words(
        units_after=WordTable.build(pairs(numwords.UNITS_AFTER)),
        universal_units=WordTable.build(universal, ignore_case=False),
        units_before=WordTable.build(pairs(numwords.UNITS_BEFORE), before=True),
        percent_after=WordTable.build(percent(numwords.PERCENT_AFTER)),
        percent_before=WordTable.build(percent(numwords.PERCENT_BEFORE), before=True),
        multipliers_after=WordTable.build(multipliers(numwords.MULTIPLIERS_AFTER)),
        multipliers_before=WordTable.build(multipliers(numwords.MULTIPLIERS_BEFORE), before=True),
        duals=WordTable.build(pairs(numwords.DUALS)),
    )


# --- reading a text ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Number:
    """A number as written (``text``), the values it can stand for and what it counts.

    ``unit`` is a class of :mod:`numwords` (``"mg"``, ``"day"``...) or
    :data:`PERCENT`, None when nothing next to it says; ``unit_text`` is that
    word as written.  ``start``/``end`` span the number and its words.
    """

    text: str
    values: frozenset[Decimal]
    unit: Optional[str] = None
    unit_text: str = ""
    start: int = 0
    end: int = 0

    @property
    def percent(self) -> bool:
        return self.unit == PERCENT

    @property
    def label(self) -> str:
        """The number with the unit word it pairs with, for messages."""
        return f"{self.text} {self.unit_text}" if self.unit_text else self.text


def _token_values(tokens: list[str], lang: str) -> list[set[Decimal]]:
    """Values of each token, with the conventions the whole entry is consistent with."""
    local = conventions(lang)
    separated = [t for t in tokens if not t.isdigit()]
    agreeing = [c for c in local if all(readings(t, c) for t in separated)]
    chosen = agreeing or list(local)
    out = []
    for token in tokens:
        values = set().union(*(readings(token, c) for c in chosen))
        if not values:
            values = set().union(*(readings(token, c) for c in fallback_conventions(lang)))
        out.append(values)
    return out


def _gap(text: str, at: int) -> int:
    """Where a word after position ``at`` may start (spaces, a hyphen as in ``6-day``)."""
    return _GAP_RE.match(text, at).end()


def _unit_after(text: str, at: int, words: Words) -> Optional[tuple[str, int]]:
    return words.units_after.after(text, at) or words.universal_units.after(text, at)


def _read_one(text: str, match: re.Match, values: set[Decimal], words: Words,
              consumed: int) -> Number:
    """The number at ``match`` with the percent sign or word, multiplier and unit around it.

    ``consumed`` is where the previous number's words end: a sign or word
    before this number that belongs to the previous one is not read twice.
    """
    start, end = match.start(), match.end()
    left, right = start, end          # the number as shown: with its sign and multiplier
    first, last = start, end          # the number with its words
    unit, unit_text = None, ""
    if sign := _SIGN_AFTER_RE.match(text, end):
        unit, right = PERCENT, sign.end()
    elif sign := _SIGN_BEFORE_RE.search(text, consumed, start):
        unit, left = PERCENT, sign.start()
    elif word := words.percent_after.after(text, _gap(text, end)):
        unit, unit_text, last = PERCENT, text[_gap(text, end):word[1]], word[1]
    elif (word := words.percent_before.before(text, start)) and word[1] >= consumed:
        unit, unit_text, first = PERCENT, text[word[1]:start], word[1]
    if unit is None:
        at = _gap(text, end)
        found = _unit_after(text, at, words)
        if not found and (times := words.multipliers_after.after(text, at)):
            values, right = {v * int(times[0]) for v in values}, times[1]
            at = _gap(text, right)
            found = _unit_after(text, at, words)
        elif (times := words.multipliers_before.before(text, start)) and times[1] >= consumed:
            values, first = {v * int(times[0]) for v in values}, times[1]
        if found:
            unit, unit_text, last = found[0], text[at:found[1]], found[1]
        elif (word := words.units_before.before(text, start)) and word[1] >= consumed:
            unit, unit_text, first = word[0], text[word[1]:start], word[1]
    return Number(text[left:right].strip(), frozenset(values), unit, unit_text.strip(),
                  min(first, left), max(last, right))


def _link_ranges(numbers: list[Number], text: str, side: str) -> list[Number]:
    """Bounds of a range share a unit: ``6 to 8 weeks``, ``%20-40``.

    In the English source a percent sign is not shared (``10-20%`` may become
    ``10 a 20 %``); in a translation it is (Turkish ``%20-40'ı``), and a
    large-number word of the second bound may apply to the first (``10-15万``).
    """
    out = list(numbers)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if not _RANGE_RE[side].match(text[first.end:second.start]):
            continue
        shareable = side == "target" or PERCENT not in (first.unit, second.unit)
        if shareable and first.unit is None and second.unit is not None:
            out[i] = first = replace(first, unit=second.unit)
        elif shareable and second.unit is None and first.unit is not None:
            out[i + 1] = replace(second, unit=first.unit)
    return out


def read_numbers(text: str, lang: str, side: str = "target") -> list[Number]:
    """The numbers of plain ``text`` written in ``lang`` (``side``: "source" or "target")."""
    if not _DIGIT_RE.search(text):
        return []
    text = normalise(text)
    words = language_words(lang)
    matches = list(_TOKEN_RE.finditer(text))
    values = _token_values([m.group(0) for m in matches], lang)
    found: list[Number] = []
    consumed = 0
    for match, vals in zip(matches, values):
        if vals:
            number = _read_one(text, match, vals, words, consumed)
            found.append(number)
            consumed = max(number.end, match.end())
        else:  # unreadable ("1.2.3", "24/7"): one number per digit group
            for part in _PART_RE.finditer(match.group(0)):
                at = match.start() + part.start()
                found.append(Number(part.group(0), frozenset({Decimal(_digits(part.group(0)))}),
                                    start=at, end=at + len(part.group(0))))
            consumed = match.end()
    return _link_ranges(found, text, side)


_WORD_RE = re.compile(r"[^\W\d_]+")


def spelled_numbers(text: str, lang: str = "en") -> list[Number]:
    """The numbers plain ``text`` spells in words, with their units (:mod:`numwords`).

    ``six weeks`` is 6 weeks, ``twenty-one days`` 21 days, ``twice`` 2
    times, ``a day`` / ``per day`` / ``daily`` 1 day: so "Take it twice a day"
    accounts for the 1 and the 2 of Japanese ``1日2回``.  The numbers check
    uses them only to account for a translation's digits, never requires them.
    """
    base = _base(lang)
    numbers, ones, counted = (numwords.NUMBER_WORDS.get(base, {}), numwords.ONE_BEFORE_UNIT.get(base, ()),
                              numwords.COUNTED_WORDS.get(base, {}))
    if not (numbers or counted):
        return []
    text = normalise(text)
    words = language_words(lang)
    found: list[Number] = []
    for match in _WORD_RE.finditer(text):
        word, start, end = match.group(0).lower(), match.start(), match.end()
        if word in counted:
            value, unit_class = counted[word]
            found.append(Number(match.group(0), frozenset({Decimal(value)}), unit_class, "", start, end))
            continue
        if word not in numbers and word not in ones:
            continue
        at = _gap(text, end)
        unit = _unit_after(text, at, words)
        if word in ones:
            if unit is None or unit[0] not in numwords.TIME_UNITS:
                continue         # "a patient", "per cent": not a count
            value = 1
        else:
            value = numbers[word]
            previous = found[-1] if found else None
            if (previous is not None and previous.end == start - 1 and text[start - 1] == "-"
                    and previous.text.lower() in numbers and value < 10
                    and numbers[previous.text.lower()] in range(20, 100, 10)):   # twenty-one
                found.pop()
                start, value = previous.start, numbers[previous.text.lower()] + value
        unit_class, unit_text, last = (unit[0], text[at:unit[1]], unit[1]) if unit else (None, "", end)
        found.append(Number(text[start:end], frozenset({Decimal(value)}), unit_class, unit_text.strip(),
                            start, last))
    return found


def dual_nouns(text: str, lang: str) -> list[tuple[str, str]]:
    """(unit class, word) of each dual noun in ``text`` (Arabic يومين, Hebrew שנתיים).

    Prefixes glued in front (Arabic و/ل/ب, Hebrew ו/ב/ל/ה: ולשנתיים) are allowed.
    """
    table = language_words(lang).duals
    if table.pattern is None:
        return []
    return [(table.meta[m.lastindex - 1][0], m.group(0)) for m in table.pattern.finditer(normalise(text))]
