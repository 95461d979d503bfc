"""The project glossary: required translations of English terms, per language.

Two formats, chosen by extension:

* CSV with the header ``term,lang,translation,note`` (``note`` optional);
  several rows for one term and language list accepted alternatives;
* TBX, read with translate-toolkit's :mod:`translate.storage.tbx` (one
  ``termEntry`` per concept, a ``langSet`` per language, ``descrip`` as note).

The glossary serves twice: the ``glossary`` check flags a translation whose
English has a term but which does not use any required rendering, and
:func:`make_glossary_hook` writes the matching terms into PO files as
translator comments (``# glossary: failed back syndrome = síndrome de espalda
fallida``) so translators see them in Poedit.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Optional

import polib

from toolkit.text import inline, scripts
from toolkit.checks.base import Entry, LanguageEnv, Problem, register
from toolkit.checks.findings import WARNING
from toolkit.project.config import Config
from toolkit.errors import ConfigError, TmkitError
from toolkit.project.fsutil import inside, read_text

#: Prefix of the translator-comment lines the hook owns (and may rewrite).
COMMENT_PREFIX = "glossary: "
CSV_FIELDS = ("term", "lang", "translation", "note")


@dataclass(frozen=True)
class Term:
    """An English term and its required translation(s) in one language."""

    term: str
    lang: str
    translations: tuple[str, ...]
    note: str = ""

    @cached_property
    def pattern(self) -> re.Pattern:
        """The English term as whole words, any case and spacing, optional plural -s."""
        return re.compile(_whole_words(_term_words(self.term)), re.IGNORECASE)

    def applies_to(self, lang: str) -> bool:
        """``es`` applies to ``es`` and ``es-MX``; ``pt_BR`` is ``pt-BR``; any case."""
        return _tag_covers(self.lang, lang)

    def comment(self) -> str:
        """``glossary: term = translation | alternative (note)``: one line per term.

        tmkit's PO writer (like gettext's) never wraps comments, so the line
        keeps its prefix and the hook recognises it on the next run.
        """
        note = f" ({self.note})" if self.note else ""
        return f"{COMMENT_PREFIX}{self.term} = {' | '.join(self.translations)}{note}"


def _tag_covers(mine: str, theirs: str) -> bool:
    """A glossary tag covers the language itself and its regional variants."""
    mine, theirs = scripts.same_tag(mine), scripts.same_tag(theirs)
    return theirs == mine or theirs.startswith(mine + "-")


def _occurrences(term: Term, text: str, lang: str) -> list[tuple[int, int]]:
    """Where a rendering of ``term`` occurs in ``text`` (already folded for ``lang``).

    In languages written with spaces a rendering may sit inside a longer word:
    Arabic prefixes (ال، ب), French elision and Turkish or Korean suffixes
    attach to the term and must not hide it.  In languages written without
    spaces (Thai, Japanese, Chinese) an occurrence must stand as words of its
    own (:func:`toolkit.text.scripts.misread`): ``手術`` (surgery) inside
    ``手術室`` (operating room) is another word, and so is ``แผลเป็น`` (scar)
    in ``แผลเป็นหนอง`` (festering wound), read ``แผล|เป็นหนอง``.
    """
    found = _substrings(term, text, lang)
    if found and scripts.unspaced(lang):
        bounds = scripts.word_bounds(text, lang)
        found = [(s, e) for s, e in found if scripts.misread(text, s, e, lang, bounds) is None]
    return found


def _substrings(term: Term, text: str, lang: str) -> list[tuple[int, int]]:
    """Every place a rendering of ``term`` occurs in ``text`` (folded), words or not."""
    found = []
    for rendering in {scripts.fold(t, lang) for t in term.translations}:
        start = text.find(rendering) if rendering else -1
        while start >= 0:
            found.append((start, start + len(rendering)))
            start = text.find(rendering, start + 1)
    return sorted(found)


def _term_words(term: str) -> str:
    """The term's words, any spacing between them (the core of its pattern)."""
    return r"\s+".join(re.escape(w) for w in term.split())


def _whole_words(core: str) -> str:
    """``core`` as whole words with an optional plural -s."""
    return r"(?<!\w)(?:" + core + r")s?(?!\w)"


