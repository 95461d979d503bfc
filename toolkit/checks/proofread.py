"""Run the source checks over a project's English articles (``tmkit check --source``).

Every translatable place of every article (title, metadata labels, headings,
paragraphs, list items: :func:`toolkit.segment.article_units`, what the PO
files are made from) is checked as plain text, in any format a reader
supports.  A finding points at ``source/<file>:<line>``: the reader gives the
line where the place starts, and the text at fault is looked up in the file
from there, so a word on the second line of a wrapped Markdown paragraph is
reported on that line.

Silencing, like the translation checks, from ``[checks]`` in ``tmkit.toml``:

* ``words = "words.txt"``: the project's word list for ``spelling``;
* ``source_disable = ["full-stop"]``: checks not run;
* ``source_per_article = {slug = {disable = [...]}}``: not run on one article;
* ``severity = {spelling = "error"}``: a check's severity (the table is shared
  with the translation checks; the names differ).

All source checks are warnings by default, so ``tmkit check --source`` exits
1 only when ``severity`` makes one an error and it fires.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from importlib import resources
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from toolkit.text import inline
from toolkit.checks import prose as _prose  # noqa: F401 - registers the prose checks
from toolkit.checks import readability
from toolkit.checks import spelling
from toolkit.checks.base import chosen_severity
from toolkit.checks.findings import Finding, FindingsReport, sort_findings
from toolkit.checks.proofcache import CachedArticle, ProofreadCache, article_hash, fingerprint
from toolkit.checks.glossary import load_glossary
from toolkit.checks.source import SOURCE_CHECKS, SourceEnv, SourceProblem, SourceText
from toolkit.model import Article
from toolkit.project.config import DEFAULT_WORDS, Config
from toolkit.errors import ConfigError, TmkitError
from toolkit.project.fsutil import inside, read_text
from toolkit.project.layout import relative
from toolkit.readers.sources import article_paths
from toolkit.readers import read_article
from toolkit.segment import Unit, article_units


@dataclass
class SourceReport(FindingsReport):
    """Findings of one proofreading run and what was looked at."""

    files: int = 0
    units: int = 0       # translatable places checked
    words: int = 0
    readability: dict[str, dict] = field(default_factory=dict)   # source file -> grade (readability.py)

    def summary(self) -> str:
        errors, warnings = self.errors, self.warnings
        return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
                f"in {self.files} source file{'s' * (self.files != 1)} "
                f"({self.words} words in {self.units} places checked)")

    def grade_lines(self) -> list[str]:
        """One line per article: its reading grade (``tmkit check --source``)."""
        return [f"{path}: [readability] grade {r['flesch_kincaid']:.1f} (Flesch-Kincaid), "
                f"{r['smog']:.1f} (SMOG), {r['words']} words in {r['sentences']} sentences"
                for path, r in sorted(self.readability.items())]

    def totals(self) -> dict:
        return {"files": self.files, "units": self.units, "words": self.words, "errors": self.errors,
                "warnings": self.warnings, "readability": dict(sorted(self.readability.items()))}


# -- settings --------------------------------------------------------------------

def _known_names(config: Config, names: Sequence[str], where: str) -> set[str]:
    for name in names:
        if name not in SOURCE_CHECKS:
            raise ConfigError(f"unknown source check '{name}' in {where} "
                              f"(known: {', '.join(sorted(SOURCE_CHECKS))})",
                              config.path, config.line_mentioning(f'"{name}"'))
    return set(names)


def enabled_source_checks(config: Config, slug: str) -> list[str]:
    """Names of the source checks that run on article ``slug``, in registry order."""
    settings = config.checks
    off = _known_names(config, settings.source_disable, "checks.source_disable")
    for key, rules in settings.source_per_article.items():
        if (not isinstance(rules, dict) or set(rules) - {"disable"}
                or not isinstance(rules.get("disable", []), list)):
            raise ConfigError(f"checks.source_per_article.{key} takes a 'disable' list",
                              config.path, config.line_mentioning(key))
        if key == slug:
            off |= _known_names(config, rules.get("disable", []), f"checks.source_per_article.{key}")
    return [name for name in SOURCE_CHECKS if name not in off]


def words_path(config: Config) -> Optional[Path]:
    """The project's word list, or None.  The default ``words.txt`` may be
    absent; a file named explicitly in ``tmkit.toml`` must exist."""
    name = config.checks.words
    if not name:
        return None
    try:
        path = inside(config.root, name)
    except Exception:
        raise ConfigError("'checks.words' leaves the project", config.path,
                          config.line_mentioning("words")) from None
    if path.is_file():
        return path
    if name == DEFAULT_WORDS:
        return None
    raise ConfigError(f"word list not found: {name}", config.path, config.line_mentioning("words"))


def source_env(config: Config, with_speller: bool = True) -> SourceEnv:
    """What the checks know: skipped words and, when needed, the speller."""
    skip = {w.casefold() for term in config.checks.do_not_translate for w in spelling.WORD_RE.findall(term)}
    glossary = load_glossary(config)
    if glossary is not None:
        skip |= {w.casefold() for t in glossary.terms for w in spelling.WORD_RE.findall(t.term)}
    speller = None
    if with_speller:
        path = words_path(config)
        extra = spelling.medical_words() | (spelling.project_words(path) if path else frozenset())
        speller = spelling.Speller(extra)
    return SourceEnv(frozenset(skip), speller)


# -- lines -----------------------------------------------------------------------

class SourceLines:
    """The raw text of a source file, to find on which line a piece of text is."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.starts = [0] + [m.end() for m in re.finditer("\n", raw)]

    def line_of(self, problem: SourceProblem, text: SourceText) -> int:
        """The line of ``problem.anchor`` in the file.

        The anchor may occur earlier in the same place (``the`` in "the
        the"), so the n-th occurrence in the plain text is matched with the
        n-th in the file, counting from the place's first line.  When the
        file writes it differently (entities, markup inside a word), the
        place's first line is the answer.
        """
        pattern = _anchor_pattern(problem.anchor)
        if pattern is None or text.line < 1 or text.line > len(self.starts):
            return text.line
        nth = _occurrences_before(problem.anchor, text.text, problem.start)
        for index, match in enumerate(pattern.finditer(self.raw, self.starts[text.line - 1])):
            if index == nth:
                return bisect_right(self.starts, match.start())
        return text.line


