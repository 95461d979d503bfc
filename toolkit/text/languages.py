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

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import babel
from babel.messages.plurals import get_plural

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


@lru_cache(maxsize=None)
def get_language(tag: str) -> Language:
    """Look a BCP 47 tag up in CLDR; raise :class:`ConfigError` if unknown."""
    if not isinstance(tag, str) or not tag.strip():
        raise ConfigError(f"invalid language tag: {tag!r}")
    if tag in PSEUDO_LANGUAGES:
        return PSEUDO_LANGUAGES[tag]
    try:
        locale = babel.Locale.parse(tag, sep="-")
    except (ValueError, TypeError, babel.UnknownLocaleError):
        raise ConfigError(f"unknown language tag: {tag!r}") from None
    plural_forms = table_rule(str(locale))
    if plural_forms is None:
        plural = get_plural(locale)
        plural_forms = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    native = locale.get_display_name(locale) or tag
    english = locale.get_display_name("en") or tag
    return Language(
        tag=tag,
        gettext=str(locale),
        english_name=english,
        native_name=native[:1].upper() + native[1:],
        rtl=locale.character_order == "right-to-left",
        plural_forms=plural_forms,
    )


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
