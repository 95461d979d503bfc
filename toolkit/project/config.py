"""Project settings: ``tmkit.toml``.

A project is a folder holding ``tmkit.toml``; every path in it is relative to
that folder and may not leave it.  Settings are validated when read: unknown
keys, wrong types and unknown languages are errors naming the file (and line,
where TOML gives one), so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Optional

from toolkit.errors import ConfigError, TmkitError
from toolkit.project.dburl import URLProblem, check_url
from toolkit.project.fsutil import inside, read_text
from toolkit.project.root import CONFIG_NAME, find_root  # noqa: F401 - named here too
from toolkit.text.languages import Language, get_language, known_tag
from toolkit.text.plurals import parse_rule

SEGMENTATIONS = ("sentence", "paragraph")
TM_PREFILL = ("fuzzy", "comment", "off")
TM_EXACT_AS = ("translated", "fuzzy")
#: The project word list the spelling check reads when ``checks.words`` is not set.
DEFAULT_WORDS = "words.txt"
TM_URL_ENV = "TMKIT_TM_URL"
TM_URL_SCHEMES = ("postgresql://", "postgres://")


@dataclass
class TMSettings:
    """``[tm]``: where the translation memory lives and how it pre-fills PO files."""

    path: str = ".tmkit/tm.sqlite"
    url: str = ""                     # a shared server TM ("postgresql://user@host:5432/db"); wins over path
    min_score: int = 75               # fuzzy matches below this are not offered
    prefill: str = "fuzzy"            # "fuzzy": msgstr + #, fuzzy; "comment": suggestions only; "off"
    exact_as: str = "translated"      # exact matches: "translated" or "fuzzy" (review everything)
    suggestions: int = 3              # matches listed in a comment in "comment" mode
    read_timeout: float = 30.0        # seconds a TM server statement may take (lookups, checks)
    write_timeout: float = 300.0      # seconds a TM write statement, or the wait for the write lock, may take


@dataclass
class PublishSettings:
    """``[publish]``: the gate that decides whether an article-language is exported."""

    min_translated: float = 80.0      # percent of segments translated (not fuzzy)
    required: list[str] = field(default_factory=list)  # roles, segment ids or English texts
    require_review: bool = False      # publish only with a matching sign-off (tmkit review approve)
    hold_on_check_errors: bool = True  # hold back an article-language tmkit check finds an error in


@dataclass
class CheckSettings:
    """``[checks]``: which quality checks run and what they know."""

    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    do_not_translate: list[str] = field(default_factory=list)   # acronyms/names kept as written
    #: Numbers a translation may localise (emergency numbers such as 999 -> 112):
    #: the numbers check neither misses them in a translation nor flags them as extra.
    localisable_numbers: list[str] = field(default_factory=list)
    glossary: str = ""                # path to CSV or TBX, relative to the project
    per_language: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)  # check name -> "error" | "warning"
    # Source checks (tmkit check --source, docs/quality.md):
    words: str = DEFAULT_WORDS        # project word list for the spelling check
    source_disable: list[str] = field(default_factory=list)
    source_per_article: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: The school grade patient materials aim at: ``readability`` warns above it.
    max_grade: float = 8.0


@dataclass
class ExportSettings:
    """``[export]``: writers and their options."""

    formats: list[str] = field(default_factory=lambda: ["html", "xml", "txt"])
    text_width: int = 0               # 0 = no wrapping in plain text
    templates: str = ""               # folder of Jinja2 templates overriding the defaults


@dataclass
class SiteSettings:
    """``[site]``: the published web site (docs/export.md, "The site").

    ``url`` is where ``exports/`` is served ("https://example.org/articles/"):
    with it the build writes ``sitemap.xml`` and gives each page its canonical
    URL and absolute ``hreflang`` alternates (links between pages stay
    relative).  ``search`` builds a Pagefind index per language after the pages.
    """

    url: str = ""
    search: bool = True


@dataclass
class SourceSettings:
    """``[sources]``: how much of a source file tmkit agrees to unpack.

    A ``.docx`` is a zip: a 3 MB file can inflate to gigabytes.  Each XML part
    is read through a bounded stream and refused past ``docx_part_mib``; all
    of them together past ``docx_total_mib``.  Images and other media are
    never unpacked (docs/formats.md).
    """

    docx_part_mib: int = 64
    docx_total_mib: int = 256


@dataclass
class Config:
    """Everything ``tmkit.toml`` says, with defaults for what it leaves out."""

    root: Path
    name: str = "tmkit-project"
    source_language: str = "en"
    languages: list[str] = field(default_factory=list)
    source_dir: str = "source"
    po_dir: str = "po"
    export_dir: str = "exports"
    segmentation: str = "sentence"
    copyright_holder: str = ""
    bugs_address: str = ""
    #: BCP 47 tag -> Plural-Forms for new catalogs, overriding gettext's table.
    plural_forms: dict[str, str] = field(default_factory=dict)
    #: Globs (relative to source_dir) of files in source/ that are not articles.
    ignore: list[str] = field(default_factory=list)
    tm: TMSettings = field(default_factory=TMSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    checks: CheckSettings = field(default_factory=CheckSettings)
    sources: SourceSettings = field(default_factory=SourceSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    site: SiteSettings = field(default_factory=SiteSettings)
    #: (root, po_dir, lang) -> the language's PO folder, resolved and checked once per process:
    #: commands ask for thousands of PO files, and resolving each path walked the tree again.
    _po_folders: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- derived paths -------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def source_path(self) -> Path:
        return inside(self.root, self.source_dir)

    @property
    def po_path(self) -> Path:
        return inside(self.root, self.po_dir)

    @property
    def template_path(self) -> Path:
        return self.po_path / "templates"

    @property
    def export_path(self) -> Path:
        return inside(self.root, self.export_dir)

    @property
    def tm_path(self) -> Path:
        return inside(self.root, self.tm.path)

    @property
    def tm_location(self) -> Path | str:
        """The TM to open: ``[tm] url`` (or ``TMKIT_TM_URL``) if set, else the SQLite file."""
        return self.tm.url or self.tm_path

    def pot_file(self, slug: str) -> Path:
        return self.template_path / f"{slug}.pot"

    def po_file(self, lang: str, slug: str) -> Path:
        """``po/<lang>/<slug>.po``; the language folder checked to stay inside ``po/``
        (tags are validated where they enter, this is the last line of defence)."""
        key = (self.root, self.po_dir, lang)
        folder = self._po_folders.get(key)
        if folder is None:
            inside(self.po_path, lang)
            folder = self._po_folders[key] = self.po_path / lang
        return folder / f"{slug}.po"

    def language(self, tag: str) -> Language:
        """The language, with this project's ``plural_forms`` override if it has one."""
        language = get_language(tag)
        if tag in self.plural_forms:
            return replace(language, plural_forms=self.plural_forms[tag])
        return language

    def _setting_line(self, key: str) -> Optional[int]:
        """The line of ``key =`` in ``tmkit.toml`` (None if unreadable)."""
        try:
            return _line_of(read_text(self.path), key)
        except Exception:
            return None

    def line_mentioning(self, word: str) -> Optional[int]:
        """First line of ``tmkit.toml`` containing ``word``, for error messages."""
        try:
            lines = read_text(self.path).split("\n")
        except Exception:
            return None
        for number, line in enumerate(lines, 1):
            if word in line:
                return number
        return None

    def target_language(self, tag: str) -> str:
        """The configured tag ``tag`` names (``ES`` -> ``es``), or the error every command gives:
        a malformed tag, an unknown one (with the nearest known tag) or one not in ``languages``."""
        try:
            canonical = known_tag(tag)
        except ConfigError as exc:
            raise ConfigError(f"--lang: {exc.message}") from None
        if canonical not in self.languages:
            listed = ", ".join(self.languages) or "none"
            raise ConfigError(f"language not configured in {CONFIG_NAME}: {canonical} "
                              f"(configured: {listed})", self.path, self._setting_line("languages"))
        return canonical

    def select_languages(self, wanted: Optional[list[str]] | tuple[str, ...] = None) -> list[str]:
        """The configured languages, or the subset asked for with ``--lang`` (canonical tags)."""
        if not wanted:
            return list(self.languages)
        return list(dict.fromkeys(self.target_language(tag) for tag in wanted))


