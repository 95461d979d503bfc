"""Run the checks over a project's PO files (``tmkit check``).

Which checks run is decided per language from ``[checks]`` in ``tmkit.toml``:
the defaults, plus ``enable``, minus ``disable``, then the same two lists
under ``per_language.<lang>``.  ``severity`` may turn a check into an error
or a warning.  A translator silences a check for one entry with a translator
comment ``# tmkit-ignore: numbers`` (several names separated by commas, or
``all``), which stays visible in review.

Only translated entries are checked: fuzzy and empty ones are not published.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

import polib

from toolkit.checks import glossary as _glossary
from toolkit.checks import medical as _medical  # noqa: F401 - registers the medical checks
from toolkit.checks import ttk
from toolkit.checks.base import CHECKS, Entry, LanguageEnv, Problem, chosen_severity
from toolkit.checks.findings import ERROR, WARNING, Finding, FindingsReport, sort_findings, summary
from toolkit.catalog import broken
from toolkit.catalog.pofile import read_checked
from toolkit.checks.pofiles import set_msgstr_lines
from toolkit.project.config import Config
from toolkit.errors import CatalogError, ConfigError
from toolkit.project.layout import relative
from toolkit.readers.sources import article_paths
from toolkit.catalog.pseudo import resolve_languages

_IGNORE_RE = re.compile(r"^\s*tmkit-ignore\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class CheckReport(FindingsReport):
    """Findings of one run and what was looked at."""

    files: int = 0
    entries: int = 0

    def summary(self) -> str:
        return summary(self.findings, self.files, self.entries)

    def totals(self) -> dict:
        return {"files": self.files, "entries": self.entries, "errors": self.errors,
                "warnings": self.warnings}


def _known(config: Config, names: Sequence[str], where: str) -> list[str]:
    for name in names:
        if name not in CHECKS:
            raise ConfigError(f"unknown check '{name}' in {where} (known: {', '.join(sorted(CHECKS))})",
                              config.path, config.line_mentioning(f'"{name}"'))
    return list(names)


def enabled_checks(config: Config, lang: str) -> list[str]:
    """Names of the checks that run for ``lang``, in registry order."""
    settings = config.checks
    names = {n for n, spec in CHECKS.items() if spec.default}
    names |= set(_known(config, settings.enable, "checks.enable"))
    names -= set(_known(config, settings.disable, "checks.disable"))
    for tag, rules in settings.per_language.items():
        if not isinstance(rules, dict) or set(rules) - {"enable", "disable"}:
            raise ConfigError(f"checks.per_language.{tag} takes 'enable' and 'disable' lists",
                              config.path, config.line_mentioning(tag))
        if tag != lang:
            continue
        for key in ("enable", "disable"):
            value = rules.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"checks.per_language.{tag}.{key} must be a list of strings",
                                  config.path, config.line_mentioning(tag))
        names |= set(_known(config, rules.get("enable", []), f"checks.per_language.{tag}"))
        names -= set(_known(config, rules.get("disable", []), f"checks.per_language.{tag}"))
    return [n for n in CHECKS if n in names]


def severity_of(config: Config, name: str) -> str:
    """A check's severity, after ``[checks] severity = {name = "error"}``."""
    return chosen_severity(config, CHECKS[name])


def ignored_checks(entry: polib.POEntry) -> frozenset[str]:
    """Names listed in the entry's ``# tmkit-ignore:`` translator comments."""
    return _ignored_in(entry.tcomment) if entry.tcomment else frozenset()


@functools.lru_cache(maxsize=1 << 12)
def _ignored_in(tcomment: str) -> frozenset[str]:
    """:func:`ignored_checks` of a translator comment, remembered: the same glossary note
    stands on an entry in every language of every article."""
    names: set[str] = set()
    for line in tcomment.splitlines():
        match = _IGNORE_RE.match(line)
        if match:
            names.update(n.strip() for n in re.split(r"[,\s]+", match.group(1)) if n.strip())
    return frozenset(names)


def translated_entries(path: Path, display: str, po: Iterable) -> list[Entry]:
    """The entries of ``po`` that a reader would see translated.

    ``po`` is a :class:`polib.POFile`, or entries that know their ``msgstr``
    line already (:func:`read_checked`, as check, review and status read):
    then the file is not read again to find the lines.
    """
    set_msgstr_lines(path, po)
    return [Entry(e.msgid, e.msgstr, e.msgctxt, display, e.msgstr_line, ignored_checks(e))
            for e in po if is_translated(e)]


def is_translated(entry) -> bool:
    """Whether a reader would see the PO entry translated (what the checks check)."""
    return bool(entry.msgid and not entry.obsolete and entry.msgstr.strip() and "fuzzy" not in entry.flags)


