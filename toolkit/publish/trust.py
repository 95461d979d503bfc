"""What a page says about its own origin: translated from which English, reviewed by whom.

Patients trust a translated health page when it says where it comes from:
the English version it was translated from (its date), who reviewed it
medically and when (from the sign-off, :mod:`toolkit.publish.signoff`, only
while the sign-off covers exactly the current text; otherwise "not yet
reviewed"), and a link to the English original.  The same facts go into
schema.org ``MedicalWebPage`` JSON-LD for search engines.

Dates come from the PO file's header, which tmkit keeps: ``POT-Creation-Date``
is the date of the English version the catalog was last updated against, and
``PO-Revision-Date`` when the translation last changed (``dateModified``).

The page's own words ("Translated from...", "Skip to content", "Languages")
come from :data:`STRINGS`, a small built-in table per language with English
as the fallback; dates are formatted by Babel in the page's language (CLDR
"long" format), so a language missing from the table still gets its own
date format.  Names and titles are untrusted: escaped in HTML, and the
JSON-LD is escaped as data (:func:`json_ld`) so that no value can close the
``<script>`` element.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional

from markupsafe import Markup, escape

#: Page words per language (BCP 47 tag or its primary subtag); English is the fallback.
STRINGS: dict[str, dict[str, str]] = {
    "en": {"translated": "Translated from the English version of {date}.",
           "reviewed": "Medically reviewed by {name} on {date}.",
           "unreviewed": "Not yet medically reviewed.",
           "original": "Read the English original", "skip": "Skip to content",
           "languages": "Languages", "search": "Search the articles", "articles": "Articles",
           "other": "Other articles", "breadcrumb": "Breadcrumb", "choose": "Choose your language"},
    "es": {"translated": "Traducido de la versión en inglés del {date}.",
           "reviewed": "Revisado médicamente por {name} el {date}.",
           "unreviewed": "Aún no revisado médicamente.",
           "original": "Leer el original en inglés", "skip": "Saltar al contenido",
           "languages": "Idiomas", "search": "Buscar en los artículos", "articles": "Artículos",
           "other": "Otros artículos", "breadcrumb": "Ruta de navegación", "choose": "Elija su idioma"},
    "fr": {"translated": "Traduit de la version anglaise du {date}.",
           "reviewed": "Relecture médicale par {name} le {date}.",
           "unreviewed": "Pas encore relu médicalement.",
           "original": "Lire l’original en anglais", "skip": "Aller au contenu",
           "languages": "Langues", "search": "Rechercher dans les articles", "articles": "Articles",
           "other": "Autres articles", "breadcrumb": "Fil d’Ariane", "choose": "Choisissez votre langue"},
    "de": {"translated": "Übersetzt aus der englischen Fassung vom {date}.",
           "reviewed": "Medizinisch geprüft von {name} am {date}.",
           "unreviewed": "Noch nicht medizinisch geprüft.",
           "original": "Englisches Original lesen", "skip": "Zum Inhalt springen",
           "languages": "Sprachen", "search": "Artikel durchsuchen", "articles": "Artikel",
           "other": "Weitere Artikel", "breadcrumb": "Brotkrumennavigation", "choose": "Wählen Sie Ihre Sprache"},
    "ar": {"translated": "مترجم من النسخة الإنجليزية بتاريخ {date}.",
           "reviewed": "راجعه طبيًا {name} بتاريخ {date}.",
           "unreviewed": "لم تتم مراجعته طبيًا بعد.",
           "original": "اقرأ النص الإنجليزي الأصلي", "skip": "انتقل إلى المحتوى",
           "languages": "اللغات", "search": "ابحث في المقالات", "articles": "المقالات",
           "other": "مقالات أخرى", "breadcrumb": "مسار التنقل", "choose": "اختر لغتك"},
    "zh-Hans": {"translated": "译自 {date} 的英文版本。",
                "reviewed": "由 {name} 于 {date} 进行医学审核。",
                "unreviewed": "尚未经过医学审核。",
                "original": "阅读英文原文", "skip": "跳到正文",
                "languages": "语言", "search": "搜索文章", "articles": "文章",
                "other": "其他文章", "breadcrumb": "导航路径", "choose": "选择您的语言"},
}

_HEADER_DATE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): *(\d{4}-\d{2}-\d{2})', re.M)


def words(lang: str) -> dict[str, str]:
    """The page words of ``lang`` (its tag, else its primary subtag, else English)."""
    table = STRINGS.get(lang) or STRINGS.get(lang.split("-")[0]) or {}
    return {**STRINGS["en"], **table}


def format_day(day: str, lang: str) -> str:
    """``2026-12-03`` as the language writes a date (Babel, CLDR long format); the ISO date if Babel cannot."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    try:
        return format_date(date.fromisoformat(day), "long", locale=Locale.parse(lang, sep="-"))
    except (ValueError, UnknownLocaleError):
        return day