@dataclass
class LanguageTerms:
    """The terms of one language behind one compiled pattern.

    ``any_term`` matches where some term matches (at each position the
    regex engine tries every alternative with the same word-boundary
    checks), so a text it does not match holds no term at all: most texts
    cost one search instead of one per term.  Texts it matches are then
    searched term by term for the positions (terms may overlap).
    """

    terms: list[Term]
    lang: str = ""
    any_term: Optional[re.Pattern] = None
    _containing: dict[Term, list[Term]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.terms:
            self.any_term = re.compile(_whole_words("|".join(_term_words(t.term) for t in self.terms)),
                                       re.IGNORECASE)

    def matches(self, plain: str) -> list[Term]:
        plain = scripts.clean(plain)
        if self.any_term is None or self.any_term.search(plain) is None:
            return []
        found = []
        for term in self.terms:
            match = term.pattern.search(plain)
            if match:
                found.append((match.start(), term))
        return [t for _, t in sorted(found, key=lambda p: p[0])]

    def _containers(self, term: Term) -> list[Term]:
        """Other terms with a rendering that holds one of ``term``'s (computed once per term)."""
        found = self._containing.get(term)
        if found is None:
            mine = {scripts.fold(r, self.lang) for r in term.translations}
            found = self._containing[term] = [
                other for other in self.terms if other != term and any(
                    len(theirs) > len(r) and r in theirs
                    for theirs in (scripts.fold(x, self.lang) for x in other.translations) for r in mine)]
        return found

    def unrendered(self, wanted: list[Term], translation: str) -> list[Term]:
        """The ``wanted`` terms no occurrence of which in ``translation`` counts.

        An occurrence inside a longer rendering of another term of the
        glossary that the English does not contain is that other term: with
        both "scar" = ``แผลเป็น`` and "festering wound" = ``แผลเป็นหนอง`` in
        the glossary, ``แผลเป็นหนอง`` does not render "scar" (ICU's Thai
        dictionary splits both into แผล|เป็น(|หนอง), so word boundaries alone
        cannot tell them apart).  The English's own longer terms do not
        count against it ("back pain" = "dolor de espalda" holds "pain" = "dolor").
        """
        text = scripts.fold(translation, self.lang)
        near = dict.fromkeys(wanted + [c for t in wanted for c in self._containers(t)])
        spans = {t: _occurrences(t, text, self.lang) for t in near}
        starting: dict[int, list[tuple[int, bool]]] = {}     # start -> (end, a wanted term's)
        for term, found in spans.items():
            for s, e in found:
                starting.setdefault(s, []).append((e, term in wanted))
        longest = max((e - s for found in spans.values() for s, e in found), default=0)

        def counts(s: int, e: int) -> bool:
            # The longest rendering around the occurrence decides whose it is (an
            # enclosing one starts at most `longest` characters before it).
            around = [(oe - os, ours) for os in range(max(s - longest, 0), s + 1)
                      for oe, ours in starting.get(os, ()) if e <= oe and oe - os > e - s]
            return not around or max(around)[1]

        return [t for t in wanted if not any(counts(s, e) for s, e in spans.get(t, []))]

    def why(self, term: Term, translation: str) -> str:
        """What the translation holds instead of an unrendered ``term``, for the translator.

        ``found only inside แผลเป็นหนอง (reads แผล|เป็นหนอง)``, ``found only
        inside the word 手術室``, ``found only inside แผลเป็นหนอง ('festering
        wound')``; empty when no rendering occurs at all.
        """
        text = scripts.fold(translation, self.lang)
        bounds = scripts.word_bounds(text, self.lang) if scripts.unspaced(self.lang) else None
        for s, e in _substrings(term, text, self.lang):
            for other in self._containers(term):
                for theirs in (scripts.fold(x, self.lang) for x in other.translations):
                    at = text.find(theirs, max(e - len(theirs), 0))
                    if 0 <= at <= s and e <= at + len(theirs):
                        return f"found only inside {theirs} ('{other.term}')"
            reading = scripts.misread(text, s, e, self.lang, bounds)
            if reading is not None:
                if len(reading.pieces) == 1:
                    return f"found only inside the word {reading.text}"
                return f"found only inside {reading.text} (reads {reading})"
        return ""


@dataclass
class Glossary:
    """All terms of the project, with the lookups the check and hook need."""

    terms: list[Term]
    path: str = ""
    #: The first line of the glossary file naming each language tag (for warnings).
    tag_lines: dict[str, int] = field(default_factory=dict)
    _by_language: dict[str, LanguageTerms] = field(default_factory=dict, repr=False, compare=False)

    def for_language(self, lang: str) -> list[Term]:
        return self._language(lang).terms

    def _language(self, lang: str) -> LanguageTerms:
        found = self._by_language.get(lang)
        if found is None:
            found = self._by_language[lang] = LanguageTerms([t for t in self.terms if t.applies_to(lang)],
                                                            lang)
        return found

    def matches(self, source_markup: str, lang: str) -> list[Term]:
        """Terms of ``lang`` whose English occurs in the source, in text order."""
        return self._language(lang).matches(inline.plain_text(source_markup))

    def unrendered(self, source_markup: str, target_markup: str, lang: str) -> list[Term]:
        """Terms of the English that the translation does not render as the glossary says."""
        terms = self.matches(source_markup, lang)
        if not terms:
            return []
        return self._language(lang).unrendered(terms, inline.plain_text(target_markup))

    def why(self, term: Term, target_markup: str, lang: str) -> str:
        """What the translation holds instead of ``term`` (see :meth:`LanguageTerms.why`)."""
        return self._language(lang).why(term, inline.plain_text(target_markup))

    def unmatched_tags(self, languages: list[str]) -> list[tuple[str, int]]:
        """(tag, line) of the glossary's language tags that apply to none of ``languages``.

        Rows tagged so never reach a check or a PO file: a typo (``pt_br``
        for ``pt-BR`` is fine, ``pt-BT`` is not) would go unnoticed.
        """
        return [(tag, line) for tag, line in sorted(self.tag_lines.items(), key=lambda p: p[1])
                if not any(_tag_covers(tag, lang) for lang in languages)]


def _note_tag(tag_lines: dict[str, int], tag: str, line: int) -> None:
    """Remember the first line of each language (``pt_BR`` and ``pt-BR`` are one)."""
    if not any(scripts.same_tag(seen) == scripts.same_tag(tag) for seen in tag_lines):
        tag_lines[tag] = line


def _merge(rows: list[tuple[str, str, str, str]]) -> list[Term]:
    """Rows (term, lang, translation, note) -> one Term per (term, lang), alternatives kept."""
    merged: dict[tuple[str, str], Term] = {}
    for term, lang, translation, note in rows:
        key = (term.casefold(), scripts.same_tag(lang))
        old = merged.get(key)
        if old is None:
            merged[key] = Term(term, lang, (translation,), note)
        elif translation not in old.translations:
            merged[key] = Term(old.term, old.lang, old.translations + (translation,), old.note or note)
    return list(merged.values())


def read_csv_glossary(path: Path) -> Glossary:
    """Read a ``term,lang,translation,note`` CSV file (UTF-8, header required)."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if header[:3] != list(CSV_FIELDS[:3]):
        raise TmkitError(f"glossary header must be '{','.join(CSV_FIELDS)}'", path, 1)
    reader.fieldnames = header
    rows = []
    tag_lines: dict[str, int] = {}
    for record in reader:
        values = {k: (record.get(k) or "").strip() for k in CSV_FIELDS}
        if not any(values.values()):
            continue
        for key in CSV_FIELDS[:3]:
            if not values[key]:
                raise TmkitError(f"glossary row has no {key}", path, reader.line_num)
        rows.append((values["term"], values["lang"], values["translation"], values["note"]))
        _note_tag(tag_lines, values["lang"], reader.line_num)
    return Glossary(_merge(rows), str(path), tag_lines)


def read_tbx_glossary(path: Path, source_language: str = "en") -> Glossary:
    """Read a TBX file through translate-toolkit (entities are never resolved)."""
    from lxml import etree
    from translate.storage import tbx

    try:
        store = tbx.tbxfile.parsestring(path.read_bytes())
    except etree.XMLSyntaxError as exc:
        raise TmkitError(f"glossary is not valid TBX: {exc.msg}", path, exc.lineno) from None
    except (AssertionError, ValueError) as exc:
        raise TmkitError(f"glossary is not valid TBX {exc}".strip(), path) from None
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    rows = []
    tag_lines: dict[str, int] = {}
    for unit in store.units:
        by_lang: dict[str, list[str]] = {}
        for node in unit.getlanguageNodes():
            lang = node.get(xml_lang) or node.get("lang") or ""
            if lang != source_language:
                _note_tag(tag_lines, lang, node.sourceline or 0)
            texts = [t.strip() for t in node.xpath(".//*[local-name()='term']/text()") if t.strip()]
            by_lang.setdefault(lang, []).extend(texts)
        notes = unit.xmlelement.xpath(".//*[local-name()='descrip' or local-name()='note']/text()")
        note = " ".join(n.strip() for n in notes if n.strip())
        english = by_lang.pop(source_language, [])
        for term in english:
            for lang, translations in by_lang.items():
                rows.extend((term, lang, t, note) for t in translations)
    return Glossary(_merge(rows), str(path), tag_lines)


def load_glossary(config: Config) -> Optional[Glossary]:
    """The project's glossary (``checks.glossary``), or None when none is set."""
    if not config.checks.glossary:
        return None
    path = inside(config.root, config.checks.glossary)
    return _load_cached(path, path.stat().st_mtime_ns if path.exists() else 0,
                        config.source_language)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int, source_language: str) -> Glossary:
    if not path.is_file():
        raise ConfigError(f"glossary file not found: {path.name}", path)
    if path.suffix.lower() == ".tbx":
        return read_tbx_glossary(path, source_language)
    if path.suffix.lower() == ".csv":
        return read_csv_glossary(path)
    raise ConfigError("glossary must be a .csv or .tbx file", path)