def check_entry(entry: Entry, env: LanguageEnv, names: Sequence[str]) -> list[tuple[str, Problem]]:
    """Run ``names`` on one entry: (check name, problem) pairs, ignores applied."""
    if "all" in entry.ignored:
        return []
    wanted = [n for n in names if n not in entry.ignored]
    found: list[tuple[str, Problem]] = []
    batch = {n for n in wanted if n in ttk.TTK_NAMES}
    if batch:  # one translate-toolkit pass for all its tests
        found += [(n, Problem(m)) for n, m in ttk.run_ttk(entry, env, batch).items()]
    for name in wanted:
        if name not in batch:
            found += [(name, p) for p in CHECKS[name].function(entry, env)]
    return found


@dataclass
class LanguageChecks:
    """What checking one language's catalogs needs, made once per run.

    ``tmkit check`` (:func:`run_checks`) and the publishing gate
    (:func:`catalog_errors`) both check a catalog with :meth:`catalog`: one
    implementation, so what the gate holds back is exactly what ``tmkit
    check`` calls an error.
    """

    lang: str
    names: list[str]
    severities: dict[str, str]
    env: LanguageEnv
    #: (source, target, context, ignored) -> what the checks said: a check sees only the
    #: entry and the language, so a footer shared by a thousand articles is checked once.
    _said: dict = field(default_factory=dict, repr=False)

    def catalog(self, path: Path, shown: str, slug: str) -> tuple[int, list[Finding]]:
        """(entries checked, findings) for one PO file."""
        return self.po_entries(path, shown, read_checked(path, shown), slug)

    def po_entries(self, path: Path, shown: str, po: Iterable, slug: str) -> tuple[int, list[Finding]]:
        """:meth:`entries` of ``translated_entries(path, shown, po)``, making an :class:`Entry`
        only for what was not checked yet: a first ``tmkit status`` checks 170,000 entries
        of which a few thousand differ."""
        set_msgstr_lines(path, po)
        said_get, count, findings, nothing = self._said.get, 0, [], frozenset()
        for e in po:
            # inlined is_translated (and ignored_checks without a comment): 160,000 entries
            if not (e.msgid and not e.obsolete and e.msgstr.strip() and "fuzzy" not in e.flags):
                continue
            count += 1
            ignored = ignored_checks(e) if e.tcomment else nothing
            key = (e.msgid, e.msgstr, e.msgctxt, ignored)
            said = said_get(key)
            if said is None:
                said = self._said[key] = check_entry(Entry(e.msgid, e.msgstr, e.msgctxt, shown, e.msgstr_line,
                                                           ignored), self.env, self.names)
            if said:
                findings += self._findings(said, shown, e.msgstr_line, slug)
        return count, findings

    def entries(self, entries: Sequence[Entry], slug: str) -> tuple[int, list[Finding]]:
        findings = []
        for entry in entries:
            said = self.said(entry)
            if said:
                findings += self._findings(said, entry.path, entry.line, slug)
        return len(entries), findings

    def _findings(self, said: list[tuple[str, Problem]], path: str, line: int, slug: str) -> list[Finding]:
        """What the checks said of an entry as findings at its file and ``msgstr`` line."""
        return [Finding(path, line, name, _severity(problem, self.severities[name]), problem.message,
                        self.lang, slug) for name, problem in said]

    @staticmethod
    def key(entry: Entry) -> tuple:
        """What the checks' result depends on besides the language: equal keys, equal findings
        (:meth:`po_entries` builds the same tuple from a catalog entry)."""
        return (entry.source, entry.target, entry.context, entry.ignored)

    def said(self, entry: Entry) -> list[tuple[str, Problem]]:
        """(check name, problem) pairs of ``entry``, checked once per distinct :meth:`key`."""
        key = self.key(entry)
        said = self._said.get(key)
        if said is None:
            said = self._said[key] = check_entry(entry, self.env, self.names)
        return said

    def learn(self, said: Mapping[tuple, list[tuple[str, Problem]]]) -> None:
        """Take what another process's checks of this language said (by :meth:`key`),
        so that an entry several processes hold is checked by one of them only."""
        self._said.update(said)


def _severity(problem: Problem, chosen: str) -> str:
    """A problem may lower its check's severity (a warning inside an error check), never raise it.

    So the gate, which runs only the checks whose severity is ``error``,
    misses no error-level finding.
    """
    return WARNING if problem.severity == WARNING else chosen


