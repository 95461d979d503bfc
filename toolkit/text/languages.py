"""Language data: names and direction from CLDR (through Babel), plural forms from gettext.

tmkit speaks BCP 47 (``zh-Hans``, ``pt-BR``) in settings and HTML, and gettext
locale names (``zh_Hans``, ``pt_BR``) in PO headers and folder names are kept
as the BCP 47 tag the user configured.  Direction and native names come from
CLDR; they only decorate pages.  Plural forms go into translators' files, so
they come from the frozen gettext table (:mod:`toolkit.text.plurals`) and move only
when tmkit decides; Babel's CLDR rule is the last resort for a language the
table does not know.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import babel
from babel import localedata

from toolkit.errors import ConfigError
from toolkit.text.plurals import table_rule


@dataclass(frozen=True)
class Language:
    """What tmkit needs to know about one target language."""

    tag: str              # BCP 47 as configured, e.g. "zh-Hans"
    gettext: str          # e.g. "zh_Hans"
    english_name: str
    native_name: str      # the language named in itself, for the switcher
    rtl: bool
    plural_forms: str     # the PO header value

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"


#: Pseudo-languages for layout testing (``tmkit pseudo``): not in CLDR, so
#: described here.  ``qps`` is accented and expanded; ``qps-rtl`` mirrored.
PSEUDO_LANGUAGES = {
    "qps": Language("qps", "qps", "Pseudo", "Ƥşḗḗŭŭḓǿǿ", False, "nplurals=2; plural=(n != 1);"),
    "qps-rtl": Language("qps-rtl", "qps_RTL", "Pseudo (RTL)", "Pseudo RTL", True,
                        "nplurals=2; plural=(n != 1);"),
}


#: RFC 5646 ``langtag`` (well-formedness; grandfathered tags are not accepted):
#: language[-extlang] / 4-8 letters, script, region, variants, extensions, private use.
_BCP47 = re.compile(r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language (and extended language subtags)
    (?:-[a-z]{4})?                               # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                  # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*     # variants
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*          # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                   # private use
    """, re.VERBOSE | re.ASCII)
#: Country codes people write for a language; what they most likely mean.
_COUNTRY_FOR_LANGUAGE = {"sp": "es", "jp": "ja", "cn": "zh", "gr": "el", "dk": "da", "ua": "uk",
                         "kr": "ko", "cz": "cs", "vn": "vi", "ir": "fa", "il": "he", "se": "sv",
                         "gb": "en", "us": "en", "rs": "sr", "in": "hi", "cat": "ca"}
#: A tag shown in a message is cut to this many characters (it came from a file).
_SHOWN = 40


def _shown(tag: object) -> str:
    text = repr(tag) if not isinstance(tag, str) else repr(tag[:_SHOWN] + ("..." if len(tag) > _SHOWN else ""))
    return text


def canonical_tag(tag: str) -> str:
    """``tag`` in BCP 47 canonical case (``ES`` -> ``es``, ``zh-hans`` -> ``zh-Hans``,
    ``pt-br`` -> ``pt-BR``) if it is a well-formed tag; else :class:`ConfigError`.

    Well-formed (RFC 5646) means letters, digits and hyphens in the subtag
    shapes of the grammar, so a tag is always safe as a folder or file name:
    ``../es``, ``es/x`` and ``es\\x`` can never pass.  A gettext locale name
    (``es_MX``) is refused with the tag to write instead: tmkit's folders,
    settings and HTML speak BCP 47, and accepting both would let ``po/es_MX/``
    and ``po/es-MX/`` stand side by side.
    """
    if not isinstance(tag, str) or not tag.strip():
        raise ConfigError(f"invalid language tag: {_shown(tag)}")
    lowered = tag.lower()
    if not _BCP47.fullmatch(lowered):
        fixed = lowered.replace("_", "-")
        if "_" in tag and _BCP47.fullmatch(fixed):
            raise ConfigError(f"{_shown(tag)} is a gettext locale name, not a BCP 47 language tag: "
                              f"did you mean {_case(fixed)!r}?")
        raise ConfigError(f"not a BCP 47 language tag: {_shown(tag)} (e.g. 'es', 'pt-BR', 'zh-Hans')")
    return _case(lowered)


def _case(lowered: str) -> str:
    """RFC 5646 §2.1.1 case: language lower, script title, region upper (up to the first singleton)."""
    parts = lowered.split("-")
    out = [parts[0]]
    for index, part in enumerate(parts[1:], 1):
        if len(out[-1]) == 1:          # after an extension or private-use singleton: as is
            out.extend(parts[index:])
            break
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


