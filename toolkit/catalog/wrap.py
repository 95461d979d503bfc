"""GNU gettext's layout of PO strings, so ``msgcat`` round trips byte for byte.

polib wraps with :mod:`textwrap` at 78 columns, which differs from what
``msgmerge``, ``msgcat`` and Poedit write: after a round trip through any of
them every long entry would show up as a change in version control.  GNU
gettext (``write-po.c``) instead

* splits a string after each ``\\n`` (each piece starts a new line),
* escapes ``\\ " \\n \\t`` (and the other C escapes) and never breaks inside
  an escape,
* finds break opportunities with the Unicode line breaking algorithm
  (UAX #14, through libunistring) on the *escaped* text, and breaks where a
  piece would pass column 79 (counting East Asian wide characters as two),
* writes ``msgid ""`` and continuation lines when the string does not fit on
  the first line or holds an inner newline.

This module reproduces that for the characters articles contain: all of
ASCII, Latin/Greek/Cyrillic/Arabic letters, CJK ideographs and punctuation,
Japanese kana (small kana as non-starters), typographic quotes, dashes and
spaces.  Rare classes (Hangul syllable blocks, emoji modifiers, regional
indicators) fall back to "letter".  Checked against ``msgcat`` on 39,976
msgid/msgstr pairs from this machine's gettext catalogs (all their
languages): the 17 that differ are in Kannada, Tibetan and Khmer (scripts
that break by dictionary or around combining marks), and one is mojibake.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PAGE_WIDTH = 79

# UAX #14 line-break classes (only those that change a decision here).
_ASCII_CLASSES = {
    "!": "EX", '"': "QU", "$": "PR", "%": "PO", "'": "QU", "(": "OP", ")": "CP",
    "+": "PR", ",": "IS", "-": "HY", ".": "IS", "/": "SY", ":": "IS", ";": "IS",
    "?": "EX", "[": "OP", "\\": "PR", "]": "CP", "{": "OP", "|": "BA", "}": "CL",
    " ": "SP", "\t": "BA",
}
_SPECIAL = {
    "\u00a0": "GL", "\u202f": "GL", "\u2007": "GL", "\u2060": "GL", "\u2011": "GL",
    "\u00ad": "BA", "\u2010": "BA", "\u2012": "BA", "\u2013": "BA", "\u2014": "B2",
    "\u2026": "IN", "\u2025": "IN",
    "\u2018": "QU", "\u2019": "QU", "\u201b": "QU", "\u201c": "QU", "\u201d": "QU",
    "\u201f": "QU", "\u00ab": "QU", "\u00bb": "QU", "\u2039": "QU", "\u203a": "QU",
    "\u201a": "OP", "\u201e": "OP", "\u00bf": "OP", "\u00a1": "OP",
    "\u00b0": "PO", "\u2030": "PO", "\u2032": "PO", "\u2033": "PO", "\u20ac": "PR",
    "\u00a3": "PR", "\u00a5": "PR", "\u00b1": "PR", "\u2116": "PR",
    "\u060c": "IS", "\u060d": "IS", "\u061b": "EX", "\u061f": "EX", "\u06d4": "EX",
    "\u066a": "PO",
    "\uff01": "EX", "\uff1f": "EX",
    "\u30fc": "NS", "\u3005": "NS", "\u30fb": "NS", "\uff1a": "NS", "\uff1b": "NS",
    "\u301c": "NS",
}
_CJK_CLOSE = set("、。，．）」』】〕〉》〗〙〛｝］｣")
#: Small kana (UAX #14 class CJ), which libunistring treats as non-starters:
#: no break before the small "ュ" of "モジュール".
_SMALL_KANA = (set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ")
               | {chr(c) for c in range(0x31F0, 0x3200)} | {chr(c) for c in range(0xFF67, 0xFF71)})
_CJK_OPEN = set("（「『【〔〈《〖〘〚｛［｢")


@lru_cache(maxsize=4096)
def _char_info(ch: str) -> tuple[str, int]:
    """(line-break class, display width) of one character."""
    if ch < "\x80":
        if ch.isalpha() or ch in "#&*<=>@^_`~":
            return "AL", 1
        if ch.isdigit():
            return "NU", 1
        return _ASCII_CLASSES.get(ch, "AL"), 1 if ch >= " " else 0
    wide = unicodedata.east_asian_width(ch) in ("W", "F")
    width = 2 if wide else 1
    if ch in _SPECIAL:
        return _SPECIAL[ch], width
    if ch in _CJK_CLOSE:
        return "CL", width
    if ch in _SMALL_KANA:
        return "NS", width
    if ch in _CJK_OPEN:
        return "OPW", width   # wide opening bracket: LB30 does not hold it to a word
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Mc", "Cf"):
        return "CM", 0 if category != "Mc" else width
    if category == "Nd":
        return "NU", width
    if category == "Zs":
        return "BA", width
    if wide:
        return "ID", width
    return "AL", width


def _allowed(a: str, b: str, base: str) -> bool:
    """May a line break between a character of class ``a`` and one of ``b``?

    ``base`` is the class of the last non-space before ``a`` when ``a`` is a
    space (rules LB14-LB17 look across spaces).  The rules of UAX #14 in
    order, trimmed to the classes :func:`_char_info` produces.
    """
    if b == "SP" or b == "CM":                       # LB7, LB9
        return False
    wide_open = b == "OPW"
    if wide_open:
        b = "OP"
    if a == "OPW":
        a = "OP"
    if base == "OPW":
        base = "OP"
    if a == "GL" or (b == "GL" and a not in ("SP", "BA", "HY")):  # LB12, LB12a
        return False
    if b in ("CL", "CP", "EX", "IS", "SY"):          # LB13
        return False
    if a == "SP":
        if base == "BK":                              # leading spaces: LB2
            return False
        if base == "OP":                              # LB14
            return False
        if base == "QU" and b == "OP":                # LB15
            return False
        if base in ("CL", "CP") and b == "NS":        # LB16
            return False
        if base == "B2" and b == "B2":                # LB17
            return False
        return True                                   # LB18
    if a == "OP":                                     # LB14
        return False
    if b == "IN":                                     # LB22 (Unicode 15: x IN)
        return False
    if a in ("CL", "CP") and b == "NS":              # LB16
        return False
    if a == "B2" and b == "B2":                       # LB17
        return False
    if a == "QU" or b == "QU":                        # LB19
        return False
    if b in ("BA", "HY", "NS"):                       # LB21
        return False
    if (a == "AL" and b == "NU") or (a == "NU" and b == "AL"):  # LB23
        return False
    if (a == "PR" and b == "ID") or (a == "ID" and b == "PO"):  # LB23a
        return False
    if (a in ("PR", "PO") and b == "AL") or (a == "AL" and b in ("PR", "PO")):  # LB24
        return False
    if a in ("CL", "CP", "NU") and b in ("PO", "PR"):  # LB25
        return False
    if a in ("PO", "PR") and b == "OP":
        return False
    if a in ("PO", "PR", "HY", "IS", "NU", "SY") and b == "NU":
        return False
    if a == "AL" and b == "AL":                       # LB28
        return False
    if (a in ("AL", "NU") and b == "OP" and not wide_open) or (a == "CP" and b in ("AL", "NU")):  # LB30
        return False
    return True                                       # LB31


_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
            "\\": "\\", '"': '"'}


#: any character :data:`_ESCAPES` escapes (one C scan instead of a Python loop per character)
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_ESCAPE_TABLE = str.maketrans({ch: "\\" + code for ch, code in _ESCAPES.items()})


def _escape_portion(portion: str) -> tuple[str, set[int]]:
    """The escaped text and the positions where a break is forbidden (inside each escape).

    ``str.translate`` escapes; the escaped characters (few) are found by one
    regex scan: the k-th of them, at ``i`` in ``portion``, is at ``i + k`` in
    the result, its backslash followed by the letter at ``i + k + 1``.
    """
    if not _NEEDS_ESCAPE.search(portion):
        return portion, set()
    forbidden = {found.start() + k + 1 for k, found in enumerate(_NEEDS_ESCAPE.finditer(portion))}
    return portion.translate(_ESCAPE_TABLE), forbidden


_CLASSES = ("AL", "NU", "SP", "HY", "BA", "B2", "IS", "SY", "OP", "OPW", "CP", "CL", "EX",
            "PR", "PO", "QU", "ID", "GL", "NS", "IN", "BK")
#: (previous class, class) -> break allowed, for a previous class other than SP;
#: (class before the spaces, class) -> break allowed, after spaces.
_PAIRS = {(a, b): _allowed(a, b, a) for a in _CLASSES for b in _CLASSES if a != "SP"}
_AFTER_SPACE = {(base, b): _allowed("SP", b, base) for base in _CLASSES for b in _CLASSES}


def _line_breaks(text: str, forbidden: set[int], width: int, start_column: int) -> list[int]:
    """Positions to break ``text`` at, as libunistring's ``ulc_width_linebreaks``."""
    breaks: list[int] = []
    last_p = -1
    last_column = start_column
    piece_width = 0
    prev = ""
    base = "BK"
    pairs = _PAIRS
    after_space = _AFTER_SPACE
    for i, ch in enumerate(text):
        cls, w = _char_info(ch)
        if cls == "CM":                               # LB9, LB10
            possible = prev == "SP" and base != "BK" and i not in forbidden
            cls = prev if prev and prev != "SP" else "AL"
        elif i == 0 or i in forbidden:
            possible = False
        elif prev == "SP":
            possible = after_space[base, cls]
        else:
            possible = pairs[prev, cls]
        if possible:
            if last_p >= 0 and last_column + piece_width > width:
                breaks.append(last_p)
                last_column = 0
            last_p = i
            last_column += piece_width
            piece_width = 0
        piece_width += w
        if cls != "SP":
            base = cls
        prev = cls
    if last_p >= 0 and last_column + piece_width > width:
        breaks.append(last_p)
    return breaks