_SECTIONS = {"tm": TMSettings, "publish": PublishSettings, "checks": CheckSettings,
             "export": ExportSettings, "sources": SourceSettings,
             "site": SiteSettings}


def _line_of(text: str, key: str) -> Optional[int]:
    """Best-effort line of ``key =`` in the TOML text, for error messages."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(key) and stripped[len(key):].lstrip().startswith("="):
            return number
        if stripped == f"[{key}]":
            return number
    return None


def _check_type(value: Any, default: Any, key: str, path: Path, text: str) -> Any:
    """Accept ``value`` if it has the type of the default; ints pass for floats."""
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is list and isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"'{key}' must be a list of strings", path, _line_of(text, key.split(".")[-1]))
        return value
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise ConfigError(f"'{key}' must be {expected.__name__}, not {type(value).__name__}",
                      path, _line_of(text, key.split(".")[-1]))


def _build(cls: type, data: dict, path: Path, text: str, prefix: str = "", **extra: Any) -> Any:
    known = {f.name: f for f in fields(cls) if f.name != "root"}
    values: dict[str, Any] = dict(extra)
    defaults = cls(**extra) if extra else cls()
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"unknown setting '{prefix}{key}'", path, _line_of(text, key.split(".")[-1]))
        if key in _SECTIONS and cls is Config:
            if not isinstance(value, dict):
                raise ConfigError(f"'{key}' must be a table [{key}]", path, _line_of(text, key.split(".")[-1]))
            values[key] = _build(_SECTIONS[key], value, path, text, prefix=f"{key}.")
            continue
        values[key] = _check_type(value, getattr(defaults, key), f"{prefix}{key}", path, text)
    return cls(**values)


def parse_toml(text: str, shown: os.PathLike | str, error: type[TmkitError] = ConfigError) -> dict:
    """TOML text as a dict, or ``error`` naming ``shown`` and the line at fault."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's tomllib has the position only in the message
        found = re.search(r"\(at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        message = str(exc).split(" (at line")[0]
        raise error(f"invalid TOML: {message}", shown, line) from None


def load_config(root: os.PathLike | str = ".") -> Config:
    """Read and validate the ``tmkit.toml`` of the project holding ``root`` (see :func:`find_root`)."""
    start = Path(root).resolve()
    found = find_root(start)
    if found is None:
        raise ConfigError(f"no {CONFIG_NAME} in this folder or any folder above it; "
                          "create a project with 'tmkit init'", start)
    root = found
    path = root / CONFIG_NAME
    text = read_text(path)
    data = parse_toml(text, path)
    # Accept settings either at top level or under [project].
    project = data.pop("project", {})
    if not isinstance(project, dict):
        raise ConfigError("'project' must be a table [project]", path, _line_of(text, "project"))
    merged = {**project, **data}
    config = _build(Config, merged, path, text, root=root)
    # the environment wins, so a team keeps credentials out of the repository
    config.tm.url = os.environ.get(TM_URL_ENV, "").strip() or config.tm.url
    _validate(config, text)
    return config


def _url_source(path: Path, text: str) -> tuple:
    """Where the TM URL was written: the environment variable, or the line of ``tmkit.toml``."""
    if os.environ.get(TM_URL_ENV, "").strip():
        return TM_URL_ENV, None
    return path, _line_of(text, "url")


def _validate(config: Config, text: str) -> None:
    path = config.path
    try:
        config.languages = [known_tag(tag) for tag in config.languages]
    except ConfigError as exc:
        raise ConfigError(f"'languages': {exc.message}", path, _line_of(text, "languages")) from None
    try:
        config.source_language = known_tag(config.source_language)
    except ConfigError as exc:
        raise ConfigError(f"'source_language': {exc.message}", path,
                          _line_of(text, "source_language")) from None
    try:
        config.plural_forms = {known_tag(tag): rule for tag, rule in config.plural_forms.items()}
    except ConfigError as exc:
        raise ConfigError(f"'plural_forms': {exc.message}", path, _line_of(text, "plural_forms")) from None
    for tag, rule in config.plural_forms.items():
        if tag not in config.languages:
            raise ConfigError(f"'plural_forms' names {tag!r}, which is not in 'languages'", path,
                              _line_of(text, "plural_forms"))
        if not isinstance(rule, str) or parse_rule(rule) is None:
            raise ConfigError(f"'plural_forms' for {tag!r} is not a valid rule such as "
                              f"'nplurals=2; plural=(n != 1);'", path, _line_of(text, "plural_forms"))
    for number in config.checks.localisable_numbers:
        if not re.fullmatch(r"\d+", number):
            raise ConfigError(f"'checks.localisable_numbers' holds {number!r}: write numbers as digits "
                              'only, e.g. ["999", "112"]', path, _line_of(text, "localisable_numbers"))
    if len(set(config.languages)) != len(config.languages):
        raise ConfigError("a language is listed twice", path, _line_of(text, "languages"))
    if config.source_language in config.languages:
        raise ConfigError("the source language is also a target language", path,
                          _line_of(text, "languages"))
    choices = [("segmentation", config.segmentation, SEGMENTATIONS),
               ("tm.prefill", config.tm.prefill, TM_PREFILL),
               ("tm.exact_as", config.tm.exact_as, TM_EXACT_AS)]
    for key, value, allowed in choices:
        if value not in allowed:
            raise ConfigError(f"'{key}' must be one of {', '.join(allowed)}", path,
                              _line_of(text, key.split(".")[-1]))
    if config.tm.url and not config.tm.url.lower().startswith(TM_URL_SCHEMES):
        where = _url_source(path, text)
        raise ConfigError("the TM URL must start with postgresql:// (a SQLite TM is set with "
                          "'tm.path')", *where)
    for key in ("read_timeout", "write_timeout"):
        if not getattr(config.tm, key) > 0:
            raise ConfigError(f"'tm.{key}' must be a number of seconds above 0", path, _line_of(text, key))
    if config.tm.url:
        try:
            check_url(config.tm.url)
        except URLProblem as exc:
            raise ConfigError(str(exc), *_url_source(path, text)) from None
    if config.site.url:
        _check_site_url(config.site.url, path, text)
    for key in ("docx_part_mib", "docx_total_mib"):
        if not 1 <= getattr(config.sources, key) <= 4096:
            raise ConfigError(f"'sources.{key}' must be between 1 and 4096 (MiB)", path, _line_of(text, key))
    if not 0 <= config.tm.min_score <= 100:
        raise ConfigError("'tm.min_score' must be between 0 and 100", path, _line_of(text, "min_score"))
    if not 0 <= config.publish.min_translated <= 100:
        raise ConfigError("'publish.min_translated' must be between 0 and 100", path,
                          _line_of(text, "min_translated"))
    for key in ("source_dir", "po_dir", "export_dir"):
        try:
            inside(config.root, getattr(config, key))
        except Exception:
            raise ConfigError(f"'{key}' leaves the project", path, _line_of(text, key.split(".")[-1])) from None
    try:
        inside(config.root, config.tm.path)
    except Exception:
        raise ConfigError("'tm.path' leaves the project", path, _line_of(text, "path")) from None


def _check_site_url(url: str, path: Path, text: str) -> None:
    """``[site] url`` is an absolute http(s) URL without query or fragment (it prefixes every page)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("https", "http") or not parts.netloc or parts.query
            or parts.fragment or any(c.isspace() or ord(c) < 32 for c in url)):
        raise ConfigError("'site.url' must be the site's address, like \"https://example.org/articles/\"",
                          path, _line_of(text, "url"))


DEFAULT_CONFIG = """\
# tmkit project settings.  Paths are relative to this file.
[project]
name = "{name}"
source_language = "en"
# Target languages as BCP 47 tags.
languages = [{languages}]
source_dir = "source"
po_dir = "po"
export_dir = "exports"
# "sentence" (one PO entry per sentence) or "paragraph" (one per block).
segmentation = "sentence"
# Files in source/ that are not articles (globs); other unknown files get a warning.
ignore = []
# A language's Plural-Forms for new PO files, if not gettext's: {{"pt-BR" = "nplurals=2; plural=(n > 1);"}}
plural_forms = {{}}

[tm]
path = ".tmkit/tm.sqlite"
min_score = 75
# "fuzzy": pre-fill as #, fuzzy; "comment": suggestions in a comment only; "off".
prefill = "fuzzy"
exact_as = "translated"

[publish]
# An article-language is exported only when this percentage is translated...
min_translated = 80
# ...and these are translated (roles such as "disclaimer", segment ids, or English text).
required = ["disclaimer"]
# true: publish an article-language only while a clinician's sign-off
# (`tmkit review approve`) covers exactly its current English and translation.
require_review = false
# true: hold back an article-language in which `tmkit check` finds an error
# (a wrong number, a lost term...); its last published pages stay.
hold_on_check_errors = true

[checks]
# See docs/quality.md for the check names.  Accept a deliberate change in one
# entry with a translator comment "# tmkit-ignore: numbers" (or the check's name).
# Acronyms and names every translation keeps as written, e.g. ["MRI", "ACME Clinic"]:
do_not_translate = []
# Numbers a translation may localise, e.g. emergency numbers ["999", "112", "911"]:
localisable_numbers = []
# CSV (term,lang,translation,note) or TBX; its terms are added to PO files as comments.
glossary = ""
enable = []
disable = []
# severity = {{glossary = "error"}}
# per_language = {{zh-Hans = {{disable = ["doublespacing"]}}}}
# Source checks (tmkit check --source): the project's own words, one per line,
# for the spelling check; checks not run on the English.
words = "words.txt"
source_disable = []
# The school grade patient materials aim at: check --source warns above it (readability).
max_grade = 8

[export]
# Also "pdf" and "pdf-bilingual": printable handouts (needs Pango; docs/export.md).
formats = ["html", "xml", "txt"]
text_width = 0
"""