@register("glossary", WARNING, True,
          "a glossary term of the source is rendered with the glossary's translation")
def check_glossary(entry: Entry, env: LanguageEnv) -> list[Problem]:
    glossary = env.glossary
    if glossary is None:
        return []
    problems = []
    for term in glossary.unrendered(entry.source, entry.target, env.lang):
        why = glossary.why(term, entry.target, env.lang)
        problems.append(Problem(f"'{term.term}' should be rendered '{' | '.join(term.translations)}'"
                                + (f": {why}" if why else "")))
    return problems


def annotate(entry: polib.POEntry, terms: list[Term], known: Optional[list[Term]] = None) -> bool:
    """Make ``entry``'s glossary comment lines exactly ``terms``; True if it changed.

    Other translator comments (including ``tmkit-ignore``) are kept in place;
    the glossary lines go last, so repeated runs never pile them up.  A
    glossary line that another tool wrapped (polib wraps comments at 79
    columns: ``# glossary: ... (ISA house`` / ``# term)``) is recognised
    with its continuation lines (:func:`glossary_lines`), so it is replaced
    whole instead of leaving a ``# term)`` line behind at every update.
    ``known``: every term that may have written a line (default ``terms``).
    """
    lines = entry.tcomment.splitlines() if entry.tcomment else []
    owned = glossary_lines(lines, lambda: [t.comment() for t in (known if known is not None else terms)])
    kept = [line for line, mine in zip(lines, owned) if not mine]
    wanted = kept + [t.comment() for t in terms]
    if wanted == lines:
        return False
    entry.tcomment = "\n".join(wanted)
    return True