@lru_cache(maxsize=65536)
def _occurrences_before(anchor: str, text: str, start: int) -> int:
    """How often ``anchor`` occurs in ``text`` before ``start`` (per distinct text:
    the same finding in a footer shared by every article is counted once)."""
    return sum(1 for m in _anchor_pattern(anchor).finditer(text) if m.start() < start)


@lru_cache(maxsize=4096)
def _anchor_pattern(anchor: str) -> Optional[re.Pattern]:
    parts = anchor.split()
    if not parts:
        return None
    body = r"\s+".join(re.escape(p) for p in parts)
    head = r"(?<!\w)" if parts[0][0].isalnum() else ""
    tail = r"(?!\w)" if parts[-1][-1].isalnum() else ""
    return re.compile(head + body + tail)


# -- running -----------------------------------------------------------------------

_CODE_RE = re.compile(r"<code>(.*?)</code>", re.DOTALL)


def prose_text(markup: str) -> str:
    """The plain text of ``markup`` with inline code blanked out: code
    (``getConfig()``, a command) is not English to proofread."""
    return inline.plain_text(_CODE_RE.sub(lambda m: " " * len(inline.plain_text(m.group(1))), markup))


@lru_cache(maxsize=65536)
def _prose_text(markup: str) -> str:
    """:func:`prose_text`, once per distinct place (footers repeat in every article)."""
    return prose_text(markup)


@lru_cache(maxsize=65536)
def _word_count(plain: str) -> int:
    return len(plain.split())


def _said(said: dict, name: str, text: SourceText, env: SourceEnv) -> list[SourceProblem]:
    """What check ``name`` says of ``text``, worked out once per run and text."""
    problems = said.get((name, text.text))
    if problems is None:
        problems = said[(name, text.text)] = SOURCE_CHECKS[name].function(text, env)
    return problems


def _raw_text(path: Path) -> str:
    """The file as text to find lines in; "" for a binary format (a .docx),
    where the lines the reader gives are all there is."""
    try:
        return read_text(path)
    except TmkitError:
        return ""