def _ascii_break_rules() -> tuple[dict[int, str], "re.Pattern[str]"]:
    """A translation of printable ASCII to one letter per line-break class, and a
    pattern whose matches end exactly at the places :func:`_line_breaks`
    may break such a translation.

    Each match starts at the character before the break (after a run of
    spaces: the one before the run, rules LB14-LB17 look across spaces) and
    its class decides which classes may follow; the alternatives are derived
    from ``_PAIRS`` and ``_AFTER_SPACE``, so the two functions cannot disagree.
    Why: English sentences are most of what tmkit wraps, and walking them a
    character at a time in Python was most of the time spent formatting a
    catalog; here the characters are walked in C and Python sees only the
    break opportunities.
    """
    printable = [chr(c) for c in range(0x20, 0x7F)]
    classes = sorted({_char_info(ch)[0] for ch in printable})
    letter = {cls: chr(ord("a") + n) for n, cls in enumerate(classes)}
    table = {ord(ch): letter[_char_info(ch)[0]] for ch in printable}
    space, alternatives = letter["SP"], []
    for a in classes:
        if a == "SP":
            continue
        after = "".join(letter[b] for b in classes if _PAIRS[a, b])
        after_space = "".join(letter[b] for b in classes if b != "SP" and _AFTER_SPACE[a, b])
        ways = ([f"(?=[{after}])"] if after else []) + ([f"{space}+(?=[{after_space}])"] if after_space else [])
        if ways:
            alternatives.append(f"{letter[a]}(?:{'|'.join(ways)})")
    return table, re.compile("|".join(alternatives))


