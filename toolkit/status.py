"""Completeness per language and article (``tmkit status``).

Two counts, each named for what it counts, because people compare both:

* **entries**: PO entries per state, exactly as ``pocount``, Poedit and
  ``msgfmt --statistics`` count them (a msgid used at two places in the
  article is one entry; a translated entry is translated whatever its
  markup).  ``words`` and ``target_words`` are ``pocount``'s word counts of
  those entries (its own ``wordcount``: Unicode word boundaries, so CJK counts
  by character).  Without a PO file the entries are the template's, all
  untranslated.  In languages written without spaces (Thai, Japanese,
  Chinese...) a "word" is a phrase or a single character, which tells a
  manager little: ``target_characters`` (letters, marks and digits of the
  translated entries, counted as a reader counts them) is shown beside it.
* **places**: the segments on the page, from
  :func:`toolkit.segment.segments_by_unit`, each judged by
  :func:`toolkit.catalog.translated.entry_status` (so one whose markup differs from the
  English is ``rejected``), and the gate by :func:`toolkit.publish.gate.evaluate_gate`:
  what ``tmkit build`` publishes, so status and build never disagree.

Each article-language also shows its review state (``approved``, ``changed``
since the sign-off, ``unreviewed``) and reviewer, from
:func:`toolkit.publish.signoff.review_state`, the same definition the build's
``require_review`` gate uses.

Renderings: an 80-column table (colour only on a terminal), JSON, CSV, and a
self-contained HTML page (``exports/status.html``).
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import io
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Sequence

import click
import polib
from translate.tools.pocount import wordcount as _wordcount

from toolkit.catalog import broken
from toolkit.catalog.pofile import read_checked
from toolkit.errors import CatalogError, TmkitError
from toolkit.checks.findings import Finding, sort_findings
from toolkit.checks.proofread import proofread_project
from toolkit.project.collect import fewer_collections
from toolkit.project.config import Config
from toolkit.project.filecache import FileCache, Identity, identity
from toolkit.project.fsutil import atomic_write_text
from toolkit.catalog.translated import catalog_index, entry_status
from toolkit.publish.gate import GateResult, evaluate_gate
from toolkit.publish.signoff import SIGNOFF_SUFFIX, ReviewState, read_signoff, review_state, signoff_file
from toolkit.text.languages import get_language
from toolkit.text.xmlchars import json_shown, shown
from toolkit.text.scripts import character_count, unspaced
from toolkit.model import SegmentStatus
from toolkit.project.layout import relative
from toolkit.readers import read_article
from toolkit.readers.sources import article_paths
from toolkit.catalog.pseudo import resolve_languages
from toolkit.segment import segments_by_unit

if TYPE_CHECKING:
    from jinja2 import Environment

#: pocount's word count, remembered per text: the same English is counted for every language.
wordcount = functools.lru_cache(maxsize=1 << 16)(_wordcount)

STATES = ("translated", "fuzzy", "untranslated", "rejected")
#: What pocount and msgfmt distinguish: entries and words have no "rejected".
ENTRY_STATES = STATES[:3]


@dataclass
class Tally:
    """Counts per segment state (segments or words)."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    rejected: int = 0    # translated, but markup differs from the source: not published

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.rejected

    @property
    def todo(self) -> int:
        """What still needs a translator: untranslated plus rejected."""
        return self.untranslated + self.rejected

    def add(self, state: str, amount: int = 1) -> None:
        setattr(self, state, getattr(self, state) + amount)

    def __iadd__(self, other: "Tally") -> "Tally":
        # spelled out: a language's totals add up 1,000 articles' tallies, several times a run
        self.translated += other.translated
        self.fuzzy += other.fuzzy
        self.untranslated += other.untranslated
        self.rejected += other.rejected
        return self

    def percent(self, state: str = "translated") -> float:
        return 100.0 * getattr(self, state) / self.total if self.total else 100.0

    def as_dict(self, states: Sequence[str] = STATES) -> dict[str, int]:
        return {**{s: getattr(self, s) for s in states}, "total": self.total}