def suggest_tag(tag: str) -> Optional[str]:
    """The known tag most likely meant by an unknown ``tag`` (``sp`` -> ``es``), or None."""
    lowered = tag.lower().replace("_", "-")
    if lowered in _COUNTRY_FOR_LANGUAGE:
        return _COUNTRY_FOR_LANGUAGE[lowered]
    names = _english_names()
    if len(lowered) >= 2:
        by_name = sorted(code for name, code in names.items() if name.startswith(lowered))
        if by_name:
            return by_name[0]
    codes = sorted(set(names.values()))
    close = difflib.get_close_matches(lowered, codes, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(lowered, list(names), n=1, cutoff=0.75)
        close = [names[close[0]]] if close else []
    return close[0] if close else None


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """English language name (lower case) -> language code, from CLDR."""
    names = babel.Locale("en").languages
    known = {ident.split("_")[0] for ident in localedata.locale_identifiers()}
    return {name.lower(): code for code, name in names.items() if code in known}


def known_tag(tag: str) -> str:
    """The canonical form of ``tag`` if CLDR knows its language; else :class:`ConfigError`
    with the nearest known tag as a suggestion.  Used wherever a tag enters tmkit
    (settings, ``--lang``, TMX, XLIFF)."""
    if isinstance(tag, str) and tag in PSEUDO_LANGUAGES:
        return tag
    canonical = canonical_tag(tag)
    if not _cldr_knows(canonical):
        hint = suggest_tag(canonical)
        raise ConfigError(f"unknown language tag: {_shown(tag)}"
                          + (f"; did you mean {hint!r}?" if hint else "")) from None
    return canonical


@lru_cache(maxsize=None)
def _cldr_knows(tag: str) -> bool:
    """Whether CLDR has the locale of ``tag``, as :func:`get_language` decides it.

    Parsing the tag only checks that CLDR's locale file exists; the names and
    plural rule :func:`get_language` reads load that file (~25 ms for ``de``
    and ``en`` in every ``tmkit`` run that reads the settings and needs none
    of them).
    """
    try:
        _locale(tag)
    except ConfigError:
        return False
    return True


def _locale(tag: str) -> babel.Locale:
    """CLDR's locale of a BCP 47 tag (not a pseudo-language); :class:`ConfigError` if unknown.
    Parsing only checks that CLDR has the locale: its data is read when first asked for."""
    if not isinstance(tag, str) or not tag.strip():
        raise ConfigError(f"invalid language tag: {tag!r}")
    try:
        return babel.Locale.parse(tag, sep="-")
    except (ValueError, TypeError, babel.UnknownLocaleError):
        raise ConfigError(f"unknown language tag: {tag!r}") from None


def _plural_forms(locale: babel.Locale) -> str:
    """The locale's Plural-Forms: gettext's table, else CLDR's rule (which reads its data)."""
    plural_forms = table_rule(str(locale))
    if plural_forms is None:
        from babel.messages.plurals import get_plural   # babel.messages: ~10 ms, rarely needed

        plural = get_plural(locale)
        plural_forms = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    return plural_forms


@lru_cache(maxsize=None)
def get_language(tag: str) -> Language:
    """Look a BCP 47 tag up in CLDR; raise :class:`ConfigError` if unknown."""
    if isinstance(tag, str) and tag in PSEUDO_LANGUAGES:
        return PSEUDO_LANGUAGES[tag]
    locale = _locale(tag)
    native = locale.get_display_name(locale) or tag
    english = locale.get_display_name("en") or tag
    return Language(
        tag=tag,
        gettext=str(locale),
        english_name=english,
        native_name=native[:1].upper() + native[1:],
        rtl=locale.character_order == "right-to-left",
        plural_forms=_plural_forms(locale),
    )


@lru_cache(maxsize=None)
def plural_forms_of(tag: str) -> str:
    """``get_language(tag).plural_forms`` without reading CLDR's names (every template's
    header: the locale's names cost ~75 ms in each of extract's workers, and a template
    needs none of them); the same errors."""
    if isinstance(tag, str) and tag in PSEUDO_LANGUAGES:
        return PSEUDO_LANGUAGES[tag].plural_forms
    return _plural_forms(_locale(tag))


def lookup_tag(tag: str, available: Iterable[str]) -> Optional[str]:
    """The tag of ``available`` that ``tag`` falls back to (RFC 4647 "lookup"), or None.

    Agencies' tools write region tags (Trados and memoQ: ``es-ES``,
    ``en-US``; ``po2xliff``: ``en-US``) where a project configures the
    language alone (``es``, ``en``): ``es-ES`` falls back to ``es``,
    ``zh-Hans-CN`` to ``zh-Hans``.  Tags compare case-insensitively and
    ``_`` counts as ``-`` (gettext's ``es_ES``); an exact match wins.  Never
    the other way round: ``es`` does not match a configured ``es-MX``.
    """
    by_key = {_tag_key(item): item for item in available}
    subtags = _tag_key(tag).split("-")
    while subtags:
        found = by_key.get("-".join(subtags))
        if found is not None:
            return found
        subtags.pop()
        while subtags and len(subtags[-1]) == 1:     # never end on a singleton ("x", "u")
            subtags.pop()
    return None


def _tag_key(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()
