"""``tmkit extract`` for a whole project: every article -> its POT template.

Unchanged articles are skipped through the content hashes of
:mod:`toolkit.catalog.state`.  The others are read, segmented and formatted
in worker processes when there are many of them (reading and segmenting
is most of the work and each article is independent), then written
together: all templates are built before the first is renamed into place,
so bad input writes nothing.  Each template is staged (its temp file
written, :class:`toolkit.project.fsutil.AtomicBatch`) as soon as it comes
back from a worker, while the workers go on: the parent would otherwise
wait idle for them, then create a thousand files alone.

Another pass over the articles (``tmkit extract``'s proofreading of the
English, :class:`ArticlePass`) can ride along: it sees each article the
workers read, in the worker, so the articles are read and segmented once
and its work is shared between the processes too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Protocol

from toolkit.catalog.pofile import format_po, new_files_synced
from toolkit.catalog.reports import ExtractReport
from toolkit.catalog.state import CatalogState, digest, file_digest
from toolkit.catalog.template import (build_template, creation_date_of, now_stamp,
                                      settings_fingerprint)
from toolkit.model import Article
from toolkit.segment import Unit
from toolkit.project.config import Config
from toolkit.errors import TmkitError
from toolkit.project.fsutil import AtomicBatch

#: Below this many articles to build, one process is faster than a pool.
PARALLEL_FROM = 64


class ArticlePass(Protocol):
    """Work on the articles done where extract reads them (its worker processes).

    A higher floor implements it (``toolkit.checks.proofread.ProjectProofreader``);
    extract knows only this shape.  ``wanted`` runs in the calling process for
    every article, before the workers start (with the file's bytes extract read
    to hash it); ``prepare`` once after that (what
    every visit needs, loaded once and inherited by the forked workers);
    ``visit`` in a worker, with the article as the reader gave it and its units
    (:func:`toolkit.segment.article_units`, shared with the template); ``take`` in
    the calling process with the visit's result (``None``: the visit failed,
    or was not made; the pass then does that article itself later, where a
    failure is reported as it would have been without extract).
    """

    def wanted(self, path: Path, data: Optional[bytes] = None) -> bool: ...

    def prepare(self) -> None: ...

    def visit(self, path: Path, article: Article, units: list[Unit]) -> object: ...

    def take(self, path: Path, result: object) -> None: ...


@dataclass
class _Built:
    slug: str
    pot_path: Path
    text: str
    old_text: Optional[str]
    source_hash: str
    entries: int


#: One article's work: (source, template or None when it is up to date, hash of
#: the source, whether the :class:`ArticlePass` visits it).
_Job = tuple[Path, Optional[Path], str, bool]


def build_article_template(config: Config, path: Path, pot_path: Path, source_hash: str,
                           article: Optional[Article] = None, units: Optional[list[Unit]] = None) -> _Built:
    """Read (unless ``article`` is given), segment and format one article's template.

    The old template's ``POT-Creation-Date`` is kept unless the entries
    changed, so an unchanged article never rewrites its template.
    """
    from toolkit.segment import segment_article

    if article is None:
        article = _read(config, path)
    pot = build_template(article, segment_article(article, config.segmentation, units), config)
    old_text = pot_path.read_text(encoding="utf-8", errors="replace") if pot_path.is_file() else None
    old_date = creation_date_of(old_text) if old_text else None
    if old_date:
        pot.metadata["POT-Creation-Date"] = old_date
    text = format_po(pot)
    if old_date and text != old_text:
        pot.metadata["POT-Creation-Date"] = now_stamp()
        text = format_po(pot)
    return _Built(path.stem, pot_path, text, old_text, source_hash, len(pot))


def _read(config: Config, path: Path) -> Article:
    from toolkit.project.layout import relative
    from toolkit.readers import read_article

    return read_article(path, relative(config, path), config.sources)


def _one(config: Config, job: _Job, also: Optional[ArticlePass]) -> tuple[Optional[_Built], object]:
    """One job: the template (when it is due) and the pass's visit (when wanted).

    A template that cannot be built raises (bad input stops extract); a
    visit that fails gives ``None``: the pass does that article again itself.
    """
    from toolkit.segment import article_units

    path, pot_path, source_hash, visit = job
    article = units = None
    if pot_path is not None:
        article = _read(config, path)
        units = article_units(article)
    built = build_article_template(config, path, pot_path, source_hash, article, units) if pot_path else None
    seen = None
    if visit and also is not None:
        try:
            if article is None:
                article = _read(config, path)
                units = article_units(article)
            seen = also.visit(path, article, units)
        except TmkitError:
            seen = None
    return built, seen


_WORKER_CONFIG: Optional[Config] = None
_WORKER_PASS: Optional[ArticlePass] = None


def _worker(job: _Job) -> tuple[str, object]:
    """Build in a worker; errors travel back as data (TmkitError's file and line
    would not survive pickling)."""
    try:
        return "ok", _one(_WORKER_CONFIG, job, _WORKER_PASS)
    except TmkitError as exc:
        return "error", (type(exc), exc.message, exc.path, exc.line)


def _build_all(config: Config, jobs: list[_Job], done: Callable[[], None] = lambda: None,
               also: Optional[ArticlePass] = None,
               arrived: Callable[[_Built], None] = lambda built: None) -> list[_Built]:
    """Build every job's template (and visit); ``done()`` after each (for a progress bar),
    ``arrived(template)`` as each template comes back, in the jobs' order."""
    workers = min(os.cpu_count() or 1, 8)
    import multiprocessing

    built = []

    def keep(job: _Job, value: tuple[Optional[_Built], object]) -> None:
        template, seen = value
        if template is not None:
            built.append(template)
            arrived(template)
        if job[3] and also is not None:
            also.take(job[0], seen)
        done()

    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:      # one process (also where there is no fork: Windows)
            keep(job, _one(config, job, also))
        return built
    global _WORKER_CONFIG, _WORKER_PASS
    _WORKER_CONFIG, _WORKER_PASS = config, also
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.imap(_worker, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
            for job, (status, value) in zip(jobs, results):
                if status == "error":
                    kind, message, path, line = value
                    raise kind(message, path, line)
                keep(job, value)
    finally:
        _WORKER_CONFIG = _WORKER_PASS = None
    return built


def extract_project(config: Config, slugs: Optional[list[str]] = None,
                    progress: Optional[Callable[[int, int], None]] = None,
                    also: Optional[ArticlePass] = None) -> ExtractReport:
    """Write ``po/templates/<slug>.pot`` for every article (or those in ``slugs``).

    ``progress(done, total)`` is called as articles are read (for a progress bar).
    ``also``: a pass over the articles done in the same workers (see :class:`ArticlePass`).
    """
    from toolkit.readers.sources import article_paths, unread_source_files

    report = ExtractReport(warnings=unread_source_files(config) if not slugs else [])
    state = CatalogState(config.root, settings_fingerprint(config))
    template_root = config.template_path   # resolved once, not per article
    jobs: list[_Job] = []
    paths = article_paths(config, slugs)
    finished = 0

    def done() -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress(finished, len(paths))

    for path in paths:
        pot_path = template_root / f"{path.stem}.pot"
        data = path.read_bytes()
        source_hash = digest(data)
        record = state.get("pot", path.stem)
        visit = also is not None and also.wanted(path, data)
        if record and record.get("source") == source_hash and record.get("pot") == file_digest(pot_path):
            report.unchanged += 1
            report.entries += record.get("entries", 0)
            if not visit:
                done()
                continue
            jobs.append((path, None, source_hash, True))
            continue
        jobs.append((path, pot_path, source_hash, visit))
    if also is not None and any(job[3] for job in jobs):
        also.prepare()
    batch = AtomicBatch(sync_new=False)
    hashes: dict[str, str] = {}

    def stage(b: _Built) -> None:
        """Stage a changed template now (renamed only once all are built: bad input writes nothing)."""
        data = b.text.encode("utf-8")
        hashes[b.slug] = digest(data)
        if b.text != b.old_text:
            batch.add(b.pot_path, data)
            report.written.append(b.pot_path)

    with batch:          # an error, here or in a worker, removes every staged file
        built = _build_all(config, jobs, done, also, stage)
        batch.sync_new = new_files_synced(len(report.written))
    report.unchanged += len(built) - len(report.written)
    for b in built:
        report.entries += b.entries
        state.put("pot", b.slug, {"source": b.source_hash, "pot": hashes[b.slug], "entries": b.entries})
    state.save()
    return report

