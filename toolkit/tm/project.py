"""Project-level TM operations: what each ``tmkit tm`` command calls.

Each function opens the project's TM (``config.tm_path``), does one job and
closes it, so the CLI stays a thin layer and a Python user gets the same
behaviour.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from toolkit.project.config import Config
from toolkit.errors import TMError
from toolkit.project.layout import check_output, relative
from toolkit.tm.backends import cache_dir, is_url
from toolkit.tm.feed import AddResult, feed_project, import_po
from toolkit.tm.match import Match
from toolkit.tm.memory import TranslationMemory
from toolkit.tm.store import Conflict, StoreOptions

if TYPE_CHECKING:   # TMX needs lxml: imported by the two commands that read or write it
    from toolkit.tm.tmx import TMXResult

PO_SUFFIXES = (".po", ".pot", ".compendium")


def open_project_tm(config: Config, create: bool = True, repair: bool = False) -> TranslationMemory:
    """The project's TM (file or server); with ``create=False`` a missing TM file is an
    error, not an empty file.  A server TM's trigram index is cached in the project;
    its statements have the ``[tm]`` timeouts."""
    location = config.tm_location
    if not create and not is_url(location) and not config.tm_path.exists():
        raise TMError("no translation memory yet; run 'tmkit tm update' first", config.tm_path)
    options = StoreOptions(read_timeout=config.tm.read_timeout, write_timeout=config.tm.write_timeout)
    return TranslationMemory.open(location, cache_dir(location, config.tm_path.parent), options, repair)


def migrate_tm(config: Config) -> tuple[str, int, list[str]]:
    """Create, migrate or repair the TM's schema (``tmkit tm migrate``): (where, version,
    what was repaired)."""
    with open_project_tm(config, repair=True) as tm:
        where = tm.store.location if is_url(config.tm_location) else relative(config, config.tm_path)
        return str(where), tm.store.schema_version(), list(getattr(tm.store, "repaired", []))


def update_tm(config: Config, languages: Optional[Iterable[str]] = None) -> dict[str, AddResult]:
    """Feed the TM from every project PO file (``tmkit tm update``)."""
    with open_project_tm(config) as tm:
        return feed_project(config, tm, languages)


def import_files(config: Config, files: Iterable[Path], lang: Optional[str] = None,
                 source_lang: Optional[str] = None) -> list[tuple[Path, TMXResult]]:
    """Import TMX, PO/POT-with-translations or compendium files (``tmkit tm import``)."""
    from toolkit.tm.tmx import TMXResult, import_tmx

    results = []
    # all files in one transaction: an interrupted import leaves the TM as it was
    with open_project_tm(config) as tm, tm.store.transaction():
        for path in map(Path, files):
            if path.suffix.lower() == ".tmx":
                results.append((path, import_tmx(tm, path, source_lang, [lang] if lang else None)))
            elif path.suffix.lower() in PO_SUFFIXES:
                added = import_po(tm, path, source_lang or config.source_language, lang)
                results.append((path, TMXResult(added.added + added.counted + added.unchanged,
                                                added.added, added.counted)))
            else:
                raise TMError("unknown TM file type (expected .tmx, .po, .pot or .compendium)",
                              path)
    return results


def export_file(config: Config, lang: Optional[str], output: Path, history: bool = False) -> TMXResult:
    """Write the TM (one target language, or all) as TMX 1.4b (``tmkit tm export``);
    superseded translations only with ``history``."""
    from toolkit.tm.tmx import export_tmx

    target = check_output(config, output)
    with open_project_tm(config, create=False) as tm:
        return export_tmx(tm, target, config.source_language, lang, history)


def lookup_text(config: Config, text: str, lang: str, min_score: Optional[float] = None,
                limit: int = 5) -> list[Match]:
    """Matches for one English text (``tmkit tm lookup``)."""
    if min_score is None:
        min_score = config.tm.min_score
    with open_project_tm(config, create=False) as tm:
        return tm.lookup(text, config.source_language, lang, min_score, limit)


def find_conflicts(config: Config, lang: str) -> list[Conflict]:
    """Sources translated in more than one way (``tmkit tm conflicts``)."""
    with open_project_tm(config, create=False) as tm:
        return tm.conflicts(config.source_language, lang)