@dataclass
class ArticleStatus:
    """One article in one language."""

    lang: str
    slug: str
    entries: Tally       # PO entries, as pocount / msgfmt --statistics count them
    places: Tally        # segments on the page, as the gate counts them
    words: Tally         # pocount's source words of the entries
    target_words: int
    errors: int
    gate: GateResult
    catalog: bool        # False when po/<lang>/<slug>.po does not exist
    review: Optional[ReviewState] = None
    target_characters: int = 0   # letters, marks and digits of the translated entries

    @property
    def blockers(self) -> list[str]:
        """Why this article-language is not published, or needs attention."""
        out = [] if self.catalog else ["no PO file"]
        out += self.gate.reasons
        if self.errors and not self.gate.check_errors:    # not held on them: still worth fixing
            out.append(f"{self.errors} check error{'s' * (self.errors != 1)}")
        return out

    def as_dict(self) -> dict:
        return {"slug": self.slug, "entries": self.entries.as_dict(ENTRY_STATES), "places": self.places.as_dict(),
                "words": self.words.as_dict(ENTRY_STATES),
                "target_words": self.target_words, "target_characters": self.target_characters,
                "errors": self.errors, "catalog": self.catalog,
                "gate": {"passed": self.gate.passed, "percent": round(self.gate.percent, 1),
                         "reasons": self.gate.reasons},
                "review": self.review.as_dict() if self.review else None}


@dataclass
class LanguageStatus:
    """All articles of one language, with totals."""

    lang: str
    name: str
    rtl: bool
    articles: list[ArticleStatus] = field(default_factory=list)

    def _sum(self, attr: str) -> Tally:
        total = Tally()
        for article in self.articles:
            total += getattr(article, attr)
        return total

    @property
    def entries(self) -> Tally:
        return self._sum("entries")

    @property
    def places(self) -> Tally:
        return self._sum("places")

    @property
    def words(self) -> Tally:
        return self._sum("words")

    @property
    def errors(self) -> int:
        return sum(a.errors for a in self.articles)

    @property
    def target_words(self) -> int:
        return sum(a.target_words for a in self.articles)

    @property
    def target_characters(self) -> int:
        return sum(a.target_characters for a in self.articles)

    @property
    def unspaced(self) -> bool:
        """Written without spaces between words: characters say more than words."""
        return unspaced(self.lang)

    @property
    def passed(self) -> int:
        return sum(a.gate.passed for a in self.articles)

    def as_dict(self) -> dict:
        return {"lang": self.lang, "name": self.name, "rtl": self.rtl,
                "entries": self.entries.as_dict(ENTRY_STATES), "places": self.places.as_dict(),
                "words": self.words.as_dict(ENTRY_STATES),
                "target_words": self.target_words, "target_characters": self.target_characters,
                "errors": self.errors, "published": self.passed,
                "articles": [a.as_dict() for a in self.articles]}


@dataclass
class StatusReport:
    """Status of the project: languages x articles."""

    project: str
    slugs: list[str]
    languages: list[LanguageStatus]
    min_translated: float
    require_review: bool = False
    hold_on_check_errors: bool = True
    source_findings: list[Finding] = field(default_factory=list)  # tmkit check --source
    readability: dict[str, dict] = field(default_factory=dict)    # slug -> the English's grade
    max_grade: float = 8.0                                         # [checks] max_grade

    def as_dict(self) -> dict:
        return {"project": self.project, "min_translated": self.min_translated,
                "require_review": self.require_review, "hold_on_check_errors": self.hold_on_check_errors,
                "articles": self.slugs, "languages": [lang.as_dict() for lang in self.languages],
                "source_findings": len(self.source_findings),
                # keys sorted: a grade read back from the proofreading cache (written with
                # sorted keys) and one just computed must print the same JSON
                "readability": {slug: dict(sorted(grade.items())) for slug, grade in self.readability.items()},
                "max_grade": self.max_grade}

    def blockers(self) -> list[tuple[str, str, str]]:
        """(lang, slug, reason) for everything holding an article back."""
        return [(a.lang, a.slug, reason) for lang in self.languages for a in lang.articles
                for reason in a.blockers]


STATUS_CACHE = ".tmkit/status-cache.json"


def compute_status(config: Config, languages: Optional[Sequence[str]] = None,
                   slugs: Optional[Sequence[str]] = None, with_checks: bool = True,
                   all_read: Optional[Callable[[], None]] = None) -> StatusReport:
    """Count segments and words per state for every language x article.

    Each article-language is computed from its source, PO and sign-off files
    and remembered in ``.tmkit/status-cache.json`` by those files' identity
    (:mod:`toolkit.project.filecache`): a daily status of an unchanged
    project parses nothing.  The settings digest (``tmkit.toml``, glossary and
    check settings, tmkit's code) invalidates every record at once.
    ``all_read`` is called once every input has been read, before the cache
    is written (the CLI starts its no-change stamp's scan then:
    :meth:`toolkit.project.nochange.Stamp.scan_ahead`).

    The garbage collector runs rarely meanwhile (:func:`fewer_collections`):
    a first status builds millions of short-lived objects and no lasting
    cycle, and the collections scanning what it holds were ~4 % of its CPU.
    """
    with fewer_collections():
        return _compute_status(config, languages, slugs, with_checks, all_read)