@dataclass
class Trust:
    """The origin of one translated page (all dates ISO ``YYYY-MM-DD``; empty when unknown)."""

    source_date: str = ""      # the English version translated (POT-Creation-Date)
    modified: str = ""         # the translation's last change (PO-Revision-Date)
    reviewer: str = ""         # from a sign-off covering exactly this version
    reviewed_on: str = ""

    def as_dict(self) -> dict:
        return {"source_date": self.source_date, "modified": self.modified,
                "reviewer": self.reviewer, "reviewed_on": self.reviewed_on}


def po_dates(path: Path) -> tuple[str, str]:
    """(POT-Creation-Date, PO-Revision-Date) of a PO file's header as ISO dates ('' when unset)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return "", ""
    found = dict(_HEADER_DATE.findall(head))
    return found.get("POT-Creation-Date", ""), found.get("PO-Revision-Date", "")


def trust_for(po_path: Path, review) -> Trust:
    """The trust facts of one article-language: its PO header dates and its current sign-off.

    ``review`` is the :class:`~toolkit.publish.signoff.ReviewState` (or ``None``);
    a sign-off names the reviewer only while it covers exactly the current version.
    """
    source_date, modified = po_dates(po_path)
    trust = Trust(source_date, modified)
    if review is not None and review.approved and review.signoff is not None:
        trust.reviewer = review.signoff.reviewer
        trust.reviewed_on = review.signoff.approved_at[:10]
    return trust


def _time(day: str, lang: str) -> Markup:
    return Markup(f'<time datetime="{escape(day)}">{escape(format_day(day, lang))}</time>')


def trust_lines(trust: Trust, lang: str) -> list[Markup]:
    """The sentences of the trust line, in the page's language, as safe HTML."""
    table = words(lang)
    lines = []
    if trust.source_date:
        lines.append(Markup(escape(table["translated"]).replace("{date}", _time(trust.source_date, lang))))
    if trust.reviewer:
        text = escape(table["reviewed"]).replace("{name}", Markup(f"<bdi>{escape(trust.reviewer)}</bdi>"))
        lines.append(Markup(text.replace("{date}", _time(trust.reviewed_on, lang))))
    else:
        lines.append(escape(table["unreviewed"]))
    return lines


def json_ld(data: dict) -> Markup:
    """``data`` as JSON for a ``<script type="application/ld+json">``, escaped as data.

    ``<``, ``>`` and ``&`` become ``\\u003c``... inside strings (JSON allows
    it), so ``</script>`` or ``<!--`` in a translated title cannot end the
    element or open a comment; U+2028/9 are escaped for old parsers.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return Markup(text)


def medical_web_page(title: str, lang: str, trust: Optional[Trust], url: str, original: str,
                     source_language: str) -> dict:
    """schema.org ``MedicalWebPage`` for one page (``original``: the English page's URL)."""
    data: dict = {"@context": "https://schema.org", "@type": "MedicalWebPage", "name": title,
                  "inLanguage": lang}
    if url:
        data["url"] = url
    if trust is not None:
        if trust.modified:
            data["dateModified"] = trust.modified
        if trust.reviewer:
            data["lastReviewed"] = trust.reviewed_on
            data["reviewedBy"] = {"@type": "Person", "name": trust.reviewer}
        work = {"@type": "MedicalWebPage", "inLanguage": source_language, "url": original}
        if trust.source_date:
            work["dateModified"] = trust.source_date
        data["isBasedOn"] = work
        data["translationOfWork"] = work
    return data