def proofread_article(config: Config, path: Path, env: SourceEnv,
                      said: Optional[dict[tuple, list]] = None,
                      article: Optional[Article] = None, places: Optional[list[Unit]] = None,
                      shown: Optional[str] = None) -> CachedArticle:
    """Check one article: its findings (as dicts, sorted) and what was looked at.

    ``said``: what each check said of each text so far in this run, by (check,
    plain text), and all the enabled checks together by (their names, plain
    text).  A source check sees only the text and the environment
    (never its place), so a sentence or footer shared by a thousand articles
    is checked once; only the line of each finding is found per article.
    ``article``, ``places``: the article already read and its units (by ``tmkit extract``'s workers);
    ``shown``: the path as findings name it, when the caller knows it.
    """
    said = {} if said is None else said
    shown = relative(config, path) if shown is None else shown
    if article is None:
        article = read_article(path, shown, config.sources)
    names = enabled_source_checks(config, article.slug)
    severities = {n: chosen_severity(config, SOURCE_CHECKS[n]) for n in names}
    lines = SourceLines(_raw_text(path))
    found: list[Finding] = []
    units = words = 0
    places = article_units(article) if places is None else places
    enabled = tuple(names)
    for unit in places:
        plain = _prose_text(unit.text)
        units += 1
        words += _word_count(plain)
        verdicts = said.get((enabled, plain))    # what all the enabled checks said, at once
        if verdicts is None:
            text = SourceText(plain, unit.line, unit.kind, shown, article.slug)
            verdicts = said[(enabled, plain)] = [(name, problems) for name in names
                                                 if (problems := _said(said, name, text, env))]
        if not verdicts:
            continue
        text = SourceText(plain, unit.line, unit.kind, shown, article.slug)
        for name, problems in verdicts:
            for problem in problems:
                found.append(Finding(shown, lines.line_of(problem, text), name,
                                     problem.severity or severities[name], problem.message,
                                     config.source_language, article.slug))
    grade = readability.units_readability(places) if readability.CHECK in names else None
    if grade is not None and grade.grade > config.checks.max_grade:
        found.append(Finding(shown, article.title_line or 1, readability.CHECK, severities[readability.CHECK],
                             f"{grade.describe()}: above [checks] max_grade = {config.checks.max_grade:g} "
                             f"for patient materials (shorter sentences, shorter words)",
                             config.source_language, article.slug))
    return CachedArticle("", [f.as_dict() for f in sort_findings(found)], units, words,
                         grade.as_dict() if grade is not None else None)


def proofread_inputs(config: Config) -> tuple[list[str], list[str]]:
    """(folders, files) whose change can change the findings, as the no-change stamps of
    ``extract``'s proofreading and ``status`` watch them (:mod:`toolkit.project.nochange`):
    the articles, the settings, the glossary and the word list."""
    folders = [relative(config, config.source_path)]
    files = ["tmkit.toml"]
    if config.checks.glossary:
        files.append(relative(config, inside(config.root, config.checks.glossary)))
    if config.checks.words:      # watched even while absent: its appearance is a change too
        files.append(relative(config, inside(config.root, config.checks.words)))
    # tmkit's medical vocabulary (a data file, outside the code folders the stamps watch)
    files.append(os.fspath(resources.files("toolkit.checks") / "vocabulary" / "medical.txt"))
    return folders, files


def proofread_project(config: Config, slugs: Optional[Sequence[str]] = None,
                      use_cache: bool = False, paths: Optional[Sequence[Path]] = None) -> SourceReport:
    """Run the source checks on every article (or those in ``slugs``).

    With ``use_cache`` (``tmkit extract``), articles unchanged since the last
    run with the same settings give their remembered findings without being
    read (:mod:`toolkit.checks.proofcache`), and the cache is updated.
    ``paths``: :func:`article_paths` of ``slugs`` when the caller listed them already.
    """
    proofreader = ProjectProofreader(config, slugs, use_cache, paths)
    for path in proofreader.paths:
        proofreader.wanted(path)
    return proofreader.report()