def _compute_status(config: Config, languages: Optional[Sequence[str]], slugs: Optional[Sequence[str]],
                    with_checks: bool, all_read: Optional[Callable[[], None]]) -> StatusReport:
    """:func:`compute_status`, its garbage collections aside."""
    langs = resolve_languages(config, languages)
    paths = article_paths(config, list(slugs) if slugs else None)
    names = [p.stem for p in paths]
    proofread = []
    # the languages' names first: the worker processes forked below inherit the Babel locale
    # data this loads (their number checks read it: 30 ms in each worker otherwise)
    named = [LanguageStatus(t, get_language(t).english_name, get_language(t).rtl) for t in langs]

    def proofread_sources() -> None:
        """The English's proofreading, done while the workers compute (they need none of it),
        its reading grades keyed by the article as the rest of the report."""
        if with_checks:
            found = proofread_project(config, names, use_cache=True, paths=paths)
            by_path = {relative(config, p): p.stem for p in paths}
            proofread.append((found, {by_path[p]: grade for p, grade in found.readability.items()
                                      if p in by_path}))

    cache = FileCache(config.root / STATUS_CACHE, _settings(config, with_checks))
    # Nothing cached (a first status, or new settings): every article-language is computed, and
    # the workers take each file's identity just before they read it (15,000 stat calls off
    # the serial start of the run).
    lookup = bool(cache.records)
    checks = _Checks(config, with_checks)
    # paths as strings: pathlib's joins cost more than the stat calls on a cached run
    folders = {lang: os.fspath(config.po_file(lang, "-").parent) for lang in langs}
    shown_folders = {lang: relative(config, Path(folder)) for lang, folder in folders.items()}
    ratios = {lang: checks.ratio(lang, paths, folders[lang], cache) for lang in langs}
    found: dict[tuple[str, str], ArticleStatus] = {}
    # (article, [(lang, PO file, shown, identities or None: taken by the worker)])
    stale: list[tuple[Path, list[tuple[str, str, str, Optional[list]]]]] = []
    for path in paths:
        slug, todo, files = path.stem, [], None
        source_id = identity(path) if lookup else None
        for lang in langs:
            po_path = os.path.join(folders[lang], f"{slug}.po")
            if lookup:
                files = _identities(source_id, po_path)
                stored = cache.get(f"{lang}/{slug}", files, ratios[lang])
                if stored is not None:
                    try:
                        found[(lang, slug)] = _from_record(config, lang, slug, stored)
                        continue
                    except (KeyError, TypeError, ValueError):
                        pass        # a damaged record: computed again
            shown = f"{slug}.po" if shown_folders[lang] == "." else f"{shown_folders[lang]}/{slug}.po"
            todo.append((lang, po_path, shown, files))
        if todo:
            stale.append((path, todo))
    for path, outcomes in _compute(config, checks, ratios, stale, proofread_sources):
        slug = path.stem
        for lang, files, record in outcomes:
            if isinstance(record, _Failure):
                error = record.error()
                if record.skippable and broken.skip(error):   # reported by the caller; the rest goes on
                    continue
                raise error
            found[(lang, slug)] = _from_record(config, lang, slug, record)
            cache.put(f"{lang}/{slug}", files, record, ratios[lang], encode=True)
    if all_read is not None:
        all_read()
    report = StatusReport(config.name, names, named, config.publish.min_translated,
                          config.publish.require_review, config.publish.hold_on_check_errors,
                          proofread[0][0].findings if proofread else [], max_grade=config.checks.max_grade)
    if proofread:
        report.readability = proofread[0][1]
    for language in report.languages:
        language.articles = [found[(language.lang, slug)] for slug in names if (language.lang, slug) in found]
    if not slugs and not languages:
        cache.keep_only({f"{lang}/{slug}" for lang in langs for slug in names})
    cache.save()
    return report


