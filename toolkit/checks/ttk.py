"""translate-toolkit's checks (the ones ``pofilter`` runs), as tmkit checks.

We reuse :class:`translate.filters.checks.StandardChecker` for what it does
well (whitespace, punctuation, brackets, doubled words, URLs, escapes...)
instead of writing those again.  Accelerators are off (articles have none).
translate-toolkit's own ``numbers``, ``notranslatewords``, ``xmltags``,
``long`` and ``short`` are replaced by our language-aware
:mod:`toolkit.checks.medical` versions and not offered, so a problem is never
reported twice under two names.

Severity follows translate-toolkit's category: "critical" tests are errors,
the others warnings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import babel
from translate.filters import checks as ttk_checks
from translate.filters.decorators import Category
from translate.storage import pypo

from toolkit.text import inline
from toolkit.checks.base import CHECKS, CheckSpec, Entry, LanguageEnv, Problem
from toolkit.checks.findings import ERROR, WARNING

#: Tests on by default: cheap, language-aware in translate-toolkit, and
#: meaningful for prose.  The rest of StandardChecker can be enabled by name.
#: ``puncspacing`` is off: built for UI strings, it reports every sentence a
#: translator legitimately re-punctuates ("(spinal) surgery" -> "(de columna).").
DEFAULT_TESTS = ("escapes", "newlines", "tabs", "blank", "unchanged", "urls", "emails", "purepunc",
                 "brackets", "doublespacing", "doublewords", "startwhitespace",
                 "endwhitespace", "startpunc", "endpunc", "doublequoting")

#: StandardChecker tests never offered: replaced by ours, or meaningless for articles.
REPLACED = {"numbers", "notranslatewords", "xmltags", "long", "short", "accelerators", "printf",
            "pythonbraceformat", "kdecomments", "compendiumconflicts", "credits", "spellcheck",
            "untranslated", "functions", "options", "filepaths", "validchars", "musttranslatewords"}



def _ttk_language(tag: str) -> str:
    """translate-toolkit knows languages by ISO code ("zh", "ar"), not BCP 47 ("zh-Hans")."""
    try:
        return babel.Locale.parse(tag, sep="-").language
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return "en"  # pseudo-languages are English in disguise


def _checker(env: LanguageEnv, wanted: set[str]) -> ttk_checks.StandardChecker:
    """One StandardChecker per language and set of tests (building one is the slow part).

    It runs only the ``wanted`` tests (translate-toolkit still runs its
    preconditions, so each test's verdict is the same as in a full run):
    the publishing gate wants the three error-level ones, and running all
    forty made the checks most of a build's time.
    """
    key = ("ttk", frozenset(wanted))
    checker = env.extra.get(key)
    if checker is None:
        config = ttk_checks.CheckerConfig(targetlanguage=_ttk_language(env.lang), accelmarkers=[])
        names = sorted(set(wanted) & TTK_NAMES - _unsuited(config))
        checker = ttk_checks.StandardChecker(checkerconfig=config, limitfilters=names)
        env.extra[key] = checker
    return checker




def _unsuited(config: ttk_checks.CheckerConfig) -> set[str]:
    """Tests translate-toolkit's own language data says cannot judge this language.

    ``puncspacing`` expects the source's space after punctuation unless the
    language's punctuation table removes it; for languages written without
    spaces after a full stop (Chinese, Japanese: translate-toolkit turns
    ". " into "。") any space in the source, e.g. after ")", is not kept, so
    the test only produces noise there.
    """
    return {"puncspacing"} if " " not in config.lang.punctranslate("a. b") else set()


def _ascii_brackets(text: str) -> str:
    """Full-width brackets (（）［］) as ASCII: the same brackets in CJK width.

    translate-toolkit's ``brackets`` test counts only ASCII ones and would
    report every correct Chinese or Japanese parenthesis as missing.  Every
    character whose NFKC form is an ASCII bracket is one of the Basic
    Multilingual Plane's (checked over all of Unicode when this was written);
    a translation table made once replaces them in one pass.
    """
    return text if text.isascii() else text.translate(_bracket_table())


@lru_cache(maxsize=1)
def _bracket_table() -> dict[int, str]:
    table = {}
    for code in range(0x80, 0x10000):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded in ("(", ")", "[", "]", "{", "}"):
            table[code] = folded
    return table


#: Native punctuation -> the ASCII mark of the English source it renders.
#: translate-toolkit's language data converts the source's marks for some
#: languages (Bengali ``.`` -> ``।``, Urdu ``?`` -> ``؟``) but not for others
#: (Hindi keeps ``.``): a Hindi sentence ending in ``।`` got ``endpunc``.
NATIVE_PUNCTUATION = {
    "\u0964": ".", "\u0965": ".",            # Devanagari/Bengali danda, double danda
    "\u06d4": ".", "\u0589": ".", "\u1362": ".", "\u104b": ".",  # Urdu, Armenian, Ethiopic, Myanmar
    "\u0f0d": ".", "\u0f0e": ".",            # Tibetan shad, nyis shad
    "\u061f": "?", "\u060c": ",", "\u061b": ";",  # Arabic script
    "\u1363": ",", "\u1364": ";", "\u1365": ":", "\u1367": "?", "\u104a": ",",  # Ethiopic, Myanmar
    "\uff1f": "?", "\uff01": "!", "\uff1a": ":", "\uff1b": ";",  # full-width (Japanese ？)
}
#: Languages whose full stop also closes questions and exclamations: Burmese
#: and Tibetan have no question mark (``...သလား။``, ``...ཡིན་ནམ།``), and Thai
#: marks a question by a particle (``ไหม``, ``หรือไม่``) and ends it with no
#: mark at all (``""``).  A question of the English ending so is no ``endpunc``.
TIBETAN_SHADS = ("\u0f0d", "\u0f0e")
CLOSES_QUESTIONS = {"my": ("\u104b",), "bo": TIBETAN_SHADS, "dz": TIBETAN_SHADS, "th": ("",)}
#: Tibetan and Dzongkha close a heading or a lone phrase with a shad too
#: (``སྨན།`` for "Medicines"), where the English has no mark.
SHAD_LANGUAGES = ("bo", "dz")
#: Armenian sets its question and exclamation marks (``՞``, ``՜``) on the word
#: asked or exclaimed about, and ends the sentence with ``։`` (or nothing):
#: ``Ցավը գիշերը ուժեղանո՞ւմ է։`` is "Is the pain worse at night?".
WORD_MARKS = {"hy": {"?": "\u055e", "!": "\u055c"}}
_ARMENIAN_FULL_STOP = "\u0589"
#: Double quotation marks of other conventions (German „“, Russian «», Japanese
#: 「」): the same quotes to translate-toolkit's ``doublequoting``, which only
#: counts ``"“”«»`` one by one.
DOUBLE_QUOTES = "\u201e\u201c\u201d\u00ab\u00bb\u201f\u300c\u300d\u300e\u300f\u301d\u301e\uff02"
#: A ``"`` between Hebrew letters is a gershayim (מ"ג, milligram), not a quote.
_GERSHAYIM_RE = re.compile(r'(?<=[\u05d0-\u05ea])"(?=[\u05d0-\u05ea])')
_FULL_WIDTH_ALNUM_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


@lru_cache(maxsize=64)
def _native_map(ttk_language: str) -> dict[int, str]:
    """What to map in a translation before translate-toolkit judges it.

    Only what the language's own data would not produce from the English: a
    native mark it converts to (``।`` for Bengali) is left for it to compare,
    and French ``« »`` (which it expects) stay.
    """
    lang = ttk_checks.CheckerConfig(targetlanguage=ttk_language).lang
    table = {ord(native): ascii_mark for native, ascii_mark in NATIVE_PUNCTUATION.items()
             if native not in lang.punctranslate(f"a{ascii_mark} b")}
    if lang.punctranslate('a "b" c') == 'a "b" c':
        table.update({ord(q): '"' for q in DOUBLE_QUOTES})
    return table


def native_punctuation(text: str, ttk_language: str) -> str:
    """``text`` with the native punctuation translate-toolkit does not know for
    the language written as the English marks it renders; Hebrew gershayim and
    full-width Latin letters and digits (``ＭＲＩ``) in their usual forms."""
    text = _GERSHAYIM_RE.sub("\u05f4", text)
    text = _FULL_WIDTH_ALNUM_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return text.translate(_native_map(ttk_language))


def native_end(source: str, target: str, ttk_language: str) -> str:
    """``target`` with the end of a question or exclamation as translate-toolkit expects it,
    where the language closes one its own way (:data:`CLOSES_QUESTIONS`, :data:`WORD_MARKS`).

    Only the end mark changes (white space after it stays for ``endwhitespace``),
    and only when the English ends with ``?`` or ``!`` (or, for a Tibetan
    shad, with no mark): a Burmese statement ending in ``?`` is still reported.
    """
    end = source.rstrip()[-1:]
    body = target.rstrip()
    tail = target[len(body):]
    if ttk_language in SHAD_LANGUAGES and end.isalnum() and body.endswith(TIBETAN_SHADS):
        return body.rstrip("".join(TIBETAN_SHADS)) + tail    # a heading closed by its shad
    if end not in ("?", "!"):
        return target
    word_mark = WORD_MARKS.get(ttk_language, {}).get(end)
    if word_mark is not None:
        if word_mark in body[:-1] and (body.endswith(_ARMENIAN_FULL_STOP) or body[-1:].isalpha()):
            return body.removesuffix(_ARMENIAN_FULL_STOP) + word_mark + tail
        return target
    for mark in CLOSES_QUESTIONS.get(ttk_language, ()):
        if mark and body.endswith(mark):
            return body[:-len(mark)] + end + tail
        if not mark and body and unicodedata.category(body[-1])[0] in "LM":
            return body + end + tail
    return target


#: translate-toolkit's sentence and punctuation tests are quadratic in the text:
#: a hostile 3 MB msgstr kept ``tmkit status`` busy for minutes.  No real
#: segment is this long; longer entries skip those tests (tmkit's own still run).
TTK_MAX_CHARS = 20_000


#: translate-toolkit's tests that only count backslashes, line breaks and tabs
#: (all three error-level, what the publishing gate and ``tmkit status`` run):
#: where neither string has one of these characters they cannot fail.
_CHARACTER_TESTS = frozenset({"escapes", "newlines", "tabs"})
_COUNTED_CHARACTERS = "\\\n\r\t"


def run_ttk(entry: Entry, env: LanguageEnv, wanted: set[str]) -> dict[str, str]:
    """Run the wanted translate-toolkit tests on one entry: name -> message.

    Inline markup entities are decoded first so that ``&lt;`` is not taken for
    a bracket or an escape; tags are left in, and tests like ``puncspacing``
    see the text as a translator wrote it.
    """
    if len(entry.source) + len(entry.target) > TTK_MAX_CHARS:
        return {}
    source, target = inline.unescape(entry.source), inline.unescape(entry.target)
    if wanted <= _CHARACTER_TESTS and not any(c in source or c in target for c in _COUNTED_CHARACTERS):
        return {}    # the mapping of native punctuation below adds none of them
    checker = _checker(env, wanted)
    unit = pypo.pounit(source)
    language = _ttk_language(env.lang)
    unit.target = native_punctuation(native_end(unit.source, _ascii_brackets(target), language), language)
    failures = checker.run_filters(unit, categorised=True)
    return {name: str(info["message"]) for name, info in failures.items() if name in wanted}


def _register_all() -> None:
    """Add every offered StandardChecker test to the registry under its own name."""
    probe = ttk_checks.StandardChecker(checkerconfig=ttk_checks.CheckerConfig(accelmarkers=[]))
    sample = pypo.pounit("A")
    sample.target = "B"
    probe.run_filters(sample)  # the category decorators record categories when tests run
    for name in sorted(probe.defaultfilters):
        if name in REPLACED or name in CHECKS:
            continue
        severity = ERROR if probe.categories.get(name, 0) >= Category.CRITICAL else WARNING
        doc = (getattr(probe, name).__doc__ or "").strip().splitlines()[0].strip()

        def function(entry: Entry, env: LanguageEnv, _name: str = name) -> list[Problem]:
            # The runner batches ttk tests (see run_ttk); this serves single calls.
            return [Problem(m) for m in run_ttk(entry, env, {_name}).values()]

        CHECKS[name] = CheckSpec(name, severity, name in DEFAULT_TESTS, function,
                                 f"translate-toolkit: {doc}")
        TTK_NAMES.add(name)


#: Names of the checks that come from translate-toolkit (the runner batches them).
TTK_NAMES: set[str] = set()
_register_all()
