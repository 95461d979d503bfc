"""``tmkit extract`` for a whole project: every article -> its POT template.

Unchanged articles are skipped through the content hashes of
:mod:`toolkit.catalog.state`.  The others are read, segmented and formatted
in worker processes when there are many of them (reading and segmenting
is most of the work and each article is independent), then written
together: all templates are built before the first is written, so bad
input writes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from toolkit.catalog.pofile import format_po, write_texts
from toolkit.catalog.reports import ExtractReport
from toolkit.catalog.state import CatalogState, digest, file_digest
from toolkit.catalog.template import (build_template, creation_date_of, now_stamp,
                                      settings_fingerprint)
from toolkit.project.config import Config
from toolkit.errors import TmkitError

#: Below this many articles to build, one process is faster than a pool.
PARALLEL_FROM = 64


@dataclass
class _Built:
    slug: str
    pot_path: Path
    text: str
    old_text: Optional[str]
    source_hash: str
    entries: int


def build_article_template(config: Config, path: Path, pot_path: Path, source_hash: str) -> _Built:
    """Read, segment and format one article's template.

    The old template's ``POT-Creation-Date`` is kept unless the entries
    changed, so an unchanged article never rewrites its template.
    """
    from toolkit.project.layout import relative
    from toolkit.readers import read_article
    from toolkit.segment import segment_article

    article = read_article(path, relative(config, path), config.sources)
    pot = build_template(article, segment_article(article, config.segmentation), config)
    old_text = pot_path.read_text(encoding="utf-8", errors="replace") if pot_path.is_file() else None
    old_date = creation_date_of(old_text) if old_text else None
    if old_date:
        pot.metadata["POT-Creation-Date"] = old_date
    text = format_po(pot)
    if old_date and text != old_text:
        pot.metadata["POT-Creation-Date"] = now_stamp()
        text = format_po(pot)
    return _Built(path.stem, pot_path, text, old_text, source_hash, len(pot))


_WORKER_CONFIG: Optional[Config] = None


def _worker(job: tuple[Path, Path, str]) -> tuple[str, object]:
    """Build in a worker; errors travel back as data (TmkitError's file and line
    would not survive pickling)."""
    try:
        return "ok", build_article_template(_WORKER_CONFIG, *job)
    except TmkitError as exc:
        return "error", (type(exc), exc.message, exc.path, exc.line)


def _build_all(config: Config, jobs: list[tuple[Path, Path, str]],
               done: Callable[[], None] = lambda: None) -> list[_Built]:
    """Build every job's template; ``done()`` after each (for a progress bar)."""
    workers = min(os.cpu_count() or 1, 8)
    import multiprocessing

    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        built = []
        for job in jobs:      # one process (also where there is no fork: Windows)
            built.append(build_article_template(config, *job))
            done()
        return built
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    built = []
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for status, value in pool.imap(_worker, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
                if status == "error":
                    kind, message, path, line = value
                    raise kind(message, path, line)
                built.append(value)
                done()
    finally:
        _WORKER_CONFIG = None
    return built


def extract_project(config: Config, slugs: Optional[list[str]] = None,
                    progress: Optional[Callable[[int, int], None]] = None) -> ExtractReport:
    """Write ``po/templates/<slug>.pot`` for every article (or those in ``slugs``).

    ``progress(done, total)`` is called as articles are read (for a progress bar).
    """
    from toolkit.readers.sources import article_paths, unread_source_files

    report = ExtractReport(warnings=unread_source_files(config) if not slugs else [])
    state = CatalogState(config.root, settings_fingerprint(config))
    template_root = config.template_path   # resolved once, not per article
    jobs: list[tuple[Path, Path, str]] = []
    paths = article_paths(config, slugs)
    finished = 0

    def done() -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress(finished, len(paths))

    for path in paths:
        pot_path = template_root / f"{path.stem}.pot"
        source_hash = digest(path.read_bytes())
        record = state.get("pot", path.stem)
        if record and record.get("source") == source_hash and record.get("pot") == file_digest(pot_path):
            report.unchanged += 1
            report.entries += record.get("entries", 0)
            done()
            continue
        jobs.append((path, pot_path, source_hash))
    built = _build_all(config, jobs, done)
    changed = [(b.pot_path, b.text) for b in built if b.text != b.old_text]
    write_texts(changed)
    report.written = [path for path, _ in changed]
    report.unchanged += len(built) - len(changed)
    for b in built:
        report.entries += b.entries
        state.put("pot", b.slug, {"source": b.source_hash, "pot": digest(b.text.encode("utf-8")),
                                  "entries": b.entries})
    state.save()
    return report