def _settings(config: Config, with_checks: bool) -> str:
    """Everything besides the three files of an article-language that decides its status."""
    from toolkit.project.nochange import code_fingerprint
    from toolkit.checks.runner import gate_inputs

    digest = hashlib.sha256()
    for part in (config.path.read_bytes() if config.path.is_file() else b"-",
                 gate_inputs(config).encode(), code_fingerprint().encode(), str(with_checks).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


#: Fewer article-languages to compute than this: one process does them (forking costs more).
PARALLEL_FROM = 200
#: Processes at most: each holds a copy of what it has read, and two already halve the time.
MAX_PROCESSES = 4
#: Articles per chunk sent to a worker at most (about 60 ms of work: see _compute).
CHUNK_MOST = 40


@dataclass
class _Failure:
    """An error met in a worker, sent back as data (an exception's file and line would
    not survive pickling); ``skippable``: a PO file that does not parse (see :mod:`toolkit.catalog.broken`)."""

    kind: type
    message: str
    path: Optional[str]
    line: Optional[int]
    skippable: bool = False

    def error(self) -> Exception:
        return self.kind(self.message, self.path, self.line)


#: What the forked workers inherit: (config, checks, ratios, stale articles).
_WORK: Optional[tuple] = None


def _identities(source_id: Identity, po_path: str) -> list[Identity]:
    """The identities an article-language's record is kept by: its source, PO file and sign-off."""
    return [source_id, identity(po_path), identity(f"{po_path[:-3]}{SIGNOFF_SUFFIX}")]


def _article_records(job: int) -> list[tuple]:
    """The cache records of the ``job``-th stale article's stale languages: (lang, identities,
    record or _Failure).  A number, not the article: the workers inherit the list (nothing
    pickled on the way there, only the records on the way back)."""
    config, checks, ratios, stale = _WORK
    path, todo = stale[job]
    out: list[tuple] = []
    source_id = identity(path) if todo[0][3] is None else None     # before the article is read
    try:
        units = segments_by_unit(read_article(path, relative(config, path), config.sources),
                                 config.segmentation)
        # each segment's id, catalog key and English, once for all the article's languages
        places = [(segment.id, segment.key, segment.text) for _unit, segments in units for segment in segments]
        for lang, po_path, shown, files in todo:
            if files is None:
                files = _identities(source_id, po_path)
            try:
                po = read_checked(po_path, shown) if files[1] is not None else None
            except CatalogError as exc:
                out.append((lang, files, _Failure(type(exc), exc.message, exc.path, exc.line, True)))
                continue
            out.append((lang, files, _article_record(config, lang, path.stem, (units, places),
                                                     (po_path, shown, po), checks, ratios[lang],
                                                     signed=files[2] is not None)))
    except TmkitError as exc:
        out.append((None, None, _Failure(type(exc), exc.message, exc.path, exc.line)))
    return out


def _compute(config: Config, checks: "_Checks", ratios: dict[str, Optional[float]],
             stale: list[tuple[Path, list[tuple[str, str, str, list]]]],
             meanwhile: Callable[[], None]) -> Iterator[tuple[Path, list[tuple]]]:
    """:func:`_article_records` of every stale article, in order; in worker processes (one per
    core, forked: they inherit the settings and the checks made once here) when there are many.

    A first status of 1,000 articles x 5 languages reads 5,000 PO files and
    checks every translation: on two cores the workers halve its time.
    ``meanwhile`` is called once the workers have their work (before any
    record is taken: its errors come first), so this process's own work (the
    English's proofreading) is not added to theirs.
    """
    global _WORK
    _WORK = (config, checks, ratios, stale)
    articles = [path for path, _todo in stale]
    try:
        workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
                      MAX_PROCESSES)
        if sum(len(todo) for _, todo in stale) < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
            meanwhile()
            yield from zip(articles, map(_article_records, range(len(stale))))
            return
        import multiprocessing

        checks.prepare(ratios)     # glossary and checkers made once, before the fork
        # What the workers inherit is left out of their garbage collections: a full collection
        # would walk (and write to, copying the memory pages) every object of this process.
        # Frozen already (fewer_collections): what is frozen now stays so until that ends.
        frozen = gc.get_freeze_count() > 0
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                # chunks of ~31 articles of 1,000 (~50 ms of a worker), at most CHUNK_MOST: a worker
                # left with the last big chunk while the other idles was up to 0.2 s of the wall
                # time, and each chunk costs this process ~2 ms of the cores (chunks of 15: 0.08 s more)
                records = pool.imap(_article_records, range(len(stale)),
                                    chunksize=max(1, min(len(stale) // (workers * 16), CHUNK_MOST)))
                meanwhile()
                yield from zip(articles, records)
        finally:
            if not frozen:
                gc.unfreeze()
    finally:
        _WORK = None


class _Checks:
    """The error-level checks of each language, made when first needed (what the gate holds back)."""

    def __init__(self, config: Config, enabled: bool) -> None:
        self.config, self.enabled = config, enabled
        self._made: dict[str, object] = {}
        self._glossary: object = None

    def needs_ratio(self, lang: str) -> bool:
        from toolkit.checks.runner import gate_needs_ratio

        return self.enabled and gate_needs_ratio(self.config, lang)

    def ratio(self, lang: str, paths: Sequence[Path], folder: str, cache: FileCache) -> Optional[float]:
        """The language's usual length ratio when an error-level check needs it (as ``tmkit check``
        computes it over the selected articles), from each file's cached ratios where it can."""
        if not self.needs_ratio(lang):
            return None
        from toolkit.checks.medical import LENGTH_MIN_SAMPLES, length_ratio
        from toolkit.checks.runner import translated_entries

        found: list[float] = []
        for path in paths:
            po_path = Path(folder, f"{path.stem}.po")
            files = [identity(po_path)]
            stored = cache.get(f"ratios:{lang}/{path.stem}", files)
            if stored is None:
                stored = []
                if files[0] is not None:
                    try:
                        shown = relative(self.config, po_path)
                        entries = translated_entries(po_path, shown, read_checked(po_path, shown))
                    except CatalogError as exc:
                        if not broken.skip(exc):
                            raise
                        continue
                    stored = [r for r in map(length_ratio, entries) if r is not None]
                cache.put(f"ratios:{lang}/{path.stem}", files, stored)
            found += stored
        return statistics.median(found) if len(found) >= LENGTH_MIN_SAMPLES else None

    def errors(self, lang: str, po_path: str, shown: str, po: list, slug: str, ratio: Optional[float]
               ) -> list[Finding]:
        """The error-level findings of one PO file's entries (:func:`read_checked`),
        in file order; ``shown``: the file as findings name it."""
        if not self.enabled:
            return []
        found = self._made_for(lang, ratio).po_entries(po_path, shown, po, slug)[1]
        return sort_findings(f for f in found if f.is_error)

    def _made_for(self, lang: str, ratio: Optional[float]):
        """The language's error-level checks, made on first use (the glossary loaded once)."""
        from toolkit.checks import glossary as _glossary
        from toolkit.checks.runner import language_checks

        if lang not in self._made:
            if self._glossary is None:
                self._glossary = _glossary.load_glossary(self.config) or False
            self._made[lang] = language_checks(self.config, lang, self._glossary or None, ratio,
                                               only_errors=True)
        return self._made[lang]

    def prepare(self, ratios: dict[str, Optional[float]]) -> None:
        """Make every language's checks now (before worker processes fork and inherit them)."""
        if self.enabled:
            for lang, ratio in ratios.items():
                self._made_for(lang, ratio)


def _article_record(config: Config, lang: str, slug: str, article: tuple[list, list[tuple]],
                    catalog: tuple[str, str, Optional[list]], checks: _Checks, ratio: Optional[float],
                    signed: bool = True) -> dict:
    """One article-language computed from its files: its record for the cache
    (:func:`_from_record` makes the status of it, as on a run that finds it cached).

    ``article``: its :func:`segments_by_unit` and each segment's (id, key, English) in
    order, made once for all its languages.  ``catalog``: the PO file, as findings name it, and its entries
    (:func:`read_checked`; ``None`` without a PO file).
    Without a sign-off file (``signed`` false) the segments are not hashed:
    the hashes only serve to compare with a sign-off.
    """
    po_path, shown, po = catalog
    units, places_in_order = article
    index = catalog_index(po)
    # counted by the enum member (its ``.value`` is a property: slow per segment), named at the end
    counted = dict.fromkeys(SegmentStatus, 0)
    statuses: dict[str, SegmentStatus] = {}
    index_get, untranslated = index.get, SegmentStatus.UNTRANSLATED
    for segment_id, key, text in places_in_order:
        entry = index_get(key)      # 165,000 segments on a first run
        status = (untranslated if entry is None or entry.obsolete
                  else _judged(text, entry.msgstr, "fuzzy" in entry.flags))
        statuses[segment_id] = status
        counted[status] += 1
    places = Tally(**{status.value: number for status, number in counted.items()})
    if po is not None:
        entries, words, target_words, characters = count_entries(po)
    else:
        distinct = {key: text for _id, key, text in places_in_order}
        entries = Tally(untranslated=len(distinct))
        words = Tally(untranslated=sum(wordcount(text) for text in distinct.values()))
        target_words = characters = 0
    # Without a sign-off file there is nothing to compare with: the segments are not hashed.
    if signed or os.path.isfile(f"{po_path[:-3]}{SIGNOFF_SUFFIX}"):
        review = review_state(config, lang, slug, units, index, hashed=signed)
    else:   # no sign-off (review_state's answer without one; no pathlib joins for 5,000 files)
        review = ReviewState(config.publish.require_review, "", {}, None)
    held = checks.errors(lang, po_path, shown, po, slug, ratio) if po is not None else []
    gate = evaluate_gate(config, units, statuses, review, held)
    return {"entries": entries.as_dict(), "places": places.as_dict(), "words": words.as_dict(),
              "target_words": target_words, "characters": characters, "catalog": po is not None,
              "errors": [f.as_dict() for f in held],
              "gate": [gate.total, gate.translated, gate.fuzzy, gate.rejected, gate.missing_required],
              "fingerprint": review.fingerprint,
              "hashes": review.hashes if review.signoff is not None else None}


def _tally(counts: dict) -> Tally:
    return Tally(counts["translated"], counts["fuzzy"], counts["untranslated"], counts.get("rejected", 0))


def _from_record(config: Config, lang: str, slug: str, record: dict) -> ArticleStatus:
    """An article-language as the cache remembers it; the sign-off file is read again (its
    identity is part of the record's key, so it says what it said then)."""
    signoff = None
    if record["hashes"] is not None:
        signoff = read_signoff(*signoff_file(config, lang, slug), lang, slug)
    review = ReviewState(config.publish.require_review, record["fingerprint"], record["hashes"] or {},
                         signoff)
    held = [Finding(**f) for f in record["errors"]]
    total, translated, fuzzy, rejected, missing = record["gate"]
    gate = GateResult(total, translated, fuzzy, rejected, config.publish.min_translated, list(missing),
                      review, held if config.publish.hold_on_check_errors else [])
    return ArticleStatus(lang, slug, _tally(record["entries"]), _tally(record["places"]),
                         _tally(record["words"]), record["target_words"], len(held), gate,
                         record["catalog"], review, record["characters"])


@functools.lru_cache(maxsize=1 << 16)
def _judged(source: str, msgstr: str, fuzzy: bool) -> SegmentStatus:
    """:func:`entry_status` of a present entry, remembered per (English, translation, fuzzy):
    the same footer translated alike in a thousand articles has its markup compared once."""
    return entry_status(_Judged(msgstr, ["fuzzy"] if fuzzy else []), source)


@dataclass(frozen=True)
class _Judged:
    """The part of an entry :func:`entry_status` looks at."""

    msgstr: str
    flags: list[str]
    obsolete: bool = False


def count_entries(po: Iterable[polib.POEntry]) -> tuple[Tally, Tally, int, int]:
    """Entries and source words per state, and translated target words, like ``pocount``,
    and the characters of the translated targets (:func:`~toolkit.text.scripts.character_count`).

    The header and obsolete entries are not counted; plural entries count
    the words of both English forms and of every translated form.  One pass
    over the entries: status counts 5,000 catalogs on a first run.
    """
    counts = dict.fromkeys(ENTRY_STATES, 0)
    source_words = dict.fromkeys(ENTRY_STATES, 0)
    target_words = characters = 0
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        plural = entry.msgid_plural
        if plural:
            state, words, target, chars = _plural_counts(entry)
        else:                 # nearly every entry: its counts remembered by its strings
            state, words, target, chars = _singular_counts(entry.msgid, entry.msgstr, "fuzzy" in entry.flags)
        counts[state] += 1
        source_words[state] += words
        target_words += target
        characters += chars
    return Tally(**counts), Tally(**source_words), target_words, characters


@functools.lru_cache(maxsize=1 << 16)
def _singular_counts(msgid: str, msgstr: str, fuzzy: bool) -> tuple[str, int, int, int]:
    """(state, source words, target words, target characters) of a singular entry, remembered
    per (English, translation, fuzzy): the same sentence translated alike in a thousand
    articles is counted once (160,000 entries of ~6,000 kinds on a first status)."""
    state = "untranslated" if not msgstr else "fuzzy" if fuzzy else "translated"
    if state != "translated":
        return state, wordcount(msgid), 0, 0
    return state, wordcount(msgid), wordcount(msgstr), character_count(msgstr)


def _plural_counts(entry: polib.POEntry) -> tuple[str, int, int, int]:
    """:func:`_singular_counts` of a plural entry: both English forms, every translated form."""
    strings = list(entry.msgstr_plural.values())
    state = "untranslated" if not any(strings) else "fuzzy" if "fuzzy" in entry.flags else "translated"
    words = wordcount(entry.msgid) + wordcount(entry.msgid_plural)
    if state != "translated":
        return state, words, 0, 0
    return state, words, sum(map(wordcount, strings)), sum(map(character_count, strings))


# -- renderings ----------------------------------------------------------------

def _fit(text: str, width: int) -> str:
    """``text`` in ``width`` columns, its control characters shown escaped (a cell
    of the table is one line on a terminal, whatever the file held)."""
    text = shown(text)
    return text if len(text) <= width else text[: width - 1] + "…"


_HEAD = ("{:<7} {:<{w}} {:>15} {:>18} {:>4} {:>5} {:<4}")
_ROW = ("{:<7} {:<{w}} {:>5}{:>5}{:>5} {:>6}{:>6}{:>6} {:>4} {:>4}% {:<4}")
#: The article column in 80 columns; a wider terminal gives long slugs the room they need.
SLUG_WIDTH = 20


def slug_width(report: StatusReport, columns: Optional[int] = None) -> int:
    """Width of the article column: 20 in 80 columns, up to the longest slug on a wider terminal."""
    import shutil

    columns = columns or shutil.get_terminal_size((80, 24)).columns
    longest = max([len(slug) for slug in report.slugs] + [len(f"(all {len(report.slugs)})")])
    return max(SLUG_WIDTH, min(longest, SLUG_WIDTH + columns - 80))


@functools.lru_cache(maxsize=256)
def _gate_cell(text: str, ok: bool) -> str:
    """The gate column styled: "pass"/"held" on 5,000 rows, styled once each."""
    return click.style(text, fg="green" if ok else "red")


def render_table(report: StatusReport, columns: Optional[int] = None) -> str:
    """A table that fits 80 columns (or the terminal's width, for long slugs); pass/held and
    errors styled (stripped off a TTY by click)."""
    width = slug_width(report, columns)
    extra = width - SLUG_WIDTH
    lines = [_HEAD.format("lang", "article", "entries", "words", "err", "pct", "gate", w=width),
             _HEAD.format("", "", " done fuzz todo", "  done  fuzz  todo", "", "", "", w=width),
             "-" * (79 + extra)]

    def row(lang: str, name: str, entries: Tally, pct: float, words: Tally, errors: int, gate: str,
            ok: bool) -> str:
        text = _ROW.format(_fit(lang, 7), _fit(name, width), entries.translated, entries.fuzzy, entries.todo,
                           words.translated, words.fuzzy, words.todo, errors,
                           f"{pct:.0f}", gate, w=width)
        head, err, tail = text[:62 + extra], text[62 + extra:67 + extra], text[67 + extra:]
        err = click.style(err, fg="red", bold=True) if errors else err
        return head + err + tail[:-4] + _gate_cell(tail[-4:], ok)

    passed = total = 0
    for language in report.languages:
        for a in language.articles:
            ok = a.gate.passed     # a property over three others: once per row
            lines.append(row(language.lang, a.slug, a.entries, a.gate.percent, a.words, a.errors,
                             "pass" if ok else "held", ok))
        language_passed, count = language.passed, len(language.articles)
        passed, total = passed + language_passed, total + count
        if count > 1:
            share = f"{language_passed}/{count}"
            if len(share) > 5:  # keep 80 columns with hundreds of articles
                share = f"{100 * language_passed // count}%"
            lines.append(row(language.lang, f"(all {count})", language.entries,
                             language.places.percent(), language.words,
                             language.errors, share, language_passed == count))
    lines += character_lines(report)
    lines.append(f"{passed} of {total} article-languages pass the gate "
                 f"(min {report.min_translated:g}% translated"
                 f"{', signed off' if report.require_review else ''}).")
    lines.append("pct: share of the page's segments translated; (all N): of all articles together.")
    lines += check_error_lines(report)
    lines += review_lines(report)
    lines += readability_lines(report)
    return "\n".join(line.rstrip() for line in lines)


def readability_lines(report: StatusReport) -> list[str]:
    """The English's reading grade per article (tmkit check --source), flagged above max_grade."""
    if not report.readability:
        return []
    lines = ["", f"readability of the English (school grade; [checks] max_grade = {report.max_grade:g}):",
             "{:<41} {:>14} {:>6} {:>7}".format("article", "Flesch-Kincaid", "SMOG", "words")]
    for slug in report.slugs:
        grade = report.readability.get(slug)
        if grade is None:
            continue
        above = grade["grade"] > report.max_grade
        flag = click.style("above", fg="red") if above else "ok"
        lines.append("{:<41} {:>14.1f} {:>6.1f} {:>7}  {}".format(_fit(slug, 41), grade["flesch_kincaid"],
                                                                  grade["smog"], grade["words"], flag))
    return lines


def check_error_lines(report: StatusReport) -> list[str]:
    """Under the table: the article-languages held back for check errors, one finding a line."""
    held = [a for lang in report.languages for a in lang.articles if a.gate.check_errors]
    if not held:
        return []
    lines = ["", "held back for check errors ([publish] hold_on_check_errors; tmkit check):"]
    for a in held:
        lines += [_fit(f"  {a.lang}/{a.slug}: {f.path}:{f.line}: [{f.check}] {f.message}", 79)
                  for f in a.gate.check_errors]
    return lines


def character_lines(report: StatusReport) -> list[str]:
    """Translated words and characters of the languages written without spaces."""
    shown = [lang for lang in report.languages if lang.unspaced]
    if not shown:
        return []
    lines = ["-" * 79, "{:<29} {:>12} {:>12}".format("translated (no spaces)", "words", "characters")]
    for language in shown:
        for a in language.articles:
            lines.append("{:<29} {:>12,} {:>12,}".format(_fit(f"{a.lang}/{a.slug}", 29), a.target_words,
                                                          a.target_characters))
    return lines


def review_lines(report: StatusReport) -> list[str]:
    """The review table under the status table: state and reviewer per article-language.

    Shown when the project requires sign-off or any sign-off exists, so a
    project that does not use reviews sees the table alone.
    """
    rows = [a for lang in report.languages for a in lang.articles if a.review is not None]
    if not rows or not (report.require_review or any(a.review.signoff for a in rows)):
        return []
    lines = ["", "{:<29} {:<10} {:<18} {}".format("review", "state", "reviewer", "approved at (UTC)")]
    for a in rows:
        signoff = a.review.signoff
        state = a.review.state + ("!" if signoff and signoff.despite_findings else "")
        lines.append("{:<29} {:<10} {:<18} {}".format(
            _fit(f"{a.lang}/{a.slug}", 29), state, _fit(signoff.reviewer if signoff else "-", 18),
            shown(signoff.approved_at) if signoff else "-"))
    if any(a.review.signoff and a.review.signoff.despite_findings for a in rows):
        lines.append("! approved despite error-level check findings (--despite-findings)")
    return lines


def render_json(report: StatusReport) -> str:
    return json_shown(report.as_dict())


CSV_COLUMNS = ["lang", "article", "entries_total", *[f"entries_{s}" for s in ENTRY_STATES],
               "words_total", *[f"words_{s}" for s in ENTRY_STATES], "target_words",
               "places_total", *[f"places_{s}" for s in STATES], "errors", "percent", "gate",
               "review", "reviewer", "approved_at", "target_characters",
               "english_grade_fk", "english_grade_smog"]


#: First characters that make a spreadsheet read a cell as a formula (OWASP's
#: "CSV injection" list: ``=HYPERLINK(...)`` would be a live link).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: numbers as they are; text with its
    control characters shown escaped and, when it starts like a formula,
    prefixed with ``'`` as OWASP and the spreadsheet makers recommend."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return shown(value)


def render_csv(report: StatusReport) -> str:
    """One row per language x article (spreadsheet-friendly, no totals)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for language in report.languages:
        for a in language.articles:
            writer.writerow(map(csv_cell, [a.lang, a.slug, a.entries.total, *[getattr(a.entries, s) for s in ENTRY_STATES],
                             a.words.total, *[getattr(a.words, s) for s in ENTRY_STATES], a.target_words,
                             a.places.total, *[getattr(a.places, s) for s in STATES],
                             a.errors, f"{a.gate.percent:.1f}", "pass" if a.gate.passed else "held",
                             *_review_cells(a), a.target_characters, *_grade_cells(report, a.slug)]))
    return out.getvalue()


def _grade_cells(report: StatusReport, slug: str) -> list[object]:
    grade = report.readability.get(slug)
    return [grade["flesch_kincaid"], grade["smog"]] if grade else ["", ""]


def _review_cells(a: ArticleStatus) -> list[str]:
    signoff = a.review.signoff if a.review else None
    return [a.review.state if a.review else "", signoff.reviewer if signoff else "",
            signoff.approved_at if signoff else ""]


def _environment() -> "Environment":
    """The HTML page's templates; jinja2 imported here: only ``--format html`` needs it
    (36 ms of a first status's start-up otherwise, before the workers fork)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("toolkit", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True))


def render_html(report: StatusReport) -> str:
    """A self-contained page: bars per language, a language x article grid, blockers."""
    return _environment().get_template("status.html").render(report=report, states=STATES)


def write_html(config: Config, report: StatusReport) -> Path:
    """Write ``exports/status.html`` atomically; returns its path."""
    path = config.export_path / "status.html"
    atomic_write_text(path, render_html(report))
    return path


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv, "html": render_html}