def language_checks(config: Config, lang: str, glossary: Optional[object] = None,
                    ratio: Optional[float] = None, only_errors: bool = False) -> LanguageChecks:
    """The checks of ``lang`` with the project's settings.

    ``ratio`` is the language's usual target/source length ratio (the
    ``length`` check compares with it); ``only_errors`` keeps only the
    checks whose severity is ``error`` (what the publishing gate needs).
    """
    names = enabled_checks(config, lang)
    severities = {n: severity_of(config, n) for n in names}
    if only_errors:
        names = [n for n in names if severities[n] == ERROR]
    env = LanguageEnv(lang, list(config.checks.do_not_translate), glossary, ratio,
                      localisable_numbers=frozenset(config.checks.localisable_numbers))
    return LanguageChecks(lang, names, severities, env)


def run_checks(config: Config, languages: Optional[Sequence[str]] = None,
               slugs: Optional[Sequence[str]] = None,
               known: Optional[Mapping[tuple[str, str], list[Entry]]] = None) -> CheckReport:
    """Check every translated entry of the selected PO files.

    ``known`` holds the translated entries (:func:`translated_entries`) of
    PO files the caller has read already, by (language, slug): those files
    are not read a second time (``tmkit review`` parses each once).
    """
    report = CheckReport()
    glossary = _glossary.load_glossary(config)
    chosen = resolve_languages(config, languages)
    if slugs and known is not None and all((lang, s) in known for lang in chosen for s in slugs):
        wanted_slugs = list(slugs)   # the caller listed the sources and read these files just now
    else:
        wanted_slugs = [p.stem for p in article_paths(config, list(slugs) if slugs else None)]
    for lang in chosen:
        catalogs = _catalog_entries(config, lang, wanted_slugs, known)
        all_entries = [e for _, entries in catalogs for e in entries]
        checks = language_checks(config, lang, glossary, _medical.usual_ratio(all_entries))
        for slug, entries in catalogs:
            report.files += 1
            count, findings = checks.entries(entries, slug)
            report.entries += count
            report.findings.extend(findings)
    if glossary is not None:
        report.findings += glossary_tag_findings(config, glossary)
    report.findings = sort_findings(report.findings)
    return report


def _catalog_entries(config: Config, lang: str, slugs: Sequence[str],
                     known: Optional[Mapping[tuple[str, str], list[Entry]]] = None
                     ) -> list[tuple[str, list[Entry]]]:
    """(slug, translated entries) of each existing PO file of ``lang``; a broken one is left
    out when the command goes on past broken files (:mod:`toolkit.catalog.broken`).
    ``known``: the translated entries of files already read, by (language, slug)."""
    catalogs: list[tuple[str, list[Entry]]] = []
    folder = config.po_file(lang, "-").parent      # resolved once, not once per article
    for slug in slugs:
        found = (known or {}).get((lang, slug))
        if found is not None:
            catalogs.append((slug, found))
            continue
        path = folder / f"{slug}.po"
        if not path.is_file():
            continue
        shown = relative(config, path)
        try:
            catalogs.append((slug, translated_entries(path, shown, read_checked(path, shown))))
        except CatalogError as exc:   # a broken file fails alone (toolkit.catalog.broken)
            if not broken.skip(exc):
                raise
    return catalogs


def glossary_tag_findings(config: Config, glossary: _glossary.Glossary) -> list[Finding]:
    """A warning for each glossary language tag that no configured language matches."""
    shown = relative(config, Path(glossary.path))
    known = ", ".join(config.languages)
    return [Finding(shown, line, "glossary", WARNING,
                    f"glossary language '{tag}' matches no configured language ({known}): "
                    "its rows are never used")
            for tag, line in glossary.unmatched_tags(list(config.languages))]


def gate_needs_ratio(config: Config, lang: str) -> bool:
    """True when an error-level check of ``lang`` compares with the language's usual length ratio."""
    return "length" in language_checks(config, lang, only_errors=True).names


def language_ratio(config: Config, lang: str) -> Optional[float]:
    """The usual length ratio over every catalog of ``lang`` (as ``tmkit check`` computes it)."""
    slugs = [p.stem for p in article_paths(config)]
    return _medical.usual_ratio(e for _, entries in _catalog_entries(config, lang, slugs) for e in entries)


def gate_inputs(config: Config) -> str:
    """Everything besides a PO file that decides its error-level findings, as one string.

    The build folds it into each article's key, so a changed glossary or
    check setting re-checks every catalog and nothing else does.
    """
    from importlib import metadata

    glossary = ""
    if config.checks.glossary:
        from toolkit.project.fsutil import inside

        path = inside(config.root, config.checks.glossary)
        glossary = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"
    return json.dumps({"checks": asdict(config.checks), "glossary": glossary,
                       "translate-toolkit": metadata.version("translate-toolkit")}, sort_keys=True)


def catalog_errors(checks: LanguageChecks, path: Path, shown: str, slug: str) -> list[Finding]:
    """The error-level findings of one PO file, in file order (what the gate holds back)."""
    if not path.is_file():
        return []
    return sort_findings(f for f in checks.catalog(path, shown, slug)[1] if f.is_error)