def glossary_lines(lines: list[str], known: Callable[[], list[str]]) -> list[bool]:
    """Which comment lines are glossary lines, wrapped continuations included.

    A line starting with ``glossary:`` is one; the lines after it continue
    it while, joined, they still spell the start of a comment the glossary
    writes (compared without white space: a tool may wrap at any space or
    after a hyphen), or while a note's parenthesis is still open (a term
    since removed from the glossary).  ``known()`` gives the comments the
    glossary writes; it is called only for a file another tool wrapped.
    """
    keys: Optional[set[str]] = None
    owned = [False] * len(lines)
    index = 0
    while index < len(lines):
        if not lines[index].startswith(COMMENT_PREFIX.rstrip()):
            index += 1
            continue
        owned[index] = True
        text = "".join(lines[index].split())
        index += 1
        while index < len(lines) and not lines[index].startswith(COMMENT_PREFIX.rstrip()):
            joined = text + "".join(lines[index].split())
            if keys is None:
                keys = {"".join(comment.split()) for comment in known()}
            if text in keys or not (any(k.startswith(joined) for k in keys)
                                    or text.count("(") > text.count(")")):
                break
            owned[index] = True
            text = joined
            index += 1
    return owned


Hook = Callable[[polib.POFile, str, str], dict[str, int]]


def make_glossary_hook(config: Config) -> Optional[Hook]:
    """A catalog hook adding the glossary's matching terms as translator comments.

    Returns None when the project has no glossary.  The hook is idempotent:
    it rewrites only the lines starting with ``glossary: `` and removes stale
    ones (a term dropped from the glossary, or a changed English source).
    """
    glossary = load_glossary(config)
    if glossary is None:
        return None

    return GlossaryHook(glossary)


class GlossaryHook:
    """``hook(po, lang, slug) -> counters``, created once per ``tmkit update``.

    Terms are matched once per distinct (language, English text) of the
    run: the footer of a thousand articles is searched once per language.
    """

    #: What it does to an entry depends only on its English and the language
    #: (see ``toolkit.catalog.hooks``).
    per_entry = True

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._terms: dict[tuple[str, str], list[Term]] = {}
        # tmkit update re-merges unchanged catalogs when a hook's fingerprint changes,
        # so editing the glossary alone refreshes the comments.
        self.fingerprint = hashlib.sha256(
            "\n".join(f"{t.lang} {t.comment()}" for t in glossary.terms).encode()
        ).hexdigest()[:16]

    def _matches(self, msgid: str, lang: str) -> list[Term]:
        key = (lang, msgid)
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = self.glossary.matches(msgid, lang)
        return found

    def __call__(self, po: polib.POFile, lang: str, slug: str) -> dict[str, int]:
        changed = annotated = 0
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            terms = self._matches(entry.msgid, lang)
            annotated += bool(terms)
            changed += annotate(entry, terms, self.glossary.for_language(lang))
        return {"glossary": annotated, "glossary updated": changed}