_ASCII_CLASS_LETTERS, _ASCII_BREAKS = _ascii_break_rules()


def _ascii_line_breaks(text: str, forbidden: set[int], width: int, start_column: int) -> list[int]:
    """:func:`_line_breaks` of printable ASCII (every character one column wide)."""
    breaks: list[int] = []
    last_p, last_column, previous = -1, start_column, 0
    for found in _ASCII_BREAKS.finditer(text.translate(_ASCII_CLASS_LETTERS)):
        i = found.end()
        if i in forbidden:
            continue
        if last_p >= 0 and last_column + (i - previous) > width:
            breaks.append(last_p)
            last_column = 0
        last_column += i - previous
        last_p = previous = i
    if last_p >= 0 and last_column + (len(text) - previous) > width:
        breaks.append(last_p)
    return breaks


def _display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(_char_info(c)[1] for c in text)


@lru_cache(maxsize=65536)
def format_string(name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH) -> tuple[str, ...]:
    """The lines gettext writes for ``name "value"`` (``msgid``, ``msgstr[0]``...).

    ``prefix`` is ``"#~ "`` for obsolete entries and ``"#| "`` for previous
    strings; it shortens every line as in gettext.  Cached: the same English
    recurs in the template, in every language and in shared page footers.
    """
    after_break = len(prefix) + 1
    avail = width - 1 - after_break
    lines: list[str] = []
    first_line = True
    portions = _split_after_newlines(value) if "\n" in value else [value]
    for index, portion in enumerate(portions):
        escaped, forbidden = _escape_portion(portion)
        if portion.endswith("\n"):
            forbidden.add(len(escaped) - 2)
        more = index + 1 < len(portions)
        start = len(prefix) + (len(name) + 1 if first_line else 0) + 1 - after_break
        breaks = _breaks_if_needed(escaped, forbidden, avail, start)
        if first_line and escaped and (more or breaks):
            lines.append(f'{prefix}{name} ""')
            first_line = False
            start = len(prefix) + 1 - after_break
            breaks = _breaks_if_needed(escaped, forbidden, avail, start)
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        cuts = [0, *breaks, len(escaped)]
        for n in range(len(cuts) - 1):
            lead = head if n == 0 else prefix
            lines.append(f'{lead}"{escaped[cuts[n]:cuts[n + 1]]}"')
    return tuple(lines)


def _breaks_if_needed(escaped: str, forbidden: set[int], avail: int, start: int) -> list[int]:
    if start + _display_width(escaped) <= avail:
        return []
    if escaped.isascii() and escaped.isprintable():
        return _ascii_line_breaks(escaped, forbidden, avail, start)
    return _line_breaks(escaped, forbidden, avail, start)


def _split_after_newlines(value: str) -> list[str]:
    parts = value.split("\n")
    pieces = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        pieces.append(parts[-1])
    return pieces
