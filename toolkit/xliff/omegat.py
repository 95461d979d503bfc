"""An OmegaT project for ``tmkit xliff export --for omegat`` (tried with OmegaT 3.6).

OmegaT 3's XLIFF filter is of the "source = target" kind: it takes the
*text of ``<target>``* as the text to translate, ignores ``<source>``, and
skips units without a ``<target>``.  Standard XLIFF (targets holding
translations, none for untranslated units) therefore shows the translations
as if they were the English and hides the work still to do.  So the
``omegat`` flavour gives every unit its English as ``<target>``
(:func:`toolkit.xliff.writer.render_document`) and the existing
translations travel as OmegaT reads translations, in TMX:

``OUTPUT/LANG/`` is an OmegaT project the translator opens as it is::

    omegat.project                 languages; paragraph segmentation (a unit is one segment)
    source/<slug>.xlf              what to translate
    tm/auto/tmkit-<lang>.tmx       finished translations: OmegaT fills them in
    tm/tmkit-<lang>-matches.tmx    fuzzy translations and TM suggestions: offered as matches
    glossary/tmkit-<lang>.utf8     the project glossary's terms for the language
    target/                        where OmegaT writes the translated XLIFF

``tmkit xliff import OUTPUT/LANG/target/*.xlf`` brings the work back; a
unit OmegaT did not translate still holds the English, which the import
counts as untranslated (:func:`toolkit.xliff.apply._copy_of_source`).

In OmegaT, a unit's ``<g>``/``<x/>`` elements are tags named by their
letter and position: ``<g0>two</g0>``, ``<x1/>`` (numbered from 0 in the
order of the English).  A TMX segment matches only when written the same
way, so :func:`omegat_text` renders tmkit markup as OmegaT shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from toolkit import __version__
from toolkit.text.inline_codes import Codes, write_xliff
from toolkit.xliff import XLIFF_NS
from toolkit.xliff.writer import NEEDS_REVIEW, TRANSLATED, ExportEntry, entry_state

PROJECT_FILE = "omegat.project"
#: Folders OmegaT expects in a project (it creates ``omegat/`` itself).
FOLDERS = ("source", "target", "tm/auto", "glossary", "dictionary", "omegat")


@dataclass(frozen=True)
class TmxPair:
    """One translation unit of a TMX file for OmegaT (texts in OmegaT's tag form)."""

    source: str
    target: str


def project_file(source_lang: str, target_lang: str) -> bytes:
    """``omegat.project``: the default folders, the languages, one segment per unit.

    Sentence segmentation is off: tmkit's units are already sentences, and a
    unit cut in two would match no TMX entry and import as two halves.
    """
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<omegat>\n"
        '    <project version="1.0">\n'
        "        <source_dir>__DEFAULT__</source_dir>\n"
        "        <target_dir>__DEFAULT__</target_dir>\n"
        "        <tm_dir>__DEFAULT__</tm_dir>\n"
        "        <glossary_dir>__DEFAULT__</glossary_dir>\n"
        "        <glossary_file>__DEFAULT__</glossary_file>\n"
        "        <dictionary_dir>__DEFAULT__</dictionary_dir>\n"
        f"        <source_lang>{escape(source_lang)}</source_lang>\n"
        f"        <target_lang>{escape(target_lang)}</target_lang>\n"
        "        <sentence_seg>false</sentence_seg>\n"
        "        <support_default_translations>true</support_default_translations>\n"
        "        <remove_tags>false</remove_tags>\n"
        "    </project>\n"
        "</omegat>\n").encode("utf-8")


def omegat_text(markup: str, codes: Codes, numbers: Optional[dict[str, int]] = None
                ) -> tuple[str, dict[str, int]]:
    """``markup`` as OmegaT shows the XLIFF tmkit writes for it, and the tag numbers used.

    ``numbers`` (XLIFF id -> OmegaT number) is None for the English, which
    numbers its tags in order; a translation passes the English's numbers so
    each tag keeps its name.  Raises KeyError for a tag the English has not.
    """
    holder = etree.Element(f"{{{XLIFF_NS}}}target")
    write_xliff(holder, markup, codes, XLIFF_NS)
    own = numbers is None
    numbers = {} if numbers is None else numbers
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        parts.append(element.text or "")
        for child in element:
            name = etree.QName(child).localname
            code_id = child.get("id") or ""
            if own:
                numbers[code_id] = len(numbers)
            number = numbers[code_id]
            if name == "x":
                parts.append(f"<x{number}/>")
            else:
                parts.append(f"<g{number}>")
                walk(child)
                parts.append(f"</g{number}>")
            parts.append(child.tail or "")

    walk(holder)
    return "".join(parts), numbers


def tmx_pairs(items: Iterable[ExportEntry]) -> tuple[list[TmxPair], list[TmxPair]]:
    """(finished translations, matches) of the exported entries, in OmegaT's tag form.

    Matches are fuzzy translations (with the English they were made for,
    when the PO file keeps it as ``#| msgid``: OmegaT then scores the
    difference itself) and the TM's suggestions.
    """
    finished: list[TmxPair] = []
    matches: list[TmxPair] = []
    for item in items:
        entry = item.entry
        state = entry_state(entry)
        if state == TRANSLATED:
            _add(finished, entry.msgid, entry.msgstr)
        elif state == NEEDS_REVIEW:
            english = entry.previous_msgid if entry.previous_msgid is not None else entry.msgid
            _add(matches, english, entry.msgstr)
        for suggestion in item.suggestions:
            _add(matches, suggestion.source, suggestion.target)
    return finished, matches


def _add(pairs: list[TmxPair], english: str, translation: str) -> None:
    codes = Codes.of(english)
    source, numbers = omegat_text(english, codes)
    try:
        target, _ = omegat_text(translation, codes, numbers)
    except KeyError:           # a tag the English has not: OmegaT could not place it
        return
    pairs.append(TmxPair(source, target))


def tmx_document(pairs: Sequence[TmxPair], source_lang: str, target_lang: str) -> bytes:
    """A TMX 1.4 file of ``pairs`` (segment text plain, tags as OmegaT's ``<g0>`` text)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<tmx version="1.4">',
             f'  <header creationtool="tmkit" creationtoolversion={quoteattr(__version__)} '
             f'segtype="paragraph" o-tmf="tmkit" adminlang="en" srclang={quoteattr(source_lang)} '
             'datatype="plaintext"/>',
             "  <body>"]
    for pair in dict.fromkeys(pairs):
        lines += ["    <tu>",
                  f"      <tuv xml:lang={quoteattr(source_lang)}><seg>{escape(pair.source)}</seg></tuv>",
                  f"      <tuv xml:lang={quoteattr(target_lang)}><seg>{escape(pair.target)}</seg></tuv>",
                  "    </tu>"]
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")


def glossary_file(rows: Iterable[tuple[str, str, str]]) -> bytes:
    """OmegaT's tab-separated glossary (``.utf8``): term, translation, comment per line."""
    def clean(text: str) -> str:
        return " ".join(text.split())

    return "".join(f"{clean(term)}\t{clean(translation)}\t{clean(note)}\n"
                   for term, translation, note in rows).encode("utf-8")