class ProjectProofreader:
    """The proofreading of a project's articles, in steps ``tmkit extract`` can share.

    It is the :class:`toolkit.catalog.extract.ArticlePass` extract runs in
    its worker processes: :meth:`wanted` (the cache has no findings for the
    article's bytes), :meth:`prepare` (the dictionaries, loaded once before
    the workers fork), :meth:`visit` (in a worker, with the article extract
    read and segments), :meth:`take` (the findings back in this process);
    then :meth:`report` proofreads here whatever was wanted and not visited
    (all of it when extract did not run, or a visit failed: an error is
    raised here, as without extract) and sums up in the articles' order.
    Each worker remembers what each check said of each text (``said``), so
    a text is checked at most once per process.
    """

    def __init__(self, config: Config, slugs: Optional[Sequence[str]] = None, use_cache: bool = False,
                 paths: Optional[Sequence[Path]] = None) -> None:
        self.config = config
        self.slugs = list(slugs) if slugs else None
        self.paths = list(paths) if paths is not None else article_paths(config, self.slugs)
        self.checks = {n for p in self.paths for n in enabled_source_checks(config, p.stem)}
        self.cache: Optional[ProofreadCache] = None
        if use_cache:
            glossary = inside(config.root, config.checks.glossary) if config.checks.glossary else None
            self.cache = ProofreadCache(config, fingerprint(config, [words_path(config), glossary]))
        self.env: Optional[SourceEnv] = None
        self.said: dict[tuple, list] = {}
        self.sources: dict[Path, str] = {}             # wanted: hash of the article's bytes
        self.results: dict[Path, CachedArticle] = {}
        self.shown = {path: relative(config, path) for path in self.paths}   # once, not per step

    def wanted(self, path: Path, data: Optional[bytes] = None) -> bool:
        """True when ``path`` must be proofread (its findings are not in the cache);
        ``data``: the file's bytes when the caller has just read them (extract)."""
        source = article_hash(path, data)
        cached = self.cache.get(self.shown[path], source) if self.cache is not None else None
        if cached is not None:
            self.results[path] = cached
            return False
        self.sources[path] = source
        return True

    def prepare(self) -> None:
        """Load the checks' environment (the dictionary) once, before the workers fork.

        A settings error is not raised here: :meth:`report` meets it again and
        raises it after extract has done its own work, as before extract shared it.
        """
        try:
            self._environment()
            from toolkit.checks.readability import preload

            if readability.CHECK in self.checks:
                preload()
        except TmkitError:
            self.env = None

    def _environment(self) -> SourceEnv:
        if self.env is None:     # the dictionary loads only when an article needs reading
            self.env = source_env(self.config, with_speller="spelling" in self.checks)
        return self.env

    def visit(self, path: Path, article: Article, units: list[Unit]) -> Optional[CachedArticle]:
        """Proofread one article extract read (in its worker); None without an environment."""
        if self.env is None:
            return None
        return proofread_article(self.config, path, self.env, self.said, article, units, self.shown[path])

    def take(self, path: Path, result: object) -> None:
        """A visit's result, back in this process (None: proofread it in :meth:`report`)."""
        if isinstance(result, CachedArticle):
            self._keep(path, result)

    def _keep(self, path: Path, result: CachedArticle) -> None:
        result.source = self.sources[path]
        self.results[path] = result
        if self.cache is not None:
            self.cache.put(self.shown[path], result)

    def report(self) -> SourceReport:
        """Every article's findings in order (proofreading those still missing); the cache saved."""
        report = SourceReport()
        for path in self.paths:
            result = self.results.get(path)
            if result is None:
                if path not in self.sources:
                    self.wanted(path)
                    result = self.results.get(path)
            if result is None:
                self._keep(path, proofread_article(self.config, path, self._environment(), self.said,
                                                   shown=self.shown[path]))
                result = self.results[path]
            shown = self.shown[path]
            report.files += 1
            report.units += result.units
            report.words += result.words
            report.findings += [Finding(**f) for f in result.findings]
            if result.readability:
                report.readability[shown] = result.readability
        if self.cache is not None:
            if not self.slugs:
                self.cache.keep_only(set(self.shown.values()))
            self.cache.save()
        report.findings = sort_findings(report.findings)
        return report
